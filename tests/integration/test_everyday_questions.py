"""Everyday questions on the real corpus: the documents answer each, so none may be refused.

Written to find false refusals outside the gold sets (evals/README.md, 2026-12-03 evening): "In welk
jaar is de Armoedecoalitie Utrecht opgericht?" (a case name with a comma), "Hoeveel procent …?" ("60%"
did not count as procent) and the follow-up "Hoeveel zijn er?" ("zijn" taken for the counted noun)
were refused before.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration

EVERYDAY = [
    'Wat is een woonservicewijk?',
    'Hoeveel woonservicewijken had Zuidoost?',
    'Wanneer is het convenant voor Holendrecht ondertekend?',
    'Wie betaalt de begeleiding in Majella Wonen?',
    'Hoe wordt Tom in de buurt gefinancierd?',
    'Hoeveel cliënten wonen er in Majella Wonen?',
    'Wanneer is Majella Wonen geopend?',
    'Wie zijn de partners van Onze buurt De Posten?',
    'Hoeveel woningen realiseerde het programma Thuis in de wijk?',
    'Hoeveel wooncirkels heeft Leviaan in Noord-Holland?',
    'In welke plaatsen liggen de wooncirkels van Leviaan?',
    'Wie is de bestuurder van Leviaan?',
    'Wat doet het Transferpunt in de regio Alkmaar?',
    'Hoeveel procent van de woningen is in Alkmaar bestemd voor bijzondere doelgroepen?',
    'Wie financiert de Proeftuin De Ruwaard?',
    'Welke gemeenten deden mee aan de quickscan?',
    'Hoeveel inwoners heeft Tilburg?',
    'Wat is een GWI-gebied in Breda?',
    'Hoe vaak is er kwartaaloverleg in Breda?',
    'Welke nieuwe partners kreeg de alliantie Wijkzorg Oost erbij?',
    'Wat is Broodje Casus?',
    'Hoe lang bestaat Broodje Casus al?',
    'Wat zijn de basiswaarden van een zorgzame buurt?',
    'In welke fasen verloopt het onderzoek naar zorgzame buurten?',
    'Wanneer starten de leertuinen?',
    'Wat is de rol van de waakvlamfunctie in Hoorn?',
    'Wie vervult de waakvlamfunctie?',
    'Hoe hoog was de onderbesteding in Kplus?',
    'Welke lessen trekt de evaluatie van Zuidoost?',
    'Wat zijn oliemannetjes?',
    'Wie was het oliemannetje op IJburg?',
    'Voor wie is De Nieuwe Club bedoeld?',
    'Hoeveel gezinnen zijn geholpen door de Utrechtse Geldzoeker?',
    'Wat is de Omslagroute?',
    'Wat houdt Housing First in bij Majella Wonen?',
    'Wie zit er in de stuurgroep van Sunny Selwerd?',
    'Hoeveel procent van de inkomsten van het Wijkbedrijf Selwerd komt van de gemeente?',
    'waarom stopte stadsdeel Zuidoost met de woonservicewijken?',
    'hoe zit dat met die wijktafels in Oost?',
    'wat doet een sleutelfiguur in de wijk?',
    'Waarom is Wijkzorg als toegang verdwenen?',
    'Hoeveel deelnemers had het rondetafelgesprek in oktober 2013?',
    'Hoeveel personen zijn er geïnterviewd voor de evaluatie in Zuidoost?',
    'Wat is de rol van de corporatie bij de waakvlamfunctie?',
    'Waarom werkt Tom in de buurt met een lumpsum?',
    'Hoe lang duurt het convenant van de Proeftuin De Ruwaard?',
    'Wat is het doel van de Armoedecoalitie?',
    'Wie nam het initiatief voor de wooncirkels?',
    'Wat verstaan ze onder een zorgzame buurt?',
    'Welke rol speelt de huisarts in een zorgzame buurt?',
    'Hoe betrek je bewoners bij een woonzorgconcept?',
    'Wat gaat er mis als niemand verantwoordelijk is voor de integrale aanpak?',
    "Welke risico's zien Movisie en Platform31?",
    'Hoe monitort Rotterdam de aanpak?',
    'Wat is Even Buurten?',
    'Wie betaalde Even Buurten?',
    'Hoeveel GWI-gebieden heeft Breda?',
    'Wat zijn woonzorgservicezones?',
    'Waarom is de woonzorgservicezone in Tilburg verdwenen?',
    'Wat zijn de plannen van Wijkzorg Oost voor 2020?',
    'Hoeveel geld heeft een werkgroep in Breda?',
    'Wat is de Thomas à Kempisweg?',
    'Wanneer ondertekenden de gemeenten in Drenthe het Uitstroomconvenant?',
    "Welke regio's in Drenthe doen mee aan het Uitstroomconvenant?",
    'Wat is 1.Hoorn?',
    'Hoe vaak overleggen de partijen in Hoorn?',
    'Wat zijn de Moderne Devoten?',
    'Wat heeft Selwerd bereikt met Sunny Selwerd?',
    'Welke doelen heeft Sunny Selwerd?',
    'Wat is De Duindoorn?',
    'Wat leverde de Proeftuin De Ruwaard op voor de gezondheid van bewoners?',
    'Hoeveel woningen heeft Portaal in Majella?',
    'Wat is het verschil tussen Holendrecht en Kplus?',
    'Welke partners zaten er in het convenant Kplus?',
    'Hoe heet de adviesraad die meedacht over de woonservicewijken?',
    'Wat is het motto van de evaluatie in Zuidoost?',
]


def test_no_everyday_question_is_refused(corpus_kb):
    refused = [q for q in EVERYDAY if corpus_kb.assistant.ask(q).abstained]
    assert refused == []


@pytest.mark.parametrize(
    "question, expected",
    [
        ("In welk jaar is de Armoedecoalitie Utrecht opgericht?", "30 oktober 2009"),
        ("Wie betaalde Even Buurten?", "ZonMw"),  # not Majella Wonen's payments, which rank first
    ],
)
def test_the_answer_holds_what_was_asked(corpus_kb, question, expected):
    answer = corpus_kb.assistant.ask(question)
    assert not answer.abstained and expected in answer.answer, answer.answer


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Op welke datum is de Armoedecoalitie Utrecht opgericht?", "30 oktober 2009"),
        ("In welk jaar is de Armoedecoalitie Utrecht opgericht?", "30 oktober 2009"),  # not "tot twaalf jaar geleden"
        ("In welk jaar nam de woonvereniging in Majella het sociaal beheer over?", "2019"),  # not "Inmiddels …"
        ("Hoeveel procent van de inkomsten van het Wijkbedrijf Selwerd komt van de gemeente?", "60%"),
        # a definition, not who invented it or who signed it
        ("Wat is een wooncirkel?", "De kern van iedere wooncirkel is een ontmoetingsplek"),
        ("Wat is een woonservicewijk?", "een normale buurt voor iedereen"),
        ("Wat zijn wijktafels?", "wijktafels"),  # was Wijkzorg Oost's advice on informal care
        # a question that asks what something is and then more: the definition still comes first
        ("Wat is een wooncirkel, en waar zijn ze te vinden?", "De kern van iedere wooncirkel is een ontmoetingsplek"),
        ("Wat zijn wijktafels, en wie zitten daarin?", "wijktafels"),
    ],
)
def test_the_answer_opens_with_what_was_asked(corpus_kb, question, expected):
    answer = corpus_kb.assistant.ask(question)
    first_bullet = next(line for line in answer.answer.splitlines() if line.startswith("- "))
    assert expected in first_bullet, answer.answer


@pytest.mark.parametrize(
    "question, doc",
    [
        ("Welke knelpunten noemt Wijkzorg Oost?", "wijkzorg-oost-evaluatie-2019-jaarplan-2020.txt"),  # was Alkmaar's
        ("Waar liepen ze in Tilburg tegenaan?", "quickscan-gebiedsgerichte-aanpak-wwz.txt"),  # was Alphen's
        ("Welke aanbevelingen doet de quick-scan aan gemeenten?", "quickscan-gebiedsgerichte-aanpak-wwz.txt"),
        ("Welke lessen trekken ze uit de zorgzame buurten in Amsterdam?", "zorgzame-buurten-woonzorgconcepten.txt"),
    ],
)
def test_lessons_of_a_named_report_come_from_that_report(corpus_kb, question, doc):
    """The kind lift must not hand a question about one report another report's lessons."""
    answer = corpus_kb.assistant.ask(question)
    assert not answer.abstained and {c.doc for c in answer.citations} == {doc}, answer.answer


