"""Example questions drawn from the knowledge base itself: a practice case of each document (or
the document, when it has none), put in one of a few general Dutch question forms. So the
examples fit whatever documents a maintainer has added, and none is written for one corpus."""

from __future__ import annotations

from ui.facets import documents, facets

CASE_QUESTIONS = ("Wat is de aanpak van {case}?", "Wat heeft {case} opgeleverd?", "Wat ging er moeilijk bij {case}?")
DOCUMENT_QUESTION = "Welke lessen trekt “{title}”?"
MAX_EXAMPLES = 4


def example_questions(components) -> list[str]:
    """From the facets (cached per index state): no second pass over the passages."""
    cases = facets(components)["cases_by_doc"]
    questions = []
    for n, doc in enumerate(sorted(documents(components).values(), key=lambda d: d.title.casefold())):
        if cases.get(doc.doc_id):
            questions.append(CASE_QUESTIONS[n % len(CASE_QUESTIONS)].format(case=cases[doc.doc_id][0]))
        else:
            questions.append(DOCUMENT_QUESTION.format(title=doc.title))
    return questions[:MAX_EXAMPLES]
