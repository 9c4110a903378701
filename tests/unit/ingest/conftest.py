"""Shared helpers for the ingest tests: paths to the bundled corpus and a small PDF builder
(fpdf2 with a Unicode TrueType font, so Dutch diacritics and ligatures survive)."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
MAGAZINE = CORPUS / "zo-doen-we-dat-leefbare-vitale-buurten.txt"
DEV_SET = Path(__file__).resolve().parents[3] / "evals" / "dev.jsonl"


def unicode_font() -> Path:
    candidates = [
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    ]
    try:
        import matplotlib

        candidates.append(Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf")
    except ImportError:
        pass
    for path in candidates:
        if path.is_file():
            return path
    pytest.skip("geen Unicode-TTF-lettertype (DejaVuSans) gevonden")


def make_pdf(path: Path, pages: list[list[str]], header: str | None = None, footer: bool = True,
             title: str | None = None, author: str | None = None) -> Path:
    """Write a PDF with one list of lines per page; a running header on every page and a
    page-number footer ("3") when asked. Each given line is one line in the PDF."""
    from fpdf import FPDF

    font = unicode_font()

    class Doc(FPDF):
        def header(self):
            if header:
                self.set_font("dv", size=9)
                self.cell(0, 8, header, new_x="LMARGIN", new_y="NEXT")
                self.ln(2)

        def footer(self):
            if footer:
                self.set_y(-15)
                self.set_font("dv", size=9)
                self.cell(0, 8, str(self.page_no()), align="C")

    pdf = Doc()
    pdf.add_font("dv", "", str(font))
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    for lines in pages:
        pdf.add_page()
        pdf.set_font("dv", size=11)
        for line in lines:
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


@pytest.fixture(scope="session")
def corpus_root() -> Path:
    return CORPUS
