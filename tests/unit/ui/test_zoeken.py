"""Zoeken: search with a filter, highlights, selection and export with full source references."""

from __future__ import annotations

import pytest

from assistant.csv_cells import read_spreadsheet_csv


def search(at, query: str, **filters):
    at.text_input[0].set_value(query)
    for label, values in filters.items():
        next(m for m in at.multiselect if m.label == label).set_value(values)
    next(b for b in at.button if b.label == "Zoeken").click().run()
    assert not at.exception, at.exception
    return at


def result_blocks(at) -> list[str]:
    return [md.value for md in at.markdown if md.value.startswith('<div class="wijkwijs-passage">')]


def test_search_marks_the_query_words(app):
    at = search(app.start("zoeken"), "waakvlam begeleiding")
    assert at.title[0].value == "Zoeken"
    assert any("passages gevonden" in md.value for md in at.markdown)
    first = result_blocks(at)[0]
    assert "<mark>waakvlamfunctie</mark>" in first and "<mark>begeleiding</mark>" in first


def test_document_filter_limits_results_and_selection_exports_markdown_and_csv(app, downloads):
    at = search(app.start("zoeken"), "samenwerking casussen", Document=["wijknetwerk.md"])
    assert any(c.value.startswith("Document: wijknetwerk.md") for c in at.caption)
    assert not any(c.value.startswith("Document: waakvlam.txt") for c in at.caption)
    assert not at.download_button  # nothing selected yet
    next(b for b in at.button if b.label == "Alles op deze pagina selecteren").click().run()
    assert {d.label for d in at.download_button} == {"Exporteer als Markdown", "Exporteer als CSV"}

    markdown = downloads["wijkwijs-selectie.md"].decode("utf-8")
    assert "## 1. Wijknetwerken in Oost" in markdown
    assert "**samenwerking**" in markdown and "**casussen**" in markdown
    assert "Bron: Wijknetwerken in Oost, document wijknetwerk.md, passage wijknetwerk.md@" in markdown
    assert "waakvlam" not in markdown

    rows = read_spreadsheet_csv(downloads["wijkwijs-selectie.csv"].decode("utf-8"))
    assert [r["document"] for r in rows] == ["wijknetwerk.md"]
    assert "Broodje Casus" in rows[0]["tekst"] and rows[0]["bron"].startswith("Wijknetwerken in Oost")


def test_selection_survives_a_new_search_and_can_be_cleared(app):
    at = search(app.start("zoeken"), "waakvlam")
    at.checkbox(key=next(c.key for c in at.checkbox)).check().run()
    search(at, "wijktafel", Document=["wijknetwerk.md"])
    at.checkbox[0].check().run()
    assert any(s.value == "Selectie (2)" for s in at.subheader)
    next(b for b in at.button if b.label == "Selectie wissen").click().run()
    assert any(s.value == "Selectie (0)" for s in at.subheader)
    assert not at.download_button


def test_paging_moves_through_the_results(app, tiny_corpus):
    # enough passages for two pages: twelve small documents
    for i in range(12):
        (tiny_corpus / f"buurt{i}.md").write_text(
            f"# Buurt {i}\n\nIn buurt {i} organiseren bewoners samen een buurtkamer met koffie.", "utf-8")
    app.components.indexer.sync_folder(tiny_corpus)
    at = search(app.start("zoeken"), "buurtkamer koffie")
    assert at.get("pagination"), "a pager is shown"
    first_page = [c.value for c in at.caption if c.value.startswith("Document:")]
    assert len(first_page) == 10
    at.get("pagination")[0].set_value(2).run()
    second_page = [c.value for c in at.caption if c.value.startswith("Document:")]
    assert second_page and not set(second_page) & set(first_page)
    assert any(md.value.startswith("**11.**") for md in at.markdown)


def test_empty_query_gets_a_dutch_hint(app):
    at = search(app.start("zoeken"), "   ")
    assert any("Vul een zoekterm in" in w.value for w in at.warning)


def test_passage_kind_filter(app):
    chunks = app.components.store.current_chunks()
    kinds = sorted({c.metadata["kind"] for c in chunks if c.metadata.get("kind")})
    if not kinds:
        pytest.skip("ingest assigns no passage kinds to the tiny corpus")
    wanted = kinds[0]
    docs = {c.doc_id for c in chunks if c.metadata.get("kind") == wanted}
    at = app.start("zoeken")
    kind_box = next(m for m in at.multiselect if m.label == "Soort passage")
    assert not kind_box.disabled and kind_box.options == kinds
    search(at, "wonen zorg wijk", **{"Soort passage": [wanted]})
    shown = {c.value.split(" · ")[0].removeprefix("Document: ") for c in at.caption if c.value.startswith("Document:")}
    assert shown == docs
    assert any(f"*{wanted}*" in md.value for md in at.markdown)
