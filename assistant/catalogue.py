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
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from assistant import case_fields as cf
from ingest.kinds import ACHIEVED, DIFFICULT
from ingest.records import Document
from ingest.structure import SECTION_JOIN

LESSON_KINDS = ("les", "aanbeveling", "pluspunt", "minpunt", "knelpunt", "resultaat")
KIND_LABELS = {  # for people
    "les": "Les", "aanbeveling": "Aanbeveling", "pluspunt": "Pluspunt", "minpunt": "Minpunt",
    "knelpunt": "Knelpunt", "resultaat": "Resultaat", "werkwijze": "Werkwijze", "achtergrond": "Achtergrond",
}
MAX_ITEMS = 6
_ACHIEVED = re.compile(ACHIEVED, re.IGNORECASE)
_DIFFICULT = re.compile(DIFFICULT, re.IGNORECASE)


class Citation(BaseModel):
    chunk_id: str
    doc: str
    title: str
    section: str | None = None
    case: str | None = None
    page_start: int | None = None
    page_end: int | None = None
    quote: str  # exactly as in the passage


class CardItem(BaseModel):
    text: str  # exactly as in the cited passage
    label: str | None = None  # the sub-heading above it, when there is one ("Externe begeleiding")
    citations: list[Citation]


class CaseCard(BaseModel):
    id: str
    name: str
    soort: Literal["praktijkvoorbeeld", "gebied", "document"]
    doc: str
    doc_title: str
    tagline: CardItem | None = None
    places: list[CardItem] = Field(default_factory=list)
    partners: list[CardItem] = Field(default_factory=list)
    approach: list[CardItem] = Field(default_factory=list)
    results: list[CardItem] = Field(default_factory=list)
    obstacles: list[CardItem] = Field(default_factory=list)
    lessons: list[CardItem] = Field(default_factory=list)
    links: list[CardItem] = Field(default_factory=list)
    passages: list[str] = Field(default_factory=list)  # chunk ids of the case's own passages


class Lesson(BaseModel):
    kind: str
    kind_label: str
    summary: str  # the first sentence(s) of the passage
    text: str  # the whole passage
    theme: str  # the practice case, else the chapter
    doc: str
    title: str
    case: str | None = None
    case_id: str | None = None  # the card this passage belongs to
    section: str | None = None
    page_start: int | None = None
    page_end: int | None = None
    places: list[str] = Field(default_factory=list)
    chunk_id: str
    citation: Citation


@dataclass
class _Passage:
    chunk_id: str
    doc: Document
    index: int
    text: str
    section: str | None
    case: str | None
    kind: str | None
    page_start: int | None
    page_end: int | None

    def cite(self, quote: str) -> Citation:
        return Citation(chunk_id=self.chunk_id, doc=self.doc.doc_id, title=self.doc.title, section=self.section,
                        case=self.case, page_start=self.page_start, page_end=self.page_end, quote=quote)

    @property
    def headings(self) -> set[str]:
        return {h.strip() for h in (self.section or "").split(SECTION_JOIN) if h.strip()}


@dataclass
class _Group:
    name: str
    soort: str
    doc: Document
    own: list[_Passage]
    place: str | None = None  # the manifest place an area card is about
    aliases: list[str] = field(default_factory=list)
    elsewhere: list[_Passage] = field(default_factory=list)  # passages outside that name the place


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
            card = _card(group, used_ids)
            cards.append(card)
            for p in group.own:
                card_of.setdefault(p.chunk_id, card)
        in_cases = any(p.case for p in passages)
        lesson_rows.extend(_lesson(p, card_of.get(p.chunk_id), in_cases) for p in passages if p.kind in LESSON_KINDS)
    return _Catalogue(cards, lesson_rows)


def _passage(doc: Document, chunk) -> _Passage:
    m = chunk.metadata
    return _Passage(chunk.chunk_id, doc, int(m.get("chunk_index", 0)), chunk.text, m.get("section"),
                    m.get("case"), m.get("kind"), m.get("page_start"), m.get("page_end"))


# --- grouping passages into cards ------------------------------------------------------------------

# Words around a place name in a heading that still make the place the heading's subject.
_SUBJECT_NOISE = re.compile(
    r"^(wsw-\w+ initiatieven|woonservicewijk(en)?|woonservicegebied(en)?|wwz-ambitieniveau van|gemeente|wijk"
    r"|buurt|regio|de)\s+", re.IGNORECASE)
_NUMBERING = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?|[A-H]\.)\s+")


def _groups(doc: Document, passages: list[_Passage]) -> list[_Group]:
    by_case: dict[str, list[_Passage]] = defaultdict(list)
    for p in passages:
        if p.case:
            by_case[p.case].append(p)
    if by_case:
        return [_Group(name, "praktijkvoorbeeld", doc, own) for name, own in by_case.items()]
    areas = _area_groups(doc, passages)
    if len(areas) >= 2:
        return areas
    return [_Group(_document_name(doc), "document", doc, passages)]


