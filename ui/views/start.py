"""Start: what the knowledge base covers at a glance (documents, practice cases, places, years)
and example questions drawn from it; a question asked here continues on Vraag het."""

from __future__ import annotations

import streamlit as st

from ui import resources
from ui.examples import example_questions
from ui.facets import facets

ASK_PAGE = "views/vraag_het.py"

st.title("wijkwijs")
st.markdown(
    "Kennisbank en assistent over wonen, welzijn en zorg in de wijk: praktijkvoorbeelden, evaluaties "
    "en plannen. Elk antwoord citeert de rapporten, met document, praktijkvoorbeeld of sectie en pagina; "
    "staat iets er niet in, dan zegt wijkwijs dat."
)
components = resources.components()
documents = sorted((d.document for d in components.store.documents()), key=lambda d: d.title.casefold())
if not documents:
    st.info("De kennisbank is nog leeg. Voeg documenten toe op de pagina Beheer, of voer `wijkwijs ingest` uit.")
    st.stop()

found = facets(components)
years = found["years"]
for column, (label, value) in zip(st.columns(4), [
    ("Documenten", str(len(documents))),
    ("Praktijkvoorbeelden", str(len(found["cases"]))),
    ("Plaatsen", str(len(found["places"]))),
    ("Jaren", (f"{years[0]}–{years[-1]}" if len(years) > 1 else years[0]) if years else "–"),
]):
    column.metric(label, value, border=True)

st.subheader("Stel een vraag")
question = st.text_input("Je vraag", placeholder="Bijvoorbeeld over een aanpak, een resultaat of een les uit de wijk",
                         label_visibility="collapsed")
st.caption("Of begin met een van deze vragen uit de kennisbank:")
chosen = next((q for i, q in enumerate(example_questions(components)) if st.button(q, key=f"start-voorbeeld-{i}")), None)
if question.strip() or chosen:
    st.session_state["vraag_uit_voorbeeld"] = chosen or question.strip()
    st.switch_page(ASK_PAGE)

st.subheader("Wat staat erin")
st.dataframe(
    [{"Titel": d.title, "Soort": d.doc_type or "–", "Jaar": d.year or "–", "Uitgever": d.publisher or "–",
      "Praktijkvoorbeelden": len(found["cases_by_doc"].get(d.doc_id, []))} for d in documents],
    hide_index=True, use_container_width=True,
)
