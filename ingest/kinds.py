"""Passage kinds: what a passage *is* in a report, so readers can ask for "the lessons".

The eight kinds (Dutch, as the reports and their readers say it):

- ``les``          a lesson drawn from experience ("Zes lessen", "leerervaringen", werkzame principes)
- ``aanbeveling``  advice for what to do next ("Aanbevelingen", "Ons advies is …")
- ``pluspunt``     what worked or is valued ("Gerealiseerd / pluspunten", kansen, waardering)
- ``minpunt``      what fell short ("Niet gerealiseerd / minpunten", "te statisch", "onvoldoende")
- ``knelpunt``     an obstacle met on the way ("Beren op de weg", "Waar werd het moeilijk?")
- ``resultaat``    what was achieved ("Wat is bereikt?", percentages, "is geopend")
- ``werkwijze``    how the approach works (organisation, steps, financing, monitoring)
- ``achtergrond``  context and reasons (inleiding, aanleiding, urgentie van de opgave)

A passage gets no kind (None) when the text supports none. Link lists, sources, colophons and
lists of interviewees are more than kindless: they are no content (``Chunk.content`` False), so
the answerer never quotes them.

Three signals, all in one table (``RULES`` in ingest/kind_rules.py):

1. ``kop``   the headings above the passage (its section path). The deepest heading that a
             rule recognises speaks, with weight 3. Some headings frame a looking-back part
             ("Terugblik", "Conclusies"): under them a descriptive sub-heading ("3.2
             Samenwerking") says nothing, the text decides between plus- and minpunten.
             A heading rule may ask for evidence in the text (``requires``): under "Wat is
             bereikt?" a passage that names nothing achieved weighs 1.5, one word of evidence 2,
             so a passage that only describes the approach goes to ``werkwijze``.
2. ``regel`` heading-like lines inside the passage ("Eerste resultaten", "Aanbevelingen:"),
             checked against the same heading patterns, weight 2.
3. ``zin``   cue phrases anywhere in the text; each kind scores the number of different cues
             found (at most 3), so one stray word decides nothing.

List structure adds three signals: a passage that is mostly questions is a questionnaire (no
kind), list items that start with an order ("Zorg voor …", "Kijk …") count as advice, and a
passage that opens with a bullet and has no kind of its own is the rest of the list before it
(the chunker cut it in two): it takes that passage's kind (``explain_document``).

Two corrections: a list's intro ("Ik noem een paar resultaten, die … opleverden:") heads its list
like a heading (weight 3); a descriptive heading ("6. Deskundigheidsbevordering") over text full of
one evaluative kind's cues ("vergroot", "verbetert", "bereikt") names the subject, not the kind,
and weighs 2.

The kind with the highest score wins when it reaches ``MIN_SCORE``; on a tie the kind named by
a heading wins (not an evaluative heading the text hardly bears out: ``_tie_rank``), then a
list intro's kind, then ``TIE_ORDER``. ``evals/kind_accuracy.py`` measures all this
against hand labels (``tests/fixtures/kind_labels.jsonl``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ingest.kind_rules import (  # noqa: F401 (KINDS, KINDS_VERSION, ACHIEVED, DIFFICULT: read from here)
    ACHIEVED, DESCRIPTIVE, DIFFICULT, EVALUATIVE, GEEN, HEADING_WEIGHT, KINDS, KINDS_VERSION, LINE_WEIGHT,
    LIST_INTRO_MAX_WORDS, MAX_CUES, MIN_SCORE, OPEN, REDUCED_WEIGHT, RULES, THIN_WEIGHT, TIE_ORDER, Rule,
    IMPERATIVE_START,
)
from ingest.records import Chunk
from ingest.structure import SECTION_JOIN

_FLAGS = re.IGNORECASE
_COMPILED = [(r, re.compile(r.pattern, _FLAGS), re.compile(r.requires, _FLAGS) if r.requires else None) for r in RULES]
_HEADING_RULES = [c for c in _COMPILED if c[0].signal == "kop"]
_NUMBERING = re.compile(r"^\s*(?:bijlage\s+)?(?:\d{1,2}(?:\.\d{1,2})*\.?|[A-H]\.)\s+", re.IGNORECASE)
_BULLET_MARK = r"[•·▪■□◦●○❖➢►✓✔*-]|[–—](?=\s)"
_LIST_ITEM = re.compile(rf"^\s*(?:{_BULLET_MARK}|\(?\d{{1,2}}[.)](?=\s)|\(?[a-z][.)](?=\s))\s*")


@dataclass
class Verdict:
    """The kind of a passage and why: the score per kind and the rules that fired."""

    kind: str | None
    scores: dict[str, float] = field(default_factory=dict)
    heading_kind: str | None = None
    fired: list[str] = field(default_factory=list)
    content: bool = True  # False: a GEEN heading or colophon text (not a passage of mere questions)
    # Evaluative kinds that scored as high as `kind`: the passage is both ("Ik noem een paar
    # resultaten …: · … Er zijn knelpunten gevonden als …"). Shown as one kind, searched as each.
    also: tuple[str, ...] = ()


def _first_heading_rule(clean: str) -> tuple[Rule, re.Pattern | None] | None:
    """The first heading rule a heading (without its numbering) matches, with its evidence pattern."""
    for rule, pattern, requires in _HEADING_RULES:
        if rule.max_words and len(clean.split()) > rule.max_words:
            continue
        if pattern.search(clean):
            return rule, requires
    return None


def heading_kind(heading: str) -> str | None:
    """The kind a heading names by its words alone ("Wat is bereikt?" → resultaat, "Knelpunten" →
    knelpunt), without weighing the text below it: a practice case's own rubric (the catalogue's
    card fields)."""
    found = _first_heading_rule(_NUMBERING.sub("", heading).strip())
    return found[0].kind if found else None


def _heading_rule(heading: str, text: str) -> tuple[Rule | None, float, str]:
    """The first heading rule that matches, its weight for this text, and why (None, 0, '')."""
    clean = _NUMBERING.sub("", heading).strip()
    found = _first_heading_rule(clean)
    if found is None:
        return None, 0.0, ""
    rule, requires = found
    if requires is not None:
        evidence = {m.group(0).lower() for m in requires.finditer(text)}
        if len(evidence) < 2:  # one word is thin evidence, none is none
            weight = THIN_WEIGHT if evidence else REDUCED_WEIGHT
            return rule, weight, f"kop '{clean}' → {rule.kind} (weinig bewijs in de tekst: {len(evidence)})"
    return rule, HEADING_WEIGHT, f"kop '{clean}' → {rule.kind}"


def _section_kind(section: str | None, text: str) -> tuple[str | None, float, str]:
    """(kind, weight, why) the headings give: the deepest recognised heading speaks, except that
    a descriptive heading (werkwijze, achtergrond) below an evaluative or looking-back heading
    only counts when its rule says so (``nested``)."""
    if not section:
        return None, 0.0, ""
    headings = [h.strip() for h in section.split(SECTION_JOIN) if h.strip()]
    found = [_heading_rule(h, text) for h in headings]  # top first
    for depth in range(len(found) - 1, -1, -1):
        rule, weight, why = found[depth]
        if rule is None:
            continue
        descriptive = rule.kind in DESCRIPTIVE
        evaluative_above = any(r is not None and r.kind not in (*DESCRIPTIVE, GEEN)
                               for r, _, _ in found[:depth])
        if descriptive and evaluative_above and not rule.nested:
            continue
        if descriptive and depth < len(found) - 1:
            # "Inleiding › 1.1 Wijkzorg › Wijkzorg verdwijnt, netwerksamenwerking blijft": the
            # sub-headings say this part has its own subject; the chapter's word weighs less.
            return rule.kind, min(weight, LINE_WEIGHT), why + " (hoofdstuk boven een eigen subkop)"
        return rule.kind, weight, why
    return None, 0.0, ""


def _opening_line_says_geen(text: str) -> tuple[str, float, str] | None:
    lines = _heading_lines(text.strip().split("\n", 1)[0])
    if lines:
        rule, weight, why = _heading_rule(lines[0], "")
        if rule is not None and rule.kind == GEEN:
            return GEEN, weight, "eerste regel " + why
    return None


def _heading_lines(text: str) -> list[str]:
    """Short lines inside the passage that read as (sub-)headings."""
    lines = []
    for line in text.splitlines():
        line = line.strip()
        words = line.split()
        # A list's intro ("Op basis van de leerervaringen … is … te realiseren door:") may be longer.
        if not words or len(words) > (LIST_INTRO_MAX_WORDS if line.endswith(":") else 12) or _LIST_ITEM.match(line):
            continue
        if line.endswith((":", "?")) or not re.search(r"[.!;,]$", line):
            lines.append(line.rstrip(":"))
    return lines


def _list_intros(text: str) -> set[str]:
    """Lines ending in ':' that a list item follows (without the ':'): they name what the list is."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return {ln.rstrip(":") for ln, nxt in zip(lines, lines[1:]) if ln.endswith(":") and _LIST_ITEM.match(nxt)}


