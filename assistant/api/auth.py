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


MAINTAIN = "Beheren (uploaden, vervangen, verwijderen, herindexeren, feedback exporteren)"


def auth_failure(token: str | None, given: str, what: str) -> ApiError | None:
    """The refusal for a token `given` where `token` is needed, or None when it is the right one."""
    if not token:
        return ApiError(
            403,
            f"{what} is uitgeschakeld: er is geen token ingesteld (WIJKWIJS_API__TOKEN of "
            "[api] token in wijkwijs.toml).",
        )
    if not secrets.compare_digest(given.encode("utf-8"), token.encode("utf-8")):
        return ApiError(
            401,
            "Geen of een ongeldig token. Stuur de header 'Authorization: Bearer <token>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return None


def _check(request: Request, credentials: HTTPAuthorizationCredentials | None, what: str) -> None:
    given = credentials.credentials if credentials is not None else ""
    failure = auth_failure(request.app.state.wijkwijs.settings.api.token, given, what)
    if failure is not None:
        raise failure


def require_maintainer(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Security(bearer)
) -> None:
    _check(request, credentials, MAINTAIN)


def require_reader(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Security(bearer)
) -> None:
    """Only attached to the reading routes when `api.protect_reads` is on."""
    _check(request, credentials, "Lezen")
