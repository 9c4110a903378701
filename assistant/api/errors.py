"""Every error leaves the API as JSON `{"detail": "<Dutch message>"}`, never as a stack trace.

Under /v1 (the OpenAI-compatible part) the body also carries OpenAI's `error` object, so the
`openai` SDK and chat front-ends show the message.
"""

from __future__ import annotations

import http
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.api.schemas import ErrorResponse

log = logging.getLogger("wijkwijs.api")


class ApiError(Exception):
    """An error with a status and a Dutch message for people."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


# Starlette's own messages (404 for an unknown path, 405, ...) in Dutch.
_STANDARD = {
    400: "Ongeldige aanvraag.",
    401: "Niet ingelogd: een geldig token is nodig.",
    403: "Geen toegang.",
    404: "Niet gevonden.",
    405: "Deze methode is hier niet toegestaan.",
    413: "De aanvraag is te groot.",
    415: "Dit inhoudstype wordt niet ondersteund.",
    500: "Er ging iets mis in de server; de fout is gelogd.",
}

_OPENAI_TYPES = {401: "authentication_error", 403: "permission_error", 404: "not_found_error"}


def error_body(status: int, message: str, path: str = "") -> dict:
    body: dict = {"detail": message}
    if path.startswith("/v1/"):
        kind = _OPENAI_TYPES.get(status, "invalid_request_error" if status < 500 else "server_error")
        body["error"] = {"message": message, "type": kind, "code": status}
    return body


def error_response(request: Request, status: int, message: str, headers=None) -> JSONResponse:
    return JSONResponse(error_body(status, message, request.url.path), status_code=status, headers=headers)


# pydantic's error types, said in Dutch (others keep pydantic's English text).
def _dutch(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    messages = {
        "missing": "ontbreekt",
        "extra_forbidden": "onbekend veld",
        "string_type": "moet tekst zijn",
        "string_too_short": "mag niet leeg zijn" if ctx.get("min_length") == 1 else f"te kort (minimaal {ctx.get('min_length')} tekens)",
        "string_too_long": f"te lang (maximaal {ctx.get('max_length')} tekens)",
        "int_type": "moet een geheel getal zijn",
        "int_parsing": "moet een geheel getal zijn",
        "int_from_float": "moet een geheel getal zijn",
        "bool_type": "moet true of false zijn",
        "bool_parsing": "moet true of false zijn",
        "list_type": "moet een lijst zijn",
        "too_short": f"te weinig elementen (minimaal {ctx.get('min_length')})",
        "too_long": f"te veel elementen (maximaal {ctx.get('max_length')})",
        "model_type": "moet een object zijn",
        "model_attributes_type": "moet een object zijn",
        "dict_type": "moet een object zijn",
        "literal_error": f"moet een van deze waarden zijn: {ctx.get('expected')}",
        "greater_than_equal": f"moet minstens {ctx.get('ge')} zijn",
        "less_than_equal": f"mag hoogstens {ctx.get('le')} zijn",
        "json_invalid": "geen geldige JSON",
        "json_type": "geen geldige JSON",
        "none_required": "moet leeg (null) zijn",
        "string_unicode": "geen geldige tekst (ongeldige Unicode, bijv. een losse surrogaat)",
    }
    if kind == "value_error" and "UploadFile" in str(error.get("msg", "")):
        return "moet een bestand zijn (multipart/form-data met een bestand), geen tekst"
    if kind not in messages:
        return "ongeldige waarde"  # pydantic's other texts are English; the field is named anyway
    return messages[kind]


def validation_message(errors: list[dict]) -> str:
    parts = []
    for error in errors[:5]:
        loc = [str(x) for x in error.get("loc", ()) if x not in ("body", "query", "path", "header")]
        where = ".".join(loc) or "de aanvraag"
        parts.append(f"{where}: {_dutch(error)}")
    more = f" (en nog {len(errors) - 5})" if len(errors) > 5 else ""
    return "Ongeldige aanvraag: " + "; ".join(parts) + more + "."


def _is_unreachable_store(exc: BaseException) -> bool:
    """Connection trouble with the Chroma server (server mode): 503, not 500."""
    import httpx

    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, (ConnectionError, httpx.TransportError)):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


# English texts Starlette and FastAPI put in their own HTTPExceptions.
_ENGLISH = {"There was an error parsing the body", "Not authenticated", "Content Too Large"}


def _http_message(exc: StarletteHTTPException) -> str:
    """Our own HTTPExceptions carry Dutch text; the framework's standard phrases are replaced."""
    detail = exc.detail if isinstance(exc.detail, str) else ""
    try:
        phrase = http.HTTPStatus(exc.status_code).phrase
    except ValueError:
        phrase = ""
    if not detail or detail == phrase or detail in _ENGLISH:
        return _STANDARD.get(exc.status_code, detail or "Fout.")
    return detail


