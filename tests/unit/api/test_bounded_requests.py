"""What one request can make the server do is bounded: conversation history is read only as far
as a follow-up needs it, oversized turns and feedback citations are refused (422) before any work."""

from __future__ import annotations

import assistant.service as service
from assistant.records import Turn
from assistant.service import MAX_HISTORY_TURNS, MAX_TURN_CHARS, recent_turns
from tests.unit.api.conftest import QUESTION


def test_a_follow_up_reads_only_the_last_turns_each_cut_short():
    history = [{"role": "user" if i % 2 == 0 else "assistant", "content": f"beurt {i} " + "x" * 20_000}
               for i in range(40)]
    turns = recent_turns(history)
    assert len(turns) == MAX_HISTORY_TURNS and turns[-1].content.startswith("beurt 39")
    assert all(len(t.content) == MAX_TURN_CHARS for t in turns)
    assert recent_turns(None) == [] and recent_turns([Turn(role="user", content="kort")])[0].content == "kort"


def test_a_long_conversation_is_answered_with_bounded_work(client, monkeypatch):
    seen = []
    real = service.analyse

    def spy(question, turns=None, *args, **kwargs):
        seen.append([len(t.content) for t in turns or []])
        return real(question, turns, *args, **kwargs)

    monkeypatch.setattr(service, "analyse", spy)
    history = [{"role": "user" if i % 2 == 0 else "assistant", "content": "woorden " * 10_000} for i in range(40)]
    r = client.post("/ask", json={"question": QUESTION, "history": history})
    assert r.status_code == 200
    assert len(seen[-1]) == MAX_HISTORY_TURNS and max(seen[-1]) <= MAX_TURN_CHARS
    messages = history + [{"role": "user", "content": QUESTION}]
    r = client.post("/v1/chat/completions", json={"model": "wijkwijs", "messages": messages[-100:]})
    assert r.status_code == 200 and len(seen[-1]) == MAX_HISTORY_TURNS


def test_oversized_turns_and_feedback_citations_are_refused(client):
    huge = "x" * 150_000
    r = client.post("/ask", json={"question": QUESTION, "history": [{"role": "user", "content": huge}]})
    assert r.status_code == 422
    r = client.post("/v1/chat/completions", json={"model": "wijkwijs", "messages": [
        {"role": "user", "content": huge}, {"role": "user", "content": QUESTION}]})
    assert r.status_code == 422
    citation = {"n": 1, "doc": "waakvlam.txt", "title": "T", "text": "x" * 30_000, "quote": "q"}
    r = client.post("/feedback", json={"rating": "up", "question": "V", "answer": "A", "citations": [citation]})
    assert r.status_code == 422 and isinstance(r.json()["detail"], str)


def test_a_body_too_big_for_its_route_is_413_before_it_is_read(client):
    r = client.post("/search", content=b'{"query": "' + b"x" * 100_000 + b'"}', headers={"content-type": "application/json"})
    assert r.status_code == 413 and "/search" in r.json()["detail"] and "64 KB" in r.json()["detail"]
    big = b'{"question": "waakvlam", "history": [' + b",".join(
        b'{"role": "user", "content": "' + b"y" * 99_000 + b'"}' for _ in range(70)) + b"]}"
    r = client.post("/ask", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "6 MB" in r.json()["detail"]

    def chunks():  # no Content-Length: counted while read
        for _ in range(40):
            yield b"z" * 65536

    r = client.post("/feedback", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_a_question_over_its_time_budget_stops_with_503(make_client):
    client = make_client(request_budget_s=0.000001)
    r = client.post("/ask", json={"question": QUESTION})
    assert r.status_code == 503 and "afgebroken" in r.json()["detail"]
    r = client.post("/v1/chat/completions", json={"model": "wijkwijs", "messages": [{"role": "user", "content": QUESTION}]})
    assert r.status_code == 503 and r.json()["error"]["code"] == 503


def test_work_stops_at_the_next_step_when_the_client_is_gone(components):
    import asyncio

    import pytest

    from assistant.api.routes_assistant import watch_disconnect
    from assistant.budget import Budget, ClientGone

    budget = Budget()
    budget.cancelled.set()  # what the watcher does when the client disconnects
    with pytest.raises(ClientGone):
        components.assistant.ask(QUESTION, budget=budget)

    class Gone:
        async def is_disconnected(self):
            return True

    watched = Budget()
    asyncio.run(watch_disconnect(Gone(), watched, every_s=0))
    assert watched.cancelled.is_set()
