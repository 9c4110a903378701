"""Structure from the format (Word styles, PDF font sizes), the cover kept out of the passages,
metadata read from the document itself, and cases from per-place portraits."""

from __future__ import annotations

import re

import pytest

from ingest.layout import Run, docx_front_matter, docx_heading_level, pdf_layout
from ingest.metadata import (
    gazetteer, infer_places, infer_publisher, infer_type, infer_year, language,
)
from ingest.pipeline import prepare_document
from ingest.portraits import find_portraits, portrait_place
from ingest.structure import Block

from .conftest import CORPUS, unicode_font

BODY = ("De wijkverpleging en het welzijnswerk overleggen elke maand over kwetsbare ouderen in de wijk. "
        "Bewoners helpen elkaar met boodschappen en ontmoeten elkaar in het buurthuis van de wijk.")


def _word_report(path, author="jdv"):
    import docx

    d = docx.Document()
    d.core_properties.author = author  # initials in the file properties: never the publisher
    d.add_paragraph("Samen oud in de Bloemenwijk", style="Title")
    d.add_paragraph("Jaarverslag 2022 van het wijknetwerk in Apeldoorn", style="Subtitle")
    d.add_paragraph("Stichting Welzijn Veluwe Oost")
    d.add_paragraph("Maart 2023")
    d.add_paragraph("Auteurs: Anna de Boer en Kees Jansen")
    d.add_heading("Inleiding", level=1)
    for _ in range(4):
        d.add_paragraph(BODY + " In Apeldoorn werken we sinds 2019 samen.")
    d.add_heading("Wat ging goed", level=1)
    d.add_heading("Ontmoeting", level=2)
    d.add_paragraph("Het buurthuis in de Bloemenwijk trok 40 bezoekers per week.", style="List Bullet")
    for n in range(8):
        d.add_paragraph(f"De eettafel in de Bloemenwijk groeide in maand {n} met nieuwe gasten uit de buurt.",
                        style="List Bullet")
    d.add_heading("Wat kan beter", level=1)
    for _ in range(4):
        d.add_paragraph(BODY + " In Apeldoorn is de wachtlijst nog lang.")
    d.save(path)
    return path


def test_word_styles_are_the_structure_and_the_cover_is_no_passage(tmp_path):
    doc, chunks = prepare_document(_word_report(tmp_path / "verslag.docx"), tmp_path, None)
    sections = [c.section for c in chunks]
    assert any(s == "Inleiding" for s in sections)
    assert any(s and s.startswith("Wat ging goed") for s in sections)
    assert not any(s and s.startswith("Inleiding ›") for s in sections)  # chapters are chapters
    text = "\n".join(c.text for c in chunks)
    assert "Stichting Welzijn Veluwe Oost" not in text and "Maart 2023" not in text
    assert doc.front_matter[:2] == ["Samen oud in de Bloemenwijk", "Jaarverslag 2022 van het wijknetwerk in Apeldoorn"]
    assert doc.title == "Samen oud in de Bloemenwijk"
    assert doc.year == "2023"  # the cover's date, not the file's creation date
    assert doc.publisher == "Stichting Welzijn Veluwe Oost"  # not "jdv", not the authors
    assert doc.doc_type == "jaarplan"
    assert doc.places[:2] == ["Apeldoorn", "Bloemenwijk"] or set(doc.places[:2]) == {"Apeldoorn", "Bloemenwijk"}


def test_docx_heading_levels_and_front_matter():
    assert docx_heading_level("Heading 2") == 2 and docx_heading_level("Kop 1") == 1
    assert docx_heading_level("Heading 6") == 3 and docx_heading_level("List Bullet") == 0
    paragraphs = [("Title", "Titel"), ("Normal", "Uitgever"), ("Heading 1", "Inleiding"), ("Normal", BODY)]
    assert docx_front_matter(paragraphs) == ["Titel", "Uitgever"]
    # no heading at all: nothing is a cover
    assert docx_front_matter([("Normal", BODY), ("Normal", BODY)]) == []


