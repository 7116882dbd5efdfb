"""The sources file: a YAML list of what this deployment ingests, read by `send-assistant index`.

Set SEND_ASSISTANT_SOURCES_FILE (settings.sources_file) to a file like:

    - path_or_url: https://www.legislation.gov.uk/uksi/2014/1530/data.xml
      status: law
    - path_or_url: downloads/send-code-of-practice-0-to-25.pdf
      source: SEND Code of Practice 2015
      status: statutory_guidance
    - path_or_url: https://directory.example/api/services
      status: local
      local_authority: Demoshire
      kind: oruk

Relative paths are read from the sources file's folder. An entry that fails is reported and
keeps its earlier documents; the others are still ingested.

    >>> entries = load_entries(Path("sources.yaml"))                         # doctest: +SKIP
    >>> [e.path_or_url for e in entries]                                     # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from rich.console import Console
from rich.markup import escape

from assistant.config import Settings
from assistant.errors import ConfigError, IngestError
from assistant.ingest.dispatch import KINDS, Request, ingest, is_url
from assistant.models import LegalStatus

FIELDS = {"path_or_url", "source", "status", "local_authority", "kind", "url"}


def load_entries(path: Path) -> list[Request]:
    """The entries of a sources file; ConfigError naming the entry and field that are wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the sources file {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"the sources file {path} is not valid YAML: {exc}") from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise ConfigError(f"the sources file {path} must be a YAML list of entries")
    return [_entry(path, n, item) for n, item in enumerate(data, start=1)]


def _entry(path: Path, n: int, item: Any) -> Request:
    where = f"{path}, entry {n}"
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: each entry must be a mapping with path_or_url and status")
    unknown = set(item) - FIELDS
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(FIELDS))}")
    target = str(item.get("path_or_url") or "").strip()
    if not target:
        raise ConfigError(f"{where}: path_or_url is missing")
    try:
        status = LegalStatus(str(item.get("status") or "").strip())
    except ValueError as exc:
        raise ConfigError(f"{where}: status must be one of {', '.join(s.value for s in LegalStatus)}") from exc
    kind = item.get("kind")
    if kind is not None and kind not in KINDS:
        raise ConfigError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
    if not is_url(target) and not Path(target).is_absolute():
        target = str((path.parent / target).resolve())
    text = {k: (str(item[k]).strip() if item.get(k) else None) for k in ("source", "local_authority", "url")}
    return Request(path_or_url=target, status=status, kind=kind, **text)


def ingest_listed_sources(settings: Settings, console: Console) -> int:
    """Ingest every entry of settings.sources_file; returns how many failed."""
    if settings.sources_file is None:
        return 0
    entries = load_entries(Path(settings.sources_file))
    failures = 0
    for entry in entries:
        try:
            done = ingest(settings, entry)
        except IngestError as exc:
            failures += 1
            console.print(f"[red]Could not ingest {escape(entry.path_or_url)}[/red]: {escape(str(exc))} (its earlier documents are kept)", soft_wrap=True)
            continue
        message = f"Ingested {entry.path_or_url}: {len(done.result.documents)} documents as \"{done.source}\" ({done.result.skipped} records skipped)."
        console.print(escape(message), soft_wrap=True)
    return failures
