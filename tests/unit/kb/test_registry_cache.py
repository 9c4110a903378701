"""The registry cache: a query reads one token, a change is read back incrementally, and a second
store (another process in server mode, or a CLI beside the API) sees changes at once."""

from __future__ import annotations

import pytest

from ingest.records import Chunk, Document
from kb.store import ChromaStore, make_client
from kb.store_state import RegistryCache
from tests.fakes import HashEmbedder


def _doc(doc_id: str, version: str = "v1", **kw) -> Document:
    return Document(doc_id=doc_id, file=doc_id, title=f"Titel {doc_id}", content_hash=version, **kw)


def _put(store, doc_id, version="v1", texts=("een tekst over wonen",), **kw):
    chunks = [Chunk(doc_id=doc_id, chunk_index=i, text=t) for i, t in enumerate(texts)]
    store.put_document(_doc(doc_id, version, **kw), chunks, HashEmbedder().embed_passages(list(texts)))


@pytest.fixture
def client(tmp_path):
    return make_client("embedded", tmp_path / "chroma")


@pytest.fixture
def store(client):
    return ChromaStore(client, "test", "fake-hash-64", 64)


class _ReadCounter:
    """Counts full registry reads and incremental ones."""

    def __init__(self, monkeypatch):
        self.full = self.changed = 0
        full, changed = RegistryCache._full, RegistryCache._changed_since

        def count_full(cache, token):
            self.full += 1
            return full(cache, token)

        def count_changed(cache, snap, token):
            self.changed += 1
            return changed(cache, snap, token)

        monkeypatch.setattr(RegistryCache, "_full", count_full)
        monkeypatch.setattr(RegistryCache, "_changed_since", count_changed)


def test_unchanged_registry_is_read_once(store, monkeypatch):
    for i in range(5):
        _put(store, f"d{i}.txt")
    reads = _ReadCounter(monkeypatch)
    for _ in range(10):
        assert len(store.current_versions()) == 5
        assert [d.document.doc_id for d in store.documents()] == [f"d{i}.txt" for i in range(5)]
    assert (reads.full, reads.changed) == (1, 0)


def test_changes_are_read_incrementally(store, monkeypatch):
    for i in range(5):
        _put(store, f"d{i}.txt")
    store.documents()
    reads = _ReadCounter(monkeypatch)
    _put(store, "d1.txt", version="v2")
    assert store.current_versions()["d1.txt"] == "v2"
    _put(store, "nieuw.txt")
    store.remove_document("d3.txt")
    versions = store.current_versions()
    assert set(versions) == {"d0.txt", "d1.txt", "d2.txt", "d4.txt", "nieuw.txt"}
    assert [d.document.doc_id for d in store.documents()] == sorted(versions)
    assert reads.full == 0 and reads.changed == 2


def test_parsed_documents_are_reused_across_changes(store):
    for i in range(3):
        _put(store, f"d{i}.txt")
    before = {d.document.doc_id: d for d in store.documents()}
    _put(store, "d1.txt", version="v2")
    after = {d.document.doc_id: d for d in store.documents()}
    assert after["d0.txt"] is before["d0.txt"] and after["d2.txt"] is before["d2.txt"]
    assert after["d1.txt"].version == "v2"


def test_a_second_store_sees_every_change_of_the_first(client, store):
    other = ChromaStore(client, "test", "fake-hash-64", 64)  # e.g. the API beside a CLI ingest
    _put(store, "a.txt")
    assert other.current_versions() == {"a.txt": "v1"}
    _put(store, "a.txt", version="v2", places=["Hoorn"])
    _put(store, "b.txt")
    assert other.current_versions() == {"a.txt": "v2", "b.txt": "v1"}
    assert other.documents()[0].document.places == ["Hoorn"]
    store.remove_document("a.txt")
    assert other.current_versions() == {"b.txt": "v1"}
    _put(store, "a.txt", version="v3")  # removed, then added again
    assert other.current_versions() == {"a.txt": "v3", "b.txt": "v1"}
    assert [c.text for c in other.current_chunks("a.txt")] == ["een tekst over wonen"]


def test_a_change_outside_the_window_is_caught_by_the_count(store, monkeypatch):
    _put(store, "a.txt")
    store.documents()
    # A record written with a clock far behind (no changed_at in the window), then the token moves:
    record = store.registry.get(ids=["a.txt"], include=["metadatas"])["metadatas"][0]
    store.registry.upsert(ids=["late.txt"], embeddings=[[1.0]],
                          metadatas=[{**record, "doc_id": "late.txt", "changed_at": 1}])
    store._registry.bump()
    assert set(store.current_versions()) == {"a.txt", "late.txt"}


def test_hand_edits_need_a_reload(store):
    _put(store, "a.txt")
    store.documents()
    store.registry.delete(ids=["a.txt"])  # around the store: no token, no tombstone
    assert "a.txt" in store.current_versions()  # the cache cannot know
    store.reload_registry()
    assert store.current_versions() == {}


def test_store_from_before_the_token_gets_one(client, store):
    _put(store, "a.txt")
    store.state.delete(ids=["registry-token"])
    fresh = ChromaStore(client, "test", "fake-hash-64", 64)
    assert fresh.current_versions() == {"a.txt": "v1"}
    assert fresh._registry.token() is not None


def test_a_filtered_question_reads_the_registry_token_once(fake_components, tiny_corpus, monkeypatch):
    from kb.retriever import Filters

    fake_components.indexer.sync_folder(tiny_corpus)
    retriever = fake_components.retriever
    reads = []
    token = RegistryCache.token
    monkeypatch.setattr(RegistryCache, "token", lambda cache: reads.append(1) or token(cache))
    hits = retriever.retrieve("waakvlamfunctie na beschermd wonen", k=3, filters=Filters(doc=["waakvlam.txt"]))
    assert hits and {h.doc_id for h in hits} == {"waakvlam.txt"}
    assert len(reads) == 1  # documents for the filter, dense and sparse sides: one view
