"""A tiny OpenAI chat-completions server for tests: real HTTP on 127.0.0.1, scripted replies.

    with LLMStub() as stub:
        stub.push(Reply("Het antwoord [1]."))          # next request gets this
        stub.on("MARKER", Reply("…", delay=3))          # or: any request whose last user message holds MARKER
        ... LLMSettings(base_url=stub.base_url) ...
        stub.requests                                   # the JSON bodies received, in order

Non-streaming requests get one JSON completion; `"stream": true` requests get SSE chunks
(`data: {...}`) ending with `data: [DONE]`. A reply's `delay` is slept before anything is sent
(interrupted when the stub stops), so a client timeout can be tested quickly.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    text: str = ""
    delay: float = 0.0
    chunks: list[str] | None = None  # streamed pieces; default: the text split after spaces
    status: int = 200

    def pieces(self) -> list[str]:
        if self.chunks is not None:
            return self.chunks
        words = self.text.split(" ")
        return [w + " " for w in words[:-1]] + [words[-1]] if self.text else []


@dataclass
class LLMStub:
    replies: deque = field(default_factory=deque)
    markers: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                stub.requests.append({"path": self.path, "body": body})
                reply = stub._pick(body)
                if reply.delay and stub._stop.wait(reply.delay):
                    return
                try:
                    if reply.status != 200:
                        self._send_json(reply.status, {"error": {"message": reply.text or "stub error"}})
                    elif body.get("stream"):
                        self._send_stream(body, reply)
                    else:
                        self._send_json(200, _completion(body, reply.text))
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout)

            def _send_json(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _send_stream(self, body: dict, reply: Reply) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                events = [_chunk(body, {"role": "assistant", "content": ""}, None)]
                events += [_chunk(body, {"content": p}, None) for p in reply.pieces()]
                events.append(_chunk(body, {}, "stop"))
                for event in events:
                    self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def push(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def on(self, marker: str, reply: Reply) -> None:
        self.markers[marker] = reply

    def reset(self) -> None:
        self.replies.clear()
        self.markers.clear()
        self.requests.clear()

    def _pick(self, body: dict) -> Reply:
        if self.replies:
            return self.replies.popleft()
        users = [m.get("content") or "" for m in body.get("messages", []) if m.get("role") == "user"]
        last = users[-1] if users else ""
        if not isinstance(last, str):  # content parts
            last = " ".join(p.get("text", "") for p in last if isinstance(p, dict))
        for marker, reply in self.markers.items():
            if marker in last:
                return reply
        return Reply("stub: geen antwoord ingesteld", status=500)

    def start(self) -> LLMStub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> LLMStub:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _completion(body: dict, text: str) -> dict:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "stub"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(body: dict, delta: dict, finish: str | None) -> dict:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": body.get("model", "stub"),
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
