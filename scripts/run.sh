#!/usr/bin/env bash
# The main job: set up, prepare the embedding model, ingest corpus/ when needed, start the app.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/wijkwijs setup
# A file that cannot be read is reported but does not keep the app from starting.
.venv/bin/wijkwijs ingest || echo "Let op: niet alle documenten zijn opgenomen (zie hierboven)." >&2
# The Streamlit app on http://127.0.0.1:8501 (another port: WIJKWIJS_UI__PORT or `wijkwijs ui --port`).
exec .venv/bin/wijkwijs ui
