"""The sparse (lexical) side of hybrid retrieval: a persisted Dutch BM25 index over chunks.

One bm25s index whose vocabulary holds two kinds of terms per content word (stop words dropped;
`kb.dutch_text`, not bm25s' English defaults):

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
  ("beschermt wonen" = "beschermd wonen"). `query_terms` shows what a query became.

Size. At this corpus size (1–3k chunks) any change rebuilds the BM25 matrix from the stored
token lists (chunks are never re-analysed; stems and grams per distinct word are cached):
2,000 chunks of 1,000 characters take ≈ 1 s and hold 1.6M non-zeros (≈ 18 MB on disk). For
~100k chunks a rebuild would cost about a minute and ~1 GB: keep term frequencies and document
lengths instead of precomputed scores, compute BM25 at query time from running document-frequency
counts, add documents as new segments, mark deletions as tombstones and merge segments in the
background, persist segments incrementally instead of rewriting the folder, and consider
dropping 3-grams (the largest and least selective part of the vocabulary).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import uuid
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import bm25s
import numpy as np
from pydantic import BaseModel, Field

from ingest.records import text_hash
from kb.dutch_text import STOP_WORDS, char_ngrams, content_tokens, normalise, sound_key, stem

FORMAT_VERSION = 1
# Bump when kb.dutch_text or `_word_terms` change what a word becomes: saved indexes are then
# re-analysed from their stored texts on load.
ANALYSER_VERSION = "nl-snowball-dutch-dt+grams34-1"

K1 = 1.2
B = 0.75
GRAM_SIZES = (3, 4)
GRAM_PREFIX = "~"  # keeps grams apart from stems in the shared vocabulary ("alf" vs "~alf")

# Query-side weights. A stem counts double against a single gram (a word has ~2×length grams,
# so grams still carry most of the score); not tuned, the dev set cannot tell 1 from 3.
W_STEM = 2.0
# Expanded stems, relative to a stem the user typed correctly. A compound found by joining two
# query words stands for both words, so it counts double.
W_COMPOUND_JOIN = 2.0
W_SAME_SOUND = 0.9
W_EDIT = {1: 0.7, 2: 0.5}
W_SPLIT = 0.5
MAX_EXPANSIONS = 3
MIN_FUZZY_LEN = 4  # shorter unknown stems are not guessed at (too many neighbours)

_STOP_KEYS = frozenset(sound_key(w) for w in STOP_WORDS if len(w) >= 3)


class SparseRecord(BaseModel):
    """One chunk as the sparse index sees it. `metadata` holds the scalar filter fields
    (doc_id, doc_type, case, year) and `places` (a list of strings)."""

    chunk_id: str
    doc_id: str
    text: str
    metadata: dict[str, Any] = Field(default_factory=dict)


@lru_cache(maxsize=200_000)
def _word_terms(token: str) -> tuple[str, ...]:
    """What one content word puts in the index: its stem and its character grams."""
    return (stem(token), *(GRAM_PREFIX + g for g in char_ngrams(token, GRAM_SIZES)))


def _doc_terms(tokens: Iterable[str]) -> list[str]:
    return [term for token in tokens for term in _word_terms(token)]


@dataclass(frozen=True)
class _Entry:
    chunk_id: str
    doc_id: str
    text: str
    metadata: dict[str, Any]
    tokens: tuple[str, ...]  # content words (normalised, stop words dropped), not yet stemmed
    text_hash: str


def _entry(record: SparseRecord, reuse: dict[str, tuple[str, ...]] | None = None) -> _Entry:
    h = text_hash(record.text)
    tokens = reuse.get(h) if reuse else None
    if tokens is None:
        tokens = tuple(content_tokens(record.text))
    metadata = dict(record.metadata)
    metadata.setdefault("doc_id", record.doc_id)
    return _Entry(record.chunk_id, record.doc_id, record.text, metadata, tokens, h)


def _fold(value: Any) -> str:
    return normalise(str(value)).strip()


def _osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (edits + adjacent swaps), stopping early past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _trigrams(key: str) -> list[str]:
    padded = f"^{key}$"
    return [padded[i : i + 3] for i in range(len(padded) - 2)]


class _Vocabulary:
    """The index's stems, looked up by sound key and by key trigrams (for edit distance)."""

    def __init__(self, vocab: dict[str, int], df: np.ndarray) -> None:
        self.vocab = vocab
        self.df = df
        by_key: dict[str, list[str]] = defaultdict(list)
        for term in vocab:
            if term and not term.startswith(GRAM_PREFIX):
                by_key[sound_key(term)].append(term)
        self.by_key = dict(by_key)
        self.keys = list(self.by_key)
        self.key_len = np.array([len(k) for k in self.keys], dtype=np.int32)
        postings: dict[str, list[int]] = defaultdict(list)
        for i, key in enumerate(self.keys):
            for gram in set(_trigrams(key)):
                postings[gram].append(i)
        self.postings = {g: np.array(ids, dtype=np.int32) for g, ids in postings.items()}
        self._cache: dict[str, list[tuple[str, float]]] = {}

    def is_stem(self, term: str) -> bool:
        return term in self.vocab and not term.startswith(GRAM_PREFIX)

    def _best(self, terms: Iterable[str], weight: float) -> list[tuple[str, float]]:
        ranked = sorted(set(terms), key=lambda t: (-self.df[self.vocab[t]], t))
        return [(t, weight) for t in ranked[:MAX_EXPANSIONS]]

    def near(self, key: str) -> list[tuple[str, int]]:
        """Known keys within edit distance 1 (2 for keys of 8+ letters), nearest first."""
        limit = 1 if len(key) < 8 else 2
        grams = [g for g in set(_trigrams(key)) if g in self.postings]
        if not grams:
            return []
        counts = np.bincount(
            np.concatenate([self.postings[g] for g in grams]), minlength=len(self.keys)
        )
        # q-gram lemma: one edit changes at most 3 of a key's trigrams.
        need = max(1, len(_trigrams(key)) - 3 * limit)
        ok = (counts >= need) & (np.abs(self.key_len - len(key)) <= limit)
        candidates = np.flatnonzero(ok)
        if len(candidates) > 300:  # keep the ones sharing most grams
            candidates = candidates[np.argsort(-counts[candidates], kind="stable")[:300]]
        found = []
        for i in candidates:
            d = _osa_distance(key, self.keys[i], limit)
            if d <= limit:
                found.append((self.keys[i], d))
        return sorted(found, key=lambda kd: (kd[1], kd[0]))

    def expand(self, term: str) -> list[tuple[str, float]]:
        """Known stems standing in for the unknown stem `term`, with weights; [] if none."""
        out = self._cache.get(term)
        if out is None:
            if len(self._cache) > 50_000:
                self._cache.clear()
            out = self._cache[term] = self._expand(term)  # a racing duplicate is harmless
        return out

    def _expand(self, term: str) -> list[tuple[str, float]]:
        if len(term) < MIN_FUZZY_LEN - 1:
            return []
        key = sound_key(term)
        if key in self.by_key:
            return self._best(self.by_key[key], W_SAME_SOUND)
        if len(term) >= MIN_FUZZY_LEN:
            near = self.near(key)
            if near:
                d = near[0][1]
                nearest = (t for k, dk in near if dk == d for t in self.by_key[k])
                return self._best(nearest, W_EDIT[d])
        return self._split(term)

    def _split(self, term: str) -> list[tuple[str, float]]:
        """A compound of two known stems (each ≥ 3 letters, optional linking -s-/-e-/-en-)."""
        best: tuple[int, str, str] | None = None
        for i in range(3, len(term) - 2):
            head = term[i:]
            if not self.is_stem(head):
                continue
            left = term[:i]
            for link in ("", "s", "e", "en"):
                if link and not left.endswith(link):
                    continue
                modifier = left[: len(left) - len(link)]
                if len(modifier) < 3:
                    continue
                modifier_term = modifier if self.is_stem(modifier) else stem(modifier)
                if self.is_stem(modifier_term):
                    score = min(len(modifier), len(head))
                    if best is None or score > best[0]:
                        best = (score, modifier_term, head)
        if best is None:
            return []
        return [(best[1], W_SPLIT), (best[2], W_SPLIT)]


