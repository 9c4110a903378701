"""Lessen & praktijkvoorbeelden: cards with their sources, the lessons table with its filters,
the exports, and a catalogue that is built once per index state.

Most tests run on the real bundled corpus (fake embedder, real Chroma), ingested once for the
module: the tiny test corpus has no practice cases and hardly any lessons.
"""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path

import pytest
import streamlit as st

from assistant.csv_cells import read_spreadsheet_csv
from assistant import catalogue
from assistant.components import Components
from assistant.settings import Settings
from tests.fakes import HashEmbedder
from tests.unit.ui.conftest import start_app
from ui import resources

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
MAGAZINE = "Samenwerken aan leefbare en vitale buurten. ‘Zo doen we dat!’"


@pytest.fixture(scope="module")
def corpus_components(tmp_path_factory) -> Components:
    settings = Settings(data_dir=tmp_path_factory.mktemp("lessen-data"), corpus_dir=CORPUS,
                        embedding={"model": "fake-hash-64"})
    components = Components(settings, embedder=HashEmbedder(), untrained=True)
    report = components.indexer.sync_folder(CORPUS)
    assert not report.failed and len(report.added) == 5
    return components


@pytest.fixture
def page(corpus_components, monkeypatch):
    """The page on the real corpus: a function that starts it (optionally on the lessons tab)."""
    monkeypatch.setattr(resources, "build_components", lambda settings: corpus_components)
    st.cache_resource.clear()
    st.cache_data.clear()

    def start(tab: str | None = None):
        at = start_app("lessen")
        if tab:
            at.session_state["lessen-deel"] = tab
            at.run()
            assert not at.exception, at.exception
        return at

    yield start
    st.cache_resource.clear()
    st.cache_data.clear()


def choose(at, label: str, values):
    next(m for m in at.multiselect if m.label == label).set_value(values).run()
    assert not at.exception, at.exception
    return at


def card_labels(at) -> list[str]:
    return [e.label for e in at.expander if e.label.startswith("**")]


def lesson_rows(at) -> list[dict]:
    return [row for df in at.dataframe for row in df.value.to_dict("records")]


# --- practice cases --------------------------------------------------------------------------


def test_a_card_for_every_case_grouped_by_document(page, corpus_components):
    at = page()
    assert at.title[0].value == "Lessen & praktijkvoorbeelden"
    cards = catalogue.cases(corpus_components)
    assert len(card_labels(at)) == len(cards) == 19
    assert any(m.value == "**19** van 19 praktijkvoorbeelden. Open een kaart voor plaatsen, partners, aanpak, "
               "resultaten, knelpunten en links, elk met zijn bron." for m in at.markdown)
    assert f"##### {MAGAZINE}" in [m.value for m in at.markdown]
    assert "**Hoorn: gezamenlijke aanpak** · Hoorn, Noord-Holland" in card_labels(at)
    assert "**Partners**" not in [m.value for m in at.markdown]  # closed cards render nothing inside


def test_an_open_card_shows_its_fields_with_quoted_sources(page):
    at = page()
    at.session_state["kaart-hoorn-gezamenlijke-aanpak"] = True  # what clicking the expander does
    at.run()
    texts = [m.value for m in at.markdown]
    for field in ("**Plaatsen**", "**Partners**", "**Aanpak**", "**Resultaten**", "**Knelpunten**", "**Meer weten**"):
        assert field in texts
    assert "*Preventief en persoonlijk*" in texts  # the tagline
    partners = next(t for t in texts if "huurdersorganisatie De Boog" in t and t.startswith("- "))
    assert "woningcorporatie Intermaris <sup>3</sup>" in partners
    # the source of "huurdersorganisatie De Boog": its section, and the sentence with the name in bold
    assert "**2. Waar werd het moeilijk, wat waren de beren op de weg?**" in texts
    assert any("Het doel van de <strong>huurdersorganisatie De Boog</strong> is om samen" in t for t in texts)
    assert not any(c.value.startswith("Passage ") for c in at.caption)  # ids only with the details toggle
    at.sidebar.toggle(key="details_voor_beheer").set_value(True).run()
    assert any(c.value.startswith("Passage zo-doen-we-dat-leefbare-vitale-buurten.txt@") for c in at.caption)