def _heading_subject(heading: str) -> str:
    subject = _NUMBERING.sub("", heading).strip()
    while True:
        stripped = _SUBJECT_NOISE.sub("", subject)
        if stripped == subject:
            return subject
        subject = stripped


def _area_groups(doc: Document, passages: list[_Passage]) -> list[_Group]:
    """One group per manifest place that is the subject of a heading."""
    groups = []
    for place in doc.places:
        aliases = cf.place_aliases(place)
        wanted = {a.casefold() for a in aliases}
        own, name = [], None
        for p in passages:
            path = [h.strip() for h in (p.section or "").split(SECTION_JOIN)]
            hit = next((h for h in path if _heading_subject(h).casefold() in wanted), None)
            if hit:
                own.append(p)
                name = name or _NUMBERING.sub("", hit).strip()
        if own:
            own_ids = {p.chunk_id for p in own}
            elsewhere = [p for p in passages if p.chunk_id not in own_ids and any(cf.mentions(p.text, a) for a in aliases)]
            groups.append(_Group(name, "gebied", doc, own, place, aliases, elsewhere))
    return groups


def _document_name(doc: Document) -> str:
    name = re.split(r"\s+[-–]\s+|,|\.\s", doc.title)[0].strip()
    return name[:1] + name[1:].lower() if name.isupper() else name


# --- filling a card --------------------------------------------------------------------------------


def _card(group: _Group, used_ids: set[str]) -> CaseCard:
    card_id = _unique_id(_slug(group.name), group.doc, used_ids)
    own = group.own
    by_kind: dict[str | None, list[_Passage]] = defaultdict(list)
    for p in own:
        by_kind[p.kind].append(p)
    card = CaseCard(
        id=card_id, name=group.name, soort=group.soort, doc=group.doc.doc_id, doc_title=group.doc.title,
        tagline=_tagline(group) if group.soort == "praktijkvoorbeeld" else None,
        places=_places(group),
        partners=_partners(own),
        # an area or a whole report without approach passages: what its describing passages say first
        approach=_approach(by_kind["werkwijze"] or (by_kind["achtergrond"] + by_kind[None]
                                                    if group.soort != "praktijkvoorbeeld" else [])),
        results=_points(_with_rubric(own, by_kind["resultaat"] + (by_kind["pluspunt"] if group.soort != "praktijkvoorbeeld"
                                                                 else []), _RESULTS_RUBRIC), _ACHIEVED),
        obstacles=_points(_with_rubric(own, by_kind["knelpunt"] + by_kind["minpunt"], _OBSTACLES_RUBRIC), _DIFFICULT),
        lessons=_points(by_kind["les"] + by_kind["aanbeveling"], None),
        links=_links(own),
        passages=[p.chunk_id for p in own],
    )
    if group.elsewhere:
        _add_mentions(card, group)
    return card


# A case's own rubric ("Wat is bereikt?") fills its field even where the passage kind says
# otherwise: the card shows what the case itself reports there, with the source to check it.
_RESULTS_RUBRIC = re.compile(r"wat is (er )?bereikt|resultaten", re.IGNORECASE)
_OBSTACLES_RUBRIC = re.compile(r"beren op de weg|waar werd het moeilijk|knelpunten", re.IGNORECASE)


def _with_rubric(own: list[_Passage], kinded: list[_Passage], rubric: re.Pattern) -> list[_Passage]:
    chosen = {p.chunk_id for p in kinded} | {p.chunk_id for p in own
                                             if p.section and rubric.search(p.section.split(SECTION_JOIN)[-1])}
    return [p for p in own if p.chunk_id in chosen]


def _item(p: _Passage, span: cf.Span, label: str | None = None) -> CardItem:
    return CardItem(text=span.text, label=label, citations=[p.cite(span.text)])


def _dedupe(items: list[CardItem], limit: int = MAX_ITEMS) -> list[CardItem]:
    seen, out = set(), []
    for item in items:
        key = " ".join(item.text.casefold().split())
        if key in seen or any(key in s or s in key for s in seen if min(len(key), len(s)) > 40):
            continue  # overlapping chunks repeat their boundary sentences
        seen.add(key)
        out.append(item)
    return out[:limit]


def _tagline(group: _Group) -> CardItem | None:
    first = group.own[0]
    lines = cf.lines(first.text)
    if lines and lines[0] not in first.headings and len(lines[0].split()) >= 3:
        return _item(first, cf.Span(cf.shorten(lines[0])))
    return None


def _places(group: _Group) -> list[CardItem]:
    places = list(group.doc.places)
    if group.place:  # the card's own place first
        places.remove(group.place)
        places.insert(0, group.place)
    in_name = [pl for pl in places if any(cf.mentions(group.name, a) for a in cf.place_aliases(pl))]
    ordered = in_name + [pl for pl in places if pl not in in_name]
    items = []
    for place in ordered:
        for p in group.own:
            span = next((s for a in cf.place_aliases(place) if (s := cf.sentence_with(p.text, a))), None)
            if span:
                items.append(CardItem(text=place, citations=[p.cite(span.text)]))
                break
    return items