_ADDRESSEE = re.compile(r"^[^:]{2,60}:\s+")  # "Gemeente Haarlem: maak …": advice to someone named


def _list_items(text: str) -> list[str]:
    """The list items of a text, without their bullet; an item addressed to someone ("Huisartsen:
    verwijs …") without its addressee, so that what it asks is what counts."""
    items = [_LIST_ITEM.sub("", ln).strip() for ln in text.splitlines() if _LIST_ITEM.match(ln)]
    return [_ADDRESSEE.sub("", it) if IMPERATIVE_START.match(_ADDRESSEE.sub("", it)) else it for it in items]


def _is_questionnaire(text: str) -> bool:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    questions = sum(ln.endswith("?") for ln in lines)
    return len(lines) >= 5 and questions / len(lines) >= 0.5


@dataclass
class _Scores:
    """The score per kind of one passage and the rules that fired, as they add up."""

    scores: dict[str, float] = field(default_factory=dict)
    fired: list[str] = field(default_factory=list)

    def add(self, kind: str, weight: float, why: str) -> None:
        self.scores[kind] = self.scores.get(kind, 0.0) + weight
        self.fired.append(f"+{weight:g} {kind}: {why}")


def explain(text: str, section: str | None = None) -> Verdict:
    """Score every kind for one passage (see the module docstring) and say which rules fired."""
    path = {h.strip() for h in (section or "").split(SECTION_JOIN)}
    # The heading lines themselves ("Wat is bereikt?") are no evidence of what the text says.
    body = "\n".join(ln for ln in text.splitlines() if ln.strip() not in path)
    heading_kind, weight, why = _section_kind(section, body)
    if heading_kind != GEEN:
        # A "Meer weten?" the structure step took for a line of text still heads the passage.
        heading_kind, weight, why = _opening_line_says_geen(text) or (heading_kind, weight, why)
    if heading_kind == GEEN:
        return Verdict(None, {GEEN: weight}, GEEN, [why], content=False)
    evaluative = heading_kind not in (None, OPEN, *DESCRIPTIVE)
    if not evaluative and _is_questionnaire(text):  # questions under "Aanbevelingen" are advice
        # Kindless, but still content: the answerer skips questions anyway, and a questionnaire's
        # chunk may go on with text ("1. Hoe breng je wooncirkels in de praktijk? …").
        return Verdict(None, {GEEN: 99}, heading_kind, ["lijst: vooral vragen (vragenlijst)"])
    acc = _Scores()
    if heading_kind and heading_kind != OPEN:
        acc.add(heading_kind, weight, why)
    intro_kind = _score_heading_lines(body, acc)
    cues = _score_cues(body, acc)
    if acc.scores.get(GEEN, 0) >= MIN_SCORE:
        return Verdict(None, acc.scores, heading_kind, acc.fired, content=False)
    # an evaluative heading weighs less only when the text lacks its evidence (Rule.requires)
    thin_heading = evaluative and weight < HEADING_WEIGHT
    # a chapter's descriptive word above a sub-heading of its own ("1. Inleiding › 1.2 Wijkzorg Oost")
    chapter_only = heading_kind in DESCRIPTIVE and weight < HEADING_WEIGHT
    if heading_kind in DESCRIPTIVE and weight >= HEADING_WEIGHT and any(cues.get(k, 0) >= MAX_CUES for k in EVALUATIVE):
        # "6. Deskundigheidsbevordering: … is mede vergroot … verbetert … bereikt": a descriptive
        # heading over text that reports, judges or advises names the subject, not the kind
        acc.add(heading_kind, LINE_WEIGHT - weight, "kop beschrijft, de tekst oordeelt")
    scores = acc.scores
    ranked = sorted(
        (k for k in scores if k in KINDS),
        key=lambda k: (-scores[k], _tie_rank(k, heading_kind, thin_heading, chapter_only), k != intro_kind,
                       TIE_ORDER.index(k)),
    )
    best = ranked[0] if ranked and scores[ranked[0]] >= MIN_SCORE else None
    also = tuple(k for k in ranked[1:] if best and scores[k] == scores[best] and k in EVALUATIVE)
    return Verdict(best, scores, heading_kind, acc.fired, also=also)


