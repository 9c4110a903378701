"""The lead line is written and read back in one format."""

from __future__ import annotations

from assistant.extractive import ExtractiveAnswerer
from assistant.lead_lines import quoted_sources, source_name, without_lead_lines
from kb.retriever import Hit


def _hit(doc: str, text: str, rank: int, case: str | None = None) -> Hit:
    meta = {"doc_id": doc, "title": f"Titel {doc}", "chunk_index": rank, **({"case": case} if case else {})}
    return Hit(f"{doc}#{rank}", text, meta, score=1.0 / rank, dense_score=0.9, rank=rank)


def test_what_the_answerer_writes_the_follow_up_reads_back():
    hits = [
        _hit("a.txt", "De wijktafel komt elke maand bijeen in Oost.", 1, case="Majella Wonen, Utrecht"),
        _hit("b.txt", "In Zuidoost komt de wijktafel elk kwartaal bijeen.", 2),
    ]
    question = "Hoe vaak komt de wijktafel bijeen?"
    answer = ExtractiveAnswerer().answer(question, question, hits).answer
    assert quoted_sources(answer) == [source_name(h) for h in hits]
    assert quoted_sources(answer)[0] == "Titel a.txt, praktijkvoorbeeld Majella Wonen, Utrecht"
    rest = without_lead_lines(answer)
    assert "Volgens" not in rest and "wijktafel elk kwartaal" in rest


def test_a_sentence_starting_with_volgens_is_no_lead_line():
    text = "- Volgens de gemeente is het klaar: [1]\nVolgens Titel a.txt:\n- Iets. [1]"
    assert quoted_sources(text) == ["Titel a.txt"]
