"""The sensitivity table on the methodology page: reproducible, and equal to full rescoring."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from assessment import Bank, assess
from assessment.sensitivity import sample_answers, sensitivity
from macros.render import sensitivity_table

SMALL = 120


def test_the_sample_is_fixed_by_its_seed(bank: Bank) -> None:
    """Two draws with one seed are equal; another seed gives other answers."""
    first = sample_answers(bank, 50, seed=7)
    assert first == sample_answers(bank, 50, seed=7)
    assert first != sample_answers(bank, 50, seed=8)
    assert all(set(answers) == set(bank.question_ids) for answers in first)


def test_the_table_is_the_same_on_every_build(bank: Bank) -> None:
    """The macro's output does not change between runs (no clock, no unseeded randomness)."""
    assert sensitivity_table(bank) == sensitivity_table(bank)


def test_the_sample_reaches_every_verdict(bank: Bank) -> None:
    """The sample spreads from failing to healthy partnerships: each verdict is common enough."""
    counts = dict(sensitivity(bank).verdicts)
    assert sum(counts.values()) >= 2000
    for verdict in ("stay", "repair", "go"):
        assert counts[verdict] >= 200, counts


def _changed(bank: Bank, variant: Bank, sample: list[dict[str, int | None]]) -> int:
    return sum(1 for a in sample if assess(a, bank).verdict != assess(a, variant).verdict)


def _shift(answers: dict[str, int | None], step: int) -> dict[str, int | None]:
    return {q: None if v is None else min(5, max(1, v + step)) for q, v in answers.items()}


def test_each_row_equals_a_full_rescoring(bank: Bank) -> None:
    """Re-applying only the rules counts exactly what scoring everything again would count."""
    sample = sample_answers(bank, SMALL)
    rows = {row.name: row for row in sensitivity(bank, SMALL).rows}
    t = bank.thresholds
    variants = {
        f"Stay threshold {t.stay_overall - 5:g} (not {t.stay_overall:g})": replace(
            t, stay_overall=t.stay_overall - 5
        ),
        f"Stay threshold {t.stay_overall + 5:g} (not {t.stay_overall:g})": replace(
            t, stay_overall=t.stay_overall + 5
        ),
        f"Critical dimension level {t.critical_dimension + 5:g} (not {t.critical_dimension:g})": (
            replace(t, critical_dimension=t.critical_dimension + 5)
        ),
        f"Scored dimensions needed: {t.min_scored_dimensions + 1} "
        f"(not {t.min_scored_dimensions})": replace(
            t, min_scored_dimensions=t.min_scored_dimensions + 1
        ),
        f"A repair step counts as done at level {t.repair_step_done - 1} "
        f"(not {t.repair_step_done})": replace(t, repair_step_done=t.repair_step_done - 1),
    }
    for name, thresholds in variants.items():
        variant = replace(bank, thresholds=thresholds)
        assert rows[name].changed == _changed(bank, variant, sample), name
    equal = replace(bank, dimensions=tuple(replace(d, weight=1.0) for d in bank.dimensions))
    assert rows["All dimensions weigh the same"].changed == _changed(bank, equal, sample)
    for name, step in (("Every answer one level higher", 1), ("Every answer one level lower", -1)):
        moved = sum(
            1 for a in sample if assess(a, bank).verdict != assess(_shift(a, step), bank).verdict
        )
        assert rows[name].changed == moved, name


def test_every_required_change_has_a_row(bank: Bank) -> None:
    """Each score threshold both ways, equal weights and every answer one level each way."""
    names = " | ".join(row.name for row in sensitivity(bank, SMALL).rows)
    for needed in ("Stay threshold", "Critical dimension level", "Minimum coverage"):
        assert names.count(needed) == 2, needed
    assert "All dimensions weigh the same" in names
    assert "one level higher" in names and "one level lower" in names


@pytest.mark.usefixtures("bank")
def test_methodology_page_shows_the_table(built_site: Path, bank: Bank) -> None:
    """The built page carries the table the engine computes, and each question's source idea."""
    page = (built_site / "methodology" / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    report = sensitivity(bank)
    assert f"Sample: {report.size:,} answer sets (seed {report.seed})" in text
    for row in report.rows:
        assert f"{row.share:.1%} ({row.changed:,})" in text, row.name
    assert "not a validated psychometric instrument" in text
    assert "--rescore FOLDER" in text
