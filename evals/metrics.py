"""Per-question scores and their aggregates (overall and per question type).

A result is one line of results.jsonl: {id, answer, abstained, citations, contexts, latency_ms, error}.
Retrieval and answer metrics are computed over answerable questions, abstention over unanswerable
ones; a metric with no question to average over is None.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from evals.matching import canonical, contains
from evals.questions import Question

HIT_KS = (1, 3, 5, 10)
DEPTH = 10  # MRR@10 and evidence recall@10
FAIL_K = 5  # an answerable question without a hit@5 counts as failed
MIN_SHARED_WORDS = 0.5  # lenient citation precision: share of a gold quote's content words

# Words that carry no content, so sharing them says nothing about citing the right passage.
STOPWORDS = frozenset(
    """de het een en of maar dat die dit deze van in op aan met voor door bij naar om uit over
    tot als dan ook niet wel nog al er hier daar zijn is was waren wordt worden werd werden
    heeft hebben had hadden kan kunnen zal zullen moet moeten wil willen zou zouden te ze zij
    hij wij we je jij u ik hun hen haar hem mijn ons onze zich wat wie waar hoe waarom welke
    meer veel geen zo dus want omdat toen nu men iets elk elke alle andere ander
    the and of to in for on with""".split()
)

# Aggregate metrics in report order: Dutch label, and whether higher is better (None: neither,
# e.g. context length is a cost to weigh, not a score).
METRICS: dict[str, tuple[str, bool | None]] = {
    "hit@1": ("treffer in top 1", True),
    "hit@3": ("treffer in top 3", True),
    "hit@5": ("treffer in top 5", True),
    "hit@10": ("treffer in top 10", True),
    "mrr@10": ("MRR@10", True),
    "evidence_recall@10": ("bewijs-recall@10", True),
    "must_mention": ("dekking verplichte termen", True),
    "citation_hit": ("bronvermelding raak", True),
    "citation_precision": ("precisie bronnen (ruim)", True),
    "citation_precision_strict": ("precisie bronnen (strikt)", True),
    "abstention_rate": ("terecht 'staat er niet in'", True),
    "false_abstention_rate": ("onterecht 'staat er niet in'", False),
    "avg_context_chars": ("gem. lengte passage (tekens)", None),
    "latency_p50_ms": ("latentie p50 (ms)", False),
    "latency_p95_ms": ("latentie p95 (ms)", False),
}


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", canonical(text)) if w not in STOPWORDS and len(w) > 1}


def _citation_text(citation: dict) -> str:
    return citation.get("text") or citation.get("quote") or ""


def _lenient_match(citation: dict, evidence: list) -> bool:
    """Strict containment, or: from a gold document and sharing >= half of a gold quote's content words."""
    text = _citation_text(citation)
    if any(contains(text, ev.quote) for ev in evidence):
        return True
    words = content_words(text)
    for ev in evidence:
        if citation.get("doc") != ev.doc:
            continue
        gold = content_words(ev.quote)
        if gold and len(gold & words) >= MIN_SHARED_WORDS * len(gold):
            return True
    return False


def score_question(q: Question, result: dict) -> dict:
    """Scores of one question. Keys that do not apply (e.g. hit@k when unanswerable) are None."""
    contexts = result.get("contexts") or []
    citations = result.get("citations") or []
    abstained = bool(result.get("abstained"))
    s: dict = {
        "id": q.id,
        "type": q.type,
        "answerable": q.answerable,
        "error": result.get("error"),
        "abstained": abstained,
        "latency_ms": result.get("latency_ms"),
        "context_chars": [len(c.get("text") or "") for c in contexts],
    }
    s.update({f"hit@{k}": None for k in HIT_KS})
    s.update({key: None for key in (
        "mrr@10", "evidence_recall@10", "must_mention", "citation_hit",
        "citation_precision", "citation_precision_strict", "first_hit_rank")})
    if not q.answerable:
        return s

    # found[i][j]: context i (best first) holds evidence quote j; computed once, reused below.
    found = [[contains(c.get("text") or "", ev.quote) for ev in q.evidence] for c in contexts[:DEPTH]]
    first = next((i + 1 for i, row in enumerate(found) if any(row)), None)
    s["first_hit_rank"] = first
    for k in HIT_KS:
        s[f"hit@{k}"] = float(first is not None and first <= k)
    s["mrr@10"] = 1.0 / first if first else 0.0
    s["evidence_recall@10"] = sum(any(row[j] for row in found) for j in range(len(q.evidence))) / len(q.evidence)

    if q.must_mention:
        answer = canonical(result.get("answer") or "")
        s["must_mention"] = sum(canonical(p) in answer for p in q.must_mention) / len(q.must_mention)

    strict = [any(contains(_citation_text(c), ev.quote) for ev in q.evidence) for c in citations]
    s["citation_hit"] = float(any(strict))
    if citations:  # precision of zero citations is undefined, not 0 (citation_hit covers that case)
        s["citation_precision_strict"] = sum(strict) / len(citations)
        s["citation_precision"] = sum(
            ok or _lenient_match(c, q.evidence) for ok, c in zip(strict, citations)) / len(citations)
    return s


