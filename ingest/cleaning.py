"""Cleaning of text extracted from PDFs (by pypdf or by an earlier PDF-to-text step).

Only extraction noise is removed; words and punctuation inside sentences are never rewritten,
because answers are checked against quotes from the source. What counts as noise is decided
by pattern and by repetition inside the document, never by lists of strings from one file:

- characters: NFKC (ligatures such as "ﬁ" and "ĳ", non-breaking spaces), U+FFFC and soft
  hyphens removed, private-use bullets (Symbol/Wingdings, U+E000–U+F8FF) turned into "•";
- double spacing (a blank line after almost every text line) is undone; whitespace-only
  lines then mark the paragraph breaks;
- bare URL lines, table-of-contents lines with dot leaders, isolated page numbers, chart
  residue ("69%"), a trailing bookmark list (tab-indented lines);
- running headers/footers: lines whose start before a " | " separator repeats (the part
  after it is kept as a *label*: it often names the chapter or case), lines that repeat on
  page tops/bottoms (PDF), and short "page tab" lines that sit right before such noise;
- table blocks that repeat verbatim (only the first copy stays);
- footnote markers glued to words ("Holendrecht)1", "bewoners.7", "wonen1 project");
  footnote bodies are moved after the paragraph they interrupt;
- line-end hyphenation (see `join_hyphenation` for the rule).

The result is a list of `Line`s that keep their page number; `structure` builds paragraphs,
headings, sections and cases from it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from ingest.records import Page

# Characters NFKC would rewrite into something a reader would not quote ("…" → "...").
_KEEP_AS_IS = "…½¼¾"
# Wingdings/Symbol glyphs that are not bullets but arrows in running text.
_PRIVATE_USE_INLINE = {"\uf0e0": "→", "\uf0e8": "→", "\uf0d8": "↑", "\uf0da": "↓"}
# Words a title does not end on; a line ending on one is a broken-off sentence.
_FUNCTION_WORDS = frozenset(
    "de het een en of van voor in op met aan te die dat om bij naar als door tot uit over is zijn wordt worden".split()
)
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\ufffc"), None)

TERMINAL = re.compile(r"[.!?:;][\"'’”)\]»]*\s*$")  # a line that ends a sentence
# …unless its full stop belongs to an abbreviation or an initial: "een workshop o.l.v." goes on
# with "Marcel Canoy", "(Van der Veer, 2010, p." with "12)". "enz.", "etc.", "e.v.", "e.d." and
# "e.o." ("Assen e.o.") close a list or a title, and mostly the sentence too.
ABBREVIATION_END = re.compile(
    r"(?:^|[\s(])(?:(?!e\.[vdo]\.$)(?:\w\.){2,}|[A-Z]\.|(?:bijv|ca|nl|zgn|vs|nr|p|pag|blz|dhr|mevr|resp|drs|dr|mr"
    r"|ir|prof|incl|excl|evt)\.)$",
    re.IGNORECASE,
)
LIST_ITEM = re.compile(r"^\s*(?:[•·▪■□◦●○❖➢►✓✔*]|[-–—](?=\s)|\(?\d{1,2}[.)](?=\s)|\(?[a-z][.)](?=\s))")
URL_LINE = re.compile(r"^\s*(?:https?://|ftp://)\S*")
DOT_LEADER = re.compile(r"(?:\.\s?){4,}|…{2,}|(?:_\s?){4,}")
PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:(?:pagina|page|blz\.?|p\.)\s*)?\d{1,3}(?:\s*(?:/|van|of)\s*\d{1,3})?(?:\s*[-–—])?\s*$",
    re.I,
)
PERCENT_ONLY = re.compile(r"^\s*(?:\d{1,3}(?:[.,]\d+)?\s*%\s*)+$")
HEADER_SEPARATOR = re.compile(r"\s+\|\s+")


@dataclass
class Line:
    """One line of the document after cleaning.

    kind: "text" (content), "blank" (a paragraph break is allowed here), "label" (a removed
    running header or page tab; `text` is its label, `source` says which), "footnote", "cover"
    (the title page's lines: metadata, never a passage; ingest/layout.py).
    """

    text: str
    page: int | None
    kind: str = "text"
    page_start: bool = False
    source: str = ""


@dataclass
class CleanedText:
    lines: list[Line]
    running_headers: list[str] = field(default_factory=list)  # stripped, kept as metadata
    links: list[str] = field(default_factory=list)  # bare URL lines taken out of the prose
    toc: list[str] = field(default_factory=list)  # titles from a table of contents
    headings: dict[str, int] = field(default_factory=dict)  # declared by the format (ingest/layout.py)
    double_spaced: bool = False

    def text(self) -> str:
        """The cleaned text: content lines, one empty line where a paragraph may break."""
        out: list[str] = []
        for line in self.lines:
            if line.kind in ("text", "footnote"):
                out.append(line.text)
            elif line.kind == "blank" and out and out[-1] != "":
                out.append("")
        return "\n".join(out).strip("\n")


# --- characters --------------------------------------------------------------------------


def normalize_chars(text: str) -> str:
    """NFKC (ligatures, compatibility spaces) without touching "…" and fractions; drop
    U+FFFC, soft hyphens and zero-width characters; private-use bullets become "•"."""
    text = text.translate(_ZERO_WIDTH)
    parts = re.split(f"([{_KEEP_AS_IS}])", text)
    text = "".join(p if p and p in _KEEP_AS_IS else unicodedata.normalize("NFKC", p) for p in parts)
    if re.search("[\ue000-\uf8ff]", text):
        lines = []
        for line in text.split("\n"):
            # A private-use glyph opening a line is a bullet from a Symbol/Wingdings font.
            line = re.sub(r"^(\s*)[\ue000-\uf8ff]+\s*", r"\1• ", line)
            for glyph, repl in _PRIVATE_USE_INLINE.items():
                line = line.replace(glyph, repl)
            line = re.sub(r"\s*[\ue000-\uf8ff]+\s*", " ", line)
            lines.append(line)
        text = "\n".join(lines)
    return text


# --- footnote markers --------------------------------------------------------------------

# "bewoners.7", "Holendrecht)1", "vinden”.3": digits right after punctuation that follows a word.
_MARK_AFTER_PUNCT = re.compile(r"(?<=[^\W\d_]{2})([.,;:!?)\]’”\"»]{1,2})(\d{1,2})(?=\s|$)")
# "wonen1 project", "Zorg2:": digits glued to a lower-case word of three or more letters.
_MARK_AFTER_WORD = re.compile(r"(?<![\w/.@-])([^\W\d_]*[a-zà-ÿ]{3})(\d{1,2})(?=[\s.,;:!?)\]’”\"]|$)")
# "dorps4ontwikkeling": a single digit inside a word.
_MARK_INSIDE_WORD = re.compile(r"(?<![\w/.@-])([^\W\d_]*[a-zà-ÿ]{3})(\d)([a-zà-ÿ]{3}[^\W\d_]*)")


def glued_tokens(text: str) -> Counter:
    """How often each word+digits token occurs: a name such as "Platform31" recurs, a
    footnote marker ("wonen1") occurs once."""
    return Counter(m.group(0) for m in re.finditer(r"[^\W\d_]+\d+[^\W\d_]*", text))


def strip_footnote_markers(line: str, counts: Counter | None = None, numbers: set[str] | None = None) -> str:
    """Remove footnote digits glued to words. Tokens that occur more than once in the
    document (`counts`) are names ("Platform31"), not markers, and stay. When the
    document's footnote bodies were found, only their `numbers` count as markers."""
    if not re.search(r"\d", line):
        return line

    def once(token: str) -> bool:
        digits = re.search(r"\d+", token).group(0)
        if numbers and digits not in numbers:
            return False
        return counts is None or counts.get(token, 0) <= 1

    def in_url(m: re.Match) -> bool:
        start = line.rfind(" ", 0, m.start()) + 1
        end = line.find(" ", m.end())
        token = line[start : end if end >= 0 else len(line)]
        return bool(re.search(r"https?:|www\.|@|/|\.nl\b|\.com\b|\.org\b", token))

    line = _MARK_AFTER_PUNCT.sub(
        lambda m: m.group(1) if not in_url(m) and (not numbers or m.group(2) in numbers) else m.group(0), line
    )
    line = _MARK_AFTER_WORD.sub(
        lambda m: m.group(1) if once(m.group(0)) and not in_url(m) else m.group(0), line
    )
    line = _MARK_INSIDE_WORD.sub(
        lambda m: m.group(1) + m.group(3) if once(m.group(0)) and not in_url(m) else m.group(0), line
    )
    return line


# --- hyphenation -------------------------------------------------------------------------

_SUSPENDED = {"en", "of", "tot", "en/of", "noch", "als"}


def hyphen_decision(left: str, right: str, vocabulary: set[str] | None = None, short_names: set[str] | None = None) -> str:
    """How to join "left-" at a line end with "right" at the start of the next line.

    Returns "join" (prak- + tijk → praktijk), "keep" (Noord- + Holland → Noord-Holland) or
    "space" (a suspended hyphen: "zorg- en welzijnsorganisaties" stays as it is).

    The hyphen is kept when the part after it does not start with a lower-case letter
    (Noord-Holland, 2006-2008), when the part before it ends in a digit, a capital (GGZ-,
    WMO-) or an accented letter (privé-situatie, café-eigenaar: Dutch writes these with a
    hyphen, and hyphenation programs do not break after an accented vowel), or when the
    part before it is a short name used on its own elsewhere (Wmo-indicatie). The
    document's own vocabulary overrides: a joined form that occurs elsewhere wins, then a
    hyphenated form that occurs elsewhere.
    """
    right_word = re.match(r"[^\s]*", right).group(0)
    core = re.match(r"[\w]+", right_word)
    if right_word.lower().rstrip(",.;:") in _SUSPENDED:
        return "space"
    if not core or not left:
        return "keep"
    r = core.group(0)
    if vocabulary is not None and r[0].islower():
        joined, hyphenated = (left + r).lower(), f"{left}-{r}".lower()
        if joined in vocabulary:
            return "join"
        if hyphenated in vocabulary:
            return "keep"
    if not r[0].islower():
        return "keep"
    last = left[-1]
    if last.isdigit() or last.isupper() or (last.isalpha() and not last.isascii()):
        return "keep"
    if any(c.isupper() for c in left[1:]):
        return "keep"
    if short_names and left in short_names:
        return "keep"
    return "join"


def join_hyphenation(text: str) -> str:
    """Join line-end hyphenation in a plain string (used for small texts and tests)."""
    lines = [Line(t, None) if t.strip() else Line("", None, kind="blank") for t in text.split("\n")]
    _join_hyphenation(lines, _vocabulary(text))
    return "\n".join(ln.text for ln in lines if ln.kind != "deleted")


def _vocabulary(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"\w+(?:-\w+)*", text)}


