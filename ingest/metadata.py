"""Metadata from the document itself, for files the manifest does not describe.

- year: the cover's date ("Oktober 2023", "Den Haag, november 2019"), else a month and year in
  the colophon or the first page, else the latest year the text names more than once (a report is
  written after what it reports); the file's own date only when the text names no year at all
  (a Word file's creation date is often that of its template).
- publisher: a labelled line ("Uitgave …", "Een uitgave van …") in cover or colophon, else the
  cover line that names an organisation; never the file's author property (initials, a person).
- document type: the first kind of document the title or cover names ("Quickscan naar …"), else
  the kind the headings name most.
- places: municipalities and provinces of a gazetteer (ingest/data/gemeenten.csv) and
  neighbourhood-like names ("…wijk", "…buurt"), each named at least twice or on the cover: a place
  named once in a footnote is not the document's place.

The words are data (ingest/data/nl.toml). The manifest stays an override (ingest/pipeline.py).
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
MIN_MENTIONS = 2
MAX_PUBLISHER_WORDS = 8
FIRST_HEADINGS = 3
YEAR_SHARE = 0.1  # of all the years a text names
FIRST_LINES = 40  # the lines (paragraphs) of a text without a cover that may carry its date
MAX_PLACES = 15
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"


@dataclass
class Inferred:
    year: str | None = None
    publisher: str | None = None
    doc_type: str | None = None
    places: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def language() -> dict:
    return tomllib.loads((DATA / "nl.toml").read_text("utf-8"))


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, str]:
    """Place name → "gemeente" or "provincie"."""
    with (DATA / "gemeenten.csv").open(encoding="utf-8") as fh:
        return {row["naam"]: row["soort"] for row in csv.DictReader(fh) if "(" not in row["naam"]}


@lru_cache(maxsize=1)
def _gazetteer_pattern() -> re.Pattern:
    """All gazetteer names in one pattern, longest first ("Bergen op Zoom" before "Bergen"): one
    pass over the text instead of one per name."""
    names = sorted(gazetteer(), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")


def infer(front: list[str], colophon: str, text: str, headings: list[str], title: str | None,
          file_year: str | None) -> Inferred:
    """All fields from the cover lines, the colophon's text, the body text and the headings."""
    return Inferred(
        year=infer_year(front, colophon, text, file_year),
        publisher=infer_publisher(front, colophon),
        doc_type=infer_type([title or "", *front], headings, text),
        places=infer_places(front, text),
    )


# --- year --------------------------------------------------------------------------------

def _dated(text: str) -> list[str]:
    months = "|".join(language()["months"])
    return re.findall(rf"\b(?:{months})\s+({_YEAR})\b", text, re.IGNORECASE)


def infer_year(front: list[str], colophon: str, text: str, file_year: str | None) -> str | None:
    for line in front:  # the cover's date, or a year standing alone on it
        dated = _dated(line) or re.findall(rf"^\W*({_YEAR})\W*$", line)
        if dated:
            return dated[-1]
    first_page = [ln for ln in text.splitlines()[:FIRST_LINES] if len(ln.split()) <= 6]
    dated = _dated(colophon) or _dated("\n".join(first_page))  # "Den Haag, oktober 2019"
    if dated:
        return max(dated)
    # the latest year the text is much about (a tenth of its years at least): not a year it
    # looks ahead to ("in 2040 …") nor one it names in passing
    counts = Counter(y for y in re.findall(rf"\b({_YEAR})\b", text) if int(y) <= date.today().year)
    total = sum(counts.values())
    about = [int(y) for y, n in counts.items() if n >= MIN_MENTIONS and n >= YEAR_SHARE * total]
    if about:
        return str(max(about))
    return file_year if not counts else None


# --- publisher ---------------------------------------------------------------------------

def _is_organisation(line: str) -> bool:
    """A capitalised organisation word, or a compound ending in one: part of a name
    ("Welzijnsstichting Spaarnekracht"), not a description ("het wijknetwerk in …")."""
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", line) if w[0].isupper()]
    kinds = language()["publisher"]["organisations"]
    return any(w == k or (w.endswith(k) and len(w) > len(k) + 2) for w in words for k in kinds)


def infer_publisher(front: list[str], colophon: str) -> str | None:
    """`colophon`: the colophon's text and the document's headings, where a plain-text report
    prints "Uitgave …"."""
    pub = language()["publisher"]
    for line in [*front, *colophon.splitlines()]:
        m = re.match(pub["labels"], line.strip(), re.IGNORECASE)
        named = re.split(r"[.;]\s|\s{2,}", line.strip()[m.end():])[0].strip(" .:") if m else ""
        if named and len(named.split()) <= MAX_PUBLISHER_WORDS:
            return named
    for line in front[1:]:  # the first line is the title
        if re.match(pub["author_labels"], line, re.IGNORECASE) or len(line.split()) > MAX_PUBLISHER_WORDS:
            continue
        if _is_organisation(line):
            return line.strip()
    return None


# --- document type -----------------------------------------------------------------------

def _kinds_named(text: str) -> list[tuple[int, str]]:
    return sorted((m.start(), kind) for kind, pattern in language()["document_types"].items()
                  if isinstance(pattern, str) and kind != "self_reference"
                  for m in re.finditer(pattern, text, re.IGNORECASE))


def infer_type(cover: list[str], headings: list[str], text: str = "") -> str | None:
    """The first kind the title or cover names (without a cover: the first headings, where a
    plain-text report prints its title), else the kind the text calls itself most ("dit digitale
    magazine"), else the kind the headings name most."""
    for line in [*cover, *headings[:FIRST_HEADINGS]]:
        named = _kinds_named(line)
        if named:
            return named[0][1]
    types = language()["document_types"]
    itself = Counter({kind: len(re.findall(types["self_reference"] + f"(?:{pattern})", text, re.IGNORECASE))
                      for kind, pattern in types.items() if kind != "self_reference" and isinstance(pattern, str)})
    if itself and itself.most_common(1)[0][1]:
        return itself.most_common(1)[0][0]
    votes = Counter(kind for h in headings for _, kind in _kinds_named(h))
    return votes.most_common(1)[0][0] if votes else None


# --- places ------------------------------------------------------------------------------

def infer_places(front: list[str], text: str) -> list[str]:
    """The gazetteer's places and neighbourhood names the document names, most named first."""
    counts: Counter = Counter()
    ordinary = {w for w in re.findall(r"[^\W\d_]+", text) if w.islower()}  # "buren", "best", "putten"
    for m in _gazetteer_pattern().finditer(text):
        name = m.group(1)
        # also an ordinary word: not where a sentence starts
        if name.lower() in ordinary and re.search(r"(?:^|[.!?:]\s*|\n\s*)$", text[max(0, m.start() - 3):m.start()]):
            continue
        counts[name] += 1
    endings = "|".join(language()["places"]["endings"])
    for word in re.findall(rf"\b([A-Z][a-zà-ÿ]{{3,}}(?:{endings}))\b", text):
        if word.lower() not in ordinary:  # "Woonservicewijk" at a sentence's start is a noun
            counts[word] += 1
    cover = " ".join(front)
    places = [p for p, n in counts.most_common() if n >= MIN_MENTIONS or p in cover]
    return places[:MAX_PLACES]
