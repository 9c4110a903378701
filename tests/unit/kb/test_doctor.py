"""`kb.doctor`: every kind of damage is found, and `repair` leaves exactly one copy of each document."""

from __future__ import annotations

import json

import pytest

from kb.doctor import diagnose, repair


@pytest.fixture
def indexed(fake_components, tiny_corpus):
    fake_components.indexer.sync_folder(tiny_corpus)
    return fake_components


def _kinds(checkup) -> dict[str, set]:
    out: dict[str, set] = {}
    for f in checkup.findings:
        out.setdefault(f.kind, set()).add(f.doc_id)
    return out


def _assert_exactly_one_copy(c, folder):
    stored = {s.document.doc_id: s for s in c.store.documents()}
    assert set(stored) == {p.name for p in folder.iterdir() if p.suffix in (".txt", ".md")}
    metas = c.store.chunks.get(include=["metadatas"])["metadatas"]
    for doc_id, s in stored.items():
        mine = [m for m in metas if m["doc_id"] == doc_id]
        assert len(mine) == s.chunk_count  # no leftovers, no duplicates
        assert {m["version"] for m in mine} == {s.version}
        assert sorted(m["chunk_index"] for m in mine) == list(range(s.chunk_count))
    assert len(metas) == sum(s.chunk_count for s in stored.values())


def test_a_fresh_index_is_healthy(indexed, tiny_corpus):
    checkup = diagnose(indexed.indexer, tiny_corpus)
    assert checkup.healthy and checkup.findings == []
    assert checkup.files_in_folder == checkup.documents_indexed == 2


def test_finds_every_kind_of_damage_and_repairs_it(indexed, tiny_corpus):
    c = indexed
    store = c.store
    # stale: the file changed after ingest
    (tiny_corpus / "waakvlam.txt").write_text(
        (tiny_corpus / "waakvlam.txt").read_text("utf-8") + "\n\nEen nieuwe alinea over de huurder.", "utf-8"
    )
    # missing: a new file nobody ingested
    (tiny_corpus / "nieuw.txt").write_text("Buurtkamer\n\nDe buurtkamer is elke dag open voor bewoners.", "utf-8")
    # damaged: one chunk of wijknetwerk.md lost
    victim = [ch for ch in store.current_chunks("wijknetwerk.md")][0]
    store.chunks.delete(ids=[victim.chunk_id])
    # leftovers: a chunk of a version that is not current (a crash between put and flip)
    store.chunks.upsert(
        ids=["waakvlam.txt@oud#0"], embeddings=[[0.1] * 64], documents=["oude tekst"],
        metadatas=[{**victim.metadata, "doc_id": "waakvlam.txt", "version": "oud"}],
    )
    # orphan: registered but the file is gone
    record = store.registry.get(ids=["waakvlam.txt"], include=["metadatas"])["metadatas"][0]
    document = {**json.loads(record["document"]), "doc_id": "weg.txt", "file": "weg.txt"}
    store.registry.upsert(
        ids=["weg.txt"], embeddings=[[1.0]],
        metadatas=[{**record, "doc_id": "weg.txt", "chunk_count": 0, "document": json.dumps(document)}],
    )
    # torn text: a chunk whose text no longer matches the hash it was embedded with
    other = store.current_chunks("nieuw.txt") or store.current_chunks("waakvlam.txt")
    torn = store.chunks.get(ids=[other[-1].chunk_id], include=["embeddings", "metadatas"])
    store.chunks.upsert(ids=torn["ids"], embeddings=torn["embeddings"], metadatas=torn["metadatas"],
                        documents=["afgebroken"])
    # sparse index out of step
    c.sparse.versions_file.write_text(json.dumps({"waakvlam.txt": "x"}), "utf-8")

    checkup = diagnose(c.indexer, tiny_corpus)
    kinds = _kinds(checkup)
    assert not checkup.healthy
    assert kinds["stale"] == {"waakvlam.txt"}
    assert kinds["missing"] == {"nieuw.txt"}
    assert kinds["damaged"] == {"wijknetwerk.md", "waakvlam.txt"}, [f.message for f in checkup.findings]
    assert kinds["orphan"] == {"weg.txt"}
    assert "leftovers" in kinds and "sparse" in kinds

    repair(c.indexer, tiny_corpus, checkup)
    after = diagnose(c.indexer, tiny_corpus)
    assert after.healthy, after.findings
    _assert_exactly_one_copy(c, tiny_corpus)
    hits = c.retriever.retrieve("buurtkamer elke dag open")
    assert hits and hits[0].doc_id == "nieuw.txt"  # both sides know the repaired documents


def test_manifest_naming_a_missing_file_is_advice_not_damage(indexed, tiny_corpus):
    (tiny_corpus / "manifest.json").write_text(
        json.dumps({"entries": [{"corpus_name": "waakvlam.txt"}, {"corpus_name": "bestaat-niet.pdf"}]}), "utf-8"
    )
    (tiny_corpus / "tabel.xlsx").write_bytes(b"PK\x03\x04")
    checkup = diagnose(indexed.indexer, tiny_corpus)
    kinds = _kinds(checkup)
    assert kinds["manifest"] == {"bestaat-niet.pdf"}
    assert kinds["unsupported"] == {"tabel.xlsx"}
    assert checkup.healthy  # nothing for --fix to do; the maintainer is told


def test_folders_of_crashed_uploads_are_reported_and_removed(indexed, tiny_corpus):
    import os
    import time

    crashed = tiny_corpus / ".upload-abc123"
    crashed.mkdir()
    (crashed / "half.pdf").write_bytes(b"%PDF-1.4 half")
    old = time.time() - 2 * 3600
    os.utime(crashed, (old, old))
    running = tiny_corpus / ".upload-nu"  # an upload going on now: not touched
    running.mkdir()
    checkup = diagnose(indexed.indexer, tiny_corpus)
    assert [f.kind for f in checkup.findings] == ["uploads"] and ".upload-abc123" in checkup.findings[0].message
    assert not checkup.healthy
    repair(indexed.indexer, tiny_corpus, checkup)
    assert not crashed.exists() and running.exists()
    assert diagnose(indexed.indexer, tiny_corpus).healthy
