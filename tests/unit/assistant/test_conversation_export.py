"""A conversation exported to Markdown and DOCX, and one answer copied, with full references."""

from __future__ import annotations

import io

from assistant.conversation_export import answer_text, to_docx, to_markdown
from assistant.conversations import Conversation, Exchange
from assistant.records import Answer, Citation
from ingest.records import Document

CITATION = Citation(n=1, doc="waakvlam.txt", title="Uitstroom uit beschermd wonen", section="Nazorg",
                    page_start=3, page_end=4, text="…", quote="De begeleider blijft een jaar bereikbaar.")
DOCS = {"waakvlam.txt": Document(doc_id="waakvlam.txt", file="waakvlam.txt", title="Uitstroom uit beschermd wonen",
                                 publisher="Platform31", year="2020", content_hash="x")}


def _conversation() -> Conversation:
    answer = Answer(question="Hoe lang?", answer="Volgens de evaluatie:\n- Een jaar bereikbaar [1].",
                    abstained=False, citations=[CITATION])
    refused = Answer(question="Wat kost het?", answer="Dat staat niet in de documenten.", abstained=True)
    return Conversation("abc", "Nazorg", "2026-12-07T20:00:00+00:00", "2026-12-07T20:05:00+00:00",
                        [Exchange("Hoe lang?", answer), Exchange("Wat kost het?", refused)])


def test_copy_gives_the_answer_with_numbered_full_references():
    text = answer_text(_conversation().exchanges[0].answer, DOCS)
    assert text.startswith("Volgens de evaluatie:\n- Een jaar bereikbaar [1].")
    assert ("[1] Uitstroom uit beschermd wonen, Platform31, 2020, Nazorg, p. 3–4, document waakvlam.txt" in text
            and "De begeleider blijft een jaar bereikbaar." in text)


def test_markdown_and_docx_hold_every_question_answer_and_source():
    markdown = to_markdown(_conversation(), DOCS)
    assert markdown.startswith("# Nazorg") and "## Vraag 2: Wat kost het?" in markdown
    assert "1. Uitstroom uit beschermd wonen, Platform31, 2020, Nazorg, p. 3–4" in markdown
    assert "> De begeleider blijft een jaar bereikbaar." in markdown

    from docx import Document as WordDocument

    word = WordDocument(io.BytesIO(to_docx(_conversation(), DOCS)))
    texts = [p.text for p in word.paragraphs]
    assert "Vraag 1: Hoe lang?" in texts and "Een jaar bereikbaar [1]." in texts
    assert any(t.startswith("[1] Uitstroom uit beschermd wonen, Platform31, 2020") for t in texts)
    assert "Dat staat niet in de documenten." in texts and word.core_properties.title == "Nazorg"
