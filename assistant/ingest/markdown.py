"""The project's own corpus: Markdown passages with YAML front matter.

    >>> doc = parse_passage("---\\nsource: SEND Regulations 2014\\nref: reg 5(1)\\ntitle: T\\n"
    ...     "url: https://www.legislation.gov.uk/uksi/2014/1530/regulation/5\\nstatus: law\\n---\\nBody.", "x")
    >>> doc.ref, doc.status.value
    ('reg 5(1)', 'law')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import yaml

from assistant.citations.cases import CaseList
from assistant.citations.kind_rules import Rules, check_kind
from assistant.citations.provisions import KnownRefs
from assistant.errors import CorpusError
from assistant.models import Document, LegalStatus, PassageKind
from assistant.sources import canonical_source, parse_ref

# libyaml's C parser when the wheel has it: the same result as yaml.safe_load, about 15x faster.
_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

REQUIRED = ("source", "ref", "title", "status")
OFFICIAL_DOMAINS = (
    "gov.uk",
    "legislation.gov.uk",
    "parliament.uk",
    "lgo.org.uk",
    "judiciary.uk",
    "nhs.uk",
    "ofsted.gov.uk",
    "councilfordisabledchildren.org.uk",
)
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n?(.*)\Z", re.DOTALL)


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def parse_passage(text: str, doc_id: str) -> Document:
    """Parse one corpus file's text. Raises CorpusError naming what is wrong."""
    match = _FRONT.match(text.lstrip("\ufeff"))
    if not match:
        raise CorpusError(f"{doc_id}: no YAML front matter (the file must start with ---)")
    try:
        meta = yaml.load(match.group(1), Loader=_YAML) or {}
    except yaml.YAMLError as exc:
        raise CorpusError(f"{doc_id}: front matter is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise CorpusError(f"{doc_id}: front matter must be a mapping")
    missing = [key for key in REQUIRED if not str(meta.get(key) or "").strip()]
    if missing:
        raise CorpusError(f"{doc_id}: missing required field(s): {', '.join(missing)}")
    try:
        status = LegalStatus(str(meta["status"]).strip())
    except ValueError as exc:
        allowed = ", ".join(s.value for s in LegalStatus)
        raise CorpusError(f"{doc_id}: status {meta['status']!r} is not one of {allowed}") from exc
    body = match.group(2).strip()
    if not body:
        raise CorpusError(f"{doc_id}: the passage has no text")
    questions = meta.get("questions") or []
    if not isinstance(questions, list):
        raise CorpusError(f"{doc_id}: questions must be a list")
    extra = {
        key: " ".join(map(str, meta[key])) if isinstance(meta[key], list) else str(meta[key])
        for key in ("effective_from", "superseded_by", "as_at", "last_checked", "stage", "checked_urls", "service", "phone")
        if meta.get(key) is not None
    }
    kind_value = str(meta.get("kind") or PassageKind.SUMMARY.value).strip()
    try:
        kind = PassageKind(kind_value)
    except ValueError as exc:
        raise CorpusError(f"{doc_id}: kind {kind_value!r} is not summary or explainer") from exc
    if kind is PassageKind.OFFICIAL:
        raise CorpusError(f"{doc_id}: kind official is only for texts ingested from their publisher, never written here")
    basis = _string_list(meta, "basis", doc_id)
    next_steps = _string_list(meta, "next_steps", doc_id)
    answer = str(meta.get("answer") or "").strip()
    if kind is PassageKind.SUMMARY and (answer or next_steps):
        raise CorpusError(f"{doc_id}: only an explainer has an answer or next_steps")
    local_authority = meta.get("local_authority")
    return Document(
        doc_id=str(meta.get("id") or doc_id),
        text=body,
        source=canonical_source(str(meta["source"])),
        ref=str(meta["ref"]).strip(),
        title=str(meta["title"]).strip(),
        status=status,
        url=(str(meta["url"]).strip() or None) if meta.get("url") else None,
        local_authority=str(local_authority).strip() if local_authority else None,
        questions=tuple(str(q).strip() for q in questions if str(q).strip()),
        extra=extra,
        kind=kind,
        basis=basis,
        answer=answer,
        next_steps=next_steps,
    )


def _string_list(meta: dict[str, object], key: str, doc_id: str) -> tuple[str, ...]:
    value = meta.get(key) or []
    if not isinstance(value, list):
        raise CorpusError(f"{doc_id}: {key} must be a list")
    bad = [v for v in value if not isinstance(v, str)]
    if bad:
        raise CorpusError(f"{doc_id}: every item of {key} must be text; quote an item that holds ': ' ({bad[0]!r})")
    return tuple(v.strip() for v in value if v.strip())


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Every passage file below corpus_dir, in a stable order (README files excluded)."""
    return sorted(p for p in corpus_dir.rglob("*.md") if p.name.lower() != "readme.md")


def load_corpus(corpus_dir: Path) -> list[Document]:
    """Parse every passage; raise CorpusError listing every problem found."""
    documents, problems = _load(corpus_dir)
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems[:50])
        raise CorpusError(f"{len(problems)} problem(s) in the corpus:\n{listed}")
    return documents


def check_corpus(corpus_dir: Path) -> tuple[list[Document], list[Problem]]:
    """Validate the corpus beyond parsing: refs, urls, duplicates, proposals' dates, and what
    each kind of passage may say (`assistant.citations.kind_rules`): known refs from corpus/refs.yaml,
    cases from corpus/cases.yaml."""
    documents, problems = _load(corpus_dir)
    try:
        rules = Rules.for_documents(documents, refs=KnownRefs.load(corpus_dir), cases=CaseList.load(corpus_dir))
    except (ValueError, yaml.YAMLError) as exc:
        raise CorpusError(f"corpus lists: {exc}") from exc
    seen: dict[str, str] = {}
    for doc in documents:
        if doc.doc_id in seen:
            problems.append(Problem(doc.doc_id, f"duplicate id (also {seen[doc.doc_id]})"))
        seen[doc.doc_id] = doc.doc_id
        problems.extend(_check_document(doc))
        problems.extend(Problem(doc.doc_id, message) for message in check_kind(doc, rules))
    return documents, problems


def _load(corpus_dir: Path) -> tuple[list[Document], list[Problem]]:
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder {corpus_dir} does not exist")
    documents: list[Document] = []
    problems: list[Problem] = []
    for path in corpus_files(corpus_dir):
        doc_id = path.relative_to(corpus_dir).with_suffix("").as_posix()
        try:
            documents.append(parse_passage(path.read_text(encoding="utf-8"), doc_id))
        except CorpusError as exc:
            problems.append(Problem(doc_id, str(exc).split(": ", 1)[-1]))
    return documents, problems


def _check_document(doc: Document) -> list[Problem]:
    problems: list[Problem] = []

    def problem(message: str) -> None:
        problems.append(Problem(doc.doc_id, message))

    parsed = parse_ref(doc.ref)
    if doc.kind is PassageKind.SUMMARY and doc.status in (LegalStatus.LAW, LegalStatus.STATUTORY_GUIDANCE) and not doc.url:
        problem("law and statutory guidance need the url of the official publication")
    if doc.url:
        host = urlparse(doc.url).hostname or ""
        if urlparse(doc.url).scheme != "https" or not any(
            host == d or host.endswith("." + d) for d in OFFICIAL_DOMAINS
        ):
            problem(f"url {doc.url} is not an official https address ({', '.join(OFFICIAL_DOMAINS)})")
    if doc.source == "SEND Code of Practice 2015" and parsed.kind != "para":
        problem(f"a Code of Practice ref must be a paragraph like 9.14, got {doc.ref!r}")
    if doc.source.endswith(("Act 2014", "Act 2010", "Act 1996")) and parsed.kind not in ("s", "sch"):
        problem(f"an Act's ref must be a section like s.42(2) or a schedule, got {doc.ref!r}")
    if "Regulations" in doc.source and parsed.kind not in ("reg", "sch"):
        problem(f"a regulations ref must look like reg 5(1), got {doc.ref!r}")
    if doc.status is LegalStatus.PROPOSAL and "as_at" not in doc.extra:
        problem("a proposal needs an as_at date")
    if doc.status is LegalStatus.LOCAL and not doc.local_authority:
        problem("a local passage needs local_authority")
    words = len(doc.text.split())
    if words < 12:
        problem(f"the passage is too short to stand alone ({words} words)")
    return problems
