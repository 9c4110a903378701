"""The sparse (lexical) side of hybrid retrieval: a persisted Dutch BM25 index over chunks.

One BM25 index (Lucene's variant, k1 1.2, b 0.75) whose vocabulary holds two kinds of terms per
content word (stop words dropped; `kb.dutch_text`):

  * the Snowball Dutch stem ("wijknetwerken" → "wijknetwerk"), and
  * the word's character 3- and 4-grams ("~waa", "~aakv", ...).

Why the n-grams: Dutch glues words into compounds, and a question says "waakvlam" or
"woonzorgcirkels" where the text says "waakvlamfunctie" or "woonzorgcirkel"; stems only match
whole words. The grams also make a misspelt word still overlap with the right one. Measured on
the 36 answerable dev questions over the corpus cut into 500/800/1,200-character pieces (mean
of the three sizes): stems only hit@5 0.63 / hit@10 0.72; grams only 0.71 / 0.82; this index
0.68 / 0.80. (±0.06 is chance at 36 questions, but all three sizes moved the same way.)
With two typos put into each question: stems only 0.64 / 0.67, this index 0.66 / 0.79. Fusing
two separate indexes (RRF or normalised score sum) was no better than one mixed index, which is
simpler: one matrix, one score, idf weighs stems against grams.

On top of that, query words the index does not know are mapped onto stems it does know
(grams alone cannot do this for "alfen" → "Alphen": they share only "al" and "en"):

  1. adjacent query words written apart are tried as one compound ("waakvlam funktie" →
     "waakvlamfunctie", "wijk zorg" → "wijkzorg");
  2. same Dutch sound key ("alfen" → "alphen", "funktie" → "functie", "sentrum" → "centrum");
  3. otherwise the nearest known stems by edit distance on those keys (≤ 1, ≤ 2 for long words),
     candidates found through a character-trigram index of the vocabulary;
  4. otherwise a compound split into two known stems ("zorgnetwerk" → "zorg" + "netwerk");
  5. an unknown word that is (a misspelling of) a stop word is dropped ("warren" ~ "waren").
  Known words are never expanded, and d/t at the end of a word is folded by the analyser itself
  ("beschermt wonen" = "beschermd wonen"). `query_terms` shows what a query became
  (kb/sparse_fuzzy.py).

Size (issue 8). Written by hand rather than with bm25s, which the index used before: bm25s
builds its score matrix in one go and can neither add nor remove a document, so each change
re-analysed and rewrote the whole collection (8.4 s per re-ingested document at 10k passages,
growing with the collection). The index is a list of immutable segments (kb/sparse_segments.py) holding term
frequencies and passage lengths, not scores; BM25 is computed at query time from the live
document frequencies and average length, with exactly the formula and float32 rounding bm25s
used before, so rankings are unchanged. A change adds one small segment for the changed
documents and marks their old rows dead; `commit` writes only the new segments plus a small
manifest (`index.json`), and merges small segments in tiers (8 of < 1,000 rows, 8 of < 8,000,
at most 20,000 rows each) and rewrites segments that are 30% dead, so the work per changed
document does not grow with the collection. At 100k passages the index holds ±90M postings:
4 bytes each in memory and on disk (uint16 row, uint16 frequency), ±0.4 GB. Passage texts are
not kept (they are in Chroma): an index from another analyser version is rebuilt from the store.
"""

from __future__ import annotations

import bisect
import json
import math
import os
import shutil
import threading
import time
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np
from pydantic import BaseModel, Field

from kb.dutch_text import STOP_WORDS, char_ngrams, content_tokens, normalise, sound_key, stem
from kb.sparse_fuzzy import MAX_EXPANSIONS, W_SAME_SOUND, StemVocabulary
from kb.sparse_segments import AnalysedRow, Segment, sync_file, term_hashes

FORMAT_VERSION = 2
# Bump when kb.dutch_text or `_word_terms` change what a word becomes: saved indexes are then
# rebuilt from the store's texts.
ANALYSER_VERSION = "nl-snowball-dutch-dt+grams34-1"

