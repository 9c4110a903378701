"""Extraction noise around the text: running headers and footers (a repeated start before " | ",
lines that repeat on page tops and bottoms), page tabs, page numbers, table-of-contents lines, bare
URLs, chart residue and table blocks repeated verbatim. Decided by pattern and by repetition inside
the document, never by strings from one file (see ingest/cleaning.py)."""

from __future__ import annotations

import re
from collections import Counter

from ingest.lines import (
    DOT_LEADER, FUNCTION_WORDS, HEADER_SEPARATOR, LIST_ITEM, PAGE_NUMBER, PERCENT_ONLY, TERMINAL, URL_LINE,
    CleanedText, Line, is_blankish, norm_key,
)


def find_noise(lines: list[Line], result: CleanedText, has_pages: bool, title: str | None = None) -> set[int]:
    """Mark URL lines, TOC lines, page numbers, chart residue and running headers/footers.
    Returns the indices of lines that became noise (page tabs are found next to them)."""
    noise: set[int] = set()
    text_idx = [i for i, ln in enumerate(lines) if ln.kind == "text"]
    _drop_links_contents_and_percentages(lines, text_idx, result, noise)
    _drop_page_numbers(lines, text_idx, has_pages, noise)
    _drop_chart_legends(lines, noise)
    _label_separated_headers(lines, text_idx, result, noise)
    _drop_repeated_page_edges(lines, text_idx, result, has_pages, title, noise)
    return noise


def _drop(lines: list[Line], noise: set[int], i: int) -> None:
    lines[i].kind = "noise"
    noise.add(i)


def _drop_links_contents_and_percentages(lines: list[Line], text_idx: list[int], result: CleanedText,
                                         noise: set[int]) -> None:
    """Bare URL lines (kept as links), table-of-contents lines with dot leaders (their titles
    kept) and lines of chart percentages."""
    for i in text_idx:
        t = lines[i].text.strip()
        tokens = re.sub(r"^[•·*–—-]\s+", "", t).split()  # "– https://…" in a link list too
        only_links = bool(tokens) and all(re.match(r"^(?:https?://|www\.|mailto:)\S+$|^[\w.+-]+@[\w-]+\.[\w.]+$", tok) for tok in tokens)
        if URL_LINE.match(t) or only_links or re.match(r"^\d{1,2}\s+(?:https?://|www\.)\S+$", t):
            result.links.append(re.sub(r"^\d{1,2}\s+", "", t))  # also a footnote that is only a link
            _drop(lines, noise, i)
        elif DOT_LEADER.search(t) and re.search(r"(?:\.\s?){4,}\s*\d*\s*$|…{2,}\s*\d*\s*$|_{4,}\s*\d*\s*$", t):
            title = DOT_LEADER.split(t)[0].strip()
            if title:
                result.toc.append(title)
            _drop(lines, noise, i)
        elif PERCENT_ONLY.match(t):
            _drop(lines, noise, i)


def _drop_page_numbers(lines: list[Line], text_idx: list[int], has_pages: bool, noise: set[int]) -> None:
    """Isolated page numbers: a bare number with nothing but blank lines (or a page edge) around it."""
    for i in text_idx:
        if lines[i].kind != "text" or not PAGE_NUMBER.match(lines[i].text):
            continue
        prev_ok = i == 0 or is_blankish(lines[i - 1]) or lines[i].page != lines[i - 1].page
        next_ok = i + 1 >= len(lines) or is_blankish(lines[i + 1]) or lines[i].page != lines[i + 1].page
        if prev_ok and next_ok or (has_pages and _at_page_edge(lines, i)):
            _drop(lines, noise, i)


def _label_separated_headers(lines: list[Line], text_idx: list[int], result: CleanedText, noise: set[int]) -> None:
    """Running headers with a separator: the part before " | " repeats, the part after names the
    chapter or case and is kept as a label at that place."""
    prefixes = Counter()
    for i in text_idx:
        if lines[i].kind == "text" and len(lines[i].text) < 200:
            parts = HEADER_SEPARATOR.split(lines[i].text.strip(), maxsplit=1)
            if len(parts) == 2 and len(parts[0]) >= 15:
                prefixes[norm_key(parts[0])] += 1
    for i in text_idx:
        if lines[i].kind != "text":
            continue
        parts = HEADER_SEPARATOR.split(lines[i].text.strip(), maxsplit=1)
        if len(parts) == 2 and prefixes.get(norm_key(parts[0]), 0) >= 3:
            result.running_headers.append(" ".join(lines[i].text.split()))
            lines[i].text = " ".join(parts[1].split())
            lines[i].kind = "label"
            lines[i].source = "header"
            noise.add(i)