def _short_names(text: str) -> set[str]:
    """Short capitalised words (2–4 letters) used on their own at least twice: Wmo, Ggz."""
    counts = Counter(re.findall(r"(?<![\w-])([A-Z][a-z]{1,3})(?![\w-])", text))
    sentence_starts = Counter(re.findall(r"(?:^|[.!?]\s+)([A-Z][a-z]{1,3})(?![\w-])", text, re.M))
    return {w for w, n in counts.items() if n - sentence_starts.get(w, 0) >= 2}


def _join_hyphenation(lines: list[Line], vocabulary: set[str], short_names: set[str] | None = None) -> None:
    for i, line in enumerate(lines):
        if line.kind != "text":
            continue
        m = re.search(r"(\w+)-\s*$", line.text)
        if not m or re.search(r"\s-\s*$", line.text):
            continue
        j = i + 1
        while j < len(lines) and lines[j].kind in ("blank", "label", "deleted"):
            j += 1
        if j >= len(lines) or lines[j].kind != "text":
            continue
        nxt = lines[j].text.lstrip()
        if not nxt or LIST_ITEM.match(nxt):
            continue
        how = hyphen_decision(m.group(1), nxt, vocabulary, short_names)
        if how == "space":
            line.text = line.text.rstrip()
            continue
        token, _, rest = nxt.partition(" ")
        head = line.text.rstrip()
        line.text = (head[:-1] if how == "join" else head) + token
        lines[j].text = rest.lstrip()
        if not lines[j].text:
            lines[j].kind = "deleted"


