"""Zoeken: passages for policy writers, with filters, highlights, paging and export."""

from __future__ import annotations

import math

import streamlit as st

from assistant.search import SearchError, SearchResult, search, to_csv, to_markdown
from kb.retriever import Filters
from assistant import dutch_notation as dutch
from ui import resources, style
from ui.facets import facets
from ui.passages import escape_markdown, passage_html, source_label

PER_PAGE = 10

st.set_page_config(layout="wide")
st.title("Zoeken")
st.caption(
    "Zoek in alle passages van de kennisbank, op woorden én op betekenis. Gevonden woorden zijn "
    "gemarkeerd. Vink passages aan om ze met volledige bronvermelding te exporteren."
)
if not resources.ensure_ready():
    st.stop()
components = resources.components()
options = facets(components)
selection: dict[str, SearchResult] = st.session_state.setdefault("zoek_selectie", {})

with st.form("zoekformulier"):
    query = st.text_input("Zoekterm", placeholder="bijv. waakvlamfunctie, wijktafel, lessen samenwerking")
    left, middle, right = st.columns(3)
    titles = dict(options["docs"])
    doc = left.multiselect("Document", list(titles), format_func=titles.get, placeholder="alle")
    doc_type = left.multiselect("Documenttype", options["doc_types"], placeholder="alle")
    place = middle.multiselect("Plaats", options["places"], placeholder="alle")
    case = middle.multiselect("Praktijkvoorbeeld", options["cases"], placeholder="alle")
    year = right.multiselect("Jaar", options["years"], placeholder="alle")
    kind = right.multiselect(
        "Soort passage",
        options["kinds"],
        placeholder="alle" if options["kinds"] else "niet beschikbaar",
        disabled=not options["kinds"],
        help="Les, aanbeveling, knelpunt, resultaat … voor zover de passages dat aangeven.",
    )
    if st.form_submit_button("Zoeken", type="primary"):
        st.session_state["zoekopdracht"] = {
            "query": query,
            "filters": Filters(doc=doc or None, doc_type=doc_type or None, place=place or None,
                               case=case or None, year=year or None, kind=kind or None),
        }

request = st.session_state.get("zoekopdracht")


def show_result(result: SearchResult) -> None:
    with st.container(border=True):
        head, pick = st.columns([6, 1])
        kind = f" · *{result.kind}*" if result.kind else ""
        head.markdown(f"**{result.rank}.** {escape_markdown(source_label(result))}{kind}")
        head.caption(f"Document: {result.doc}" + (f" · passage {result.chunk_id} · score {dutch.number(result.score)}"
                                                  if style.details() else ""))
        key = f"kies-{result.chunk_id}"
        st.session_state.setdefault(key, result.chunk_id in selection)
        chosen = pick.checkbox("Selecteren", key=key)
        if chosen:
            selection[result.chunk_id] = result
        else:
            selection.pop(result.chunk_id, None)
        st.markdown(passage_html(result.text, result.highlights), unsafe_allow_html=True)


if request:
    # A new search starts at page 1: the pager's key changes with the request.
    pager_key = f"pagina-{hash((request['query'], request['filters'].model_dump_json()))}"
    page_nr = st.session_state.get(pager_key, 1)
    try:
        found = search(components, request["query"], request["filters"], limit=PER_PAGE,
                       offset=(page_nr - 1) * PER_PAGE)
    except SearchError as exc:
        st.warning(str(exc))
        found = None
    if found is not None and not found.total:
        st.info("Geen passages gevonden. Probeer andere woorden of minder filters.")
    elif found is not None:
        st.markdown(f"**{found.total}** {'passage' if found.total == 1 else 'passages'} gevonden, de beste eerst.")
        if st.button("Alles op deze pagina selecteren"):
            for result in found.results:
                selection[result.chunk_id] = result
                st.session_state[f"kies-{result.chunk_id}"] = True
        for result in found.results:
            show_result(result)
        st.pagination(max(1, math.ceil(found.total / PER_PAGE)), key=pager_key)

st.divider()
st.subheader(f"Selectie ({len(selection)})")
if not selection:
    st.caption("Nog niets geselecteerd.")
else:
    # In the order they were picked, numbered afresh (ranks of different searches would clash).
    chosen = [r.model_copy(update={"rank": n}) for n, r in enumerate(selection.values(), 1)]
    for result in chosen:
        st.markdown(f"{result.rank}. {escape_markdown(source_label(result))}")
    name = "wijkwijs-selectie"
    a, b, c = st.columns(3)
    a.download_button("Exporteer als Markdown", to_markdown(chosen), f"{name}.md", "text/markdown")
    b.download_button("Exporteer als CSV", to_csv(chosen), f"{name}.csv", "text/csv")
    if c.button("Selectie wissen"):
        for chunk_id in list(selection):
            st.session_state.pop(f"kies-{chunk_id}", None)
        selection.clear()
        st.rerun()