def test_cards_filter_by_place_document_and_text(page):
    at = choose(page(), "Plaats", ["Nijmegen"])
    assert card_labels(at) == ["**Methode Moderne Devoten (Nijmegen)** · Nijmegen"]

    at = choose(page(), "Document", ["evaluatie-woonservicewijken-zuidoost.txt"])
    names = [label.split("**")[1] for label in card_labels(at)]
    assert names == ["Woonservicewijk Holendrecht", "Woonservicewijk Kplus"]

    at = page()
    at.text_input[0].set_value("intermaris").run()  # a partner only the Hoorn card names
    assert card_labels(at) == ["**Hoorn: gezamenlijke aanpak** · Hoorn, Noord-Holland"]


def test_cards_export_to_markdown_with_sources(page, downloads):
    at = choose(page(), "Plaats", ["Nijmegen"])
    assert [d.label for d in at.download_button] == ["Exporteer als Markdown"]
    markdown = downloads["wijkwijs-praktijkvoorbeelden.md"].decode("utf-8")
    assert "## Methode Moderne Devoten (Nijmegen)" in markdown and "## Hoorn" not in markdown
    assert "**Knelpunten**" in markdown and "spraakverwarring" in markdown
    assert f"1. {MAGAZINE}, Platform31 (colofon/uitgever)" in markdown  # full reference, publisher included


# --- lessons -----------------------------------------------------------------------------------


def test_lessons_table_grouped_by_theme_with_count(page, corpus_components):
    at = page("Lessen")
    every = catalogue.lessons(corpus_components)
    # (counts follow the kind rules, so they are the catalogue's; a floor says the corpus is read)
    count = Counter(lesson.kind for lesson in every)
    assert len(lesson_rows(at)) == len(every) >= 100 and count["les"] >= 20
    header = (f"**{len(every)}** lessen en punten in **{len({lesson.theme for lesson in every})}** thema's"
              f" · les {count['les']} · aanbeveling {count['aanbeveling']}")
    assert any(m.value.startswith(header) for m in at.markdown)
    themes = [e.label for e in at.expander]
    assert "**Majella Wonen, Utrecht** (5)" in themes and "**Aanbevelingen** (4)" in themes
    kinds = next(m for m in at.multiselect if m.label == "Soort")
    assert kinds.value == ["les", "aanbeveling", "pluspunt", "minpunt", "knelpunt", "resultaat"]


def test_kind_filter_changes_the_rows(page, corpus_components):
    at = choose(page("Lessen"), "Soort", ["knelpunt"])
    rows = lesson_rows(at)
    obstacles = len(catalogue.lessons(corpus_components, kind="knelpunt"))
    assert len(rows) == obstacles >= 20
    assert {r["Soort"] for r in rows} == {"Knelpunt"}
    assert any(m.value.startswith(f"**{obstacles}** lessen en punten") and m.value.endswith(f"· knelpunt {obstacles}")
               for m in at.markdown)

    choose(at, "Soort", ["knelpunt", "minpunt"])
    both = obstacles + len(catalogue.lessons(corpus_components, kind="minpunt"))
    assert {r["Soort"] for r in lesson_rows(at)} == {"Knelpunt", "Minpunt"} and len(lesson_rows(at)) == both


def test_place_and_text_filters_narrow_the_lessons(page):
    at = choose(page("Lessen"), "Plaats", ["Utrecht"])
    rows = lesson_rows(at)
    assert rows and all("Utrecht" in r["Plaatsen"] for r in rows)
    at.text_input[0].set_value("buren").run()
    narrowed = lesson_rows(at)
    assert 0 < len(narrowed) < len(rows)

    at.text_input[0].set_value("geenwoorddatbestaat").run()
    assert not at.dataframe and not at.download_button
    assert any("Geen lessen met deze filters" in i.value for i in at.info)


