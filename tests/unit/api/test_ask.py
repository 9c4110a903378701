"""POST /ask, POST /ask/stream (Server-Sent Events) and POST /search."""

from __future__ import annotations

import json

import pytest

from tests.unit.api.conftest import QUESTION


def _without_timings(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "timings_ms"}


def test_ask_returns_the_same_answer_json_as_the_cli(client, components):
    r = client.post("/ask", json={"question": QUESTION})
    assert r.status_code == 200
    body = r.json()
    # `wijkwijs ask --json` prints Assistant.ask(...).model_dump_json(): the same fields and values.
    expected = json.loads(components.assistant.ask(QUESTION).model_dump_json())
    assert _without_timings(body) == _without_timings(expected)
    assert set(body["timings_ms"]) == {"retrieve", "compose", "total"}
    assert body["abstained"] is False
    first = body["citations"][0]
    assert first["n"] == 1 and first["doc"] == "waakvlam.txt"
    assert {"title", "case", "section", "page_start", "page_end", "quote"} <= set(first)
    assert "twee jaar" in first["quote"]
    assert "[1]" in body["answer"]


def test_ask_with_filters_and_k(client):
    r = client.post("/ask", json={"question": QUESTION, "filters": {"doc": "wijknetwerk.md"}, "k": 1})
    assert r.status_code == 200
    assert [c["doc"] for c in r.json()["contexts"]] == ["wijknetwerk.md"]
    r = client.post("/ask", json={"question": QUESTION, "filters": {"doc": ["waakvlam.txt", "wijknetwerk.md"]}})
    assert {c["doc"] for c in r.json()["contexts"]} == {"waakvlam.txt", "wijknetwerk.md"}


def test_ask_follow_up_uses_the_history(client):
    history = [
        {"role": "user", "content": "Wat is de waakvlamfunctie bij uitstroom uit beschermd wonen?"},
        {"role": "assistant", "content": "De begeleider blijft bereikbaar."},
    ]
    r = client.post("/ask", json={"question": "En wie betaalt die?", "history": history})
    assert r.status_code == 200
    assert r.json()["query"] != "En wie betaalt die?"  # rewritten with the conversation's subject


def test_empty_question_is_422_with_a_dutch_message(client):
    for question, message in (("", "question: mag niet leeg zijn"), ("   \n ", "de vraag is leeg")):
        r = client.post("/ask", json={"question": question})
        assert r.status_code == 422
        assert message in r.json()["detail"]


def test_too_long_question_is_422(client, components):
    limit = components.settings.api.max_question_chars
    r = client.post("/ask", json={"question": "wonen " * (limit // 6 + 10)})
    assert r.status_code == 422
    assert "te lang" in r.json()["detail"] and str(limit) in r.json()["detail"]
    assert client.post("/ask", json={"question": "w" * limit}).status_code == 200


def test_bad_requests_are_422_json_in_dutch(client):
    cases = [
        ({}, "question: ontbreekt"),
        ({"question": "Wat?", "k": 0}, "k: moet minstens 1 zijn"),
        ({"question": "Wat?", "filters": {"stad": "Hoorn"}}, "filters.stad: onbekend veld"),
        ({"question": 12}, "question: moet tekst zijn"),
    ]
    for body, expected in cases:
        r = client.post("/ask", json=body)
        assert r.status_code == 422, body
        assert expected in r.json()["detail"], r.json()
    r = client.post("/ask", content=b"{kapot", headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and "JSON" in r.json()["detail"]


def _events(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        events.append((fields.get("event"), json.loads(fields["data"])))
    return events


def test_stream_sends_sources_first_then_text_then_the_answer(client, components):
    r = client.post("/ask/stream", json={"question": QUESTION})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = _events(r.text)
    kinds = [k for k, _ in events]
    assert kinds[0] == "sources" and kinds[-1] == "answer"
    assert set(kinds[1:-1]) == {"delta"} and len(kinds) > 3
    sources = events[0][1]
    assert sources["contexts"][0]["doc"] == "waakvlam.txt" and sources["query"] == QUESTION
    final = events[-1][1]
    streamed = "".join(data["text"] for kind, data in events if kind == "delta")
    assert streamed == final["answer"]
    expected = components.assistant.ask(QUESTION)
    assert final["citations"] == [c.model_dump() for c in expected.citations]


def test_stream_rejects_a_bad_question_before_streaming(client):
    r = client.post("/ask/stream", json={"question": " "})
    assert r.status_code == 422 and r.headers["content-type"] == "application/json"
    assert "leeg" in r.json()["detail"]


def test_search_ranks_passages_with_highlights(client):
    r = client.post("/search", json={"query": "waakvlam begeleiding", "limit": 5})
    assert r.status_code == 200
    page = r.json()
    assert page["total"] >= 1 and page["results"][0]["doc"] == "waakvlam.txt"
    top = page["results"][0]
    assert top["rank"] == 1 and top["title"] == "Uitstroom uit beschermd wonen"
    marked = [top["text"][a:b].lower() for a, b in top["highlights"]]
    assert "waakvlamfunctie" in marked and "begeleiding" in marked
    filtered = client.post("/search", json={"query": "waakvlam", "filters": {"doc": "wijknetwerk.md"}}).json()
    assert {r["doc"] for r in filtered["results"]} <= {"wijknetwerk.md"}


def test_search_paging_and_bad_input(client):
    first = client.post("/search", json={"query": "zorg wonen", "limit": 1}).json()
    second = client.post("/search", json={"query": "zorg wonen", "limit": 1, "offset": 1}).json()
    assert first["results"][0]["rank"] == 1 and second["results"][0]["rank"] == 2
    assert first["results"][0]["chunk_id"] != second["results"][0]["chunk_id"]
    assert client.post("/search", json={"query": "   "}).status_code == 422
    assert client.post("/search", json={"query": "zorg", "limit": 0}).status_code == 422


@pytest.mark.parametrize("question", ["😀🏠👵", "?!… ---", "\x00\x07 ?"])
def test_a_question_without_words_is_refused_clearly(client, question):
    r = client.post("/ask", json={"question": question})
    assert r.status_code == 422
    assert "geen woorden" in r.json()["detail"] or "leeg" in r.json()["detail"]


def test_gibberish_gets_not_in_the_documents_and_control_characters_are_dropped(client):
    r = client.post("/ask", json={"question": "asdfgh qwerty zxcvb"})
    assert r.status_code == 200 and r.json()["abstained"] and not r.json()["citations"]
    r = client.post("/ask", json={"question": "Hoe regel je een \x00waakvlamfunctie?\x07"})
    assert r.status_code == 200 and not r.json()["abstained"]


def test_a_lone_surrogate_gets_a_dutch_message(client):
    r = client.post("/ask", content=b'{"question": "\\ud800 waakvlam"}', headers={"content-type": "application/json"})
    assert r.status_code == 422 and "ongeldige Unicode" in r.json()["detail"]
