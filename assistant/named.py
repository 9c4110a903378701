"""What a question names, and whether a passage is about it.

Names are the question's capitalised spans ("Wijkzorg Oost", "Tilburg"); a document may also be
named by its title in lower case ("de quick-scan", "de zorgzame buurten"). Used to keep quotes and
kind lifts with the passages about what the question names: the magazine's twelve cases share their
rubrics, so "Welke knelpunten noemt Wijkzorg Oost?" must not be answered by Alkmaar's obstacles.
"""

from __future__ import annotations

import re

from assistant.followup import name_parts, names
from kb.dutch_text import is_stop_word
from kb.query_cues import is_province

MIN_TITLE_WORD = 4  # "van de", "en de": a title bigram of short words names nothing
# A document named by its title ("de zorgzame buurten in Amsterdam") outweighs a place that three
# documents are about.
TITLE_WEIGHT = 2


def name_keys(text: str) -> list[str]:
    """The names in a question, lower-case and in a form the passages use: without quote marks,
    and a place's adjective as the place ("Utrechtse" → "utrecht", "Rotterdams" → "rotterdam")."""
    keys = []
    for name in names(text):
        for part in name_parts(name):
            if is_province(part):
                # a region, not a subject: "een Friese bewonersorganisatie" is in Leeuwarden, and
                # "frie" in "West-Friesland" kept the answer with Hoorn (the retriever's cue
                # words look for the province's towns)
                continue
            key = part.strip("'’‘\"").lower()
            key = re.sub(r"(?<=[a-z]{4})(se|s)$", "", key) if " " not in key else key
            key = plain(key)
            if len(key) >= 3:
                keys.append(key)
    return keys


def plain(text: str) -> str:
    """Words only, one space apart: the case "Armoedecoalitie, Utrecht" and a line break inside a
    name must not hide "armoedecoalitie utrecht"."""
    return " ".join(re.findall(r"\w+", text))


def searchable(hit) -> str:
    m = hit.metadata
    return plain(" ".join(str(x) for x in (m.get("title"), m.get("case"), m.get("section"), hit.text) if x).lower())


def _title_words(text: str) -> list[str]:
    # "Quick-scan" and "quickscan" are one word to a reader
    return plain(re.sub(r"(?<=\w)-(?=\w)", "", text.lower())).split()


def title_phrases(question: str) -> set[str]:
    """The question's word pairs that could be part of a title ("zorgzame buurten"), and its
    hyphenated or compound words ("quick-scan" as "quickscan")."""
    words = _title_words(question)
    pairs = {f"{a} {b}" for a, b in zip(words, words[1:])
             if len(a) >= MIN_TITLE_WORD and len(b) >= MIN_TITLE_WORD and not is_stop_word(a) and not is_stop_word(b)}
    hyphenated = set(_title_words(" ".join(re.findall(r"\w+-\w+", question.lower()))))
    return pairs | hyphenated | {w for w in words if w.endswith("scan")}


def about_score(hit, keys: list[str], phrases: set[str]) -> int:
    """How much of what the question names this passage is about: its names anywhere in the
    passage (title, case, section, text), its lower-case title phrases in the title (weightier)."""
    text = " " + searchable(hit)
    title = " " + " ".join(_title_words(str(hit.metadata.get("title") or ""))) + " "
    # at a word's start: "RMO" is not in "harmonie", "Buurtteam" is in "buurtteams"
    return sum(f" {k}" in text for k in keys) + TITLE_WEIGHT * sum(f" {p} " in title for p in phrases)