def _score_heading_lines(body: str, acc: _Scores) -> str | None:
    """Heading-like lines inside the passage, each kind once; a list intro that names a kind heads
    its list like a heading. Returns that intro's kind."""
    seen_lines: set[str] = set()
    intros = _list_intros(body)
    intro_kind = None
    for line in _heading_lines(body):
        rule, line_weight, why = _heading_rule(line, body)
        if rule is None or rule.kind not in KINDS or rule.kind in seen_lines:
            continue
        seen_lines.add(rule.kind)
        if line in intros and line_weight >= HEADING_WEIGHT and intro_kind is None:
            # "Ik noem een paar resultaten, die de eerste onderzoeksfase opleverden:" heads its list
            intro_kind = rule.kind
            acc.add(rule.kind, HEADING_WEIGHT, f"lijstinleiding {why}")
            continue
        acc.add(rule.kind, min(line_weight, LINE_WEIGHT), f"regel {why}")
    return intro_kind


def _score_cues(body: str, acc: _Scores) -> dict[str, int]:
    """Cue phrases (the number of different ones per kind, at most MAX_CUES) and list items that
    open with an order. Returns the cue count per kind."""
    cues: dict[str, int] = {}
    for rule, pattern, _ in _COMPILED:
        if rule.signal == "zin":
            hits = {m.group(0).lower() for m in pattern.finditer(body)}
            if hits:
                cues[rule.kind] = cues.get(rule.kind, 0) + min(len(hits), MAX_CUES)
                acc.add(rule.kind, min(len(hits), MAX_CUES), "zin " + ", ".join(sorted(hits)[:MAX_CUES]))
        elif rule.signal == "lijst":
            matching = [it for it in _list_items(body) if pattern.match(it)]
            if len(matching) >= 2:
                acc.add(rule.kind, min(len(matching), MAX_CUES) - 1, f"{len(matching)} lijstpunten ({rule.why})")
    return cues


