"""Helpers for the ingest tests: PDFs in the Code of Practice's layout, ORUK pages, a local server.

All wording here is invented for the tests.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

SHARED_ORUK = Path(__file__).resolve().parents[2] / "shared" / "sources" / "oruk"
NORTH_LINCS = SHARED_ORUK / "oruk-v1-services-north-lincolnshire-council-2024-12.json"
BRISTOL = SHARED_ORUK / "oruk-v1-services-bristol-council-2024-12.json"

FILLER = (
    "The council should keep the family informed at each stage and explain in plain words what "
    "happens next and who to contact with questions. "
)
PARA_9_14 = (
    "When it decides whether to carry out an assessment the council should look at evidence of the "
    "child's progress and the help already given. Parents should not be asked for a private report first."
)


def cop_layout_pdf(path: Path) -> Path:
    """A three-page PDF laid out like the Code of Practice: running header, footer with page
    numbers, a chapter heading, section headings, numbered paragraphs in the margin, bullets,
    and paragraph 9.13 running over a page break."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=11, leading=14, leftIndent=42, spaceAfter=8)
    bullet = ParagraphStyle("bullet", parent=body, leftIndent=64, bulletIndent=50, spaceAfter=2)
    chapter = ParagraphStyle("chapter", fontName="Helvetica-Bold", fontSize=20, leading=24, spaceAfter=14)
    section = ParagraphStyle("section", fontName="Helvetica-Bold", fontSize=13, leading=16, spaceBefore=6, spaceAfter=6)

    def furniture(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 9)
        canvas.drawString(56, A4[1] - 32, "SEND code of practice: 0 to 25 years (test layout)")
        canvas.drawRightString(A4[0] - 56, 28, str(doc.page))
        canvas.drawString(56, 28, "Published for testing only")
        canvas.restoreState()

    def para(number: str, text: str) -> Any:
        return Paragraph(text, body, bulletText=number)

    story = [
        Paragraph("9 Education, health and care needs assessments and plans", chapter),
        Paragraph("Asking for an assessment", section),
        para("9.11", "Anyone may bring a child to the council's attention. " + FILLER * 3),
        para("9.12", "The council must consider a request from a parent or a school. It should think about:"),
        Paragraph("the child's needs as the school describes them", bullet, bulletText="\u2022"),
        Paragraph("what the family says about how the child is doing at home", bullet, bulletText="\u2022"),
        para("9.13", "This paragraph is long enough to run over the page. " + FILLER * 22 + "It ends on the next page."),
        Paragraph("Deciding whether to assess", section),
        para("9.14", PARA_9_14),
        para("9.15", "The council must reply within the time limit. " + FILLER),
    ]
    doc = SimpleDocTemplate(str(path), pagesize=A4, topMargin=64, bottomMargin=56)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return path


def image_only_pdf(path: Path) -> Path:
    """A 'scanned' PDF: one page holding only a picture, no text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    png = path.with_suffix(".png")
    _tiny_png(png)
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(str(png)), 50, 400, width=400, height=300)
    c.showPage()
    c.save()
    return path


def _tiny_png(path: Path) -> None:
    import struct
    import zlib

    width = height = 8
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def oruk3_service(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"svc-{n}",
        "name": f"Test service {n}",
        "description": f"<p>Service number {n} helps families&nbsp;with children who have additional needs.</p>",
        "url": f"https://directory.example/services/{n}",
        "email": f"service{n}@directory.example",
        "status": "active",
        "assured_date": "2024-11-02",
        "assurer_email": f"checker{n}@council.example",
        **extra,
    }


def oruk3_pages(services: list[dict[str, Any]], size: int) -> list[dict[str, Any]]:
    pages = [services[i : i + size] for i in range(0, len(services), size)]
    return [
        {
            "total_items": len(services),
            "total_pages": len(pages),
            "page_number": number,
            "size": len(page),
            "first_page": number == 1,
            "last_page": number == len(pages),
            "empty": False,
            "contents": page,
        }
        for number, page in enumerate(pages, start=1)
    ]


Handler = Callable[[str, dict[str, str]], tuple[int, str, bytes]]


@contextlib.contextmanager
def local_server(handler: Handler) -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 answering with `handler(path, query)`; yields (base URL, paths requested)."""
    from urllib.parse import parse_qsl, urlsplit

    requested: list[str] = []

    class _Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            requested.append(self.path)
            status, kind, body = handler(parts.path, dict(parse_qsl(parts.query)))
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first (the timeout test does that on purpose)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requested
    finally:
        server.shutdown()
        server.server_close()


def as_json(data: Any) -> tuple[int, str, bytes]:
    return 200, "application/json", json.dumps(data).encode()
