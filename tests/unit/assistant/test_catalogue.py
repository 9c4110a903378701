"""Lessons table and practice-case cards on the real bundled corpus (fake embedder, real Chroma)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import catalogue
from assistant.components import Components
from assistant.settings import Settings
from tests.fakes import HashEmbedder

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
MAGAZINE = "zo-doen-we-dat-leefbare-vitale-buurten.txt"
FIELDS = ("places", "partners", "approach", "results", "obstacles", "lessons", "links")


@pytest.fixture(scope="module")
def components(tmp_path_factory) -> Components:
    data = tmp_path_factory.mktemp("catalogue-data")
    settings = Settings(data_dir=data, corpus_dir=CORPUS, embedding={"model": "fake-hash-64"})
    c = Components(settings, embedder=HashEmbedder(), untrained=True)
    report = c.indexer.sync_folder(CORPUS)
    assert not report.failed and len(report.added) == 5
    return c


@pytest.fixture(scope="module")
def cards(components):
    return {card.id: card for card in catalogue.cases(components)}


@pytest.fixture(scope="module")
def passages(components) -> dict[str, str]:
    return {c.chunk_id: c.text for c in components.store.current_chunks()}


def _check_citations(card, passages):
    """Every field item is quoted from a passage that contains it, with its source."""
    items = ([card.tagline] if card.tagline else []) + [i for f in FIELDS if f != "places" for i in getattr(card, f)]
    for item in items + card.places:
        assert item.citations, (card.id, item.text)
        for cit in item.citations:
            assert cit.quote in passages[cit.chunk_id], (card.id, cit.quote)
            assert cit.doc == card.doc and cit.title
    for item in items:  # the field text is (in) the quote: a name in its sentence, a sentence itself
        assert item.text.casefold() in item.citations[0].quote.casefold(), (card.id, item.text)
        if item.label:
            assert item.label in passages[item.citations[0].chunk_id]
    for p in card.places:  # a place is cited by a sentence that names it
        quote = p.citations[0].quote.casefold()
        assert any(alias.casefold() in quote for alias in catalogue.cf.place_aliases(p.text)), p


def test_every_magazine_case_has_a_card(cards):
    magazine = [c for c in cards.values() if c.doc == MAGAZINE]
    assert len(magazine) == 12 and all(c.soort == "praktijkvoorbeeld" for c in magazine)


def test_other_documents_get_area_or_document_cards(cards):
    assert {"woonservicewijk-holendrecht", "woonservicewijk-kplus"} <= set(cards)
    assert {"wwz-ambitieniveau-van-breda", "wwz-ambitieniveau-van-tilburg", "wwz-ambitieniveau-van-rotterdam"} <= set(cards)
    assert cards["wijkzorg-oost"].soort == "document" and cards["zorgzame-buurten"].soort == "document"
    assert len(set(cards)) == len(cards)


@pytest.mark.parametrize(
    ("card_id", "place", "partners", "tagline"),
    [
        # the three cases that start without a running header
        ("uitstroomconvenant-assen-e-o-weer-thuis", "Assen", ["gemeenten", "zorgaanbieders"],
         "Weer thuis: van beschermd wonen naar een zelfstandige woning"),
        ("methode-moderne-devoten-nijmegen", "Nijmegen", ["Pro Persona", "Talis", "Portaal"],
         "De wijk van en voor iedereen"),
        ("wooncirkels-noord-holland-leviaan-ook-amsterdam", "Noord-Holland", ["Zorgorganisatie Leviaan"],
         "Wooncirkels zorgen voor verbinding waardoor buurten sterker worden"),
        ("hoorn-gezamenlijke-aanpak", "Hoorn", ["woningcorporatie Intermaris", "Huurdersorganisatie De Boog"],
         "Preventief en persoonlijk"),
    ],
)
def test_named_case_cards(cards, passages, card_id, place, partners, tagline):
    card = cards[card_id]
    assert card.tagline and card.tagline.text == tagline
    assert any(place in p.text for p in card.places)
    names = [p.text.casefold() for p in card.partners]
    assert all(any(want.casefold() in n for n in names) for want in partners), names
    assert card.approach and card.obstacles and card.links  # every one of these has a "Meer weten?"
    _check_citations(card, passages)


def test_obstacles_come_from_the_beren_op_de_weg(cards, components):
    card = cards["methode-moderne-devoten-nijmegen"]
    texts = " ".join(i.text for i in card.obstacles)
    assert "spraakverwarring" in texts
    assert all("beren op de weg" in (c.section or "") for i in card.obstacles for c in i.citations)


def test_results_and_links_of_a_case(cards, passages):
    card = cards["tien-werkafspraken-thuis-in-de-wijk-in-amsterdam"]
    assert any("2.200 woningen" in r.text for r in card.results)
    assert any("Woonwaaier" in link.text for link in card.links)
    _check_citations(card, passages)


def test_area_card_uses_what_the_report_says_elsewhere_about_the_place(cards, passages):
    card = cards["woonservicewijk-holendrecht"]
    assert card.places[0].text == "Holendrecht"
    assert any("60%" in r.text for r in card.results)
    assert card.obstacles  # the building crisis and the withdrawn plans
    _check_citations(card, passages)


def test_all_cards_cite_their_passages(cards, passages):
    for card in cards.values():
        _check_citations(card, passages)
        assert card.passages and all(cid in passages for cid in card.passages)


def test_cases_filters(components, cards):
    nijmegen = catalogue.cases(components, place="Nijmegen")
    assert [c.id for c in nijmegen] == ["methode-moderne-devoten-nijmegen"]
    zuidoost = catalogue.cases(components, doc="evaluatie-woonservicewijken-zuidoost.txt")
    assert [c.id for c in zuidoost] == ["woonservicewijk-holendrecht", "woonservicewijk-kplus"]
    assert catalogue.cases(components, doc=[MAGAZINE], place="Holendrecht") == []
    assert len(catalogue.cases(components, doc=None, place=[])) == len(cards)  # no filter: all cards


def test_case_by_id(components, cards):
    assert catalogue.case(components, "hoorn-gezamenlijke-aanpak") == cards["hoorn-gezamenlijke-aanpak"]
    assert catalogue.case(components, "bestaat-niet") is None


# --- lessons ---------------------------------------------------------------------------------------


def test_lessons_are_the_evaluative_passages_with_a_quote(components, passages):
    rows = catalogue.lessons(components)
    assert len(rows) > 100
    assert {r.kind for r in rows} <= set(catalogue.LESSON_KINDS)
    for r in rows:
        assert r.summary and r.summary in passages[r.chunk_id] and r.citation.quote == r.summary
        assert r.theme and r.kind_label


def test_lessons_filters(components):
    les = catalogue.lessons(components, kind="les")
    assert les and all(r.kind == "les" for r in les)
    assert any("Kleiner denken" in r.text for r in les)
    both = catalogue.lessons(components, kind=["knelpunt", "minpunt"], doc=MAGAZINE)
    assert both and all(r.kind in ("knelpunt", "minpunt") and r.doc == MAGAZINE for r in both)
    hoorn = catalogue.lessons(components, place="Hoorn", doc=MAGAZINE)
    assert hoorn and any(r.case == "Hoorn: gezamenlijke aanpak" for r in hoorn)
    assert all("Hoorn" in " ".join(r.places) for r in hoorn)
    holendrecht = catalogue.lessons(components, place="Holendrecht")
    assert holendrecht and all(r.doc == "evaluatie-woonservicewijken-zuidoost.txt" for r in holendrecht)
    assert catalogue.lessons(components, place="Groningen", doc="quickscan") == []


def test_lessons_are_grouped_by_theme_and_linked_to_cards(components, cards):
    rows = catalogue.lessons(components, doc=MAGAZINE)
    themed = [r for r in rows if r.case]
    assert themed and all(r.theme == r.case and r.case_id in cards for r in themed)
    zo = catalogue.lessons(components, kind="les", doc="evaluatie-woonservicewijken-zuidoost.txt")
    assert any(r.theme.startswith("Lessen voor toekomstige") for r in zo)


# --- CLI -------------------------------------------------------------------------------------------


@pytest.fixture
def cli(monkeypatch, components):
    from typer.testing import CliRunner

    import assistant.cli as cli_module

    monkeypatch.setattr(cli_module, "_components", lambda: components)
    return lambda *args: CliRunner().invoke(cli_module.app, list(args), env={"COLUMNS": "160"})


def test_cli_lessen(cli):
    import json

    result = cli("lessen", "--kind", "knelpunt", "--place", "Nijmegen", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows and all(r["kind"] == "knelpunt" and r["case"] == "Methode Moderne Devoten (Nijmegen)" for r in rows)
    table = cli("lessen", "--kind", "les", "--doc", "evaluatie-woonservicewijken-zuidoost.txt")
    assert table.exit_code == 0 and "Les" in table.output and "totaal" in table.output
    wrong = cli("lessen", "--kind", "wijsheid")
    assert wrong.exit_code == 2 and "Onbekende soort" in wrong.output


def test_cli_cases(cli):
    import json

    listing = cli("cases", "--json")
    assert listing.exit_code == 0 and len(json.loads(listing.output)) == 19
    card = cli("cases", "hoorn-gezamenlijke-aanpak")
    assert card.exit_code == 0
    assert all(word in card.output for word in ("Partners", "Intermaris", "Knelpunten", "Bronnen"))
    missing = cli("cases", "bestaat-niet")
    assert missing.exit_code == 1 and "Geen praktijkvoorbeeld" in missing.output


def test_a_short_heading_ending_with_a_place_is_about_it_a_long_one_only_mentions_it():
    from assistant.catalogue import _about_place

    aliases = {"zwolle", "gemeente zwolle"}
    assert _about_place("3 Ambitieniveau van Zwolle", aliases)
    assert _about_place("2.2 Woonservicewijk Zwolle", aliases)
    assert _about_place("Zwolle", aliases)
    assert not _about_place("B. Woonservicewijken in de regio: Zwolle, Kampen en Zwolle", aliases)
    assert not _about_place("Zwolle-Zuid", aliases) and not _about_place("Wijkaanpak Zwollerkerspel", aliases)