def test_lessons_export_markdown_and_csv_with_full_source_references(page, downloads, corpus_components):
    at = choose(page("Lessen"), "Soort", ["knelpunt"])
    choose(at, "Plaats", ["Nijmegen"])
    shown = lesson_rows(at)
    assert {d.label for d in at.download_button} == {"Exporteer als Markdown", "Exporteer als CSV"}
    wanted = catalogue.lessons(corpus_components, kind="knelpunt", place="Nijmegen")
    assert len(shown) == len(wanted) > 0
    first = wanted[0]

    markdown = downloads["wijkwijs-lessen.md"].decode("utf-8")
    assert f"{len(wanted)} lessen en punten" in markdown or f"{len(wanted)} les of punt" in markdown
    assert "Selectie: soort: knelpunt; plaats: Nijmegen" in markdown
    assert f"## {first.theme}" in markdown
    assert f"### 1. Knelpunt: {first.summary}" in markdown
    assert first.text.splitlines()[-1] in markdown  # the whole passage, quoted
    assert (f"Bron: {MAGAZINE}, Platform31 (colofon/uitgever)" in markdown
            and f"{first.section}" in markdown and f"passage {first.chunk_id}" in markdown)
    assert "Resultaat:" not in markdown  # only the chosen kind

    rows = read_spreadsheet_csv(downloads["wijkwijs-lessen.csv"].decode("utf-8"))
    assert len(rows) == len(wanted)
    row = rows[0]
    assert (row["soort"], row["les"], row["tekst"]) == ("knelpunt", first.summary, first.text)
    assert row["titel"] == MAGAZINE and row["uitgever"].startswith("Platform31")
    assert row["jaar"] == "niet expliciet; waarschijnlijk eind 2021"
    assert row["sectie"] == first.section and row["passage"] == first.chunk_id
    assert row["bron"].startswith(f"{MAGAZINE}, Platform31") and "Nijmegen" in row["plaatsen"]


def test_a_chosen_row_shows_its_whole_passage(page, corpus_components):
    at = choose(page("Lessen"), "Plaats", ["Nijmegen"])
    table = at.dataframe[0]
    first = table.value.to_dict("records")[0]
    at.session_state[table.key] = {"selection": {"rows": [0], "columns": []}}  # a click on row 1
    at.run()
    passage = next(m.value for m in at.markdown if m.value.startswith('<div class="wijkwijs-passage">'))
    assert f"<strong>{html.escape(first['Les / punt'])}</strong>" in passage  # the summary, bold in its passage
    lesson = next(r for r in catalogue.lessons(corpus_components, place="Nijmegen") if r.summary == first["Les / punt"])
    assert any(c.value == f"Document {lesson.doc}" for c in at.caption)  # no internal ids for professionals
    at.sidebar.toggle(key="details_voor_beheer").set_value(True).run()
    assert any(c.value == f"Document {lesson.doc} · passage {lesson.chunk_id}" for c in at.caption)


# --- the tiny corpus: once per index state, and an empty knowledge base -------------------------------


def test_catalogue_is_built_once_per_index_state(app, tiny_corpus, monkeypatch):
    builds = []
    build = catalogue._build
    monkeypatch.setattr(catalogue, "_build", lambda store: builds.append(1) or build(store))
    catalogue._CACHE.clear()
    at = app.start("lessen")
    assert card_labels(at) == ["**Uitstroom uit beschermd wonen**", "**Wijknetwerken in Oost**"]
    at.text_input[0].set_value("waakvlam").run()
    at.session_state["lessen-deel"] = "Lessen"
    at.run()
    assert not at.exception and len(builds) == 1  # reruns, filters and tabs reuse it

    (tiny_corpus / "buurtkamer.md").write_text(
        "# Buurtkamer Noord\n\n## Lessen\n\nDe les is dat bewoners zelf de sleutel moeten hebben. "
        "Zonder eigen sleutel lukt het niet.", "utf-8")
    app.components.indexer.sync_folder(tiny_corpus)
    at.text_input[0].set_value("").run()
    assert len(builds) == 2  # a new document version: built again, once
    at.session_state["lessen-deel"] = "Praktijkvoorbeelden"
    at.run()
    assert "**Buurtkamer Noord**" in card_labels(at) and len(builds) == 2


def test_empty_knowledge_base_says_so(fake_components, monkeypatch):
    monkeypatch.setattr(resources, "build_components", lambda settings: fake_components)
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = start_app("lessen")
        assert any("De kennisbank is nog leeg" in i.value for i in at.info)
        assert not at.expander
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
