"""Loaders: PDF (generated here with fpdf2), DOCX, TXT, Markdown and the failure cases."""

from __future__ import annotations

import pytest

from ingest.loaders import (
    SUPPORTED_SUFFIXES,
    CorruptFileError,
    EmptyFileError,
    EncryptedPdfError,
    IngestError,
    NoTextLayerError,
    UnsupportedFileError,
    load_file,
)
from ingest.manifest import Manifest
from ingest.pipeline import prepare_document

from .conftest import make_pdf, unicode_font

HEADER = "Wijkwijs testrapport | Zorg in de wijk"

PAGE_1 = [
    "1 Inleiding",
    "De coördinator van het wijkteam beëindigt het naïeve overleg over de ﬁnanciële",
    "situatie van de buurt. Bewoners en professionals werken in de dagelijkse prak-",
    "tijk samen aan een leefbare wijk in Noord-",
    "Holland, waar de gemeente en de corporatie al jaren afspraken maken over de",
    "woningen, de zorg en de ontmoeting in het buurthuis van de wijk.",
]
# Filler sentences make each page long enough for chunks to end on different pages.
FILLER = [
    "In de {n}e straat van de wijk kennen de buren elkaar en helpen zij elkaar met boodschappen.",
    "De huisarts en de wijkverpleging overleggen elke maand over kwetsbare ouderen in straat {n}.",
    "Het buurthuis organiseert op dag {n} een maaltijd waar ook nieuwe bewoners welkom zijn.",
]
PAGE_1 += [FILLER[i % 3].format(n=i) for i in range(1, 16)]
PAGE_2 = [
    "De wijkverpleegkundige kent de bewoners goed en signaleert problemen op tijd. Zij",
    "bespreekt haar zorgen in het overleg met het sociaal team, zodat de juiste hulp op",
    "gang komt. Dit is de tweede pagina met de zin over de pinguïnvijver in het park.",
] + [FILLER[i % 3].format(n=i) for i in range(20, 36)]
PAGE_3 = [
    "2 Conclusies",
    "Het experiment is geslaagd: de samenwerking tussen wonen, zorg en welzijn is",
    "verbeterd en de bewoners voelen zich meer betrokken bij hun eigen buurt. De",
    "gemeente wil de aanpak daarom uitbreiden naar drie andere wijken in de stad.",
] + [FILLER[i % 3].format(n=i) for i in range(40, 50)]


@pytest.fixture()
def sample_pdf(tmp_path):
    return make_pdf(tmp_path / "rapport.pdf", [PAGE_1, PAGE_2, PAGE_3], header=HEADER,
                    title="Testrapport wijkzorg", author="Gemeente Voorbeeldstad")


def test_supported_suffixes():
    assert {".pdf", ".txt", ".md", ".docx"} <= set(SUPPORTED_SUFFIXES)


def test_pdf_pages_and_metadata(sample_pdf):
    loaded = load_file(sample_pdf)
    assert [p.number for p in loaded.pages] == [1, 2, 3]
    assert loaded.title == "Testrapport wijkzorg"
    assert loaded.author == "Gemeente Voorbeeldstad"
    assert loaded.year is not None and loaded.year.isdigit()
    assert "pinguïnvijver" in loaded.pages[1].text  # diacritics survive extraction
    assert HEADER in loaded.pages[0].text  # the loader does not clean


def test_pdf_cleaned_into_chunks(sample_pdf, tmp_path):
    doc, chunks = prepare_document(sample_pdf, tmp_path, None)
    text = "\n".join(c.text for c in chunks)
    assert doc.doc_id == "rapport.pdf"
    assert doc.pages == 3
    assert doc.title == "Testrapport wijkzorg"
    assert any("Wijkwijs testrapport" in h for h in doc.running_headers)
    # header and page numbers gone, hyphenation joined, ligature and diacritics normalised
    assert "Wijkwijs testrapport" not in text
    assert "praktijk" in text and "prak-" not in text
    assert "Noord-Holland" in text
    assert "financiële" in text and "ﬁ" not in text
    assert "coördinator" in text and "beëindigt" in text and "naïeve" in text
    for c in chunks:
        assert 1 <= c.page_start <= c.page_end <= 3
        assert not any(line.strip().isdigit() for line in c.text.splitlines())
    # the sentence from page 2 sits in a chunk whose page range covers page 2
    hit = [c for c in chunks if "pinguïnvijver" in c.text]
    assert hit and all(c.page_start <= 2 <= c.page_end for c in hit)
    first = [c for c in chunks if "coördinator" in c.text]
    assert first[0].page_start == 1
    last = [c for c in chunks if "drie andere wijken" in c.text]
    assert last[-1].page_end == 3
    assert len(chunks) >= 3 and chunks[-1].page_start >= 2  # chunks follow the pages
    assert [c.chunk_index for c in chunks] == list(range(len(chunks)))
    conclusion = [c for c in chunks if "2 Conclusies" in c.text]
    assert conclusion and conclusion[0].section == "2 Conclusies"
    assert [c.section for c in chunks if "coördinator" in c.text] == ["1 Inleiding"]


