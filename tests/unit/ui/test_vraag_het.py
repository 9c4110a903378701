"""Vraag het: ask, follow up, abstain, open a section, give feedback, start over; and the heavy
objects are built once however often the app reruns or switches pages."""

from __future__ import annotations

import re

from ui import resources

WAAKVLAM = "Hoe regel je een waakvlamfunctie?"


def assistant_messages(at):
    return [m for m in at.chat_message if m.name == "assistant"]


def texts(block) -> str:
    return "\n".join(str(x.value) for x in block.markdown)


def ask(at, question: str):
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return assistant_messages(at)[-1]


def test_first_visit_offers_example_questions_drawn_from_the_documents(app):
    at = app.start()
    assert at.title[0].value == "Vraag het"
    examples = [b for b in at.button if b.key and b.key.startswith("voorbeeld-")]
    titles = {d.document.title for d in app.components.store.documents()}
    # one per document of the tiny corpus: its first practice case, or its title
    assert len(examples) == len(titles) and any(t in e.label for e in examples for t in titles)
    assert "Nieuw gesprek" in [b.label for b in at.button]
    examples[0].click().run()
    assert not at.exception, at.exception
    assert assistant_messages(at)[-1].markdown or assistant_messages(at)[-1].info
    assert not [b for b in at.button if b.key and b.key.startswith("voorbeeld-")]  # gone once started


def test_answer_cites_its_sources_with_highlighted_quotes(app):
    at = app.start()
    reply = ask(at, WAAKVLAM)
    body = texts(reply)
    assert "waakvlamfunctie" in body
    # each [n] is a link to the anchor above source n, which is shown open
    link = re.search(r"\[\*\*\[1\]\*\*\]\(#(bron-[\w-]+-1)\)", body)
    assert link, body
    anchors = [h.proto.body for h in reply.get("html")]
    assert any(f'id="{link[1]}"' in a for a in anchors)
    assert any(m.value.startswith("**[1]** Uitstroom uit beschermd wonen") for m in reply.markdown)
    assert any(c.value.startswith("Document: waakvlam.txt. Onderbouwt punt 1") for c in reply.caption)
    assert "<mark>waakvlamfunctie</mark>" in body


def test_follow_up_uses_the_conversation(app):
    at = app.start()
    ask(at, WAAKVLAM)
    reply = ask(at, "En wie betaalt die?")
    # "die" only means the waakvlam through the conversation; the answer says who pays for it.
    assert "gemeente betaalt de waakvlam" in texts(reply)
    history = at.session_state["gesprek"]
    assert [m["role"] for m in history] == ["user", "assistant", "user", "assistant"]
    assert "waakvlam" in history[-1]["answer"].query.lower()


def test_question_outside_the_documents_is_answered_plainly_with_closest_passages(app):
    at = app.start()
    reply = ask(at, "Wat is de hoofdstad van Australië?")
    assert any("geen antwoord" in i.value for i in reply.info)
    assert "Misschien relevant" in texts(reply)
    assert reply.expander, "the closest passages are shown"
    assert "[1]" not in texts(reply)


def test_empty_question_gets_a_dutch_message(app):
    at = app.start()
    at.chat_input[0].set_value("   ").run()
    assert any("vraag is leeg" in e.value for e in at.error)


def test_whole_section_opens_in_context(app):
    at = app.start()
    reply = ask(at, WAAKVLAM)
    assert "▶ de geciteerde passage" not in [c.value for c in reply.caption]
    before = texts(reply).count("De gemeente betaalt de waakvlam")
    reply.toggle[0].set_value(True).run()
    source = assistant_messages(at)[-1]
    assert "▶ de geciteerde passage" in [c.value for c in source.caption]
    assert texts(source).count("De gemeente betaalt de waakvlam") > before  # beyond the quote: the whole passage


def test_feedback_with_comment_is_stored_once(app):
    from assistant.feedback import FeedbackStore

    at = app.start()
    ask(at, WAAKVLAM)
    at.feedback[0].set_value(0).run()  # thumbs down
    at.text_input[0].set_value("Mist de kosten").run()
    next(b for b in at.button if b.label == "Feedback versturen").click().run()
    store = FeedbackStore(app.components.settings.feedback_db)
    (record,) = store.all()
    assert record["rating"] == "down" and record["comment"] == "Mist de kosten" and record["source"] == "ui"
    assert record["question"] == WAAKVLAM and "[1]" in record["answer"]
    assert record["citations"][0]["doc"] == "waakvlam.txt"
    assert any("Bedankt" in c.value for c in at.caption)
    at.run()
    assert len(store.all()) == 1 and not at.feedback  # no second record, no second vote


def test_thumbs_up_without_comment(app):
    from assistant.feedback import FeedbackStore

    at = app.start()
    ask(at, WAAKVLAM)
    at.feedback[0].set_value(1).run()
    next(b for b in at.button if b.label == "Feedback versturen").click().run()
    (record,) = FeedbackStore(app.components.settings.feedback_db).all()
    assert record["rating"] == "up" and record["comment"] is None


def test_new_conversation_starts_over(app):
    at = app.start()
    ask(at, WAAKVLAM)
    next(b for b in at.button if b.label == "Nieuw gesprek").click().run()
    assert not at.chat_message
    assert [b for b in at.button if b.key and b.key.startswith("voorbeeld-")]  # the examples are back
    reply = ask(at, "En wie betaalt die?")  # no earlier turn to lean on now
    assert at.session_state["gesprek"][-1]["answer"].query == "En wie betaalt die?"
    assert reply is not None


