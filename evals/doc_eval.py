"""`wijkwijs eval-docs DIR`: what a batch of new, labelled documents gets from the whole system.

The documents are added to a scratch copy of the knowledge base (the real one is not touched);
per document the report gives metadata fields right, passage kinds against the labels, cases
found, how much of each labelled case card the Lessen-page card holds (partners, results,
obstacles), and the question figures of its `questions.jsonl`. The folder format is that of
`../shared/newdocs/` (evals/doc_labels.py reads it).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from evals.doc_labels import FIELDS, _chunk_holding, _norm, field_right, kind_scores, labelled_folders, same_case
from evals.metrics import compute_metrics
from evals.questions import load_questions

QUESTION_FIGURES = ("hit@5", "mrr@10", "must_mention", "citation_hit", "citation_precision",
                    "abstention_rate", "false_abstention_rate")


def scratch_components(components, folder: Path, scratch: Path, log: Callable[[str], None]):
    """A copy of the knowledge base (data and corpus) with the folder's documents added."""
    from assistant.components import Components

    settings = components.settings
    ignore = shutil.ignore_patterns("models", "*.lock")
    shutil.copytree(settings.data_dir, scratch / "data", ignore=ignore, dirs_exist_ok=True)
    shutil.copytree(settings.corpus_dir, scratch / "corpus", dirs_exist_ok=True)
    for path, _ in labelled_folders(folder):
        shutil.copy(path, scratch / "corpus" / path.name)
    copy = settings.model_copy(update={
        "data_dir": scratch / "data", "corpus_dir": scratch / "corpus",
        "embedding": settings.embedding.model_copy(update={"model_dir": settings.bundled_model_dir})})
    scratch_kb = Components(copy, embedder=components.embedder)
    log("Documenten toevoegen aan een kopie van de kennisbank …")
    report = scratch_kb.indexer.sync_folder(scratch / "corpus")
    if report.failed:
        raise RuntimeError("; ".join(f"{name}: {why}" for name, why in dict(report.failed).items()))
    return scratch_kb


def evaluate(components, folder: Path, log: Callable[[str], None] = print) -> dict:
    items = labelled_folders(folder)
    if not items:
        raise FileNotFoundError(f"Geen gelabelde documenten in {folder} (een map per document met labels.json).")
    with tempfile.TemporaryDirectory(prefix="wijkwijs-eval-docs-") as tmp:
        kb = scratch_components(components, folder, Path(tmp), log)
        stored = {d.document.file: d.document for d in kb.store.documents()}
        chunks_of = kb.store.current_chunks_of([stored[p.name].doc_id for p, _ in items if p.name in stored])
        reports = []
        for path, labels in items:
            log(f"{path.name} …")
            doc = stored[path.name]
            reports.append(_document_report(kb, doc, chunks_of.get(doc.doc_id, []), path, labels))
    return {"documents": reports, "summary": _summary(reports)}


def _document_report(kb, doc, chunks, path: Path, labels: dict) -> dict:
    from assistant import catalogue

    found = {"title": doc.title, "publisher": doc.publisher, "year": doc.year, "doc_type": doc.doc_type,
             "places": doc.places}
    fields = {n: field_right(n, found[n], labels[n]) for n in FIELDS if labels.get(n) is not None}
    kinds = [(p["kind"], _kind_of(chunks, p["text"])) for p in labels.get("passages", [])]
    cards = catalogue.cases(kb, doc=doc.doc_id)
    wanted = labels.get("cases") or []
    matched = [(w, _card_for(cards, w)) for w in wanted]
    return {
        "doc": path.name, "found": found, "fields": fields, "kinds": kinds,
        "cases_labelled": len(wanted), "cases_found": sum(card is not None for _, card in matched),
        "card_recall": _card_recall(matched),
        "questions": _questions(kb, path.parent / "questions.jsonl"),
    }


def _kind_of(chunks, text: str) -> str | None:
    chunk = _chunk_holding(chunks, text)
    return chunk.metadata.get("kind") if chunk else None


def _card_for(cards, wanted: dict):
    return next((card for card in cards if same_case(card.name, wanted)), None)


def _card_recall(matched) -> dict[str, float | None]:
    """Per field, the share of labelled items that the card holds (word overlap ≥ half)."""
    out = {}
    for field, attr in (("partners", "partners"), ("results", "results"), ("obstacles", "obstacles")):
        hits = total = 0
        for wanted, card in matched:
            items = [_norm(getattr(i, "text", i)) for i in (getattr(card, attr, []) if card else [])]
            for label in wanted.get(field) or []:
                total += 1
                words = set(_norm(label).split())
                hits += any(len(words & set(i.split())) >= 0.5 * len(words) for i in items)
        out[field] = hits / total if total else None
    return out


def _questions(kb, path: Path) -> dict | None:
    if not path.is_file():
        return None
    questions = load_questions(path)
    results = []
    for q in questions:
        answer = kb.assistant.ask(q.question, history=q.history_dicts()).model_dump()
        results.append({"id": q.id, "question": q.question, "type": q.type, "error": None, "latency_ms": None,
                        **answer})
    overall = compute_metrics(questions, results)["overall"]
    return {k: overall.get(k) for k in QUESTION_FIGURES} | {"n": len(questions)}


def _summary(reports: list[dict]) -> dict:
    fields = [ok for r in reports for ok in r["fields"].values()]
    labelled = sum(r["cases_labelled"] for r in reports)
    return {
        "fields_right": sum(fields) / len(fields) if fields else None,
        "cases_found": sum(r["cases_found"] for r in reports) / labelled if labelled else None,
        "kinds": kind_scores([tuple(p) for r in reports for p in r["kinds"]]),
    }


def print_report(result: dict, out: Callable[[str], None] = print) -> None:
    for r in result["documents"]:
        wrong = [f"{n}={r['found'][n]!r}" for n, ok in r["fields"].items() if not ok]
        out(f"{r['doc']}: metadata {sum(r['fields'].values())}/{len(r['fields'])} goed"
            + (f" (fout: {', '.join(wrong)})" if wrong else ""))
        if r["cases_labelled"]:
            cards = " · ".join(f"{k} {v:.2f}" for k, v in r["card_recall"].items() if v is not None)
            out(f"  praktijkvoorbeelden {r['cases_found']}/{r['cases_labelled']}; kaarten: {cards}")
        if r["questions"]:
            q = r["questions"]
            out("  vragen: " + " · ".join(f"{k} {q[k]:.2f}" for k in QUESTION_FIGURES if q.get(k) is not None))
    s = result["summary"]
    if s["fields_right"] is not None:
        out(f"metadata goed: {s['fields_right']:.2f}")
    for kind, m in s["kinds"].items():
        out(f"  {kind:12s} precisie {m['precision']:.2f} · recall {m['recall']:.2f} · n={m['n']}")
