"""Crash cleanup is proportional: only documents whose write was interrupted are looked at,
never every chunk of the collection (issue 8: re-ingesting one document must not touch the rest)."""

from __future__ import annotations

import os

import pytest

from ingest.records import Chunk, Document
from kb.store import ChromaStore, make_client
from tests.fakes import HashEmbedder


def _doc(doc_id: str, version: str = "v1") -> Document:
    return Document(doc_id=doc_id, file=doc_id, title=f"Titel {doc_id}", content_hash=version)


def _chunks(doc_id, texts):
    return [Chunk(doc_id=doc_id, chunk_index=i, text=t) for i, t in enumerate(texts)]


def _put(store, doc_id, version="v1", texts=("een", "twee")):
    store.put_document(_doc(doc_id, version), _chunks(doc_id, list(texts)), HashEmbedder().embed_passages(list(texts)))


@pytest.fixture
def store(tmp_path):
    return ChromaStore(make_client("embedded", tmp_path / "chroma"), "test", "fake-hash-64", 64)


class _ScanSpy:
    """Records whether anyone read the chunk collection without a filter (a full scan)."""

    def __init__(self, store, monkeypatch):
        self.full_scans = 0
        real = store.chunks.get

        def get(*args, **kwargs):
            if not kwargs.get("where") and not kwargs.get("ids"):
                self.full_scans += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(store.chunks, "get", get)


def _interrupted_put(store, doc_id, version, texts):
    """What a SIGKILL after writing the chunks, before the registry flip, leaves behind."""
    store._markers.begin(doc_id)
    ids = [f"{doc_id}@{version}#{i}" for i in range(len(texts))]
    store.chunks.upsert(ids=ids, embeddings=HashEmbedder().embed_passages(texts), documents=texts,
                        metadatas=[{"doc_id": doc_id, "version": version, "chunk_index": i} for i in range(len(texts))])
    # the process dies here: the marker stays, and no live process owns it
    store._markers.end(doc_id)


def test_interrupted_write_is_cleaned_without_a_full_scan(store, monkeypatch):
    _put(store, "a.txt")
    _put(store, "b.txt")
    _interrupted_put(store, "a.txt", "v2", ["half", "nieuw", "drie"])
    assert store.chunks.count() == 7
    spy = _ScanSpy(store, monkeypatch)
    assert store.remove_crash_leftovers() == 3
    assert spy.full_scans == 0
    assert store.chunks.count() == 4 and store.current_versions() == {"a.txt": "v1", "b.txt": "v1"}
    assert store.remove_crash_leftovers() == 0  # the marker is gone


def test_interrupted_removal_is_finished(store):
    _put(store, "a.txt")
    _put(store, "b.txt")
    store._markers.begin("a.txt")
    store.registry.delete(ids=["a.txt"])  # killed after unregistering, before deleting chunks
    store._markers.end("a.txt")
    assert store.remove_crash_leftovers() == 2
    assert {m["doc_id"] for m in store.chunks.get(include=["metadatas"])["metadatas"]} == {"b.txt"}


def test_a_failed_write_leaves_its_marker_for_the_next_cleanup(store, monkeypatch):
    _put(store, "a.txt")
    real_upsert = store.registry.upsert

    def broken(*args, **kwargs):
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(store.registry, "upsert", broken)
    with pytest.raises(RuntimeError):
        _put(store, "a.txt", version="v2", texts=["nieuw"])
    monkeypatch.setattr(store.registry, "upsert", real_upsert)
    assert store.current_versions() == {"a.txt": "v1"}
    assert store.remove_crash_leftovers() == 1
    assert [c.text for c in store.current_chunks()] == ["een", "twee"] and store.chunks.count() == 2


def test_a_write_in_progress_elsewhere_is_left_alone(store):
    _put(store, "a.txt")
    _interrupted_put(store, "a.txt", "v2", ["nog bezig"])
    marker = store.state.get(ids=["writing:a.txt"], include=["metadatas"])["metadatas"][0]
    # the same marker, owned by a process that is alive (our parent) on this host:
    store.state.upsert(ids=["writing:a.txt"], embeddings=[[1.0]], metadatas=[{**marker, "pid": os.getppid()}])
    assert store.remove_crash_leftovers() == 0
    assert store.chunks.count() == 3
    # and by a process of this host that is gone:
    store.state.upsert(ids=["writing:a.txt"], embeddings=[[1.0]], metadatas=[{**marker, "pid": 2**22 + 12345}])
    assert store.remove_crash_leftovers() == 1


def test_sync_of_one_file_never_scans_the_collection(fake_components, tiny_corpus, monkeypatch):
    c = fake_components
    c.indexer.sync_folder(tiny_corpus)
    spy = _ScanSpy(c.store, monkeypatch)
    path = tiny_corpus / "waakvlam.txt"
    path.write_text(path.read_text("utf-8") + "\n\nNieuwe alinea over de buurtkamer.", "utf-8")
    report = c.indexer.sync_folder(tiny_corpus, files=[path])
    assert report.replaced == ["waakvlam.txt"] and spy.full_scans == 0
    found = c.sparse.index.search("buurtkamer")
    assert found and found[0][0].startswith("waakvlam.txt@")
