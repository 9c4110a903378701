"""Hybrid retrieval: dense (e5 in Chroma) and sparse (Dutch BM25) results fused into one ranking."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel

from kb.embedders import Embedder
from kb.sparse_mirror import SparseMirror
from kb.store import ChromaStore, StoredChunk, StoredDocument

RRF_K = 60  # the usual reciprocal-rank-fusion constant


class Filters(BaseModel):
    """Metadata filters; each field takes one value or a list (any of them matches)."""

    doc: list[str] | None = None
    doc_type: list[str] | None = None
    case: list[str] | None = None
    place: list[str] | None = None
    year: list[str] | None = None

    def is_empty(self) -> bool:
        return not any(getattr(self, f) for f in type(self).model_fields)


@dataclass
class Hit:
    chunk_id: str
    text: str
    metadata: dict
    score: float  # fused score, higher is better
    dense_score: float | None = None  # cosine similarity, when the dense side found it
    sparse_score: float | None = None  # BM25 score, when the sparse side found it
    rank: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def doc_id(self) -> str:
        return self.metadata["doc_id"]


def _matches(value: str | None, wanted: list[str], partial: bool = False) -> bool:
    if value is None:
        return False
    value = value.casefold()
    return any((w.casefold() in value) if partial else (w.casefold() == value) for w in wanted)


def allowed_docs(documents: list[StoredDocument], filters: Filters) -> list[str] | None:
    """Document-level filters resolved to document ids (None: no document-level filter)."""
    if not (filters.doc or filters.doc_type or filters.place or filters.year):
        return None
    keep = []
    for stored in documents:
        d = stored.document
        if filters.doc and not (_matches(d.doc_id, filters.doc) or _matches(d.file, filters.doc)):
            continue
        if filters.doc_type and not _matches(d.doc_type, filters.doc_type, partial=True):
            continue
        if filters.year and not _matches(d.year, filters.year, partial=True):
            continue
        if filters.place and not any(_matches(p, filters.place, partial=True) for p in d.places):
            continue
        keep.append(d.doc_id)
    return keep


class Retriever:
    def __init__(
        self, store: ChromaStore, embedder: Embedder, sparse: SparseMirror, candidates: int = 40
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.sparse = sparse
        self.candidates = candidates

    def retrieve(self, query: str, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        filters = filters or Filters()
        doc_ids = allowed_docs(self.store.documents(), filters) if not filters.is_empty() else None
        if doc_ids == []:
            return []
        dense = self._dense(query, doc_ids, filters.case)
        sparse = self._sparse(query, doc_ids, filters.case)
        return self._fuse(dense, sparse, k)

    def _dense(self, query: str, doc_ids, cases) -> list[StoredChunk]:
        clauses = []
        if doc_ids is not None:
            clauses.append({"doc_id": {"$in": doc_ids}})
        if cases:
            clauses.append({"case": {"$in": cases}})
        where = clauses[0] if len(clauses) == 1 else ({"$and": clauses} if clauses else None)
        vector = self.embedder.embed_query(query)
        return self.store.query(vector, self.candidates, where)

    def _sparse(self, query: str, doc_ids, cases) -> list[tuple[str, float]]:
        sparse_filters = {}
        if doc_ids is not None:
            sparse_filters["doc_id"] = doc_ids
        if cases:
            sparse_filters["case"] = cases
        return self.sparse.index.search(query, k=self.candidates, filters=sparse_filters or None)

    def _fuse(self, dense: list[StoredChunk], sparse: list[tuple[str, float]], k: int) -> list[Hit]:
        hits: dict[str, Hit] = {}
        for rank, chunk in enumerate(dense):
            hit = Hit(chunk.chunk_id, chunk.text, chunk.metadata, 0.0)
            hit.dense_score = 1.0 - float(chunk.distance or 0.0)
            hit.score += 1.0 / (RRF_K + rank + 1)
            hits[chunk.chunk_id] = hit
        missing = [cid for cid, _ in sparse if cid not in hits]
        for chunk in self.store.get_chunks(missing):
            hits[chunk.chunk_id] = Hit(chunk.chunk_id, chunk.text, chunk.metadata, 0.0)
        for rank, (cid, score) in enumerate(sparse):
            if cid in hits:
                hits[cid].sparse_score = float(score)
                hits[cid].score += 1.0 / (RRF_K + rank + 1)
        ranked = sorted(hits.values(), key=lambda h: h.score, reverse=True)[:k]
        for i, hit in enumerate(ranked, 1):
            hit.rank = i
        return ranked
