"""The FastAPI app: `create_app(components)` wires routers, errors, auth, CORS and limits.

`wijkwijs serve` runs it with uvicorn; tests pass components with a fake embedder.
"""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.api import errors, openapi_streams
from assistant.api.auth import MAINTAIN, auth_failure, require_reader
from assistant.api.errors import error_body
from assistant.api.limits import RateLimit
from assistant.api.routes_assistant import router as assistant_router
from assistant.api.routes_catalogue import router as catalogue_router
from assistant.api.routes_conversations import router as conversations_router
from assistant.api.routes_documents import maintain_router, read_router
from assistant.api.routes_openai import router as openai_router
from assistant.api.routes_service import export_router, feedback_router, health_router
from assistant.api.state import ApiState
from assistant.components import Components
from assistant.upload_checks import upload_limit_bytes

log = logging.getLogger("wijkwijs.api")

DESCRIPTION = """Vragen stellen aan en zoeken in de kennisbank over wonen, welzijn en zorg in de wijk,
met genummerde bronnen; de documenten beheren; en een OpenAI-compatibele chat (`/v1`), zodat
chat-front-ends en de `openai`-SDK wijkwijs als "model" kunnen gebruiken.

Beheeracties (uploaden, vervangen, verwijderen, herindexeren, feedback exporteren) vragen het
token uit de instellingen (`Authorization: Bearer <token>`); zonder ingesteld token zijn ze
uitgeschakeld. Fouten zijn JSON: `{"detail": "<uitleg in het Nederlands>"}`."""

# Multipart framing around the file itself; the exact file-size check is the library's.
MULTIPART_SLACK = 64 * 1024


class UploadAuthGuard:
    """Checks the token of an upload before one byte of its body is read: a client without the
    token cannot make the server take in 50 MB first (the route's own check comes after the body)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("POST", "PUT") and scope["path"].startswith("/documents"):
            header = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
            given = header[7:].strip() if header[:7].lower() == "bearer " else ""
            failure = auth_failure(scope["app"].state.wijkwijs.settings.api.token, given, MAINTAIN)
            if failure is not None:
                headers = {**(failure.headers or {}), "Connection": "close"}
                response = JSONResponse(error_body(failure.status, failure.message), status_code=failure.status,
                                        headers=headers)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


# The largest body each route has a use for: its schema's caps (50 turns of 100,000 characters,
# 100 chat messages, an answer with 50 citations) with room to spare; any other route 64 KB.
BODY_LIMITS = {"/ask": 6, "/ask/stream": 6, "/v1/chat/completions": 12, "/feedback": 2, "/search": 0.0625}
OTHER_BODY_MB = 0.0625


class BodySizeGuard:
    """Refuses a body that is too big for its route before it is read (by Content-Length), and
    stops reading one without Content-Length as soon as it passes the limit: 413 either way.
    Uploads (/documents) may be `api.max_upload_mb`."""

    def __init__(self, app: ASGIApp, max_upload_bytes: int) -> None:
        self.app = app
        self.max_upload_bytes = max_upload_bytes

    def _limit(self, path: str) -> tuple[int, str]:
        if path.startswith("/documents"):
            mb = self.max_upload_bytes / 1_000_000  # upload MB are decimal (assistant/upload_checks.py)
            return self.max_upload_bytes + MULTIPART_SLACK, f"Het bestand is te groot (maximaal {mb:g} MB)."
        mb = BODY_LIMITS.get(path, OTHER_BODY_MB)
        size = f"{mb:g} MB" if mb >= 1 else f"{mb * 1024:g} KB"
        return int(mb * 1024 * 1024), f"De aanvraag is te groot voor {path} (maximaal {size})."

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        limit, message = self._limit(scope["path"])
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await JSONResponse(error_body(413, message, scope["path"]), status_code=413,
                               headers={"Connection": "close"})(scope, receive, send)
            return
        seen = 0

        async def counted() -> dict:
            nonlocal seen
            event = await receive()
            seen += len(event.get("body", b""))
            if seen > limit:
                raise HTTPException(413, message)  # reaches errors' handler: JSON 413
            return event

        await self.app(scope, counted, send)


def create_app(components: Components) -> FastAPI:
    from fastapi_offline import FastAPIOffline

    settings = components.settings
    state = ApiState(components)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        threading.Thread(target=state.warm_up, name="wijkwijs-warm-up", daemon=True).start()
        yield

    # FastAPIOffline serves /docs and /redoc from files in the package: no CDN, works offline.
    app = FastAPIOffline(
        title="wijkwijs",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        static_url="/docs-static",
    )
    app.state.wijkwijs = state
    errors.install(app)

    reader = [Depends(require_reader)] if settings.api.protect_reads else []
    reader_errors = errors.responses(401, 403) if settings.api.protect_reads else {}
    app.include_router(health_router)
    for router in (assistant_router, conversations_router, read_router, catalogue_router, feedback_router,
                   openai_router):
        app.include_router(router, dependencies=reader, responses=reader_errors)
    app.include_router(maintain_router)
    app.include_router(export_router)
    openapi_streams.install(app)

    app.add_middleware(BodySizeGuard, max_upload_bytes=upload_limit_bytes(settings.api.max_upload_mb))
    app.add_middleware(UploadAuthGuard)  # runs before the size guard reads
    app.add_middleware(RateLimit, per_minute=settings.api.rate_limit_per_minute,  # runs first
                       loopback=settings.api.rate_limit_loopback)
    if settings.api.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.api.cors_origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    return app


def app_from_settings() -> FastAPI:
    """For `uvicorn --factory` (several workers): every worker builds its own components."""
    from assistant.settings import Settings

    return create_app(Components(Settings()))
