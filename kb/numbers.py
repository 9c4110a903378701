"""Written numbers as digits, for the keyword side: people write "zestigplussers", "tien
afspraken", "vijfenzeventig"; reports mostly write "60-plussers", "10", "75". The tokenizer keeps
digits, so adding the digit form lets BM25 match. General Dutch, no list of any document's words."""

from __future__ import annotations

import re

from kb.dutch_text import NUMBER_TEENS, NUMBER_TENS, NUMBER_UNITS

# 1 ("een") is left out as a single word: it is also the article.
_NUMBER = re.compile(
    rf"\b(?:(?P<unit>{'|'.join(NUMBER_UNITS)}|een)[eë]n(?P<ten>{'|'.join(NUMBER_TENS)})"
    rf"|(?P<tens>{'|'.join(NUMBER_TENS)})|(?P<teen>{'|'.join(NUMBER_TEENS)})|(?P<single>{'|'.join(NUMBER_UNITS)}))"
    r"(?P<rest>\w*)",
    re.IGNORECASE,
)
# A number word may start a compound ("zestigplussers", "tienjarig"); anything else after it
# ("achterstand", "vierkant", "tiental") is not a number, so only these endings count.
_NUMBER_ENDINGS = re.compile(r"(?:-?(?:plussers?|jarigen|jarige|jarig|jaar|ers?|tal|minners?))?$", re.IGNORECASE)


def _number_value(m: re.Match) -> int:
    groups = {k: (v or "").lower() for k, v in m.groupdict().items()}
    if groups["ten"]:
        return NUMBER_TENS[groups["ten"]] + (1 if groups["unit"] == "een" else NUMBER_UNITS.get(groups["unit"], 0))
    if groups["tens"]:
        return NUMBER_TENS[groups["tens"]]
    if groups["teen"]:
        return NUMBER_TEENS[groups["teen"]]
    return NUMBER_UNITS[groups["single"]]


def written_numbers(query: str) -> list[str]:
    """Digit forms of the written numbers in `query`: "zestigplussers" → "60 plussers"."""
    found = []
    for m in _NUMBER.finditer(query):
        rest = m.group("rest")
        if not _NUMBER_ENDINGS.fullmatch(rest):
            continue
        found.append(f"{_number_value(m)} {rest.lstrip('-')}".strip())
    return found


def written_numbers_added(query: str) -> str:
    """The query plus the digit forms of its written numbers."""
    extra = written_numbers(query)
    return f"{query} {' '.join(extra)}" if extra else query
