"""The chat's building blocks: the conversation in session state, an answer with its sources,
and feedback per answer. The page script (ui/views/vraag_het.py) puts them together."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator

import streamlit as st

from assistant import dutch_notation as dutch
from assistant.conversation_export import answer_text, to_docx, to_markdown
from assistant.records import Answer, Turn
from ui import facets, resources
from ui.passages import escape_markdown, show_passage, show_section, source_label

CLOSEST = 3  # passages shown as "misschien relevant" when the documents don't answer
_CITATION = re.compile(r"\[(\d+)\]")


# --- the conversation ---------------------------------------------------------------------
# Kept in SQLite (assistant/conversations.py); the open one's id is in the URL (?gesprek=…), so a
# reload, a bookmark or a restart of the app opens it again.

PARAM = "gesprek"


def messages() -> list[dict]:
    """[{role: "user", content}, {role: "assistant", answer: Answer, position}, ...] of the open
    conversation (loaded from the store when the URL names another one than the session holds)."""
    wanted = st.query_params.get(PARAM)
    if st.session_state.get("gesprek_id") != wanted:
        _load(wanted)
    return st.session_state.setdefault("gesprek", [])


def _load(wanted: str | None) -> None:
    stored = resources.conversations().get(wanted) if wanted else None
    if wanted and stored is None:
        del st.query_params[PARAM]  # deleted, or a mistyped link: start empty
        wanted = None
    loaded = []
    for position, ex in enumerate(stored.exchanges if stored else []):
        loaded += [{"role": "user", "content": ex.question},
                   {"role": "assistant", "answer": ex.answer, "position": position, "rating": ex.rating}]
    st.session_state["gesprek"] = loaded
    st.session_state["gesprek_id"] = wanted
    st.session_state["gesprek_nr"] = conversation_id() + 1


def conversation_id() -> int:
    """Changes with every conversation opened, so widget keys of old answers are never reused."""
    return st.session_state.setdefault("gesprek_nr", 0)


def current() -> str | None:
    return st.session_state.get("gesprek_id")


def new_conversation() -> None:
    """Start afresh; the old conversation stays in the list."""
    if PARAM in st.query_params:
        del st.query_params[PARAM]
    _load(None)


def open_conversation(wanted: str) -> None:
    st.query_params[PARAM] = wanted
    _load(wanted)


def remember(question: str, answer: Answer) -> int:
    """Store a question and its answer in the open conversation (started here if none is open);
    returns the exchange's position."""
    store = resources.conversations()
    if current() is None:
        started = store.create(question)
        st.query_params[PARAM] = started.id
        st.session_state["gesprek_id"] = started.id
    position = store.add_exchange(current(), question, answer)
    messages().extend([{"role": "user", "content": question},
                       {"role": "assistant", "answer": answer, "position": position, "rating": None}])
    return position


def history() -> list[Turn]:
    """The conversation so far, as the assistant takes it for follow-up questions."""
    turns = []
    for m in messages():
        text = m["content"] if m["role"] == "user" else m["answer"].answer
        turns.append(Turn(role=m["role"], content=text))
    return turns