@dataclass(frozen=True)
class _State:
    """An immutable snapshot that searches read; a change builds a new one."""

    entries: list[_Entry]
    bm25: bm25s.BM25 | None
    vocabulary: _Vocabulary | None  # stems by sound key, for fuzzy matching (~20 ms to build)
    facets: dict[str, dict[str, np.ndarray]]  # field → folded value → row numbers
    places: dict[str, np.ndarray]  # folded place → row numbers

    @property
    def vocab(self) -> dict[str, int]:
        return self.bm25.vocab_dict if self.bm25 is not None else {}


def _build_state(entries: list[_Entry], bm25: bm25s.BM25 | None = None) -> _State:
    if bm25 is None and any(e.tokens for e in entries):  # bm25s cannot index an empty vocabulary
        bm25 = bm25s.BM25(k1=K1, b=B, method="lucene")
        bm25.index([_doc_terms(e.tokens) for e in entries], show_progress=False)
    facet_rows: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    place_rows: dict[str, list[int]] = defaultdict(list)
    for row, e in enumerate(entries):
        for name, value in e.metadata.items():
            if name == "places":
                for place in value or []:
                    place_rows[_fold(place)].append(row)
            elif isinstance(value, (list, tuple, set)):
                for v in value:
                    facet_rows[name][_fold(v)].append(row)
            elif value is not None:
                facet_rows[name][_fold(value)].append(row)
    facets = {
        name: {v: np.array(rows, dtype=np.int64) for v, rows in values.items()}
        for name, values in facet_rows.items()
    }
    places = {p: np.array(rows, dtype=np.int64) for p, rows in place_rows.items()}
    vocabulary = None
    if bm25 is not None:
        vocabulary = _Vocabulary(bm25.vocab_dict, np.diff(bm25.scores["indptr"]))
    return _State(entries, bm25, vocabulary, facets, places)


