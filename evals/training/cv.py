"""Cross-validation of the whole answer pipeline on the training questions (dev + train):
five folds grouped by evidence passage (dataset.folds); per fold the three models and the
selection bars are fitted on the other four folds only, then the fold's questions are answered
and scored with evals/metrics.py. Prints per-fold and mean figures, and the in-sample figures of
models fitted on all questions (a gap of more than ~0.05 means the models fit their examples).

    python -m evals.training.cv [--folds 5] [--json runs/cv.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from evals.metrics import aggregate
from evals.training.dataset import FOLDS, PROBE_FILES, build_examples, folds, load_training_questions
from evals.training.fit import answer_all, build_answerer, fit_models, prepare_all
from assistant.rank import Ranker

SHOWN = ("hit@1", "hit@5", "mrr@10", "must_mention", "citation_hit", "citation_precision",
         "abstention_rate", "false_abstention_rate")


def evaluate(models, examples, retriever) -> list[dict]:
    preps = prepare_all(examples, Ranker(models.ranker), retriever)
    return answer_all(build_answerer(models, retriever, retriever.next_passage), examples, preps)


def cross_validate(examples, retriever, n: int = FOLDS, log=print, probes=()) -> dict:
    fold_of = folds(examples, n)
    per_fold, scores_all = [], []
    for k in range(n):
        train = [e for e, f in zip(examples, fold_of) if f != k]
        test = [e for e, f in zip(examples, fold_of) if f == k]
        models = fit_models(train, retriever, retriever.next_passage, probes=probes)
        scores = evaluate(models, test, retriever)
        for s in scores:
            s["fold"] = k
        scores_all += scores
        per_fold.append(aggregate(scores))
        log(f"fold {k + 1}/{n}: {len(test)} vragen · " + " · ".join(
            f"{key} {per_fold[-1][key]:.2f}" for key in SHOWN if per_fold[-1][key] is not None))
    mean = {key: float(np.mean([f[key] for f in per_fold if f[key] is not None])) for key in SHOWN}
    per_type = {}
    for t in sorted({s["type"] for s in scores_all}):
        per_type[t] = aggregate([s for s in scores_all if s["type"] == t])
    return {"folds": per_fold, "mean": mean, "per_type": per_type, "scores": scores_all}


def in_sample(examples, retriever, probes=()) -> dict:
    models = fit_models(examples, retriever, retriever.next_passage, probes=probes)
    return aggregate(evaluate(models, examples, retriever))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--json", type=Path, help="schrijf alle cijfers ook als JSON")
    parser.add_argument("--no-in-sample", action="store_true")
    args = parser.parse_args(argv)
    from assistant.components import Components
    from assistant.settings import Settings

    c = Components(Settings())
    examples = build_examples(load_training_questions(), c.retriever, c.store)
    probes = build_examples(load_training_questions(files=PROBE_FILES), c.retriever, c.store)
    result = cross_validate(examples, c.retriever, args.folds, probes=probes)
    print("gemiddeld over de folds: " + " · ".join(f"{k} {v:.3f}" for k, v in result["mean"].items()))
    for t, m in result["per_type"].items():
        print(f"  {t:12s} n={m['n']:3d} " + " ".join(f"{k} {m[k]:.2f}" for k in SHOWN if m.get(k) is not None))
    if not args.no_in_sample:
        result["in_sample"] = in_sample(examples, c.retriever, probes)
        print("in-sample (alle vragen): " + " · ".join(
            f"{k} {result['in_sample'][k]:.3f}" for k in SHOWN if result["in_sample"][k] is not None))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1, default=float) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
