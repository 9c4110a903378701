"""Which kind of answer a question asks for, and whether the retriever lifts passages for it."""

from __future__ import annotations

import re

import pytest

from assistant.answer_type import asked_answer_type, definition_pattern


@pytest.mark.parametrize(
    ("question", "gives", "not_gives"),
    [
        ("Sinds wanneer bestaat de Armoedecoalitie?", "Zij is opgericht op 30 oktober 2009.", "Zij helpt mensen met schulden."),
        ("Wanneer is het wijkbedrijf geopend?", "Het opende zes jaar geleden de deuren.", "Het is een plek voor bewoners."),
        ("In welk jaar is de Armoedecoalitie opgericht?", "Zij is opgericht op 30 oktober 2009.",
         "Organisaties werkten tot twaalf jaar geleden apart van elkaar."),
        ("In welk jaar opende het wijkbedrijf?", "Het opende zes jaar geleden de deuren.",
         "Inmiddels organiseren de bewoners het beheer zelf."),
        ("Hoe lang liep het convenant?", "De looptijd is februari 2009 tot januari 2011.", "Het convenant is ondertekend."),
        ("Hoe hoog is het budget van de werkgroepen?", "Elke werkgroep heeft 10.000 euro.", "Elke werkgroep heeft twaalf leden."),
        ("Hoeveel partijen tekenden?", "Tien partijen tekenden.", "De partijen tekenden."),
        ("Welke straalgroottes en gebiedsomvang hanteert Tilburg?", "Het gebied telt 5.000 tot 15.000 inwoners.",
         "Het gebied volgt natuurlijke grenzen."),
        ("Hoe wordt het wijkbedrijf gefinancierd?", "De subsidie komt uit een budget.", "Het wijkbedrijf is een plek."),
        ("Waarom kreeg de bijeenkomst geen vervolg?", "Er kwam geen tweede, omdat niemand die organiseerde.",
         "De bijeenkomst had een informeel karakter."),
        # a definition: what the thing is, not a sentence that merely names it
        ("Wat is een wooncirkel?", "De kern van iedere wooncirkel is een ontmoetingsplek.",
         "Zorgorganisatie Leviaan bedacht de wooncirkel en is de stuwende kracht achter elf wooncirkels."),
        ("Wat zijn oliemannetjes?", "Oliemannetjes zijn aanjagers die het voortouw nemen.",
         "Zoek naar oliemannetjes in de buurt."),
        ("Wat is Tom in de buurt?", "Tom staat voor Talent, Ondersteunen en Meedoen.", "Tom in de buurt helpt inwoners."),
        ("Wat is een zorgzame buurt?", "Definitie van een zorgzame buurt: mensen kijken naar elkaar om.",
         "De stenen volgen het principe van de zorgzame buurt."),
        ("wat is de Omslagroute eigenlijk?", "De Omslagroute (2019) is een werkproces.", "De Omslagroute bracht veranderingen."),
    ],
)
def test_the_asked_type_and_what_gives_it(question, gives, not_gives):
    pattern = asked_answer_type(question)
    assert isinstance(pattern, re.Pattern) and pattern.search(gives) and not pattern.search(not_gives)


def test_passages_are_lifted_only_for_moments_and_durations():
    assert asked_answer_type("Wanneer is het wijkbedrijf geopend?", for_passages=True) is not None
    assert asked_answer_type("Hoe lang liep het convenant?", for_passages=True) is not None
    assert asked_answer_type("Hoeveel geld stelde de stad beschikbaar?", for_passages=True) is None
    assert asked_answer_type("Hoeveel partijen tekenden?", for_passages=True) is None
    assert asked_answer_type("Waarom stopte het project?", for_passages=True) is None
    assert asked_answer_type("Wat doet een wijkcoach?") is None


def test_a_definition_is_asked_only_by_a_question_that_asks_nothing_else():
    assert asked_answer_type("Wat is een GWI-gebied in Breda?") is not None  # a place may follow
    assert asked_answer_type("Wat is een wooncirkel?", for_passages=True) is not None  # lifted
    for question in ("Wat is de rol van de corporatie bij de waakvlamfunctie?", "Wat is het doel van de Armoedecoalitie?",
                     "Wat is er bereikt in Selwerd?", "Wat zijn de basiswaarden van een zorgzame buurt?"):
        assert asked_answer_type(question) is None, question


def test_a_question_that_opens_by_asking_what_something_is_asks_a_definition_first():
    gives = "De kern van iedere wooncirkel is een ontmoetingsplek."
    for question in ("Wat is een wooncirkel, en wat zegt het verslag over Zorgzame Buurten?",
                     "Wat is een wooncirkel? En hoe werkt die in Purmerend?"):
        pattern = asked_answer_type(question)
        assert pattern is not None and pattern.search(gives), question
    # the first part must itself be a plain "what is": not "Wat is de rol …", nor "Wat is … en hoe …"
    # without a break (then "en hoe werken ze" might still belong to the thing)
    for question in ("Wat is de rol van de gemeente, en wie betaalt?", "Wat zijn wijktafels en hoe werken ze?",
                     "Hoe werkt een wooncirkel, en wat is een zorgzame buurt?"):
        assert definition_pattern(question) is None, question


def test_the_second_part_of_a_definition_question_keeps_its_own_type():
    pattern = asked_answer_type("Wat is Tom in de buurt, en hoe wordt het betaald?")
    assert pattern.search("Tom staat voor Talent, Ondersteunen en Meedoen.")
    assert pattern.search("De gemeente financiert vooraf met een vast budget.")
    # asked two definite things, the definition's passages are not lifted over the other's; a loose
    # second part (a reason) leaves the lift
    assert asked_answer_type("Wat is Tom in de buurt, en hoe wordt het betaald?", for_passages=True) is None
    assert asked_answer_type("Wat is een woonservicewijk, en waarom stopt Zuidoost ermee?", for_passages=True)
    # a count is no evidence: "hoeveel" adds nothing to the definition
    assert not asked_answer_type("Wat is een wooncirkel, en hoeveel zijn er?").search("In 2019 waren er 11.")


def test_a_definite_answer_type_is_neither_a_reason_nor_any_number():
    from assistant.answer_type import definite_answer_type

    assert definite_answer_type("Hoeveel geld hebben de werkgroepen?").search("10.000 euro per werkgroep")
    assert definite_answer_type("Wanneer is het wijkbedrijf geopend?").search("in 2019 geopend")
    assert definite_answer_type("Waarom stopte het stadsdeel?") is None
    assert definite_answer_type("Hoeveel wooncirkels zijn er?") is None
    assert definite_answer_type("Wie zit er in de stuurgroep?") is None
