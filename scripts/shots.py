"""make shots: screenshots of each page that runs Python, in each state, for a reviewer to look at.

Builds the site into a temporary folder, serves it as the tests do (under /playbook/), and writes
one PNG per page, state, width and colour scheme into shots/ (git-ignored):

    shots/<page>-<state>-<width>-<scheme>.png    e.g. shots/assessment-result-360-dark.png

The states: the assessment empty, answered one question at a time (guided), a quick check's
result, a full result, its verdict card, its print layout, and a returning reader; the compare
page empty, with a team result (and its trend) and its print layout; the exit planner empty,
with a plan and its print layout. Full-page shots, so nothing below the fold is missed, but for
the guided question and the verdict card, shot as the screen shows them. `--only WORD` keeps
the shots whose name contains WORD; `--width`, `--scheme` narrow them further. Open the folder
in any image viewer (or a browser: shots/index.html).
"""

from __future__ import annotations

import argparse
import html
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assessment import encode, load_bank  # noqa: E402
from assessment.examples import SCENARIOS  # noqa: E402
from sitekit.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from sitekit.server import serve  # noqa: E402

OUT = REPO / "shots"
WIDTHS = (360, 1366)
SCHEMES = ("light", "dark")
READY_MS = 120_000
BANK = load_bank()


def build(root: Path, base: str) -> None:
    """The site built for the address it is served at (its port is in the pages' URLs)."""
    env = {**os.environ, "SITE_URL": base, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(root)],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        sys.exit(f"mkdocs build failed:\n{done.stderr}")


def ready(page: Page) -> None:
    page.wait_for_selector('#py-status[data-state="ready"]', timeout=READY_MS)


# A full-page shot draws what is off screen too: the form's groups lay out only near the
# screen (content-visibility: auto), so for the shot they are laid out whole (through the
# CSSOM, which the site's Content-Security-Policy allows, unlike a <style> element).
WHOLE = """() => {
  for (const group of document.querySelectorAll(".pp-form .pp-group")) {
    group.style.contentVisibility = "visible";
  }
}"""


def settle(page: Page) -> None:
    """Let fonts and layout settle before the shot, every group of the form laid out."""
    page.evaluate(WHOLE)
    page.evaluate("() => document.fonts.ready")
    page.wait_for_timeout(300)


def fill(page: Page, answers: dict[str, int | None]) -> None:
    """Tick each answer's radio through the page's own form (whatever mode shows it)."""
    page.evaluate(
        """(answers) => {
            const form = document.getElementById("pp-form");
            for (const [name, level] of Object.entries(answers)) {
                const value = level === null ? "dk" : String(level);
                const input = form.querySelector(`input[name="${name}"][value="${value}"]`);
                if (!input) continue;
                input.checked = true;
                input.dispatchEvent(new Event("change", {bubbles: true}));
            }
        }""",
        answers,
    )


def day(n: int) -> date:
    return date(2026, 1, 1) + timedelta(days=n - 1)


def team_codes() -> tuple[list[str], list[str]]:
    """A two-sided team now, and the same team's earlier check (for the trend)."""
    healthy = SCENARIOS[0].answers(BANK)
    troubled = {
        **healthy,
        **{q.id: 5 if q.reverse else 1 for q in BANK.questions_in("expectation_clarity")},
    }
    now = [
        encode(healthy, BANK, relationship="client", given=day(200)),
        encode(troubled, BANK, relationship="provider", given=day(201)),
        encode(SCENARIOS[1].answers(BANK), BANK, relationship="provider", given=day(202)),
    ]
    earlier = [
        encode(SCENARIOS[1].answers(BANK), BANK, relationship="client", given=day(20)),
        encode(SCENARIOS[2].answers(BANK), BANK, relationship="provider", given=day(21)),
    ]
    return now, earlier


def assessment_states(page: Page, base: str, shot: Callable[[str], None]) -> None:
    page.goto(base + "assessment/")
    ready(page)
    shot("empty")
    answers = SCENARIOS[1].answers(BANK)
    # One question at a time: the side, then a few answers by key.
    page.locator("#pp-mode-guided").click()
    for key in ("Enter", "4", "2", "3"):
        page.keyboard.press(key)
        page.wait_for_timeout(250)
    # What a reader sees: the screen itself, one question on it.
    shot("guided", full=False)
    page.locator("#pp-mode-page").click()
    fill(page, answers)
    shot("answered")
    page.locator("#pp-submit").click()
    page.wait_for_selector('#assessment-result[data-state="shown"]', timeout=READY_MS)
    shot("result")
    # The card just under the site's header bar, as the page brings it into view.
    page.evaluate(
        "() => window.scrollBy(0, document.getElementById('pp-card').getBoundingClientRect().top"
        " - document.querySelector('.md-header').offsetHeight - 16)"
    )
    shot("card", full=False)
    page.emulate_media(media="print")
    shot("print")
    page.emulate_media(media="screen")
    page.goto(base + "assessment/")
    ready(page)
    page.wait_for_selector("#pp-returning:not([hidden])", timeout=READY_MS)
    shot("returning")
    page.evaluate("() => localStorage.clear()")


