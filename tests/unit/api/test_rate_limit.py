"""One client cannot take the server's time from the others: a per-client limit per minute on the
expensive routes, 429 with Retry-After beyond it; loopback is exempt unless asked."""

from __future__ import annotations

from assistant.api.limits import RateLimit, limited
from tests.unit.api.conftest import QUESTION


def test_beyond_the_limit_a_client_gets_429_and_others_go_on(make_client):
    client = make_client(rate_limit_per_minute=3)
    for _ in range(3):
        assert client.post("/ask", json={"question": QUESTION}).status_code == 200
    r = client.post("/search", json={"query": "waakvlam"})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert "maximaal 3 per minuut" in r.json()["detail"]
    r = client.post("/v1/chat/completions", json={"model": "wijkwijs", "messages": [{"role": "user", "content": QUESTION}]})
    assert r.status_code == 429 and r.json()["error"]["code"] == 429  # OpenAI's error format under /v1
    assert client.get("/documents").status_code == 200 and client.get("/health").status_code == 200  # cheap: free


def test_the_window_slides_and_loopback_is_exempt_unless_asked():
    now = [0.0]
    limit = RateLimit(app=None, per_minute=2, clock=lambda: now[0])
    assert limit._admit("10.0.0.1") is None and limit._admit("10.0.0.1") is None
    assert limit._admit("10.0.0.1") == 60 and limit._admit("10.0.0.2") is None
    now[0] = 30.0
    assert limit._admit("10.0.0.1") == 30
    now[0] = 60.5
    assert limit._admit("10.0.0.1") is None
    assert limited("POST", "/ask") and limited("PUT", "/documents/x.pdf") and not limited("GET", "/documents")


def test_loopback_clients_are_not_limited_by_default(make_client):
    from fastapi.testclient import TestClient

    client = make_client(rate_limit_per_minute=1)
    # TestClient's address is "testclient": limited; the same app seen from 127.0.0.1 is not

    local = TestClient(client.app, client=("127.0.0.1", 5000))
    for _ in range(3):
        assert local.post("/ask", json={"question": QUESTION}).status_code == 200
