"""Answer-quality evaluation: gold questions → results, metrics and a report (see evals/README.md)."""
