"""How well do the passage kinds match hand labels? Precision, recall and F1 per kind.

    .venv/bin/python evals/kind_accuracy.py            # table + confusions, exit 1 below target
    .venv/bin/python evals/kind_accuracy.py --json     # the same numbers as JSON
    .venv/bin/python evals/kind_accuracy.py --errors   # also list every wrongly labelled passage

The labels (`tests/fixtures/kind_labels.jsonl`) were written by reading the passages of the
bundled corpus, not by running the classifier. Each row names a passage by document, chunk index
and the first 80 characters of its text, so a shifted index is still found. `sample` says how
the passage was picked: `willekeurig` (a seeded random sample of 100 passages of the whole
corpus) or `sectie` (every passage of the sections where the key kinds live). The random
sample gives the less biased figure; both are reported.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from ingest.kinds import KINDS, assign_kinds, explain_document, judged_sections  # noqa: E402
from ingest.records import Chunk  # noqa: E402

LABELS = REPO / "tests" / "fixtures" / "kind_labels.jsonl"
CORPUS = REPO / "corpus"
TARGET = 0.8
TARGET_KINDS = ("les", "aanbeveling", "knelpunt", "resultaat")
NONE = "(geen)"


@dataclass
class Labelled:
    doc: str
    chunk_index: int
    prefix: str
    label: str | None
    sample: str
    note: str = ""


def load_labels(path: Path = LABELS) -> list[Labelled]:
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows.append(Labelled(row["doc"], row["chunk_index"], row["prefix"], row["label"], row["sample"],
                                 row.get("note", "")))
    return rows


def _norm(text: str) -> str:
    return " ".join(text.split())


def corpus_chunks(corpus: Path = CORPUS) -> dict[str, list[Chunk]]:
    """doc id → chunks of every bundled document, through the real ingest pipeline (no model)."""
    from ingest.manifest import load_manifest
    from ingest.pipeline import prepare_document

    manifest = load_manifest(corpus)
    return {p.name: prepare_document(p, corpus, manifest)[1] for p in sorted(corpus.glob("*.txt"))}


def locate(row: Labelled, chunks: dict[str, list[Chunk]]) -> Chunk | None:
    """The labelled passage: the chunk of the document that starts with the prefix, nearest the
    recorded index (chunking changes may shift indexes, not texts)."""
    candidates = [c for c in chunks.get(row.doc, []) if _norm(c.text).startswith(row.prefix)]
    if not candidates:
        return None
    return min(candidates, key=lambda c: abs(c.chunk_index - row.chunk_index))


@dataclass
class Report:
    pairs: list[tuple[Labelled, str | None]]  # (label row, predicted kind)
    missing: list[Labelled]

    def per_kind(self, sample: str | None = None) -> dict[str, dict]:
        pairs = [(r, p) for r, p in self.pairs if sample is None or r.sample == sample]
        out = {}
        for kind in KINDS:
            tp = sum(1 for r, p in pairs if r.label == kind and p == kind)
            fp = sum(1 for r, p in pairs if r.label != kind and p == kind)
            fn = sum(1 for r, p in pairs if r.label == kind and p != kind)
            precision = tp / (tp + fp) if tp + fp else None
            recall = tp / (tp + fn) if tp + fn else None
            f1 = (2 * precision * recall / (precision + recall)
                  if precision and recall else (0.0 if precision is not None and recall is not None else None))
            out[kind] = {"support": tp + fn, "predicted": tp + fp, "precision": precision, "recall": recall, "f1": f1}
        return out

    def accuracy(self, sample: str | None = None) -> float:
        pairs = [(r, p) for r, p in self.pairs if sample is None or r.sample == sample]
        return sum(r.label == p for r, p in pairs) / len(pairs) if pairs else 0.0

    def confusions(self, top: int = 12) -> list[tuple[str, str, int]]:
        counts = Counter((r.label or NONE, p or NONE) for r, p in self.pairs if r.label != p)
        return [(t, p, n) for (t, p), n in counts.most_common(top)]

    def below_target(self) -> list[str]:
        table = self.per_kind()
        return [k for k in TARGET_KINDS
                if (table[k]["precision"] or 0) < TARGET or (table[k]["recall"] or 0) < TARGET]


def evaluate(labels: list[Labelled] | None = None, chunks: dict[str, list[Chunk]] | None = None) -> Report:
    labels = labels if labels is not None else load_labels()
    chunks = chunks if chunks is not None else corpus_chunks()
    predicted = {doc: {c.chunk_index: c.kind for c in assign_kinds(cs)} for doc, cs in chunks.items()}
    pairs, missing = [], []
    for row in labels:
        chunk = locate(row, chunks)
        if chunk is None:
            missing.append(row)
        else:
            pairs.append((row, predicted[row.doc][chunk.chunk_index]))
    return Report(pairs, missing)


def _fmt(x: float | None) -> str:
    return "  –  " if x is None else f"{x:5.2f}"


def print_report(report: Report, errors: bool = False) -> None:
    n = len(report.pairs)
    n_random = sum(1 for r, _ in report.pairs if r.sample == "willekeurig")
    print(f"Soorten passages: {n} handgelabelde passages ({n_random} willekeurig, {n - n_random} per sectie)")
    if report.missing:
        print(f"  niet teruggevonden in het corpus: {len(report.missing)}")
    print(f"Nauwkeurigheid (accuracy): alles {report.accuracy():.2f}, willekeurige steekproef "
          f"{report.accuracy('willekeurig'):.2f}\n")
    table, random_table = report.per_kind(), report.per_kind("willekeurig")
    print(f"{'soort':<12} {'n':>4} {'precisie':>8} {'recall':>7} {'F1':>6}   | willekeurig: {'n':>3} {'prec':>5} {'rec':>5}")
    for kind in KINDS:
        row, rnd = table[kind], random_table[kind]
        mark = " *" if kind in TARGET_KINDS else "  "
        print(f"{kind:<12} {row['support']:>4} {_fmt(row['precision']):>8} {_fmt(row['recall']):>7} "
              f"{_fmt(row['f1']):>6}{mark} | {'':>12}{rnd['support']:>3} {_fmt(rnd['precision'])} {_fmt(rnd['recall'])}")
    print(f"\n* doel: precisie en recall ≥ {TARGET} voor {', '.join(TARGET_KINDS)}")
    print("\nMeest voorkomende verwarringen (label → voorspeld):")
    for true, pred, count in report.confusions():
        print(f"  {true:<12} → {pred:<12} {count}")
    if errors:
        print("\nFouten:")
        for r, p in report.pairs:
            if r.label != p:
                print(f"  {r.doc[:28]} #{r.chunk_index:<4} {r.label or NONE:<12} → {p or NONE:<12} {r.prefix[:60]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--errors", action="store_true", help="list every wrongly labelled passage")
    parser.add_argument("--explain", metavar="DOC#N", help="show the rules that fired for one passage")
    args = parser.parse_args(argv)
    if args.explain:
        doc, _, index = args.explain.rpartition("#")
        chunks = corpus_chunks()
        docs = [d for d in chunks if d.startswith(doc)]
        if len(docs) != 1 or not index.isdigit():
            parser.error(f"--explain {args.explain}: geef DOC#N met een (begin van een) documentnaam uit "
                         f"{', '.join(chunks)} en een passagenummer")
        doc_chunks = chunks[docs[0]]
        judged = zip(doc_chunks, judged_sections(doc_chunks), explain_document(doc_chunks))
        found = [j for j in judged if j[0].chunk_index == int(index)]
        if not found:
            parser.error(f"{docs[0]} heeft geen passage #{index} (0–{len(doc_chunks) - 1})")
        chunk, section, verdict = found[0]
        print(f"kop: {section}\n{' '.join(chunk.text.split())[:300]}")
        print(f"{args.explain}: {verdict.kind}  (kop: {verdict.heading_kind})  scores {verdict.scores}")
        print("\n".join("  " + f for f in verdict.fired))
        return 0
    report = evaluate()
    if args.json:
        print(json.dumps({
            "n": len(report.pairs), "missing": len(report.missing),
            "accuracy": report.accuracy(), "accuracy_random": report.accuracy("willekeurig"),
            "per_kind": report.per_kind(), "per_kind_random": report.per_kind("willekeurig"),
            "confusions": report.confusions(), "below_target": report.below_target(),
        }, ensure_ascii=False, indent=2))
    else:
        print_report(report, errors=args.errors)
    return 1 if report.below_target() or report.missing else 0


if __name__ == "__main__":
    sys.exit(main())
