"""Evaluatie: run the gold questions, see the metrics, the failures and the trend over runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import streamlit as st

from assistant import dutch_notation as dutch
from evals.compare import difference, flipped
from evals.metrics import METRICS
from evals.questions import QuestionsError
from evals.report import CHART_METRICS, EXPLAIN
from evals.report import fmt as report_fmt
from ui import eval_runs, resources
from ui.doc_eval_view import show_doc_eval
from ui.passages import escape_markdown

UPLOAD = "Eigen vragenbestand (JSONL) uploaden"
CHOSEN = "eval_gekozen_run"
HEADLINE = ["hit@5", "mrr@10", "citation_hit", "must_mention", "abstention_rate", "latency_p50_ms"]

st.set_page_config(layout="wide")
st.title("Evaluatie")
st.caption(
    "Stuur een set vragen met bekende antwoorden door de assistent en meet hoe goed het zoeken, "
    "citeren en 'staat er niet in' gaan. Elke run wordt bewaard."
)
if not resources.ensure_ready():
    st.stop()
components = resources.components()
runs_dir = components.settings.runs_dir

# --- start a run -------------------------------------------------------------------------
bundled = {p.name: p for p in eval_runs.bundled_question_files()}
with st.container(border=True):
    left, right = st.columns([3, 1])
    source = left.radio("Vragenbestand", [*bundled, UPLOAD], horizontal=True)
    k = right.number_input("Passages per vraag (k)", 1, 100, components.settings.retrieval.k)
    upload = st.file_uploader("Vragenbestand (JSONL)", type=["jsonl"]) if source == UPLOAD else None
    start = st.button("Evaluatie starten", type="primary", disabled=source == UPLOAD and upload is None)

if start:
    if upload is not None:
        questions_name, content = upload.name, upload.getvalue()
    else:
        questions_name, content = source, bundled[source].read_bytes()
    run_dir = eval_runs.new_run_dir(runs_dir, Path(questions_name))
    run_dir.mkdir(parents=True)
    # The run keeps its own copy of the questions, so it can be read back later as it was.
    questions = run_dir / f"vragen-{Path(questions_name).name}"
    questions.write_bytes(content)
    bar = st.progress(0.0, text="Evaluatie loopt …")
    try:
        eval_runs.run(components, questions, run_dir, int(k),
                      lambda done, total: bar.progress(done / total, text=f"Vraag {done} van {total}"),
                      questions_name=Path(questions_name).name)
    except QuestionsError as exc:
        shutil.rmtree(run_dir, ignore_errors=True)
        st.error(f"Ongeldig vragenbestand: {exc}")
    else:
        st.session_state[CHOSEN] = run_dir.name
        st.success(f"Evaluatie klaar: {run_dir.name}")
    finally:
        bar.empty()

show_doc_eval(components)  # new documents with labels: ui/doc_eval_view.py

# --- results -----------------------------------------------------------------------------
runs = eval_runs.stored_runs(runs_dir)
if not runs:
    st.info("Nog geen evaluaties gedraaid.")
    st.stop()

names = [r.name for r in reversed(runs)]  # newest first
default = names.index(st.session_state[CHOSEN]) if st.session_state.get(CHOSEN) in names else 0
shown_name = st.selectbox("Run", names, index=default, format_func=lambda n: next(r.label for r in runs if r.name == n))
shown = next(r for r in runs if r.name == shown_name)
overall = shown.metrics["overall"]


def fmt(key: str, value) -> str:
    """A metric in Dutch notation: 0,89; milliseconds and characters as whole numbers."""
    return report_fmt(key, value, number=dutch.number)


duration = shown.info.get("duration_s")
st.subheader("Resultaten")
st.caption(
    f"{overall['n']} vragen ({overall['n_answerable']} beantwoordbaar, {overall['n_unanswerable']} niet), "
    f"k = {shown.info.get('k')}, fouten: {overall['n_errors']}, "
    f"duur: {dutch.seconds(duration) if isinstance(duration, (int, float)) else '?'}"
)
for column, key in zip(st.columns(3) + st.columns(3), HEADLINE):
    column.metric(METRICS[key][0], fmt(key, overall.get(key)), help=EXPLAIN.get(key), border=True)
with st.expander("Alle metrics"):
    st.dataframe(
        [{"metric": key, "waarde": fmt(key, overall.get(key)), "betekenis": EXPLAIN.get(key, label)}
         for key, (label, _) in METRICS.items()],
        hide_index=True, use_container_width=True,
    )

st.subheader("Per vraagtype")
per_type = pd.DataFrame({t: {METRICS[m][0]: (v.get(m) or 0.0) for m in CHART_METRICS}
                         for t, v in shown.metrics["per_type"].items()}).T
st.bar_chart(per_type, stack=False, y_label="score (0–1)")

failed = shown.metrics["failed"]
st.subheader(f"Mislukte vragen ({len(failed)})")
for f in failed:
    with st.expander(f"{f['id']} ({f['type']}): {', '.join(f['reasons'])}"):
        st.markdown(f"**Vraag:** {escape_markdown(f['question'])}")
        if f.get("error"):
            st.error(f["error"])
        st.markdown(f"**Antwoord:** {escape_markdown(f['answer']) or '–'}")
        if f["gold_docs"]:
            st.markdown("**Juiste document(en):** " + ", ".join(f"`{d}`" for d in f["gold_docs"]))
        st.markdown("**Opgehaald:**" if f["retrieved"] else "**Opgehaald:** niets")
        for c in f["retrieved"]:
            st.markdown(f"- #{c['rank']} `{c['doc']}`: {escape_markdown(c['text'])}")

st.subheader(f"Verloop over de runs van {shown.question_set}")
same = eval_runs.same_set(runs, shown)
if len(same) < 2:
    st.info(f"Dit is de enige run van {shown.question_set}. Het verloop en de vergelijking per vraag "
            "verschijnen na de volgende run van dezelfde vragen; runs van andere vragensets worden niet "
            "vergeleken (die meten andere vragen).")
    st.stop()
history = pd.DataFrame(eval_runs.history_rows(same)).set_index("run")
history.columns = [METRICS[m][0] for m in history.columns]
st.line_chart(history, y_label="score (0–1)")
st.caption(f"{len(same)} runs van {shown.question_set}.")
position = same.index(shown)
if position > 0:
    before = same[position - 1]
    with st.expander(f"Vergelijking met de run ervoor ({before.name})", expanded=True):
        old = before.metrics["overall"]
        st.dataframe(
            [{"metric": METRICS[key][0], "vorige": fmt(key, old.get(key)), "deze": fmt(key, overall.get(key)),
              "verschil": difference(key, old.get(key), overall.get(key), show=fmt, unchanged="gelijk")} for key in METRICS],
            hide_index=True, use_container_width=True,
        )
        won, lost = flipped(before.metrics.get("per_question", {}), shown.metrics.get("per_question", {}))
        texts = eval_runs.question_texts(shown)
        for title, ids in ((f"Beter geworden ({len(won)})", won), (f"Slechter geworden ({len(lost)})", lost)):
            st.markdown(f"**{title}**")
            st.markdown("\n".join(f"- {qid}: {escape_markdown(texts.get(qid, ''))}" for qid in ids) or "geen")
