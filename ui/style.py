"""A few CSS rules for the whole app."""

from __future__ import annotations

import streamlit as st

# Streamlit's English hints ("Press Enter to submit form", "Drag and drop files here",
# "Limit 200MB per file") are hidden: every label in this app says in Dutch what to do, and the
# upload limit that counts is ours (api.max_upload_mb), with a Dutch message when exceeded.
CSS = """
<style>
[data-testid="InputInstructions"], [data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
.wijkwijs-passage { line-height: 1.6; margin-bottom: 0.5rem; }
.wijkwijs-passage mark { background: #fde68a; padding: 0 1px; border-radius: 2px; }
</style>
"""


def apply() -> None:
    st.html(CSS)


DETAILS = "details_voor_beheer"


def details_toggle() -> None:
    """In the sidebar of every page: ids, raw scores and file paths are for maintainers only."""
    st.toggle("Details voor beheer", key=DETAILS, help="Toont passage-id's en zoekscores bij bronnen en resultaten.")


def details() -> bool:
    return bool(st.session_state.get(DETAILS))
