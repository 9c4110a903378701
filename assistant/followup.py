"""Turns a follow-up question into a self-contained search query, without an LLM.

"En waar liep het daar vast?" means nothing to a search engine. We carry over what the
conversation was about: the names (capitalised spans such as "Proeftuin De Ruwaard in Oss",
"GWI-gebieden") and long topic words ("woonservicewijken") of the previous question, and the
first few names of the previous answer (so "die eerste monitor" can find "Stedelijke Monitor
Woonservicegebieden"). Whole earlier sentences are not carried over: on the dev set they pulled
the search towards what was already answered ("het doel" instead of "wat het opleverde").
An LLM condenser can replace this later behind the same function.
"""

from __future__ import annotations

import re

from assistant.lead_lines import quoted_sources, without_lead_lines
from assistant.records import Turn
from kb.dutch_text import is_stop_word

# Words that point back at something said before.
_REFERRING = re.compile(
    r"\b(daar|daarvan|daarbij|daarin|daarmee|die|dat|deze|dit|ze|zij|hun|hen|hij|hem|het project"
    r"|hier|hierbij|er|ook|zelfde|eerste|tweede|laatste|vorige)\b",
    re.IGNORECASE,
)
# Of those, the ones that point back even in a question that names its own subject; "er", "die",
# "dat", "ook" … are everyday words there ("Hoeveel mantelzorgers wonen er in Amsterdam-Oost?").
_POINTS_BACK = re.compile(
    r"\b(daar\w*|hier\w*|ze|zij|hun|hen|hij|hem|zelfde|vorige|(dat|die|de|het|deze|dit) laatste|laatstgenoemde)\b",
    re.IGNORECASE,
)
_DEMONSTRATIVE = re.compile(r"\b(dat|die|dit|deze)\b", re.IGNORECASE)  # "Hoe zit dat in Tilburg?"
_WORD = re.compile(r"[\w’'-]+")
_NAME_LINK = {"van", "de", "der", "den", "in", "aan", "op", "voor", "en"}
_BREAK = re.compile(r"[^\w\s’'-]")  # punctuation between two words ends a name
# A sentence starts after a full stop, a line break or a list item's marker (our answers are lists:
# "- Acht zorg- en welzijnsorganisaties …" names nothing), perhaps behind an opening quote.
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n)\s*(?:(?:[-–•·*]|\d{1,2}[.)])\s+)?[‘“'\"(]?$")
_LAST = re.compile(r"\b(dat|die|de|het|deze|dit) laatste\b|\blaatstgenoemde\b", re.IGNORECASE)
MIN_TOPIC_LETTERS = 8  # long Dutch compounds ("woonservicewijken") carry the topic
ANSWER_NAMES = 2


def needs_context(question: str) -> bool:
    short = len(question.split()) <= 6
    if question.lower().startswith(("en ", "maar ", "ook ")):
        return True
    if names(question):  # it names its own subject: only a clear pointer makes it a follow-up
        return bool(_POINTS_BACK.search(question) or (short and _DEMONSTRATIVE.search(question)))
    return short or bool(_REFERRING.search(question))


def names(text: str) -> list[str]:
    """Capitalised spans not at a sentence start ("Proeftuin De Ruwaard in Oss", "Breda")."""
    spans: list[str] = []
    current: list[str] = []
    end = 0
    for match in _WORD.finditer(text):
        word = match.group()
        if _BREAK.search(text[end : match.start()]):
            spans.append(" ".join(current))
            current = []
        end = match.end()
        at_start = bool(_SENTENCE_START.search(text[: match.start()]))
        capital = word[0].isupper() and not at_start
        if capital or (current and word in _NAME_LINK):
            current.append(word)
            continue
        spans.append(" ".join(current))
        current = []
    spans.append(" ".join(current))
    # A span may not end in a linking word ("Oss en" → "Oss"), nor in a closing quote ("Hoorn’").
    cleaned = [" ".join(_strip_links(s.split())).strip("’'") for s in spans]
    return [s for s in cleaned if s and not is_stop_word(s.lower())]


def name_parts(name: str) -> list[str]:
    """"Leviaan in Noord-Holland" → ["Leviaan", "Noord-Holland"]: the names a span links together
    ("Proeftuin De Ruwaard" stays whole: only lower-case linking words split)."""
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


def topic_words(text: str) -> list[str]:
    return [
        w
        for w in _WORD.findall(text)
        if len(w) >= MIN_TOPIC_LETTERS and not is_stop_word(w.lower())
    ]


# Personal pronouns point back less surely than "daar" or "dat laatste": with a new name in the
# question they are that subject's people ("Waar liepen ze in Tilburg tegenaan?").
_PERSONAL = {"ze", "zij", "hun", "hen", "hij", "hem"}
# "Wat is een wooncirkel?", "Wat zijn oliemannetjes?": a concept asked for by itself.
_CONCEPT = re.compile(r"^\W*wat (?:is een|zijn|betekent|betekenen) (?!de |het |die |dat |deze |dit )([\w’'-]+)\s*\??\s*$",
                      re.IGNORECASE)
# "Hoe regel je een waakvlamfunctie?": a thing named with "een" is a kind of thing, asked about in
# general; "de financiering" is the one of what was just said. Only long words (topic words).
_A_THING = re.compile(rf"\been ([\w’'-]{{{MIN_TOPIC_LETTERS},}})", re.IGNORECASE)


def _last_turn(history: list[Turn]) -> tuple[str, str]:
    """The last question and the last answer of the conversation ("" when there is none)."""
    last_user = next((t.content for t in reversed(history) if t.role == "user"), "")
    last_answer = next((t.content for t in reversed(history) if t.role == "assistant"), "")
    return last_user, last_answer


def _previous_turn(history: list[Turn]) -> str:
    """The turn before, lower-case, without our own lead lines (they name documents)."""
    last_user, last_answer = _last_turn(history)
    return f"{last_user} {without_lead_lines(last_answer)}".lower()


def new_names(question: str, history: list[Turn] | None) -> list[str]:
    """The names in the question that the turn before did not mention: a new subject
    ("Tilburg" after an answer about Wijkzorg Oost)."""
    return _names_not_in(question, _previous_turn(history)) if history else []


def _names_not_in(question: str, before: str) -> list[str]:
    return [n for n in names(question) if n.lower() not in before]


def starts_new_topic(question: str, history: list[Turn] | None) -> bool:
    """A question that looks like a follow-up but is a question of its own: it names a new
    subject and points back only with a personal pronoun ("Waar liepen ze in Tilburg tegenaan?"),
    or it asks what a concept is that the turn before did not mention ("Wat is een wooncirkel?"),
    or asks about "een <thing>" the turn before did not mention, pointing back at nothing ("Hoe
    regel je een waakvlamfunctie?")."""
    if not history or question.lower().startswith(("en ", "maar ", "ook ")):
        return False
    before = _previous_turn(history)
    concept = _CONCEPT.match(question)
    if concept and concept.group(1).lower()[:-1] not in before:
        return True
    # (not "Is dat ook een voorbeeld van …?": a pointer before the thing is the sentence's subject)
    new = [m for m in _A_THING.finditer(question) if m.group(1).lower()[:-1] not in before]
    if new and not _POINTS_BACK.search(question) and not _DEMONSTRATIVE.search(question[: new[0].start()]):
        return True
    if not _names_not_in(question, before):
        return False
    pointers = {m.group(0).lower() for m in _POINTS_BACK.finditer(question)}
    short = len(question.split()) <= 6
    return pointers <= _PERSONAL and not (short and _DEMONSTRATIVE.search(question))


def rewrite_query(question: str, history: list[Turn] | None) -> str:
    """The question plus the names and topic words of the turn before it."""
    if not history or not needs_context(question) or starts_new_topic(question, history):
        return question
    last_user, last_answer = _last_turn(history)
    # Our own lead lines ("Volgens <titel>:") name the document, not what was talked about.
    last_answer = without_lead_lines(last_answer)
    answer_names = names(last_answer)
    # "dat laatste gebied": the last thing the answer named, not its first two.
    picked = answer_names[-1:] if _LAST.search(question) else answer_names[:ANSWER_NAMES]
    carried = names(last_user) + topic_words(last_user) + picked
    seen = {w.lower() for w in _WORD.findall(question)}
    extra: list[str] = []
    for term in carried:
        words = {w.lower() for w in _WORD.findall(term)}
        if not words <= seen:
            extra.append(term)
            seen |= words
    return f"{question} {' '.join(extra)}".strip()


def previous_sources(question: str, history: list[Turn] | None) -> list[str]:
    """The sources our previous answer quoted ("Volgens <bron>:" lines), when the question is a
    follow-up: "Waar liep het vast?" after an answer about the woonservicewijken in Zuidoost asks
    about them, not about whatever else got stuck somewhere."""
    # A new name ("Hoe zit dat in Tilburg?") is about another source than the answer before.
    if not history or not needs_context(question) or new_names(question, history) \
            or starts_new_topic(question, history):
        return []
    return quoted_sources(_last_turn(history)[1])
