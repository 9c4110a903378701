import pytest

from evals.metrics import aggregate, compute_metrics, percentile, score_question
from evals.questions import Question

Q1 = "De wijktafel komt elke maand bijeen om casussen te bespreken."
Q2 = "De gemeente betaalt de waakvlam uit de middelen voor beschermd wonen."
OTHER = "Een passage over iets heel anders, namelijk de bouw van levensloopbestendige woningen."


def question(qid="q1", type_="fact", evidence=(("a.txt", Q1),), must=("wijktafel", "elke maand")):
    return Question.model_validate({
        "id": qid, "question": "Vraag?", "type": type_, "answerable": bool(evidence),
        "evidence": [{"doc": d, "quote": q} for d, q in evidence], "must_mention": list(must) if evidence else [],
    })


def ctx(*texts, doc="a.txt"):
    return [{"rank": i + 1, "doc": doc, "text": t, "score": 1.0 - i / 10} for i, t in enumerate(texts)]


def test_hit_at_k_and_mrr_on_a_hand_made_ranking():
    s = score_question(question(), {"contexts": ctx(OTHER, OTHER, "Inleiding. " + Q1, OTHER)})
    assert (s["hit@1"], s["hit@3"], s["hit@5"], s["hit@10"]) == (0.0, 1.0, 1.0, 1.0)
    assert s["mrr@10"] == pytest.approx(1 / 3)
    assert s["first_hit_rank"] == 3
    miss = score_question(question(), {"contexts": ctx(*[OTHER] * 10, Q1)})  # rank 11: beyond @10
    assert miss["hit@10"] == 0.0 and miss["mrr@10"] == 0.0


def test_evidence_recall_with_one_of_two_quotes_found():
    q = question(evidence=(("a.txt", Q1), ("b.txt", Q2)))
    s = score_question(q, {"contexts": ctx(OTHER, Q1)})
    assert s["evidence_recall@10"] == 0.5


def test_must_mention_coverage_is_case_insensitive_and_normalised():
    q = question(must=("Wijktafel", "elke maand", "Broodje Casus"))
    s = score_question(q, {"answer": "De WIJKTAFEL komt elke\nmaand bijeen."})
    assert s["must_mention"] == pytest.approx(2 / 3)


def test_citation_hit_and_both_precisions():
    q = question(evidence=(("a.txt", Q1),))
    citations = [
        {"n": 1, "doc": "a.txt", "text": "Zo werkt het. " + Q1},  # holds the quote: strict and lenient
        {"n": 2, "doc": "a.txt", "text": "Elke maand komt de wijktafel bijeen voor casussen."},  # shares words
        {"n": 3, "doc": "c.txt", "text": "Elke maand komt de wijktafel bijeen voor casussen."},  # wrong doc
        {"n": 4, "doc": "a.txt", "text": OTHER},
    ]
    s = score_question(q, {"citations": citations})
    assert s["citation_hit"] == 1.0
    assert s["citation_precision_strict"] == 0.25
    assert s["citation_precision"] == 0.5
    none = score_question(q, {"citations": []})
    assert none["citation_hit"] == 0.0 and none["citation_precision"] is None  # undefined, not 0


def test_abstention_metrics_and_per_type_breakdown():
    qs = [question("a1"), question("a2", "howto"), question("u1", "unanswerable", evidence=()),
          question("u2", "unanswerable", evidence=())]
    results = [
        {"id": "a1", "abstained": False, "contexts": ctx(Q1), "latency_ms": 10},
        {"id": "a2", "abstained": True, "contexts": ctx(OTHER), "latency_ms": 30},  # false abstention
        {"id": "u1", "abstained": True, "contexts": ctx(OTHER), "latency_ms": 20},
        {"id": "u2", "abstained": False, "contexts": [], "latency_ms": 40},  # should have abstained
    ]
    m = compute_metrics(qs, results)
    o = m["overall"]
    assert (o["n"], o["n_answerable"], o["n_unanswerable"]) == (4, 2, 2)
    assert o["abstention_rate"] == 0.5 and o["false_abstention_rate"] == 0.5
    assert o["hit@5"] == 0.5  # over answerable questions only
    assert o["avg_context_chars"] == pytest.approx((len(Q1) + 2 * len(OTHER)) / 3)
    assert o["latency_p50_ms"] == 25 and o["latency_p95_ms"] == pytest.approx(38.5)
    assert set(m["per_type"]) == {"fact", "howto", "unanswerable"}
    assert m["per_type"]["fact"]["hit@5"] == 1.0 and m["per_type"]["fact"]["abstention_rate"] is None
    assert m["per_type"]["unanswerable"]["hit@5"] is None
    assert m["per_type"]["unanswerable"]["abstention_rate"] == 0.5
    failed = {f["id"]: f["reasons"] for f in m["failed"]}
    assert set(failed) == {"a2", "u2"}
    assert len(failed["a2"]) == 2  # no hit@5 and a false abstention


def test_errors_count_as_failed_and_are_left_out_of_latency():
    m = compute_metrics([question()], [{"id": "q1", "error": "RuntimeError: kapot", "latency_ms": 1}])
    assert m["overall"]["n_errors"] == 1 and m["overall"]["hit@1"] == 0.0
    assert m["overall"]["latency_p50_ms"] is None
    assert m["failed"][0]["reasons"][0] == "fout"


def test_percentile_and_empty_aggregate():
    assert percentile([1, 2, 3, 4], 50) == 2.5 and percentile([], 50) is None
    assert aggregate([])["hit@5"] is None
