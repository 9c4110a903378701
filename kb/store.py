"""Chroma storage of chunks plus a registry of documents, with all-or-nothing document versions.

Chroma has no transactions, so a document version becomes visible in one step instead:
chunk ids carry the version (`doc@version#i`); the registry record (one per document, in its own
collection) names the current version; readers only trust chunks of the current version. A
replace therefore writes the new chunks first, then flips the registry record, then deletes the
old chunks. A crash at any point leaves either the old or the new version visible, never both
or half of one. Every write is bracketed by a write marker (kb/store_state.py), so
`remove_crash_leftovers` clears what a crash left behind by looking at the interrupted documents
only; `remove_orphans` is the full scan (for the doctor).

Readers keep the registry in memory (`RegistryCache`): a query costs one read of the registry
token instead of a read of the whole registry, and after a change only the changed records are
read, also when another process (a CLI ingest beside the API, server mode) made the change.

We talk to chromadb directly rather than through llama-index's ChromaVectorStore because that
store keeps node JSON in the metadata and has no notion of versions or a document registry.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ingest.records import Chunk, Document
from ingest.units import Unit, units_to_json
from kb.passages import indexed_hash
from kb.store_state import RegistryCache, RegistrySnapshot, StoredDocument, WriteMarkers, stored_document

__all__ = ["ChromaStore", "ModelMismatchError", "StoredChunk", "StoredDocument", "chunk_metadata", "make_client"]

CHROMA_MAX_BATCH = 5000  # chromadb refuses more than 5,461 records per call


class ModelMismatchError(RuntimeError):
    """The index was built with another embedding model than the settings name."""


@dataclass(frozen=True)
class StoredChunk:
    chunk_id: str
    text: str
    metadata: dict
    distance: float | None = None

    @property
    def doc_id(self) -> str:
        return self.metadata["doc_id"]


def chunk_id(doc_id: str, version: str, chunk_index: int) -> str:
    """A chunk's id: its document, that document's version and its place in it."""
    return f"{doc_id}@{version}#{chunk_index}"


def make_client(mode: str, path: Path | None = None, host: str = "127.0.0.1", port: int = 8001):
    """A Chroma client: embedded (one process) or HTTP to a `chroma run` server (many)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if mode == "server":
        return chromadb.HttpClient(host=host, port=port, settings=chroma_settings)
    assert path is not None, "embedded mode needs a path"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def chunk_metadata(doc: Document, chunk: Chunk, version: str) -> dict:
    # Chroma rejects None values: absent fields are simply left out.
    meta = {
        "doc_id": doc.doc_id,
        "version": version,
        "file": doc.file,
        "title": doc.title,
        "publisher": doc.publisher,
        "year": doc.year,
        "doc_type": doc.doc_type,
        "places": list(doc.places) or None,
        "case": chunk.case,
        "section": chunk.section,
        "kind": chunk.kind,
        "also_kinds": list(chunk.also_kinds) or None,
        "content": chunk.content,
        "footnotes": list(chunk.footnotes) or None,
        "page_start": chunk.page_start,
        "page_end": chunk.page_end,
        "chunk_index": chunk.chunk_index,
        "content_hash": chunk.content_hash,
        "units": units_to_json([Unit(*u) for u in chunk.units]) if chunk.units else None,
    }
    meta = {k: v for k, v in meta.items() if v is not None}
    meta["embed_hash"] = indexed_hash(chunk.text, meta)
    return meta