def percentile(values: list[float], pct: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * pct / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def aggregate(scores: list[dict]) -> dict:
    answerable = [s for s in scores if s["answerable"]]
    unanswerable = [s for s in scores if not s["answerable"]]
    chars = [n for s in scores for n in s["context_chars"]]
    latencies = [s["latency_ms"] for s in scores if s["latency_ms"] is not None and not s["error"]]
    out: dict = {
        "n": len(scores),
        "n_answerable": len(answerable),
        "n_unanswerable": len(unanswerable),
        "n_errors": sum(1 for s in scores if s["error"]),
    }
    for key in [f"hit@{k}" for k in HIT_KS] + [
        "mrr@10", "evidence_recall@10", "must_mention", "citation_hit",
        "citation_precision", "citation_precision_strict",
    ]:
        out[key] = _mean(s[key] for s in answerable)
    out["abstention_rate"] = _mean(float(s["abstained"]) for s in unanswerable)
    out["false_abstention_rate"] = _mean(float(s["abstained"]) for s in answerable)
    out["avg_context_chars"] = sum(chars) / len(chars) if chars else None
    out["latency_p50_ms"] = percentile(latencies, 50)
    out["latency_p95_ms"] = percentile(latencies, 95)
    return out


def failure_reasons(s: dict) -> list[str]:
    reasons = []
    if s["error"]:
        reasons.append("fout")
    if s["answerable"]:
        if not s[f"hit@{FAIL_K}"]:
            reasons.append(f"geen treffer in top {FAIL_K}")
        if s["abstained"]:
            reasons.append("onterecht 'staat er niet in'")
    elif not s["abstained"]:
        reasons.append("had 'staat er niet in' moeten zeggen")
    return reasons


def _failed_entry(q: Question, s: dict, result: dict, reasons: list[str]) -> dict:
    return {
        "id": q.id,
        "type": q.type,
        "question": q.question,
        "reasons": reasons,
        "error": s["error"],
        "answer": (result.get("answer") or "")[:200],
        "gold_docs": sorted({ev.doc for ev in q.evidence}),
        "retrieved": [
            {"rank": c.get("rank"), "doc": c.get("doc"), "text": (c.get("text") or "")[:200]}
            for c in (result.get("contexts") or [])[:3]
        ],
    }


def _public(s: dict) -> dict:
    chars = s["context_chars"]
    out = {k: v for k, v in s.items() if k != "context_chars"}
    out["n_contexts"] = len(chars)
    out["avg_context_chars"] = sum(chars) / len(chars) if chars else None
    return out


def compute_metrics(questions: list[Question], results: list[dict]) -> dict:
    """{overall, per_type, per_question, failed}; results are matched to questions by id."""
    by_id = {r.get("id"): r for r in results}
    scores, failed = [], []
    for q in questions:
        result = by_id.get(q.id) or {"error": "no result"}
        s = score_question(q, result)
        scores.append(s)
        if reasons := failure_reasons(s):
            failed.append(_failed_entry(q, s, result, reasons))
    groups: dict[str, list[dict]] = defaultdict(list)
    for s in scores:
        groups[s["type"]].append(s)
    return {
        "overall": aggregate(scores),
        "per_type": {t: aggregate(group) for t, group in sorted(groups.items())},
        "per_question": {s["id"]: _public(s) for s in scores},
        "failed": failed,
    }
