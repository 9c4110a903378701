"""Segments of the sparse index: immutable blocks of analysed passages, one folder each on disk.

A segment holds, for its passages (rows): every term's postings (term hash → rows and term
frequencies, term-major like a CSC matrix), each row's length, chunk id and document, the rows
per filter value (facets) and the stems it contains (for fuzzy matching). It holds no BM25
scores: those depend on the whole collection's document frequencies and average length, which
every change moves, so they are computed at query time. That is what lets a change add a small
segment (and mark the replaced rows dead) instead of rebuilding and rewriting the whole index.

Terms are kept as 64-bit hashes of their text (blake2b), not strings: 8 bytes per distinct term
per segment instead of a Python string, and the same hash in every process. A collision between
two of the ±1M distinct stems and grams of a large corpus has odds of about 1 in 10^7.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

ROW_LIMIT_SMALL = 65536  # rows fit in uint16 below this


@lru_cache(maxsize=400_000)
def term_hash(term: str) -> int:
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "little")


def term_hashes(terms) -> np.ndarray:
    return np.fromiter((term_hash(t) for t in terms), dtype=np.uint64)


@dataclass(frozen=True)
class AnalysedRow:
    """One passage as the index stores it; facet values are already folded."""

    chunk_id: str
    doc_id: str
    facets: dict[str, tuple[str, ...]]  # field -> values (doc_id, doc_type, case, year, kind, ...)
    places: tuple[str, ...]
    hashes: np.ndarray  # uint64, sorted, distinct
    tfs: np.ndarray  # uint16, term frequency per hash
    length: int  # terms in the passage, repeats counted (BM25's document length)
    stems: tuple[str, ...]


def _row_dtype(n_rows: int):
    return np.uint16 if n_rows <= ROW_LIMIT_SMALL else np.uint32


def _postings(terms: np.ndarray, rows: np.ndarray, tfs: np.ndarray, n_rows: int):
    """Term-major postings from one entry per (term, row), rows ascending per term."""
    order = np.argsort(terms, kind="stable")  # stable: rows stay ascending within a term
    terms = terms[order]
    starts = np.flatnonzero(np.diff(terms)) + 1 if len(terms) else np.zeros(0, dtype=np.int64)
    unique = terms[np.concatenate(([0], starts))] if len(terms) else terms
    indptr = np.concatenate(([0], starts, [len(terms)])).astype(np.int64)
    return unique, indptr, rows[order].astype(_row_dtype(n_rows)), tfs[order].astype(np.uint16)


def _facet_arrays(table: dict[str, dict[str, list[int]]]) -> dict[str, dict[str, np.ndarray]]:
    return {f: {v: np.array(rows, dtype=np.int32) for v, rows in values.items()} for f, values in table.items()}


class Segment:
    def __init__(self, name, chunk_ids, docs, lengths, terms, indptr, rows, tfs, facets, places, stems):
        self.name: str = name
        self.chunk_ids: list[str] = chunk_ids
        self.docs: dict[str, tuple[int, int]] = docs  # a document's rows are contiguous
        self.lengths: np.ndarray = lengths  # int32 per row
        self.terms: np.ndarray = terms  # uint64, sorted
        self.indptr: np.ndarray = indptr  # int64, len(terms) + 1
        self.rows: np.ndarray = rows  # uint16/uint32 per posting
        self.tfs: np.ndarray = tfs  # uint16 per posting
        self.facets: dict[str, dict[str, np.ndarray]] = facets
        self.places: dict[str, np.ndarray] = places
        self.stems: list[str] = stems

    def __len__(self) -> int:
        return len(self.chunk_ids)

    @staticmethod
    def new_name() -> str:
        return f"seg-{uuid.uuid4().hex[:16]}"

    # ------------------------------------------------------------------ building
    @classmethod
    def from_rows(cls, analysed: list[AnalysedRow]) -> Segment:
        n = len(analysed)
        docs: dict[str, tuple[int, int]] = {}
        facets: dict[str, dict[str, list[int]]] = {}
        places: dict[str, list[int]] = {}
        stems: dict[str, None] = {}
        for i, r in enumerate(analysed):
            start = docs.get(r.doc_id, (i, i))[0]
            if start != i and docs[r.doc_id][1] != i:
                raise ValueError(f"rows of {r.doc_id!r} are not contiguous")
            docs[r.doc_id] = (start, i + 1)
            for name, values in r.facets.items():
                for v in values:
                    facets.setdefault(name, {}).setdefault(v, []).append(i)
            for p in r.places:
                places.setdefault(p, []).append(i)
            stems.update(dict.fromkeys(r.stems))
        sizes = [len(r.hashes) for r in analysed]
        terms = np.concatenate([r.hashes for r in analysed]) if n else np.zeros(0, np.uint64)
        tfs = np.concatenate([r.tfs for r in analysed]) if n else np.zeros(0, np.uint16)
        rows = np.repeat(np.arange(n, dtype=np.int32), sizes)
        unique, indptr, post_rows, post_tfs = _postings(terms.astype(np.uint64, copy=False), rows, tfs, n)
        return cls(
            cls.new_name(), [r.chunk_id for r in analysed], docs,
            np.array([r.length for r in analysed], dtype=np.int32), unique, indptr, post_rows, post_tfs,
            _facet_arrays(facets), {p: np.array(v, dtype=np.int32) for p, v in places.items()}, list(stems),
        )

    @classmethod
    def merged(cls, parts: list[tuple[Segment, np.ndarray | None]]) -> Segment:
        """One segment holding the live rows (mask True, or all when None) of `parts`, in order."""
        chunk_ids: list[str] = []
        docs: dict[str, tuple[int, int]] = {}
        facets: dict[str, dict[str, list[np.ndarray]]] = {}
        places: dict[str, list[np.ndarray]] = {}
        lengths, terms, rows, tfs, stems = [], [], [], [], {}
        offset = 0
        for seg, live in parts:
            keep = np.arange(len(seg)) if live is None else np.flatnonzero(live)
            remap = np.full(len(seg), -1, dtype=np.int32)
            remap[keep] = offset + np.arange(len(keep))
            chunk_ids += [seg.chunk_ids[i] for i in keep]
            lengths.append(seg.lengths[keep])
            for doc, (s, e) in seg.docs.items():
                if remap[s] >= 0:  # a document's rows die together
                    docs[doc] = (int(remap[s]), int(remap[e - 1]) + 1)
            for name, values in seg.facets.items():
                for v, r in values.items():
                    facets.setdefault(name, {}).setdefault(v, []).append(remap[r])
            for p, r in seg.places.items():
                places.setdefault(p, []).append(remap[r])
            entry_rows = remap[seg.rows]
            alive = entry_rows >= 0
            terms.append(np.repeat(seg.terms, np.diff(seg.indptr))[alive])
            rows.append(entry_rows[alive])
            tfs.append(seg.tfs[alive])
            stems.update(dict.fromkeys(seg.stems))
            offset += len(keep)
        unique, indptr, post_rows, post_tfs = _postings(
            np.concatenate(terms) if terms else np.zeros(0, np.uint64),
            np.concatenate(rows) if rows else np.zeros(0, np.int32),
            np.concatenate(tfs) if tfs else np.zeros(0, np.uint16),
            offset,
        )

        def live_rows(arrays: list[np.ndarray]) -> np.ndarray:
            r = np.concatenate(arrays)
            return r[r >= 0].astype(np.int32)

        facet_arrays = {
            name: {v: a for v, parts_ in values.items() if len(a := live_rows(parts_))}
            for name, values in facets.items()
        }
        place_arrays = {p: a for p, parts_ in places.items() if len(a := live_rows(parts_))}
        stem_list = list(stems)
        if stem_list and len(unique):  # stems only dead rows had are dropped
            h = term_hashes(stem_list)
            pos = np.minimum(np.searchsorted(unique, h), len(unique) - 1)
            stem_list = [s for s, ok in zip(stem_list, unique[pos] == h) if ok]
        elif not len(unique):
            stem_list = []
        return cls(
            cls.new_name(), chunk_ids, docs,
            np.concatenate(lengths) if lengths else np.zeros(0, np.int32),
            unique, indptr, post_rows, post_tfs, facet_arrays, place_arrays, stem_list,
        )

    # ------------------------------------------------------------------ reading
    def find(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Posting ranges (start, end) of each hash; empty ranges for terms not in this segment."""
        if not len(self.terms):
            zeros = np.zeros(len(hashes), dtype=np.int64)
            return zeros, zeros
        pos = np.minimum(np.searchsorted(self.terms, hashes), len(self.terms) - 1)
        hit = self.terms[pos] == hashes
        return np.where(hit, self.indptr[pos], 0), np.where(hit, self.indptr[pos + 1], 0)

    # ------------------------------------------------------------------ persistence
    ARRAYS = ("lengths", "terms", "indptr", "rows", "tfs")

    def save(self, folder: Path) -> None:
        """Write to `folder/<name>`, complete or not at all (a temp folder renamed at the end)."""
        target = folder / self.name
        if target.exists():
            return  # segments are immutable: already there
        tmp = folder / f".{self.name}.tmp-{uuid.uuid4().hex[:6]}"
        tmp.mkdir(parents=True)
        for attr in self.ARRAYS:
            with open(tmp / f"{attr}.npy", "wb") as f:
                np.save(f, getattr(self, attr))
                sync_file(f)
        rows = {
            "chunk_ids": self.chunk_ids,
            "docs": [[d, s, e] for d, (s, e) in self.docs.items()],
            "facets": {n: {v: r.tolist() for v, r in vals.items()} for n, vals in self.facets.items()},
            "places": {p: r.tolist() for p, r in self.places.items()},
            "stems": self.stems,
        }
        with open(tmp / "rows.json", "w", encoding="utf-8") as f:
            json.dump(rows, f, ensure_ascii=False)
            sync_file(f)
        tmp.rename(target)

    @classmethod
    def load(cls, path: Path) -> Segment:
        arrays = {attr: np.load(path / f"{attr}.npy") for attr in cls.ARRAYS}
        rows = json.loads((path / "rows.json").read_text("utf-8"))
        return cls(
            path.name, rows["chunk_ids"], {d: (s, e) for d, s, e in rows["docs"]},
            arrays["lengths"], arrays["terms"], arrays["indptr"], arrays["rows"], arrays["tfs"],
            {n: {v: np.array(r, dtype=np.int32) for v, r in vals.items()} for n, vals in rows["facets"].items()},
            {p: np.array(r, dtype=np.int32) for p, r in rows["places"].items()},
            rows["stems"],
        )


def sync_file(f) -> None:
    f.flush()
    os.fsync(f.fileno())
