"""Which passage kinds a question asks for."""

from __future__ import annotations

import pytest

from assistant.kind_intent import wanted_kinds


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("Wat zijn de lessen uit de woonservicewijken?", ["les"]),
        ("Welke zes lessen trekt de evaluatie?", ["les"]),
        ("Wat hebben ze geleerd van de wijktafels?", ["les"]),
        ("Waar liepen ze tegenaan?", ["knelpunt", "minpunt"]),
        ("Wat waren de knelpunten in Hoorn?", ["knelpunt", "minpunt"]),
        ("Wat waren de beren op de weg bij de wooncirkels?", ["knelpunt", "minpunt"]),
        ("Tegen welke praktische hobbels liepen de Moderne Devoten aan?", ["knelpunt", "minpunt"]),
        ("Welke aanbevelingen doet het rapport?", ["aanbeveling"]),
        ("Wat raden ze aan voor de samenwerking met de Buurtteams?", ["aanbeveling"]),
        ("Wat adviseert Wijkzorg Oost?", ["aanbeveling"]),
        ("Wat is er bereikt in De Posten?", ["resultaat", "pluspunt"]),
        ("Welke resultaten had de aanpak?", ["resultaat", "pluspunt"]),
        ("En wat heeft het wél opgeleverd?", ["resultaat", "pluspunt"]),
        ("Waarom is het gedachtegoed in Tilburg niet stadsbreed verankerd geraakt?", ["minpunt", "knelpunt"]),
        ("Wat zijn de pluspunten en de minpunten?", ["pluspunt", "resultaat", "minpunt", "knelpunt"]),
    ],
)
def test_kind_questions(question, kinds):
    assert wanted_kinds(question) == kinds


@pytest.mark.parametrize(
    "question",
    [
        "Hoe vaak overleggen de partijen in Hoorn?",
        "Sinds wanneer bestaat de Armoedecoalitie?",
        "Hoe kijkt Wijkzorg Oost daartegenaan?",  # 'daartegenaan kijken' is an opinion, no obstacle
        "",
    ],
)
def test_fact_questions_want_no_kind(question):
    assert wanted_kinds(question) is None


def test_order_follows_the_question():
    assert wanted_kinds("Wat is bereikt en waar liepen ze tegenaan?") == ["resultaat", "pluspunt", "knelpunt", "minpunt"]


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("Hoe regel je een waakvlamfunctie?", ["werkwijze"]),
        ("Hoe is een wooncirkel qua omvang en personeel opgebouwd?", ["werkwijze"]),
        ("En hoe pakken ze dat in Hoorn aan?", ["werkwijze"]),
        ("Kun je uitleggen hoe ze de buurtkamer financieren?", ["werkwijze"]),
        ("Hoe hebben ze dat bereikt?", ["resultaat", "pluspunt"]),  # another kind named: that one
        ("Hoeveel partijen tekenden het convenant?", None),
        ("Hoe lang liep het convenant?", None),
    ],
)
def test_how_questions_want_the_approach(question, kinds):
    assert wanted_kinds(question) == kinds
