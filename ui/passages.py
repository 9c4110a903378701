"""Showing passages: source labels, highlighted text, and a passage's whole section in context."""

from __future__ import annotations

import html
import re

import streamlit as st

from assistant.search import highlight_spans, pages_label

Span = tuple[int, int]
# Markdown characters that would turn passage text into formatting (or LaTeX, for "$").
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_$<>#~|])")


def escape_markdown(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def source_label(item) -> str:
    """"Titel — praktijkvoorbeeld — sectie, p. 3–4" for a citation, context or search result."""
    title = item.title or item.doc
    where = [x for x in (item.case, item.section) if x and x != title]
    label = " — ".join([title, *where])
    pages = pages_label(item)
    return f"{label}, {pages}" if pages else label


def quote_spans(text: str, quote: str) -> list[Span]:
    """Where the quoted sentences (joined by " … ", whitespace normalised) stand in `text`."""
    spans = []
    for sentence in quote.split(" … "):
        words = sentence.split()
        if not words:
            continue
        match = re.search(r"\s+".join(map(re.escape, words)), text)
        if match:
            spans.append(match.span())
    return spans


def passage_html(text: str, marks: list[Span] = (), strong: list[Span] = ()) -> str:
    """The text as one HTML block: `marks` highlighted (<mark>), `strong` in bold.

    Every piece between two span borders is wrapped on its own, so overlapping or nested spans
    always give well-formed HTML. Newlines become <br>: a blank line would end the HTML block
    and let Markdown loose on the passage text.
    """
    borders = sorted({0, len(text), *(p for s in (*marks, *strong) for p in s)})
    pieces = []
    for start, end in zip(borders, borders[1:]):
        piece = html.escape(text[start:end]).replace("\n", "<br>")
        if any(s <= start and end <= e for s, e in marks):
            piece = f"<mark>{piece}</mark>"
        if any(s <= start and end <= e for s, e in strong):
            piece = f"<strong>{piece}</strong>"
        pieces.append(piece)
    return f'<div class="wijkwijs-passage">{"".join(pieces)}</div>'


def show_passage(text: str, query: str = "", quote: str | None = None) -> None:
    marks = highlight_spans(text, query) if query else []
    strong = quote_spans(text, quote) if quote else []
    st.markdown(passage_html(text, marks, strong), unsafe_allow_html=True)


def section_chunks(components, doc: str, case: str | None, section: str | None, chunk_text: str):
    """The chunks of the passage's section (same document, case and section), in order.

    Without a section: the passage with its neighbours. The passage itself is found by its text
    (citations carry the text, not the chunk id); a citation of passages that follow each other
    holds each of their texts (assistant/extractive.py citation_places), also one that opens a
    sub-section.
    """
    chunks = components.store.current_chunks(doc)
    if section is not None:
        same = [c for c in chunks if (c.metadata.get("section") == section and c.metadata.get("case") == case)
                or c.text in chunk_text]
        if same:
            return same
    at = next((i for i, c in enumerate(chunks) if c.text in chunk_text), None)
    if at is None:
        return []
    return chunks[max(0, at - 1) : at + 2]


def show_section(components, item, query: str, quote: str | None, key: str) -> None:
    """A toggle that opens the passage's whole section, with the passage itself marked."""
    if not st.toggle("Hele sectie tonen", key=key):
        return
    chunks = section_chunks(components, item.doc, item.case, item.section, item.text)
    if not chunks:
        st.caption("Deze sectie staat niet (meer) in de kennisbank.")
        return
    st.caption(f"Sectie “{item.section or item.case or item.title}” — {len(chunks)} passage(s), op volgorde:")
    for chunk in chunks:
        is_cited = chunk.text in item.text  # a citation may hold two passages that follow each other
        with st.container(border=is_cited):
            if is_cited:
                st.caption("▶ de geciteerde passage")
            show_passage(chunk.text, query, quote if is_cited else None)


def contains_words(text: str, query: str) -> bool:
    """The text filter of the lessons page: every word of the query occurs in the text
    (case-insensitive; also inside longer words, so "woning" finds "woningcorporatie")."""
    haystack = text.casefold()
    return all(word in haystack for word in query.casefold().split())
