"""Lighthouse's category scores for pages of the served site: a section of the report.

Run it from the repository's root: ``python -m bench.lighthouse`` (``make bench`` does).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # also as `python bench/lighthouse.py`
from bench.floors import FLOOR_DIR, PYSCRIPT_FLOOR, THEME_FLOOR
from bench.machine import QUIET
from bench.run import built_site, parser_with, publish, require_chromium, say
from sitekit.chromium import CHROMIUM, CHROMIUM_ARGS
from sitekit.pages import python_pages

LIGHTHOUSE = Path(__file__).resolve().parents[1] / "node_modules" / "lighthouse"
# Each category's target score (issue 15), in the report's order.
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
# Audited as well, as what the design scores before this site adds anything (bench/floors.py).
FLOORS = {
    f"{FLOOR_DIR}/{PYSCRIPT_FLOOR}": "floor: PyScript alone",
    f"{FLOOR_DIR}/{THEME_FLOOR}": "floor: the theme and PyScript",
}


@dataclass(frozen=True)
class Audit:
    """One page's scores (0-100) per category over the runs, and the audits that lost points."""

    page: str
    scores: dict[str, list[int]]
    failing: frozenset[str]
    error: str | None = None


def pages_to_audit(root: Path) -> list[str]:
    """Return the home page, a playbook page, every built page that starts Python, the floors."""
    return ["", "stay/", *python_pages(root), *FLOORS]


def lighthouse(url: str) -> dict[str, Any]:
    """Run Lighthouse once on `url` (its default mobile emulation); return its JSON report."""
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as folder:
        output = Path(folder) / "report.json"
        command = ["node", str(LIGHTHOUSE / "cli" / "index.js"), url, "--output=json"]
        command += [f"--output-path={output}", f"--only-categories={','.join(TARGETS)}"]
        command += [f"--chrome-flags={' '.join(['--headless=new', *CHROMIUM_ARGS])}"]
        # Chrome's temporary profile goes into TMPDIR, removed with the folder.
        env = {**os.environ, "CHROME_PATH": str(CHROMIUM), "TMPDIR": folder}
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or not output.is_file():
            errors = [line for line in done.stderr.splitlines() if "LH:status" not in line]
            raise RuntimeError(f"lighthouse exited {done.returncode}: {' / '.join(errors[-3:])}")
        report: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
        return report


def audit(base: str, page: str, runs: int) -> Audit:
    """Run Lighthouse `runs` times on one page; keep the scores and the audits below 1."""
    scores: dict[str, list[int]] = {name: [] for name in TARGETS}
    failing: set[str] = set()
    for index in range(runs):
        try:
            try:
                report = lighthouse(base + page)
            except RuntimeError as error:  # seen once on a busy machine: one retry
                say(f"lighthouse /{page}: {error}; trying again")
                report = lighthouse(base + page)
        except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as error:
            return Audit(page, scores, frozenset(failing), str(error))
        for name, category in report["categories"].items():
            if category.get("score") is not None:
                scores[name].append(round(100 * category["score"]))
            # Performance audits are measurements, not defects: list only the others'.
            refs = category["auditRefs"] if name != "performance" else []
            scored = [report["audits"][ref["id"]] for ref in refs if ref.get("weight", 0) > 0]
            failing |= {a["id"] for a in scored if a["score"] is not None and a["score"] < 1}
        latest = ", ".join(f"{name} {values[-1]}" for name, values in scores.items() if values)
        say(f"lighthouse {index + 1}/{runs} /{page}: {latest}")
    return Audit(page, scores, frozenset(failing))


def section(audits: list[Audit], runs: int) -> list[str]:
    """Return the report's Lighthouse section (Markdown lines)."""
    version = json.loads((LIGHTHOUSE / "package.json").read_text(encoding="utf-8"))["version"]
    header = ["page", "runs", *TARGETS, "met", "audits below full marks (not performance)"]
    lines = [
        f"## Lighthouse {version} (default mobile emulation, median of {runs} runs)",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join(" --- " for _ in header) + "|",
    ]
    for each in audits:
        medians = {n: statistics.median(v) if v else None for n, v in each.scores.items()}
        missed = [n for n, v in medians.items() if v is None or v < TARGETS[n]]
        met = f"**MISSED** ({', '.join(missed)})" if missed else "met"
        met = FLOORS.get(each.page, met)
        cells = [f"`/{each.page}`", str(len(each.scores["performance"]))]
        cells += ["n/a" if v is None else f"{v:.0f}" for v in medians.values()]
        cells += [
            each.error or met,
            ", ".join(f"`{name}`" for name in sorted(each.failing)) or "none",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    targets = ", ".join(f"{name} ≥ {value}" for name, value in TARGETS.items())
    notes = [
        "",
        f"Targets: {targets}. The floors are not pages of the site: they show what a page of "
        "this design scores before the site adds anything (bench/floors.py).",
    ]
    theme = next((each for each in audits if each.page == f"{FLOOR_DIR}/{THEME_FLOOR}"), None)
    if theme and theme.scores["performance"]:
        floor = statistics.median(theme.scores["performance"])
        below = "below" if floor < TARGETS["performance"] else "at or above"
        notes += [
            "",
            f"The theme floor's performance score, {floor:.0f}, is {below} the target: that is "
            "what Material's page and PyScript's worker score here with nothing of the site's own.",
        ]
    return [*lines, *notes, ""]


def main(argv: list[str] | None = None) -> int:
    """Build and serve the site once, audit its pages, print the section (and append it)."""
    require_chromium()
    parser = parser_with(__doc__ or "", (("--runs", 3, "Lighthouse runs per page (median)"),))
    args = parser.parse_args(argv)
    QUIET.wait_s = args.quiet_wait
    with built_site(1) as (target, _):
        audits = [audit(target.site.base, page, args.runs) for page in pages_to_audit(target.root)]
    publish("\n".join(section(audits, args.runs)), args.append, append=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