def test_reruns_and_page_switches_do_not_rebuild_the_heavy_objects(app):
    at = app.start()
    ask(at, WAAKVLAM)
    first = resources.components()
    for page in ("zoeken", "beheer", "evaluatie", "vraag_het"):
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, at.exception
    at.run()
    ask(at, "En wie betaalt die?")
    assert len(app.built) == 1
    assert resources.components() is first
    assert resources.warmup().ready and resources.warmup().error is None


def test_empty_knowledge_base_says_what_to_do(app):
    for doc in ("waakvlam.txt", "wijknetwerk.md"):
        app.components.indexer.remove(doc)
    at = app.start()
    ask(at, WAAKVLAM)
    assert any("kennisbank is nog leeg" in w.value for w in at.warning)


def test_an_index_built_with_another_model_is_explained(app, monkeypatch):
    from kb.store import ModelMismatchError

    def refuse(*args, **kwargs):
        raise ModelMismatchError("Bouw de index opnieuw met `wijkwijs ingest --rebuild`.")

    monkeypatch.setattr(app.components.retriever, "retrieve", refuse)
    at = app.start()
    ask(at, WAAKVLAM)
    assert any("wijkwijs ingest --rebuild" in e.value for e in at.error)


def _sidebar_conversations(at) -> list:
    return [b for b in at.sidebar.button if b.key and b.key.startswith("gesprek-")]


def test_a_conversation_survives_a_reload_through_its_url(app):
    from streamlit.testing.v1 import AppTest

    from tests.unit.ui.conftest import APP, TIMEOUT

    at = app.start()
    ask(at, WAAKVLAM)
    ask(at, "En wie betaalt die?")
    conversation_id = at.query_params["gesprek"]
    conversation_id = conversation_id[0] if isinstance(conversation_id, list) else conversation_id
    reloaded = AppTest.from_file(str(APP), default_timeout=TIMEOUT)  # a new browser session
    reloaded.query_params["gesprek"] = conversation_id
    reloaded.run().switch_page("views/vraag_het.py").run()
    assert not reloaded.exception, reloaded.exception
    shown = assistant_messages(reloaded)
    assert len(shown) == 2 and "gemeente betaalt de waakvlam" in texts(shown[-1])
    ask(reloaded, "En wie voert die uit?")  # the follow-up still leans on the stored turns
    last = reloaded.session_state["gesprek"][-1]["answer"]
    assert last.query != last.question and len(assistant_messages(reloaded)) == 3


def test_new_conversation_keeps_the_old_one_in_the_sidebar_to_reopen(app):
    at = app.start()
    ask(at, WAAKVLAM)
    next(b for b in at.button if b.label == "Nieuw gesprek").click().run()
    ask(at, "Wat doet een wijknetwerk?")
    listed = _sidebar_conversations(at)
    assert len(listed) == 2 and WAAKVLAM in listed[1].label  # most recent first
    listed[1].click().run()
    assert not at.exception, at.exception
    reply = assistant_messages(at)
    assert len(reply) == 1 and "waakvlam" in texts(reply[0]).lower()
    assert at.session_state["gesprek"][0]["content"] == WAAKVLAM


def test_a_conversation_can_be_renamed_and_deleted(app):
    at = app.start()
    ask(at, WAAKVLAM)
    at.sidebar.text_input(key=f"naam-{at.session_state['gesprek_id']}").set_value("Waakvlam uitzoeken").run()
    next(b for b in at.sidebar.button if b.label == "Naam opslaan").click().run()
    assert "Waakvlam uitzoeken" in _sidebar_conversations(at)[0].label
    next(b for b in at.sidebar.button if b.label == "Gesprek verwijderen").click().run()
    assert not at.exception, at.exception
    assert not _sidebar_conversations(at) and not at.chat_message
    assert app.components is not None and not resources.conversations().list()


def test_feedback_is_kept_with_the_answer_in_its_conversation(app):
    at = app.start()
    ask(at, WAAKVLAM)
    at.feedback[0].set_value(1).run()
    next(b for b in at.button if b.label == "Feedback versturen").click().run()
    (conv,) = resources.conversations().list()
    assert resources.conversations().get(conv.id).exchanges[0].rating == "up"


def test_copy_and_export_give_the_answer_with_its_sources(app, downloads):
    at = app.start()
    reply = ask(at, WAAKVLAM)
    copied = reply.code[0].value  # st.code: its button copies this text
    assert "waakvlam" in copied.lower() and "Bronnen:" in copied and "[1] Uitstroom uit beschermd wonen" in copied
    for button in at.sidebar.get("download_button"):
        assert button.proto.label in ("Exporteer als Markdown", "Exporteer als Word")
    assert len(at.sidebar.get("download_button")) == 2
    markdown = next(data for name, data in downloads.items() if name.endswith(".md")).decode("utf-8")
    assert f"## Vraag 1: {WAAKVLAM}" in markdown and "1. Uitstroom uit beschermd wonen" in markdown
    assert any(name.endswith(".docx") and data.startswith(b"PK") for name, data in downloads.items())


def test_while_an_answer_streams_its_sources_come_first():
    from types import SimpleNamespace

    from ui.chat import sources_first

    contexts = [SimpleNamespace(title="Rapport", doc="r.pdf", case=None, section="Nazorg", page_start=3, page_end=None),
                SimpleNamespace(title="Rapport", doc="r.pdf", case=None, section="Nazorg", page_start=3, page_end=None)]
    assert sources_first(contexts) == "Gezocht in: Rapport — Nazorg, p. 3 …"  # each source once
    assert sources_first([]) == "Gezocht in de kennisbank …"
