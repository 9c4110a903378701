"""The HTTP API (FastAPI): `create_app(components)`; started by `wijkwijs serve`."""

from assistant.api.app import create_app

__all__ = ["create_app"]
