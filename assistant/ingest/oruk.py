"""Open Referral UK (ORUK) service directories: each service becomes one local Document.

Reads both shapes councils publish: the older v1 array of services with Open Place `pc_`
extensions, and ORUK 3.0 (a single service, a service-at-location, or a paginated page
`{total_items, page_number, contents: [...]}`), from a saved file or a live `/services`
endpoint. Staff metadata never reaches a Document: `pc_metadata`, `assurer_email` and named
`contacts` are ignored, and any address found in staff metadata is withheld everywhere else
in the file too (descriptions sometimes repeat an assurer's address).

    >>> result = parse_services([{"id": "1", "name": "Play club", "description": "<p>Fun&nbsp;for all</p>",
    ...     "assured_date": "2024-12-06", "pc_metadata": {"assured_by": "jo@council.example"}}],
    ...     local_authority="Demoshire")
    >>> doc = result.documents[0]
    >>> doc.source, doc.ref, doc.extra["last_checked"]
    ('Demoshire Local Offer directory', 'Play club', '6 Dec 2024')
    >>> "jo@council.example" in repr(doc)
    False
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assistant.errors import IngestError
from assistant.ingest.common import EMAIL, IngestResult, clean_text, html_to_text, parse_date, remove_emails
from assistant.models import Document, LegalStatus, PassageKind
from assistant.storage.documents import slug

STAFF_KEYS = {"pc_metadata", "assurer_email", "assured_by", "contacts"}
INACTIVE = {"inactive", "defunct", "closed", "deleted"}
_BARE_DOMAIN = re.compile(r"(?i)(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?::\d+)?(?:/[^\s@]*)?")
Record = dict[str, Any]


def default_source(local_authority: str | None) -> str:
    return f"{local_authority} Local Offer directory" if local_authority else "Local Offer directory"


def load_file(path: Path, *, local_authority: str | None, source: str | None = None) -> IngestResult:
    """Parse a saved ORUK JSON file (v1 array, 3.0 page or single service)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise IngestError(f"{path} is not a UTF-8 JSON file ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise IngestError(f"{path} is not valid JSON: {exc}") from exc
    return parse_services(service_records(data, origin=str(path)), local_authority=local_authority, source=source)


def service_records(data: Any, *, origin: str = "the payload") -> list[Record]:
    """The service objects inside any ORUK payload shape."""
    if isinstance(data, list):
        out: list[Record] = []
        for item in data:
            if isinstance(item, dict) and isinstance(item.get("service"), dict):
                out.append(item["service"])  # a service_at_location
            elif isinstance(item, dict):
                out.append(item)
        return out
    if isinstance(data, dict):
        for key in ("contents", "content"):
            if isinstance(data.get(key), list):
                return service_records(data[key], origin=origin)
        if isinstance(data.get("service"), dict):
            return [data["service"]]
        if isinstance(data.get("services"), list) and "description" not in data:
            return service_records(data["services"], origin=origin)
        if "name" in data or "id" in data:
            return [data]
    raise IngestError(f"{origin} does not look like Open Referral UK services (expected a list of services or a page with 'contents')")


def staff_emails(records: Iterable[Record]) -> set[str]:
    """Every address found in staff metadata anywhere in the records (lower-case)."""
    found: set[str] = set()

    def visit(value: Any, staff: bool) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                visit(inner, staff or key in STAFF_KEYS)
        elif isinstance(value, list):
            for inner in value:
                visit(inner, staff)
        elif staff and isinstance(value, str):
            found.update(m.lower() for m in EMAIL.findall(value))

    for record in records:
        visit(record, False)
    return found


def parse_services(records: list[Record], *, local_authority: str | None, source: str | None = None) -> IngestResult:
    """One Document per named, active service; records without a name are skipped and counted."""
    if not local_authority:
        raise IngestError("ORUK services are local information: give --local-authority (e.g. \"North Lincolnshire\")")
    source = source or default_source(local_authority)
    withheld = staff_emails(records)
    result = IngestResult()
    ids: set[str] = set()
    for n, record in enumerate(records, start=1):
        name = clean_text(str(record.get("name") or ""))
        if not name:
            result.skip(f"record {n} (id {record.get('id') or 'none'}) has no name")
            continue
        if str(record.get("status") or "active").strip().lower() in INACTIVE:
            result.skip(f"{name!r} is marked {record.get('status')}")
            continue
        doc_id = _unique_id(f"oruk/{slug(local_authority)}/{_safe_id(record.get('id') or slug(name))}", ids)
        result.documents.append(_document(record, name, doc_id, source, local_authority, withheld))
    return result


def _document(record: Record, name: str, doc_id: str, source: str, la: str, withheld: set[str]) -> Document:
    text = remove_emails(service_text(record, name, withheld), withheld)
    organisation = record.get("organization") if isinstance(record.get("organization"), dict) else {}
    url = web_url(record.get("url")) or web_url(organisation.get("url"))  # the provider's site when the service has none
    extra = {"oruk_id": str(record.get("id") or "")}
    hosts = organisation_hosts(organisation)
    if hosts:
        extra["organisation_hosts"] = " ".join(hosts)
    checked = _last_checked(record)
    if checked:
        extra["last_checked"] = checked
    return Document(
        doc_id=doc_id,
        text=text,
        source=source,
        ref=name,
        title=name,
        status=LegalStatus.LOCAL,
        url=url if url and not _has_withheld(url, withheld) else None,
        local_authority=la,
        extra=extra,
        kind=PassageKind.OFFICIAL,  # the directory's own record of the service
    )


def service_text(record: Record, name: str, withheld: frozenset[str] | set[str] = frozenset()) -> str:
    """The service as plain text: what it is, who it is for, ages, fees, how to reach it."""
    description = html_to_text(_text(record.get("description")))
    if re.match(re.escape(name) + r"(?!\w)", description, re.IGNORECASE):
        parts = [description]  # it already names the service ("Play club runs ...")
    elif description and not description.startswith("- "):
        parts = [f"{name}: {description}"]  # the first sentence names the service when quoted alone
    else:
        parts = [name, description]
    if _text(record.get("alert")):
        parts.append(f"Please note: {_sentence(clean_text(record['alert']))}")
    organisation = record.get("organization") if isinstance(record.get("organization"), dict) else {}
    org_name = clean_text(_text(organisation.get("name")))
    if org_name and name.lower() not in org_name.lower():
        parts.append(f"{name} is provided by {_sentence(org_name)}")
    parts.extend(_eligibility(record))
    parts.extend(_access(record))
    fees = _fees(record)
    if fees:
        parts.append(f"Fees: {_sentence(fees)}")
    contact = _contact(record, withheld)
    if contact:
        parts.append(f"Contact {name}: {'; '.join(contact)}.")
    return "\n\n".join(p for p in parts if p)


def _eligibility(record: Record) -> list[str]:
    out = []
    audiences = [_audience(a.get("audienceType") or a.get("id")) for a in record.get("pc_targetAudience") or [] if isinstance(a, dict)]
    audiences = list(dict.fromkeys(a for a in audiences if a))
    if audiences:
        out.append(f"Who it is for: {', '.join(audiences)}.")
    eligibility = record.get("eligibility_description") or record.get("eligibility")
    if isinstance(eligibility, list):
        eligibility = "; ".join(_text(e.get("eligibility") or e.get("description")) for e in eligibility if isinstance(e, dict))
    if _text(eligibility):
        out.append(f"Eligibility: {_sentence(html_to_text(_text(eligibility)))}")
    low, high = record.get("minimum_age"), record.get("maximum_age")
    if low not in (None, "") and high not in (None, ""):
        out.append(f"Ages: {low} to {high}.")
    elif low not in (None, ""):
        out.append(f"Ages: {low} and over.")
    elif high not in (None, ""):
        out.append(f"Ages: up to {high}.")
    return out


def _access(record: Record) -> list[str]:
    kinds = [_text(record.get(k)) for k in ("deliverable_type", "attending_type", "attending_access")]
    kinds = [k for k in kinds if k]
    out = [f"How it is offered: {', '.join(kinds)}."] if kinds else []
    more = clean_text(_text(record.get("pc_attendingAccess_additionalInfo")))
    if more:
        out.append(_sentence(more))
    for schedule in record.get("schedules") or []:
        if isinstance(schedule, dict) and _text(schedule.get("description")):
            out.append(f"When: {_sentence(clean_text(schedule['description']))}")
    return out


def _fees(record: Record) -> str:
    fees = clean_text(html_to_text(_text(record.get("fees_description") or record.get("fees"))))
    options = []
    for option in record.get("cost_options") or []:
        if isinstance(option, dict) and option.get("amount") not in (None, ""):
            label = " ".join(_text(option.get(k)) for k in ("option",) if _text(option.get(k)))
            options.append(f"{label + ': ' if label else ''}£{option['amount']} {_text(option.get('amount_description'))}".strip())
    return "; ".join(x for x in [fees, *options] if x and x.lower() != "fees_description")


def _contact(record: Record, withheld: frozenset[str] | set[str]) -> list[str]:
    out = []
    url = web_url(record.get("url"))
    if url and not _has_withheld(url, withheld):
        out.append(f"website {url}")
    email = _text(record.get("email"))
    if EMAIL.fullmatch(email) and email.lower() not in withheld:
        out.append(f"email {email}")
    for phone in record.get("phones") or []:
        number = _text(phone.get("number")) if isinstance(phone, dict) else _text(phone)
        if number:
            out.append(f"phone {number}")
    return out


def web_url(value: Any) -> str | None:
    """An http(s) address, adding https:// to a bare "www.example.org/page" (councils often omit it).

    >>> web_url("www.samaritans.org/branches/bristol/"), web_url("http://x.example"), web_url("n/a")
    ('https://www.samaritans.org/branches/bristol/', 'http://x.example', None)
    """
    text = _text(value)
    if text.lower().startswith(("http://", "https://")):
        return text
    return f"https://{text}" if _BARE_DOMAIN.fullmatch(text) else None


def organisation_hosts(organisation: Record) -> list[str]:
    """The web hosts of a service's own organisation: its site's, and its email's domain.

    >>> organisation_hosts({"url": "https://www.northlincs.gov.uk/", "email": "sen@northlincs.gov.uk"})
    ['www.northlincs.gov.uk', 'northlincs.gov.uk']
    """
    from urllib.parse import urlsplit

    hosts = []
    site = web_url(organisation.get("url"))
    if site and urlsplit(site).hostname:
        hosts.append(str(urlsplit(site).hostname).lower())
    email = _text(organisation.get("email"))
    if EMAIL.fullmatch(email):
        hosts.append(email.rsplit("@", 1)[1].lower())
    return list(dict.fromkeys(hosts))


def _audience(value: Any) -> str:
    parts = [p.strip() for p in _text(value).split(">") if p.strip()]
    return parts[-1] if parts else ""


def _last_checked(record: Record) -> str | None:
    dates = [d for d in (parse_date(record.get("assured_date")), parse_date(record.get("last_modified"))) if d]
    latest = max(dates, default=None)
    return f"{latest.day} {latest.strftime('%b %Y')}" if latest else None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def _has_withheld(text: str, withheld: frozenset[str] | set[str]) -> bool:
    return any(email in text.lower() for email in withheld)


def _safe_id(value: Any) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", str(value)).strip("-") or "service"


def _unique_id(doc_id: str, seen: set[str]) -> str:
    candidate, n = doc_id, 2
    while candidate in seen:
        candidate, n = f"{doc_id}-{n}", n + 1
    seen.add(candidate)
    return candidate
