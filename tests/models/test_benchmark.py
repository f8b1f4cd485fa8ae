"""The benchmark table: every configuration, in order, with the published rows."""
from __future__ import annotations

from xapp.models.benchmark import PUBLISHED, devmap_table, format_markdown

from .test_evaluation import synthetic


def test_table_rows_and_markdown():
    # 2 folds and the 1x threshold alone: the table's shape (it shows only 1x figures), not its figures
    rows = devmap_table(synthetic(n=60), synthetic(n=20, seed=5, name="extra"), folds=2, thresholds=(1,))
    assert [r.label for r in rows] == [
        "stratified, hints", "stratified, hints, + CLgen", "stratified, no hints", "stratified, no hints, + CLgen",
        "grouped, hints", "grouped, hints, + CLgen", "grouped, no hints", "grouped, no hints, + CLgen",
        "stratified, hints with dropout (the shipped recipe)",
        "stratified, trained with dropout, tested without hints"]
    assert all(r.evaluation.folds == 2 and r.evaluation.seed == 204 for r in rows)
    assert all([t.threshold for t in r.evaluation.thresholds] == [1.0] for r in rows)
    text = format_markdown(rows)
    lines = text.splitlines()
    assert len(lines) == 2 + len(rows) + len(PUBLISHED)
    first = rows[0].figures()
    assert lines[2].startswith(f"| xapp: stratified, hints | {100 * first['accuracy']:.1f}% |")
    assert lines[-1] == "| published: PERFOGRAPH (NeurIPS 2023) | 94.0% | | | | |"
