"""report.md and its PNG charts (Dutch: this is a Dutch product)."""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from evals.metrics import FAIL_K, METRICS, percentile

TYPE_CHART = "per_vraagtype.png"
LATENCY_CHART = "latentie.png"
# What the per-type chart and table show; abstention only applies to unanswerable questions.
TYPE_METRICS = ["hit@1", "hit@5", "mrr@10", "evidence_recall@10", "must_mention", "citation_hit",
                "citation_precision", "abstention_rate", "false_abstention_rate", "latency_p50_ms"]
CHART_METRICS = ["hit@5", "evidence_recall@10", "must_mention", "citation_hit", "abstention_rate"]

EXPLAIN = {
    "hit@1": "aandeel vragen met bewijs in de beste passage",
    "hit@3": "aandeel vragen met bewijs in de top 3",
    "hit@5": "aandeel vragen met bewijs in de top 5",
    "hit@10": "aandeel vragen met bewijs in de top 10",
    "mrr@10": "gemiddelde 1/rang van de eerste passage met bewijs",
    "evidence_recall@10": "aandeel van de bewijsquotes gevonden in de top 10",
    "must_mention": "aandeel verplichte termen in het antwoord",
    "citation_hit": "minstens één bron bevat bewijs",
    "citation_precision": "aandeel bronnen met bewijs, of uit een gouden document met ≥50% van de inhoudswoorden",
    "citation_precision_strict": "aandeel bronnen dat een bewijsquote bevat",
    "abstention_rate": "onbeantwoordbare vragen waarop het systeem zei dat het er niet in staat",
    "false_abstention_rate": "beantwoordbare vragen waarop het systeem toch weigerde",
    "avg_context_chars": "gemiddelde lengte van een opgehaalde passage (tekens)",
    "latency_p50_ms": "mediaan van de tijd per vraag (ms), zonder fouten",
    "latency_p95_ms": "95e percentiel van de tijd per vraag (ms), zonder fouten",
}


def _plain(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def fmt(key: str, value, number=_plain) -> str:
    """A metric as text: milliseconds and characters whole, scores with two decimals;
    `number(value, decimals)` writes the digits (the app passes Dutch notation)."""
    if value is None:
        return "–"
    return number(value, 0 if key.endswith("_ms") or key.endswith("_chars") else 2)


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _save(fig: Figure, path: Path) -> None:
    FigureCanvasAgg(fig)  # explicit Agg canvas: no pyplot state, no display needed
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def type_chart(per_type: dict, path: Path) -> None:
    types = list(per_type)
    fig = Figure(figsize=(max(6, 1.3 * len(types)), 4))
    ax = fig.add_subplot()
    width = 0.8 / len(CHART_METRICS)
    for i, key in enumerate(CHART_METRICS):
        values = [per_type[t].get(key) or 0.0 for t in types]
        ax.bar([x + i * width for x in range(len(types))], values, width, label=METRICS[key][0])
    ax.set_xticks([x + 0.4 - width / 2 for x in range(len(types))], types, rotation=20)
    ax.set_ylim(0, 1.3)  # headroom for the legend above the bars
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.set_title("Scores per vraagtype")
    ax.legend(fontsize=7, loc="upper center", ncols=3, frameon=False)
    _save(fig, path)


def latency_chart(latencies: list[float], path: Path) -> None:
    fig = Figure(figsize=(6, 3.5))
    ax = fig.add_subplot()
    ax.hist(latencies or [0.0], bins=min(20, max(5, len(latencies) // 3)))
    for pct, style in ((50, "--"), (95, ":")):
        if latencies:
            ax.axvline(percentile(latencies, pct), color="black", linestyle=style, label=f"p{pct}")
    if latencies:
        ax.legend(fontsize=8)
    ax.set_xlabel("latentie per vraag (ms)")
    ax.set_ylabel("aantal vragen")
    ax.set_title("Latentie")
    _save(fig, path)


def write_report(out_dir: Path, metrics: dict, info: dict, latencies: list[float]) -> Path:
    type_chart(metrics["per_type"], out_dir / TYPE_CHART)
    latency_chart(latencies, out_dir / LATENCY_CHART)
    o = metrics["overall"]
    lines = [
        "# Evaluatierapport",
        "",
        f"Vragen: `{info.get('questions_file')}` — {o['n']} vragen ({o['n_answerable']} beantwoordbaar, "
        f"{o['n_unanswerable']} niet), k = {info.get('k')}, fouten: {o['n_errors']}, run: {info.get('timestamp')}",
        "",
        "## Resultaten",
        "",
        "| metric | waarde | betekenis |",
        "|---|---:|---|",
    ]
    lines += [f"| {key} | {fmt(key, o.get(key))} | {EXPLAIN.get(key, label)} |" for key, (label, _) in METRICS.items()]
    lines += ["", "## Per vraagtype", "", "| type | n | " + " | ".join(TYPE_METRICS) + " |",
              "|---|---:|" + "---:|" * len(TYPE_METRICS)]
    for t, m in metrics["per_type"].items():
        lines.append(f"| {t} | {m['n']} | " + " | ".join(fmt(k, m.get(k)) for k in TYPE_METRICS) + " |")
    lines += ["", f"![Scores per vraagtype]({TYPE_CHART})", "", "## Latentie", "",
              f"![Latentie]({LATENCY_CHART})", ""]
    lines += _failed_section(metrics["failed"])
    path = out_dir / "report.md"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _failed_section(failed: list[dict]) -> list[str]:
    lines = [f"## Mislukte vragen ({len(failed)})", "",
             f"Beantwoordbaar zonder treffer in de top {FAIL_K}, een fout bij 'staat er niet in', of een fout.", ""]
    for f in failed:
        lines += [f"### {f['id']} ({f['type']}): {', '.join(f['reasons'])}", "", f"> {_cell(f['question'])}", ""]
        if f.get("error"):
            lines.append(f"- fout: `{_cell(f['error'])}`")
        lines.append(f"- antwoord: {_cell(f['answer']) or '–'}")
        if f["gold_docs"]:
            lines.append("- gouden documenten: " + ", ".join(f"`{d}`" for d in f["gold_docs"]))
        lines.append("- opgehaald:" if f["retrieved"] else "- opgehaald: niets")
        lines += [f"  - #{c['rank']} `{c['doc']}`: {_cell(c['text'])}" for c in f["retrieved"]]
        lines.append("")
    return lines
