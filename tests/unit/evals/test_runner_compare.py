import json

import pytest

from evals.compare import append_comparison, compare_runs, load_run
from evals.runner import run_eval

QUOTE = "De wijktafel komt elke maand bijeen om casussen te bespreken."
OTHER = "Een passage over de bouw van levensloopbestendige woningen."
QUESTIONS = [
    {"id": "f1", "question": "Hoe vaak komt de wijktafel bijeen?", "type": "fact", "answerable": True,
     "evidence": [{"doc": "a.txt", "quote": QUOTE}], "must_mention": ["elke maand"]},
    {"id": "h1", "question": "Hoe bespreek je casussen?", "type": "howto", "answerable": True,
     "evidence": [{"doc": "a.txt", "quote": QUOTE}], "must_mention": ["wijktafel"]},
    {"id": "v1", "question": "En hoe vaak dan?", "type": "followup", "answerable": True,
     "evidence": [{"doc": "a.txt", "quote": QUOTE}], "must_mention": ["maand"],
     "history": [{"role": "user", "content": "Wat is de wijktafel?"}, {"role": "assistant", "content": "Overleg."}]},
    {"id": "u1", "question": "Hoeveel kost de wijktafel?", "type": "unanswerable", "answerable": False,
     "evidence": [], "must_mention": []},
]


def make_ask(found: bool, seen: list):
    def ask(question: str, history: list[dict]) -> dict:
        seen.append((question, history))
        if question.startswith("Hoe bespreek"):
            raise RuntimeError("index kapot")
        if question.startswith("Hoeveel"):
            return {"answer": "Dat staat er niet in.", "abstained": True, "citations": [], "contexts": []}
        texts = [OTHER, QUOTE] if found else [OTHER, OTHER]
        contexts = [{"rank": i + 1, "doc": "a.txt", "text": t, "score": 0.9 - i / 10, "chunk_id": "x"}
                    for i, t in enumerate(texts * 6)]  # 12 contexts: the runner keeps the top k
        return {"answer": "De wijktafel komt elke maand bijeen.", "abstained": False,
                "citations": [{"n": 1, "doc": "a.txt", "title": "A", "text": texts[1]}], "contexts": contexts,
                "query": question}
    return ask


@pytest.fixture
def questions_file(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(q) for q in QUESTIONS) + "\n", "utf-8")
    return path


def test_run_eval_end_to_end(tmp_path, questions_file):
    seen = []
    out = tmp_path / "run"
    metrics = run_eval(questions_file, out, make_ask(True, seen), k=10, progress=False,
                       run_info={"settings": {"retrieval": {"k": 10}}})
    for name in ("results.jsonl", "metrics.json", "report.md", "run.json", "per_vraagtype.png", "latentie.png"):
        assert (out / name).is_file(), name
    assert (out / "per_vraagtype.png").read_bytes()[:4] == b"\x89PNG"

    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ["f1", "h1", "v1", "u1"]
    assert len(rows[0]["contexts"]) == 10 and set(rows[0]["contexts"][0]) == {"rank", "doc", "text", "score"}
    assert rows[0]["latency_ms"] >= 0 and rows[0]["query"] == QUESTIONS[0]["question"]
    assert rows[1]["error"] == "RuntimeError: index kapot" and rows[1]["contexts"] == []
    assert seen[2][1] == QUESTIONS[2]["history"]  # follow-ups are asked with their history

    assert metrics == json.loads((out / "metrics.json").read_text())
    o = metrics["overall"]
    assert o["n_errors"] == 1 and o["hit@1"] == 0.0 and o["hit@3"] == pytest.approx(2 / 3)
    assert o["abstention_rate"] == 1.0 and o["must_mention"] == pytest.approx(2 / 3)
    assert [f["id"] for f in metrics["failed"]] == ["h1"]

    info = json.loads((out / "run.json").read_text())
    assert info["k"] == 10 and info["questions_file"] == str(questions_file)
    assert info["settings"] == {"retrieval": {"k": 10}} and "timestamp" in info

    report = (out / "report.md").read_text()
    for part in ("## Resultaten", "## Per vraagtype", "## Mislukte vragen (1)", "index kapot",
                 "per_vraagtype.png", "| followup |"):
        assert part in report


def test_compare_two_runs(tmp_path, questions_file):
    old, new = tmp_path / "old", tmp_path / "new"
    run_eval(questions_file, old, make_ask(True, []), progress=False)
    run_eval(questions_file, new, make_ask(False, []), progress=False)
    assert load_run(old).results[0]["id"] == "f1"

    md = compare_runs(new, old)
    assert "| hit@5 | 0.67 | 0.00 | -0.67 ▼ slechter |" in md
    assert "Goed → fout" in md and "f1 (fact), v1 (followup)" in md
    assert "Fout → goed: geen" in md

    assert append_comparison(new, old) == md
    append_comparison(new, old)  # a second time replaces, not duplicates
    report = (new / "report.md").read_text()
    assert report.count("## Vergelijking met vorige run") == 1 and report.startswith("# Evaluatierapport")


def test_load_run_without_metrics_fails(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_run(tmp_path)
