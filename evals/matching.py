"""When does a passage contain a piece of gold evidence? (the matching rule of evals/README.md)"""

from __future__ import annotations

import math
import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

MIN_RUN = 0.8  # a passage may hold 80% of a quote that was cut at a chunk border

_HYPHEN_BREAK = re.compile(r"(\w)-[ \t]*\n\s*(\w)")
_SPACE = re.compile(r"\s+")
# Typographic variants that cleaning, PDF extraction or a hand-typed quote may differ in.
_FOLD = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
    "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
})
# After folding, "samen-\nwerken", "samen- werken", "samen-werken" and "samenwerken" all read
# "samenwerken": one side may have been joined by the cleaner while the other was not.
_WORD_HYPHEN = re.compile(r"(\w)-\s*(?=\w)")


def normalise(text: str) -> str:
    """The README's rule, exactly: join line-break hyphenation, lowercase, collapse whitespace."""
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    return _SPACE.sub(" ", text.lower())


@lru_cache(maxsize=8192)  # the same passages and quotes are compared many times
def canonical(text: str) -> str:
    """`normalise` plus the soft folds used for comparing (quotes, dashes, hyphenation, NFKC)."""
    text = unicodedata.normalize("NFKC", normalise(text)).lower().translate(_FOLD)
    text = _WORD_HYPHEN.sub(r"\1", text)
    return _SPACE.sub(" ", text).strip()


def longest_run(passage: str, quote: str) -> int:
    """Length of the longest piece of `quote` found contiguously in `passage` (canonical forms)."""
    if not quote or not passage:
        return 0
    m = SequenceMatcher(None, quote, passage, autojunk=False)
    return m.find_longest_match(0, len(quote), 0, len(passage)).size


def contains(passage: str, quote: str, min_run: float = MIN_RUN) -> bool:
    """True when `passage` holds the quote, or at least `min_run` of it as one contiguous run."""
    q, p = canonical(quote), canonical(passage)
    if not q:
        return False
    if q in p:
        return True
    need = math.ceil(len(q) * min_run - 1e-9)  # in characters; the epsilon absorbs float noise
    # Any run of >= need characters covers the middle q[len-need:need]; if that middle is not in
    # the passage no long run exists, so the (slower) SequenceMatcher is rarely needed.
    core = q[len(q) - need : need]
    if core and core not in p:
        return False
    return longest_run(p, q) >= need
