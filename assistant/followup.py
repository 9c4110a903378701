"""Turns a follow-up question into a self-contained search query, without an LLM.

"En waar liep het daar vast?" means nothing to a search engine; with the previous question
("Wat heeft de Proeftuin De Ruwaard in Oss bereikt?") in front of it, it does.
"""

from __future__ import annotations

import re

from assistant.records import Turn

# Words that point back at something said before.
_REFERRING = re.compile(
    r"\b(daar|daarvan|daarbij|daarin|daarmee|die|dat|deze|dit|ze|zij|hun|hen|hij|hem|het project"
    r"|hier|hierbij|er|ook|zelfde|eerste|tweede|laatste|vorige)\b",
    re.IGNORECASE,
)
_FIRST_SENTENCE = re.compile(r"^(.{20,300}?[.!?])(\s|$)", re.DOTALL)


def needs_context(question: str) -> bool:
    words = question.split()
    return len(words) <= 6 or bool(_REFERRING.search(question)) or question.lower().startswith(
        ("en ", "maar ", "ook ")
    )


def _first_sentence(text: str) -> str:
    match = _FIRST_SENTENCE.match(text.strip())
    return match.group(1) if match else text.strip()[:300]


def rewrite_query(question: str, history: list[Turn] | None) -> str:
    """The question, preceded by the last user question and the start of the last answer."""
    if not history or not needs_context(question):
        return question
    last_user = next((t.content for t in reversed(history) if t.role == "user"), "")
    last_answer = next((t.content for t in reversed(history) if t.role == "assistant"), "")
    context = " ".join(part for part in (last_user, _first_sentence(last_answer)) if part)
    return f"{question} {context}".strip()
