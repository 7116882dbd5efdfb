"""PDF ingestion on PDFs generated here in the Code of Practice's layout (reportlab)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures_ingest import PARA_9_14, cop_layout_pdf, image_only_pdf

from assistant.errors import IngestError
from assistant.ingest.pdf import load_pdf
from assistant.models import LegalStatus, PassageKind, Persona

COP = "SEND Code of Practice 2015"


@pytest.fixture(scope="module")
def cop_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cop_layout_pdf(tmp_path_factory.mktemp("pdf") / "cop-test.pdf")


def parse(path: Path):  # type: ignore[no-untyped-def]
    return load_pdf(path, source=COP, status=LegalStatus.STATUTORY_GUIDANCE)


def test_numbered_paragraphs_become_documents_with_refs_and_ids(cop_pdf: Path) -> None:
    docs = parse(cop_pdf).documents
    assert [d.ref for d in docs] == ["9.11", "9.12", "9.13", "9.14", "9.15"]
    d = docs[3]
    assert d.doc_id == "pdf/send-code-of-practice-2015/9.14"
    assert d.source == COP and d.status is LegalStatus.STATUTORY_GUIDANCE
    assert all(doc.kind is PassageKind.OFFICIAL for doc in docs)  # the publisher's own words
    assert d.text == PARA_9_14
    assert d.url == "https://www.gov.uk/government/publications/send-code-of-practice-0-to-25"
    from assistant.sources import format_citation

    assert format_citation(d.source, d.ref) == "SEND Code of Practice 2015, para 9.14"


def test_heading_path_has_chapter_and_section(cop_pdf: Path) -> None:
    docs = {d.ref: d for d in parse(cop_pdf).documents}
    assert docs["9.11"].extra["heading"] == "9 Education, health and care needs assessments and plans > Asking for an assessment"
    assert docs["9.14"].extra["heading"] == "9 Education, health and care needs assessments and plans > Deciding whether to assess"
    assert docs["9.14"].title == "Deciding whether to assess"


def test_running_header_footer_and_page_numbers_are_dropped(cop_pdf: Path) -> None:
    everything = "\n".join(d.text for d in parse(cop_pdf).documents)
    assert "test layout" not in everything and "Published for testing" not in everything
    assert not any(line.strip().isdigit() for line in everything.splitlines())


def test_paragraph_over_a_page_break_stays_whole(cop_pdf: Path) -> None:
    docs = {d.ref: d for d in parse(cop_pdf).documents}
    text = docs["9.13"].text
    assert text.startswith("This paragraph is long enough to run over the page.")
    assert text.endswith("It ends on the next page.")
    assert "\n" not in text  # one paragraph, no header or page number spliced in
    assert int(docs["9.15"].extra["page"]) > int(docs["9.13"].extra["page"])


def test_bullets_stay_with_their_paragraph(cop_pdf: Path) -> None:
    text = {d.ref: d for d in parse(cop_pdf).documents}["9.12"].text
    assert text.splitlines() == [
        "The council must consider a request from a parent or a school. It should think about:",
        "- the child's needs as the school describes them",
        "- what the family says about how the child is doing at home",
    ]


def test_scanned_pdf_has_a_specific_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="has no text layer; it looks scanned — run OCR first"):
        parse(image_only_pdf(tmp_path / "scan.pdf"))


@pytest.mark.parametrize(("content", "message"), [(b"", "is empty"), (b"%PDF-1.4\nthis is not really a pdf", "not a readable PDF")])
def test_empty_and_corrupt_pdfs(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(IngestError, match=message):
        parse(path)


def test_pdf_without_numbered_paragraphs(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "letter.pdf"
    c = canvas.Canvas(str(path))
    c.drawString(72, 720, "Dear parent, thank you for your letter about the annual review.")
    c.save()
    with pytest.raises(IngestError, match="no numbered paragraphs"):
        parse(path)


@pytest.mark.integration
@pytest.mark.parametrize("keep_own_9_14", [False, True], ids=["official text only", "beside our own 9.14 passages"])
def test_ingested_pdf_answers_para_9_14(tmp_path: Path, cop_pdf: Path, embedder, keep_own_9_14: bool) -> None:  # type: ignore[no-untyped-def]
    from conftest import SMALL_CORPUS, write_corpus

    from assistant.config import Settings
    from assistant.ingest.dispatch import Request, ingest
    from assistant.services import build_services, run_index

    own = {k: v for k, v in SMALL_CORPUS.items() if keep_own_9_14 or "9-14" not in k}
    if keep_own_9_14:  # as in the shipped corpus: several explanations of 9.14, enough to fill a look-up
        template = SMALL_CORPUS["code-of-practice/ch09-9-14.md"]
        for n, topic in enumerate(["evidence from the school", "academic progress", "young people over 18", "no extra hurdles"]):
            own[f"code-of-practice/ch09-9-14-{n}.md"] = template.replace(
                "title: Deciding whether", f"title: 9.14 and {topic} - deciding whether"
            ).replace("The local authority should", f"On {topic}, paragraph 9.14 says the local authority should")
    corpus = write_corpus(tmp_path / "corpus", own)
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus)
    ingest(settings, Request(str(cop_pdf), LegalStatus.STATUTORY_GUIDANCE, source=COP))
    run_index(settings, embedder)
    answer = build_services(settings, embedder=embedder).ensure_ready().answer("para 9.14", persona=Persona.ADVISER)
    assert answer.status.value == "answered"
    assert answer.citations[0].ref == "9.14" and answer.citations[0].source == COP
    assert "Parents should not be asked for a private report first." in answer.text
    assert "**CoP 9.14 (official text)**" in answer.text
