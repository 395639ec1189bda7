"""``make bench``: build the site, serve it as GitHub Pages would, measure, write the report."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # also as `python bench/run.py`
from playwright.sync_api import sync_playwright

from bench import core, lighthouse, phone, team
from bench.machine import QUIET, describe
from bench.report import say
from bench.site import built, served
from sitekit.chromium import CHROMIUM

RESULTS = Path(__file__).resolve().parent / "results.md"
PARTS = ("core", "phone", "team", "lighthouse")


def main(argv: list[str] | None = None) -> None:
    """Build, serve and measure every part asked for; print the report and write it."""
    options = argparse.ArgumentParser(description=__doc__)  # bench/README.md describes each
    options.add_argument("--runs", type=int, default=7, help="cold loads and warm revisits")
    options.add_argument("--build-runs", type=int, default=3, help="timed builds")
    options.add_argument("--lighthouse-runs", type=int, default=3, help="runs per page")
    options.add_argument("--only", action="append", choices=PARTS, help="measure only this part")
    tree = "also build another work tree of the project and measure it in the same runs"
    options.add_argument("--against", action="append", default=[], type=Path, help=tree)
    options.add_argument("--output", type=Path, default=RESULTS, help=f"the report ({RESULTS})")
    quick = "one of everything: no warm-up, no waiting for idle CPUs, the fewest repetitions"
    options.add_argument("--quick", action="store_true", help=quick)
    args, load_start = options.parse_args(argv), os.getloadavg()
    if not os.access(CHROMIUM, os.X_OK):
        raise SystemExit(f"{CHROMIUM} is missing: run 'make chromium' (apt-get install chromium).")
    QUIET.enabled, parts = not args.quick, args.only or PARTS
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = ["# Benchmark results", "", f"`make bench`, {now}. Definitions: bench/README.md.", ""]
    with (
        built(args.build_runs) as (root, builds),
        served(root, args.against) as targets,
        sync_playwright() as playwright,
    ):
        if "core" in parts:
            loads = core.measure(playwright, targets, args.runs, args.quick)
            lines += core.section(loads, builds, args.runs)
        if "phone" in parts:
            lines += phone.section(playwright, targets[0], 1 if args.quick else 3)
        if "team" in parts:
            lines += team.section(playwright, targets[0], args.quick)
        if "lighthouse" in parts:
            lines += lighthouse.section(targets, 1 if args.quick else args.lighthouse_runs)
    text = "\n".join([*lines, "## Machine", "", *describe(load_start), ""])
    print(text)
    args.output.write_text(text, encoding="utf-8")
    say(f"written: {args.output}")


if __name__ == "__main__":
    main()
