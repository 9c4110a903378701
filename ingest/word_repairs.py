"""Repairs inside words, never rewriting them: footnote markers glued to words ("bewoners.7",
"Holendrecht)1", "wonen1 project") are taken off, and line-end hyphenation is joined where the word
exists without the hyphen (see `join_hyphenation` for the rule)."""

from __future__ import annotations

import re
from collections import Counter

from ingest.lines import LIST_ITEM, Line

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
    join_line_hyphenation(lines, vocabulary(text))
    return "\n".join(ln.text for ln in lines if ln.kind != "deleted")


def vocabulary(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"\w+(?:-\w+)*", text)}


def short_names(text: str) -> set[str]:
    """Short capitalised words (2–4 letters) used on their own at least twice: Wmo, Ggz."""
    counts = Counter(re.findall(r"(?<![\w-])([A-Z][a-z]{1,3})(?![\w-])", text))
    sentence_starts = Counter(re.findall(r"(?:^|[.!?]\s+)([A-Z][a-z]{1,3})(?![\w-])", text, re.M))
    return {w for w, n in counts.items() if n - sentence_starts.get(w, 0) >= 2}


def join_line_hyphenation(lines: list[Line], vocabulary: set[str], short_names: set[str] | None = None) -> None:
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
