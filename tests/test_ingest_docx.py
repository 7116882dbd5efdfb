"""Word documents: headings kept as the chunk path, lists and tables kept with their section."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import IngestError
from assistant.ingest.docx import load_docx
from assistant.models import LegalStatus, PassageKind


def make_docx(path: Path, numbered: bool = False) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = "Demoshire short breaks statement"
    document.add_heading("Short breaks statement", level=1)
    document.add_paragraph("This statement explains the short breaks Demoshire offers to disabled children and their carers.")
    document.add_heading("Who can have a short break", level=2)
    document.add_paragraph("Children up to 18 who live in Demoshire and have a disability can have a short break.")
    document.add_paragraph("after-school clubs with extra staff", style="List Bullet")
    document.add_paragraph("overnight stays with a trained carer", style="List Bullet")
    document.add_heading("How to apply", level=3)
    document.add_paragraph("Fill in the short breaks form and send it to the children's disability team by email or post.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Type of break", "How to ask"
    table.cell(1, 0).text, table.cell(1, 1).text = "Holiday scheme", "Book online"
    document.add_heading("Complaints", level=2)
    if numbered:
        document.add_paragraph("4.1 A family can complain to the council if a break is cancelled without notice.")
        document.add_paragraph("4.2 The council answers complaints within twenty working days of receiving them.")
        document.add_paragraph("4.3 A family that is still unhappy can go to the Ombudsman after the council's reply.")
    else:
        document.add_paragraph("Families can complain to the council if a break is cancelled without notice.")
    document.save(str(path))
    return path


def test_sections_follow_headings(tmp_path: Path) -> None:
    result = load_docx(make_docx(tmp_path / "breaks.docx"), source=None, status=LegalStatus.LOCAL, local_authority="Demoshire")
    docs = {d.ref: d for d in result.documents}
    assert list(docs) == ["Short breaks statement", "Who can have a short break", "How to apply", "Complaints"]
    who = docs["Who can have a short break"]
    assert who.source == "Demoshire short breaks statement"
    assert who.extra["heading"] == "Short breaks statement > Who can have a short break"
    assert who.text.splitlines()[1:] == ["- after-school clubs with extra staff", "- overnight stays with a trained carer"]
    assert docs["How to apply"].extra["heading"] == "Short breaks statement > Who can have a short break > How to apply"
    assert "Holiday scheme; Book online" in docs["How to apply"].text
    assert who.doc_id == "docx/demoshire-short-breaks-statement/who-can-have-a-short-break"
    assert all(d.local_authority == "Demoshire" for d in result.documents)
    assert all(d.kind is PassageKind.OFFICIAL for d in result.documents)  # the publisher's own words


def test_numbered_paragraphs_become_their_own_documents(tmp_path: Path) -> None:
    result = load_docx(make_docx(tmp_path / "n.docx", numbered=True), source="Demoshire policy", status=LegalStatus.LOCAL)
    assert [d.ref for d in result.documents] == ["4.1", "4.2", "4.3"]
    assert result.documents[1].text == "The council answers complaints within twenty working days of receiving them."
    assert result.documents[1].extra["heading"] == "Short breaks statement > Complaints"


@pytest.mark.parametrize(("content", "message"), [(b"", "is empty"), (b"plain text, not a zip", "not a Word .docx file")])
def test_bad_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.docx"
    path.write_bytes(content)
    with pytest.raises(IngestError, match=message):
        load_docx(path, source="S", status=LegalStatus.GUIDANCE)


def test_document_without_text(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))
    with pytest.raises(IngestError, match="has no text"):
        load_docx(path, source="S", status=LegalStatus.GUIDANCE)
