"""`wijkwijs ingest` and `docs remove` take the same write lock as the app and the API: while
another process holds it they say so in Dutch, wait, and then do their work."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

import assistant.cli as cli_module

HOLD_S = 2.0


@pytest.fixture
def cli(monkeypatch, fake_components):
    monkeypatch.setattr(cli_module, "_components", lambda: fake_components)
    return lambda *args: CliRunner().invoke(cli_module.app, list(args), env={"COLUMNS": "200"})


def _hold_lock(data_dir, seconds: float) -> subprocess.Popen:
    """Another process (as the API would be) holding the library lock for `seconds`."""
    data_dir.mkdir(parents=True, exist_ok=True)
    code = (
        "import fcntl, sys, time\n"
        f"fh = open({str(data_dir / 'library.lock')!r}, 'a+')\n"
        "fcntl.flock(fh, fcntl.LOCK_EX)\n"
        "print('vast', flush=True)\n"
        f"time.sleep({seconds})\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "vast"
    return proc


@pytest.mark.parametrize("command", [["ingest"], ["docs", "remove", "waakvlam.txt"]])
def test_cli_waits_for_another_writer(cli, fake_components, command):
    assert cli("ingest").exit_code == 0  # a free lock: no waiting message
    holder = _hold_lock(fake_components.settings.data_dir, HOLD_S)
    try:
        start = time.monotonic()
        result = cli(*command)
        waited = time.monotonic() - start
    finally:
        holder.wait()
    assert result.exit_code == 0, result.output
    assert "wachten tot die klaar is" in result.output
    assert waited >= HOLD_S * 0.5  # it really waited for the other process
    if command[0] == "docs":
        assert "waakvlam.txt" not in fake_components.store.current_versions()


def test_cli_does_not_mention_waiting_when_nobody_writes(cli):
    result = cli("ingest")
    assert result.exit_code == 0, result.output
    assert "wachten" not in result.output
