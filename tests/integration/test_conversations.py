"""Conversations on the real corpus with the shipped models: follow-ups keep their subject, a new
subject starts fresh, a question about two places gets a part for each, and towns the documents do
not discuss are refused, also when a passage elsewhere happens to name them."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration

MAGAZINE = "zo-doen-we-dat-leefbare-vitale-buurten.txt"


def _turns(*pairs):
    history = []
    for question, answer in pairs:
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.answer}]
    return history


def _cases(answer) -> set[str]:
    return {c.case or "" for c in answer.citations}


@pytest.mark.parametrize("question", [
    "Hoe regelt Emmen de waakvlamfunctie?",
    "Hoe heeft de gemeente Emmen de wijkverpleging in de dorpen georganiseerd?",
    "Hoe pakt de gemeente Zwolle eenzaamheid aan?",
])
def test_a_town_the_documents_do_not_discuss_is_refused_by_name(corpus_kb, question):
    answer = corpus_kb.assistant.ask(question)
    assert answer.abstained and not answer.citations, answer.answer
    town = "Emmen" if "Emmen" in question else "Zwolle"
    assert town in answer.answer and answer.contexts  # says what is missing, shows the closest passages


def test_a_follow_up_keeps_the_subject_of_the_turn_before(corpus_kb):
    ask = corpus_kb.assistant.ask
    first = ask("Wat heeft de aanpak in Selwerd opgeleverd?")
    assert not first.abstained and any("Selwerd" in c for c in _cases(first))
    history = _turns(("Wat heeft de aanpak in Selwerd opgeleverd?", first))
    for follow_up in ("En wat ging daar mis?", "Wie deden er allemaal mee?"):
        answer = ask(follow_up, history=history)
        assert "Selwerd" in answer.query
        assert not answer.abstained and all("Selwerd" in c for c in _cases(answer)), (follow_up, answer.answer)
    assert first.answer != ask("En wat ging daar mis?", history=history).answer


def test_a_new_subject_in_a_conversation_starts_fresh(corpus_kb):
    ask = corpus_kb.assistant.ask
    first = ask("Wat heeft de aanpak in Selwerd opgeleverd?")
    answer = ask("Hoe organiseert Tilburg de woonzorgservicezones?",
                 history=_turns(("Wat heeft de aanpak in Selwerd opgeleverd?", first)))
    assert "Selwerd" not in answer.query and not answer.abstained
    assert {c.doc for c in answer.citations} == {"quickscan-gebiedsgerichte-aanpak-wwz.txt"}


def test_a_question_about_two_places_gets_a_part_for_each(corpus_kb):
    answer = corpus_kb.assistant.ask("Hoe regelen Hoorn en Assen de waakvlamfunctie?")
    assert not answer.abstained
    assert "**Hoorn**" in answer.answer and "**Assen**" in answer.answer
    hoorn, assen = answer.answer.split("**Assen**")
    assert "Hoorn" in hoorn and "Assen" in assen
    cases = _cases(answer)
    assert any("Hoorn" in c for c in cases) and any("Assen" in c for c in cases)
