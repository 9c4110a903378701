#!/usr/bin/env bash
# Set up, then run every test: fast unit tests and the integration tests on the real corpus.
# Extra arguments go to pytest (e.g. `scripts/test.sh -m "not integration"`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The integration tests share one built model in data/ instead of rebuilding it per run.
export WIJKWIJS_E5_MODEL_DIR=${WIJKWIJS_E5_MODEL_DIR:-$PWD/data/models/multilingual-e5-small}
export WIJKWIJS_EMBEDDING__MODEL_DIR=$WIJKWIJS_E5_MODEL_DIR
.venv/bin/wijkwijs setup
exec .venv/bin/python -m pytest "$@"
