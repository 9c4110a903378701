"""ChromaStore: versions become visible all at once, and crash leftovers are cleaned up."""

from __future__ import annotations

import pytest

from ingest.records import Chunk, Document
from kb.store import ChromaStore, ModelMismatchError, make_client
from tests.fakes import HashEmbedder


def _doc(doc_id="a.txt", version="v1", **kw) -> Document:
    return Document(doc_id=doc_id, file=doc_id, title=f"Titel {doc_id}", content_hash=version, **kw)


def _chunks(doc_id: str, texts: list[str]) -> list[Chunk]:
    return [Chunk(doc_id=doc_id, chunk_index=i, text=t, case="Hoorn" if i == 0 else None) for i, t in enumerate(texts)]


@pytest.fixture
def store(tmp_path):
    client = make_client("embedded", tmp_path / "chroma")
    return ChromaStore(client, "test", "fake-hash-64", 64)


def _put(store, doc, texts):
    emb = HashEmbedder()
    store.put_document(doc, _chunks(doc.doc_id, texts), emb.embed_passages(texts))


def test_put_and_read_back(store):
    _put(store, _doc(places=["Hoorn", "Zwaag"], year="2021"), ["Eerste passage over wonen.", "Tweede over zorg."])
    [stored] = store.documents()
    assert stored.document.doc_id == "a.txt" and stored.chunk_count == 2 and stored.version == "v1"
    chunks = store.current_chunks()
    assert [c.text for c in chunks] == ["Eerste passage over wonen.", "Tweede over zorg."]
    assert chunks[0].metadata["places"] == ["Hoorn", "Zwaag"]
    assert chunks[0].metadata["case"] == "Hoorn" and "case" not in chunks[1].metadata


def test_a_passage_of_two_kinds_keeps_both(store):
    chunks = [Chunk(doc_id="a.txt", chunk_index=0, text="Resultaten en knelpunten.", kind="resultaat",
                    also_kinds=["knelpunt"]),
              Chunk(doc_id="a.txt", chunk_index=1, text="Alleen een resultaat.", kind="resultaat")]
    store.put_document(_doc(), chunks, HashEmbedder().embed_passages([c.text for c in chunks]))
    first, second = store.current_chunks()
    assert first.metadata["kind"] == "resultaat" and first.metadata["also_kinds"] == ["knelpunt"]
    assert "also_kinds" not in second.metadata


def test_whether_a_passage_is_content_is_stored(store):
    doc = _doc()
    chunks = [Chunk(doc_id="a.txt", chunk_index=0, text="De wijktafel komt maandelijks bijeen."),
              Chunk(doc_id="a.txt", chunk_index=1, text="Meer weten?\n– Website", content=False)]
    store.put_document(doc, chunks, HashEmbedder().embed_passages([c.text for c in chunks]))
    assert [c.metadata["content"] for c in store.current_chunks()] == [True, False]


def test_next_chunk_is_the_following_passage_of_the_same_version(store):
    _put(store, _doc(version="v1"), ["een", "twee"])
    first, second = store.current_chunks()
    assert store.next_chunk(first.metadata).text == "twee"
    assert store.next_chunk(second.metadata) is None  # the document ends there
    _put(store, _doc(version="v2"), ["nieuw een", "nieuw twee"])
    assert store.next_chunk(first.metadata) is None  # an old version has no neighbours any more


def test_replace_leaves_only_the_new_version(store):
    _put(store, _doc(version="v1"), ["oud een", "oud twee", "oud drie"])
    _put(store, _doc(version="v2"), ["nieuw een"])
    assert [c.text for c in store.current_chunks()] == ["nieuw een"]
    assert store.chunks.count() == 1  # the old chunks are really gone, not just hidden


def test_half_written_version_stays_invisible_and_is_cleaned(store):
    _put(store, _doc(version="v1"), ["oud een"])
    # A crash after writing the new chunks but before the registry flipped:
    emb = HashEmbedder()
    store.chunks.upsert(
        ids=["a.txt@v2#0"], embeddings=emb.embed_passages(["half nieuw"]),
        documents=["half nieuw"], metadatas=[{"doc_id": "a.txt", "version": "v2", "chunk_index": 0}],
    )
    assert [c.text for c in store.current_chunks()] == ["oud een"]
    hits = store.query(emb.embed_query("half nieuw"), k=5)
    assert [h.text for h in hits] == ["oud een"]
    assert store.remove_orphans() == 1
    assert store.chunks.count() == 1


def test_remove_document(store):
    _put(store, _doc("a.txt"), ["een"])
    _put(store, _doc("b.txt"), ["twee"])
    assert store.remove_document("a.txt") is True
    assert store.remove_document("a.txt") is False
    assert [d.document.doc_id for d in store.documents()] == ["b.txt"]
    assert {c.doc_id for c in store.current_chunks()} == {"b.txt"}


def test_query_with_where_filter(store):
    _put(store, _doc("a.txt"), ["waakvlamfunctie na beschermd wonen"])
    _put(store, _doc("b.txt"), ["waakvlamfunctie in de wijk"])
    emb = HashEmbedder()
    hits = store.query(emb.embed_query("waakvlamfunctie"), k=5, where={"doc_id": {"$in": ["b.txt"]}})
    assert [h.doc_id for h in hits] == ["b.txt"]


def test_embeddings_are_found_by_hash_for_reuse(store):
    _put(store, _doc(), ["een tekst"])
    known = store.embeddings_by_hash("a.txt")
    assert len(known) == 1 and next(iter(known.values()))[0].shape == (64,)


def test_other_model_is_refused_with_a_fix(tmp_path, store):
    _put(store, _doc(), ["een tekst"])
    with pytest.raises(ModelMismatchError, match="--rebuild"):
        ChromaStore(store.client, "test", "ander-model", 384)


def test_empty_index_takes_a_new_model(tmp_path, store):
    other = ChromaStore(store.client, "test", "ander-model", 384)
    assert other.chunks.metadata["embed_model"] == "ander-model"
