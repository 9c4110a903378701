#!/usr/bin/env bash
# The main job: set up, prepare the embedding model, ingest corpus/ when needed, start the chat.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/wijkwijs setup
# A file that cannot be read is reported but does not keep the chat from starting.
.venv/bin/wijkwijs ingest || echo "Let op: niet alle documenten zijn opgenomen (zie hierboven)." >&2
exec .venv/bin/wijkwijs chat