def test_pdf_font_sizes_give_headings_and_the_cover():
    runs = [Run(1, 22, "Langer thuis"), Run(1, 13, "Een quickscan naar wonen"), Run(1, 10, "Kenniscentrum Wonen"),
            Run(1, 10, "Mei 2022"), Run(1, 14, "In het kort"), Run(1, 10, BODY), Run(2, 14, "Aanpak"),
            Run(2, 11.5, "Deelnemers"), Run(2, 10, BODY * 3)]
    headings, front = pdf_layout(runs)
    assert headings == {"In het kort": 1, "Aanpak": 1, "Deelnemers": 2}
    assert front == ["Langer thuis", "Een quickscan naar wonen", "Kenniscentrum Wonen", "Mei 2022"]
    # one size throughout: nothing declared, the text cues decide
    assert pdf_layout([Run(1, 10, "Titel"), Run(1, 10, BODY)]) == ({}, [])


def test_a_pdf_with_a_cover_and_larger_headings(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("dv", "", str(unicode_font()))
    pages = [[(22, "Zorgzaam Zeewolde"), (10, "Platform Wonen en Zorg Flevoland"), (10, "Januari 2021"),
              (14, "Inleiding")] + [(10, BODY[:90])] * 8,
             [(14, "Wat werkt"), (11.5, "Samenwerking in Zeewolde")] + [(10, BODY[:90])] * 8]
    for lines in pages:
        pdf.add_page()
        for size, text in lines:
            pdf.set_font("dv", size=size)
            pdf.cell(0, size * 0.6, text, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "zeewolde.pdf"
    pdf.output(str(path))
    doc, chunks = prepare_document(path, tmp_path, None)
    assert doc.front_matter == ["Zorgzaam Zeewolde", "Platform Wonen en Zorg Flevoland", "Januari 2021"]
    assert doc.year == "2021" and doc.publisher == "Platform Wonen en Zorg Flevoland"
    assert {c.section for c in chunks} >= {"Inleiding", "Wat werkt › Samenwerking in Zeewolde"}
    assert not any("Januari 2021" in c.text for c in chunks)


def test_the_year_is_the_covers_else_what_the_text_is_about():
    assert infer_year(["Titel", "Den Haag, oktober 2019"], "", "", "2026") == "2019"
    assert infer_year(["Titel", "2018"], "", "", None) == "2018"
    text = "In 2012 begon het. " * 3 + "In 2013 volgde de evaluatie. " * 4 + "In 2040 is een derde 65-plusser. " * 2
    assert infer_year([], "", text, None) == "2013"  # not a year it looks ahead to
    assert infer_year([], "Colofon\nUtrecht, juni 2016", text, None) == "2016"
    assert infer_year([], "", "Geen jaartal hier.", "2020") == "2020"


def test_the_publisher_is_labelled_or_an_organisation_never_a_person():
    assert infer_publisher(["Titel"], "Uitgave Kenniscentrum Wonen en Zorg") == "Kenniscentrum Wonen en Zorg"
    assert infer_publisher(["Titel", "Een uitgave van Stichting Buurtkracht"], "") == "Stichting Buurtkracht"
    assert infer_publisher(["Titel", "Auteurs: Anna de Boer", "Welzijnsstichting Oost"], "") == "Welzijnsstichting Oost"
    assert infer_publisher(["Titel", "Samenstelling: Piet Bakker (coördinator)"], "") is None
    assert infer_publisher(["Stichting in de titel"], "") is None  # the title is no publisher


def test_the_type_is_what_the_title_names_first():
    assert infer_type(["Quick-scan bij drie gemeenten"], []) == "quickscan"
    assert infer_type(["Samen verder", "Jaarverslag 2023 en jaarplan 2024"], []) == "jaarplan"
    assert infer_type(["Samen verder"], ["Evaluatie van de aanpak", "Terugblik", "Bijlage"]) == "evaluatie"
    assert infer_type(["Samen verder"], ["Inleiding", "Aanpak"]) is None
    assert infer_type(["Een jaarverslag"], []) == "jaarplan" and infer_type(["Het verslag"], []) == "verslag"
    # no kind in title or headings: what the text calls itself ("in dit digitale magazine")
    assert infer_type(["Samen verder"], ["Inleiding"], "In dit digitale magazine staan twaalf voorbeelden. "
                      "Dit magazine is voor professionals.") == "praktijkvoorbeelden"


def test_places_are_named_more_than_once_and_not_ordinary_words():
    text = ("In Deventer en de Rivierenwijk werken we samen. Deventer kiest voor de wijk. De Rivierenwijk groeit. "
            "Buren helpen elkaar; de buren kennen elkaar. Eén keer noemen we Zwolle in een voetnoot. "
            "Een woonservicewijk is geen Woonservicewijk.")
    places = infer_places([], text)
    assert places[:2] == ["Deventer", "Rivierenwijk"]
    assert "Zwolle" not in places and "Buren" not in places and "Woonservicewijk" not in places
    assert infer_places(["Wonen in Zwolle"], text)[-1] == "Zwolle"  # named on the cover


def test_per_place_portraits_are_cases():
    def heading(text, level):
        return Block(text, "heading", level=level)

    blocks = [heading("Vier portretten", 1)]
    for name in ("Middelburg: een visie", "Goes – regionaal", "Vlissingen (sterke wijkteams)", "Terneuzen"):
        blocks += [heading(name, 2), Block(BODY, "para")]
    blocks += [heading("Wat werkt", 1), Block(BODY, "para")]
    assert find_portraits(blocks) == ["Middelburg: een visie", "Goes – regionaal", "Vlissingen (sterke wijkteams)",
                                      "Terneuzen"]
    assert blocks[2].case == "Middelburg: een visie" and blocks[-1].case is None
    assert portrait_place("Goesting en zo") is None  # a word that starts with a place is no place
    two = [heading("Twee portretten", 1), heading("Goes: x", 2), Block(BODY, "para"), heading("Tholen: y", 2)]
    assert find_portraits(two) == []


def test_the_gazetteer_and_the_language_data():
    places = gazetteer()
    assert places["Zeeland"] == "provincie" and places["Middelburg"] == "gemeente" and len(places) > 300
    data = language()
    for section in ("publisher", "document_types", "places"):
        examples = data[section].get("examples") or data[section].get("type_examples")
        assert len({e["doc"] for e in examples}) >= 2, section
        for e in examples:  # each example stands in the document it names
            assert e["text"] in (CORPUS / e["doc"]).read_text("utf-8"), e
    for kind, pattern in data["document_types"].items():
        if isinstance(pattern, str):
            re.compile(pattern)


@pytest.mark.parametrize("name", ["Samen oud in de Bloemenwijk"])
def test_a_word_file_without_cover_keeps_its_first_paragraphs(tmp_path, name):
    import docx

    d = docx.Document()
    d.add_paragraph(BODY)
    d.add_paragraph(BODY + " " + name)
    path = tmp_path / "kaal.docx"
    d.save(path)
    doc, chunks = prepare_document(path, tmp_path, None)
    assert doc.front_matter == [] and name in "\n".join(c.text for c in chunks)


def test_the_bundled_corpus_without_its_manifest():
    """What the manifest adds is also found in the documents: the magazine's cases from its rubric
    cycle, and a year, kind and places for the reports that state them."""
    found = {p.name: prepare_document(p, CORPUS, None) for p in sorted(CORPUS.glob("*.txt"))}
    magazine = next(chunks for name, (_, chunks) in found.items() if name.startswith("zo-doen"))
    assert len({c.case for c in magazine if c.case}) == 12
    docs = [doc for doc, _ in found.values()]
    assert sum(d.year is not None for d in docs) == len(docs)
    assert sum(d.doc_type is not None for d in docs) >= len(docs) - 1
    assert all(d.places for d in docs)