def test_docx_paragraphs_headings_and_tables(tmp_path):
    import docx

    d = docx.Document()
    d.core_properties.title = "Wijkplan Oost"
    d.core_properties.author = "Stadsdeel Oost"
    d.add_heading("Aanleiding", level=1)
    d.add_paragraph("In de wijk wonen steeds meer ouderen die zelfstandig willen blijven wonen.")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Partner"
    table.cell(0, 1).text = "Rol"
    table.cell(1, 0).text = "Woningcorporatie"
    table.cell(1, 1).text = "Aanpassen van woningen"
    d.add_heading("Aanpak", level=2)
    d.add_paragraph("De partners maken samen een plan met café-ontmoetingen.")
    path = tmp_path / "wijkplan.docx"
    d.save(path)

    loaded = load_file(path)
    assert loaded.title == "Wijkplan Oost"
    assert loaded.author == "Stadsdeel Oost"
    assert [p.number for p in loaded.pages] == [None]
    lines = loaded.pages[0].text.splitlines()
    assert "Aanleiding" in lines and "Aanpak" in lines  # headings on their own line
    assert "Woningcorporatie | Aanpassen van woningen" in lines  # table cells kept

    doc, chunks = prepare_document(path, tmp_path, None)
    assert doc.pages is None
    assert all(c.page_start is None and c.page_end is None for c in chunks)
    assert "Woningcorporatie" in " ".join(c.text for c in chunks)


def test_txt_cp1252_fallback(tmp_path):
    path = tmp_path / "notitie.txt"
    path.write_bytes("Café-overleg over de coördinatie – kosten €5.\n".encode("cp1252"))
    loaded = load_file(path)
    assert loaded.pages[0].number is None
    assert "Café-overleg over de coördinatie – kosten €5." in loaded.pages[0].text


def test_txt_utf8(tmp_path):
    path = tmp_path / "notitie.txt"
    path.write_text("Één coördinator voor de hele wijk.\n", encoding="utf-8")
    assert "Één coördinator" in load_file(path).pages[0].text


def test_markdown(tmp_path):
    path = tmp_path / "notitie.md"
    path.write_text(
        "# Buurtaanpak Noord\n\nDe aanpak is **samen** gemaakt met [bewoners](https://example.org).\n\n"
        "## Resultaten\n\n- meer ontmoeting\n- minder overlast\n",
        encoding="utf-8",
    )
    loaded = load_file(path)
    assert loaded.title == "Buurtaanpak Noord"
    text = loaded.pages[0].text
    assert "De aanpak is samen gemaakt met bewoners." in text
    assert "**" not in text and "https://" not in text and "#" not in text
    doc, chunks = prepare_document(path, tmp_path, Manifest())
    assert doc.title == "Buurtaanpak Noord"


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "foto.jpg"
    path.write_bytes(b"\xff\xd8\xff")
    with pytest.raises(UnsupportedFileError) as err:
        load_file(path)
    assert isinstance(err.value, IngestError) and isinstance(err.value, ValueError)
    message = str(err.value)
    assert "foto.jpg" in message and "niet ondersteund" in message and ".pdf" in message


def test_empty_file(tmp_path):
    path = tmp_path / "leeg.txt"
    path.write_bytes(b"")
    with pytest.raises(EmptyFileError, match="leeg.txt.*leeg"):
        load_file(path)
    blank = tmp_path / "spaties.md"
    blank.write_text("   \n\n  ", encoding="utf-8")
    with pytest.raises(EmptyFileError, match="geen tekst"):
        load_file(blank)


def test_encrypted_pdf(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Vertrouwelijke notitie over de wijk")
    pdf.set_encryption(owner_password="eigenaar", user_password="geheim")
    path = tmp_path / "beveiligd.pdf"
    pdf.output(str(path))
    with pytest.raises(EncryptedPdfError, match="beveiligd.pdf.*wachtwoord"):
        load_file(path)


def test_corrupt_pdf(tmp_path):
    path = tmp_path / "kapot.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nrommel zonder einde")
    with pytest.raises(CorruptFileError, match="kapot.pdf.*beschadigd"):
        load_file(path)
    fake = tmp_path / "geen-pdf.pdf"
    fake.write_text("Dit is gewoon tekst met een verkeerde extensie.", encoding="utf-8")
    with pytest.raises(CorruptFileError, match="geen geldig PDF"):
        load_file(fake)


def test_corrupt_docx(tmp_path):
    import zipfile

    truncated = tmp_path / "afgebroken.docx"
    truncated.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(CorruptFileError, match="afgebroken.docx.*beschadigd"):
        load_file(truncated)
    other_zip = tmp_path / "geen-word.docx"  # a valid zip, but no Word package inside
    with zipfile.ZipFile(other_zip, "w") as zf:
        zf.writestr("notities.txt", "Dit is geen Word-document.")
    with pytest.raises(CorruptFileError, match="geen-word.docx.*geen echt .docx"):
        load_file(other_zip)


def test_pdf_without_text_layer(tmp_path):
    from fpdf import FPDF
    from PIL import Image

    image = tmp_path / "scan.png"
    Image.new("RGB", (400, 300), (240, 240, 240)).save(image)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(image), x=10, y=10, w=180)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(NoTextLayerError, match="scan.pdf.*OCR"):
        load_file(path)


def test_font_helper_finds_unicode_font():
    assert unicode_font().suffix == ".ttf"


def test_a_docx_that_unpacks_to_far_more_than_its_size_is_refused_before_parsing(tmp_path):
    import zipfile

    bomb = tmp_path / "bom.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + " " * (20 * 1024 * 1024) + "</w:document>")
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(CorruptFileError, match="bom.docx: het Word-bestand pakt uit tot 20 MB"):
        load_file(bomb)


def test_a_damaged_docx_message_names_the_file_not_the_server_path(tmp_path):
    odd = tmp_path / "map" / "kapot.docx"
    odd.parent.mkdir()
    odd.write_bytes(b"PK\x03\x04 afgebroken")  # python-docx: "Package not found at '<path>'"
    with pytest.raises(CorruptFileError) as caught:
        load_file(odd)
    assert "kapot.docx" in str(caught.value) and str(tmp_path) not in str(caught.value)
