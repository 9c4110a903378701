"""The OpenAI endpoint says what it cannot do, in OpenAI's error format, instead of ignoring it."""

from __future__ import annotations

import pytest

from tests.unit.api.conftest import QUESTION

MESSAGES = [{"role": "user", "content": QUESTION}]


def test_an_unknown_model_is_404_in_openai_format(client):
    r = client.post("/v1/chat/completions", json={"model": "gpt-4o", "messages": MESSAGES})
    assert r.status_code == 404
    error = r.json()["error"]
    assert "gpt-4o" in error["message"] and "wijkwijs" in error["message"] and error["code"] == 404


@pytest.mark.parametrize("extra, words", [
    ({"n": 3}, "één antwoord"),
    ({"tools": [{"type": "function", "function": {"name": "f"}}]}, "geen tools"),
    ({"response_format": {"type": "json_object"}}, "response_format"),
])
def test_options_wijkwijs_cannot_honour_are_400(client, extra, words):
    r = client.post("/v1/chat/completions", json={"model": "wijkwijs", "messages": MESSAGES, **extra})
    assert r.status_code == 400 and words in r.json()["error"]["message"]
    assert r.json()["error"]["type"] == "invalid_request_error"


def test_what_it_can_honour_still_works(client):
    body = {"model": "wijkwijs", "messages": MESSAGES, "n": 1, "response_format": {"type": "text"}, "temperature": 0}
    r = client.post("/v1/chat/completions", json=body)
    assert r.status_code == 200 and r.json()["choices"][0]["message"]["content"]