class SparseIndex:
    """BM25 over chunk texts with Dutch analysis, metadata filters and fuzzy query matching.

    Thread-safe: searches read an immutable snapshot; changes are serialised and take effect
    for searches that start after them.
    """

    def __init__(self, entries: list[_Entry] | None = None, _bm25: bm25s.BM25 | None = None):
        self._lock = threading.RLock()
        self._entries: dict[str, _Entry] = {}
        for e in entries or []:
            if e.chunk_id in self._entries:
                raise ValueError(f"duplicate chunk id {e.chunk_id!r}")
            self._entries[e.chunk_id] = e
        self._state: _State | None = _build_state(list(self._entries.values()), _bm25)

    # ------------------------------------------------------------------ building and changing
    @classmethod
    def build(cls, records: Iterable[SparseRecord]) -> SparseIndex:
        return cls([_entry(r) for r in records])

    def replace_document(self, doc_id: str, records: Iterable[SparseRecord]) -> None:
        """Put `records` in place of all chunks of `doc_id` (an empty list removes the document).

        Chunks whose text is unchanged keep their analysed tokens; the BM25 matrix is rebuilt
        lazily, on the next search or save, so several replacements cost one rebuild.
        """
        records = list(records)
        for r in records:
            if r.doc_id != doc_id:
                raise ValueError(f"record {r.chunk_id!r} belongs to {r.doc_id!r}, not {doc_id!r}")
        if len({r.chunk_id for r in records}) != len(records):
            raise ValueError(f"duplicate chunk ids in the records for {doc_id!r}")
        with self._lock:
            old = {cid: e for cid, e in self._entries.items() if e.doc_id == doc_id}
            reuse = {e.text_hash: e.tokens for e in old.values()}
            new = [_entry(r, reuse) for r in records]
            clash = [e.chunk_id for e in new if e.chunk_id in self._entries.keys() - old.keys()]
            if clash:
                raise ValueError(f"chunk ids already used by another document: {clash[:3]}")
            if not old and not new:
                return
            for cid in old:
                del self._entries[cid]
            for e in new:
                self._entries[e.chunk_id] = e
            self._state = None

    def remove_document(self, doc_id: str) -> None:
        self.replace_document(doc_id, [])

    def _current(self) -> _State:
        state = self._state
        if state is not None:
            return state
        with self._lock:
            if self._state is None:
                self._state = _build_state(list(self._entries.values()))
            return self._state

    # ------------------------------------------------------------------ reading
    def __len__(self) -> int:
        return len(self._entries)

    def doc_ids(self) -> set[str]:
        with self._lock:
            return {e.doc_id for e in self._entries.values()}

    def chunk_ids(self, doc_id: str) -> set[str]:
        with self._lock:
            return {e.chunk_id for e in self._entries.values() if e.doc_id == doc_id}

    def records(self) -> list[SparseRecord]:
        with self._lock:
            entries = list(self._entries.values())
        return [
            SparseRecord(chunk_id=e.chunk_id, doc_id=e.doc_id, text=e.text, metadata=e.metadata)
            for e in entries
        ]

    def query_terms(self, query: str) -> dict[str, float]:
        """The stems a query is scored with and their weights, after fuzzy expansion (for
        explaining a result; the character grams of the query's words come on top)."""
        stems, _ = self._query_weights(self._current(), query)
        return {t: w / W_STEM for t, w in stems.items()}

    @staticmethod
    def _query_weights(state: _State, query: str) -> tuple[dict[str, float], dict[str, float]]:
        """(stem weights, gram weights) for `query`, only terms the index knows."""
        vocab = state.vocab
        if not vocab:
            return {}, {}
        tokens = content_tokens(query, query=True)
        stems: dict[str, float] = {}
        grams: dict[str, float] = {}

        def add(term: str, w: float) -> None:
            if w * W_STEM > stems.get(term, 0.0):
                stems[term] = w * W_STEM

        def is_stem(term: str) -> bool:
            return term in vocab and not term.startswith(GRAM_PREFIX)

        joined_pair: set[int] = set()  # token positions explained by a joined compound
        for i in range(len(tokens) - 1):
            joined = stem(tokens[i] + tokens[i + 1])
            if is_stem(joined):
                add(joined, W_COMPOUND_JOIN)
                joined_pair.update((i, i + 1))
            elif len(joined) >= 8:
                same = state.vocabulary.by_key.get(sound_key(joined))
                if same:
                    for term in same[:MAX_EXPANSIONS]:
                        add(term, W_COMPOUND_JOIN * W_SAME_SOUND)
                    joined_pair.update((i, i + 1))
        for i, token in enumerate(tokens):
            term, *token_grams = _word_terms(token)
            if is_stem(term):
                add(term, 1.0)
            elif i not in joined_pair:
                if sound_key(token) in _STOP_KEYS:
                    continue  # a misspelt stop word ("warren", "hte"): no stem, no grams
                for t, w in state.vocabulary.expand(term):
                    add(t, w)
            for g in token_grams:
                if g in vocab:
                    grams[g] = 1.0
        return stems, grams

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
        if state.bm25 is None:
            return []
        rows = self._filter_rows(state, filters)
        if rows is not None and len(rows) == 0:
            return []
        stems, grams = self._query_weights(state, query)
        if not stems and not grams:
            return []
        scores = np.zeros(len(state.entries), dtype=np.float32)
        data = state.bm25.scores["data"]
        indices = state.bm25.scores["indices"]
        indptr = state.bm25.scores["indptr"]
        vocab = state.vocab
        for weights in (stems, grams):
            for term, w in weights.items():
                col = vocab[term]
                start, end = indptr[col], indptr[col + 1]
                scores[indices[start:end]] += np.float32(w) * data[start:end]
        if rows is not None:
            candidates = rows[scores[rows] > 0]
        else:
            candidates = np.flatnonzero(scores > 0)
        if len(candidates) > k:
            candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
        # Best first; ties in index order, so results are deterministic.
        order = np.lexsort((candidates, -scores[candidates]))
        return [(state.entries[i].chunk_id, float(scores[i])) for i in candidates[order]]

    @staticmethod
    def _filter_rows(state: _State, filters: dict[str, Any] | None) -> np.ndarray | None:
        """Row numbers passing all filters (sorted), or None when nothing is filtered."""
        rows: np.ndarray | None = None
        for name, wanted in (filters or {}).items():
            if wanted is None:
                continue
            values = list(wanted) if isinstance(wanted, (list, tuple, set, frozenset)) else [wanted]
            folded = [_fold(v) for v in values]
            if name == "places":
                parts = [
                    prow for place, prow in state.places.items()
                    if any(v and v in place for v in folded)
                ]
            else:
                facet = state.facets.get(name, {})
                parts = [facet[v] for v in folded if v in facet]
            match = np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)
            rows = match if rows is None else np.intersect1d(rows, match, assume_unique=True)
            if len(rows) == 0:
                break
        return rows

    # ------------------------------------------------------------------ persistence
    def save(self, folder: Path) -> None:
        """Write the index to `folder`, replacing it whole.

        Everything is written to a temp folder beside it first, which then takes its place, so
        a crash never leaves a half-written index at `folder` (at worst the previous index is
        left at `<folder>.old`, which `load` falls back to).
        """
        folder = Path(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        state = self._current()
        tmp = folder.with_name(f".{folder.name}.tmp-{uuid.uuid4().hex[:8]}")
        old = folder.with_name(folder.name + ".old")
        try:
            tmp.mkdir()
            with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as f:
                for e in state.entries:
                    row = {
                        "chunk_id": e.chunk_id, "doc_id": e.doc_id, "text": e.text,
                        "metadata": e.metadata, "tokens": list(e.tokens), "hash": e.text_hash,
                    }
                    f.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
                f.flush()
                os.fsync(f.fileno())
            if state.bm25 is not None:
                state.bm25.save(str(tmp / "bm25"))
            meta = {
                "format": FORMAT_VERSION, "analyser": ANALYSER_VERSION, "k1": K1, "b": B,
                "chunks": len(state.entries), "bm25s": bm25s.__version__,
            }
            # index.json is written last: a folder without it is incomplete.
            (tmp / "index.json").write_text(json.dumps(meta, indent=1), "utf-8")
            if old.exists():
                shutil.rmtree(old)
            if folder.exists():
                folder.rename(old)
            tmp.rename(folder)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> SparseIndex:
        """Load an index written by `save`. FileNotFoundError if there is none, ValueError if
        it is in another format."""
        folder = Path(folder)
        if not (folder / "index.json").exists():
            old = folder.with_name(folder.name + ".old")
            if (old / "index.json").exists():  # crashed between the two renames in `save`
                folder = old
            else:
                raise FileNotFoundError(f"no sparse index in {folder}")
        meta = json.loads((folder / "index.json").read_text("utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"sparse index format {meta.get('format')!r}, not {FORMAT_VERSION}")
        entries = []
        with open(folder / "chunks.jsonl", encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                entries.append(_Entry(d["chunk_id"], d["doc_id"], d["text"], d["metadata"],
                                      tuple(d["tokens"]), d["hash"]))
        if (meta.get("analyser"), meta.get("k1"), meta.get("b")) != (ANALYSER_VERSION, K1, B):
            # Analysis or scoring changed since it was saved: redo both from the stored texts.
            return cls.build(
                SparseRecord(chunk_id=e.chunk_id, doc_id=e.doc_id, text=e.text, metadata=e.metadata)
                for e in entries
            )
        bm25 = None
        if (folder / "bm25").exists():
            bm25 = bm25s.BM25.load(str(folder / "bm25"), load_corpus=False, mmap=False)
            if bm25.scores["num_docs"] != len(entries):
                raise ValueError("sparse index: score matrix and chunk list differ in size")
        return cls(entries, _bm25=bm25)
