"""Lessen en praktijkvoorbeelden: what was learned across all documents, and one card per case.

    lessons(components, kind=None, doc=None, place=None) -> list[Lesson]
    cases(components, doc=None, place=None) -> list[CaseCard]
    case(components, case_id) -> CaseCard | None

Built from the stored passages and their `kind` (ingest/kinds.py); nothing is parsed again
(ingest → kb ← assistant). Every card field is a stretch of a passage with a citation to it.
The CLI, the API and the app are thin wrappers around these three functions.

Which cards a document gets:
- a magazine with practice cases (passages carry a `case`): one card per case;
- a report with a chapter or section per place ("3 WWZ-ambitieniveau van Breda", "2.2
  Woonservicewijk Holendrecht"): one card per place, plus what the rest of the report says
  about that place (sentences that name it);
- otherwise one card for the whole document (an alliance, a project).
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from dataclasses import dataclass

from assistant import case_fields as cf
from assistant.case_cards import fill_card
from assistant.catalogue_records import (  # noqa: F401 (the catalogue's public records, imported from here)
    KIND_LABELS, LESSON_KINDS, CardItem, CaseCard, Citation, Group, Lesson, Passage,
)
from ingest.records import Document
from ingest.structure import SECTION_JOIN


# --- public functions ----------------------------------------------------------------------------


def cases(components, doc: str | list[str] | None = None, place: str | list[str] | None = None) -> list[CaseCard]:
    """The cards in document order; `doc` and `place` filter as in `lessons`."""
    docs, places = _as_list(doc), _as_list(place)
    return [card for card in _catalogue(components.store).cards
            if (not docs or any(_doc_matches(card.doc, card.doc_title, d) for d in docs))
            and (not places or any(_place_matches([p.text for p in card.places], w) for w in places))]


def case(components, case_id: str) -> CaseCard | None:
    return next((c for c in _catalogue(components.store).cards if c.id == case_id), None)


def lessons(components, kind: str | list[str] | None = None, doc: str | list[str] | None = None,
            place: str | list[str] | None = None) -> list[Lesson]:
    """Passages that report a lesson, recommendation, plus or minus point, obstacle or result,
    in document order; each filter takes one value or a list (any of them matches)."""
    kinds = _as_list(kind) or list(LESSON_KINDS)
    docs, places = _as_list(doc), _as_list(place)
    out = []
    for lesson in _catalogue(components.store).lessons:
        if lesson.kind not in kinds:
            continue
        if docs and not any(_doc_matches(lesson.doc, lesson.title, d) for d in docs):
            continue
        if places and not any(_place_matches(lesson.places, p) for p in places):
            continue
        out.append(lesson)
    return out


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [v for v in value if v]


def _doc_matches(doc_id: str, title: str, wanted: str) -> bool:
    w = wanted.casefold()
    return w in doc_id.casefold() or w in title.casefold()


def _place_matches(places: list[str], wanted: str) -> bool:
    w = wanted.casefold()
    return any(w in p.casefold() or any(a.casefold() == w for a in cf.place_aliases(p)) for p in places)


# --- the catalogue, built once per set of document versions ---------------------------------------


@dataclass
class _Catalogue:
    cards: list[CaseCard]
    lessons: list[Lesson]


_CACHE: dict[tuple, _Catalogue] = {}
# The app and the API call this from several threads: one builds, the others wait for it
# (and without the lock one thread's clear() could empty the cache under another's feet).
_CACHE_LOCK = threading.Lock()


def _catalogue(store) -> _Catalogue:
    key = (id(store), tuple(sorted(store.current_versions().items())))
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE.clear()
            _CACHE[key] = _build(store)
        return _CACHE[key]


def _build(store) -> _Catalogue:
    cards: list[CaseCard] = []
    lesson_rows: list[Lesson] = []
    used_ids: set[str] = set()
    for stored in store.documents():
        doc = stored.document
        passages = [_passage(doc, c) for c in store.current_chunks(doc.doc_id)]
        groups = _groups(doc, passages)
        card_of: dict[str, CaseCard] = {}
        for group in groups:
            card = fill_card(group, used_ids)
            cards.append(card)
            for p in group.own:
                card_of.setdefault(p.chunk_id, card)
        in_cases = any(p.case for p in passages)
        lesson_rows.extend(_lesson(p, card_of.get(p.chunk_id), in_cases) for p in passages if p.kind in LESSON_KINDS)
    return _Catalogue(cards, lesson_rows)


def _passage(doc: Document, chunk) -> Passage:
    m = chunk.metadata
    return Passage(chunk.chunk_id, doc, int(m.get("chunk_index", 0)), chunk.text, m.get("section"),
                    m.get("case"), m.get("kind"), m.get("page_start"), m.get("page_end"))


# --- grouping passages into cards ------------------------------------------------------------------

MAX_SUBJECT_WORDS = 5  # a heading this short that ends with a place is about that place
_NUMBERING = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?|[A-H]\.)\s+")


def _groups(doc: Document, passages: list[Passage]) -> list[Group]:
    by_case: dict[str, list[Passage]] = defaultdict(list)
    for p in passages:
        if p.case:
            by_case[p.case].append(p)
    if by_case:
        return [Group(name, "praktijkvoorbeeld", doc, own) for name, own in by_case.items()]
    areas = _area_groups(doc, passages)
    if len(areas) >= 2:
        return areas
    return [Group(_document_name(doc), "document", doc, passages)]


def _about_place(heading: str, aliases: set[str]) -> bool:
    """A short heading that is a place or ends with it is about that place ("2.2 Woonservicewijk
    Holendrecht", "3 Ambitieniveau van Breda"); a longer one only mentions it."""
    text = _NUMBERING.sub("", heading).strip().casefold()
    return len(text.split()) <= MAX_SUBJECT_WORDS and any(text == a or text.endswith(" " + a) for a in aliases)


def _area_groups(doc: Document, passages: list[Passage]) -> list[Group]:
    """One group per manifest place that is the subject of a heading."""
    groups = []
    for place in doc.places:
        aliases = cf.place_aliases(place)
        wanted = {a.casefold() for a in aliases}
        own, name = [], None
        for p in passages:
            path = [h.strip() for h in (p.section or "").split(SECTION_JOIN)]
            hit = next((h for h in path if _about_place(h, wanted)), None)
            if hit:
                own.append(p)
                name = name or _NUMBERING.sub("", hit).strip()
        if own:
            own_ids = {p.chunk_id for p in own}
            elsewhere = [p for p in passages if p.chunk_id not in own_ids and any(cf.mentions(p.text, a) for a in aliases)]
            groups.append(Group(name, "gebied", doc, own, place, aliases, elsewhere))
    return groups


def _document_name(doc: Document) -> str:
    name = re.split(r"\s+[-–]\s+|,|\.\s", doc.title)[0].strip()
    return name[:1] + name[1:].lower() if name.isupper() else name


# --- lessons table ---------------------------------------------------------------------------------


def _lesson(p: Passage, card: CaseCard | None, in_cases: bool) -> Lesson:
    summary = _summary(p)
    chapter = _NUMBERING.sub("", (p.section or "").split(SECTION_JOIN)[0]).strip()
    places = [it.text for it in card.places] if card else _passage_places(p, in_cases)
    return Lesson(
        kind=p.kind, kind_label=KIND_LABELS[p.kind], summary=summary, text=p.text,
        theme=p.case or (card.name if card and card.soort == "gebied" else None) or chapter or p.doc.title,
        doc=p.doc.doc_id, title=p.doc.title, case=p.case, case_id=card.id if card else None, section=p.section,
        page_start=p.page_start, page_end=p.page_end, places=places, chunk_id=p.chunk_id, citation=p.cite(summary),
    )


def _summary(p: Passage, limit: int = 240) -> str:
    """The passage's first point: its first list item or sentences, up to `limit` characters,
    headings and lead-in lines ("… zijn:") skipped; always an exact stretch of one line."""
    for ln in cf.lines(p.text):
        if ln in p.headings or cf.is_heading_line(ln) or ln.endswith(":"):
            continue
        body = cf.BULLET.sub("", ln)
        sents = cf.sentences(body)
        if len(body.split()) < 4 or not sents or (body == ln and sents[0][0].islower()):
            continue  # a stray word, or the tail of a sentence from the chunk before
        out = sents[0]
        for sent in sents[1:]:
            if len(out) + 1 + len(sent) > limit:
                break
            out = body[body.index(out) : body.index(sent, body.index(out) + len(out)) + len(sent)]
        return cf.shorten(out) if len(out) > limit else out
    return cf.shorten(cf.lines(p.text)[0]) if p.text.strip() else ""


def _passage_places(p: Passage, in_cases: bool) -> list[str]:
    """The document's places this passage is about: those named in its section or text; when it
    names none it is about the whole report, unless the report is a collection of cases (then
    an introduction or a loose example is about none of their places)."""
    named = [pl for pl in p.doc.places
             if any(cf.mentions(p.section or "", a) or cf.mentions(p.text, a) for a in cf.place_aliases(pl))]
    return named or ([] if in_cases else list(p.doc.places))
