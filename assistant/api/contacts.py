"""People to talk to: the chosen council's SENDIASS and SEN team, then the national services.

The council's contacts come from its Local Offer as ingested (corpus `local/` passages, ORUK
services, Local Offer pages): the passage about its SENDIASS and the one about its SEN team,
with the phone number, email address and opening hours written in them. The national services
come from `data/contacts.json`, which records when and against which page each was checked.

    >>> from assistant.models import Chunk, LegalStatus
    >>> team = Chunk("c1", "d1", "Phone the SEN team on 01632 960100, Monday to Friday, 9am to 5pm, "
    ...              "or email sen.team@demoshire.example.", "Demoshire Local Offer (demo)", "sen-team",
    ...              "Contacting the Demoshire SEN team (demo)", LegalStatus.LOCAL, local_authority="Demoshire")
    >>> [(c.name, c.phone, c.email, c.hours) for c in local_contacts([team], "Demoshire")]
    [('Demoshire SEN team (demo)', '01632 960100', 'sen.team@demoshire.example', 'Monday to Friday, 9am to 5pm')]
    >>> [c.key for c in national_contacts(with_directory=True)]
    ['sendiass_directory', 'ipsea', 'contact']
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.models import Chunk, LegalStatus
from assistant.text import EMAIL

DATA_FILE = Path(__file__).parents[1] / "data" / "contacts.json"

# What a passage is about, from its title or reference: the council's SENDIASS, then its SEN team.
ROLES = (
    ("sendiass", "SENDIASS", re.compile(r"\b(SENDIASS|SENDIAS|IASS|information,? advice and support)\b", re.I)),
    ("sen_team", "SEN team", re.compile(r"\b(SEND?|EHC|special educational needs)\b.{0,30}\b(team|service)\b|"
                                        r"\bassessment and review\b", re.I)),
)
PHONE = re.compile(r"(?<![\d+])(?:\+44\s?|0)(?:\d\s?){9,10}(?!\d)")
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|weekdays)"
_TIME = r"\d{1,2}(?:[.:]\d{2})?\s?(?:am|pm)"
HOURS = re.compile(
    rf"{_DAY}(?:\s+(?:to|-|–)\s+{_DAY})?,?\s+(?:from\s+)?{_TIME}\s+(?:to|-|–|until)\s+{_TIME}"
    rf"|(?:between\s+)?{_TIME}\s+(?:and|to|-|–)\s+{_TIME}(?:\s+on\s+{_DAY})?"
    rf"|When:\s+(?:[^.\n]|\.(?=\d)){{3,80}}",
    re.I,
)


@dataclass(frozen=True)
class Contact:
    key: str
    name: str
    what: str = ""
    phone: str | None = None
    email: str | None = None
    hours: str | None = None
    url: str | None = None
    url_text: str | None = None
    checked: str | None = None  # when a national entry was last checked against its own page


def local_contacts(chunks: Iterable[Chunk], local_authority: str | None) -> list[Contact]:
    """The council's SENDIASS and SEN team, from its Local Offer passages; those it lacks are left out."""
    if not local_authority:
        return []
    la = local_authority.casefold()
    found: dict[str, Contact] = {}
    for chunk in chunks:
        if chunk.status is not LegalStatus.LOCAL or (chunk.local_authority or "").casefold() != la:
            continue
        for key, role, pattern in ROLES:
            if key in found or not pattern.search(f"{chunk.title} {chunk.ref}"):
                continue
            contact = _from_passage(key, role, chunk, local_authority)
            if contact.phone or contact.email:
                found[key] = contact
            break  # a passage is about one role: the first that matches
    return [found[key] for key, _, _ in ROLES if key in found]


def _from_passage(key: str, role: str, chunk: Chunk, local_authority: str) -> Contact:
    text = " ".join(chunk.text.split())
    phone = PHONE.search(text)
    email = EMAIL.search(text)
    hours = HOURS.search(text)
    demo = " (demo)" if "(demo)" in chunk.title else ""
    # An ORUK service's reference is its own name ("North Lincolnshire SENDIASS"); a corpus page's is a slug.
    named = " " in chunk.ref.strip() and pattern_for(key).search(chunk.ref)
    what = ("Free, impartial and confidential advice for families and young people."
            if key == "sendiass" else "The council's team for EHC needs assessments, plans and reviews.")
    return Contact(
        key=key, name=chunk.ref.strip() if named else f"{local_authority} {role}{demo}", what=what,
        phone=" ".join(phone.group(0).split()) if phone else None,
        email=email.group(0).rstrip(".") if email else None,
        hours=hours.group(0).removeprefix("When:").strip().rstrip(".") if hours else None,
        url=chunk.url, url_text=f"{local_authority} Local Offer page" if chunk.url else None,
    )


def pattern_for(key: str) -> re.Pattern[str]:
    return next(pattern for k, _, pattern in ROLES if k == key)


@lru_cache(maxsize=1)
def _national(path: Path = DATA_FILE) -> tuple[tuple[Contact, str], ...]:
    data = json.loads(path.read_text(encoding="utf-8"))
    fields = set(Contact.__dataclass_fields__)
    return tuple((Contact(**{k: v for k, v in entry.items() if k in fields}), entry.get("when", "always"))
                 for entry in data["contacts"])


def national_contacts(*, with_directory: bool) -> list[Contact]:
    """IPSEA and Contact; first the national SENDIASS directory when no local SENDIASS is known."""
    return [c for c, when in _national() if when == "always" or (with_directory and when == "no_council")]


def talk_to_a_person(chunks: Iterable[Chunk], local_authority: str | None) -> list[Contact]:
    """Everyone the "Talk to a person" block lists, in order: the council's own, then national."""
    local = local_contacts(chunks, local_authority)
    return local + national_contacts(with_directory=not any(c.key == "sendiass" for c in local))
