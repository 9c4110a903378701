"""A conversation, or one answer, as text to keep: plain text (copy), Markdown and Word (DOCX),
each answer with its numbered sources in full (title, publisher, year, case, section, pages,
the quoted sentences). Used by the app's copy and export buttons; no Streamlit in here."""

from __future__ import annotations

import io

from assistant.catalogue_export import Documents, source_reference
from assistant.conversations import Conversation
from assistant.dutch_notation import when
from assistant.records import Answer


def answer_text(answer: Answer, documents: Documents) -> str:
    """The answer as plain text with its numbered sources below: what the copy button gives."""
    lines = [answer.answer.strip()]
    if answer.citations and not answer.abstained:
        lines += ["", "Bronnen:"]
        lines += [f"[{c.n}] {source_reference(c, documents)}\n    “{c.quote}”" for c in answer.citations]
    return "\n".join(lines)


def to_markdown(conversation: Conversation, documents: Documents) -> str:
    lines = [f"# {conversation.title}", "", f"Gesprek met wijkwijs, {when(conversation.created_at)}."]
    for n, ex in enumerate(conversation.exchanges, 1):
        lines += ["", f"## Vraag {n}: {ex.question}", "", ex.answer.answer.strip()]
        if ex.answer.citations and not ex.answer.abstained:
            lines += ["", "**Bronnen**", ""]
            lines += [f"{c.n}. {source_reference(c, documents)}  \n   > {c.quote}" for c in ex.answer.citations]
    return "\n".join(lines) + "\n"


def to_docx(conversation: Conversation, documents: Documents) -> bytes:
    """Word document: a heading per question, the answer's lines, its sources as a numbered list."""
    from docx import Document as WordDocument

    word = WordDocument()
    word.core_properties.title = conversation.title
    word.core_properties.author = "wijkwijs"
    word.add_heading(conversation.title, level=1)
    word.add_paragraph(f"Gesprek met wijkwijs, {when(conversation.created_at)}.")
    for n, ex in enumerate(conversation.exchanges, 1):
        word.add_heading(f"Vraag {n}: {ex.question}", level=2)
        for line in ex.answer.answer.strip().split("\n"):
            if line.startswith("- "):
                word.add_paragraph(line[2:], style="List Bullet")
            elif line.strip():
                word.add_paragraph(line)
        if ex.answer.citations and not ex.answer.abstained:
            word.add_heading("Bronnen", level=3)
            for c in ex.answer.citations:
                item = word.add_paragraph(f"[{c.n}] {source_reference(c, documents)}")
                item.add_run(f"\n“{c.quote}”").italic = True
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
