"""Lessen & praktijkvoorbeelden: what was learned across all documents, and a card per case.

The catalogue (assistant/catalogue.py) is built once per index state: it keeps the cards and
lessons of the current document versions and rebuilds only after an add, replace or delete.
A rerun here filters those lists; it reads no passages.
"""

from __future__ import annotations

import streamlit as st

from assistant import catalogue
from assistant.catalogue import KIND_LABELS, LESSON_KINDS
from assistant.catalogue_export import cards_to_markdown, lessons_to_csv, lessons_to_markdown
from ui import resources
from ui.cards import card_matches, show_card
from ui.facets import documents
from ui.lessons_table import counts_line, lesson_matches, show_themes
from ui.passages import escape_markdown

st.set_page_config(layout="wide")
st.title("Lessen & praktijkvoorbeelden")
st.caption(
    "Wat er in alle documenten geleerd is: lessen, aanbevelingen, plus- en minpunten, knelpunten "
    "(“beren op de weg”) en resultaten, en per praktijkvoorbeeld wie wat waar deed. Elk punt "
    "verwijst naar de passage waar het staat."
)
if not resources.ensure_ready():
    st.stop()
components = resources.components()
with st.spinner("Lessen en praktijkvoorbeelden verzamelen uit alle passages …"):
    all_cards = catalogue.cases(components)
    all_lessons = catalogue.lessons(components)
if not all_cards:
    st.info("De kennisbank is nog leeg. Voeg documenten toe op de pagina Beheer.")
    st.stop()
docs = documents(components)

# Filters for both parts; the kind of lesson is chosen in the lessons part.
text_col, doc_col, place_col = st.columns([2, 2, 2])
text = text_col.text_input("Zoek in de tekst", placeholder="bijv. huisvesting, wijktafel, financiering")
doc = doc_col.multiselect("Document", sorted(docs, key=lambda d: docs[d].title.casefold()),
                          format_func=lambda d: docs[d].title, placeholder="alle")
places = sorted({p.text for c in all_cards for p in c.places} | {p for r in all_lessons for p in r.places},
                key=str.casefold)
place = place_col.multiselect("Plaats", places, placeholder="alle")

cards_tab, lessons_tab = st.tabs(["Praktijkvoorbeelden", "Lessen"], key="lessen-deel", on_change="rerun")

if cards_tab.open:  # only the chosen part runs
    with cards_tab:
        cards = [c for c in catalogue.cases(components, doc=doc, place=place) if card_matches(c, text)]
        head, export = st.columns([4, 1], vertical_alignment="center")
        head.markdown(f"**{len(cards)}** van {len(all_cards)} praktijkvoorbeelden. Open een kaart voor plaatsen, "
                      "partners, aanpak, resultaten, knelpunten en links, elk met zijn bron.")
        if cards:
            export.download_button("Exporteer als Markdown", cards_to_markdown(cards, docs),
                                   "wijkwijs-praktijkvoorbeelden.md", "text/markdown", on_click="ignore",
                                   key="kaarten-md")
        else:
            st.info("Geen praktijkvoorbeelden met deze filters.")
        shown_doc = None
        for card in cards:  # grouped by document: the catalogue keeps document order
            if card.doc != shown_doc:
                shown_doc = card.doc
                st.markdown(f"##### {escape_markdown(card.doc_title)}")
            show_card(card)

if lessons_tab.open:
    with lessons_tab:
        kind = st.multiselect("Soort", list(LESSON_KINDS), default=list(LESSON_KINDS), format_func=KIND_LABELS.get,
                              placeholder="alle", key="lessen-soort")
        rows = [r for r in catalogue.lessons(components, kind=kind, doc=doc, place=place) if lesson_matches(r, text)]
        head, md, csv = st.columns([3, 1.3, 1], vertical_alignment="center")
        head.markdown(counts_line(rows))
        if rows:
            chosen = "; ".join(part for part in (
                "soort: " + ", ".join(kind) if kind else "",
                "document: " + ", ".join(doc) if doc else "",
                "plaats: " + ", ".join(place) if place else "",
                f"tekst: {text.strip()}" if text.strip() else "",
            ) if part)
            md.download_button("Exporteer als Markdown", lessons_to_markdown(rows, docs, chosen),
                               "wijkwijs-lessen.md", "text/markdown", on_click="ignore", key="lessen-md")
            csv.download_button("Exporteer als CSV", lessons_to_csv(rows, docs), "wijkwijs-lessen.csv",
                                "text/csv", on_click="ignore", key="lessen-csv")
            show_themes(rows, selection_key=f"les-{hash((tuple(kind), tuple(doc), tuple(place), text))}")
        else:
            st.info("Geen lessen met deze filters. Kies meer soorten of minder filters.")
