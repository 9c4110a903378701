"""Filling a practice-case card from its group of stored passages: where it is, who took part, how it
worked, what it achieved, what stood in the way and what was learned, each item an exact stretch of a
passage with its citation. A field takes the passages of its kind (ingest/kinds.py) and those under a
heading that names the field ("Wat is bereikt?", "Knelpunten"): the card shows what the case itself
reports there, with the source to check it."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from assistant import case_fields as cf
from assistant.catalogue_records import CardItem, CaseCard, Group, Passage
from ingest.kinds import ACHIEVED, DIFFICULT, heading_kind
from ingest.records import Document
from ingest.structure import SECTION_JOIN

MAX_ITEMS = 6
_ACHIEVED = re.compile(ACHIEVED, re.IGNORECASE)
_DIFFICULT = re.compile(DIFFICULT, re.IGNORECASE)
RESULT_HEADINGS = ("resultaat",)  # headings whose passages fill a field, by the kind the heading names
OBSTACLE_HEADINGS = ("knelpunt", "minpunt")


def fill_card(group: Group, used_ids: set[str]) -> CaseCard:
    card_id = _unique_id(_slug(group.name), group.doc, used_ids)
    own = group.own
    by_kind: dict[str | None, list[Passage]] = defaultdict(list)
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
                                                                 else []), RESULT_HEADINGS), _ACHIEVED),
        obstacles=_points(_with_rubric(own, by_kind["knelpunt"] + by_kind["minpunt"], OBSTACLE_HEADINGS), _DIFFICULT),
        lessons=_points(by_kind["les"] + by_kind["aanbeveling"], None),
        links=_links(own),
        passages=[p.chunk_id for p in own],
    )
    if group.elsewhere:
        _add_mentions(card, group)
    return card


def _with_rubric(own: list[Passage], kinded: list[Passage], kinds: tuple[str, ...]) -> list[Passage]:
    """The passages of a field's kind and, in a practice case, those under its own rubric that names
    one of `kinds` ("Wat is bereikt?"): the case's rubric fills its field even where the passage's
    kind says otherwise. (A report's headings are no rubrics: "… monitort de voortgang" names no
    result.)"""
    chosen = {p.chunk_id for p in kinded} | {
        p.chunk_id for p in own
        if p.case and p.section and heading_kind(p.section.split(SECTION_JOIN)[-1]) in kinds}
    return [p for p in own if p.chunk_id in chosen]


def _item(p: Passage, span: cf.Span, label: str | None = None) -> CardItem:
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


def _tagline(group: Group) -> CardItem | None:
    first = group.own[0]
    lines = cf.lines(first.text)
    if lines and lines[0] not in first.headings and len(lines[0].split()) >= 3:
        return _item(first, cf.Span(cf.shorten(lines[0])))
    return None


def _places(group: Group) -> list[CardItem]:
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


def _partners(own: list[Passage]) -> list[CardItem]:
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


def _approach(passages: list[Passage]) -> list[CardItem]:
    items = []
    for p in passages:
        points = cf.headed_points(p.text, skip=p.headings)
        if points:
            items += [_item(p, span, label) for label, span in points]
        else:
            items += [_item(p, s) for s in cf.body_sentences(p.text, p.headings)[:1]]
    return _dedupe(items, MAX_ITEMS + 2)


def _points(passages: list[Passage], evidence: re.Pattern | None) -> list[CardItem]:
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


def _links(own: list[Passage]) -> list[CardItem]:
    return _dedupe([_item(p, s) for p in own for s in cf.links(p.text)], 12)


def _add_mentions(card: CaseCard, group: Group) -> None:
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
