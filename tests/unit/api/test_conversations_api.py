"""/conversations: the app's stored conversations for other front-ends — list, open, ask within,
rename, delete; a follow-up inside a conversation uses its stored turns."""

from __future__ import annotations

from tests.unit.api.conftest import QUESTION


def test_ask_within_a_conversation_then_reopen_rename_and_delete(client):
    created = client.post("/conversations", json={})
    assert created.status_code == 201 and created.json()["exchanges"] == []
    cid = created.json()["id"]
    first = client.post(f"/conversations/{cid}/ask", json={"question": QUESTION})
    assert first.status_code == 200 and not first.json()["abstained"]
    follow = client.post(f"/conversations/{cid}/ask", json={"question": "En wie betaalt dat?"})
    assert follow.status_code == 200
    assert follow.json()["query"] != "En wie betaalt dat?"  # the stored first turn was the context
    opened = client.get(f"/conversations/{cid}").json()
    assert [e["question"] for e in opened["exchanges"]] == [QUESTION, "En wie betaalt dat?"]
    assert opened["exchanges"][0]["answer"]["citations"] == first.json()["citations"]
    assert opened["title"] == QUESTION  # named by its first question
    assert [c["id"] for c in client.get("/conversations").json()] == [cid]
    assert client.patch(f"/conversations/{cid}", json={"title": "Begeleiding"}).json()["title"] == "Begeleiding"
    assert client.delete(f"/conversations/{cid}").json() == {"id": cid, "deleted": True}
    assert client.get(f"/conversations/{cid}").status_code == 404
    assert client.get("/conversations").json() == []


def test_unknown_conversations_and_bad_input_get_dutch_errors(client):
    missing = client.post("/conversations/bestaatniet/ask", json={"question": QUESTION})
    assert missing.status_code == 404 and "Geen gesprek" in missing.json()["detail"]
    assert client.delete("/conversations/bestaatniet").status_code == 404
    cid = client.post("/conversations", json={"title": "Eigen naam"}).json()["id"]
    assert client.patch(f"/conversations/{cid}", json={"title": ""}).status_code == 422
    assert client.post(f"/conversations/{cid}/ask", json={"question": "😀🏠"}).status_code == 422
    assert client.get(f"/conversations/{cid}").json()["exchanges"] == []  # nothing stored for a refused question
