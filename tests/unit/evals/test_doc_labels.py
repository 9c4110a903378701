"""Scoring ingest against labelled documents (evals/doc_labels.py, evals/kind_lodo.py)."""

from __future__ import annotations

import json

import numpy as np

from evals.doc_labels import field_right, kind_scores, labelled_folders, normalise_type, same_case
from evals.kind_lodo import scores
from evals.questions import load_questions


def test_fields_are_compared_as_a_reader_would():
    assert normalise_type("quick-scan") == normalise_type("quickscan") == "quickscan"
    assert normalise_type("evaluatie + jaarplan (verantwoording)") == "evaluatie"
    assert field_right("doc_type", "praktijkvoorbeelden", "praktijkvoorbeelden / digitaal magazine")
    assert field_right("year", "2013", "2013") and not field_right("year", "2020", "2019")
    assert field_right("year", "2021", "niet expliciet; waarschijnlijk eind 2021")
    assert field_right("publisher", "Movisie en Platform31", ["Guido de Ruiter", "Movisie en Platform31 (uitgave)"])
    assert not field_right("publisher", None, "Stichting X")
    # places: most labelled found and most found labelled; "Kplus (K-buurt, …)" counts as Kplus
    assert field_right("places", ["Goes", "Middelburg"], ["Goes", "Middelburg", "Zeeland"])
    assert field_right("places", ["Kplus", "Amsterdam"], ["Kplus (K-buurt, Nellestein)", "Amsterdam"])
    assert not field_right("places", ["Goes", "Tholen", "Veere", "Sluis"], ["Goes", "Middelburg"])


def test_a_case_is_the_labelled_one_but_for_a_part_in_brackets():
    assert same_case("Proeftuin De Ruwaard", {"name": "Proeftuin De Ruwaard (Oss)"})
    assert same_case("Goes: regionaal", {"name": "Goes – regionaal en integraal", "place": "Goes"})
    assert not same_case("Wooncirkels zorgen voor verbinding", {"name": "Wooncirkels Noord-Holland (Leviaan)"})
    assert not same_case("", {"name": "Iets"})


def test_kind_precision_and_recall():
    pairs = [("les", "les"), ("les", None), ("knelpunt", "les"), ("resultaat", "resultaat")]
    got = kind_scores(pairs)
    assert got["les"] == {"precision": 0.5, "recall": 0.5, "n": 2}
    assert got["knelpunt"]["recall"] == 0.0 and got["resultaat"]["precision"] == 1.0
    line = scores(np.array(["les", "les", "knelpunt"]), np.array(["les", "knelpunt", "knelpunt"]))
    assert "les P 1.00 R 0.50" in line and "knelpunt P 0.50 R 1.00" in line


def test_labelled_folders_and_questions_beside_their_document(tmp_path):
    folder = tmp_path / "rapport"
    folder.mkdir()
    (folder / "rapport.docx").write_bytes(b"stub")
    (folder / "labels.json").write_text(json.dumps({"title": "Rapport", "passages": []}), "utf-8")
    (folder / "questions.jsonl").write_text(json.dumps({
        "id": "r-1", "question": "Wat?", "type": "fact", "answerable": True,
        "evidence": [{"quote": "Iets."}], "must_mention": ["iets"]}) + "\n", "utf-8")
    assert [p.name for p, _ in labelled_folders(tmp_path)] == ["rapport.docx"]
    assert load_questions(folder / "questions.jsonl")[0].evidence[0].doc == "rapport.docx"


def test_eval_docs_adds_the_batch_to_a_copy_and_leaves_the_knowledge_base_alone(fake_components, tmp_path):
    import docx

    from evals.doc_eval import evaluate

    fake_components.indexer.sync_folder(fake_components.settings.corpus_dir)
    before = {d.document.doc_id for d in fake_components.store.documents()}
    folder = tmp_path / "batch" / "verslag"
    folder.mkdir(parents=True)
    d = docx.Document()
    d.add_paragraph("Samen in Deventer", style="Title")
    d.add_paragraph("Stichting Buurtkracht Deventer")
    d.add_paragraph("April 2022")
    d.add_heading("Wat is bereikt", level=1)
    for n in range(6):
        d.add_paragraph(f"In Deventer kregen in ronde {n} meer dan dertig bewoners een maatje uit de buurt. "
                        "De gemeente Deventer betaalt de coördinatie van het netwerk.")
    d.save(folder / "verslag.docx")
    (folder / "labels.json").write_text(json.dumps({
        "title": "Samen in Deventer", "publisher": "Stichting Buurtkracht Deventer", "year": 2022,
        "doc_type": None, "places": ["Deventer"], "cases": [],
        "passages": [{"text": "In Deventer kregen in ronde 0 meer dan dertig bewoners een maatje uit de buurt.",
                      "kind": "resultaat"}]}), "utf-8")
    (folder / "questions.jsonl").write_text(json.dumps({
        "id": "v-1", "question": "Hoeveel bewoners kregen een maatje in Deventer?", "type": "fact",
        "answerable": True, "evidence": [{"quote": "meer dan dertig bewoners een maatje"}],
        "must_mention": ["dertig"]}) + "\n", "utf-8")
    result = evaluate(fake_components, tmp_path / "batch", log=lambda _: None)
    (report,) = result["documents"]
    assert report["fields"] == {"title": True, "publisher": True, "year": True, "places": True}
    assert report["kinds"][0][0] == "resultaat" and report["questions"]["n"] == 1
    assert {d.document.doc_id for d in fake_components.store.documents()} == before  # untouched
