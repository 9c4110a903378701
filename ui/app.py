"""wijkwijs in the browser: `wijkwijs ui` runs `streamlit run ui/app.py` (see assistant/cli/running.py).

Six pages, each a script in ui/views/ (a start page and five tools). The heavy objects live in ui/resources.py (loaded once
per process); this entry script only sets up the navigation.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Before numpy or torch load (when started with plain `streamlit run`): offline, and no
# OpenBLAS threads fighting the embedding threads on 2 cores (see assistant/cli/__init__.py).
for name, value in {
    "OPENBLAS_NUM_THREADS": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
}.items():
    os.environ.setdefault(name, value)

# `streamlit run` puts ui/ on sys.path, not the project root (an editable install covers it too).
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from ui import resources, style  # noqa: E402

VIEWS = Path(__file__).parent / "views"

st.set_page_config(page_title="wijkwijs", page_icon=":material/home_work:")
style.apply()

try:
    resources.warmup()  # starts loading the model now, while the user reads and types
except Exception as exc:  # e.g. invalid settings: say so instead of a traceback
    st.error(f"wijkwijs kan niet starten: {exc}")
    st.stop()

# Dutch addresses that work when typed: /vraag-het, /zoeken, /lessen, /beheer, /evaluatie (the
# start page is /); the address of an earlier version (/vraag) leads to the same page.
pages = [
    st.Page(VIEWS / "start.py", title="Start", icon=":material/home:", url_path="start", default=True),
    st.Page(VIEWS / "vraag_het.py", title="Vraag het", icon=":material/chat:", url_path="vraag-het"),
    st.Page(VIEWS / "zoeken.py", title="Zoeken", icon=":material/search:", url_path="zoeken"),
    st.Page(VIEWS / "lessen.py", title="Lessen & praktijkvoorbeelden", icon=":material/lightbulb:", url_path="lessen"),
    st.Page(VIEWS / "beheer.py", title="Beheer", icon=":material/folder_managed:", url_path="beheer"),
    st.Page(VIEWS / "evaluatie.py", title="Evaluatie", icon=":material/monitoring:", url_path="evaluatie"),
    st.Page(VIEWS / "vraag_het.py", title="Vraag het", url_path="vraag", visibility="hidden"),
]
with st.sidebar:
    st.markdown("**wijkwijs** — kennisbank wonen, welzijn en zorg in de wijk")
navigation = st.navigation(pages)
with st.sidebar:
    style.details_toggle()
navigation.run()
