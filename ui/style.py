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
