"""The foundation end to end on the real corpus with the real model."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from assistant.components import Components
from tests.integration.conftest import CORPUS, REPO, make_settings

pytestmark = pytest.mark.integration

MAGAZINE = "zo-doen-we-dat-leefbare-vitale-buurten.txt"


def test_first_ingest_takes_all_five_documents(corpus_kb):
    report = corpus_kb.first_report
    assert len(report.added) == 5 and not report.failed
    docs = corpus_kb.store.documents()
    assert {d.document.doc_id for d in docs} == {p.name for p in CORPUS.glob("*.txt")}
    magazine = next(d for d in docs if d.document.doc_id == MAGAZINE)
    assert magazine.document.title.startswith("Samenwerken aan leefbare en vitale buurten")
    assert "Hoorn" in magazine.document.places


def test_second_ingest_embeds_nothing(corpus_kb):
    report = corpus_kb.indexer.sync_folder(corpus_kb.settings.corpus_dir)
    assert report.chunks_embedded == 0 and len(report.unchanged) == 5
    assert not (report.added or report.replaced or report.removed)


def test_every_chunk_carries_its_metadata(corpus_kb):
    chunks = corpus_kb.store.current_chunks()
    assert len(chunks) > 100
    for c in chunks:
        m = c.metadata
        for field in ("doc_id", "file", "title", "chunk_index", "content_hash", "version"):
            assert field in m, (field, c.chunk_id)
    cases = {c.metadata.get("case") for c in chunks if c.doc_id == MAGAZINE}
    assert {"Hoorn: gezamenlijke aanpak", "Methode Moderne Devoten (Nijmegen)"} <= cases


def test_waakvlam_question_cites_the_magazine(corpus_kb):
    answer = corpus_kb.assistant.ask("Hoe regel je een waakvlamfunctie?")
    assert not answer.abstained
    assert any(c.doc == MAGAZINE for c in answer.citations)
    assert "waakvlam" in answer.answer.lower()
    assert answer.contexts[0].doc == MAGAZINE


def test_out_of_scope_question_abstains(corpus_kb):
    answer = corpus_kb.assistant.ask("Wat is de hoofdstad van Australië en hoeveel inwoners heeft die stad?")
    assert answer.abstained
    assert answer.contexts  # the closest passages are still shown


def test_a_place_the_documents_do_not_mention_is_refused_by_name(corpus_kb):
    answer = corpus_kb.assistant.ask("Hoe regelt de gemeente Zwolle de waakvlamfunctie?")
    assert answer.abstained and answer.answer.startswith("De documenten in de kennisbank noemen Zwolle niet")
    assert answer.contexts and answer.contexts[0].doc == MAGAZINE  # Hoorn's waakvlam, as "misschien relevant"
    assert not corpus_kb.assistant.ask("Hoe regelt Hoorn de waakvlamfunctie?").abstained


def test_every_place_case_and_title_in_the_knowledge_base_is_mentioned(corpus_kb):
    # The name check may refuse a question only for a name the documents lack: every title, place
    # and practice case the knowledge base shows must pass it, however it is written there.
    from assistant.compose.abstention import unknown_names
    from assistant.question import analyse

    docs = [d.document for d in corpus_kb.store.documents()]
    items = {d.title for d in docs} | {p for d in docs for p in d.places}
    items |= {c.metadata["case"] for c in corpus_kb.store.current_chunks() if c.metadata.get("case")}
    assert len(items) > 40
    mentions = corpus_kb.retriever.mentions
    missing = {item: unknown_names(analyse(f"Wat doet {item}?"), mentions) for item in items}
    assert not {k: v for k, v in missing.items() if v}


def test_filters_restrict_both_sides(corpus_kb):
    from kb.retriever import Filters

    hits = corpus_kb.retriever.retrieve("samenwerking in de wijk", k=10, filters=Filters(place=["Breda"]))
    assert hits and {h.doc_id for h in hits} == {"quickscan-gebiedsgerichte-aanpak-wwz.txt"}
    hits = corpus_kb.retriever.retrieve("samenwerking", k=5, filters=Filters(case=["Hoorn: gezamenlijke aanpak"]))
    assert hits and {h.metadata["case"] for h in hits} == {"Hoorn: gezamenlijke aanpak"}
    # The magazine lists Hoorn among a dozen places: only its Hoorn case (or case-less text) may come.
    hits = corpus_kb.retriever.retrieve("Hoe vaak overleggen de partijen?", k=10, filters=Filters(place=["Hoorn"]))
    assert len(hits) == 10 and [h.rank for h in hits] == list(range(1, 11))
    assert {h.metadata.get("case") for h in hits} <= {"Hoorn: gezamenlijke aanpak", None}
    assert hits[0].metadata.get("case") == "Hoorn: gezamenlijke aanpak"


def test_change_and_remove_touch_only_that_document(tmp_path, e5_model_dir, e5_embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("zorgzame-buurten-woonzorgconcepten.txt", "wijkzorg-oost-evaluatie-2019-jaarplan-2020.txt"):
        shutil.copy(CORPUS / name, corpus / name)
    c = Components(make_settings(tmp_path, e5_model_dir, corpus), embedder=e5_embedder)
    first = c.indexer.sync_folder(corpus)
    assert len(first.added) == 2
    oost_before = [ch.chunk_id for ch in c.store.current_chunks("wijkzorg-oost-evaluatie-2019-jaarplan-2020.txt")]

    changed = corpus / "zorgzame-buurten-woonzorgconcepten.txt"
    changed.write_text(
        changed.read_text("utf-8") + "\n\nNieuwe alinea: de leertuinen krijgen een eigen kwartiermaker in Weesp.\n",
        "utf-8",
    )
    second = c.indexer.sync_folder(corpus)
    assert second.replaced == ["zorgzame-buurten-woonzorgconcepten.txt"]
    assert second.unchanged == ["wijkzorg-oost-evaluatie-2019-jaarplan-2020.txt"]
    assert 1 <= second.chunks_embedded <= 3 and second.chunks_reused > 0
    texts = [ch.text for ch in c.store.current_chunks("zorgzame-buurten-woonzorgconcepten.txt")]
    assert any("kwartiermaker in Weesp" in t for t in texts)
    assert c.store.chunks.count() == len(c.store.current_chunks())  # no old version left behind
    assert [ch.chunk_id for ch in c.store.current_chunks("wijkzorg-oost-evaluatie-2019-jaarplan-2020.txt")] == oost_before
    assert c.retriever.retrieve("kwartiermaker in Weesp", k=1)[0].doc_id == "zorgzame-buurten-woonzorgconcepten.txt"

    changed.unlink()
    third = c.indexer.sync_folder(corpus, prune=True)
    assert third.removed == ["zorgzame-buurten-woonzorgconcepten.txt"]
    assert [d.document.doc_id for d in c.store.documents()] == ["wijkzorg-oost-evaluatie-2019-jaarplan-2020.txt"]
    assert all(h.doc_id != "zorgzame-buurten-woonzorgconcepten.txt" for h in c.retriever.retrieve("zorgzame buurten leertuinen", k=10))


def test_cli_ask_json(corpus_kb):
    env = {
        **os.environ,
        "WIJKWIJS_DATA_DIR": str(corpus_kb.settings.data_dir),
        "WIJKWIJS_CORPUS_DIR": str(corpus_kb.settings.corpus_dir),
        "WIJKWIJS_EMBEDDING__MODEL_DIR": str(corpus_kb.settings.bundled_model_dir),
    }
    wijkwijs = [sys.executable, "-m", "assistant.cli"]
    out = subprocess.run(
        [*wijkwijs, "ask", "--json", "Hoe regel je een waakvlamfunctie?"],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=300,
    )
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert set(answer) >= {"answer", "abstained", "citations", "contexts"}
    assert answer["citations"] and {"n", "doc", "title", "case", "section", "page_start", "page_end", "text"} <= set(answer["citations"][0])
    assert any(c["doc"] == MAGAZINE for c in answer["citations"])
    listed = subprocess.run([*wijkwijs, "docs", "list", "--json"], capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 5
    empty = subprocess.run([*wijkwijs, "ask", "   "], capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert empty.returncode == 2 and "leeg" in empty.stderr


@pytest.mark.parametrize(
    "question, abstains",
    [
        ("Hoeveel huisartsen werken er in Holendrecht?", True),  # close content, no such count
        ("Hoeveel inwoners telt De Ruwaard?", False),
        ("Waar komt het geld van het Wijkbedrijf Selwerd vandaan?", False),
    ],
)
def test_count_questions_need_a_count(corpus_kb, question, abstains):
    answer = corpus_kb.assistant.ask(question)
    assert answer.abstained is abstains, answer.answer


@pytest.mark.parametrize(
    "question, abstains",
    [
        # the leertuinen are only proposed ("Concreet voorstel is om toe te werken naar 8 leertuinen")
        ("Wat waren de resultaten van de leertuinen in Amsterdam?", True),
        ("Wat zijn de resultaten van het project Majella?", False),
        ("Wat waren de uitkomsten van de werksessies over zorgzame buurten?", False),
        ("Wat zijn de resultaten van de pilots in de GWI-gebieden?", False),
    ],
)
def test_outcome_questions_need_more_than_a_plan(corpus_kb, question, abstains):
    answer = corpus_kb.assistant.ask(question)
    assert answer.abstained is abstains, answer.answer


def test_cli_chat_follow_up_uses_the_conversation(corpus_kb):
    env = {
        **os.environ,
        "WIJKWIJS_DATA_DIR": str(corpus_kb.settings.data_dir),
        "WIJKWIJS_CORPUS_DIR": str(corpus_kb.settings.corpus_dir),
        "WIJKWIJS_EMBEDDING__MODEL_DIR": str(corpus_kb.settings.bundled_model_dir),
        "COLUMNS": "200",
    }
    script = "Wat heeft de Proeftuin De Ruwaard in Oss bereikt?\nEn waar liep het daar vast?\nstop\n"
    out = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "chat"], input=script,
        capture_output=True, text=True, env=env, cwd=REPO, timeout=300,
    )
    assert out.returncode == 0, out.stderr
    answers = out.stdout.split("Vraag:")[1:]
    assert len(answers) >= 2
    follow_up = answers[1]
    assert "Bronnen:" in follow_up and "Proeftuin De Ruwaard (Oss)" in follow_up