def test_a_follow_up_asking_how_many_counts_the_previous_topic(corpus_kb):
    first = corpus_kb.assistant.ask("Wat doet Leviaan met wooncirkels?")
    history = [{"role": "user", "content": "Wat doet Leviaan met wooncirkels?"},
               {"role": "assistant", "content": first.answer}]
    answer = corpus_kb.assistant.ask("Hoeveel zijn er?", history=history)
    assert not answer.abstained
    first_bullet = next(line for line in answer.answer.splitlines() if line.startswith("- "))
    assert "elf wooncirkels" in first_bullet


@pytest.mark.parametrize(
    "question",
    [
        "Welke wethouder ondertekende het Uitstroomconvenant in Drenthe?",
        "Op welke datum is het Wijkbedrijf Selwerd geopend?",
    ],
)
def test_missing_details_are_refused(corpus_kb, question):
    assert corpus_kb.assistant.ask(question).abstained


def test_a_new_place_in_a_conversation_is_a_new_subject(corpus_kb):
    """Asked in the app after Wijkzorg Oost's knelpunten, "Waar liepen ze in Tilburg tegenaan?"
    was answered from Wijkzorg Oost: "ze" made it a follow-up, and the previous report was lifted."""
    first = corpus_kb.assistant.ask("Welke knelpunten noemt Wijkzorg Oost?")
    history = [{"role": "user", "content": "Welke knelpunten noemt Wijkzorg Oost?"},
               {"role": "assistant", "content": first.answer}]
    answer = corpus_kb.assistant.ask("Waar liepen ze in Tilburg tegenaan?", history=history)
    assert {c.doc for c in answer.citations} == {"quickscan-gebiedsgerichte-aanpak-wwz.txt"}, answer.answer
    answer = corpus_kb.assistant.ask("Wat is een wooncirkel?", history=history)
    first_bullet = next(line for line in answer.answer.splitlines() if line.startswith("- "))
    assert "De kern van iedere wooncirkel" in first_bullet, answer.answer


