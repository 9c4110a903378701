"""The names a text mentions: capitalised spans not at a sentence start ("Proeftuin De Ruwaard in
Oss", "Breda", "GGZ"), and their parts. Names are what a question is about (a place, a project,
an organisation); the assistant keeps answers with the passages about them and refuses when the
documents do not discuss them.

Written by hand: no Dutch named-entity model is available offline (no spaCy model on PyPI), and
capitalisation is what Dutch uses to mark names.
"""

from __future__ import annotations

import re

from kb.dutch_text import is_stop_word

_WORD = re.compile(r"[\w’'-]+")
_NAME_LINK = {"van", "de", "der", "den", "in", "aan", "op", "voor", "en"}
_BREAK = re.compile(r"[^\w\s’'-]")  # punctuation between two words ends a name
# A sentence starts after a full stop, a line break or a list marker, perhaps behind a quote mark.
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n)\s*(?:(?:[-–•·*]|\d{1,2}[.)])\s+)?[‘“'\"(]?$")
# "Leidse", "Nijmeegse", "Hoornaars", "Asser": a place's adjective or its people.
PLACE_ENDINGS = ("enaren", "enaars", "enaar", "aren", "aars", "aar", "ers", "er", "se", "s")


def names(text: str) -> list[str]:
    """Capitalised spans not at a sentence start, in order."""
    spans: list[str] = []
    current: list[str] = []
    end = 0
    for match in _WORD.finditer(text):
        word = match.group()
        if _BREAK.search(text[end:match.start()]):
            spans.append(" ".join(current))
            current = []
        end = match.end()
        at_start = bool(_SENTENCE_START.search(text[:match.start()]))
        if (word[0].isupper() and not at_start) or (current and word in _NAME_LINK):
            current.append(word)
            continue
        spans.append(" ".join(current))
        current = []
    spans.append(" ".join(current))
    # a span may not end in a linking word ("Oss en" → "Oss"), nor in a closing quote ("Hoorn’")
    cleaned = [" ".join(_strip_links(s.split())).strip("’'") for s in spans]
    return list(dict.fromkeys(s for s in cleaned if s and not is_stop_word(s.lower())))


def name_parts(name: str) -> list[str]:
    """"Leviaan in Noord-Holland" → ["Leviaan", "Noord-Holland"] (only lower-case links split)."""
    parts: list[list[str]] = [[]]
    for word in name.split():
        if word in _NAME_LINK:
            parts.append([])
        else:
            parts[-1].append(word)
    return [" ".join(p) for p in parts if p]


def _strip_links(words: list[str]) -> list[str]:
    while words and words[-1] in _NAME_LINK:
        words = words[:-1]
    return words


def name_key(name: str) -> str:
    """A name as passages are searched for it: lower case, words only, quote marks dropped."""
    return " ".join(re.findall(r"\w+", name.lower()))


def key_forms(key: str) -> list[str]:
    """The key, and for one word also without a place adjective's ending ("utrechtse" → "utrecht")."""
    if " " in key:
        return [key]
    return [key] + [key[:-len(e)] for e in PLACE_ENDINGS if key.endswith(e) and len(key) - len(e) >= 4]
