"""GET /v1/models and POST /v1/chat/completions (OpenAI-compatible, also streaming)."""

from __future__ import annotations

import json

from tests.unit.api.conftest import QUESTION


def _chat(client, messages, **extra):
    return client.post("/v1/chat/completions", json={"model": "wijkwijs", "messages": messages, **extra})


def test_models_lists_wijkwijs(client):
    body = client.get("/v1/models").json()
    assert body["object"] == "list"
    assert [(m["id"], m["object"]) for m in body["data"]] == [("wijkwijs", "model")]


def test_completion_text_has_numbers_and_a_sources_list(client, components):
    r = _chat(client, [{"role": "system", "content": "Je bent behulpzaam."}, {"role": "user", "content": QUESTION}])
    assert r.status_code == 200
    body = r.json()
    assert body["object"] == "chat.completion" and body["model"] == "wijkwijs"
    content = body["choices"][0]["message"]["content"]
    assert body["choices"][0]["finish_reason"] == "stop" and body["choices"][0]["message"]["role"] == "assistant"
    expected = components.assistant.ask(QUESTION)
    assert content.startswith(expected.answer)
    assert "\n\nBronnen:\n[1] Uitstroom uit beschermd wonen" in content
    assert body["citations"] == [c.model_dump() for c in expected.citations]  # the structured extra field
    assert body["abstained"] is False and body["usage"]["total_tokens"] > 0


def test_abstained_answer_lists_the_closest_passages(client):
    r = _chat(client, [{"role": "user", "content": "Hoeveel kost een ruimtereis naar Mars precies?"}])
    body = r.json()
    assert body["abstained"] is True and body["citations"] == []
    assert "Misschien relevant:\n- " in body["choices"][0]["message"]["content"]


def test_content_parts_and_history(client):
    history_answer = "De begeleider blijft bereikbaar. [1]\n\nBronnen:\n[1] Uitstroom uit beschermd wonen"
    messages = [
        {"role": "user", "content": [{"type": "text", "text": "Wat is de waakvlamfunctie bij beschermd wonen?"}]},
        {"role": "assistant", "content": history_answer},
        {"role": "user", "content": [{"type": "text", "text": "En wie betaalt die?"}]},
    ]
    r = _chat(client, messages)
    assert r.status_code == 200
    assert r.json()["choices"][0]["message"]["content"]


def test_last_message_must_be_a_user_question(client):
    r = _chat(client, [{"role": "user", "content": "Vraag"}, {"role": "assistant", "content": "Antwoord"}])
    assert r.status_code == 422
    assert "gebruiker" in r.json()["detail"] and r.json()["error"]["message"] == r.json()["detail"]
    r = _chat(client, [{"role": "user", "content": "   "}])
    assert r.status_code == 422 and "leeg" in r.json()["error"]["message"]
    assert _chat(client, []).status_code == 422
    r = client.post("/v1/chat/completions", json={"messages": [{"role": "robot", "content": "x"}]})
    assert r.status_code == 422 and r.json()["error"]["type"] == "invalid_request_error"


def _stream_events(text: str) -> list:
    assert text.endswith("data: [DONE]\n\n")
    events = []
    for block in text.strip().split("\n\n"):
        assert block.startswith("data: ")
        payload = block[len("data: "):]
        events.append(payload if payload == "[DONE]" else json.loads(payload))
    return events


def test_streaming_completion(client, components):
    r = _chat(client, [{"role": "user", "content": QUESTION}], stream=True, stream_options={"include_usage": True})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = _stream_events(r.text)
    assert events[-1] == "[DONE]"
    chunks = events[:-1]
    assert all(c["object"] == "chat.completion.chunk" and c["id"] == chunks[0]["id"] for c in chunks)
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
    expected = components.assistant.ask(QUESTION)
    assert text.startswith(expected.answer) and "\n\nBronnen:\n[1] " in text
    finish = [c for c in chunks if c["choices"] and c["choices"][0]["finish_reason"] == "stop"]
    assert len(finish) == 1 and finish[0]["citations"] == [c.model_dump() for c in expected.citations]
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] > 0


def test_streaming_rejects_bad_input_before_the_stream(client):
    r = _chat(client, [{"role": "user", "content": ""}], stream=True)
    assert r.status_code == 422 and r.headers["content-type"] == "application/json"


def test_unknown_v1_path_is_an_openai_style_404(client):
    r = client.get("/v1/embeddings")
    assert r.status_code == 404 and r.json()["error"]["type"] == "not_found_error"
