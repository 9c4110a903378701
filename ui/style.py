"""A few CSS rules for the whole app."""

from __future__ import annotations

import streamlit as st

# Streamlit has no translations: its English texts are hidden or replaced here. Hints ("Press
# Enter to submit form", "Drag and drop files here", "Limit 200MB per file") go: every label in
# this app says in Dutch what to do, and the upload limit that counts is ours (api.max_upload_mb).
# The uploader's "Upload" button and the multiselect's "Select all" / "Select 3 matches" get a
# Dutch text (the English one is display:none, so it is not read or copied either); the English
# skip link is replaced by a Dutch one. Selectors checked against Streamlit 1.67's markup by
# tests/integration/test_ui_browser.py, which scans every page for English words.
CSS = """
<style>
[data-testid="InputInstructions"], [data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { display: none; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after { content: "Bestand kiezen"; }
[data-key="__select_all__"] [data-item-hl], [data-key="__select_matches__"] [data-item-hl] { display: none; }
[data-key="__select_all__"]::after { content: "Alles kiezen"; }
[data-key="__select_matches__"]::after { content: "Alle treffers kiezen"; }
[data-key="__select_all__"], [data-key="__select_matches__"] { align-items: center; }
[data-testid="stSkipToContent"] { display: none; }
.wijkwijs-skip { position: absolute; left: -9999px; }
.wijkwijs-skip:focus { left: 1rem; top: 1rem; z-index: 1000; background: white; padding: 0.25rem 0.5rem; }
.wijkwijs-passage { line-height: 1.6; margin-bottom: 0.5rem; }
.wijkwijs-passage mark { background: #fde68a; padding: 0 1px; border-radius: 2px; }
</style>
"""


def apply() -> None:
    st.html(CSS + '<a class="wijkwijs-skip" href="#stMain">Naar de inhoud</a>')


DETAILS = "details_voor_beheer"


def details_toggle() -> None:
    """In the sidebar of every page: ids, raw scores and file paths are for maintainers only."""
    st.toggle("Details voor beheer", key=DETAILS, help="Toont passage-id's en zoekscores bij bronnen en resultaten.")


def details() -> bool:
    return bool(st.session_state.get(DETAILS))
