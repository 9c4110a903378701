"""Beheer: the documents in the knowledge base; add, replace and delete them (with confirmation)."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from assistant.library import UploadError
from ui import resources
from ui.access import maintainer_unlocked

NOTES = "beheer_meldingen"  # (kind, message) shown after the rerun that follows an action
CONFIRM = "beheer_bevestig"  # ("vervangen" | "verwijderen", doc_id) awaiting a yes/no

st.set_page_config(layout="wide")
st.title("Beheer")
settings = resources.settings()
if not maintainer_unlocked(settings) or not resources.ensure_ready():
    st.stop()
library = resources.library()


def note(kind: str, message: str) -> None:
    st.session_state.setdefault(NOTES, []).append((kind, message))


def uploader_key(name: str) -> str:
    """Bumped after every action, so the uploader comes back empty."""
    return f"{name}-{st.session_state.get('beheer_ronde', 0)}"


def finish() -> None:
    st.session_state["beheer_ronde"] = st.session_state.get("beheer_ronde", 0) + 1
    st.session_state.pop(CONFIRM, None)
    st.rerun()


def with_progress(name: str, action):
    """Run an add/replace with a progress bar fed by the indexer's callback."""
    bar = st.progress(0.0, text=f"{name}: controleren en inlezen …")

    def progress(doc_id: str, done: int, total: int) -> None:
        share = done / total if total else 1.0
        bar.progress(share, text=f"{name}: {done} van {total} passages ingebed")

    try:
        result = action(progress)
    except UploadError as err:
        note("error", err.message)
    except Exception as err:  # an unexpected failure must still leave a readable message
        note("error", f"{name}: onverwachte fout bij het opnemen ({err}).")
    else:
        note("success" if result.status != "unchanged" else "info", result.message)
        for warning in result.warnings:  # accepted, but worth a look (language, injection)
            note("warning", warning)
    finally:
        bar.empty()


def ingested(value: str | None) -> str:
    try:
        return datetime.fromisoformat(value).astimezone().strftime("%d-%m-%Y %H:%M")
    except (TypeError, ValueError):
        return value or ""


for kind, message in st.session_state.pop(NOTES, []):
    getattr(st, kind)(message)

docs = library.list()
st.subheader(f"Documenten in de kennisbank ({len(docs)})")
if docs:
    st.dataframe(
        [
            {"Titel": d.title, "Type": d.doc_type or "", "Jaar": d.year or "", "Passages": d.chunk_count,
             "Opgenomen": ingested(d.ingested_at), "Bestand": d.id}
            for d in docs
        ],
        hide_index=True,
        use_container_width=True,
        column_config={
            "Titel": st.column_config.TextColumn(width="large"),
            "Type": st.column_config.TextColumn(width="medium"),
            "Jaar": st.column_config.TextColumn(width="small"),
            "Passages": st.column_config.NumberColumn(width="small"),
            "Opgenomen": st.column_config.TextColumn(width="small"),
            "Bestand": st.column_config.TextColumn(width="medium"),
        },
    )
else:
    st.info("De kennisbank is leeg.")

st.subheader("Documenten toevoegen")
max_mb = settings.api.max_upload_mb
files = st.file_uploader(
    f"PDF, TXT, Markdown of DOCX, maximaal {max_mb:g} MB per bestand",
    accept_multiple_files=True,
    key=uploader_key("toevoegen"),
)
if files and st.button("Toevoegen aan de kennisbank", type="primary"):
    for upload in files:
        data = upload.getvalue()
        with_progress(upload.name, lambda cb, u=upload, d=data: library.add(u.name, d, progress=cb))
    finish()

if docs:
    st.subheader("Document vervangen of verwijderen")
    titles = {d.id: f"{d.title} ({d.id})" for d in docs}
    doc_id = st.selectbox("Document", list(titles), format_func=titles.get)
    chosen = next(d for d in docs if d.id == doc_id)
    replace_col, delete_col = st.columns(2)
    with replace_col:
        new_file = st.file_uploader("Nieuwe versie", key=uploader_key(f"vervangen-{doc_id}"))
        if st.button("Vervangen …", disabled=new_file is None):
            st.session_state[CONFIRM] = ("vervangen", doc_id)
    with delete_col:
        st.caption(f"{chosen.chunk_count} passages; het bestand gaat naar de prullenbak in de datamap.")
        if st.button("Verwijderen …"):
            st.session_state[CONFIRM] = ("verwijderen", doc_id)

    action, target = st.session_state.get(CONFIRM, (None, None))
    if target == doc_id and action == "vervangen" and new_file is not None:
        st.warning(f"Weet je zeker dat je “{chosen.title}” wilt vervangen door {new_file.name}? "
                   "De oude versie gaat naar de prullenbak.")
        yes, no = st.columns(2)
        if yes.button("Ja, vervangen", type="primary"):
            data = new_file.getvalue()
            with_progress(new_file.name, lambda cb: library.replace(doc_id, new_file.name, data, progress=cb))
            finish()
        if no.button("Annuleren"):
            finish()
    elif target == doc_id and action == "verwijderen":
        st.warning(f"Weet je zeker dat je “{chosen.title}” met {chosen.chunk_count} passages uit de "
                   "kennisbank wilt verwijderen?")
        yes, no = st.columns(2)
        if yes.button("Ja, verwijderen", type="primary"):
            if library.delete(doc_id):
                note("success", f"{doc_id} is verwijderd uit de kennisbank.")
            else:
                note("error", f"{doc_id} stond niet (meer) in de kennisbank.")
            finish()
        if no.button("Annuleren"):
            finish()