def _partners(own: list[_Passage]) -> list[CardItem]:
    places = {a.casefold() for pl in (own[0].doc.places if own else []) for a in cf.place_aliases(pl)}
    named: dict[str, CardItem] = {}
    for p in own:
        for name, span in cf.partner_mentions(p.text):
            key = name.casefold()
            if key in places:  # "de Kplus bestaat uit de K-buurt, Nellestein en Driemond"
                continue
            if key not in named and not any(key in k or k in key for k in named):
                named[key] = CardItem(text=name, citations=[p.cite(span.text)])
    items = list(named.values())
    if len(items) < 2:  # no names: say at least which kinds of organisations work together
        for p in own:
            roles = cf.partner_roles(p.text)
            if roles:
                items += [CardItem(text=r, citations=[p.cite(s.text)]) for r, s in roles
                          if not any(k.startswith(r) for k in named)]  # not "gemeente" next to "gemeente Hoorn"
                break
    return items[:12]


def _approach(passages: list[_Passage]) -> list[CardItem]:
    items = []
    for p in passages:
        points = cf.headed_points(p.text, skip=p.headings)
        if points:
            items += [_item(p, span, label) for label, span in points]
        else:
            items += [_item(p, s) for s in cf.body_sentences(p.text, p.headings)[:1]]
    return _dedupe(items, MAX_ITEMS + 2)


def _points(passages: list[_Passage], evidence: re.Pattern | None) -> list[CardItem]:
    """List items when the passage has them; else its sentences with evidence; else its first."""
    items = []
    for p in passages:
        bullets = cf.list_items(p.text)
        if bullets:
            items += [_item(p, s) for s in bullets]
            continue
        sents = cf.body_sentences(p.text, p.headings)
        chosen = [s for s in sents if evidence is not None and evidence.search(s.text)] or sents[:1]
        items += [_item(p, s) for s in chosen[:3]]
    return _dedupe(items)


def _links(own: list[_Passage]) -> list[CardItem]:
    return _dedupe([_item(p, s) for p in own for s in cf.links(p.text)], 12)


def _add_mentions(card: CaseCard, group: _Group) -> None:
    """What the rest of the report says about the place: its sentences that name the place."""
    fields = {"resultaat": card.results, "pluspunt": card.results, "knelpunt": card.obstacles,
              "minpunt": card.obstacles, "les": card.lessons, "aanbeveling": card.lessons}
    for p in group.elsewhere:
        target = fields.get(p.kind)
        if target is None:
            continue
        for alias in group.aliases:
            span = cf.sentence_with(p.text, alias)
            if span and len(span.text.split()) >= 6:
                target.append(_item(p, span))
                break
    card.results[:] = _dedupe(card.results)
    card.obstacles[:] = _dedupe(card.obstacles)
    card.lessons[:] = _dedupe(card.lessons)


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "voorbeeld"


def _unique_id(slug: str, doc: Document, used: set[str]) -> str:
    candidate = slug if slug not in used else f"{slug}-{_slug(doc.doc_id.rsplit('.', 1)[0])}"
    n = 2
    while candidate in used:
        candidate, n = f"{slug}-{n}", n + 1
    used.add(candidate)
    return candidate


# --- lessons table ---------------------------------------------------------------------------------


def _lesson(p: _Passage, card: CaseCard | None, in_cases: bool) -> Lesson:
    summary = _summary(p)
    chapter = _NUMBERING.sub("", (p.section or "").split(SECTION_JOIN)[0]).strip()
    places = [it.text for it in card.places] if card else _passage_places(p, in_cases)
    return Lesson(
        kind=p.kind, kind_label=KIND_LABELS[p.kind], summary=summary, text=p.text,
        theme=p.case or (card.name if card and card.soort == "gebied" else None) or chapter or p.doc.title,
        doc=p.doc.doc_id, title=p.doc.title, case=p.case, case_id=card.id if card else None, section=p.section,
        page_start=p.page_start, page_end=p.page_end, places=places, chunk_id=p.chunk_id, citation=p.cite(summary),
    )


def _summary(p: _Passage, limit: int = 240) -> str:
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


def _passage_places(p: _Passage, in_cases: bool) -> list[str]:
    """The document's places this passage is about: those named in its section or text; when it
    names none it is about the whole report, unless the report is a collection of cases (then
    an introduction or a loose example is about none of their places)."""
    named = [pl for pl in p.doc.places
             if any(cf.mentions(p.section or "", a) or cf.mentions(p.text, a) for a in cf.place_aliases(pl))]
    return named or ([] if in_cases else list(p.doc.places))