# --- the pipeline ------------------------------------------------------------------------


def clean_text(text: str, title_hint: str | None = None) -> str:
    """Clean one string (a file without pages); returns the cleaned text."""
    return clean_pages([Page(number=None, text=text)], title_hint).text()


def clean_pages(pages: list[Page], title_hint: str | None = None) -> CleanedText:
    lines = _split(pages)
    _drop_outline(lines)
    result = CleanedText(lines=[])
    noise = _find_noise(lines, result, any(p.number is not None for p in pages), title_hint)
    _mark_page_tabs(lines, noise, result)
    _drop_repeated_blocks(lines)
    result.double_spaced = _undo_double_spacing(lines)
    _move_footnotes(lines)
    full = "\n".join(ln.text for ln in lines if ln.kind == "text")
    counts = glued_tokens(full)
    numbers = {m.group(1) for ln in lines if ln.kind == "footnote" and (m := re.match(r"\s*(\d{1,2})\s", ln.text))}
    for ln in lines:
        if ln.kind == "text":
            ln.text = strip_footnote_markers(ln.text, counts, numbers or None)
    _join_hyphenation(lines, _vocabulary(full), _short_names(full))
    cleaned: list[Line] = []
    for ln in lines:
        if ln.kind == "deleted":
            continue
        if ln.kind in ("text", "footnote"):
            ln.text = " ".join(ln.text.split())
            if not ln.text:
                ln.kind = "blank"
        if ln.kind == "blank" and cleaned and cleaned[-1].kind == "blank":
            continue
        cleaned.append(ln)
    result.lines = cleaned
    result.running_headers = list(dict.fromkeys(result.running_headers))
    result.links = list(dict.fromkeys(result.links))
    return result


