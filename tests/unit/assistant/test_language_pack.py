"""The Dutch language pack: every pattern works on its own examples, and every sentence pattern is
backed by sentences from two or more documents of the bundled corpus (general Dutch, not one
document's wording)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.question.lang import load_pack

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
PACK = load_pack()
RAW = PACK.raw


def _corpus(doc: str) -> str:
    return " ".join((CORPUS / doc).read_text("utf-8").split())


@pytest.mark.parametrize("name", list(RAW["answer_types"]))
def test_answer_type_examples(name):
    entry, kind = RAW["answer_types"][name], PACK.answer_type(name)
    assert len(entry["question_examples"]) >= 2
    for question in entry["question_examples"]:
        assert kind.question.search(question), question
    for question in entry.get("not_examples", []):
        assert not kind.question.search(question), question
    thing = "wooncirkel" if name == "definition" else None
    examples = entry["sentence_examples"]
    assert len({e["doc"] for e in examples}) >= 2, "backed by two or more documents"
    for example in examples:
        text = example["text"]
        assert text in _corpus(example["doc"]), f"{text!r} is not in {example['doc']}"
        pattern = kind.gives(thing) if name != "definition" else re.compile(
            kind.sentence.replace("{thing}", "(?:wooncirkel|woonservicewijk)"), re.I)
        assert pattern.search(text), text
    for text in entry.get("not_sentence_examples", []):  # what looks like it but gives no answer
        assert not kind.gives(thing).search(text), text


@pytest.mark.parametrize("name", list(RAW["kinds"]))
def test_kind_cue_examples(name):
    cue = next(c for c in PACK.kind_cues if c.name == name)
    assert len(RAW["kinds"][name]["question_examples"]) >= 2
    for question in RAW["kinds"][name]["question_examples"]:
        assert cue.question.search(question), question


def test_compare_counting_and_plans_examples():
    for question in RAW["compare"]["question_examples"]:
        assert PACK.compare.search(question)
    for section in ("counting", "plans"):
        examples = RAW[section].get("examples") or RAW[section]["sentence_examples"]
        assert len({e["doc"] for e in examples}) >= 2
        for example in examples:
            assert example["text"] in _corpus(example["doc"])
    planned = re.compile(RAW["plans"]["planned"], re.I)
    assert all(planned.search(e["text"]) for e in RAW["plans"]["sentence_examples"])
    outcome = re.compile(RAW["plans"]["outcome_question"], re.I)
    happened = re.compile(RAW["plans"]["happened_question"], re.I)
    q1, q2 = RAW["plans"]["question_examples"]
    assert outcome.search(q1) and happened.search(q2)
