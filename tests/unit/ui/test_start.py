"""Start: the knowledge base at a glance and example questions drawn from it; a question asked
here is answered on Vraag het."""

from __future__ import annotations

def test_the_start_page_shows_what_the_knowledge_base_covers(app):
    at = app.start(None)
    assert at.title[0].value == "wijkwijs"
    shown = {m.label: m.value for m in at.metric}
    documents = app.components.store.documents()
    assert shown["Documenten"] == str(len(documents))
    table = at.dataframe[0].value
    assert sorted(table["Titel"]) == sorted(d.document.title for d in documents)
    examples = [b for b in at.button if b.key and b.key.startswith("start-voorbeeld-")]
    assert len(examples) == len(documents)


def test_a_question_on_the_start_page_is_answered_on_vraag_het(app):
    at = app.start(None)
    at.text_input[0].set_value("Hoe regel je een waakvlamfunctie?").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Vraag het"
    reply = [m for m in at.chat_message if m.name == "assistant"][-1]
    assert any("waakvlam" in m.value.lower() for m in reply.markdown)