def _drop_repeated_page_edges(lines: list[Line], text_idx: list[int], result: CleanedText, has_pages: bool,
                              title: str | None, noise: set[int]) -> None:
    """Repeated lines (digits ignored) on page tops/bottoms, or footers with a page number."""
    keys = {i: norm_key(lines[i].text) for i in text_idx if lines[i].kind == "text"}
    by_key: dict[str, list[int]] = {}
    for i, key in keys.items():
        by_key.setdefault(key, []).append(i)
    n_pages = len({ln.page for ln in lines}) if has_pages else 0
    title_words = set(re.findall(r"\w+", norm_key(title))) if title else set()
    for key, where in by_key.items():
        n, words = len(where), len(key.split())
        if n < 2 or words < 2 or re.search(r"[.?:!;,]\s*$", key) or LIST_ITEM.match(lines[where[0]].text):
            continue
        if has_pages:
            needed = max(2, -(-n_pages * 4 // 10))  # on at least 40 % of the pages
            edge = sum(1 for k in where if _at_page_edge(lines, k))
            header = n >= needed and edge >= 0.6 * n
        else:  # no page positions: lines with a (page) number ("Rapport X – 12") or the title
            header = (n >= 3 and "#" in key and words >= 3 and not key.startswith("#")) or (
                title_words and words >= 2 and len(set(re.findall(r"\w+", key)) ^ title_words) <= 1
            )
        if header:
            for i in where:
                result.running_headers.append(" ".join(lines[i].text.split()))
                _drop(lines, noise, i)


def _at_page_edge(lines: list[Line], i: int, depth: int = 2) -> bool:
    page = lines[i].page
    if page is None:
        return False
    same = [k for k in range(max(0, i - 40), min(len(lines), i + 40)) if lines[k].page == page and lines[k].kind in ("text", "noise", "label")]
    pos = same.index(i) if i in same else -1
    return pos != -1 and (pos < depth or pos >= len(same) - depth)


def _drop_chart_legends(lines: list[Line], noise: set[int]) -> None:
    """Chart residue: besides the bare percentages, the legend comes out as a run of one-
    to three-word lines. Such a run right next to percentage lines is dropped as well."""

    def tiny(ln: Line) -> bool:
        return (
            ln.kind == "text"
            and len(ln.text.split()) <= 3
            and len(ln.text.strip()) <= 40
            and not TERMINAL.search(ln.text)
            and not LIST_ITEM.match(ln.text)
        )

    for c in [i for i in noise if PERCENT_ONLY.match(lines[i].text)]:
        for step in (1, -1):
            run: list[int] = []
            k = c + step
            while 0 <= k < len(lines):
                ln = lines[k]
                if ln.kind in ("empty", "ws") or k in noise:
                    k += step
                    continue
                if not tiny(ln):
                    break
                run.append(k)
                k += step
            if len(run) >= 3:
                for k in run:
                    lines[k].kind = "noise"
                    noise.add(k)


def mark_page_tabs(lines: list[Line], noise: set[int], result: CleanedText) -> None:
    """A short title line standing alone right before a running header, a URL run or a
    page number is a page tab or footer (the magazine prints the case name there, the
    quick-scan its short title). It is kept as a label, not as text."""
    for i, ln in enumerate(lines):
        if ln.kind != "text":
            continue
        t = ln.text.strip()
        if (
            len(t.split()) > 10
            or len(t) > 80
            or (re.search(r"[.,;:!?]$", t) and not re.search(r"(?:\b\w{1,2}\.){2,}$", t))  # "e.o." ends a name
            or t.endswith("-")
            or t.split()[-1].lower() in FUNCTION_WORDS
            or not re.match(r"^\W*[A-Z0-9À-Þ]", t)
            or LIST_ITEM.match(t)
            or re.match(r"^\d{1,2}(\.\d{1,2})*\.?\s", t)
        ):
            continue
        j = i + 1
        while j < len(lines) and lines[j].kind in ("empty", "ws", "sep"):
            j += 1
        if j >= len(lines) or j not in noise:
            continue
        k = i - 1
        gap = False
        while k >= 0 and lines[k].kind in ("empty", "ws", "sep", "deleted"):
            gap = True
            k -= 1
        if k >= 0 and not gap and k not in noise:
            continue
        result.running_headers.append(" ".join(t.split()))
        ln.kind = "label"
        ln.source = "tab"
        ln.text = " ".join(t.split())


def drop_repeated_blocks(lines: list[Line], size: int = 4, max_mean_len: int = 45) -> None:
    """A table printed again later (same run of short lines) is kept only the first time."""
    idx = [i for i, ln in enumerate(lines) if ln.kind == "text"]
    keys = [" ".join(lines[i].text.split()).lower() for i in idx]  # exact: other figures, other table
    first: dict[tuple, int] = {}
    dup: set[int] = set()
    for p in range(len(idx) - size + 1):
        gram = tuple(keys[p : p + size])
        if sum(len(k) for k in gram) / size > max_mean_len:
            continue
        if gram in first and first[gram] + size <= p:
            dup.update(range(p, p + size))
        else:
            first.setdefault(gram, p)
    for p in dup:
        lines[idx[p]].kind = "deleted"
