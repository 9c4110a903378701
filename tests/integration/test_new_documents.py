"""Reports nobody wrote rules for (`../shared/newdocs/`: a PDF and a DOCX with labels and
questions), ingested without a manifest with the real model: metadata from the documents
themselves, the structure from their format, the PDF's portraits as cases, and the questions
answered from them. Prints the figures; asserts floors well below them (the labels are one
reader's judgement)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.components import Components
from evals.doc_labels import field_right
from evals.metrics import compute_metrics
from evals.questions import load_questions

from .conftest import REPO, make_settings

NEWDOCS = REPO.parent / "shared" / "newdocs"
pytestmark = pytest.mark.skipif(not NEWDOCS.is_dir(), reason="../shared/newdocs ontbreekt")


def _folders():
    return sorted(p for p in NEWDOCS.iterdir() if (p / "labels.json").exists()) if NEWDOCS.is_dir() else []


def _rendered(folder: Path) -> Path:
    return next(f for f in folder.iterdir() if f.suffix in (".pdf", ".docx"))


@pytest.fixture(scope="module")
def new_kb(tmp_path_factory, e5_model_dir, e5_embedder):
    root = tmp_path_factory.mktemp("newdocs")
    corpus = root / "corpus"
    corpus.mkdir()
    for folder in _folders():
        shutil.copy(_rendered(folder), corpus)
    components = Components(make_settings(root, e5_model_dir, corpus), embedder=e5_embedder)
    report = components.indexer.sync_folder(corpus)
    assert not report.failed, report.failed
    return components


@pytest.mark.parametrize("folder", _folders(), ids=lambda p: p.name)
def test_metadata_comes_from_the_document(new_kb, folder):
    labels = json.loads((folder / "labels.json").read_text("utf-8"))
    doc = next(d.document for d in new_kb.store.documents() if d.document.file == _rendered(folder).name)
    found = {"title": doc.title, "publisher": doc.publisher, "year": doc.year, "doc_type": doc.doc_type,
             "places": doc.places}
    right = {name: field_right(name, found[name], labels[name]) for name in found}
    print(folder.name, found, right)
    assert sum(right.values()) >= 4, (found, right)


def test_portraits_are_cases_and_the_cover_is_no_passage(new_kb):
    ids = [d.document.doc_id for d in new_kb.store.documents()]
    chunks = [c for per_doc in new_kb.store.current_chunks_of(ids).values() for c in per_doc]
    cases = {c.metadata.get("case") for c in chunks if c.metadata.get("case")}
    print("cases:", sorted(cases))
    wanted = [c for folder in _folders() for c in json.loads((folder / "labels.json").read_text("utf-8"))["cases"]]
    found = [w for w in wanted if any(case.startswith(w["place"]) for case in cases)]
    assert len(found) >= 0.75 * len(wanted)
    text = "\n".join(c.text for c in chunks)
    for folder in _folders():
        labels = json.loads((folder / "labels.json").read_text("utf-8"))
        assert labels["subtitle"] not in text  # the cover's subtitle is metadata, not a passage


def test_questions_on_the_new_documents(new_kb, tmp_path):
    questions, results = [], []
    for folder in _folders():
        for q in load_questions(folder / "questions.jsonl"):
            history = q.history_dicts()
            questions.append(q)
            answer = new_kb.assistant.ask(q.question, history=history).model_dump()
            results.append({"id": q.id, "question": q.question, "type": q.type, "error": None,
                            "latency_ms": None, **answer})
    metrics = compute_metrics(questions, results)["overall"]
    print({k: metrics[k] for k in ("hit@5", "must_mention", "citation_hit", "abstention_rate",
                                   "false_abstention_rate")})
    assert metrics["hit@5"] >= 0.6 and metrics["citation_hit"] >= 0.5