def conversation_list() -> None:
    """The sidebar: earlier conversations to reopen, and the open one to rename or delete."""
    store = resources.conversations()
    listed = store.list(limit=30)
    if not listed:
        return
    st.caption("Eerdere gesprekken")
    for conv in listed:
        label = f"{conv.title}  \n{dutch.when(conv.updated_at)}"
        here = conv.id == current()
        if st.button(label, key=f"gesprek-{conv.id}", use_container_width=True, type="primary" if here else "secondary"):
            open_conversation(conv.id)
            st.rerun()
    if current() is None:
        return
    with st.popover("Dit gesprek", icon=":material/edit:", use_container_width=True):
        title = st.text_input("Naam", value=next((c.title for c in listed if c.id == current()), ""),
                              key=f"naam-{current()}")
        if st.button("Naam opslaan", key=f"hernoem-{current()}"):
            try:
                store.rename(current(), title)
                st.rerun()
            except ValueError as exc:
                st.error(str(exc))
        opened = store.get(current())
        if opened is not None and opened.exchanges:
            docs = facets.documents(resources.components())
            name = f"wijkwijs-gesprek-{opened.created_at[:10]}"
            st.download_button("Exporteer als Markdown", to_markdown(opened, docs), f"{name}.md", "text/markdown",
                               key=f"md-{current()}", on_click="ignore", icon=":material/download:")
            st.download_button("Exporteer als Word", to_docx(opened, docs), f"{name}.docx",
                               "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                               key=f"docx-{current()}", on_click="ignore", icon=":material/download:")
        if st.button("Gesprek verwijderen", key=f"verwijder-{current()}", icon=":material/delete:"):
            store.delete(current())
            new_conversation()
            st.rerun()


# --- showing an answer --------------------------------------------------------------------


def source_anchor(key: str, n: int) -> str:
    return f"bron-{key}-{n}"


def answer_markdown(text: str, key: str) -> str:
    """The answer text as Markdown: passage text escaped, each citation number a link that
    scrolls to its source (an anchor above the source, see show_answer)."""
    out = []
    for line in text.split("\n"):
        bullet = line.startswith("- ")
        body = _CITATION.sub(lambda m: f"[**[{m[1]}]**](#{source_anchor(key, int(m[1]))})",
                             escape_markdown(line[2:] if bullet else line))
        # Other lines ("Volgens <titel>:") stand apart: right after a list item they would
        # otherwise continue that item.
        out += [f"- {body}"] if bullet else ["", body, ""]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def citing_points(text: str) -> dict[int, list[int]]:
    """Source number → the numbers of the answer's points (bullets, or lines) that cite it."""
    points: dict[int, list[int]] = {}
    lines = [line for line in text.split("\n") if line.strip()]
    numbered = [line for line in lines if line.startswith("- ")] or lines
    for i, line in enumerate(numbered, 1):
        for n in dict.fromkeys(int(m) for m in _CITATION.findall(line)):
            points.setdefault(n, []).append(i)
    return points


def _points_caption(points: list[int]) -> str:
    if not points:
        return ""
    listed = ", ".join(map(str, points[:-1])) + (f" en {points[-1]}" if len(points) > 1 else str(points[-1]))
    return f"Onderbouwt punt {listed} van het antwoord."


def sources_first(contexts, shown: int = 3) -> str:
    """While an answer is written: the passages it is drawn from, best first."""
    labels = list(dict.fromkeys(source_label(c) for c in contexts))[:shown]
    return "Gezocht in: " + "; ".join(labels) + " …" if labels else "Gezocht in de kennisbank …"


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
    """The answer text (or the plain 'not in the documents'), a copy button, then its sources:
    open, each under an anchor that the answer's [n] links scroll to."""
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
    st.markdown(answer_markdown(answer.answer, key))
    with st.popover("Kopiëren", icon=":material/content_copy:"):
        st.caption("Het antwoord met zijn bronnen; de knop rechtsboven kopieert het.")
        st.code(answer_text(answer, facets.documents(components)), language=None, wrap_lines=True)
    st.caption("Bronnen")
    points = citing_points(answer.answer)
    for cit in answer.citations:
        section_key = f"{key}-sectie-{cit.n}"
        st.html(f'<div id="{source_anchor(key, cit.n)}" class="wijkwijs-anchor"></div>')
        with st.container(border=True, key=f"{key}-bron-{cit.n}"):
            st.markdown(f"**[{cit.n}]** {escape_markdown(source_label(cit))}")
            st.caption(" ".join(x for x in (f"Document: {cit.doc}.", _points_caption(points.get(cit.n, []))) if x))
            show_passage(cit.quote, query)
            show_section(components, cit, query, cit.quote, key=section_key)


def _section_open(section_key: str) -> bool:
    # Streamlit redraws the expander on the toggle's rerun, closed by default: the section the
    # user just asked for would vanish from sight. Keep it open while its toggle is on.
    return bool(st.session_state.get(section_key))


# --- feedback -----------------------------------------------------------------------------


def feedback(settings, message: dict, key: str) -> None:
    """Thumbs up/down; then an optional comment and a send button. One record per answer, also
    kept with the answer in its conversation (so a reopened conversation shows it was given)."""
    answer: Answer = message["answer"]
    sent_key = f"{key}-verstuurd"
    if st.session_state.get(sent_key) or message.get("rating"):
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
        message["rating"] = "up" if rating == 1 else "down"
        if current() is not None and message.get("position") is not None:
            resources.conversations().rate(current(), message["position"], message["rating"], comment.strip() or None)
        st.session_state[sent_key] = True
        st.rerun()