def quick_states(page: Page, base: str, shot: Callable[[str], None]) -> None:
    if not BANK.core_questions:
        return
    page.goto(base + "assessment/")
    ready(page)
    page.locator("#pp-mode-quick").click()
    answers = SCENARIOS[1].answers(BANK)
    fill(page, {q.id: answers.get(q.id) for q in BANK.core_questions})
    page.locator("#pp-guide-jump").select_option("finish")
    shot("finish")
    page.locator("#pp-submit").click()
    page.wait_for_selector('#assessment-result[data-state="shown"]', timeout=READY_MS)
    shot("result")
    page.evaluate("() => localStorage.clear()")


def compare_states(page: Page, base: str, shot: Callable[[str], None]) -> None:
    page.goto(base + "compare/")
    ready(page)
    shot("empty")
    now, earlier = team_codes()
    page.locator("#pp-codes").fill("\n".join(now))
    page.locator("#pp-add-codes").click()
    page.wait_for_selector('#compare-result[data-state="shown"]', timeout=READY_MS)
    page.locator("#pp-earlier-codes").fill("\n".join(earlier))
    page.locator("#pp-add-earlier").click()
    page.wait_for_selector("#pp-trend-view svg", timeout=READY_MS)
    shot("team-result")
    page.emulate_media(media="print")
    shot("print")
    page.emulate_media(media="screen")
    page.evaluate("() => localStorage.clear()")


def planner_states(page: Page, base: str, shot: Callable[[str], None]) -> None:
    page.goto(base + "exit-planner/")
    ready(page)
    shot("empty")
    page.locator("#pp-case-renews").check()
    page.locator("#pp-renews").fill("2027-03-31")
    page.locator("#pp-notice").fill("3 months")
    page.locator("#pp-make-plan").click()
    page.wait_for_selector('#exit-plan[data-state="shown"]', timeout=READY_MS)
    shot("plan")
    page.emulate_media(media="print")
    shot("print")
    page.emulate_media(media="screen")
    page.evaluate("() => localStorage.clear()")


PAGES = {
    "assessment": assessment_states,
    "quick": quick_states,
    "compare": compare_states,
    "exit-planner": planner_states,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="keep shots whose name contains this")
    parser.add_argument("--width", type=int, action="append", help="only this width (repeat)")
    parser.add_argument("--scheme", action="append", choices=SCHEMES, help="only this scheme")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    # --only naming a page ("compare", "compare-print") visits that page alone; a state's word
    # ("print") visits every page and keeps the shots it names.
    named = [n for n in PAGES if args.only and (args.only in n or args.only.startswith(n))]
    with tempfile.TemporaryDirectory() as folder, serve(Path(folder)) as site:
        build(Path(folder), site.base)
        with sync_playwright() as driver:
            browser = driver.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            for scheme in args.scheme or SCHEMES:
                for width in args.width or WIDTHS:
                    context = browser.new_context(
                        viewport={"width": width, "height": 800 if width < 800 else 900},
                        color_scheme=scheme,  # type: ignore[arg-type]
                        device_scale_factor=1,
                    )
                    for name, states in PAGES.items():
                        if named and name not in named:
                            continue
                        page = context.new_page()

                        def shot(
                            state: str,
                            full: bool = True,
                            page: Page = page,
                            name: str = name,
                            width: int = width,
                            scheme: str = scheme,
                        ) -> None:
                            label = f"{name}-{state}-{width}-{scheme}"
                            if args.only and args.only not in label:
                                return
                            settle(page)
                            if full:
                                # From the top: what sticks to the screen sits where it starts.
                                page.evaluate("() => window.scrollTo(0, 0)")
                                page.wait_for_timeout(100)
                            path = OUT / f"{label}.png"
                            page.screenshot(path=str(path), full_page=full)
                            print(path.relative_to(REPO), flush=True)

                        states(page, site.base, shot)
                        page.close()
                    context.close()
            browser.close()
    index = "".join(
        f'<figure><figcaption>{html.escape(n)}</figcaption><img src="{html.escape(n)}" '
        'loading="lazy"></figure>'
        for n in sorted(path.name for path in OUT.glob("*.png"))
    )
    (OUT / "index.html").write_text(
        "<!doctype html><meta charset=utf-8><title>Screenshots</title><style>figure{display:"
        "inline-block;vertical-align:top;margin:8px}img{max-width:420px;border:1px solid #888}"
        f"</style>{index}",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
