"""How well does ingest read documents nobody wrote rules for? Metadata, passage kinds and cases
against a folder of labelled documents (the format of `../shared/newdocs/`: the rendered file and
`labels.json` with title, publisher, year, doc_type, places, cases and a kind per paragraph).

    .venv/bin/python -m evals.doc_labels ../shared/newdocs            # labelled folders
    .venv/bin/python -m evals.doc_labels --bundled                     # corpus/ without its manifest
    .venv/bin/python -m evals.doc_labels ../shared/newdocs --json

Ingest only (no model, no knowledge base): the manifest is never read, so what is measured is
what a maintainer's new document gets. Question figures for the same documents: `wijkwijs eval`
with their `questions.jsonl` after adding them (see evals/README.md).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.manifest import load_manifest
from ingest.pipeline import prepare_document

REPO = Path(__file__).resolve().parents[1]
KEY_KINDS = ("les", "aanbeveling", "knelpunt", "resultaat")
FIELDS = ("title", "publisher", "year", "doc_type", "places")


@dataclass
class DocReport:
    doc: str
    fields: dict[str, bool] = field(default_factory=dict)  # field → right
    found: dict[str, object] = field(default_factory=dict)  # what ingest found
    cases_labelled: int = 0
    cases_found: int = 0  # labelled cases that ingest found
    cases_extra: int = 0  # cases ingest found that no label names
    kinds: list[tuple[str, str | None]] = field(default_factory=list)  # (label, ingest's kind)


def _norm(text: str) -> str:
    return re.sub(r"[^\w]+", " ", str(text or "").lower()).strip()


def normalise_type(doc_type: str | None) -> str:
    """'quick-scan' → 'quickscan'; 'evaluatie + jaarplan (…)' → 'evaluatie'; 'praktijkvoorbeelden /
    digitaal magazine' → 'praktijkvoorbeelden'."""
    first = re.split(r"[+/(,]", str(doc_type or ""))[0]
    return _norm(first).replace(" ", "").replace("-", "")


def field_right(name: str, found, label) -> bool:
    if name == "places":  # right when most labelled places are found and most found are labelled
        got, want = {_norm(p) for p in found or []}, {_norm(re.split(r"[(,]", p)[0]) for p in label or []}
        if not want:
            return not got
        hit = sum(any(w == g or w in g or g in w for g in got) for w in want)
        return hit / len(want) >= 0.5 and (not got or hit / len(got) >= 0.5)
    if name == "doc_type":
        return normalise_type(found) == normalise_type(label)
    if name == "year":
        return str(found or "") in re.findall(r"\d{4}", str(label or ""))[:1] or str(found) == str(label)
    if name == "publisher":
        return bool(found) and any(_norm(found) in _norm(p) or _norm(p) in _norm(found)
                                   for p in (label if isinstance(label, list) else [label]) if p)
    return _norm(found) == _norm(label) or (bool(found) and _norm(label).startswith(_norm(found)))


def evaluate_document(path: Path, labels: dict) -> DocReport:
    doc, chunks = prepare_document(path, path.parent, None)
    found = {"title": doc.title, "publisher": doc.publisher, "year": doc.year, "doc_type": doc.doc_type,
             "places": doc.places}
    report = DocReport(path.name, found=found)
    for name in FIELDS:
        if labels.get(name) is not None:
            report.fields[name] = field_right(name, found[name], labels[name])
    cases = {c.case for c in chunks if c.case}
    wanted = labels.get("cases") or []
    report.cases_labelled = len(wanted)
    matched = {c for c in cases for w in wanted if same_case(c, w)}
    report.cases_found = sum(any(same_case(c, w) for c in cases) for w in wanted)
    report.cases_extra = len(cases - matched)
    for passage in labels.get("passages", []):
        chunk = _chunk_holding(chunks, passage["text"])
        report.kinds.append((passage["kind"], chunk.kind if chunk else None))
    return report


def same_case(found: str, wanted: dict) -> bool:
    """A found case is the labelled one when the names are the same but for a part in brackets
    ("Proeftuin De Ruwaard" and "Proeftuin De Ruwaard (Oss)"), or it opens with the labelled place."""
    a, b = _norm(found), _norm(wanted["name"])
    place = _norm(wanted.get("place") or "")
    return bool(a) and (a == b or b.startswith(a) or a.startswith(b) or bool(place and a.startswith(place)))


