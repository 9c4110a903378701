"""Passage search: paging over the hybrid ranking, filters, Dutch-aware highlights, exports."""

from __future__ import annotations

import pytest

from assistant.csv_cells import read_spreadsheet_csv
from assistant.search import (
    SearchError,
    SearchResult,
    highlight_spans,
    mark,
    reference,
    search,
    to_csv,
    to_markdown,
)
from kb.retriever import Filters


@pytest.fixture
def ingested(fake_components, tiny_corpus):
    for i in range(12):
        (tiny_corpus / f"buurt{i:02d}.md").write_text(
            f"# Buurt {i}\n\nIn buurt {i} openen bewoners een buurtkamer met koffie en soep.", "utf-8")
    fake_components.indexer.sync_folder(tiny_corpus)
    return fake_components


def words(text: str, spans) -> list[str]:
    return [text[a:b] for a, b in spans]


def test_highlights_follow_dutch_stems_and_compounds():
    text = "De Wijknetwerken en het wijknetwerk: een waakvlamfunctie, beschermt wonen. De zorg."
    spans = highlight_spans(text, "wijknetwerk waakvlam beschermd")
    assert words(text, spans) == ["Wijknetwerken", "wijknetwerk", "waakvlamfunctie", "beschermt"]


def test_highlights_skip_stop_words_and_short_compound_parts():
    text = "Hoe de zorgverzekeraar en de zorg het doen"
    # "hoe", "de", "het" are stop words; "zorg" (4 letters) only marks itself, not compounds
    assert words(text, highlight_spans(text, "hoe de zorg het")) == ["zorg"]
    assert highlight_spans(text, "de het") == []


def test_mark_wraps_spans_and_ignores_overlaps():
    assert mark("aa bb cc", [(3, 5), (0, 2)]) == "**aa** **bb** cc"
    assert mark("aa bb", [(0, 5), (3, 5)], "<m>", "</m>") == "<m>aa bb</m>"


def test_search_pages_through_the_ranking(ingested):
    first = search(ingested, "buurtkamer koffie soep", limit=5)
    second = search(ingested, "buurtkamer koffie soep", limit=5, offset=5)
    assert first.total == second.total == 14  # every passage of the tiny corpus is a candidate
    assert [r.rank for r in first.results] == [1, 2, 3, 4, 5]
    assert [r.rank for r in second.results] == [6, 7, 8, 9, 10]
    assert not {r.chunk_id for r in first.results} & {r.chunk_id for r in second.results}
    # the ranking is the retriever's, not our own
    ranked = ingested.retriever.retrieve("buurtkamer koffie soep", k=10)
    assert [r.chunk_id for r in first.results + second.results] == [h.chunk_id for h in ranked]
    assert first.results[0].doc.startswith("buurt")
    assert "buurtkamer" in words(first.results[0].text, first.results[0].highlights)


def test_search_past_the_end_is_an_empty_page(ingested):
    page = search(ingested, "buurtkamer", limit=10, offset=40)
    assert page.total == 14 and page.results == []


def test_filters_reach_the_retriever(ingested):
    page = search(ingested, "samenwerking casussen koffie", Filters(doc="wijknetwerk.md"))
    assert page.total == 1 and page.results[0].doc == "wijknetwerk.md"
    assert search(ingested, "koffie", Filters(doc="bestaat-niet.md")).total == 0


@pytest.mark.parametrize(("query", "limit", "offset"), [("", 10, 0), ("  ", 10, 0), ("koffie", 0, 0), ("koffie", 5, -1)])
def test_bad_requests_are_refused_in_dutch(ingested, query, limit, offset):
    with pytest.raises(SearchError):
        search(ingested, query, limit=limit, offset=offset)


SAMPLE_TEXT = "Meer dan veertig bewoners, met een waakvlam.\nTweede regel."
WAAKVLAM_AT = SAMPLE_TEXT.index("waakvlam")


def sample(**extra) -> SearchResult:
    values = dict(rank=1, chunk_id="rapport.pdf@abc#3", doc="rapport.pdf", title="Rapport wijkzorg",
                  case="Hoorn: samen", section="Wat is bereikt?", kind="resultaat", page_start=4, page_end=5,
                  text=SAMPLE_TEXT, score=1.5, highlights=[(WAAKVLAM_AT, WAAKVLAM_AT + 8)], publisher="Platform31", year="2021", doc_type="magazine")
    return SearchResult(**{**values, **extra})


def test_reference_holds_every_part_of_the_source():
    assert reference(sample()) == (
        "Rapport wijkzorg, Platform31, 2021, Hoorn: samen, Wat is bereikt?, p. 4–5, "
        "document rapport.pdf, passage rapport.pdf@abc#3"
    )
    assert reference(sample(page_start=None, page_end=None, case=None, publisher=None)) == (
        "Rapport wijkzorg, 2021, Wat is bereikt?, document rapport.pdf, passage rapport.pdf@abc#3"
    )


def test_markdown_export_quotes_marks_and_cites():
    md = to_markdown([sample(), sample(rank=2, kind=None, highlights=[])], "waakvlam")
    assert md.startswith("# Zoekresultaten: waakvlam\n")
    assert "## 1. Rapport wijkzorg — Hoorn: samen — Wat is bereikt?" in md
    assert "> Meer dan veertig bewoners, met een **waakvlam**.\n> Tweede regel." in md
    assert "*Soort passage: resultaat*" in md
    assert md.count("Bron: Rapport wijkzorg, Platform31, 2021") == 2


def test_csv_export_has_one_row_per_passage_with_the_full_text():
    rows = read_spreadsheet_csv(to_csv([sample(), sample(rank=2, page_start=None, page_end=None)]))
    assert len(rows) == 2
    assert rows[0]["tekst"] == "Meer dan veertig bewoners, met een waakvlam.\nTweede regel."
    assert rows[0]["pagina_van"] == "4" and rows[1]["pagina_van"] == ""
    assert rows[0]["uitgever"] == "Platform31" and rows[0]["soort"] == "resultaat"
    assert rows[0]["bron"] == reference(sample())