K1 = 1.2
B = 0.75
GRAM_SIZES = (3, 4)
GRAM_PREFIX = "~"  # keeps grams apart from stems in the shared vocabulary ("alf" vs "~alf")

# Query-side weights. A stem counts double against a single gram (a word has ~2×length grams,
# so grams still carry most of the score); not tuned, the dev set cannot tell 1 from 3.
W_STEM = 2.0
# A compound found by joining two query words stands for both words, so it counts double.
W_COMPOUND_JOIN = 2.0

# Segments (see "Size" above).
MAX_SEGMENT_ROWS = 20_000
MERGE_FANOUT = 8
TIERS = (1_000, 8_000)  # live rows
COMPACT_DEAD_SHARE = 0.3
RETIRED_GRACE_S = 60  # a merged-away segment outlives its manifest this long (readers may be loading it)
ABANDONED_AFTER_S = 3600  # unlisted segment folders (a killed or overruled writer's) go after this

_STOP_KEYS = frozenset(sound_key(w) for w in STOP_WORDS if len(w) >= 3)


class SparseRecord(BaseModel):
    """One chunk as the sparse index sees it. `metadata` holds the scalar filter fields
    (doc_id, doc_type, case, year) and `places` (a list of strings)."""

    chunk_id: str
    doc_id: str
    text: str
    metadata: dict[str, Any] = Field(default_factory=dict)


class SparseConflict(RuntimeError):
    """Another process committed to the index folder since this index was loaded or saved."""


@lru_cache(maxsize=200_000)
def _word_terms(token: str) -> tuple[str, ...]:
    """What one content word puts in the index: its stem and its character grams."""
    return (stem(token), *(GRAM_PREFIX + g for g in char_ngrams(token, GRAM_SIZES)))


@lru_cache(maxsize=200_000)
def _word_hashes(token: str) -> np.ndarray:
    return term_hashes(_word_terms(token))


def _fold(value: Any) -> str:
    return normalise(str(value)).strip()


def analyse_record(record: SparseRecord) -> AnalysedRow:
    """Term frequencies, length, stems and folded filter values of one chunk."""
    tokens = content_tokens(record.text)
    metadata = dict(record.metadata)
    metadata.setdefault("doc_id", record.doc_id)
    facets: dict[str, tuple[str, ...]] = {}
    places: tuple[str, ...] = ()
    for name, value in metadata.items():
        if name == "places":
            places = tuple(_fold(p) for p in value or [])
        elif isinstance(value, (list, tuple, set)):
            facets[name] = tuple(_fold(v) for v in value)
        elif value is not None:
            facets[name] = (_fold(value),)
    if tokens:
        every = np.concatenate([_word_hashes(t) for t in tokens])
        hashes, counts = np.unique(every, return_counts=True)
    else:
        every, hashes, counts = (), np.zeros(0, np.uint64), np.zeros(0, np.int64)
    stems = tuple(dict.fromkeys(_word_terms(t)[0] for t in tokens))
    return AnalysedRow(record.chunk_id, record.doc_id, facets, places, hashes,
                       counts.astype(np.uint16), len(every), stems)


