"""Combining responses: the command line, the compare page, a health check's sealed replies."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page, Playwright

from assessment import encode, load_bank
from assessment.replies import REPLY_END, REPLY_START
from assessment.rounds import INVITE_FRAGMENT, read_invitation
from bench.browser import RESULT_TIMEOUT_MS, launch, probe
from bench.machine import QUIET
from bench.report import at_most, median, p95_verdict, row, say, table
from bench.site import Target
from sitekit.pages import ready_mark

CLI = Path(sys.executable).parent / "partnership-assessment"
CLI_RESPONSES, PAGE_RESPONSES, CLI_TARGET_S, PAGE_TARGET_MS = 1_000, 50, 1.0, 100.0
COMPARE_PAGE, ROUND_REPLIES, ROUND_TARGET_MS, SEAL_TARGET_MS = "compare/", 50, 500.0, 50.0
PASSPHRASE = "bench passphrase, long enough"


def codes(count: int) -> list[str]:
    """Return `count` share codes, the same each run; the last has no side (for compare_times)."""
    bank, rng, made = load_bank(), random.Random(11), []
    sides = [relationship.id for relationship in bank.relationships]
    for index in range(count):
        answers = {question.id: rng.randint(1, 5) for question in bank.questions}
        side = sides[index % 2] if index < count - 1 else None
        given = date(2026, 1, 1) + timedelta(days=index % 300)
        made.append(encode(answers, bank, relationship=side, given=given))
    return made


def cli_times(runs: int) -> list[float]:
    """Return the wall times (s) of `partnership-assessment` combining 1,000 codes."""
    command = [str(CLI)] + [arg for code in codes(CLI_RESPONSES) for arg in ("--code", code)]
    walls = []
    for index in range(runs):
        QUIET.wait()
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        walls.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"partnership-assessment exited {done.returncode}: {done.stderr}")
        say(f"command line {index + 1}/{runs}: {walls[-1]:.2f} s")
    return walls


@contextmanager
def compare_page(playwright: Playwright, target: Target) -> Iterator[Page]:
    """Yield the compare page, fresh, once Python is ready."""
    with launch(playwright) as context:
        page, mark = context.pages[0], ready_mark(target.site.root, COMPARE_PAGE)
        page.goto(target.site.url(COMPARE_PAGE), wait_until="load")
        if "error" in (ready := page.evaluate(probe("wait-ready"), [mark, 120_000])):
            raise SystemExit(f"compare page: {ready['error']}")
        yield page


def compare_times(playwright: Playwright, target: Target, repeats: int) -> list[float]:
    """Paste 50 codes, change one's side `repeats` times: the ms from each until the result."""
    times = []
    with compare_page(playwright, target) as page:
        page.fill("#pp-codes", "\n".join(codes(PAGE_RESPONSES)))
        page.click("#pp-add-codes")
        page.wait_for_selector('#compare-result[data-state="shown"]', timeout=RESULT_TIMEOUT_MS)
        for index in range(repeats):
            page.wait_for_timeout(300)  # the previous change's follow-up call (the link) ends
            side = ("client", "provider")[index % 2]
            outcome = page.evaluate(probe("compare-change"), [side, RESULT_TIMEOUT_MS])
            if "error" in outcome:
                raise SystemExit(f"compare page, repetition {index + 1}: {outcome['error']}")
            times.append(float(outcome["ms"]))
    say(f"compare page: {', '.join(f'{value:.0f}' for value in times)} ms")
    return times


def start_round(page: Page) -> tuple[str, str]:
    """Start a health check as an organiser does; return its id and public key (from its link)."""
    page.click("#pp-round-new")
    page.fill("#pp-round-name", "Benchmark")
    page.fill("#pp-round-ours", str(ROUND_REPLIES // 2))
    page.fill("#pp-round-theirs", str(ROUND_REPLIES - ROUND_REPLIES // 2))
    page.fill("#pp-round-passphrase", PASSPHRASE)
    page.fill("#pp-round-passphrase-again", PASSPHRASE)
    with page.expect_download():
        page.click("#pp-round-create")
    invited = "() => document.getElementById('pp-invite-ours').value.includes('#invite=')"
    page.wait_for_function(invited, timeout=RESULT_TIMEOUT_MS)
    link: str = page.input_value("#pp-invite-ours")
    invitation = read_invitation(INVITE_FRAGMENT + link.split(INVITE_FRAGMENT, 1)[1])
    return invitation.round, invitation.public_key


def round_times(
    playwright: Playwright, target: Target, repeats: int
) -> tuple[list[float], list[float]]:
    """Start a health check, seal 50 replies to it in the page, paste them `repeats` times into
    an emptied list: the ms of each sealing, and from each "Add" until the 50's result shows."""
    opened = []
    with compare_page(playwright, target) as page:
        round_id, public_key = start_round(page)
        module = target.site.url("javascripts/seal.js")
        sealing = [module, codes(ROUND_REPLIES), round_id, public_key, REPLY_START, REPLY_END]
        made = page.evaluate(probe("seal-replies"), sealing)
        text = "\n\n".join(made["replies"])
        for index in range(repeats):
            if page.is_visible("#pp-clear"):
                page.click("#pp-clear")
            page.wait_for_selector('#compare-result[data-state="empty"]')
            page.wait_for_timeout(300)  # the emptied list's follow-up calls end
            outcome = page.evaluate(probe("round-open"), [text, RESULT_TIMEOUT_MS])
            if "error" in outcome:
                raise SystemExit(f"a round's replies, repetition {index + 1}: {outcome['error']}")
            if outcome["count"] != f"{ROUND_REPLIES} responses.":
                raise SystemExit(f"a round's replies: {outcome['count']} (not {ROUND_REPLIES})")
            opened.append(float(outcome["ms"]))
    say(f"a round's {ROUND_REPLIES} replies: {', '.join(f'{value:.0f}' for value in opened)} ms")
    return [float(ms) for ms in made["ms"]], opened


def section(playwright: Playwright, target: Target, quick: bool) -> list[str]:
    """Time the command line, then the compare page; return the report's section."""
    walls = cli_times(1 if quick else 5)
    shown = compare_times(playwright, target, 1 if quick else 30)
    sealed, opened = round_times(playwright, target, 1 if quick else 20)
    rows = [
        row(f"command line, {CLI_RESPONSES:,} codes combined (wall time)", walls, "s",
            f"≤ {CLI_TARGET_S:.0f} s", at_most(median(walls), CLI_TARGET_S)),
        row(f"compare page, {PAGE_RESPONSES} responses: side changed → result shown", shown, "ms",
            f"p95 ≤ {PAGE_TARGET_MS:.0f} ms", p95_verdict(shown, PAGE_TARGET_MS)),
        row(f"a health check, {ROUND_REPLIES} sealed replies pasted → result shown", opened,
            "ms", f"p95 ≤ {ROUND_TARGET_MS:.0f} ms", p95_verdict(opened, ROUND_TARGET_MS)),
        row("sealing one reply (a respondent's page)", sealed, "ms",
            f"p95 ≤ {SEAL_TARGET_MS:.0f} ms", p95_verdict(sealed, SEAL_TARGET_MS)),
    ]  # fmt: skip
    return ["## Combining responses (bench/team.py, once Python is ready)", "", *table(rows)]
