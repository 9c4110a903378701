"""Word overlap between a question and a text, weighted by how rare each word is.

A question's content words are stemmed (kb/dutch_text.py) and weighed by their idf over the
knowledge base. A text holds a word fully (same stem) or in part: Dutch glues words into compounds,
so "budget" is in "buurtbudget" and "wijkverpleegkundige" holds "verpleegkundige" (a stem of at
least COMPOUND_MIN letters at the start or the end of a longer word counts PART_CREDIT).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from kb.dutch_text import analyse

COMPOUND_MIN = 5  # shorter stems start or end too many words ("wijk", "zorg")
PART_CREDIT = 0.7


_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00ad": None})


def canonical_text(text: str) -> str:
    """A text as compared for sameness: lower case, one space, typographic quotes and dashes folded."""
    return " ".join(text.translate(_FOLD).lower().split())


@lru_cache(maxsize=65536)
def text_stems(text: str) -> frozenset[str]:
    return frozenset(analyse(text))


@lru_cache(maxsize=65536)
def _joined(stems: frozenset[str]) -> str:
    """The stems as one string, each between bars: a compound part is found by one substring
    search ("|budget" starts a longer word, "budget|" ends one) instead of a loop over the words."""
    return "|" + "|".join(stems) + "|"


@dataclass(frozen=True)
class QueryTerms:
    weights: dict[str, float]  # stem -> idf

    @classmethod
    def of(cls, text: str, idf: Callable[[Iterable[str]], dict[str, float]]) -> QueryTerms:
        stems = list(dict.fromkeys(analyse(text, query=True)))
        known = idf(stems)
        # a word no passage holds still counts (a little): it may be a typo the text does not share
        return cls({s: max(known.get(s, 0.0), 0.1) for s in stems})

    @property
    def total(self) -> float:
        return sum(self.weights.values()) or 1.0

    def credit(self, stems: frozenset[str]) -> dict[str, float]:
        """Per question stem, how much of it `stems` holds (1 whole, PART_CREDIT in a compound, 0)."""
        out = {}
        joined = None
        for term in self.weights:
            if term in stems:
                out[term] = 1.0
                continue
            if len(term) >= COMPOUND_MIN:
                joined = joined or _joined(stems)
                # `term` is not a whole stem here, so a bar-bounded hit is a longer word
                if "|" + term in joined or term + "|" in joined:
                    out[term] = PART_CREDIT
                    continue
            out[term] = 0.0
        return out

    def overlap(self, stems: frozenset[str]) -> float:
        """The idf-weighted share of the question's words the text holds (0..1)."""
        credit = self.credit(stems)
        return sum(self.weights[t] * c for t, c in credit.items()) / self.total

    def matched(self, stems: frozenset[str]) -> int:
        return sum(1 for c in self.credit(stems).values() if c > 0)
