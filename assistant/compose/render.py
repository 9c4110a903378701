"""The chosen points as an answer: grouped per source under "Volgens <bron>:" (the follow-up logic
reads those lead lines back), in reading order within a source, each point with its source numbers;
the items of a list as sub-points. A fact answer opens with the point that gives the fact."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from assistant.compose.citations import chunk_index, citation_from_hits, citation_places
from assistant.compose.selector import Pick
from assistant.lead_lines import lead_line
from assistant.records import Citation
from kb.dutch_text import is_stop_word
from kb.retriever import Hit
from ingest.units import QUOTABLE
from kb.units import stored_units


@dataclass
class Part:
    """A labelled part of an answer about several subjects ("Over Hoorn:"), or the one part."""

    label: str | None
    picks: list[Pick]


def source_key(hit: Hit) -> tuple[str, str]:
    """The part of an answer a quote belongs to: its document and, in a magazine, its case."""
    return hit.doc_id, hit.metadata.get("case") or ""


def unit_text(hit: Hit, position: int) -> str:
    unit = stored_units(hit.metadata)[position]
    return " ".join(hit.text[unit.start:unit.end].split())


def unit_texts(hit: Hit) -> list[str]:
    """The texts of all units of a passage (for checks on the cited passages)."""
    return [" ".join(hit.text[u.start:u.end].split()) for u in stored_units(hit.metadata)]


def quotable_texts(hit: Hit) -> list[str]:
    """The texts of the units of a passage that may be quoted (no headings, captions, links)."""
    return [" ".join(hit.text[u.start:u.end].split()) for u in stored_units(hit.metadata) if u.role in QUOTABLE]


def reading_order(picks: list[Pick], lead_first: bool) -> list[list[Pick]]:
    """Picks grouped per source, the sources by their best pick, each in reading order; with
    `lead_first` the first pick (the fact) opens its source, and its source the answer."""
    groups: dict[tuple[str, str], list[Pick]] = {}
    for pick in picks:
        groups.setdefault(source_key(pick.hit), []).append(pick)
    ordered = sorted(groups.values(), key=lambda g: -max(p.score for p in g))
    if lead_first and picks:
        lead_group = groups[source_key(picks[0].hit)]
        ordered.remove(lead_group)
        ordered.insert(0, lead_group)
    out = []
    for group in ordered:
        rest = sorted(group, key=lambda p: (chunk_index(p.hit), min(p.own or [p.lead.position])))
        if lead_first and picks and picks[0] in rest:
            rest.remove(picks[0])
            rest.insert(0, picks[0])
        out.append(rest)
    return out


CONTRAST_WORDS = 3  # distinctive words per subject in a comparison's closing line
CONTRAST_MIN_LETTERS = 6


def _part_words(part: Part) -> list[str]:
    text = " ".join(unit_text(h, p) for pick in part.picks for h, p in pick.positions())
    return [w for w in re.findall(r"[\w’'.-]+", text) if len(w) >= CONTRAST_MIN_LETTERS and not is_stop_word(w.lower())]


def contrast_line(parts: list[Part], asked: set[str]) -> str | None:
    """For a question that compares: per subject the words its quotes use and the others' do not,
    most frequent first ("Het verschil in het kort: bij Hoorn buurtbewoners, signalen …; bij Assen
    wijkteams, nazorg …"). Not a judgement, a pointer to where the parts differ."""
    words = {id(part): Counter(w.lower().strip(".’'‘-") for w in _part_words(part)) for part in parts}
    pieces = []
    for part in parts:
        others = set().union(*(words[id(o)] for o in parts if o is not part))
        counts = words[id(part)]
        own = sorted((w for w in counts if w not in others and w not in asked), key=lambda w: (-counts[w], -len(w)))
        if own:
            pieces.append(f"bij {part.label} {', '.join(own[:CONTRAST_WORDS])}")
    return f"Het verschil in het kort: {'; '.join(pieces)}." if len(pieces) >= 2 else None


def render(parts: list[Part], lead_first: bool, merge_adjacent: bool = True,
           contrast: set[str] | None = None) -> tuple[str, list[Citation]]:
    """The answer text and its citations. `contrast`: the question's own words, when it compares
    subjects and the answer has a part for each (a closing line says where they differ)."""
    hits = [h for part in parts for pick in part.picks for h, _ in pick.positions()]
    place = citation_places(hits) if merge_adjacent else {h.chunk_id: h.chunk_id for h in hits}
    numbers: dict[str, int] = {}
    members: dict[str, dict[str, Hit]] = {}
    quotes: dict[str, list[tuple[int, int, str]]] = {}

    def cite(hit: Hit, position: int, text: str) -> int:
        where = place[hit.chunk_id]
        n = numbers.setdefault(where, len(numbers) + 1)
        members.setdefault(where, {})[hit.chunk_id] = hit
        quotes.setdefault(where, []).append((chunk_index(hit), position, text))
        return n

    lines: list[str] = []
    for part in parts:
        if part.label:
            lines.append(f"**{part.label}**")
        for group in reading_order(part.picks, lead_first):
            lines.append(lead_line(group[0].hit))
            for pick in group:
                lines += _point_lines(pick, cite)
    if contrast is not None and len([p for p in parts if p.label]) >= 2:
        line = contrast_line([p for p in parts if p.label], contrast)
        if line:
            lines.append(line)
    citations = [citation_from_hits(list(members[w].values()), numbers[w],
                                    " … ".join(q for *_, q in sorted(quotes[w], key=lambda x: x[:2])))
                 for w in numbers]
    return "\n".join(lines), sorted(citations, key=lambda c: c.n)


def _point_lines(pick: Pick, cite) -> list[str]:
    texts = [unit_text(pick.hit, p) for p in pick.own]
    ns = sorted({cite(pick.hit, p, t) for p, t in zip(pick.own, texts)})
    lines = [f"- {' '.join(texts)} {_marks(ns)}"]
    for hit, positions in pick.items:
        text = " ".join(unit_text(hit, p) for p in positions)
        n = cite(hit, positions[0], text)
        lines.append(f"  - {text}" + (f" {_marks([n])}" if n not in ns else ""))
    return lines


def _marks(numbers: list[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)
