"""Run every gold question through the assistant and write results, metrics and a report."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from evals.metrics import compute_metrics
from evals.questions import Question, load_questions
from evals.report import write_report

Ask = Callable[[str, list[dict]], dict]
_KNOWN = {"answer", "abstained", "citations", "contexts", "question"}


def _jsonable(value):
    """json.dumps fallback: numpy scalars and the like become numbers, anything else text."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def _as_dict(answer) -> dict:
    if hasattr(answer, "model_dump"):  # tolerate a pydantic Answer instead of its dict
        answer = answer.model_dump()
    if not isinstance(answer, dict):
        raise TypeError(f"ask returned {type(answer).__name__}, expected a dict")
    return answer


def ask_one(q: Question, ask: Ask, k: int) -> dict:
    """One result line; an exception from `ask` is recorded in `error` instead of raised."""
    row = {"id": q.id, "question": q.question, "type": q.type, "answer": "", "abstained": False,
           "citations": [], "contexts": [], "latency_ms": None, "error": None}
    t0 = time.perf_counter()
    try:
        answer = _as_dict(ask(q.question, q.history_dicts()))
    except Exception as exc:  # one broken question must not end the run
        row["latency_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        row["error"] = f"{type(exc).__name__}: {exc}"
        return row
    row["latency_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    row["answer"] = answer.get("answer") or ""
    row["abstained"] = bool(answer.get("abstained"))
    row["citations"] = [dict(c) for c in answer.get("citations") or []]
    row["contexts"] = [
        {"rank": c.get("rank", i + 1), "doc": c.get("doc"), "text": c.get("text") or "", "score": c.get("score")}
        for i, c in enumerate((answer.get("contexts") or [])[:k])
    ]
    # Anything else the assistant reports (rewritten query, timings) is kept for debugging.
    row.update({key: v for key, v in answer.items() if key not in _KNOWN and key not in row})
    return row


def _progress(enabled: bool) -> Progress:
    return Progress(TextColumn("[bold]Evaluatie"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.description}"), TimeElapsedColumn(), disable=not enabled)


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=_jsonable) + "\n", "utf-8")


def run_eval(questions_path: Path, out_dir: Path, ask: Ask, k: int = 10, progress: bool = True,
             run_info: dict | None = None) -> dict:
    """Write results.jsonl, metrics.json, report.md (+ PNGs) and run.json to out_dir; return the metrics."""
    questions_path, out_dir = Path(questions_path), Path(out_dir)
    questions = load_questions(questions_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    extra = dict(run_info or {})
    info = {**extra, "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "questions_file": str(questions_path), "n_questions": len(questions), "k": k,
            "settings": extra.get("settings", {})}
    _write_json(out_dir / "run.json", info)  # early, so an interrupted run still says what it was

    results = []
    t0 = time.perf_counter()
    with (out_dir / "results.jsonl").open("w", encoding="utf-8") as fh, _progress(progress) as bar:
        task = bar.add_task("", total=len(questions))
        for q in questions:
            bar.update(task, description=q.id)
            row = ask_one(q, ask, k)
            results.append(row)
            fh.write(json.dumps(row, ensure_ascii=False, default=_jsonable) + "\n")
            fh.flush()
            bar.advance(task)
    info["duration_s"] = round(time.perf_counter() - t0, 2)
    _write_json(out_dir / "run.json", info)

    metrics = compute_metrics(questions, results)
    _write_json(out_dir / "metrics.json", metrics)
    latencies = [r["latency_ms"] for r in results if r["latency_ms"] is not None and not r["error"]]
    write_report(out_dir, metrics, info, latencies)
    return metrics