@dataclass
class _State:
    """An immutable snapshot that searches read (the caches only fill); a change builds a new one."""

    segments: tuple[Segment, ...]
    live: tuple[np.ndarray | None, ...]  # per segment: live rows, or None when all are
    offsets: np.ndarray  # first global row of each segment, and the total at the end
    norm: np.ndarray  # per global row: k1 * (1 - b + b * length / average length)
    n_live: int
    vocabulary: StemVocabulary
    _df: dict[str, int] = field(default_factory=dict)
    expansions: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    _sorted: list[str] | None = None  # the vocabulary's stems, sorted (see starting_with)

    @classmethod
    def build(cls, segments: list[Segment], dead: dict[str, set[int]], vocabulary: StemVocabulary) -> _State:
        live = [_live_mask(len(seg), dead.get(seg.name)) for seg in segments]
        offsets = np.cumsum([0] + [len(s) for s in segments]).astype(np.int64)
        lengths = np.concatenate([s.lengths for s in segments]).astype(np.float64) if segments else np.zeros(0)
        alive = np.concatenate([np.ones(len(s), bool) if m is None else m for s, m in zip(segments, live)]) \
            if segments else np.zeros(0, bool)
        n_live = int(alive.sum())
        avg = float(lengths[alive].mean()) if n_live else 1.0
        # The same operations, in the same order, as bm25s' Lucene scorer: equal floats.
        norm = K1 * ((1 - B) + B * lengths / avg) if avg else np.full(len(lengths), K1 * (1 - B))
        return cls(tuple(segments), tuple(live), offsets, norm, n_live, vocabulary)

    @property
    def n_rows(self) -> int:
        return int(self.offsets[-1])

    def postings(self, terms: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per term: the live global rows holding it and its frequencies there."""
        found: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in terms]
        hashes = term_hashes(terms)
        for seg, live, offset in zip(self.segments, self.live, self.offsets):
            starts, ends = seg.find(hashes)
            for j in np.flatnonzero(ends > starts):
                rows = seg.rows[starts[j] : ends[j]]
                tfs = seg.tfs[starts[j] : ends[j]]
                if live is not None:
                    keep = live[rows]
                    rows, tfs = rows[keep], tfs[keep]
                found[j].append((rows.astype(np.int64) + offset, tfs))
        empty = (np.zeros(0, np.int64), np.zeros(0, np.uint16))
        return [
            empty if not parts else parts[0] if len(parts) == 1
            else (np.concatenate([r for r, _ in parts]), np.concatenate([t for _, t in parts]))
            for parts in found
        ]

    def score(self, terms: list[tuple[str, float]]) -> np.ndarray:
        """BM25 of every global row for weighted query terms (0 for rows holding none).

        bm25s' Lucene scorer, operation for operation: idf in float32, the term-frequency part
        in float64, their product stored as float32; then weight × score summed in float32,
        term by term in query order. So the scores equal those of the bm25s index this one
        replaced, bit for bit.
        """
        hashes = term_hashes([t for t, _ in terms])
        ranges = [seg.find(hashes) for seg in self.segments]
        df = np.zeros(len(terms), dtype=np.int64)
        for seg, live, (starts, ends) in zip(self.segments, self.live, ranges):
            if live is None:
                df += ends - starts
            else:
                for j in np.flatnonzero(ends > starts):
                    df[j] += int(np.count_nonzero(live[seg.rows[starts[j] : ends[j]]]))
        scores = np.zeros(self.n_rows, dtype=np.float32)
        views = [(scores[a:b], self.norm[a:b]) for a, b in zip(self.offsets[:-1], self.offsets[1:])]
        n = self.n_live
        for j, (_, w) in enumerate(terms):
            if not df[j]:
                continue
            idf = np.float32(math.log(1 + (n - df[j] + 0.5) / (df[j] + 0.5)))
            weight = np.float32(w)
            for seg, live, (starts, ends), (seg_scores, seg_norm) in zip(self.segments, self.live, ranges, views):
                start, end = starts[j], ends[j]
                if end <= start:
                    continue
                # take/put with native ints: fancy indexing with uint16 rows is several times slower
                rows, tfs = seg.rows[start:end].astype(np.intp), seg.tfs[start:end]
                if live is not None:
                    keep = live.take(rows)
                    rows, tfs = rows[keep], tfs[keep]
                tf = tfs.astype(np.float64)
                part = seg_norm.take(rows)
                part += tf
                np.divide(tf, part, out=tf)
                tf *= idf
                term_scores = tf.astype(np.float32)
                term_scores *= weight
                term_scores += seg_scores.take(rows)
                seg_scores.put(rows, term_scores)
        return scores

    def df(self, term: str) -> int:
        n = self._df.get(term)
        if n is None:
            n = self._df[term] = len(self.postings([term])[0][0])
        return n

    def is_stem(self, term: str) -> bool:
        return term in self.vocabulary.stems and self.df(term) > 0

    def starting_with(self, prefix: str) -> Iterator[str]:
        """The stems that start with `prefix`, from a sorted copy of the vocabulary made on first
        use (a bisection, not a scan: the vocabulary grows with the corpus)."""
        if self._sorted is None:
            self._sorted = sorted(self.vocabulary.stems)
        i = bisect.bisect_left(self._sorted, prefix)
        while i < len(self._sorted) and self._sorted[i].startswith(prefix):
            yield self._sorted[i]
            i += 1

    def expand(self, term: str) -> list[tuple[str, float]]:
        out = self.expansions.get(term)
        if out is None:
            if len(self.expansions) > 50_000:
                self.expansions.clear()
            out = self.expansions[term] = self.vocabulary.expand(term, self.df)
        return out

    def locate(self, row: int) -> tuple[Segment, int]:
        i = int(np.searchsorted(self.offsets, row, side="right")) - 1
        return self.segments[i], row - int(self.offsets[i])


class SparseIndex:
    """BM25 over chunk texts with Dutch analysis, metadata filters and fuzzy query matching.

    Thread-safe: searches read an immutable snapshot; changes are serialised and take effect
    for searches that start after them.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._segments: list[Segment] = []
        self._dead: dict[str, set[int]] = {}
        self._pending: dict[str, list[AnalysedRow]] = {}  # analysed, not yet in a segment
        self._pending_rows = 0
        self._where: dict[str, tuple[str, int, int]] = {}  # document -> (segment, first row, end)
        self._chunk_doc: dict[str, str] = {}  # every live chunk id -> its document
        self._vocabulary = StemVocabulary()
        self._state: _State | None = None
        # Persistence: the folder this index was loaded from or committed to, as of which manifest.
        self._folder: Path | None = None
        self._generation: str | None = None
        self._saved: set[str] = set()  # segment names present in that folder
        self._retired: list[dict] = []  # merged-away segments still on disk: [{"name", "at"}]
        self.extra: dict = {}  # what the caller stored beside the index (the mirror: versions)

    # ------------------------------------------------------------------ building and changing
    @classmethod
    def build(cls, records: Iterable[SparseRecord]) -> SparseIndex:
        by_doc: dict[str, list[SparseRecord]] = {}
        for r in records:
            by_doc.setdefault(r.doc_id, []).append(r)
        index = cls()
        index.apply(by_doc)
        return index

    def replace_document(self, doc_id: str, records: Iterable[SparseRecord]) -> None:
        """Put `records` in place of all chunks of `doc_id` (an empty list removes the document)."""
        self.apply({doc_id: list(records)})

    def remove_document(self, doc_id: str) -> None:
        self.apply({doc_id: []})

    def apply(self, changes: dict[str, list[SparseRecord]]) -> None:
        """Replace the chunks of several documents at once (an empty list removes one).

        Only the given chunks are analysed; the rest of the index is not touched: the old rows
        are marked dead and the new ones go into a new segment, built on the next search/commit.
        """
        changes = {doc: list(records) for doc, records in changes.items()}
        seen: set[str] = set()
        for doc_id, records in changes.items():
            for r in records:
                if r.doc_id != doc_id:
                    raise ValueError(f"record {r.chunk_id!r} belongs to {r.doc_id!r}, not {doc_id!r}")
                if r.chunk_id in seen:
                    raise ValueError(f"duplicate chunk id {r.chunk_id!r}")
                seen.add(r.chunk_id)
        with self._lock:
            clash = [c for c in seen if self._chunk_doc.get(c, None) not in (None, *changes)]
            if clash:
                raise ValueError(f"chunk ids already used by another document: {clash[:3]}")
            touched = False
            for doc_id, records in changes.items():
                touched |= self._drop(doc_id)
                if not records:
                    continue
                if self._pending and self._pending_rows + len(records) > MAX_SEGMENT_ROWS:
                    self._seal()
                self._pending[doc_id] = [analyse_record(r) for r in records]
                self._pending_rows += len(records)
                self._chunk_doc.update((r.chunk_id, doc_id) for r in records)
                touched = True
            if touched:
                self._state = None  # searches keep the old snapshot until now

    def _drop(self, doc_id: str) -> bool:
        rows = self._pending.pop(doc_id, None)
        if rows is not None:
            self._pending_rows -= len(rows)
            for r in rows:
                self._chunk_doc.pop(r.chunk_id, None)
        where = self._where.pop(doc_id, None)
        if where is not None:
            name, start, end = where
            self._dead[name].update(range(start, end))
            seg = self._segment(name)
            for chunk_id in seg.chunk_ids[start:end]:
                self._chunk_doc.pop(chunk_id, None)
        return rows is not None or where is not None

    def _seal(self) -> None:
        """Turn the pending rows into a segment."""
        if not self._pending:
            return
        seg = Segment.from_rows([r for rows in self._pending.values() for r in rows])
        self._add_segment(seg)
        self._pending.clear()
        self._pending_rows = 0

    def _add_segment(self, seg: Segment, at: int | None = None) -> None:
        self._segments.insert(len(self._segments) if at is None else at, seg)
        self._dead[seg.name] = set()
        for doc, (start, end) in seg.docs.items():
            self._where[doc] = (seg.name, start, end)
        self._vocabulary = self._vocabulary.extended(seg.stems)

    def _current(self) -> _State:
        state = self._state
        if state is not None:
            return state
        with self._lock:
            if self._state is None:
                self._seal()
                self._state = _State.build(self._segments, self._dead, self._vocabulary)
            return self._state

    # ------------------------------------------------------------------ merging
    def _live_rows(self, seg: Segment) -> int:
        return len(seg) - len(self._dead[seg.name])

    def _merge_if_due(self) -> None:
        """Drop dead segments, rewrite mostly-dead ones, merge tiers of small ones."""
        while True:
            for seg in list(self._segments):
                dead = len(self._dead[seg.name])
                if dead == len(seg):
                    self._replace([seg], None)
                elif dead and dead >= COMPACT_DEAD_SHARE * len(seg):
                    self._replace([seg], Segment.merged([(seg, self._live_mask(seg))]))
            for limit in TIERS:
                small = [s for s in self._segments if self._live_rows(s) < limit]
                if len(small) >= MERGE_FANOUT:
                    for group in _groups(small, self._live_rows):
                        parts = [(s, self._live_mask(s)) for s in group]
                        self._replace(group, Segment.merged(parts))
                    break
            else:
                return

    def _live_mask(self, seg: Segment) -> np.ndarray | None:
        return _live_mask(len(seg), self._dead[seg.name])

    def _segment(self, name: str) -> Segment:
        return next(s for s in self._segments if s.name == name)

    def _replace(self, old: list[Segment], new: Segment | None) -> None:
        at = self._segments.index(old[0])
        now = time.time()
        for seg in old:
            self._segments.remove(seg)
            del self._dead[seg.name]
            if seg.name in self._saved:
                self._retired.append({"name": seg.name, "at": now})
        if new is not None:
            self._add_segment(new, at)
        self._state = None

    # ------------------------------------------------------------------ reading
    def __len__(self) -> int:
        return len(self._chunk_doc)

    def doc_ids(self) -> set[str]:
        with self._lock:
            return set(self._where) | set(self._pending)

    def chunk_ids(self, doc_id: str) -> set[str]:
        with self._lock:
            if doc_id in self._pending:
                return {r.chunk_id for r in self._pending[doc_id]}
            where = self._where.get(doc_id)
            if where is None:
                return set()
            name, start, end = where
            seg = self._segment(name)
            return set(seg.chunk_ids[start:end])

    def segment_count(self) -> int:
        with self._lock:
            return len(self._segments) + (1 if self._pending else 0)

    def query_terms(self, query: str) -> dict[str, float]:
        """The stems a query is scored with and their weights, after fuzzy expansion (for
        explaining a result; the character grams of the query's words come on top)."""
        stems, _ = self._query_weights(self._current(), query)
        return {t: w / W_STEM for t, w in stems.items()}

    @staticmethod
    def _query_weights(state: _State, query: str) -> tuple[dict[str, float], dict[str, float]]:
        """(stem weights, gram weights) for `query`; terms no live chunk holds score nothing."""
        if not state.n_live:
            return {}, {}
        tokens = content_tokens(query, query=True)
        stems: dict[str, float] = {}
        grams: dict[str, float] = {}

        def add(term: str, w: float) -> None:
            if w * W_STEM > stems.get(term, 0.0):
                stems[term] = w * W_STEM

        joined_pair: set[int] = set()  # token positions explained by a joined compound
        for i in range(len(tokens) - 1):
            joined = stem(tokens[i] + tokens[i + 1])
            if state.is_stem(joined):
                add(joined, W_COMPOUND_JOIN)
                joined_pair.update((i, i + 1))
            elif len(joined) >= 8:
                same = state.vocabulary.best(
                    state.vocabulary.by_key.get(sound_key(joined), ()), 1.0, state.df
                )
                if same:
                    for term, _ in same[:MAX_EXPANSIONS]:
                        add(term, W_COMPOUND_JOIN * W_SAME_SOUND)
                    joined_pair.update((i, i + 1))
        for i, token in enumerate(tokens):
            term, *token_grams = _word_terms(token)
            if state.is_stem(term):
                add(term, 1.0)
            elif i not in joined_pair:
                if sound_key(token) in _STOP_KEYS:
                    continue  # a misspelt stop word ("warren", "hte"): no stem, no grams
                for t, w in state.expand(term):
                    add(t, w)
            for g in token_grams:
                grams[g] = 1.0
        return stems, grams

    def idf(self, stems: Iterable[str]) -> dict[str, float]:
        """BM25's idf of each stem over the live passages (0 for a stem no passage holds): how
        much sharing the word says; the composer weighs a question's words with it."""
        state = self._current()
        n = max(state.n_live, 1)
        out = {}
        for term in stems:
            df = state.df(term)
            out[term] = math.log(1 + (n - df + 0.5) / (df + 0.5)) if df else 0.0
        return out

    def mentions(self, word: str) -> bool:
        """Does any live passage hold `word`: its stem, a word that sounds the same ("Selwert",
        "Selwerd"), or a longer word that starts with it ("Buurtzorg" in "buurtzorgteams")?
        Not the search's one-letter typos: "Deventer" is not "dementeer". The assistant asks
        this of the names in a question (assistant/abstention.py)."""
        term = stem(normalise(word.lower()))
        if not term:
            return False
        state = self._current()
        if state.is_stem(term) or any(w >= W_SAME_SOUND for _, w in state.expand(term)):
            return True
        return any(state.df(t) > 0 for t in state.starting_with(term))

    def search(
        self, query: str, k: int = 20, filters: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """Top `k` (chunk_id, score) for `query`, best first, among chunks passing `filters`.

        `filters` maps a metadata field to a value or a list of values (any may match; None
        means no constraint, an empty list matches nothing). "places" matches when one of a
        chunk's places equals or contains a value; other fields match by equality. Both
        ignore case and diacritics. Filtering happens before the top k are taken.
        """
        if k <= 0 or not query or not query.strip():
            return []
        state = self._current()
        if not state.n_live:
            return []
        rows = self._filter_rows(state, filters)
        if rows is not None and len(rows) == 0:
            return []
        stems, grams = self._query_weights(state, query)
        terms = list(stems.items()) + list(grams.items())
        if not terms:
            return []
        scores = state.score(terms)
        if rows is not None:
            candidates = rows[scores[rows] > 0]
        else:
            candidates = np.flatnonzero(scores > 0)
        if len(candidates) > k:
            candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
        # Best first; ties in index order, so results are deterministic.
        order = np.lexsort((candidates, -scores[candidates]))
        out = []
        for row in candidates[order]:
            seg, local = state.locate(int(row))
            out.append((seg.chunk_ids[local], float(scores[row])))
        return out

    @staticmethod
    def _filter_rows(state: _State, filters: dict[str, Any] | None) -> np.ndarray | None:
        """Global rows passing all filters (sorted), or None when nothing is filtered."""
        rows: np.ndarray | None = None
        for name, wanted in (filters or {}).items():
            if wanted is None:
                continue
            values = list(wanted) if isinstance(wanted, (list, tuple, set, frozenset)) else [wanted]
            folded = [_fold(v) for v in values]
            parts = []
            for seg, offset in zip(state.segments, state.offsets):
                if name == "places":
                    parts += [r + offset for place, r in seg.places.items() if any(v and v in place for v in folded)]
                else:
                    facet = seg.facets.get(name, {})
                    parts += [facet[v] + offset for v in folded if v in facet]
            match = np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)
            rows = match if rows is None else np.intersect1d(rows, match, assume_unique=True)
            if len(rows) == 0:
                break
        return rows

    # ------------------------------------------------------------------ persistence
    def _manifest(self, generation: str, extra: dict | None) -> dict:
        return {
            "format": FORMAT_VERSION, "analyser": ANALYSER_VERSION, "k1": K1, "b": B,
            "generation": generation, "chunks": len(self._chunk_doc),
            "segments": [{"name": s.name, "rows": len(s), "dead": sorted(self._dead[s.name])}
                         for s in self._segments],
            "retired": self._retired,
            "extra": extra if extra is not None else self.extra,
        }

    def save(self, folder: Path, extra: dict | None = None) -> None:
        """Write the whole index to `folder`, replacing it whole.

        Everything is written to a temp folder beside it first, which then takes its place, so
        a crash never leaves a half-written index at `folder` (at worst the previous index is
        left at `<folder>.old`, which `load` falls back to).
        """
        folder = Path(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = folder.with_name(f".{folder.name}.tmp-{uuid.uuid4().hex[:8]}")
        old = folder.with_name(folder.name + ".old")
        with self._lock:
            self._seal()
            self._merge_if_due()
            self._retired = []  # the new folder holds only live segments
            generation = uuid.uuid4().hex
            try:
                tmp.mkdir()
                for seg in self._segments:
                    seg.save(tmp)
                # index.json is written last: a folder without it is incomplete.
                _write_json(tmp / "index.json", self._manifest(generation, extra))
                if old.exists():
                    shutil.rmtree(old)
                if folder.exists():
                    folder.rename(old)
                tmp.rename(folder)
                shutil.rmtree(old, ignore_errors=True)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            self._remember(folder, generation, extra)

    def commit(self, folder: Path, extra: dict | None = None) -> None:
        """Persist the changes since the last load/commit: new segments and the manifest only.

        Falls back to `save` when `folder` holds no index this one descends from. Raises
        SparseConflict when another process committed to `folder` meanwhile: reload and redo.
        """
        folder = Path(folder)
        with self._lock:
            on_disk = _read_manifest(folder)
            if self._folder != folder or on_disk is None:
                self.save(folder, extra)
                return
            if on_disk.get("generation") != self._generation:
                raise SparseConflict(f"the sparse index in {folder} was changed by another process")
            self._seal()
            self._merge_if_due()
            for seg in self._segments:
                if seg.name not in self._saved:
                    seg.save(folder)
                    self._saved.add(seg.name)
            now = time.time()
            gone = [r for r in self._retired if now - r["at"] > RETIRED_GRACE_S]
            self._retired = [r for r in self._retired if r not in gone]
            generation = uuid.uuid4().hex
            _write_json(folder / "index.json", self._manifest(generation, extra))
            self._remember(folder, generation, extra)
            for r in gone:
                shutil.rmtree(folder / r["name"], ignore_errors=True)
                self._saved.discard(r["name"])
            self._sweep(folder, now)

    def _remember(self, folder: Path, generation: str, extra: dict | None) -> None:
        self._folder, self._generation = folder, generation
        self._saved = {s.name for s in self._segments} | {r["name"] for r in self._retired}
        if extra is not None:
            self.extra = extra

    def _sweep(self, folder: Path, now: float) -> None:
        """What no manifest names, left by a killed or overruled writer: segment folders and
        cut-short manifest writes, once they are an hour old (a writer may still be busy)."""
        for path in folder.iterdir():
            name = path.name.lstrip(".").split(".tmp-")[0]
            abandoned = (name == "index.json" and path.name != name) or (
                name.startswith("seg-") and (path.name != name or name not in self._saved)
            )
            try:
                if abandoned and now - path.stat().st_mtime > ABANDONED_AFTER_S:
                    shutil.rmtree(path) if path.is_dir() else path.unlink()
            except OSError:
                pass

    @classmethod
    def load(cls, folder: Path, previous: SparseIndex | None = None) -> SparseIndex:
        """Load an index written by `save`/`commit`. FileNotFoundError if there is none,
        ValueError if it is in another format or from another analyser (rebuild it then).
        With `previous` (an index loaded from the same folder), its segments are reused and
        only new ones are read: a reload after another process's commit is cheap."""
        folder = Path(folder)
        for attempt in range(3):
            source = folder
            meta = _read_manifest(folder, strict=True)
            if meta is None:
                old = folder.with_name(folder.name + ".old")
                meta = _read_manifest(old, strict=True)
                if meta is None:  # crashed between the two renames in `save`, or nothing there
                    raise FileNotFoundError(f"no sparse index in {folder}")
                source = old
            if meta.get("format") != FORMAT_VERSION:
                raise ValueError(f"sparse index format {meta.get('format')!r}, not {FORMAT_VERSION}")
            if (meta.get("analyser"), meta.get("k1"), meta.get("b")) != (ANALYSER_VERSION, K1, B):
                raise ValueError("sparse index built with another analyser or scoring: rebuild it")
            known = {s.name: s for s in previous._segments} if previous is not None else {}
            try:
                segments = [known.get(e["name"]) or Segment.load(source / e["name"]) for e in meta["segments"]]
            except FileNotFoundError:
                if attempt == 2:
                    raise
                continue  # a commit retired a segment between our two reads: read the manifest again
            break
        index = cls()
        if previous is not None:
            index._vocabulary = previous._vocabulary
        for seg, entry in zip(segments, meta["segments"]):
            index._add_segment(seg)
            index._dead[seg.name] = set(entry["dead"])
            for doc, (start, end) in seg.docs.items():
                if start in index._dead[seg.name]:
                    del index._where[doc]
                else:
                    index._chunk_doc.update((c, doc) for c in seg.chunk_ids[start:end])
        index._retired = list(meta.get("retired", []))
        index.extra = meta.get("extra") or {}
        if source == folder:
            index._remember(folder, meta.get("generation"), None)
        if len(index._chunk_doc) != meta.get("chunks", len(index._chunk_doc)):
            raise ValueError("sparse index: manifest and segments differ in size")
        return index


def _live_mask(n_rows: int, dead: set[int] | None) -> np.ndarray | None:
    """True for the live rows of a segment, or None when none is dead."""
    if not dead:
        return None
    mask = np.ones(n_rows, dtype=bool)
    mask[np.fromiter(dead, dtype=np.int64)] = False
    return mask


def _groups(segments: list[Segment], size) -> list[list[Segment]]:
    """Consecutive runs of `segments` whose live rows add up to at most MAX_SEGMENT_ROWS."""
    groups: list[list[Segment]] = [[]]
    total = 0
    for seg in segments:
        if groups[-1] and total + size(seg) > MAX_SEGMENT_ROWS:
            groups.append([])
            total = 0
        groups[-1].append(seg)
        total += size(seg)
    return [g for g in groups if len(g) > 1]


def _read_manifest(folder: Path, strict: bool = False) -> dict | None:
    """The folder's index.json; None when absent (or, unless strict, unreadable)."""
    try:
        return json.loads((folder / "index.json").read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        if strict:
            raise ValueError(f"unreadable sparse index manifest in {folder}")
        return None


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{uuid.uuid4().hex[:6]}")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
        sync_file(f)
    os.replace(tmp, path)