def _tie_rank(kind: str, heading_kind: str | None, thin_heading: bool, chapter_only: bool = False) -> int:
    """On equal scores the kind a heading names wins, unless the text hardly bears that heading
    out: under "Wat is bereikt?" a passage that describes the organisation ("Tom in de buurt is
    een samenwerkingsverband …") and names one thing achieved is a description. A chapter's
    descriptive word ("Inleiding") over a sub-heading of its own loses a tie to what the text
    judges ("… geen eenduidigheid … Slechts 46% van de bewoners …": a minpunt), not to another
    description."""
    if kind == heading_kind:
        return 2 if thin_heading or chapter_only else 0
    return 3 if chapter_only and kind not in EVALUATIVE else 1


def classify(text: str, section: str | None = None) -> str | None:
    """The kind of one passage (one of KINDS) or None when the text supports none."""
    return explain(text, section).kind


def assign_kinds(chunks: Iterable[Chunk]) -> list[Chunk]:
    """The chunks of one document with their `kind` and `content` filled in (new objects; the
    input is left alone). A heading above every chunk is the document's title, not a section:
    it is left out."""
    chunks = list(chunks)
    verdicts = explain_document(chunks)
    return [c.model_copy(update={"kind": v.kind, "also_kinds": list(v.also), "content": v.content})
            for c, v in zip(chunks, verdicts)]


_BULLET = re.compile(rf"^\s*(?:{_BULLET_MARK})")


def _continues_list(text: str, verdict: Verdict) -> bool:
    """A passage that opens with a bullet and names no kind of its own is the rest of a list the
    chunker cut in two ("Samengevat luiden de lessen: • … | • …"): it is what the list's first
    part is. Numbers don't count: in these PDFs "2. Spaarndammerbuurt, …" is as often a footnote."""
    return verdict.kind is None and verdict.content and bool(_BULLET.match(text))


def explain_document(chunks: list[Chunk]) -> list[Verdict]:
    """The verdict on every chunk of one document, in order: each judged by its own text and
    section path (``judged_sections``), and a list the chunker cut in two judged as one."""
    sections = judged_sections(chunks)
    verdicts = [explain(c.text, section) for c, section in zip(chunks, sections)]
    for i in range(1, len(chunks)):
        before = verdicts[i - 1]
        if before.kind and sections[i] == sections[i - 1] and _continues_list(chunks[i].text, verdicts[i]):
            verdicts[i] = Verdict(before.kind, verdicts[i].scores, verdicts[i].heading_kind,
                                  [*verdicts[i].fired, f"vervolg van de lijst in de vorige passage → {before.kind}"],
                                  also=before.also)
    return verdicts


def judged_sections(chunks: list[Chunk]) -> list[str | None]:
    """The section path each chunk of one document is judged by (see ``assign_kinds``)."""
    title = _common_title(chunks)
    sections = []
    for c in chunks:
        section = c.section
        if title and section:
            section = section[len(title):].lstrip(SECTION_JOIN.strip() + " ") or None
        sections.append(_after_box(section, c.text))
    return sections


_BOX = re.compile(r"^praktijkvoorbeeld\b", re.IGNORECASE)


def _after_box(section: str | None, text: str) -> str | None:
    """A "Praktijkvoorbeeld" box is a short insert in the reports' chapters, but the structure
    step has no end marker for it, so the chapter text after the box lands under its heading.
    A passage that does not open with the box is that text: judge it by the headings above."""
    if not section:
        return section
    headings = section.split(SECTION_JOIN)
    last = headings[-1].strip()
    if len(headings) > 1 and _BOX.match(last) and not text.lstrip().startswith(last):
        return SECTION_JOIN.join(headings[:-1])
    return section


def _common_title(chunks: list[Chunk]) -> str | None:
    tops = {(c.section or "").split(SECTION_JOIN)[0] for c in chunks}
    if len(chunks) >= 3 and len(tops) == 1:
        top = tops.pop()
        return top or None
    return None
