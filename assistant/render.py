"""How an answer looks in the terminal: the answer, then its numbered sources with quotes."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from assistant.records import Answer, Citation, Context


def pages(item: Citation | Context) -> str:
    if item.page_start is None:
        return ""
    if item.page_end in (None, item.page_start):
        return f"p. {item.page_start}"
    return f"p. {item.page_start}–{item.page_end}"


def source_line(item: Citation | Context) -> str:
    where = " — ".join(x for x in (item.case, item.section) if x and x != item.title)
    parts = [item.title or item.doc, where, pages(item)]
    return ", ".join(p for p in parts if p) + f" ({item.doc})"


def print_answer(console: Console, answer: Answer, closest: int = 3) -> None:
    console.print()
    for warning in answer.warnings:
        console.print(f"[yellow]Let op:[/yellow] {escape(warning)}")
    console.print(escape(answer.answer))
    if answer.abstained:
        console.print("\n[bold]Misschien relevant:[/bold]")
        for ctx in answer.closest(closest):
            console.print(f"  • {escape(source_line(ctx))}")
            console.print(f"    [dim]“{escape(_snippet(ctx.text))}”[/dim]")
    else:
        console.print("\n[bold]Bronnen:[/bold]")
        for cit in answer.citations:
            console.print(f"  {escape(f'[{cit.n}]')} {escape(source_line(cit))}")
            console.print(f"      [dim]“{escape(_snippet(cit.quote, 400))}”[/dim]")
    console.print()


def _snippet(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


_SHOWN_METRICS = [
    "hit@1", "hit@5", "mrr@10", "evidence_recall@10", "must_mention", "citation_hit",
    "citation_precision", "abstention_rate", "false_abstention_rate", "avg_context_chars",
    "latency_p50_ms", "latency_p95_ms",
]


def print_metrics(console: Console, metrics: dict, out_dir) -> None:
    """The overall figures and hit@5 per question type, as a table."""
    from rich.table import Table

    overall = metrics["overall"]
    table = Table("metric", "waarde", title=f"Evaluatie ({overall['n']} vragen)")
    for key in _SHOWN_METRICS:
        value = overall.get(key)
        table.add_row(key, "—" if value is None else (f"{value:.0f}" if value > 10 else f"{value:.3f}"))
    console.print(table)
    per_type = Table("vraagtype", "n", "hit@5", "mrr@10", "must_mention", "abstentie")
    for name, m in metrics["per_type"].items():
        cells = [m.get("hit@5"), m.get("mrr@10"), m.get("must_mention"), m.get("abstention_rate")]
        per_type.add_row(name, str(m["n"]), *("—" if v is None else f"{v:.2f}" for v in cells))
    console.print(per_type)
    console.print(f"Mislukte vragen: {len(metrics['failed'])}. Rapport: {out_dir}/report.md")
