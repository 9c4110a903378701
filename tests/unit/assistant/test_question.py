"""A question read once: the kinds of answer and passage it asks for, its subjects, and what a
follow-up carries over from the turn before."""

from __future__ import annotations

import pytest

from assistant.question import analyse


@pytest.mark.parametrize("question, types", [
    ("Hoeveel partijen doen mee aan het netwerk?", ("count",)),
    ("Sinds wanneer bestaat het netwerk, en hoeveel leden heeft het?", ("moment", "count")),
    ("Wat kost een plek in de buurtkamer?", ("amount",)),
    ("Hoeveel extra budget kregen de wijken?", ("amount",)),
    ("Hoe vaak komt de werkgroep bijeen?", ("frequency",)),
    ("Hoe lang loopt het convenant?", ("duration",)),
    ("Op welke datum werd het convenant getekend?", ("day",)),
    ("Waarom stopte het project?", ("reason",)),
    ("Wanneer kun je de buurtcoach inschakelen?", ()),  # on what condition, not when
    ("Wat vinden bewoners van de buurtkamer?", ()),
])
def test_the_asked_kinds_of_answer(question, types):
    assert analyse(question).answer_types == types


def test_a_definition_names_the_thing_asked_about():
    q = analyse("Wat is een buurtkamer eigenlijk?")
    assert q.answer_types == ("definition",) and q.thing == "buurtkamer"
    assert q.gives()[0].search("Een buurtkamer is een plek waar bewoners elkaar ontmoeten.")
    assert analyse("Wat is er mis met het overleg?").thing is None  # "er" is no thing


@pytest.mark.parametrize("question, kinds", [
    ("Waar liepen ze tegenaan bij de start?", ("knelpunt", "minpunt")),
    ("Wat zijn de lessen uit dit project?", ("les",)),
    ("Welke aanbevelingen doet het rapport?", ("aanbeveling",)),
    ("Wat heeft de aanpak opgeleverd?", ("resultaat", "pluspunt")),
    ("Hoe pakken ze eenzaamheid aan?", ("werkwijze",)),
    ("Hoeveel leden heeft het netwerk?", ()),
])
def test_the_asked_kinds_of_passage(question, kinds):
    assert analyse(question).kinds == kinds


def test_names_are_the_capitalised_spans_not_at_the_start():
    q = analyse("Hoe werkt de aanpak van Proeftuin De Ruwaard in Oss samen met Buurtzorg?")
    assert q.names == ("Proeftuin De Ruwaard in Oss", "Buurtzorg")
    assert set(q.name_keys) == {"proeftuin de ruwaard", "oss", "buurtzorg"}


def test_a_follow_up_without_a_subject_carries_the_one_before():
    history = [{"role": "user", "content": "Wat heeft de aanpak in Selwerd opgeleverd?"},
               {"role": "assistant", "content": "Volgens Magazine, praktijkvoorbeeld Selwerd:\n- Veel. [1]"}]
    q = analyse("Wie deden er allemaal mee?", history)
    assert q.carried == ("Selwerd",) and q.is_followup and q.query.endswith("Selwerd")
    assert q.previous_sources == ("Magazine, praktijkvoorbeeld Selwerd",)
    assert "Veel." in q.previous_answer


def test_a_follow_up_naming_its_own_subject_starts_fresh():
    history = [{"role": "user", "content": "Wat heeft de aanpak in Selwerd opgeleverd?"}]
    q = analyse("Hoe pakken ze dat in Tilburg aan?", history)
    assert q.carried == () and q.names == ("Tilburg",) and "Selwerd" not in q.query


def test_the_subject_comes_from_the_last_question_that_named_one():
    history = [{"role": "user", "content": "Wat doet de Armoedecoalitie in Utrecht?"},
               {"role": "assistant", "content": "…"},
               {"role": "user", "content": "En wie betaalt dat?"},
               {"role": "assistant", "content": "…"}]
    assert analyse("Sinds wanneer bestaat ze?", history).carried == ("Armoedecoalitie in Utrecht",)


def test_without_names_a_follow_up_carries_the_topic():
    history = [{"role": "user", "content": "Wat is een wooncirkel?"}]
    assert analyse("Wat kost dat per maand?", history).carried == ("wooncirkel",)


def test_comparing_words_mark_a_comparison():
    assert analyse("Wat is het verschil tussen de twee wijken?").compare
    assert not analyse("Wat doet de wijkcoach?").compare


def test_a_question_with_a_topic_of_its_own_that_does_not_point_back_starts_fresh():
    history = [{"role": "user", "content": "Wat leverde de aanpak in Selwerd op?"},
               {"role": "assistant", "content": "Volgens Magazine:\n- Een wijkbedrijf. [1]"}]
    assert analyse("Hoe regel je een waakvlamfunctie?", history).carried == ()
    assert analyse("Wat is een wooncirkel?", history).carried == ()
    assert analyse("Waar baseren ze hun jaarlijkse plannen op?", history).carried == ("Selwerd",)
    assert analyse("En wat ging daar mis?", history).carried == ("Selwerd",)
