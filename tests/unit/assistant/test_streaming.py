"""`Assistant.stream`: sources before text, the streamed text adds up to the final answer."""

from __future__ import annotations

import re

import pytest

from assistant.service import QuestionError
from kb.retriever import Filters


@pytest.fixture
def ingested(fake_components, tiny_corpus):
    fake_components.indexer.sync_folder(tiny_corpus)
    return fake_components


def test_sources_come_first_and_text_adds_up_to_the_answer(ingested):
    stream = ingested.assistant.stream("Hoe regel je een waakvlamfunctie na beschermd wonen?")
    assert stream.contexts and stream.contexts[0].doc == "waakvlam.txt"  # before any text
    pieces = list(stream)
    assert len(pieces) > 3  # word-sized pieces, not one block
    answer = stream.answer
    assert "".join(pieces) == answer.answer
    assert not answer.abstained and answer.citations[0].doc == "waakvlam.txt"
    assert answer.timings_ms["total"] > 0


def test_reading_the_answer_first_drains_the_stream(ingested):
    stream = ingested.assistant.stream("Wat gebeurt er aan de wijktafel?")
    assert stream.answer.answer
    assert list(stream) == []  # nothing left afterwards


def test_stream_refuses_bad_questions_before_searching(ingested):
    with pytest.raises(QuestionError):
        ingested.assistant.stream("   ")


def test_kind_filter_reaches_both_sides(ingested):
    ingested.retriever.sparse.index  # noqa: B018 - loads the sparse side
    none = ingested.retriever.retrieve("waakvlamfunctie", filters=Filters(kind="aanbeveling"))
    assert none == []  # the tiny corpus has no passage of that kind
    hits = ingested.retriever.retrieve("waakvlamfunctie")
    kinds = {h.metadata.get("kind") for h in hits} - {None, ""}
    for kind in kinds:
        assert all(
            h.metadata.get("kind") == kind
            for h in ingested.retriever.retrieve("waakvlamfunctie", filters=Filters(kind=kind))
        )
