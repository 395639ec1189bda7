"""Lighthouse's category scores, and total blocking time, for pages of the served site."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile

from bench.machine import QUIET
from bench.report import VERSUS_HEADER, say, table, versus_row
from bench.site import Target
from sitekit.chromium import CHROMIUM, CHROMIUM_ARGS
from sitekit.hookfiles import REPO
from sitekit.pages import python_pages

LIGHTHOUSE = REPO / "node_modules" / "lighthouse"
# Each category's target score (issue 15), in the report's order.
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
BLOCKING = "total-blocking-time"


def audit(url: str, runs: int) -> tuple[dict[str, list[float]], set[str]]:
    """Run Lighthouse `runs` times on `url` (its default mobile emulation): the category scores
    (0-100) and blocking times (ms) of the runs, and the weighted audits that lost points."""
    scores: dict[str, list[float]] = {name: [] for name in [*TARGETS, BLOCKING]}
    failing: set[str] = set()
    command = ["node", str(LIGHTHOUSE / "cli" / "index.js"), url, "--output=json"]  # to stdout
    command += [f"--only-categories={','.join(TARGETS)}"]
    command += [f"--chrome-flags={' '.join(['--headless=new', *CHROMIUM_ARGS])}"]
    for _ in range(runs):
        QUIET.wait()
        # Chrome's temporary profile goes into TMPDIR, removed with the folder.
        with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as folder:
            env = {**os.environ, "CHROME_PATH": str(CHROMIUM), "TMPDIR": folder}
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            errors = [line for line in done.stderr.splitlines() if "LH:status" not in line]
            raise RuntimeError(f"lighthouse exited {done.returncode}: {' / '.join(errors[-3:])}")
        report = json.loads(done.stdout)
        scores[BLOCKING].append(report["audits"][BLOCKING]["numericValue"])
        for name, category in report["categories"].items():
            scores[name].append(round(100 * category["score"]))
            refs = category["auditRefs"] if name != "performance" else []
            scored = [report["audits"][ref["id"]] for ref in refs if ref.get("weight", 0) > 0]
            failing |= {a["id"] for a in scored if a["score"] is not None and a["score"] < 1}
        say(f"lighthouse {url}: performance {scores['performance']}")
    return scores, failing


def section(targets: list[Target], runs: int) -> list[str]:
    """Audit the home page, a playbook page and every Python page of each tree (worst runs)."""
    header = ["page", "runs", *TARGETS, "total blocking time", "met", "audits below full marks"]
    rows, compared = [], []
    for page in ["", "stay/", *python_pages(targets[0].site.root)]:
        built: dict[str, list[float]] = {}
        for target in targets:
            try:
                scores, failing = audit(target.site.url(page), runs)
            except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as error:
                rows.append([f"`/{page}`", "0", *[""] * 5, str(error), ""])
                continue
            # The worst run counts: the lowest score, the longest blocking time.
            got = {name: (max if name == BLOCKING else min)(v) for name, v in scores.items() if v}
            missed = [name for name, limit in TARGETS.items() if got.get(name, 0) < limit]
            met = f"**MISSED** ({', '.join(missed)})" if missed else "met"
            cells = [f"{got.get(name, 0):.0f}" for name in TARGETS]
            named = f"`/{page}`" + (f" ({target.variant})" if target.variant else "")
            rows.append([named, str(runs), *cells, f"{got.get(BLOCKING, 0):,.0f} ms", met])
            rows[-1].append(", ".join(f"`{name}`" for name in sorted(failing)) or "none")
            if target.variant is None:
                built = scores
                continue
            for name, unit in (("performance", ""), (BLOCKING, "ms")):
                off, figure = scores[name], f"`/{page}` {name}"
                compared.append(versus_row(target.variant, figure, built.get(name, []), off, unit))
    version = json.loads((LIGHTHOUSE / "package.json").read_text(encoding="utf-8"))["version"]
    limits = ", ".join(f"{name} ≥ {limit}" for name, limit in TARGETS.items())
    lines = [f"## Lighthouse {version} (default mobile emulation, worst of {runs} runs)", ""]
    lines += [*table(rows, header), f"Targets: {limits}, in every run.", ""]
    return [*lines, *table(compared, VERSUS_HEADER)]
