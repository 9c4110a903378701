"""Hybrid retrieval: dense (e5 in Chroma) and sparse (Dutch BM25) results fused into one ranking."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, field_validator

from kb.embedders import Embedder
from kb.query_cues import expand_query
from kb.sparse_mirror import SparseMirror
from kb.store import ChromaStore, StoredChunk, StoredDocument


class Filters(BaseModel):
    """Metadata filters; each field takes one value or a list (any of them matches)."""

    doc: list[str] | None = None
    doc_type: list[str] | None = None
    case: list[str] | None = None
    place: list[str] | None = None
    year: list[str] | None = None
    kind: list[str] | None = None  # passage kind: les, aanbeveling, knelpunt, resultaat, ...

    @field_validator("*", mode="before")
    @classmethod
    def _one_or_many(cls, value):
        return [value] if isinstance(value, str) else value

    def is_empty(self) -> bool:
        return not any(getattr(self, f) for f in type(self).model_fields)


@dataclass
class Hit:
    chunk_id: str
    text: str
    metadata: dict
    score: float  # fused score, higher is better
    dense_score: float | None = None  # cosine similarity to the query
    sparse_score: float | None = None  # BM25 score (the sparse side's lowest if it didn't rank it)
    rank: int = 0

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
    """Dense and sparse candidates, each side's scores z-normalised over their union, then mixed.

    Why score fusion and not reciprocal rank fusion: RRF only sees ranks, so a passage that one
    side puts first and the other misses loses to passages both sides rank mediocrely. On the
    dev set (36 answerable questions, 220-word chunks) RRF gave hit@5 0.81 / MRR 0.61, below
    BM25 alone (0.86 / 0.61); z-score fusion with equal weights gave 0.89 / 0.69 (min-max
    normalisation 0.89 / 0.68; dense weight 0.4-0.6 all within noise). See evals/README.md.
    """

    def __init__(
        self,
        store: ChromaStore,
        embedder: Embedder,
        sparse: SparseMirror,
        candidates: int = 40,
        dense_weight: float = 0.5,
        kind_bonus: float = 2.0,
        answer_type_bonus: float = 0.0,
        source_bonus: float = 0.0,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.sparse = sparse
        self.candidates = candidates
        self.dense_weight = dense_weight
        self.kind_bonus = kind_bonus
        self.answer_type_bonus = answer_type_bonus
        self.source_bonus = source_bonus

    def retrieve(
        self,
        query: str,
        k: int = 10,
        filters: Filters | None = None,
        prefer_kinds: list[str] | None = None,
        prefer_text: re.Pattern | None = None,
        prefer_source: Callable[[Hit], bool] | None = None,
        kinds_about: Callable[[Hit], int] | None = None,
    ) -> list[Hit]:
        """The k best passages; `prefer_kinds` lifts passages of those kinds ("wat zijn de
        lessen" → les) by `kind_bonus` fused-score units instead of filtering, so a lesson
        passage the rules missed can still come first on its own merit. `prefer_text` lifts
        passages whose text matches it (the kind of answer asked: a year for "wanneer …") by
        `answer_type_bonus`; `prefer_source` the passages it accepts (a follow-up's: those of the
        sources the previous answer quoted) by `source_bonus`. `kinds_about` scores how much a
        passage is about what the question names: when some candidate is about it, only the
        passages of the wanted kinds that are most about it are lifted ("Welke knelpunten noemt
        Wijkzorg Oost?" must not lift Alkmaar's obstacles), and none when none of them is. All
        lifts apply to every candidate before the cut to k, so a lifted passage below the k best
        can still come in."""
        filters = filters or Filters()
        registry = self.store.snapshot()  # one view of the registry for the whole question
        doc_ids = allowed_docs(list(registry.documents()), filters) if not filters.is_empty() else None
        current = registry.versions()
        if doc_ids == []:
            return []
        vector = self.embedder.embed_query(query)
        # A place filter also drops passages of practice cases elsewhere (below), so ask deeper.
        depth = self.candidates * (3 if filters.place else 1)
        chunk_level = {f: getattr(filters, f) for f in ("case", "kind") if getattr(filters, f)}
        dense = self._dense(vector, doc_ids, chunk_level, depth, current)
        # The sparse side is asked deeper than it contributes, so the dense candidates it
        # doesn't rank among its own still get their real BM25 score (at worst its minimum).
        sparse = self._sparse(expand_query(query), doc_ids, chunk_level, depth=depth * 4)
        ranked = self._fuse(vector, dense, sparse, depth, current)
        if filters.place:
            ranked = [h for h in ranked if _case_in_place(h.metadata.get("case"), filters.place)]
        lifts = []
        if prefer_kinds and self.kind_bonus:
            lifts.append((_kind_lift(ranked, prefer_kinds, kinds_about), self.kind_bonus))
        if prefer_text is not None and self.answer_type_bonus:
            lifts.append((lambda h: bool(prefer_text.search(h.text)), self.answer_type_bonus))
        if prefer_source is not None and self.source_bonus:
            lifts.append((prefer_source, self.source_bonus))
        if lifts:
            for hit in ranked:
                hit.score += sum(bonus for applies, bonus in lifts if applies(hit))
            ranked.sort(key=lambda h: h.score, reverse=True)
        for rank, hit in enumerate(ranked[:k], 1):
            hit.rank = rank
        return ranked[:k]

    def mentions(self, word: str) -> bool:
        """Does any passage in the knowledge base hold this word (see SparseIndex.mentions)?"""
        return self.sparse.index.mentions(word)

    def next_passage(self, hit: Hit) -> Hit | None:
        """The passage that follows `hit` in its document, whether retrieved or not: a list
        that a chunk border cuts goes on there."""
        chunk = self.store.next_chunk(hit.metadata)
        return None if chunk is None else Hit(chunk.chunk_id, chunk.text, chunk.metadata, 0.0, rank=hit.rank)

    def _dense(self, vector, doc_ids, chunk_level: dict, depth: int, current=None) -> list[StoredChunk]:
        clauses = []
        if doc_ids is not None:
            clauses.append({"doc_id": {"$in": doc_ids}})
        for field, values in chunk_level.items():
            clauses.append({field: {"$in": values}})
        where = clauses[0] if len(clauses) == 1 else ({"$and": clauses} if clauses else None)
        return self.store.query(vector, depth, where, current=current)

    def _sparse(self, query: str, doc_ids, chunk_level: dict, depth: int) -> list[tuple[str, float]]:
        sparse_filters = dict(chunk_level)
        if doc_ids is not None:
            sparse_filters["doc_id"] = doc_ids
        return self.sparse.index.search(query, k=depth, filters=sparse_filters or None)

    def _fuse(
        self, vector, dense: list[StoredChunk], sparse: list[tuple[str, float]], depth: int, current=None
    ) -> list[Hit]:
        """All candidates, best first (ranks are set by the caller after filtering)."""
        hits: dict[str, Hit] = {}
        for chunk in dense:
            hits[chunk.chunk_id] = _hit(chunk)
        sparse_top = [cid for cid, _ in sparse[:depth]]
        extra = [c for c in sparse_top if c not in hits]
        for chunk in self.store.get_chunks(extra, vector, current_only=True, current=current):
            hits[chunk.chunk_id] = _hit(chunk)
        if not hits:
            return []
        sparse_scores = dict(sparse)
        floor = min(sparse_scores.values(), default=0.0)
        for hit in hits.values():
            hit.sparse_score = float(sparse_scores.get(hit.chunk_id, floor))
        ids = list(hits)
        dz = _zscores([hits[i].dense_score or 0.0 for i in ids])
        sz = _zscores([hits[i].sparse_score for i in ids])
        w = self.dense_weight
        for i, d, s in zip(ids, dz, sz):
            hits[i].score = w * d + (1 - w) * s
        return sorted(hits.values(), key=lambda h: h.score, reverse=True)


def _kind_lift(ranked: list[Hit], kinds: list[str], about: Callable[[Hit], int] | None) -> Callable[[Hit], bool]:
    """Which passages the kind lift applies to: those of the wanted kinds and, when the question
    names something, of those the ones most about it."""
    # a passage that is as much an obstacle as a result (ingest/kinds.py: also_kinds) is both
    wanted = set(kinds)
    of_kind = {h.chunk_id for h in ranked
               if h.metadata.get("kind") in wanted or wanted.intersection(h.metadata.get("also_kinds") or ())}
    scores = {h.chunk_id: about(h) for h in ranked} if about is not None else {}
    if any(scores.values()):  # what it names is in these passages (else: a word, not a name)
        most = max(scores[cid] for cid in of_kind) if of_kind else 0
        of_kind = {cid for cid in of_kind if scores[cid] == most > 0}
    return lambda h: h.chunk_id in of_kind


def _case_in_place(case: str | None, places: list[str]) -> bool:
    """A passage outside any practice case passes (its document matched the place); one inside a
    case passes when the case is named after the place ("Hoorn: gezamenlijke aanpak" for Hoorn):
    a magazine lists a dozen places, but each case is about one of them."""
    return case is None or _matches(case, places, partial=True)


def _hit(chunk: StoredChunk) -> Hit:
    return Hit(chunk.chunk_id, chunk.text, chunk.metadata, 0.0, dense_score=1.0 - float(chunk.distance or 0.0))


def _zscores(values: list[float]) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64)
    std = arr.std()
    return (arr - arr.mean()) / std if std > 1e-12 else np.zeros_like(arr)
