"""Rebuild the assistant's model files (assistant/models/) from the training questions.

    python -m evals.training.train [--no-cv] [--out assistant/models]

Needs the bundled corpus ingested with the current code (`wijkwijs ingest`): the features are read
from the knowledge base. Cross-validates first (evals/training/cv.py, a few minutes) and stores the
per-fold and mean figures in each model's `meta`, then fits the final models on all questions.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from assistant.models import MODEL_DIR
from evals.training.cv import SHOWN, cross_validate, evaluate
from evals.training.dataset import PROBE_FILES, TRAINING_FILES, build_examples, load_training_questions
from evals.training.fit import fit_models
from evals.metrics import aggregate


def _data_hash(root: Path = Path(".")) -> str:
    digest = hashlib.sha256()
    for name in TRAINING_FILES:
        digest.update((root / name).read_bytes())
    return digest.hexdigest()[:16]


def _rounded(figures: dict) -> dict:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in figures.items() if k in SHOWN}


def train(components, out: Path = MODEL_DIR, with_cv: bool = True, log=print) -> dict:
    retriever = components.retriever
    if not components.store.documents():
        raise SystemExit("De kennisbank is leeg: voer eerst `wijkwijs ingest` uit (het gebundelde corpus).")
    log("Trainingsvragen ophalen en kandidaten zoeken …")
    examples = build_examples(load_training_questions(), retriever, components.store)
    probes = build_examples(load_training_questions(files=PROBE_FILES), retriever, components.store)
    summary: dict = {"questions": len(examples), "data": _data_hash(),
                     "created": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    if with_cv:
        log("Kruisvalidatie (5 folds, gegroepeerd op bewijspassage) …")
        result = cross_validate(examples, retriever, log=log, probes=probes)
        summary["cv_mean"] = _rounded(result["mean"])
        summary["cv_folds"] = [_rounded(f) for f in result["folds"]]
    log("Modellen trainen op alle vragen …")
    models = fit_models(examples, retriever, retriever.next_passage, probes=probes)
    summary["in_sample"] = _rounded(aggregate(evaluate(models, examples, retriever)))
    models.ranker.meta.update(summary)
    models.composer.meta.update(summary, selection=asdict(models.selection))
    models.judge.meta.update(summary, threshold=models.threshold)
    models.ranker.save(out / "ranker.json")
    models.composer.save(out / "composer.json")
    models.judge.save(out / "judge.json")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bouw de modelbestanden opnieuw uit de trainingsvragen.")
    parser.add_argument("--no-cv", action="store_true", help="sla de kruisvalidatie over (sneller)")
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    args = parser.parse_args(argv)
    from assistant.components import Components
    from assistant.settings import Settings

    summary = train(Components(Settings()), args.out, with_cv=not args.no_cv)
    if "cv_mean" in summary:
        print("kruisgevalideerd: " + " · ".join(f"{k} {v:.3f}" for k, v in summary["cv_mean"].items()))
    print("in-sample:        " + " · ".join(f"{k} {v:.3f}" for k, v in summary["in_sample"].items() if v is not None))
    print(f"geschreven naar {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
