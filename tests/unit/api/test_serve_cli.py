"""`wijkwijs serve`: starts uvicorn with the app on the host and port from the settings."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from assistant import cli


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("WIJKWIJS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WIJKWIJS_CORPUS_DIR", str(tmp_path / "corpus"))
    monkeypatch.setenv("WIJKWIJS_EMBEDDING__MODEL", "fake-hash-64")
    monkeypatch.setenv("WIJKWIJS_CONFIG", str(tmp_path / "geen.toml"))
    # OMP_NUM_THREADS too: serve sets it, and monkeypatch puts the test process's value back.
    for name in ("WIJKWIJS_API__HOST", "WIJKWIJS_API__PORT", "WIJKWIJS_API__TOKEN", "WIJKWIJS_STORE__MODE", "OMP_NUM_THREADS"):
        monkeypatch.delenv(name, raising=False)


def test_serve_runs_uvicorn_with_the_app(env, monkeypatch):
    import uvicorn
    from fastapi import FastAPI

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    result = CliRunner().invoke(cli.app, ["serve"])
    assert result.exit_code == 0, result.output
    [(app, kw)] = calls
    assert isinstance(app, FastAPI) and (kw["host"], kw["port"]) == ("127.0.0.1", 8000)
    assert "beheeracties zijn uitgeschakeld" in result.output  # no token configured
    assert os.environ["OMP_NUM_THREADS"] == "1"  # one torch thread per request

    calls.clear()
    monkeypatch.setenv("WIJKWIJS_API__PORT", "8123")
    assert CliRunner().invoke(cli.app, ["serve", "--host", "127.0.0.2"]).exit_code == 0
    assert (calls[0][1]["host"], calls[0][1]["port"]) == ("127.0.0.2", 8123)


def test_several_workers_need_the_chroma_server(env, monkeypatch):
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    result = CliRunner().invoke(cli.app, ["serve", "--workers", "2"])
    assert result.exit_code == 2 and "Chroma-server" in result.output and not calls

    monkeypatch.setenv("WIJKWIJS_STORE__MODE", "server")
    result = CliRunner().invoke(cli.app, ["serve", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert calls[0][0] == "assistant.api.app:app_from_settings"
    assert calls[0][1]["factory"] is True and calls[0][1]["workers"] == 2