@pytest.mark.parametrize(
    "first_question, doc",
    [
        ("Wat zijn de lessen uit Wijkzorg Oost?", "wijkzorg-oost-evaluatie-2019-jaarplan-2020.txt"),
        ("Wat is een woonservicewijk in Zuidoost?", "evaluatie-woonservicewijken-zuidoost.txt"),
    ],
)
def test_a_follow_up_stays_with_the_report_it_follows(corpus_kb, first_question, doc):
    """Asked in the app after Wijkzorg Oost's lessons, "Waar liep het vast?" was answered from
    Wijkzorg Oost and then padded with Alkmaar's "beren op de weg" (a list of partners glued to
    half a sentence): the conversation was about Wijkzorg Oost (assistant/service.py stay_with_sources)."""
    first = corpus_kb.assistant.ask(first_question)
    assert {c.doc for c in first.citations} == {doc}, first.answer
    history = [{"role": "user", "content": first_question}, {"role": "assistant", "content": first.answer}]
    answer = corpus_kb.assistant.ask("Waar liep het vast?", history=history)
    assert not answer.abstained and {c.doc for c in answer.citations} == {doc}, answer.answer


def test_a_new_thing_in_a_short_question_is_a_new_subject(corpus_kb):
    """Asked in the app after Zorgzame Buurten's first research phase, "Hoe regel je een
    waakvlamfunctie?" was answered with that phase's results: a short question counted as a
    follow-up, carried the previous topic and lifted the previous report."""
    first_question = "Wat leverden de netwerkgesprekken over zorgzame buurten in Amsterdam op?"
    first = corpus_kb.assistant.ask(first_question)
    history = [{"role": "user", "content": first_question}, {"role": "assistant", "content": first.answer}]
    answer = corpus_kb.assistant.ask("Hoe regel je een waakvlamfunctie?", history=history)
    assert "waakvlam" in answer.answer.lower(), answer.answer
    assert "zorgzame-buurten-woonzorgconcepten.txt" not in {c.doc for c in answer.citations}, answer.answer


def test_an_intro_and_its_list_in_one_section_are_one_source(corpus_kb):
    """Chapter 4 of the Zuidoost evaluation announces its lessons at the end of one passage and
    lists them in the next: the whole list comes with its intro, cited as one source that holds
    both passages (assistant/compose/citations.py citation_places)."""
    answer = corpus_kb.assistant.ask("Welke lessen zet de evaluatie in Zuidoost op een rij?")
    (lessons,) = [c for c in answer.citations if "op een rij" in c.quote]
    assert "Kleiner denken en meer organisch werken" in lessons.quote
    assert "Flexibele geldpotjes organiseren" in lessons.quote and "In de gesprekken zijn" in lessons.text
    assert len({c.n for c in answer.citations}) == len(answer.citations)
