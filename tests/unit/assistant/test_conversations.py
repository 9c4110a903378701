"""Conversations kept in SQLite (assistant/conversations.py): what the app's sidebar and the API read."""

from __future__ import annotations

import pytest

from assistant.conversations import ConversationStore, title_from
from assistant.records import Answer


def _answer(text: str) -> Answer:
    return Answer(question="v", answer=text, abstained=False, citations=[], contexts=[])


def test_a_conversation_keeps_its_exchanges_in_order_across_store_objects(tmp_path):
    store = ConversationStore(tmp_path / "c.sqlite3")
    first = store.create()
    store.add_exchange(first.id, "Hoe werkt een buurtkamer in Zwaag?", _answer("Zo [1]."))
    store.add_exchange(first.id, "En wie betaalt dat?", _answer("De gemeente [2]."))
    again = ConversationStore(tmp_path / "c.sqlite3").get(first.id)  # as after a restart
    assert [e.question for e in again.exchanges] == ["Hoe werkt een buurtkamer in Zwaag?", "En wie betaalt dat?"]
    assert again.exchanges[1].answer.answer == "De gemeente [2]."
    assert again.title == "Hoe werkt een buurtkamer in Zwaag?"  # named by its first question
    assert [t.role for t in again.history()] == ["user", "assistant", "user", "assistant"]


def test_list_rename_rate_and_delete(tmp_path):
    store = ConversationStore(tmp_path / "c.sqlite3")
    old, new = store.create(), store.create()
    store.add_exchange(old.id, "Eerste vraag", _answer("a"))  # used last: listed first
    assert [c.id for c in store.list()] == [old.id, new.id]
    assert store.rename(new.id, "  Mijn   gesprek ") and store.get(new.id).title == "Mijn gesprek"
    with pytest.raises(ValueError):
        store.rename(new.id, "   ")
    assert store.rate(old.id, 0, "down", "mist de kosten")
    assert store.get(old.id).exchanges[0].rating == "down"
    assert store.delete(old.id) and store.get(old.id) is None and not store.delete(old.id)
    assert [c.id for c in store.list()] == [new.id]
    with pytest.raises(KeyError):
        store.add_exchange(old.id, "Nog een", _answer("b"))


def test_a_long_first_question_gives_a_title_cut_at_a_word():
    title = title_from("Welke " + "heel " * 40 + "lange vraag?")
    assert len(title) <= 82 and title.endswith(" …") and "  " not in title
