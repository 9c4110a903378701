#!/usr/bin/env bash
# Set up, then run every test: fast unit tests and the integration tests on the real corpus.
# Extra arguments go to pytest (e.g. `scripts/test.sh -m "not integration"`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The browser test (tests/integration/test_ui_browser.py) drives Debian's Chromium.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  if [ -z "$sudo" ] || command -v sudo >/dev/null; then
    echo "Chromium en ChromeDriver installeren voor de browsertest ..."
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "Let op: chromium/chromium-driver ontbreken en kunnen niet worden geïnstalleerd; de browsertest wordt overgeslagen." >&2
  fi
fi
# The integration tests share one built model in data/ instead of rebuilding it per run.
export WIJKWIJS_E5_MODEL_DIR=${WIJKWIJS_E5_MODEL_DIR:-$PWD/data/models/multilingual-e5-small}
export WIJKWIJS_EMBEDDING__MODEL_DIR=$WIJKWIJS_E5_MODEL_DIR
.venv/bin/wijkwijs setup
exec .venv/bin/python -m pytest "$@"
