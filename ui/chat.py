"""The chat's building blocks: the conversation in session state, an answer with its sources,
and feedback per answer. The page script (ui/views/vraag_het.py) puts them together."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator

import streamlit as st

from assistant.records import Answer, Turn
from ui.passages import escape_markdown, show_passage, show_section, source_label

EXAMPLE_QUESTIONS = [
    "Hoe regel je een waakvlamfunctie?",
    "Welke partijen maakten in Hoorn de meerjarige prestatieafspraken over leefbaarheid?",
    "Wat is Broodje Casus?",
    "Welke lessen trekt de evaluatie van de woonservicewijken in Amsterdam Zuidoost?",
]
CLOSEST = 3  # passages shown as "misschien relevant" when the documents don't answer
_CITATION = re.compile(r"\[(\d+)\]")


# --- the conversation ---------------------------------------------------------------------


def messages() -> list[dict]:
    """[{role: "user", content}, {role: "assistant", answer: Answer}, ...] of this session."""
    return st.session_state.setdefault("gesprek", [])


def conversation_id() -> int:
    """Changes with every new conversation, so widget keys of old answers are never reused."""
    return st.session_state.setdefault("gesprek_nr", 0)


def new_conversation() -> None:
    st.session_state["gesprek"] = []
    st.session_state["gesprek_nr"] = conversation_id() + 1


def history() -> list[Turn]:
    """The conversation so far, as the assistant takes it for follow-up questions."""
    turns = []
    for m in messages():
        text = m["content"] if m["role"] == "user" else m["answer"].answer
        turns.append(Turn(role=m["role"], content=text))
    return turns


# --- showing an answer --------------------------------------------------------------------


def answer_markdown(text: str) -> str:
    """The answer text as Markdown: passage text escaped, citation numbers in bold."""
    out = []
    for line in text.split("\n"):
        bullet = line.startswith("- ")
        body = _CITATION.sub(r"**[\1]**", escape_markdown(line[2:] if bullet else line))
        # Other lines ("Volgens <titel>:") stand apart: right after a list item they would
        # otherwise continue that item.
        out += [f"- {body}"] if bullet else ["", body, ""]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def streamed_text(pieces: Iterable[str], every_s: float = 0.05) -> Iterator[str]:
    """Streamed text pieces, escaped like `answer_markdown` and sent at most every `every_s`.

    Each piece sent makes the browser render the Markdown again: an extractive answer (ready
    at once, cut in words) goes out in one piece, an LLM's tokens as they come.
    """
    buffer, last = [], time.monotonic()
    for piece in pieces:
        buffer.append(escape_markdown(piece))
        if time.monotonic() - last >= every_s:
            yield "".join(buffer)
            buffer, last = [], time.monotonic()
    if buffer:
        yield "".join(buffer)


def show_answer(components, answer: Answer, key: str) -> None:
    """The answer text (or the plain 'not in the documents'), then one expander per source."""
    for warning in answer.warnings:
        st.warning(warning)
    query = answer.query or answer.question
    if answer.abstained:
        st.info(answer.answer)
        st.markdown("**Misschien relevant**")
        for ctx in answer.closest(CLOSEST):
            section_key = f"{key}-ctx-{ctx.rank}"
            with st.expander(escape_markdown(source_label(ctx)), expanded=_section_open(section_key)):
                st.caption(f"Document: {ctx.doc}")
                show_passage(ctx.text, query)
                show_section(components, ctx, query, None, key=section_key)
        return
    st.markdown(answer_markdown(answer.answer))
    st.caption("Bronnen")
    for cit in answer.citations:
        section_key = f"{key}-sectie-{cit.n}"
        with st.expander(f"[{cit.n}] {escape_markdown(source_label(cit))}", expanded=_section_open(section_key)):
            st.caption(f"Document: {cit.doc}")
            show_passage(cit.quote, query)
            show_section(components, cit, query, cit.quote, key=section_key)


def _section_open(section_key: str) -> bool:
    # Streamlit redraws the expander on the toggle's rerun, closed by default: the section the
    # user just asked for would vanish from sight. Keep it open while its toggle is on.
    return bool(st.session_state.get(section_key))


# --- feedback -----------------------------------------------------------------------------


def feedback(settings, answer: Answer, key: str) -> None:
    """Thumbs up/down; then an optional comment and a send button. One record per answer."""
    sent_key = f"{key}-verstuurd"
    if st.session_state.get(sent_key):
        st.caption("Bedankt voor je feedback.")
        return
    rating = st.feedback("thumbs", key=f"{key}-duim")
    if rating is None:
        return
    comment = st.text_input(
        "Toelichting (optioneel)", key=f"{key}-toelichting", placeholder="Wat was goed of wat ontbrak?"
    )
    if st.button("Feedback versturen", key=f"{key}-verstuur"):
        from assistant.feedback import FeedbackStore

        FeedbackStore(settings.feedback_db).add(
            "up" if rating == 1 else "down",
            answer.question,
            answer.answer,
            comment=comment.strip() or None,
            citations=[c.model_dump() for c in answer.citations],
            source="ui",
        )
        st.session_state[sent_key] = True
        st.rerun()
