"""Example questions drawn from the knowledge base itself: a practice case of each document (or
the document, when it has none), put in one of a few general Dutch question forms. So the
examples fit whatever documents a maintainer has added, and none is written for one corpus."""

from __future__ import annotations

import streamlit as st

from ui import resources

CASE_QUESTIONS = ("Wat is de aanpak van {case}?", "Wat heeft {case} opgeleverd?", "Wat ging er moeilijk bij {case}?")
DOCUMENT_QUESTION = "Welke lessen trekt “{title}”?"
MAX_EXAMPLES = 4


@st.cache_data(show_spinner=False, max_entries=8)
def _examples(versions: tuple[tuple[str, str], ...]) -> list[str]:
    """Keyed by the documents' current versions: a new document can bring new examples."""
    store = resources.components().store
    first_case: dict[str, tuple[int, str]] = {}  # doc id → (chunk index, case) of its first case
    for chunk in store.current_chunks():
        doc, case = chunk.metadata.get("doc_id"), chunk.metadata.get("case")
        index = chunk.metadata.get("chunk_index", 0)
        if case and (doc not in first_case or index < first_case[doc][0]):
            first_case[doc] = (index, case)
    documents = sorted((d.document for d in store.documents()), key=lambda d: d.title.casefold())
    questions = []
    for n, doc in enumerate(documents):
        if doc.doc_id in first_case:
            questions.append(CASE_QUESTIONS[n % len(CASE_QUESTIONS)].format(case=first_case[doc.doc_id][1]))
        else:
            questions.append(DOCUMENT_QUESTION.format(title=doc.title))
    return questions[:MAX_EXAMPLES]


def example_questions(components) -> list[str]:
    return _examples(tuple(sorted(components.store.current_versions().items())))
