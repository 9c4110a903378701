"""Vraag het: the chat. Answers stream in; every claim carries its source number."""

from __future__ import annotations

import streamlit as st

from assistant.service import QuestionError
from ui import chat, resources
from ui.examples import example_questions

EMPTY_KB = (
    "De kennisbank is nog leeg. Voeg documenten toe op de pagina Beheer, of voer "
    "`wijkwijs ingest` uit."
)

st.set_page_config(layout="centered")
st.title("Vraag het")
components = resources.components()
conversation = chat.messages()
nr = chat.conversation_id()

with st.sidebar:
    if st.button("Nieuw gesprek", icon=":material/add_comment:", use_container_width=True):
        chat.new_conversation()
        st.rerun()
    conversations_slot = st.container()  # filled last: it lists the conversation this run starts

intro = st.empty()  # the welcome text, filled below unless a question comes in

for i, message in enumerate(conversation):
    with st.chat_message(message["role"]):
        if message["role"] == "user":
            st.markdown(chat.escape_markdown(message["content"]))
        else:
            key = f"g{nr}-a{i}"
            chat.show_answer(components, message["answer"], key)
            chat.feedback(components.settings, message, key)

typed = st.chat_input("Stel je vraag …")
question = typed or st.session_state.pop("vraag_uit_voorbeeld", None)
if not conversation and not question:
    # after the chat input, and only while nobody asks: the examples read every passage once
    # (cached), which must not hold up the input box or the first answer
    with intro.container():
        st.markdown(
            "Stel een vraag over wonen, welzijn en zorg in de wijk. Het antwoord komt letterlijk "
            "uit de rapporten in de kennisbank, met genummerde bronnen. Staat het er niet in, dan "
            "zegt wijkwijs dat eerlijk. Vervolgvragen gebruiken het gesprek tot dan toe."
        )
        st.caption("Probeer bijvoorbeeld:")
        for i, example in enumerate(example_questions(components)):
            if st.button(example, key=f"voorbeeld-{i}"):
                question = example


def answer(question: str) -> None:
    if not resources.ensure_ready():
        return
    if not components.store.documents():
        st.warning(EMPTY_KB)
        return
    try:
        stream = components.assistant.stream(question, history=chat.history())
    except QuestionError as exc:
        st.error(str(exc))
        return
    slot = st.empty()
    with slot.container():
        # the sources are known before any text: say where the answer comes from while it is
        # written (an LLM answerer takes seconds), then the text as it streams in
        st.caption(chat.sources_first(stream.contexts))
        st.write_stream(chat.streamed_text(stream))
    final = stream.answer
    slot.empty()  # the final, checked answer replaces the streamed text
    key = f"g{nr}-a{len(conversation) + 1}"
    chat.remember(question, final)
    chat.show_answer(components, final, key)
    chat.feedback(components.settings, conversation[-1], key)


if question:
    intro.empty()
    with st.chat_message("user"):
        st.markdown(chat.escape_markdown(question))
    with st.chat_message("assistant"):
        answer(question)

with conversations_slot:
    chat.conversation_list()
