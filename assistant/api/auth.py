"""Bearer-token checks. Maintainer actions always need the token from the settings; without a
configured token they are disabled (403), never open. Reading needs it when `api.protect_reads`."""

from __future__ import annotations

import secrets

from fastapi import Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from assistant.api.errors import ApiError

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="Het token uit de instellingen (`api.token`, omgevingsvariabele WIJKWIJS_API__TOKEN).",
)


def _check(request: Request, credentials: HTTPAuthorizationCredentials | None, what: str) -> None:
    token = request.app.state.wijkwijs.settings.api.token
    if not token:
        raise ApiError(
            403,
            f"{what} is uitgeschakeld: er is geen token ingesteld (WIJKWIJS_API__TOKEN of "
            "[api] token in wijkwijs.toml).",
        )
    given = credentials.credentials if credentials is not None else ""
    if not secrets.compare_digest(given.encode("utf-8"), token.encode("utf-8")):
        raise ApiError(
            401,
            "Geen of een ongeldig token. Stuur de header 'Authorization: Bearer <token>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )


def require_maintainer(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Security(bearer)
) -> None:
    _check(request, credentials, "Beheren (uploaden, vervangen, verwijderen, herindexeren, feedback exporteren)")


def require_reader(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Security(bearer)
) -> None:
    """Only attached to the reading routes when `api.protect_reads` is on."""
    _check(request, credentials, "Lezen")
