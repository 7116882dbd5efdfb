"""Letters filled from a short form: plain text for copying, and .docx for editing.

Templates live in `letter_templates/*.txt.j2` and are rendered by one explicit Jinja2
environment (plain text, so autoescape is off; StrictUndefined, so a missing variable is an
error, never a blank). A field the user has not filled shows its placeholder, such as
"[Child's name]". Lines starting with "# " are headings; blank lines separate paragraphs.
Caseworker letters are drafts and say so at the top. What a person types is only ever text:
control characters (NUL, ESC...) are dropped, as Word files cannot hold them, and a "#" at
the start of a line is dropped too, so a field can never make a heading.

>>> from datetime import date
>>> letter = render_letter("request_assessment", {"child_name": "Sam"}, today=date(2026, 11, 23))
>>> letter.missing[:2]
['parent_name', 'parent_address']
>>> "within 6 weeks" in letter.text and "[Your name]" in letter.text
True
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from docx import Document
from docx.shared import Mm

from assistant.errors import InvalidInput
from assistant.tools.deadlines import fmt
from assistant.tools.letter_specs import SPECS, LetterField, LetterSpec

TEMPLATE_DIR = Path(__file__).parent / "letter_templates"
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DRAFT_MARK = "DRAFT — for officer review"
# A4 (210 x 297 mm) with 25 mm margins: the paper and margins a UK council or office expects.
A4_MM = (210, 297)
MARGIN_MM = 25

ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
    autoescape=False,
    undefined=jinja2.StrictUndefined,
    trim_blocks=False,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Block:
    kind: str          # heading | paragraph
    text: str


@dataclass(frozen=True)
class RenderedLetter:
    template: str
    title: str
    draft: bool
    blocks: tuple[Block, ...]
    missing: list[str]
    cites: tuple[Any, ...]

    @property
    def text(self) -> str:
        parts = []
        for block in self.blocks:
            parts.append(f"{block.text}\n{'-' * len(block.text)}" if block.kind == "heading" else block.text)
        return "\n\n".join(parts) + "\n"


def list_templates() -> list[LetterSpec]:
    return list(SPECS.values())


def _coerce(spec_field: LetterField, raw: Any) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if spec_field.kind == "date":
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(str(raw).strip())
        except ValueError:
            raise InvalidInput(f"{spec_field.name} must be a date in YYYY-MM-DD form; got {raw!r}.") from None
    value = _plain(str(raw))
    if spec_field.kind == "choice" and value not in spec_field.options:
        raise InvalidInput(f"{spec_field.name} must be one of {', '.join(spec_field.options)}; got {value!r}.")
    return value


# C0 and C1 controls except tab and newline; DEL; lone surrogates. Word (XML) cannot hold them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_HEADING_MARK = re.compile(r"(?m)^([ \t]*)#+[ \t]*")
# A terminal colour or cursor code ("\x1b[31m") goes whole: dropping only the escape would leave "[31m" in the letter.
_TERMINAL_CODES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def _plain(value: str) -> str:
    """A typed value as plain text: no control characters, no line that starts as a heading.

    >>> _plain("Kim\\x00\\x1b\\r\\n# DECISION: CANCELLED")
    'Kim\\nDECISION: CANCELLED'
    >>> _plain("Kim\\x1b[31m Taylor\\x1b[0m")
    'Kim Taylor'
    """
    value = _TERMINAL_CODES.sub("", value)
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return _HEADING_MARK.sub(r"\1", value).strip()


def render_letter(template_id: str, form: Mapping[str, Any], *, today: date) -> RenderedLetter:
    """Fill template `template_id` from `form`; raise `InvalidInput` for bad input."""
    spec = SPECS.get(template_id)
    if spec is None:
        raise InvalidInput(f"Unknown letter template {template_id!r}; choose one of {', '.join(SPECS)}.")
    known = {f.name: f for f in spec.fields}
    unknown = sorted(set(form) - set(known))
    if unknown:
        raise InvalidInput(f"Unknown field(s) for {template_id}: {', '.join(unknown)}.")
    values = {name: _coerce(f, form.get(name)) for name, f in known.items()}
    for name, value in values.items():
        if isinstance(value, date) and value > today and name not in ("new_date",):
            raise InvalidInput(f"{name} ({value.isoformat()}) is after today ({today.isoformat()}).")
    derived = spec.derive(values, today)
    context = {
        name: (fmt(v) if isinstance(v, date) else v) if v is not None else known[name].placeholder
        for name, v in values.items()
    }
    context.update(derived, today=fmt(today), draft_mark=DRAFT_MARK)
    text = ENV.get_template(f"{template_id}.txt.j2").render(**context)
    return RenderedLetter(
        template=template_id, title=spec.title, draft=spec.draft, blocks=tuple(_blocks(text)),
        missing=[name for name, v in values.items() if v is None], cites=spec.cites,
    )


def _blocks(text: str) -> list[Block]:
    blocks = []
    text = re.sub(r"\n[ \t]*(?:\n[ \t]*)+\n", "\n\n", text)
    for chunk in text.strip().split("\n\n"):
        chunk = chunk.strip("\n")
        if not chunk.strip():
            continue
        if chunk.startswith("# "):
            blocks.append(Block("heading", chunk[2:].strip()))
        else:
            blocks.append(Block("paragraph", chunk))
    return blocks


def to_docx(letter: RenderedLetter) -> bytes:
    """The letter as a Word document on A4 with 25 mm margins: headings kept as headings, line breaks kept."""
    document = Document()
    for section in document.sections:
        section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(MARGIN_MM)
    properties = document.core_properties
    properties.title, properties.author, properties.comments = letter.title, "SEND Assistant", ""
    properties.language = "en-GB"
    for block in letter.blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=1 if block.text == DRAFT_MARK else 2)
            continue
        paragraph = document.add_paragraph()
        for i, line in enumerate(block.text.split("\n")):
            run = paragraph.add_run(line)
            if i < block.text.count("\n"):
                run.add_break()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
