"""Where a sentence ends, for quoting passages and for the case cards alike.

Written by hand, not with llama-index's splitters: those cut text into chunk-sized pieces and
keep no exact sentence boundaries; here every sentence must be an exact stretch of its line.
"""

from __future__ import annotations

import re

from ingest.cleaning import ABBREVIATION_END

# A sentence ends at . ! ? (perhaps with a closing quote or bracket) and the next one starts
# with a capital, digit, quote or bracket.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”)]?\s+(?=[A-ZÀ-Ý0-9‘“'\"(])")


def _quote_after_quote(m: re.Match, line: str) -> bool:
    """"gekeken ‘wat is ons belang?’ ‘waarop …’": quoted questions in a row are one sentence."""
    return m.group().strip() in ("’", "”", "'", '"') and line[m.end()] in "‘“'\""


def sentences(line: str) -> list[str]:
    """The sentences of one line, each an exact substring of it."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(line):
        end = m.start() + len(m.group().rstrip())  # with the closing quote or bracket, if any
        # The full stop of an abbreviation or an initial ends no sentence (the ingest's rule for line
        # ends): "(Van der Veer, 2010, p. 12)", "ca. 60%", "i.c. de gemeente", "T. Nederland (2009)".
        if ABBREVIATION_END.search(line[start:end]) or _quote_after_quote(m, line):
            continue
        out.append(line[start:end].strip())
        start = m.end()
    out.append(line[start:].strip())
    return [s for s in out if s]
