"""Compare two eval runs: each metric old → new, and the questions that flipped."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from evals.metrics import FAIL_K, METRICS
from evals.report import fmt

HEADING = "## Vergelijking met vorige run"


@dataclass
class Run:
    dir: Path
    info: dict  # run.json
    metrics: dict  # metrics.json
    results: list[dict] = field(default_factory=list)  # results.jsonl


def load_run(run_dir: Path | str) -> Run:
    run_dir = Path(run_dir)
    metrics_path = run_dir / "metrics.json"
    if not metrics_path.is_file():
        raise FileNotFoundError(f"no eval run in {run_dir} (metrics.json missing)")
    info_path, results_path = run_dir / "run.json", run_dir / "results.jsonl"
    info = json.loads(info_path.read_text("utf-8")) if info_path.is_file() else {}
    results = []
    if results_path.is_file():
        results = [json.loads(line) for line in results_path.read_text("utf-8").splitlines() if line.strip()]
    return Run(run_dir, info, json.loads(metrics_path.read_text("utf-8")), results)


def difference(key: str, old, new, show=fmt, unchanged: str | None = None) -> str:
    """old → new as "+0.05 ▲ beter" / "-0.05 ▼ slechter"; `show(key, value)` writes a number,
    `unchanged` replaces the zero when nothing changed."""
    if old is None or new is None:
        return "–"
    delta = new - old
    if show(key, abs(delta)) == show(key, 0.0):
        return unchanged or show(key, 0.0)
    text = show(key, delta)
    text = text if text.startswith("-") else "+" + text
    if METRICS[key][1] is None:
        return text
    better = (delta > 0) == METRICS[key][1]
    return f"{text} {'▲ beter' if better else '▼ slechter'}"


def flipped(old: dict, new: dict) -> tuple[list[str], list[str]]:
    """(won, lost): ids of the questions in both runs whose hit@FAIL_K (answerable) or
    abstention (unanswerable) went from wrong to right, and from right to wrong."""
    hit = f"hit@{FAIL_K}"
    won, lost = [], []
    for qid, n in new.items():
        o = old.get(qid)
        if o is None:
            continue
        if n["answerable"]:
            was, now = bool(o.get(hit)), bool(n.get(hit))
        else:  # "right" for an unanswerable question means: the assistant abstained
            was, now = bool(o.get("abstained")), bool(n.get("abstained"))
        if was and not now:
            lost.append(qid)
        elif now and not was:
            won.append(qid)
    return won, lost


def _flips(old: dict, new: dict) -> list[str]:
    won, lost = (
        [f"{qid} ({new[qid]['type']})" for qid in ids] for ids in flipped(old, new)
    )
    lines = [f"Goed → fout (treffer in top {FAIL_K} kwijt, of niet meer terecht 'staat er niet in'): "
             + (", ".join(lost) or "geen"),
             "", "Fout → goed: " + (", ".join(won) or "geen")]
    only_new, only_old = sorted(set(new) - set(old)), sorted(set(old) - set(new))
    if only_new or only_old:
        lines += ["", f"Alleen in nieuwe run: {', '.join(only_new) or 'geen'}; "
                      f"alleen in oude run: {', '.join(only_old) or 'geen'}"]
    return lines


def compare_runs(new_dir: Path | str, old_dir: Path | str) -> str:
    """Markdown: each metric old → new with the difference, per-type hit@5, and flipped questions."""
    new, old = load_run(new_dir), load_run(old_dir)
    o, n = old.metrics["overall"], new.metrics["overall"]
    lines = [HEADING, "",
             f"Oud: `{old.dir}` ({old.info.get('timestamp', '?')}) → nieuw: `{new.dir}` ({new.info.get('timestamp', '?')})", ""]
    for key in ("questions_file", "k"):
        if old.info.get(key) != new.info.get(key):
            lines += [f"Let op: `{key}` verschilt ({old.info.get(key)} → {new.info.get(key)}).", ""]
    lines += ["| metric | oud | nieuw | verschil |", "|---|---:|---:|---|"]
    for key in METRICS:
        lines.append(f"| {key} | {fmt(key, o.get(key))} | {fmt(key, n.get(key))} | {difference(key, o.get(key), n.get(key))} |")

    hit = f"hit@{FAIL_K}"
    lines += ["", f"| type | {hit} oud | {hit} nieuw | abstention_rate oud | abstention_rate nieuw |",
              "|---|---:|---:|---:|---:|"]
    for t in sorted(set(old.metrics["per_type"]) | set(new.metrics["per_type"])):
        ot, nt = old.metrics["per_type"].get(t, {}), new.metrics["per_type"].get(t, {})
        lines.append(f"| {t} | {fmt(hit, ot.get(hit))} | {fmt(hit, nt.get(hit))} | "
                     f"{fmt('abstention_rate', ot.get('abstention_rate'))} | {fmt('abstention_rate', nt.get('abstention_rate'))} |")
    lines += [""] + _flips(old.metrics.get("per_question", {}), new.metrics.get("per_question", {}))
    return "\n".join(lines) + "\n"


def append_comparison(new_dir: Path | str, old_dir: Path | str) -> str:
    """Add (or replace) the comparison section at the end of new_dir/report.md; return the Markdown."""
    markdown = compare_runs(new_dir, old_dir)
    report = Path(new_dir) / "report.md"
    text = report.read_text("utf-8") if report.is_file() else ""
    text = text.split("\n" + HEADING)[0].rstrip("\n")
    report.write_text((text + "\n\n" if text else "") + markdown, "utf-8")
    return markdown
