import json
from pathlib import Path

import pytest

from evals.questions import QuestionsError, load_questions

DEV = Path(__file__).resolve().parents[3] / "evals" / "dev.jsonl"

GOOD = {"id": "q1", "question": "Wat?", "type": "fact", "answerable": True,
        "evidence": [{"doc": "a.txt", "quote": "iets"}], "reference_answer": "Iets.", "must_mention": ["iets"]}


def test_dev_set_validates():
    questions = load_questions(DEV)
    assert len(questions) == 40
    assert len({q.id for q in questions}) == 40
    assert any(q.history for q in questions if q.type == "followup")


def test_bad_lines_are_reported_with_file_and_line(tmp_path):
    path = tmp_path / "q.jsonl"
    lines = [json.dumps(GOOD), "", "{not json", json.dumps({**GOOD, "id": "q2", "type": "fatc"}),
             json.dumps({**GOOD, "id": "q3", "evidence": []}), json.dumps(GOOD)]
    path.write_text("\n".join(lines), "utf-8")
    with pytest.raises(QuestionsError) as exc:
        load_questions(path)
    msg = str(exc.value)
    assert f"{path}:3: invalid JSON" in msg
    assert f"{path}:4 (id q2): type" in msg
    assert f"{path}:5 (id q3):" in msg and "without evidence" in msg
    assert f"{path}:6: duplicate id 'q1'" in msg


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(QuestionsError, match="cannot read"):
        load_questions(tmp_path / "nope.jsonl")
