"""The lead line is written and read back in one format."""

from __future__ import annotations

from assistant.lead_lines import quoted_sources, source_name, without_lead_lines
from tests.answer_fakes import answerer, make_hit, prepare


def test_what_the_answerer_writes_the_follow_up_reads_back():
    hits = [
        make_hit("a.txt", "De wijktafel komt elke maand bijeen in Oost.", 1, title="Titel a.txt",
                 case="Majella Wonen, Utrecht"),
        make_hit("b.txt", "In Zuidoost komt de wijktafel elk kwartaal bijeen.", 2, title="Titel b.txt"),
    ]
    answer = answerer(relative_bar=0.0, bar=0.0).answer(prepare("Hoe vaak komt de wijktafel bijeen?", hits)).answer
    assert quoted_sources(answer) == [source_name(h) for h in hits]
    assert quoted_sources(answer)[0] == "Titel a.txt, praktijkvoorbeeld Majella Wonen, Utrecht"
    rest = without_lead_lines(answer)
    assert "Volgens" not in rest and "wijktafel elk kwartaal" in rest


def test_a_sentence_starting_with_volgens_is_no_lead_line():
    text = "- Volgens de gemeente is het klaar: [1]\nVolgens Titel a.txt:\n- Iets. [1]"
    assert quoted_sources(text) == ["Titel a.txt"]
