"""The cases of a magazine-like document (its practice examples), found by their recurring rubric
cycle: when several recurring headings come back in the same order through the document, each return
of the first one opens a new case. The case runs to the end of its closing rubric's list (its links).
A case is named after the running-header label inside it, else after a page tab inside it, else
after its title line; with a manifest, each case gets the manifest name whose distinctive words fit
it best. Called by ingest/structure.py's `analyse` once the blocks are built."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from ingest.lines import TERMINAL
from ingest.blocks import Block, heading_key


@dataclass
class _Cycle:
    """A magazine's rubric cycle: where each case's first rubric stands (`starts`, with the
    document's end as the last bound), the recurring rubrics within each case, and the rubric
    that usually closes a case (its links)."""

    starts: list[int]
    bounds: list[int]
    segments: list[list[tuple[int, str]]]
    end_key: str | None


def detect_cases(blocks: list[Block], case_names: list[str] | None = None) -> list[str]:
    """Find the cases of a magazine-like document and set `Block.case`. Returns the case
    names in document order (empty when the document has no recurring rubric cycle)."""
    cycle = _rubric_cycle(blocks)
    if cycle is None:
        return []
    regions = _case_regions(blocks, cycle)
    detected = [_case_name(blocks, b, e) for b, e in regions]
    names = _match_manifest(blocks, regions, detected, case_names) if case_names else detected
    for (b, e), name in zip(regions, names):
        for i in range(b, e):
            blocks[i].case = name
    return names


def _rubric_cycle(blocks: list[Block]) -> _Cycle | None:
    """Recurring headings that come back in the same order through the document, each return of
    the first one opening a case; None when there is no such cycle."""
    heads = [(i, heading_key(b.text)) for i, b in enumerate(blocks) if b.kind == "heading" and b.recurring]
    counts = Counter(k for _, k in heads)
    seq = [(i, k) for i, k in heads if counts[k] >= 3]
    if not seq:
        return None
    start_key = seq[0][1]
    starts = [i for i, k in seq if k == start_key]
    if len(starts) < 3:
        return None
    bounds = starts + [len(blocks)]
    segments = [[(i, k) for i, k in seq if bounds[n] < i < bounds[n + 1]] for n in range(len(starts))]
    presence = Counter(k for seg in segments for k in {k for _, k in seg})
    rubrics = {k for k, n in presence.items() if n >= 0.5 * len(segments)}
    if len(rubrics) < 3:
        return None
    clean = sum(1 for seg in segments if _once_each(seg, rubrics))
    if clean < 0.75 * len(segments) or not _spread_over_cases(blocks, starts, bounds, segments):
        return None
    return _Cycle(starts, bounds, segments, _closing_rubric(segments))


def _once_each(segment: list[tuple[int, str]], rubrics: set[str]) -> bool:
    """In a case every rubric comes once; summary tables and appendices repeat them freely."""
    keys = [k for _, k in segment if k in rubrics]
    return len(keys) == len(set(keys)) and len(set(keys)) >= 0.5 * len(rubrics)


def _spread_over_cases(blocks: list[Block], starts: list[int], bounds: list[int],
                       segments: list[list[tuple[int, str]]]) -> bool:
    """The rubrics must spread over the whole case; a table that repeats the same three
    questions at the end of each chapter is no case cycle."""
    offsets = _word_offsets(blocks)
    spreads = []
    for n, seg in enumerate(segments[:-1]):
        if seg:
            span = offsets[bounds[n + 1]] - offsets[starts[n]]
            spreads.append((offsets[seg[-1][0]] - offsets[starts[n]]) / max(span, 1))
    return bool(spreads) and sum(spreads) / len(spreads) >= 0.5


def _closing_rubric(segments: list[list[tuple[int, str]]]) -> str | None:
    """The rubric that closes most cases (their "Meer weten?"), if one does."""
    last_keys = Counter(seg[-1][1] for seg in segments if seg)
    end_key, n_end = last_keys.most_common(1)[0]
    return end_key if n_end >= 0.5 * len(segments) else None


def _case_regions(blocks: list[Block], cycle: _Cycle) -> list[tuple[int, int]]:
    """(begin, end) of each case: from its title above the first rubric to the end of its closing
    rubric's list (or to the next case's beginning); no region overlaps the next."""
    regions: list[tuple[int, int]] = []
    prev_end = None
    for n, s in enumerate(cycle.starts):
        seg = cycle.segments[n]
        begin = _case_begin(blocks, s, prev_end)
        stop = cycle.bounds[n + 1]
        ends = [i for i, k in seg if k == cycle.end_key] if cycle.end_key else []
        if ends:
            stop = _after_tail(blocks, ends[-1], stop)
        elif n + 1 < len(cycle.starts):
            stop = _case_begin(blocks, cycle.starts[n + 1], None)
        regions.append((begin, stop))
        prev_end = stop
    return [(b, min(e, regions[n + 1][0]) if n + 1 < len(regions) else e) for n, (b, e) in enumerate(regions)]


def _word_offsets(blocks: list[Block]) -> list[int]:
    out, total = [], 0
    for b in blocks:
        out.append(total)
        total += b.words if b.kind != "label" else 0
    out.append(total)
    return out


def _case_begin(blocks: list[Block], start: int, prev_end: int | None) -> int:
    """Where the case whose first rubric is at `start` begins: right after the previous
    case, or at the running-header label that changes just before it, or at the title and
    lead lines right above the rubric."""
    if prev_end is not None and prev_end <= start:
        return prev_end
    floor = prev_end or 0
    # a change of running-header label between the last content and the rubric
    labels = [i for i in range(floor, start) if blocks[i].kind == "label" and blocks[i].source == "header"]
    if labels:
        i = labels[-1]
        before = [blocks[k].text for k in range(floor, i) if blocks[k].kind == "label" and blocks[k].source == "header"]
        first = i
        while first - 1 >= floor and blocks[first - 1].kind == "label" and blocks[first - 1].text == blocks[i].text:
            first -= 1
        if not before or before[-1] != blocks[i].text:
            return first
    begin = start
    k = start - 1
    taken = 0
    while k >= floor and taken < 2 and blocks[k].kind in ("para", "heading", "label") and (
        blocks[k].kind == "label" or blocks[k].words <= 40
    ):
        if blocks[k].kind != "label":
            taken += 1
        begin = k
        k -= 1
    return begin


def _after_tail(blocks: list[Block], end_heading: int, limit: int) -> int:
    """The closing rubric ("Meer weten?") is followed by its list of links; the case ends
    after that list."""
    i = end_heading + 1
    case_labels = {blocks[k].text for k in range(max(0, end_heading - 400), end_heading) if blocks[k].kind == "label"}
    while i < limit and (
        blocks[i].kind in ("list", "footnote")
        or (blocks[i].kind == "label" and (blocks[i].text in case_labels or blocks[i].source == "tab"))
        or (blocks[i].kind == "para" and blocks[i].words <= 3 and not TERMINAL.search(blocks[i].text) and i == end_heading + 1)
    ):
        i += 1
    return i


def _case_name(blocks: list[Block], begin: int, end: int) -> str:
    headers = Counter(blocks[i].text for i in range(begin, end) if blocks[i].kind == "label" and blocks[i].source == "header")
    if headers:
        return headers.most_common(1)[0][0]
    tabs = Counter(blocks[i].text for i in range(begin, end) if blocks[i].kind == "label")
    if tabs:
        return tabs.most_common(1)[0][0]
    for i in range(begin, end):
        b = blocks[i]
        if b.kind in ("para", "heading") and b.words <= 15:
            return b.text.rstrip(" .:")
        if b.kind == "heading" and b.recurring:
            break
    return f"Praktijkvoorbeeld {begin}"


_STOP = {"de", "het", "een", "en", "van", "voor", "in", "op", "aan", "met", "te", "onze", "ook", "eo", "e", "o"}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]+", text.lower()) if len(w) >= 3 and w not in _STOP}


def _match_manifest(
    blocks: list[Block], regions: list[tuple[int, int]], detected: list[str], names: list[str]
) -> list[str]:
    """Give each detected case the manifest case name whose distinctive words fit best:
    words in the detected name or title count three times, words in the case text once;
    words shared by several manifest names or found in many cases count less."""
    texts = [_words(" ".join(blocks[i].text for i in range(b, e))) for b, e in regions]
    titles = [
        _words(detected[n] + " " + " ".join(blocks[i].text for i in range(b, min(e, b + 3)) if blocks[i].kind != "list"))
        for n, (b, e) in enumerate(regions)
    ]
    name_words = [_words(n) for n in names]
    df_names = Counter(w for ws in name_words for w in ws)
    df_cases = Counter(w for ws in texts for w in ws)
    scores = []
    for c in range(len(regions)):
        for m, ws in enumerate(name_words):
            s = 0.0
            for w in ws:
                weight = math.log(1 + len(names) / df_names[w]) * math.log(1 + len(regions) / max(df_cases[w], 1))
                s += weight * (3 if w in titles[c] else 1 if w in texts[c] else 0)
            if s > 0:
                scores.append((s, c, m))
    result = list(detected)
    used_c, used_m = set(), set()
    for s, c, m in sorted(scores, reverse=True):
        if c in used_c or m in used_m:
            continue
        result[c] = names[m]
        used_c.add(c)
        used_m.add(m)
    return result
