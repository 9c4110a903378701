#!/usr/bin/env bash
# The main job: set up, prepare the embedding model, ingest corpus/ when needed, start the chat.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/wijkwijs setup
.venv/bin/wijkwijs ingest
exec .venv/bin/wijkwijs chat