def install(app: FastAPI) -> None:
    from assistant.budget import ClientGone, OverBudget
    from assistant.library import UploadError
    from assistant.search import SearchError
    from assistant.service import QuestionError
    from kb.store import ModelMismatchError

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(request, exc.status, exc.message, exc.headers)

    @app.exception_handler(UploadError)
    async def _upload_error(request: Request, exc: UploadError):
        return error_response(request, exc.status, exc.message)

    @app.exception_handler(OverBudget)
    async def _over_budget(request: Request, exc: OverBudget):
        return error_response(request, 503, str(exc))

    @app.exception_handler(ClientGone)
    async def _client_gone(request: Request, exc: ClientGone):  # nobody reads this any more
        return error_response(request, 503, "De client is weggegaan; de vraag is afgebroken.")

    @app.exception_handler(QuestionError)
    async def _question_error(request: Request, exc: QuestionError):
        return error_response(request, 422, str(exc))

    @app.exception_handler(SearchError)
    async def _search_error(request: Request, exc: SearchError):
        return error_response(request, 422, str(exc))

    @app.exception_handler(ModelMismatchError)
    async def _model_mismatch(request: Request, exc: ModelMismatchError):
        return error_response(request, 503, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return error_response(request, 422, validation_message(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 400:
            # Only the framework raises a plain 400 (unreadable JSON or multipart body); bad
            # input is 422 everywhere in this API.
            return error_response(request, 422, "Ongeldige aanvraag: de inhoud kan niet gelezen worden (geen geldige JSON of formulier).")
        return error_response(request, exc.status_code, _http_message(exc), getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        if _is_unreachable_store(exc):
            log.warning("Opslag niet bereikbaar bij %s: %r", request.url.path, exc)
            return error_response(
                request, 503, "De opslag (Chroma) is niet bereikbaar. Draait de Chroma-server?"
            )
        log.exception("Onverwachte fout bij %s %s", request.method, request.url.path)
        return error_response(request, 500, _STANDARD[500])


def responses(*codes: int, explicit_json: bool = False) -> dict:
    """OpenAPI entries for the error statuses a route can answer with. `explicit_json` for a
    route whose own media type is not JSON (SSE): its errors are still JSON."""
    described = {
        400: "Een optie die wijkwijs niet kan uitvoeren (bijv. n > 1, tools, een JSON-antwoordformaat).",
        401: "Geen of een ongeldig token.",
        403: "Deze actie is uitgeschakeld (geen token ingesteld).",
        404: "Niet gevonden (of een onbekend model).",
        409: "Conflict met een bestaand document.",
        413: "Het bestand of de aanvraag is te groot.",
        429: "Te veel aanvragen van dit adres in een minuut (zie de header Retry-After).",
        415: "Bestandstype niet ondersteund of inhoud past niet bij de extensie.",
        422: "Ongeldige invoer (bijv. lege of te lange vraag, onleesbaar bestand).",
        500: "Onverwachte fout in de server.",
        503: "Niet beschikbaar: opslag onbereikbaar of index met een ander model gebouwd.",
    }
    if explicit_json:
        schema = {"$ref": "#/components/schemas/ErrorResponse"}  # registered by the other routes
        return {
            code: {"description": described[code], "content": {"application/json": {"schema": schema}}}
            for code in codes
        }
    return {code: {"model": ErrorResponse, "description": described[code]} for code in codes}
