"""Ingested text is data: never an instruction, never a link the assistant vouches for.

Every record an ingester produces (an ORUK service, a web page, a PDF paragraph, a section of
legislation, a Word heading's text) passes through `screen_documents` before it is stored:

1. **Hidden characters** (zero-width, bidi controls, tag characters) are removed.
2. **Injected instructions**: the record's title and text go through the same screen as a
   user's message (`assistant.screening.injection`). A record that holds one ("IGNORE
   PREVIOUS INSTRUCTIONS...", "SYSTEM: ...") is quarantined with the reason: not stored, not
   indexed, listed for a council officer, who can release it (`assistant.storage.quarantine`).
3. **Links**: a record's link (its "official document") is kept only when it is `https://` on
   a host of the record's own organisation, of the source the deployer ingested, of the
   public sector (gov.uk, nhs.uk, sch.uk), or on the deployer's allow-list for that authority
   (`SEND_ASSISTANT_LINK_ALLOWED_HOSTS`). Otherwise the link is dropped and only its host is
   kept, as text (`extra["link_host"]`). Web addresses inside the text are treated the same
   way: one that is not allowed becomes "[link to evil.example removed]". `javascript:` and
   `data:` addresses are never kept in any form.

    >>> from assistant.models import Document, LegalStatus
    >>> doc = Document("oruk/x/1", "Play club. Apply at http://evil.example/login today.", "S", "Play club",
    ...                "Play club", LegalStatus.LOCAL, url="http://evil.example/login", local_authority="Demoshire")
    >>> kept = screen_documents([doc], policy=LinkPolicy()).kept[0]
    >>> kept.url, kept.extra["link_host"], kept.text
    (None, 'evil.example', 'Play club. Apply at [link to evil.example removed] today.')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from assistant.models import Document
from assistant.screening.injection import drop_hidden, injection_found, sanitize

PUBLIC_SECTOR = ("gov.uk", "nhs.uk", "sch.uk")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"'()\[\]]+")
_TRAILING = ".,;:!?"


@dataclass(frozen=True)
class LinkPolicy:
    """Which hosts a record may link to, besides its own organisation's and the public sector's.

    `allowed` maps a local authority's name (or "*" for every one) to host names; a host
    allows its subdomains too.
    """

    allowed: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def hosts_for(self, local_authority: str | None) -> set[str]:
        hosts = set(PUBLIC_SECTOR) | {h.lower().strip() for h in self.allowed.get("*", ())}
        for name, listed in self.allowed.items():
            if local_authority and name.strip().lower() == local_authority.strip().lower():
                hosts |= {h.lower().strip() for h in listed}
        return hosts


@dataclass(frozen=True)
class Finding:
    """A record kept out of the index, and why."""

    document: Document
    reason: str


@dataclass
class Screening:
    kept: list[Document] = field(default_factory=list)
    quarantined: list[Finding] = field(default_factory=list)
    links_withheld: list[str] = field(default_factory=list)  # "title: host", one per link dropped


def host_of(url: str | None) -> str | None:
    """The lower-case host of an http(s) or bare www. address, or None."""
    if not url:
        return None
    text = url.strip()
    if text.lower().startswith("www."):
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return parts.hostname.lower().rstrip(".")


def _within(host: str, allowed: Iterable[str]) -> bool:
    for entry in allowed:
        entry = entry.lower().strip().rstrip(".")
        entry = entry[4:] if entry.startswith("www.") else entry
        if entry and (host == entry or host.endswith("." + entry)):
            return True
    return False


def link_allowed(url: str | None, allowed: Iterable[str]) -> bool:
    """True for an https:// address whose host is one of `allowed` (or under one)."""
    host = host_of(url)
    return bool(url and host and url.strip().lower().startswith("https://") and _within(host, allowed))


def screen_documents(
    documents: Iterable[Document], *, policy: LinkPolicy, own_hosts: Iterable[str] = (),
    released: frozenset[str] = frozenset(), fingerprint: Callable[[Document], str] | None = None,
) -> Screening:
    """Split `documents` into those safe to store (links made safe) and those to quarantine.

    `own_hosts` are hosts of the source the deployer chose to ingest (a web site, the
    directory's address). `released` holds fingerprints (see `assistant.storage.quarantine`) of
    records an officer has already cleared; `fingerprint(doc)` computes one.
    """
    out = Screening()
    base_hosts = {h for h in own_hosts if h}
    for doc in documents:
        doc = replace(doc, text=drop_hidden(doc.text), title=drop_hidden(doc.title), ref=drop_hidden(doc.ref))
        cleared = fingerprint is not None and fingerprint(doc) in released
        found = None if cleared else injection_found(sanitize(f"{doc.title}\n{doc.ref}\n{doc.text}"))
        if found:
            out.quarantined.append(Finding(doc, f"it contains an instruction aimed at the assistant: {found!r}"))
            continue
        allowed = policy.hosts_for(doc.local_authority) | base_hosts | _own(doc)
        doc, withheld = _safe_links(doc, allowed)
        out.links_withheld.extend(f"{doc.title}: {host}" for host in withheld)
        out.kept.append(doc)
    return out


def _own(doc: Document) -> set[str]:
    """Hosts that belong to the record itself: its organisation's (from an ORUK directory), or,
    for what the deployer ingested directly (a web page, a PDF's --url), the record's own address."""
    hosts = {h for h in doc.extra.get("organisation_hosts", "").split() if h}
    if not doc.doc_id.startswith("oruk/"):
        own = host_of(doc.url)
        if own:
            hosts.add(own)
    return hosts


def _safe_links(doc: Document, allowed: set[str]) -> tuple[Document, list[str]]:
    withheld: list[str] = []

    def swap(match: re.Match[str]) -> str:
        url = match.group(0)
        tail = ""
        while url and url[-1] in _TRAILING:
            url, tail = url[:-1], url[-1] + tail
        if link_allowed(url, allowed):
            return url + tail
        host = host_of(url) or "an unchecked site"
        withheld.append(host)
        return f"[link to {host} removed]{tail}"

    text = _URL.sub(swap, doc.text)
    url, extra = doc.url, dict(doc.extra)
    if url and not link_allowed(url, allowed):
        host = host_of(url)
        if host:
            extra["link_host"] = host
            withheld.append(host)
        url = None
    return replace(doc, text=text, url=url, extra=extra), sorted(set(withheld))
