"""Statistics and Markdown tables: the figures, their targets, another tree against this one."""

from __future__ import annotations

import math
import random
import statistics
import sys
from collections.abc import Mapping, Sequence
from typing import Any

HEADER = ["figure", "n", "median", "min", "max", "baseline (median)", "ratio", "target", "met"]
VERSUS_HEADER = ["tree", "figure", "as built", "that tree", "change", "95% interval", "noise"]
LEAST_COMPARED = 5  # values on each side before a change is called within or outside noise
UNITS = {"ms": "{:,.0f} ms", "s": "{:.2f} s", "MiB": "{:,.0f} MiB", "": "{:.0f}"}
UNITS["KB"] = "{:,.1f} KB"  # bytes are measured, kilobytes (1,000 bytes) shown


def say(text: str) -> None:
    """Report progress on stderr (the tables go to stdout)."""
    print(text, file=sys.stderr, flush=True)


def values(loads: Mapping[str, Sequence[Any]], name: str, attribute: str) -> list[float]:
    """Return the values of `attribute` (lists flattened) over the loads `name` without error."""
    found = [getattr(load, attribute) for load in loads.get(name, []) if not load.error]
    flat = [v for each in found for v in (each if isinstance(each, list) else [each])]
    return [value for value in flat if value is not None]


def median(values: Sequence[float]) -> float | None:
    """Return the median of `values`, or None when there are none."""
    return statistics.median(values) if values else None


def ratio(values: Sequence[float], base: Sequence[float]) -> float | None:
    """Return the ratio of two medians, or None."""
    top, bottom = median(values), median(base)
    return None if top is None or not bottom else top / bottom


def fmt(value: float | None, unit: str) -> str:
    """Format a value in its unit."""
    return "n/a" if value is None else UNITS[unit].format(value / (1000 if unit == "KB" else 1))


def at_most(value: float | None, limit: float, detail: str = "") -> str:
    """Return the verdict of `value` ≤ `limit`: "met", "**MISSED**" or "not measured"."""
    word = "not measured" if value is None else ("met" if value <= limit else "**MISSED**")
    return f"{word} ({detail})" if detail else word


def p95_verdict(values: list[float], limit: float, least: int = 20) -> str:
    """Judge the 95th percentile (nearest rank) of `values` once there are `least` of them."""
    if len(values) < least:
        return f"not judged ({len(values)} of {least} values)"
    tail = sorted(values)[math.ceil(0.95 * len(values)) - 1]
    return at_most(tail, limit, f"p95 {tail:,.0f} ms")


def row(figure: str, values: list[float], unit: str, target: str, met: str,
        baseline: tuple[str, list[float]] = ("none", [])) -> list[str]:  # fmt: skip
    """Return a results table's row: a figure, its spread, its baseline, its target, met."""
    named, base = baseline
    spread = [fmt(f(values) if values else None, unit) for f in (median, min, max)]
    named += f": {fmt(median(base), unit)}" if base else ""
    rate = ratio(values, base)
    rated = "—" if rate is None else f"{rate:.2f}"
    return [figure, str(len(values)), *spread, named, rated, target, met]


def ratio_row(figure: str, values: list[float], unit: str, baseline: tuple[str, list[float]],
              limit: float) -> list[str]:  # fmt: skip
    """Return a row whose target is its median's ratio to the baseline's, at most `limit`."""
    met = at_most(ratio(values, baseline[1]), limit)
    return row(figure, values, unit, f"ratio ≤ {limit:.2f}", met, baseline)


def versus_row(tree: str, figure: str, base: list[float], off: list[float], unit: str) -> list[str]:
    """Compare a figure with another tree's: the median's change, its 95% bootstrap interval."""
    spans = [f"{fmt(median(v), unit)} (n={len(v)})" for v in (base, off)]
    if not base or not off:
        return [tree, figure, *spans, "", "", "not measured"]
    draw, middle = random.Random(25), statistics.median
    changes = sorted(
        middle(draw.choices(off, k=len(off))) - middle(draw.choices(base, k=len(base)))
        for _ in range(2_000)
    )
    low, high, change = changes[50], changes[1_949], middle(off) - middle(base)
    noise = "within noise" if low <= 0 <= high else "outside noise"
    noise = noise if min(len(base), len(off)) >= LEAST_COMPARED else "too few values to judge"
    sign, interval = "+" if change >= 0 else "", f"{fmt(low, unit)} to {fmt(high, unit)}"
    return [tree, figure, *spans, sign + fmt(change, unit), interval, noise]


def table(rows: list[list[str]], header: list[str] = HEADER) -> list[str]:
    """Render a Markdown table, one line per row, and a blank line; nothing without rows."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    return [*lines, *("| " + " | ".join(cells) + " |" for cells in rows), ""] if rows else []
