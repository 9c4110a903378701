"""Eval runs started from the app: one folder per run under `settings.runs_dir`, written by
`evals.runner.run_eval` (run.json, results.jsonl, metrics.json, report.md), and read back for
the history chart. No Streamlit in here."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import evals
from evals.questions import load_questions
from evals.runner import run_eval

BUNDLED = Path(evals.__file__).parent  # evals/dev.jsonl and any other bundled question files
DEFAULT_QUESTIONS = BUNDLED / "dev.jsonl"
# The metrics the history chart follows (all "higher is better", on a 0–1 scale).
HISTORY_METRICS = ["hit@5", "mrr@10", "citation_hit", "must_mention", "abstention_rate"]


@dataclass
class StoredRun:
    dir: Path
    info: dict  # run.json
    metrics: dict  # metrics.json

    @property
    def name(self) -> str:
        return self.dir.name

    @property
    def question_set(self) -> str:
        return self.info.get("questions_name") or Path(self.info.get("questions_file") or "?").name

    @property
    def label(self) -> str:
        return f"{self.name} ({self.question_set}, {self.metrics['overall']['n']} vragen)"


def bundled_question_files() -> list[Path]:
    files = sorted(BUNDLED.glob("*.jsonl"))
    return sorted(files, key=lambda p: p != DEFAULT_QUESTIONS)  # the dev set first


def new_run_dir(runs_dir: Path, questions: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = runs_dir / f"{stamp}-{re.sub(r'[^A-Za-z0-9_-]+', '-', questions.stem)}"
    run_dir, n = base, 1
    while run_dir.exists():  # two runs in the same second
        n += 1
        run_dir = base.with_name(f"{base.name}-{n}")
    return run_dir


def run(
    components,
    questions: Path,
    run_dir: Path,
    k: int,
    on_question: Callable[[int, int], None],
    questions_name: str | None = None,
) -> dict:
    """Every question through the assistant, as `wijkwijs eval` does; `on_question(done, total)`
    after each one (for a progress bar). Returns the metrics."""
    total = len(load_questions(questions))  # also raises QuestionsError before anything is written
    done = 0

    def ask(question: str, history: list[dict]) -> dict:
        nonlocal done
        try:
            return components.assistant.ask(question, history=history, k=k).model_dump()
        finally:
            done += 1
            on_question(done, total)

    info = {
        # Without secrets: run folders are shared and compared.
        "settings": components.settings.public_dump(),
        "source": "ui",
        "questions_name": questions_name or questions.name,  # as the user chose it
    }
    return run_eval(questions, run_dir, ask, k=k, progress=False, run_info=info)


def stored_runs(runs_dir: Path) -> list[StoredRun]:
    """Finished runs (those with metrics.json), oldest first."""
    runs = []
    for folder in sorted(p for p in runs_dir.glob("*") if (p / "metrics.json").is_file()):
        try:
            metrics = json.loads((folder / "metrics.json").read_text("utf-8"))
            info_file = folder / "run.json"
            info = json.loads(info_file.read_text("utf-8")) if info_file.is_file() else {}
        except (OSError, json.JSONDecodeError):
            continue  # a run cut off while writing: leave it out of the history
        runs.append(StoredRun(folder, info, metrics))
    return sorted(runs, key=lambda r: (r.info.get("timestamp", ""), r.name))


def history_rows(runs: list[StoredRun]) -> list[dict]:
    """One row per run: its name and the HISTORY_METRICS (None where a metric does not apply)."""
    return [{"run": r.name, **{m: r.metrics["overall"].get(m) for m in HISTORY_METRICS}} for r in runs]


def same_set(runs: list[StoredRun], shown: StoredRun) -> list[StoredRun]:
    """The runs of the shown run's question set, oldest first: only these are compared (another
    set's figures are not better or worse, they measure other questions)."""
    return [r for r in runs if r.question_set == shown.question_set]


def question_texts(run: StoredRun) -> dict[str, str]:
    """Question id → its text, from the copy of the questions the run keeps."""
    texts = {}
    for path in run.dir.glob("vragen-*.jsonl"):
        try:
            texts.update({q.id: q.question for q in load_questions(path)})
        except Exception:  # an unreadable copy: show the ids only
            pass
    return texts