class ChromaStore:
    def __init__(self, client, collection: str, model_name: str, dim: int) -> None:
        self.client = client
        self.collection = collection
        self.model_name = model_name
        self.dim = dim
        self._open()

    def _open(self) -> None:
        # get_or_create keeps an existing collection's metadata, so the model recorded at
        # creation stays what it was: that is what _check_model compares against.
        self.chunks = self.client.get_or_create_collection(
            f"{self.collection}_chunks",
            metadata={"hnsw:space": "cosine", "embed_model": self.model_name, "embed_dim": self.dim},
            embedding_function=None,
        )
        # The registry holds no vectors, but Chroma wants one per record: a constant 1-d one.
        self.registry = self.client.get_or_create_collection(
            f"{self.collection}_docs", embedding_function=None
        )
        self.state = self.client.get_or_create_collection(f"{self.collection}_state", embedding_function=None)
        self._registry = RegistryCache(self.registry, self.state)
        self._markers = WriteMarkers(self.state)
        self._check_model()

    def _check_model(self) -> None:
        meta = self.chunks.metadata or {}
        built_with = meta.get("embed_model"), meta.get("embed_dim")
        if built_with == (self.model_name, self.dim):
            return
        if self.chunks.count() == 0 and self.registry.count() == 0:
            self.reset()  # an empty index may simply take the new model
            return
        raise ModelMismatchError(
            f"De index is gebouwd met embeddingmodel {built_with[0]!r} ({built_with[1]}-d), "
            f"maar de instellingen noemen {self.model_name!r} ({self.dim}-d). "
            "Bouw de index opnieuw met `wijkwijs ingest --rebuild`."
        )

    def reset(self) -> None:
        self.drop(self.client, self.collection)
        self._open()

    @staticmethod
    def drop(client, collection: str) -> None:
        """Delete everything (for `ingest --rebuild`, e.g. after changing the embedding model)."""
        for name in (f"{collection}_chunks", f"{collection}_docs", f"{collection}_state"):
            try:
                client.delete_collection(name)
            except Exception:  # chromadb raises NotFoundError (ValueError in older versions)
                pass

    # --- registry -------------------------------------------------------------------------

    def documents(self) -> list[StoredDocument]:
        """All documents, by id (from the in-memory registry; one token read when unchanged)."""
        return list(self._registry.snapshot().documents())

    def document(self, doc_id: str) -> StoredDocument | None:
        """One document, read from Chroma itself (writers decide on it, so never from a cache)."""
        got = self.registry.get(ids=[doc_id], include=["metadatas"])
        return stored_document(got["metadatas"][0]) if got["ids"] else None

    def document_with_version(self, version: str) -> str | None:
        """The id of a registered document with exactly this version (same bytes and settings)."""
        got = self.registry.get(where={"version": version}, include=[])
        return got["ids"][0] if got["ids"] else None

    def current_versions(self) -> dict[str, str]:
        return dict(self._registry.snapshot().versions())

    def snapshot(self) -> RegistrySnapshot:
        """The registry as one consistent view: a question reads it once (one token read) and
        passes its versions to `query` and `get_chunks`."""
        return self._registry.snapshot()

    def reload_registry(self) -> None:
        """Forget the cached registry (after changes made around this class, e.g. by hand)."""
        self._registry.forget()

    # --- writes ---------------------------------------------------------------------------

    def put_document(
        self, doc: Document, chunks: list[Chunk], embeddings: np.ndarray, unit_vectors: list[str] | None = None
    ) -> None:
        """Store a (new version of a) document; the old version disappears in one step.
        `unit_vectors`: per chunk, its units' vectors (kb/units.py encode_vectors)."""
        version = doc.content_hash
        ids = [chunk_id(doc.doc_id, version, c.chunk_index) for c in chunks]
        metas = [chunk_metadata(doc, c, version) for c in chunks]
        for meta, blob in zip(metas, unit_vectors or []):
            if blob:
                meta["unit_vectors"] = blob
        texts = [c.text for c in chunks]
        vectors = np.asarray(embeddings, dtype=np.float32)
        self._markers.begin(doc.doc_id)
        try:
            for start in range(0, len(ids), CHROMA_MAX_BATCH):
                end = start + CHROMA_MAX_BATCH
                self.chunks.upsert(
                    ids=ids[start:end],
                    embeddings=vectors[start:end],
                    documents=texts[start:end],
                    metadatas=metas[start:end],
                )
            record = {
                "doc_id": doc.doc_id,
                "version": version,
                "chunk_count": len(chunks),
                "ingested_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "document": doc.model_dump_json(),
                "changed_at": time.time_ns(),
            }
            self.registry.upsert(ids=[doc.doc_id], embeddings=[[1.0]], metadatas=[record])
            self.chunks.delete(where={"$and": [{"doc_id": doc.doc_id}, {"version": {"$ne": version}}]})
            self._registry.bump(self._markers.done(doc.doc_id))
        finally:
            self._markers.end(doc.doc_id)

    def remove_document(self, doc_id: str) -> bool:
        """Unregister first (the document vanishes for readers), then drop its chunks."""
        existed = bool(self.registry.get(ids=[doc_id])["ids"])
        self._markers.begin(doc_id)
        try:
            self.registry.delete(ids=[doc_id])
            self.chunks.delete(where={"doc_id": doc_id})
            self._registry.bump(self._registry.tombstone(doc_id, time.time_ns()), self._markers.done(doc_id))
        finally:
            self._markers.end(doc_id)
        return existed

    def remove_crash_leftovers(self) -> int:
        """Delete what interrupted writes left behind: chunks of a version that did not become
        (or stopped being) current. Only documents with a write marker are looked at, so the
        cost is proportional to the interrupted writes, not to the collection."""
        interrupted = self._markers.interrupted()
        removed = 0
        for doc_id in interrupted:
            current = self.document(doc_id)
            where = {"doc_id": doc_id} if current is None else {
                "$and": [{"doc_id": doc_id}, {"version": {"$ne": current.version}}]
            }
            removed += self._delete_chunks(self.chunks.get(where=where, include=[])["ids"])
        if interrupted:  # the writes may have changed the registry without renewing the token
            self._registry.bump(*(self._markers.done(doc_id) for doc_id in interrupted))
        return removed

    def remove_orphans(self) -> int:
        """Delete chunks of unregistered documents or of superseded versions (crash leftovers),
        by scanning every chunk (the doctor's repair; ingest uses `remove_crash_leftovers`)."""
        self._registry.forget()
        current = self.current_versions()
        got = self.chunks.get(include=["metadatas"])
        stale = [
            cid
            for cid, m in zip(got["ids"], got["metadatas"])
            if current.get(m.get("doc_id")) != m.get("version")
        ]
        return self._delete_chunks(stale)

    def _delete_chunks(self, ids: list[str]) -> int:
        for start in range(0, len(ids), CHROMA_MAX_BATCH):
            self.chunks.delete(ids=ids[start : start + CHROMA_MAX_BATCH])
        return len(ids)

    # --- reads ----------------------------------------------------------------------------

    def embeddings_by_hash(self, doc_id: str) -> dict[str, tuple[np.ndarray, str | None]]:
        """(vector, unit vectors) of a document's stored chunks keyed by the hash of what was
        embedded (the unit vectors only when its units are the same as now: `units` in the key)."""
        got = self.chunks.get(where={"doc_id": doc_id}, include=["metadatas", "embeddings"])
        if not got["ids"]:
            return {}
        return {
            m["embed_hash"]: (np.asarray(e, dtype=np.float32), m.get("unit_vectors"), m.get("units"))
            for m, e in zip(got["metadatas"], got["embeddings"])
        }

    def current_chunks(self, doc_id: str | None = None) -> list[StoredChunk]:
        """All chunks of the current versions (optionally of one document), in document order."""
        if doc_id:
            return self.current_chunks_of([doc_id]).get(doc_id, [])
        return self._current_only(self.chunks.get(include=["documents", "metadatas"]))

    def current_chunks_of(self, doc_ids: list[str]) -> dict[str, list[StoredChunk]]:
        """The current chunks of several documents in one read, per document, in order."""
        if not doc_ids:
            return {}
        where = {"doc_id": doc_ids[0]} if len(doc_ids) == 1 else {"doc_id": {"$in": list(doc_ids)}}
        out: dict[str, list[StoredChunk]] = {}
        for chunk in self._current_only(self.chunks.get(where=where, include=["documents", "metadatas"])):
            out.setdefault(chunk.doc_id, []).append(chunk)
        return out

    def _current_only(self, got: dict) -> list[StoredChunk]:
        current = self._registry.snapshot().versions()
        chunks = [
            StoredChunk(cid, text, meta)
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"])
            if current.get(meta.get("doc_id")) == meta.get("version")
        ]
        return sorted(chunks, key=lambda c: (c.doc_id, c.metadata.get("chunk_index", 0)))

    def get_chunks(
        self,
        chunk_ids: list[str],
        query_embedding: np.ndarray | None = None,
        current_only: bool = False,
        current: Mapping[str, str] | None = None,
    ) -> list[StoredChunk]:
        """Chunks by id, in the order asked; with a query vector, their cosine distance too.
        `current_only` drops chunks of versions that are not (or no longer) the registered
        one: ids from the sparse side may trail a replace by a moment."""
        if not chunk_ids:
            return []
        include = ["documents", "metadatas"] + (["embeddings"] if query_embedding is not None else [])
        got = self.chunks.get(ids=chunk_ids, include=include)
        if not got["ids"]:  # all of them deleted meanwhile (a concurrent replace)
            return []
        distances = [None] * len(got["ids"])
        if query_embedding is not None:
            vectors = np.asarray(got["embeddings"], dtype=np.float32)
            distances = list(1.0 - vectors @ np.asarray(query_embedding, dtype=np.float32))
        by_id = {
            cid: StoredChunk(cid, text, meta, None if dist is None else float(dist))
            for cid, text, meta, dist in zip(got["ids"], got["documents"], got["metadatas"], distances)
        }
        if current_only:
            current = current if current is not None else self._registry.snapshot().versions()
            by_id = {
                cid: ch for cid, ch in by_id.items()
                if ch.metadata and current.get(ch.metadata.get("doc_id")) == ch.metadata.get("version")
            }
        return [by_id[c] for c in chunk_ids if c in by_id and by_id[c].metadata]

    def next_chunk(self, metadata: Mapping) -> StoredChunk | None:
        """The chunk right after the one with this metadata in its document (same version), if
        that version is still current and the document goes on."""
        index = metadata.get("chunk_index")
        if index is None:
            return None
        got = self.get_chunks([chunk_id(metadata["doc_id"], metadata["version"], index + 1)], current_only=True)
        return got[0] if got else None

    def query(
        self, embedding: np.ndarray, k: int, where: dict | None = None, current: Mapping[str, str] | None = None
    ) -> list[StoredChunk]:
        total = self.chunks.count()
        if total == 0:
            return []
        current = current if current is not None else self._registry.snapshot().versions()
        # Ask for a few extra: chunks of a version being replaced right now are dropped below.
        got = self.chunks.query(
            query_embeddings=[np.asarray(embedding, dtype=np.float32)],
            n_results=min(total, k + 10),
            where=where or None,
            include=["documents", "metadatas", "distances"],
        )
        hits = [
            StoredChunk(cid, text, meta, dist)
            for cid, text, meta, dist in zip(
                got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0]
            )
            # meta is None for a record deleted while the query ran (a concurrent replace).
            if meta is not None and current.get(meta.get("doc_id")) == meta.get("version")
        ]
        return hits[:k]

