#!/usr/bin/env bash
# Creates .venv (Python 3.11) and installs wijkwijs with what it needs; quick when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
if ! "$PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "wijkwijs needs Python 3.11 (found: $("$PY" --version 2>&1))." >&2
  exit 1
fi

[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=.venv/.wijkwijs-installed
want=$(sha256sum pyproject.toml | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "Installing dependencies into .venv (first time: a few minutes) ..."
  pip_quiet() {  # this machine's pip config names index folders that may be absent: hide that noise
    .venv/bin/python -m pip install -q "$@" 2>&1 | { grep -v "is neither a file nor a directory" || true; }
  }
  pip_quiet --upgrade pip
  # The CPU wheel of torch lies on this machine's disk; an unpinned torch would pull CUDA builds.
  pip_quiet "torch==2.13.0"
  pip_quiet -e '.[test]'
  echo "$want" > "$stamp"
fi
