"""The two event streams described precisely in /openapi.json: each event's name and the JSON
schema of its data (OpenAPI 3.2 `itemSchema`, data as `contentMediaType: application/json` +
`contentSchema`), so clients and schemathesis know what every event holds."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from assistant.api.schemas import ChatCompletionChunk, ErrorResponse, StreamDelta, StreamSources
from assistant.records import Answer

REF = "#/components/schemas/{model}"


def _json_data(schema: dict) -> dict:
    return {"type": "string", "contentMediaType": "application/json", "contentSchema": schema}


def _ref(model: type[BaseModel]) -> dict:
    return {"$ref": REF.format(model=model.__name__)}


def _event(name: str, model: type[BaseModel]) -> dict:
    return {
        "type": "object",
        "required": ["event", "data"],
        "properties": {"event": {"const": name}, "data": _json_data(_ref(model))},
    }


ASK_STREAM = {
    "description": "Server-Sent Events: `sources`, dan `delta` (herhaald), dan `answer` (of `error`).",
    "content": {
        "text/event-stream": {
            "itemSchema": {
                "oneOf": [
                    _event("sources", StreamSources),
                    _event("delta", StreamDelta),
                    _event("answer", Answer),
                    _event("error", ErrorResponse),
                ]
            }
        }
    },
}

CHAT_STREAM_ITEM = {
    "type": "object",
    "required": ["data"],
    "properties": {
        "data": {
            "anyOf": [
                {"type": "string", "const": "[DONE]"},
                _json_data({"anyOf": [_ref(ChatCompletionChunk), _ref(ErrorResponse)]}),
            ]
        }
    },
}


def install(app: FastAPI) -> None:
    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        _, defs = models_json_schema(
            [(m, "serialization") for m in (StreamSources, StreamDelta, ChatCompletionChunk, ErrorResponse, Answer)],
            ref_template=REF,
        )
        for name, schema in defs.get("$defs", {}).items():
            schemas.setdefault(name, schema)
        paths = spec["paths"]
        paths["/ask/stream"]["post"]["responses"]["200"] = ASK_STREAM
        chat = paths["/v1/chat/completions"]["post"]["responses"]["200"]["content"]
        chat["text/event-stream"] = {"itemSchema": CHAT_STREAM_ITEM}
        app.openapi_schema = spec
        return spec

    app.openapi = openapi