def _chunk_holding(chunks, text: str):
    want = _norm(text)
    for probe in (want, want[:80]):
        for c in chunks:
            if probe and probe in _norm(c.text):
                return c
    return None


def kind_scores(pairs: list[tuple[str, str | None]]) -> dict[str, dict[str, float]]:
    """Precision and recall per kind over (label, found) pairs."""
    out = {}
    for kind in sorted({k for k, _ in pairs} | {f for _, f in pairs if f}):
        tp = sum(1 for k, f in pairs if k == kind and f == kind)
        found = sum(1 for _, f in pairs if f == kind)
        labelled = sum(1 for k, _ in pairs if k == kind)
        out[kind] = {"precision": tp / found if found else 0.0, "recall": tp / labelled if labelled else 0.0,
                     "n": labelled}
    return out


def labelled_folders(root: Path) -> list[tuple[Path, dict]]:
    out = []
    for folder in sorted(p for p in root.iterdir() if (p / "labels.json").exists()):
        files = [f for f in folder.iterdir() if f.suffix.lower() in SUPPORTED_SUFFIXES and f.name != "source.md"]
        if files:
            out.append((files[0], json.loads((folder / "labels.json").read_text("utf-8"))))
    return out


def bundled(corpus: Path = REPO / "corpus") -> list[tuple[Path, dict]]:
    """The bundled documents with their manifest entries as labels (the manifest is not used
    for ingest here)."""
    manifest = load_manifest(corpus)
    out = []
    for path in sorted(p for p in corpus.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES):
        entry = manifest.lookup(path.name)
        if entry:
            out.append((path, {"year": entry.year, "doc_type": entry.document_type, "places": entry.places,
                               "publisher": entry.authors_publishers or None,
                               "cases": [{"name": c} for c in entry.cases]}))
    return out


def summary(reports: list[DocReport]) -> dict:
    fields = Counter()
    totals = Counter()
    for r in reports:
        for name, right in r.fields.items():
            totals[name] += 1
            fields[name] += right
    labelled = sum(r.cases_labelled for r in reports)
    return {
        "fields_right": {n: fields[n] / totals[n] for n in totals},
        "fields_right_all": sum(fields.values()) / max(sum(totals.values()), 1),
        "cases_found": sum(r.cases_found for r in reports) / labelled if labelled else None,
        "cases_extra": sum(r.cases_extra for r in reports),
        "kinds": kind_scores([p for r in reports for p in r.kinds]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Metadata, soorten passages en praktijkvoorbeelden "
                                                 "tegen gelabelde documenten.")
    parser.add_argument("folders", nargs="*", type=Path, help="mappen met gelabelde documenten")
    parser.add_argument("--bundled", action="store_true", help="ook corpus/ zonder manifest")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    items = [item for root in args.folders for item in labelled_folders(root)]
    if args.bundled:
        items += bundled()
    if not items:
        print("Geen gelabelde documenten gevonden (een map per document met labels.json).", file=sys.stderr)
        return 2
    reports = [evaluate_document(path, labels) for path, labels in items]
    result = {"documents": [asdict(r) for r in reports], "summary": summary(reports)}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    for r in reports:
        wrong = [n for n, ok in r.fields.items() if not ok]
        print(f"{r.doc}: velden goed {sum(r.fields.values())}/{len(r.fields)}"
              f"{' (fout: ' + ', '.join(f'{n}={r.found[n]!r}' for n in wrong) + ')' if wrong else ''}"
              f" · praktijkvoorbeelden {r.cases_found}/{r.cases_labelled} (+{r.cases_extra} niet gelabeld)")
    s = result["summary"]
    print("velden goed:", " · ".join(f"{n} {v:.2f}" for n, v in s["fields_right"].items()),
          f"· alle {s['fields_right_all']:.2f}")
    if s["cases_found"] is not None:
        print(f"praktijkvoorbeelden gevonden: {s['cases_found']:.2f}")
    for kind, m in s["kinds"].items():
        mark = " *" if kind in KEY_KINDS else ""
        print(f"  {kind:12s} precisie {m['precision']:.2f} · recall {m['recall']:.2f} · n={m['n']}{mark}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
