"""GET /health, GET /ready and POST /feedback + GET /feedback/export."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from assistant.csv_cells import read_spreadsheet_csv
from assistant.api import create_app
from assistant.feedback import FeedbackStore
from tests.unit.api.conftest import AUTH


def test_health(client):
    assert client.get("/health").json() == {"status": "ok"}


def test_ready_when_store_index_and_model_are_loaded(client):
    r = client.get("/ready")
    assert r.status_code == 200
    assert r.json() | {"detail": ""} == {"ready": True, "store": True, "index": True, "model": True, "documents": 2, "detail": ""}


def test_not_ready_before_the_warm_up(components):
    client = TestClient(create_app(components))  # no `with`: the lifespan (warm-up) never ran
    assert client.get("/health").status_code == 200  # alive all the same
    r = client.get("/ready")
    assert r.status_code == 503
    assert r.json()["ready"] is False and r.json()["store"] is True and r.json()["model"] is False
    assert "laden" in r.json()["detail"]


def test_not_ready_when_the_store_is_unreachable(client, monkeypatch):
    def down():
        raise ConnectionError("Chroma weg")

    monkeypatch.setattr(client.app.state.wijkwijs.components.client, "heartbeat", down)
    r = client.get("/ready")
    assert r.status_code == 503 and r.json()["store"] is False and "niet bereikbaar" in r.json()["detail"]


FEEDBACK = {
    "rating": "down",
    "question": "Hoe lang blijft de begeleider bereikbaar?",
    "answer": "Twee jaar. [1]",
    "comment": "Bron klopt, maar het antwoord is te kort; 'quote' met komma",
    "citations": [{"n": 1, "doc": "waakvlam.txt", "title": "Uitstroom", "text": "…", "quote": "twee jaar"}],
}


def test_feedback_is_stored_durably_and_exportable(client, components):
    r = client.post("/feedback", json=FEEDBACK)
    assert r.status_code == 201 and r.json()["id"] == 1
    assert client.post("/feedback", json={"rating": "up", "question": "Vraag", "answer": "Antwoord"}).json()["id"] == 2
    # Durable: a fresh store on the same file (another process, a restart) sees both.
    rows = FeedbackStore(components.settings.feedback_db).all()
    assert [(row["rating"], row["source"]) for row in rows] == [("down", "api"), ("up", "api")]
    assert rows[0]["citations"][0]["doc"] == "waakvlam.txt"

    r = client.get("/feedback/export", headers=AUTH)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    exported = read_spreadsheet_csv(r.text)
    assert exported[0]["comment"] == FEEDBACK["comment"] and json.loads(exported[0]["citations"])[0]["n"] == 1
    r = client.get("/feedback/export", params={"format": "jsonl"}, headers=AUTH)
    assert [json.loads(line)["rating"] for line in r.text.splitlines()] == ["down", "up"]
    r = client.get("/feedback/export", params={"format": "json"}, headers=AUTH)
    assert [row["id"] for row in r.json()] == [1, 2]
    assert client.get("/feedback/export", params={"format": "xml"}, headers=AUTH).status_code == 422


def test_bad_feedback_is_422(client):
    for body in (
        {**FEEDBACK, "rating": "meh"},
        {k: v for k, v in FEEDBACK.items() if k != "question"},
        {**FEEDBACK, "question": ""},
        {**FEEDBACK, "comment": "x" * 5001},
    ):
        r = client.post("/feedback", json=body)
        assert r.status_code == 422 and isinstance(r.json()["detail"], str)


def test_feedback_store_unit(tmp_path):
    store = FeedbackStore(tmp_path / "sub" / "fb.sqlite3")
    assert store.all() == [] and store.export_csv().startswith("\ufeffid;created_at;rating")
    first = store.add("up", "v", "a", comment=None, citations=None, source="app")
    assert first == 1 and store.all()[0]["source"] == "app" and store.all()[0]["citations"] == []
    import pytest

    with pytest.raises(ValueError):
        store.add("meh", "v", "a")


def test_server_mode_picks_up_changes_made_by_other_processes(client, components, monkeypatch, tmp_path):
    """In server mode another process (a CLI or app elsewhere, with its own data dir) may change
    the knowledge base in the shared Chroma server; the API's own BM25 index catches up within
    SERVER_REFRESH_SECONDS (here: the other writer is a second set of components on the same
    store with another data dir)."""
    from assistant.api import state as state_module
    from assistant.components import Components
    from assistant.library import Library
    from tests.fakes import HashEmbedder
    from tests.unit.api.conftest import NEW_TEXT

    other_settings = components.settings.model_copy(update={"data_dir": tmp_path / "elders"})
    other = Components(other_settings, embedder=HashEmbedder(), untrained=True)
    other.__dict__["client"] = components.client  # the same Chroma store, another process's view
    Library(other).add("buurtkamer.txt", NEW_TEXT)

    query = {"query": "wijkverpleegkundige spreekuur buurtkamer", "limit": 5}
    api_sparse = client.app.state.wijkwijs.components.sparse.index
    assert not any(cid.startswith("buurtkamer.txt") for cid, _ in api_sparse.search(query["query"], k=20))

    monkeypatch.setattr(state_module, "SERVER_REFRESH_SECONDS", 0.0)
    monkeypatch.setattr(components.settings.store, "mode", "server")
    hits = client.post("/search", json=query).json()["results"]
    assert hits[0]["doc"] == "buurtkamer.txt"
    fresh = client.app.state.wijkwijs.components.sparse.index
    assert any(cid.startswith("buurtkamer.txt") for cid, _ in fresh.search(query["query"], k=20))


def test_health_and_ready_run_on_the_event_loop_not_in_the_worker_threads():
    import asyncio

    from assistant.api.routes_service import health, ready

    # sync endpoints wait for one of the shared worker threads; coroutines do not
    assert asyncio.iscoroutinefunction(health) and asyncio.iscoroutinefunction(ready)
