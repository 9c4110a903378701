"""Does preferring passages of the asked-for kind help? Retrieval with and without a kind boost.

    .venv/bin/python benchmarks/kind_intent_boost.py [--questions evals/dev.jsonl] [--bonus 0.5 1.0]

For every question `assistant.kind_intent.wanted_kinds` names the kinds it asks for ("waar
liepen ze tegenaan" → knelpunt, minpunt). The hybrid retriever's top 40 is then re-ranked with a
bonus (in z-score units of the fused score) for passages of a wanted kind; questions that name
no kind are left alone. The assistant does the same inside the retriever with the setting
`retrieval.kind_bonus` (chosen with this script), which is always among the variants printed.
Needs an index with kinds (`wijkwijs ingest`). Prints hit@1/3/5 and MRR@10 per question type and
for the questions with a kind.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.components import Components  # noqa: E402
from assistant.followup import rewrite_query  # noqa: E402
from assistant.kind_intent import wanted_kinds  # noqa: E402
from assistant.records import Turn  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from evals.matching import contains  # noqa: E402
from evals.questions import load_questions  # noqa: E402


def rank_of_evidence(hits, evidence) -> int | None:
    for rank, hit in enumerate(hits[:10], 1):
        if any(e.doc == hit.metadata.get("file", hit.doc_id) and contains(hit.text, e.quote) for e in evidence):
            return rank
    return None


def boosted(hits, kinds: list[str] | None, bonus: float):
    if not kinds or not bonus:
        return hits
    return sorted(hits, key=lambda h: h.score + (bonus if h.metadata.get("kind") in kinds else 0.0), reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=Path, default=REPO / "evals" / "dev.jsonl")
    parser.add_argument("--bonus", type=float, nargs="+", default=[0.25, 0.5, 1.0])
    args = parser.parse_args()
    settings = Settings()
    c = Components(settings)
    questions = [q for q in load_questions(args.questions) if q.answerable]
    variants = sorted({0.0, *args.bonus, settings.retrieval.kind_bonus})
    ranks: dict[float, dict[str, list[int | None]]] = {v: defaultdict(list) for v in variants}
    for q in questions:
        turns = [Turn(role=t.role, content=t.content) for t in q.history]
        query = rewrite_query(q.question, turns)
        kinds = wanted_kinds(q.question)
        hits = c.retriever.retrieve(query, k=40)
        for v in variants:
            r = rank_of_evidence(boosted(hits, kinds, v), q.evidence)
            ranks[v][q.type].append(r)
            ranks[v]["alle"].append(r)
            if kinds:
                ranks[v]["met soort"].append(r)

    def metrics(rs: list[int | None]) -> str:
        n = len(rs)
        hit = lambda k: sum(1 for r in rs if r and r <= k) / n  # noqa: E731
        mrr = sum(1 / r for r in rs if r) / n
        return f"{n:>3}  {hit(1):.2f}  {hit(3):.2f}  {hit(5):.2f}  {mrr:.2f}"

    print(f"{'vragen':<12} {'bonus':>5}   n  hit@1 hit@3 hit@5  MRR")
    for group in ["lessons", "met soort", "alle"]:
        for v in variants:
            print(f"{group:<12} {v:>5.2f} {metrics(ranks[v][group])}")


if __name__ == "__main__":
    main()
