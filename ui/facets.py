"""The values the search filters offer, read from the knowledge base (cached per index state)."""

from __future__ import annotations

import re

import streamlit as st

from ingest.records import Document
from ui import resources


@st.cache_data(show_spinner=False, max_entries=8)
def _facets(versions: tuple[tuple[str, str], ...]) -> dict[str, list]:
    """Keyed by the documents' current versions: any add, replace or delete refreshes it."""
    store = resources.components().store
    docs = [d.document for d in store.documents()]
    chunks = store.current_chunks()
    return {
        "docs": sorted(((d.doc_id, d.title) for d in docs), key=lambda x: x[1].casefold()),
        "doc_types": sorted({d.doc_type for d in docs if d.doc_type}, key=str.casefold),
        "places": sorted({p for d in docs for p in d.places}, key=str.casefold),
        # Years as written in the metadata can be prose ("waarschijnlijk eind 2021"): offer the
        # four-digit years in them (the filter matches on part of the text).
        "years": sorted({y for d in docs if d.year for y in re.findall(r"\b(?:19|20)\d\d\b", d.year)}),
        "cases": sorted({c.metadata["case"] for c in chunks if c.metadata.get("case")}, key=str.casefold),
        "kinds": sorted({c.metadata["kind"] for c in chunks if c.metadata.get("kind")}),
        "cases_by_doc": _cases_by_doc(chunks),
    }


def _cases_by_doc(chunks) -> dict[str, list[str]]:
    """Doc id → its practice cases in the order they start (the start page counts them, the
    example questions take the first)."""
    first_at: dict[str, dict[str, int]] = {}
    for c in chunks:
        if c.metadata.get("case"):
            seen = first_at.setdefault(c.metadata.get("doc_id"), {})
            index = c.metadata.get("chunk_index", 0)
            seen[c.metadata["case"]] = min(index, seen.get(c.metadata["case"], index))
    return {doc: sorted(cases, key=cases.get) for doc, cases in first_at.items()}


def facets(components) -> dict[str, list]:
    return _facets(tuple(sorted(components.store.current_versions().items())))


@st.cache_data(show_spinner=False, max_entries=8)
def _documents(versions: tuple[tuple[str, str], ...]) -> dict[str, Document]:
    return {d.document.doc_id: d.document for d in resources.components().store.documents()}


def documents(components) -> dict[str, Document]:
    """The documents by id (title, publisher, year: what an export's source reference needs)."""
    return _documents(tuple(sorted(components.store.current_versions().items())))
