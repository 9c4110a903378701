"""Reading can be token-protected, CORS is closed unless configured, errors never leak a trace."""

from __future__ import annotations

from tests.unit.api.conftest import AUTH, QUESTION

READS = [
    ("post", "/ask", {"json": {"question": QUESTION}}),
    ("post", "/ask/stream", {"json": {"question": QUESTION}}),
    ("post", "/search", {"json": {"query": "waakvlam"}}),
    ("get", "/documents", {}),
    ("get", "/documents/waakvlam.txt", {}),
    ("post", "/feedback", {"json": {"rating": "up", "question": "v", "answer": "a"}}),
    ("get", "/v1/models", {}),
    ("post", "/v1/chat/completions", {"json": {"model": "wijkwijs", "messages": [{"role": "user", "content": QUESTION}]}}),
]


def test_reads_are_open_by_default(client):
    for method, path, kwargs in READS:
        assert getattr(client, method)(path, **kwargs).status_code < 300, path


def test_reads_can_be_token_protected(make_client):
    client = make_client(protect_reads=True)
    for method, path, kwargs in READS:
        r = getattr(client, method)(path, **kwargs)
        assert r.status_code == 401, path
        assert getattr(client, method)(path, headers=AUTH, **kwargs).status_code < 300, path
    assert client.get("/health").status_code == 200  # liveness stays open
    spec = client.get("/openapi.json").json()
    assert spec["paths"]["/ask"]["post"]["security"] == [{"token": []}]


def test_protected_reads_without_a_token_are_disabled_not_open(make_client):
    client = make_client(protect_reads=True, token=None)
    r = client.post("/ask", json={"question": QUESTION}, headers=AUTH)
    assert r.status_code == 403


def test_cors_is_closed_by_default_and_configurable(client, make_client):
    preflight = {"Origin": "https://intranet.example", "Access-Control-Request-Method": "POST"}
    r = client.options("/ask", headers=preflight)
    assert "access-control-allow-origin" not in r.headers
    r = client.post("/ask", json={"question": QUESTION}, headers={"Origin": "https://intranet.example"})
    assert "access-control-allow-origin" not in r.headers

    open_client = make_client(cors_origins=["https://intranet.example"])
    r = open_client.options("/ask", headers=preflight | {"Access-Control-Request-Headers": "authorization"})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "https://intranet.example"
    r = open_client.options("/ask", headers=preflight | {"Origin": "https://elders.example"})
    assert r.headers.get("access-control-allow-origin") != "https://elders.example"


def test_unexpected_errors_are_json_without_a_stack_trace(make_client, monkeypatch):
    client = make_client()
    assistant = client.app.state.wijkwijs.components.assistant

    def broken(*args, **kwargs):
        raise RuntimeError("interne details /geheim/pad.py regel 12")

    monkeypatch.setattr(assistant, "ask", broken)
    r = client.post("/ask", json={"question": QUESTION})
    assert r.status_code == 500 and r.headers["content-type"] == "application/json"
    assert r.json() == {"detail": "Er ging iets mis in de server; de fout is gelogd."}
    assert "Traceback" not in r.text and "geheim" not in r.text


def test_an_unreachable_store_is_503(make_client, monkeypatch):
    import httpx

    client = make_client()
    retriever = client.app.state.wijkwijs.components.retriever

    def unreachable(*args, **kwargs):
        raise httpx.ConnectError("Connection refused")

    monkeypatch.setattr(retriever, "candidates", unreachable)
    r = client.post("/ask", json={"question": QUESTION})
    assert r.status_code == 503 and "Chroma" in r.json()["detail"]


def test_unknown_paths_and_methods_are_dutch_json(client):
    r = client.get("/bestaat-niet")
    assert r.status_code == 404 and r.json() == {"detail": "Niet gevonden."}
    r = client.delete("/ask")
    assert r.status_code == 405 and r.json()["detail"].startswith("Deze methode") and "POST" in r.headers["allow"]
