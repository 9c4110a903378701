"""Evaluatie: a maintainer measures a batch of labelled new documents (evals/doc_eval.py) on a
scratch copy of the knowledge base: metadata, passage kinds, cases and their cards, questions."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

RESULT = "doc_eval_result"


def default_folder(settings) -> str:
    """`../shared/newdocs` beside the project, when it is there."""
    shared = Path(settings.corpus_dir).resolve().parent.parent / "shared" / "newdocs"
    return str(shared) if shared.is_dir() else ""


def show_doc_eval(components) -> None:
    from evals.doc_eval import evaluate

    with st.expander("Nieuwe documenten meten (met labels)", expanded=bool(st.session_state.get(RESULT))):
        st.caption("Een map met per document een map met het bestand, `labels.json` en eventueel "
                   "`questions.jsonl` (zoals `../shared/newdocs`). De documenten gaan in een kopie van de "
                   "kennisbank; de echte blijft ongewijzigd.")
        folder = st.text_input("Map met gelabelde documenten", value=default_folder(components.settings))
        if st.button("Documenten meten", disabled=not folder.strip()):
            path = Path(folder.strip()).expanduser()
            if not path.is_dir():
                st.error(f"Map niet gevonden: {path}")
                return
            with st.status("Documenten meten …", expanded=True) as status:
                try:
                    st.session_state[RESULT] = evaluate(components, path, log=status.write)
                except (FileNotFoundError, RuntimeError) as exc:
                    status.update(label="Meten mislukt", state="error")
                    st.error(str(exc))
                    return
                status.update(label="Klaar", state="complete", expanded=False)
        result = st.session_state.get(RESULT)
        if result:
            _show(result)


def _show(result: dict) -> None:
    rows = []
    for r in result["documents"]:
        q = r["questions"] or {}
        rows.append({
            "document": r["doc"],
            "metadata goed": f"{sum(r['fields'].values())}/{len(r['fields'])}",
            "fout": ", ".join(n for n, ok in r["fields"].items() if not ok),
            "praktijkvoorbeelden": f"{r['cases_found']}/{r['cases_labelled']}" if r["cases_labelled"] else "–",
            "hit@5": q.get("hit@5"), "verplichte termen": q.get("must_mention"),
            "bron met bewijs": q.get("citation_hit"), "geweigerd (onbeantwoordbaar)": q.get("abstention_rate"),
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True, use_container_width=True)
    kinds = [{"soort": k, "precisie": round(m["precision"], 2), "recall": round(m["recall"], 2), "n": m["n"]}
             for k, m in result["summary"]["kinds"].items()]
    st.caption("Soorten passages tegen de labels (per alinea, via de passage die haar bevat):")
    st.dataframe(pd.DataFrame(kinds), hide_index=True)
