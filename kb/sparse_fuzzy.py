"""Fuzzy matching for the sparse index: query words it does not know, mapped onto stems it does.

`StemVocabulary` holds every stem the index has seen, by Dutch sound key and by key trigrams (for
edit distance). It only grows: a new segment adds its stems in one step, copy-on-write, so
searches running meanwhile keep a consistent snapshot. Stems whose passages were all deleted
stay in it; every lookup therefore takes `df` (live passages per stem, from the index) and skips
stems with none, so the result is what a vocabulary of the live passages alone would give.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

import numpy as np

from kb.dutch_text import sound_key, stem

# Expanded stems, relative to a stem the user typed correctly.
W_SAME_SOUND = 0.9
W_EDIT = {1: 0.7, 2: 0.5}
W_SPLIT = 0.5
MAX_EXPANSIONS = 3
MIN_FUZZY_LEN = 4  # shorter unknown stems are not guessed at (too many neighbours)

DocFreq = Callable[[str], int]


def osa_distance(a: str, b: str, limit: int) -> int:
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


def trigrams(key: str) -> list[str]:
    padded = f"^{key}$"
    return [padded[i : i + 3] for i in range(len(padded) - 2)]


class StemVocabulary:
    """Immutable; `extended` returns a new vocabulary sharing the unchanged parts."""

    def __init__(self) -> None:
        self.stems: frozenset[str] = frozenset()
        self.by_key: dict[str, tuple[str, ...]] = {}
        self.keys: list[str] = []
        self.key_len = np.zeros(0, dtype=np.int32)
        self.postings: dict[str, np.ndarray] = {}  # key trigram -> key numbers

    def extended(self, stems: Iterable[str]) -> StemVocabulary:
        new = [s for s in dict.fromkeys(stems) if s not in self.stems]
        if not new:
            return self
        out = StemVocabulary()
        out.stems = self.stems | frozenset(new)
        out.by_key = dict(self.by_key)
        out.keys = list(self.keys)  # a copy: this version's keys stay as they are
        added: dict[str, list[int]] = defaultdict(list)
        new_lens = []
        for term in new:
            key = sound_key(term)
            if key in out.by_key:
                out.by_key[key] = out.by_key[key] + (term,)
                continue
            out.by_key[key] = (term,)
            number = len(out.keys)
            out.keys.append(key)
            new_lens.append(len(key))
            for gram in set(trigrams(key)):
                added[gram].append(number)
        out.key_len = np.concatenate([self.key_len, np.array(new_lens, dtype=np.int32)])
        out.postings = dict(self.postings)
        for gram, numbers in added.items():
            extra = np.array(numbers, dtype=np.int32)
            old = out.postings.get(gram)
            out.postings[gram] = extra if old is None else np.concatenate([old, extra])
        return out

    def best(self, terms: Iterable[str], weight: float, df: DocFreq) -> list[tuple[str, float]]:
        """The most frequent live stems among `terms` (ties alphabetical), at `weight`."""
        counted = [(t, df(t)) for t in set(terms)]
        ranked = sorted(((t, n) for t, n in counted if n > 0), key=lambda tn: (-tn[1], tn[0]))
        return [(t, weight) for t, _ in ranked[:MAX_EXPANSIONS]]

    def near(self, key: str, df: DocFreq) -> list[tuple[str, int]]:
        """Known keys with a live stem within edit distance 1 (2 for keys of 8+ letters), nearest first."""
        limit = 1 if len(key) < 8 else 2
        grams = [g for g in set(trigrams(key)) if g in self.postings]
        if not grams:
            return []
        counts = np.bincount(np.concatenate([self.postings[g] for g in grams]), minlength=len(self.key_len))
        # q-gram lemma: one edit changes at most 3 of a key's trigrams.
        need = max(1, len(trigrams(key)) - 3 * limit)
        ok = (counts >= need) & (np.abs(self.key_len - len(key)) <= limit)
        candidates = np.flatnonzero(ok)
        if len(candidates) > 300:  # keep the ones sharing most grams
            candidates = candidates[np.argsort(-counts[candidates], kind="stable")[:300]]
        found = []
        for i in candidates:
            k = self.keys[i]
            d = osa_distance(key, k, limit)
            if d <= limit and any(df(t) > 0 for t in self.by_key[k]):
                found.append((k, d))
        return sorted(found, key=lambda kd: (kd[1], kd[0]))

    def expand(self, term: str, df: DocFreq) -> list[tuple[str, float]]:
        """Known stems standing in for the unknown stem `term`, with weights; [] if none."""
        if len(term) < MIN_FUZZY_LEN - 1:
            return []
        key = sound_key(term)
        same = self.best(self.by_key.get(key, ()), W_SAME_SOUND, df)
        if same:
            return same
        if len(term) >= MIN_FUZZY_LEN:
            near = self.near(key, df)
            if near:
                d = near[0][1]
                nearest = (t for k, dk in near if dk == d for t in self.by_key[k])
                return self.best(nearest, W_EDIT[d], df)
        return self.split(term, df)

    def split(self, term: str, df: DocFreq) -> list[tuple[str, float]]:
        """A compound of two known stems (each ≥ 3 letters, optional linking -s-/-e-/-en-)."""

        def is_stem(t: str) -> bool:
            return t in self.stems and df(t) > 0

        best: tuple[int, str, str] | None = None
        for i in range(3, len(term) - 2):
            head = term[i:]
            if not is_stem(head):
                continue
            left = term[:i]
            for link in ("", "s", "e", "en"):
                if link and not left.endswith(link):
                    continue
                modifier = left[: len(left) - len(link)]
                if len(modifier) < 3:
                    continue
                modifier_term = modifier if is_stem(modifier) else stem(modifier)
                if is_stem(modifier_term):
                    score = min(len(modifier), len(head))
                    if best is None or score > best[0]:
                        best = (score, modifier_term, head)
        if best is None:
            return []
        return [(best[1], W_SPLIT), (best[2], W_SPLIT)]
