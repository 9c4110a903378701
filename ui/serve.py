"""`wijkwijs ui`: the Streamlit server in this process, with the model loading from the start.

Streamlit runs the app script only when a browser opens the page, so the model (≈ 7 s, mostly
importing torch) would start loading only then. Here it starts with the server: the shared
components are the same `st.cache_resource` entry the pages use, so by the time someone opens
the page the model is usually ready.
"""

from __future__ import annotations

import threading
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"


def _preload() -> None:
    try:
        from ui import resources

        resources.warmup()  # builds the shared components and starts loading the model
    except Exception:  # noqa: BLE001 - the page that needs the components reports the error
        pass


def serve(flags: list[str]) -> None:
    """Run `streamlit run ui/app.py FLAGS` here (blocks until the server stops)."""
    threading.Thread(target=_preload, name="wijkwijs-preload", daemon=True).start()
    from streamlit.web import cli

    cli.main(["run", str(APP), *flags], prog_name="streamlit")