def _split(pages: list[Page]) -> list[Line]:
    lines: list[Line] = []
    for page in pages:
        text = normalize_chars(page.text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n"))
        first = True
        for raw in text.split("\n"):
            if not raw.strip():
                # Long whitespace-only lines are footnote separators in these extractions.
                kind = "sep" if len(raw) >= 15 else ("ws" if raw else "empty")
                lines.append(Line("", page.number, kind=kind))
                continue
            if page.number is not None:
                start = first
            else:
                # In text extractions of PDFs a new page often starts with one leading space.
                start = bool(re.match(r"^ (?! )(?![-–•·]\s)\S", raw)) or not lines
            lines.append(Line(raw.rstrip(), page.number, page_start=start))
            first = False
    return lines


def _drop_outline(lines: list[Line]) -> None:
    """A bookmark list at the very end (tab-indented lines) is navigation, not text."""
    i = len(lines) - 1
    while i >= 0 and lines[i].kind != "text":
        i -= 1
    run = []
    while i >= 0 and (lines[i].kind != "text" or lines[i].text.startswith("\t")):
        if lines[i].kind == "text":
            run.append(i)
        i -= 1
    if len(run) >= 3:
        for k in run:
            lines[k].kind = "deleted"
    for ln in lines:
        if ln.kind == "text" and "\t" in ln.text:
            ln.text = ln.text.replace("\t", " ")


def _norm_key(text: str) -> str:
    return " ".join(re.sub(r"\d+", "#", text).split()).lower()


def _is_blankish(ln: Line) -> bool:
    return ln.kind in ("empty", "ws", "sep", "blank", "noise", "deleted")


def _find_noise(lines: list[Line], result: CleanedText, has_pages: bool, title: str | None = None) -> set[int]:
    """Mark URL lines, TOC lines, page numbers, chart residue and running headers/footers.
    Returns the indices of lines that became noise (page tabs are found next to them)."""
    noise: set[int] = set()
    text_idx = [i for i, ln in enumerate(lines) if ln.kind == "text"]

    def drop(i: int, kind: str = "noise") -> None:
        lines[i].kind = kind
        noise.add(i)

    for i in text_idx:
        t = lines[i].text.strip()
        tokens = re.sub(r"^[•·*–—-]\s+", "", t).split()  # "– https://…" in a link list too
        only_links = bool(tokens) and all(re.match(r"^(?:https?://|www\.|mailto:)\S+$|^[\w.+-]+@[\w-]+\.[\w.]+$", tok) for tok in tokens)
        if URL_LINE.match(t) or only_links or re.match(r"^\d{1,2}\s+(?:https?://|www\.)\S+$", t):
            result.links.append(re.sub(r"^\d{1,2}\s+", "", t))  # also a footnote that is only a link
            drop(i)
        elif DOT_LEADER.search(t) and re.search(r"(?:\.\s?){4,}\s*\d*\s*$|…{2,}\s*\d*\s*$|_{4,}\s*\d*\s*$", t):
            title = DOT_LEADER.split(t)[0].strip()
            if title:
                result.toc.append(title)
            drop(i)
        elif PERCENT_ONLY.match(t):
            drop(i)

    # Isolated page numbers: a bare number with nothing but blank lines (or a page edge) around it.
    for i in text_idx:
        if lines[i].kind != "text" or not PAGE_NUMBER.match(lines[i].text):
            continue
        prev_ok = i == 0 or _is_blankish(lines[i - 1]) or lines[i].page != lines[i - 1].page
        next_ok = i + 1 >= len(lines) or _is_blankish(lines[i + 1]) or lines[i].page != lines[i + 1].page
        if prev_ok and next_ok or (has_pages and _at_page_edge(lines, i)):
            drop(i)

    _drop_chart_legends(lines, noise)

    # Running headers with a separator: the part before " | " repeats, the part after names
    # the chapter or case and is kept as a label at that place.
    prefixes = Counter()
    for i in text_idx:
        if lines[i].kind == "text" and len(lines[i].text) < 200:
            parts = HEADER_SEPARATOR.split(lines[i].text.strip(), maxsplit=1)
            if len(parts) == 2 and len(parts[0]) >= 15:
                prefixes[_norm_key(parts[0])] += 1
    for i in text_idx:
        if lines[i].kind != "text":
            continue
        parts = HEADER_SEPARATOR.split(lines[i].text.strip(), maxsplit=1)
        if len(parts) == 2 and prefixes.get(_norm_key(parts[0]), 0) >= 3:
            result.running_headers.append(" ".join(lines[i].text.split()))
            lines[i].text = " ".join(parts[1].split())
            lines[i].kind = "label"
            lines[i].source = "header"
            noise.add(i)

    # Repeated lines (digits ignored) on page tops/bottoms, or footers with a page number.
    keys = {i: _norm_key(lines[i].text) for i in text_idx if lines[i].kind == "text"}
    by_key: dict[str, list[int]] = {}
    for i, key in keys.items():
        by_key.setdefault(key, []).append(i)
    n_pages = len({ln.page for ln in lines}) if has_pages else 0
    title_words = set(re.findall(r"\w+", _norm_key(title))) if title else set()
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
                drop(i)
    return noise


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


def _mark_page_tabs(lines: list[Line], noise: set[int], result: CleanedText) -> None:
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
            or t.split()[-1].lower() in _FUNCTION_WORDS
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


def _drop_repeated_blocks(lines: list[Line], size: int = 4, max_mean_len: int = 45) -> None:
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


def _undo_double_spacing(lines: list[Line]) -> bool:
    """Decide whether the text is double spaced and turn the blank-ish lines into
    "blank" (a paragraph may break here) or delete them."""
    text_n = followed = 0
    lengths = []
    for i, ln in enumerate(lines[:-1]):
        if ln.kind == "text":
            text_n += 1
            followed += lines[i + 1].kind == "empty"
            lengths.append(len(ln.text))
    # Wrapped lines (a PDF page) rather than one line per paragraph (Markdown, Word): only
    # then is a blank line after every line double spacing.
    wrapped = bool(lengths) and sorted(lengths)[len(lengths) // 2] <= 110
    double = text_n >= 4 and followed / text_n >= 0.7 and wrapped
    for ln in lines:
        if ln.kind == "empty":
            ln.kind = "deleted" if double else "blank"
        elif ln.kind in ("ws", "sep", "noise"):
            ln.kind = "blank" if ln.kind != "sep" else "sep"
    return double


def _move_footnotes(lines: list[Line]) -> None:
    """Footnote bodies (after a long whitespace separator, "1 Stadsdeel …") often sit in the
    middle of a sentence that runs on to the next page. They are marked and moved to the
    next place where a paragraph ends."""
    i = 0
    while i < len(lines):
        if lines[i].kind != "sep":
            i += 1
            continue
        lines[i].kind = "blank"
        j = i + 1
        while j < len(lines) and lines[j].kind in ("blank", "deleted"):
            j += 1
        block: list[int] = []
        while j < len(lines) and lines[j].kind == "text" and len(block) < 8:
            t = lines[j].text
            if block and (lines[j].page_start or (not re.match(r"^\s*\d{1,2}\s+\S", t) and TERMINAL.search(lines[block[-1]].text))):
                break
            if not block and not re.match(r"^\s*\d{1,2}\s+\S", t):
                break
            block.append(j)
            j += 1
        if not block:
            i += 1
            continue
        moved_n = 0
        for k in block:
            lines[k].kind = "footnote"
        # Does the sentence before the footnotes continue after them?
        before = i - 1
        while before >= 0 and lines[before].kind in ("blank", "deleted", "label"):
            before -= 1
        after = j
        while after < len(lines) and lines[after].kind in ("blank", "deleted", "label"):
            after += 1
        continues = (
            before >= 0
            and after < len(lines)
            and lines[after].kind == "text"
            and not TERMINAL.search(lines[before].text)
        )
        if continues:
            end = after
            while end < len(lines) and not (lines[end].kind == "text" and TERMINAL.search(lines[end].text)):
                end += 1
            moved = [lines[k] for k in block]
            blank = Line("", moved[0].page, kind="blank")
            for k in reversed(block):
                del lines[k]
            insert_at = end + 1 - len(block)
            lines[insert_at:insert_at] = [blank, *moved, Line("", moved[-1].page, kind="blank")]
            moved_n = len(block)
        i = j - moved_n
