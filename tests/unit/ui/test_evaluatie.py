"""Evaluatie: a run on an uploaded file of 3 questions, its metrics, failures and the history."""

from __future__ import annotations

import json
import re

QUESTIONS = [
    {"id": "t-1", "question": "Hoe regel je een waakvlamfunctie?", "type": "howto", "answerable": True,
     "evidence": [{"doc": "waakvlam.txt", "quote": "blijft een waakvlamfunctie bestaan"}],
     "must_mention": ["waakvlam"]},
    {"id": "t-2", "question": "Wanneer bespreken professionals casussen?", "type": "fact", "answerable": True,
     "evidence": [{"doc": "wijknetwerk.md", "quote": "tijdens Broodje Casus"}]},
    {"id": "t-3", "question": "Wat is de hoofdstad van Australië?", "type": "unanswerable", "answerable": False},
]


def jsonl(rows) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


def start_run(at, data: bytes, name: str = "drie.jsonl"):
    at.radio[0].set_value("Eigen vragenbestand (JSONL) uploaden").run()
    at.file_uploader[0].upload(name, data, "application/jsonl").run()
    next(b for b in at.button if b.label == "Evaluatie starten").click().run()
    assert not at.exception, at.exception
    return at


def test_eval_run_on_three_questions_is_shown_and_stored(app):
    at = app.start("evaluatie")
    assert at.title[0].value == "Evaluatie"
    assert at.radio[0].value == "dev.jsonl"  # the bundled dev set is the default
    assert any("Nog geen evaluaties" in i.value for i in at.info)

    start_run(at, jsonl(QUESTIONS))
    assert any("Evaluatie klaar" in s.value for s in at.success)
    runs = sorted(p for p in app.components.settings.runs_dir.iterdir() if p.is_dir())
    assert len(runs) == 1
    metrics = json.loads((runs[0] / "metrics.json").read_text("utf-8"))
    assert metrics["overall"]["n"] == 3
    assert (runs[0] / "vragen-drie.jsonl").read_bytes() == jsonl(QUESTIONS)

    shown = {m.label: m.value for m in at.metric}
    assert shown["treffer in top 5"] == f"{metrics['overall']['hit@5']:.2f}".replace(".", ",")  # Dutch notation
    assert any(c.value.startswith("3 vragen (2 beantwoordbaar, 1 niet)") for c in at.caption)
    assert len(at.get("vega_lite_chart")) == 1, "the per-type chart; no trend from one run"
    assert any("enige run van drie.jsonl" in i.value for i in at.info)
    failed = [e.label for e in at.expander if e.label.startswith("t-")]
    assert failed == [f"{f['id']} ({f['type']}): {', '.join(f['reasons'])}" for f in metrics["failed"]]


def test_runs_are_compared_only_with_runs_of_the_same_questions(app):
    at = app.start("evaluatie")
    start_run(at, jsonl(QUESTIONS))
    start_run(at, jsonl(QUESTIONS[:2]), "twee.jsonl")
    options = at.selectbox[0].options
    assert len(options) == 2 and "(twee.jsonl, 2 vragen)" in options[0]  # newest first
    assert not any(e.label.startswith("Vergelijking") for e in at.expander)  # another set: not "beter"
    assert any("enige run van twee.jsonl" in i.value for i in at.info)

    wrong = [dict(QUESTIONS[0], evidence=[{"doc": "waakvlam.txt", "quote": "staat nergens in het corpus"}]),
             *QUESTIONS[1:]]
    start_run(at, jsonl(wrong))  # drie.jsonl again, now t-1 cannot be found
    assert any(c.value == "2 runs van drie.jsonl." for c in at.caption)
    assert len(at.get("vega_lite_chart")) == 2, "per type, and the trend of this set"
    (compared,) = [e for e in at.expander if e.label.startswith("Vergelijking met de run ervoor")]
    body = "\n".join(md.value for md in compared.markdown)
    assert "Slechter geworden (1)" in body and "t-1: Hoe regel je een waakvlamfunctie?" in body
    assert "Beter geworden (0)" in body
    table = compared.dataframe[0].value
    assert "▼ slechter" in " ".join(table["verschil"]) and not any(re.fullmatch(r"-?\d+\.\d\d", v) for v in table["deze"])
    assert "0,50" in list(table["deze"])  # decimals with a comma


def test_failed_question_shows_what_was_retrieved(app):
    wrong = dict(QUESTIONS[0], id="t-9", evidence=[{"doc": "waakvlam.txt", "quote": "staat nergens in het corpus"}])
    at = start_run(app.start("evaluatie"), jsonl([wrong]))
    (failure,) = [e for e in at.expander if e.label.startswith("t-9")]
    assert "geen treffer in top 5" in failure.label
    body = "\n".join(md.value for md in failure.markdown)
    assert "**Opgehaald:**" in body and "`waakvlam.txt`" in body


def test_invalid_question_file_is_refused_and_not_stored(app):
    at = start_run(app.start("evaluatie"), b'{"id": "x", "question": "zonder type"}\n')
    assert any("Ongeldig vragenbestand" in e.value for e in at.error)
    runs_dir = app.components.settings.runs_dir
    assert not runs_dir.exists() or not any(runs_dir.iterdir())


def test_stored_run_keeps_no_secrets(app):
    app.components.settings.api.token = "geheim-token"
    at = app.start("evaluatie")
    start_run(at, jsonl(QUESTIONS[:1]))
    (run,) = [p for p in app.components.settings.runs_dir.iterdir() if p.is_dir()]
    stored = (run / "run.json").read_text("utf-8")
    assert "geheim-token" not in stored and '"questions_name": "drie.jsonl"' in stored


def test_new_documents_are_measured_on_a_copy(app, tmp_path):
    import docx

    folder = tmp_path / "nieuw" / "verslag"
    folder.mkdir(parents=True)
    d = docx.Document()
    d.add_paragraph("Samen in Deventer", style="Title")
    d.add_paragraph("Stichting Buurtkracht Deventer")
    d.add_heading("Wat is bereikt", level=1)
    for n in range(5):
        d.add_paragraph(f"In Deventer kregen in ronde {n} meer dan dertig bewoners een maatje uit de buurt.")
    d.save(folder / "verslag.docx")
    (folder / "labels.json").write_text(json.dumps({
        "title": "Samen in Deventer", "publisher": "Stichting Buurtkracht Deventer", "places": ["Deventer"],
        "cases": [], "passages": []}), "utf-8")
    before = len(app.components.store.documents())
    at = app.start("evaluatie")
    at.text_input[0].set_value(str(tmp_path / "nieuw")).run()
    next(b for b in at.button if b.label == "Documenten meten").click().run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert list(table["document"]) == ["verslag.docx"] and list(table["metadata goed"]) == ["3/3"]
    assert len(app.components.store.documents()) == before  # the real knowledge base is unchanged

    at.text_input[0].set_value(str(tmp_path / "bestaat-niet")).run()
    next(b for b in at.button if b.label == "Documenten meten").click().run()
    assert any("Map niet gevonden" in e.value for e in at.error)
