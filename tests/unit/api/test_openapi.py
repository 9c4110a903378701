"""The OpenAPI schema is complete (every endpoint, typed requests and responses, the errors) and
the docs page works offline (no CDN)."""

from __future__ import annotations

import re

ENDPOINTS = {
    ("post", "/ask"), ("post", "/ask/stream"), ("post", "/search"),
    ("get", "/documents"), ("post", "/documents"), ("get", "/documents/{doc_id}"),
    ("put", "/documents/{doc_id}"), ("delete", "/documents/{doc_id}"), ("post", "/reindex"),
    ("get", "/v1/models"), ("post", "/v1/chat/completions"),
    ("get", "/health"), ("get", "/ready"), ("post", "/feedback"), ("get", "/feedback/export"),
    ("get", "/lessons"), ("get", "/cases"), ("get", "/cases/{case_id}"),
    ("get", "/conversations"), ("post", "/conversations"), ("get", "/conversations/{conversation_id}"),
    ("patch", "/conversations/{conversation_id}"), ("delete", "/conversations/{conversation_id}"),
    ("post", "/conversations/{conversation_id}/ask"),
}
MAINTAINER = {("post", "/documents"), ("put", "/documents/{doc_id}"), ("delete", "/documents/{doc_id}"),
              ("post", "/reindex"), ("get", "/feedback/export")}


def test_every_endpoint_is_documented_with_typed_bodies_and_errors(client):
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    found = {(m, p) for p, ops in spec["paths"].items() for m in ops}
    assert found == ENDPOINTS
    for method, path in ENDPOINTS:
        op = spec["paths"][path][method]
        assert op.get("summary"), (method, path)
        ok = op["responses"].get("200") or op["responses"].get("201")
        assert ok and ok["content"], (method, path)
        if "requestBody" in op or op.get("parameters"):
            error = op["responses"]["422"]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/ErrorResponse"}, (method, path)
        if (method, path) in MAINTAINER:
            assert op["security"] == [{"token": []}] and {"401", "403"} <= set(op["responses"])
    upload = spec["paths"]["/documents"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert {"409", "413", "415", "422"} <= set(upload["responses"])
    assert spec["paths"]["/ask"]["post"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Answer"
    }
    assert "text/event-stream" in spec["paths"]["/ask/stream"]["post"]["responses"]["200"]["content"]
    assert "text/event-stream" in spec["paths"]["/v1/chat/completions"]["post"]["responses"]["200"]["content"]
    assert spec["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def test_docs_are_served_without_a_cdn(client):
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        urls = re.findall(r"""(?:src|href)=["']([^"']+)""", html) + re.findall(r"url: *'([^']+)'", html)
        assert urls and all(u.startswith("/") for u in urls), urls
        for url in urls:
            assert client.get(url).status_code == 200, url
