"""Passage search for policy writers: the hybrid retriever's ranking, one page at a time, with the
query's words marked in each passage and exports (Markdown, CSV) that carry full source references.

No retrieval logic lives here: the ranking is `components.retriever.retrieve`. Used by the
Streamlit app's Zoeken page and the API's search endpoint.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from assistant.csv_cells import spreadsheet_csv
from kb.dutch_text import STOP_WORDS, analyse, normalise, stem
from kb.retriever import Filters, Hit

# How many passages a search can page through at most. The retriever fuses the dense and sparse
# candidates (40 per side by default), so deeper pages would only hold the weakest leftovers.
MAX_RESULTS = 100
# A query word this long also marks the compounds it starts or ends ("waakvlam" in
# "waakvlamfunctie", "zorg" is too short: it would mark half of every passage).
COMPOUND_MIN_CHARS = 5
_WORD = re.compile(r"[^\W_]+")


class SearchError(ValueError):
    """A search that cannot be run (empty query); the message is for people (Dutch)."""


class SearchResult(BaseModel):
    rank: int
    chunk_id: str
    doc: str  # document id (its file name in the corpus folder)
    title: str
    case: str | None = None
    section: str | None = None
    kind: str | None = None  # les / aanbeveling / knelpunt / resultaat, where known
    page_start: int | None = None
    page_end: int | None = None
    text: str
    score: float
    # Character spans [start, end) of the query's words in `text` (Dutch stems, compounds).
    highlights: list[tuple[int, int]] = Field(default_factory=list)
    # The rest of the source reference, for exports.
    publisher: str | None = None
    year: str | None = None
    doc_type: str | None = None


class SearchPage(BaseModel):
    query: str
    total: int  # passages found (at most MAX_RESULTS); pages run over these
    offset: int = 0
    limit: int = 10
    results: list[SearchResult] = Field(default_factory=list)


def _query_stems(query: str) -> set[str]:
    return set(analyse(query, query=True))


def highlight_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Spans of the words in `text` that match a content word of `query`.

    A word matches when its Dutch stem equals a query stem ("wijknetwerken" ~ "wijknetwerk",
    "beschermd" ~ "beschermt"), or, for query words of COMPOUND_MIN_CHARS or more, when
    it is a compound that starts or ends with one ("waakvlamfunctie" for "waakvlam").
    """
    stems = _query_stems(query)
    if not stems:
        return []
    long_stems = [s for s in stems if len(s) >= COMPOUND_MIN_CHARS]
    spans = []
    for match in _WORD.finditer(text):
        word = normalise(match.group())
        if (len(word) < 2 and not word.isdigit()) or word in STOP_WORDS:
            continue
        if stem(word) in stems or any(
            len(word) > len(s) and (word.startswith(s) or word.endswith(s)) for s in long_stems
        ):
            spans.append(match.span())
    return spans


def mark(text: str, spans: list[tuple[int, int]], before: str = "**", after: str = "**") -> str:
    """`text` with every span wrapped in `before`/`after` (Markdown bold by default)."""
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue  # overlapping spans: the first one wins
        out += [text[last:start], before, text[start:end], after]
        last = end
    out.append(text[last:])
    return "".join(out)


def _result(hit: Hit, rank: int, query: str) -> SearchResult:
    m = hit.metadata
    return SearchResult(
        rank=rank,
        chunk_id=hit.chunk_id,
        doc=m["doc_id"],
        title=m.get("title") or m["doc_id"],
        case=m.get("case"),
        section=m.get("section"),
        kind=m.get("kind"),
        page_start=m.get("page_start"),
        page_end=m.get("page_end"),
        text=hit.text,
        score=round(float(hit.score), 6),
        highlights=highlight_spans(hit.text, query),
        publisher=m.get("publisher"),
        year=m.get("year"),
        doc_type=m.get("doc_type"),
    )


def search(
    components, query: str, filters: Filters | None = None, limit: int = 10, offset: int = 0
) -> SearchPage:
    """One page of passages for `query` (full-text and semantic, fused), best first."""
    query = (query or "").strip()
    if not query:
        raise SearchError("Vul een zoekterm in.")
    if limit < 1 or offset < 0:
        raise SearchError("Ongeldige pagina: limit moet minstens 1 zijn en offset niet negatief.")
    # The retriever ranks all fused candidates anyway; asking for the whole depth costs the same
    # as one page and tells how many there are.
    hits = components.retriever.retrieve(query, k=max(MAX_RESULTS, offset + limit), filters=filters)
    hits = hits[:MAX_RESULTS]
    page = hits[offset : offset + limit]
    results = [_result(hit, offset + i, query) for i, hit in enumerate(page, 1)]
    return SearchPage(query=query, total=len(hits), offset=offset, limit=limit, results=results)


# --- exports ---------------------------------------------------------------------------------


def pages_label(item) -> str:
    if item.page_start is None:
        return ""
    if item.page_end in (None, item.page_start):
        return f"p. {item.page_start}"
    return f"p. {item.page_start}–{item.page_end}"


def reference(r: SearchResult) -> str:
    """A full source reference in one line: title, publisher, year, case, section, pages, ids."""
    where = [x for x in (r.case, r.section) if x and x != r.title]
    parts = [r.title, r.publisher, r.year, *where, pages_label(r), f"document {r.doc}", f"passage {r.chunk_id}"]
    return ", ".join(p for p in parts if p)


def to_markdown(results: list[SearchResult], query: str | None = None) -> str:
    lines = [f"# Zoekresultaten: {query}" if query else "# Zoekresultaten", ""]
    lines.append(f"{len(results)} passage(s), met bronvermelding.")
    for r in results:
        where = " — ".join(x for x in (r.case, r.section) if x and x != r.title)
        heading = f"## {r.rank}. {r.title}" + (f" — {where}" if where else "")
        quoted = "\n".join("> " + line for line in mark(r.text, r.highlights).splitlines())
        lines += ["", heading, ""]
        if r.kind:
            lines += [f"*Soort passage: {r.kind}*", ""]
        lines += [quoted, "", f"Bron: {reference(r)}"]
    return "\n".join(lines) + "\n"


CSV_COLUMNS = [
    "rang", "score", "titel", "uitgever", "jaar", "documenttype", "praktijkvoorbeeld", "sectie",
    "soort", "pagina_van", "pagina_tot", "document", "passage", "tekst", "bron",
]


def to_csv(results: list[SearchResult]) -> str:
    """CSV for Dutch Excel (`;`, decimal comma, UTF-8 with BOM; assistant/csv_cells.py), header
    row, one passage per row."""
    return spreadsheet_csv(CSV_COLUMNS, ([
        r.rank, r.score, r.title, r.publisher or "", r.year or "", r.doc_type or "", r.case or "",
        r.section or "", r.kind or "", r.page_start if r.page_start is not None else "",
        r.page_end if r.page_end is not None else "", r.doc, r.chunk_id, r.text, reference(r),
    ] for r in results))
