"""`wijkwijs ui`: Streamlit on 127.0.0.1, no usage statistics, the chosen port."""

from __future__ import annotations

from typer.testing import CliRunner

from assistant.cli import app
from ui import serve


def run_ui(monkeypatch, *args: str, env: dict | None = None) -> tuple[list[str], str]:
    started = []
    monkeypatch.setattr(serve, "serve", lambda flags: started.append(flags))
    result = CliRunner().invoke(app, ["ui", *args], env=env)
    assert result.exit_code == 0, result.output
    (flags,) = started
    return flags, result.output


def option(flags: list[str], name: str) -> str:
    return flags[flags.index(name) + 1]


def test_ui_runs_headless_on_loopback_without_usage_stats(monkeypatch):
    flags, output = run_ui(monkeypatch, "--port", "8577")
    assert option(flags, "--server.address") == "127.0.0.1"
    assert option(flags, "--browser.gatherUsageStats") == "false"
    assert option(flags, "--server.headless") == "true"
    assert option(flags, "--server.port") == "8577"
    assert "http://127.0.0.1:8577" in output


def test_ui_port_defaults_to_the_settings(monkeypatch, tmp_path):
    flags, _ = run_ui(monkeypatch, env={"WIJKWIJS_UI__PORT": "8588", "WIJKWIJS_CONFIG": str(tmp_path / "x.toml")})
    assert option(flags, "--server.port") == "8588"


def test_streamlit_upload_limit_stays_above_ours(monkeypatch, tmp_path):
    # Files between our limit and Streamlit's get our Dutch message, not Streamlit's English one.
    flags, _ = run_ui(monkeypatch, env={"WIJKWIJS_API__MAX_UPLOAD_MB": "300", "WIJKWIJS_CONFIG": str(tmp_path / "x.toml")})
    assert int(option(flags, "--server.maxUploadSize")) > 300


def test_the_app_script_is_the_one_served():
    assert serve.APP.name == "app.py" and serve.APP.is_file()
