"""Which units an answer quotes: the best by the composer model's probability, as many as clear the
bar, none that says again what a chosen one says, and with what belongs to each (a list item's
further sentences, the sentence a "Dit …" points back to, the whole list an intro announces).

The length adapts: a unit is taken while its probability is at least `bar` and at least
`relative_bar` of the best one's; a question after a fact (a number, a date, an amount) gets at
most `fact_points` per fact asked, led by the best unit that gives each. A list is given whole
when its intro is chosen, when two of its items clear the bar, or when the question asks for a
list or a kind of passage (lessons, obstacles, …); else the one item. The bars are chosen by
cross-validation on the training questions (evals/training/fit.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from assistant.compose.abstention import (
    DEFINITE_TYPES, asked_office, coordinated_subjects, counts_asked_noun, names_office_holder,
)
from assistant.compose.candidates import Candidate, list_intro, list_items, same_line
from assistant.lexical import canonical_text, text_stems
from assistant.question import Question
from ingest.units import ITEM, SENTENCE
from kb.retriever import Hit
from ingest.structure import SECTION_JOIN
from kb.units import stored_units

# A unit says again what a chosen one says when this share of its content words stands in it (the
# chunker's overlap repeats sentences; a summary repeats its chapter). Not by vector: the units of
# one passage share its context (late chunking) and lie close together whatever they say.
REDUNDANT_WORDS = 0.8
MAX_LIST_ITEMS = 12
LONG_LIST = 4  # a list of more items is quoted by the first sentence of each
MAX_UNITS = 12  # units quoted in all (list items included): an answer, not a chapter
LEAD_TYPES = DEFINITE_TYPES | {"definition", "funding"}  # kinds of answer a unit can be seen to give
_POINTS_BACK = re.compile(r"^(?:dit|deze|dat|die|daar\w*|hier\w*|ze|zij|hij|het gaat|bovendien|tevens)\b", re.I)


@dataclass
class Pick:
    """One point of the answer: a unit with what belongs to it, from one passage, and the items
    of the list it announces (which may run on into the next passage)."""

    lead: Candidate
    score: float
    own: list[int] = field(default_factory=list)  # positions quoted as the point itself, in order
    items: list[tuple[Hit, list[int]]] = field(default_factory=list)  # list items: (passage, positions of one item)

    @property
    def hit(self) -> Hit:
        return self.lead.hit

    def positions(self) -> list[tuple[Hit, int]]:
        return [(self.hit, p) for p in self.own] + [(h, p) for h, ps in self.items for p in ps]


@dataclass(frozen=True)
class SelectionSettings:
    bar: float = 0.1
    relative_bar: float = 0.3
    max_points: int = 6
    fact_points: int = 2
    fact_bar: float = 0.05  # a unit giving the asked fact leads when it is at least this likely
    # a passage whose ranker score (logit) lies more than this below the best one's gives no point
    passage_gap: float = 99.0
    # points come from at most this many places (a document's section, or a practice case's),
    # one more when the question compares or spans documents
    max_sources: int = 9


def _redundant(text: str, taken: list[frozenset[str]]) -> bool:
    words = text_stems(text)
    return bool(words) and any(
        other and len(words & other) >= REDUNDANT_WORDS * min(len(words), len(other)) for other in taken)


def _antecedent(c: Candidate) -> list[int]:
    """The unit before, when this one opens by pointing back at it on the same line."""
    units = stored_units(c.hit.metadata)
    p = c.position
    if p == 0 or not _POINTS_BACK.match(c.text):
        return []
    before = units[p - 1]
    return [p - 1] if before.role == SENTENCE and before.para == units[p].para else []


def _items_by_line(hit: Hit, positions: list[int]) -> list[tuple[Hit, list[int]]]:
    units = stored_units(hit.metadata)
    lines: dict[int, list[int]] = {}
    for p in positions:
        lines.setdefault(units[p].para, []).append(p)
    return [(hit, ps) for ps in lines.values()]


def whole_list(hit: Hit, intro: int, next_passage: Callable[[Hit], Hit | None] | None) -> list[tuple[Hit, list[int]]]:
    """The items an intro announces, one entry per item, also where the list runs on into the
    next passage (the chunker cut it)."""
    positions = list_items(hit, intro)
    items = _items_by_line(hit, positions)
    units = stored_units(hit.metadata)
    ends_passage = (positions[-1] if positions else intro) == len(units) - 1
    if ends_passage and next_passage is not None:
        following = next_passage(hit)
        if following is not None:
            seen = {canonical_text(hit.text[units[p].start:units[p].end]) for p in [intro, *positions]}
            more = []
            for pos, unit in enumerate(stored_units(following.metadata)):
                if canonical_text(following.text[unit.start:unit.end]) in seen:
                    continue  # the chunker's overlap
                if unit.role != ITEM:
                    break
                more.append(pos)
            items += _items_by_line(following, more)
    items = items[:MAX_LIST_ITEMS]
    if len(items) > LONG_LIST:  # a long list of long items: each by its first sentence
        items = [(h, positions[:1]) for h, positions in items]
    return items


def select(question: Question, cands: list[Candidate], probs: np.ndarray, settings: SelectionSettings,
           next_passage: Callable[[Hit], Hit | None] | None = None) -> list[Pick]:
    """The points of the answer, best first (ordering for reading is the renderer's). A follow-up
    quotes what the answer before did not, unless that is all there is to quote."""
    said = canonical_text(question.previous_answer)
    return _select(question, cands, probs, settings, next_passage, said) or (
        _select(question, cands, probs, settings, next_passage, "") if said else [])


def _select(question: Question, cands: list[Candidate], probs: np.ndarray, settings: SelectionSettings,
            next_passage, said: str) -> list[Pick]:
    if not cands:
        return []
    top_passage = max(c.hit.score for c in cands)
    open_ = np.array([c.hit.score >= top_passage - settings.passage_gap for c in cands])
    order = [i for i in np.argsort(-probs, kind="stable") if open_[i]]
    bar = max(settings.bar, settings.relative_bar * float(probs[order[0]]))
    # a fact answer is short: a few points per fact asked and per subject named side by side
    facts = sum(t in DEFINITE_TYPES for t in question.answer_types) * max(1, len(coordinated_subjects(question)))
    limit = min(settings.max_points, settings.fact_points * max(facts, 1)) if question.fact else settings.max_points
    leads = [i for i in _fact_leads(question, cands, probs, settings) if open_[i]]
    for lead in reversed(leads):
        order.remove(lead)
        order.insert(0, lead)
    prob = {c.key: float(p) for c, p in zip(cands, probs)}
    wants_lists = "list" in question.answer_types or bool(question.kinds)
    picks: list[Pick] = []
    covered: set[tuple[str, int]] = set()
    taken: list[frozenset[str]] = []
    places: set[tuple] = set()
    max_places = settings.max_sources + (1 if question.compare else 0)
    for i in order:
        c, p = cands[i], float(probs[i])
        if len(picks) >= limit or (picks and p < bar and i not in leads):
            break
        # the best match and the asked facts may repeat the answer before; the rest is news
        repeat_ok = i in leads or i == order[0]
        if c.key in covered or _redundant(c.text, taken) or not _worth_quoting(c, "" if repeat_ok else said):
            continue
        place = _place(c.hit)
        if place not in places and len(places) >= max_places and i not in leads:
            continue
        pick = _expand(c, p, prob, bar, wants_lists, next_passage)
        if picks and sum(len(x.positions()) for x in picks) + len(pick.positions()) > MAX_UNITS:
            continue
        places.add(place)
        pick.own = [q for q in pick.own if (c.hit.chunk_id, q) not in covered or q == c.position]
        picks.append(pick)
        for h, q in pick.positions():
            covered.add((h.chunk_id, q))
        taken.append(text_stems(" ".join(_texts(pick))))
    return picks


def _place(hit: Hit) -> tuple:
    """Where in the documents a passage stands, for counting sources: its document, practice case
    and (top-level) section."""
    section = (hit.metadata.get("section") or "").split(SECTION_JOIN)[0]
    return hit.doc_id, hit.metadata.get("case") or "", section


def _worth_quoting(c: Candidate, said: str) -> bool:
    """Not a question (a report's rubric or rhetorical question answers nothing), and not what the
    answer before in this conversation already quoted (the user has read it)."""
    text = c.text.rstrip()
    if text.endswith("?"):
        return False
    return not (said and canonical_text(text) in said)


def _texts(pick: Pick) -> list[str]:
    return [h.text[u.start:u.end] for h, q in pick.positions() for u in [stored_units(h.metadata)[q]]]


def _fact_leads(question: Question, cands: list[Candidate], probs: np.ndarray, settings: SelectionSettings) -> list[int]:
    """Per definite kind of answer asked ("Sinds wanneer …, en hoeveel …?": a moment, a number;
    "Wat is een …?": what it is), the most likely unit that gives it, when it is likely enough:
    these lead the answer."""
    leads: list[int] = []
    for name, pattern in zip(question.answer_types, question.gives()):
        if name not in LEAD_TYPES:
            continue
        giving = [i for i, c in enumerate(cands) if pattern.search(c.text)]
        if name == "count":  # a count of the asked noun, when there is one ("hoeveel bewoners")
            counting = [i for i in giving if counts_asked_noun(question, [cands[i].text])]
            giving = counting or giving
        if giving:
            i = max(giving, key=lambda j: probs[j])
            if probs[i] >= settings.fact_bar and i not in leads:
                leads.append(i)
    holder = _office_holder_lead(question, cands, probs)
    if holder is not None and holder not in leads:
        leads.append(holder)
    return leads


def _office_holder_lead(question: Question, cands: list[Candidate], probs: np.ndarray) -> int | None:
    """"Wie is de bestuurder van …?": the most likely unit that names someone in that office leads,
    whatever its probability (the composer scores similarity, and a name in brackets scores low)."""
    if asked_office(question) is None:
        return None
    naming = [i for i, c in enumerate(cands) if names_office_holder(question, [c.text], [c.hit.text])]
    return max(naming, key=lambda j: probs[j]) if naming else None


def _expand(c: Candidate, p: float, prob: dict, bar: float, wants_lists: bool, next_passage) -> Pick:
    """A chosen unit with what belongs to it."""
    if c.is_intro:
        return Pick(c, p, own=[c.position], items=whole_list(c.hit, c.position, next_passage))
    if c.unit.role == ITEM:
        intro = list_intro(c.hit, c.position)
        if intro is not None:
            siblings = list_items(c.hit, intro)
            strong = sum(prob.get((c.hit.chunk_id, q), 0.0) >= bar for q in siblings)
            if wants_lists or strong >= 2 or prob.get((c.hit.chunk_id, intro), 0.0) >= bar:
                return Pick(c, p, own=[intro], items=whole_list(c.hit, intro, next_passage))
            if c.text[:1].islower():  # "een of twee coördinatoren …" reads as half a sentence without its intro
                return Pick(c, p, own=[intro], items=[(c.hit, _item_start(c))])
        return Pick(c, p, own=_item_start(c))
    return Pick(c, p, own=_antecedent(c) + [c.position])


def _item_start(c: Candidate) -> list[int]:
    """A list item with its further sentences: from the item's first unit on its line."""
    units = stored_units(c.hit.metadata)
    first = c.position
    while first > 0 and units[first - 1].para == units[c.position].para and units[first - 1].role == ITEM:
        first -= 1
    return same_line(c.hit, first)
