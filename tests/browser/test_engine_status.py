"""The engine's status line tells the truth: "ready" only when it scores, errors within seconds."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route

from assessment import assess, load_bank
from assessment.examples import SCENARIOS

from .harness import Site
from .pages import (
    ASSESSMENT,
    ENGINE_ARCHIVE,
    FILLS_UP,
    PYODIDE_STDLIB,
    PYODIDE_WASM,
    ask_result,
    close_context,
    cut_in_half,
    fill,
    member_cut_in_half,
    python_pages,
    wait_for_state,
)

pytestmark = pytest.mark.browser

BANK = load_bank()
# A fatal start must show as an error well before the 60 s "taking unusually long" notice.
FATAL_WITHIN_MS = 45_000


@pytest.mark.parametrize(
    ("broken", "fault"),
    [
        (ENGINE_ARCHIVE, cut_in_half),
        (ENGINE_ARCHIVE, member_cut_in_half("scoring.pyc")),
        (ENGINE_ARCHIVE, member_cut_in_half("bank.toml")),
        (PYODIDE_STDLIB, cut_in_half),
        (PYODIDE_WASM, cut_in_half),
    ],
    ids=["engine-archive-cut", "engine-module-cut", "bank-cut", "stdlib-cut", "wasm-cut"],
)
def test_a_broken_file_is_an_error_with_a_retry_never_ready(
    browser: Browser, site: Site, broken: str, fault: Callable[[Route], None]
) -> None:
    """A file cut in half (HEAD still fine) shows an error and a retry within seconds."""
    context = browser.new_context()
    try:
        context.route(broken, fault)
        page = context.new_page()
        page.goto(site.url(ASSESSMENT))
        first = BANK.question_ids[0]
        page.locator(f'input[name="{first}"][value="4"]').check()
        started = time.monotonic()
        page.wait_for_function(
            "() => ['error', 'ready'].includes(document.getElementById('py-status').dataset.state)",
            timeout=FATAL_WITHIN_MS,
        )
        text = page.locator("#py-status").inner_text()
        assert page.locator("#py-status").get_attribute("data-state") == "error", text
        if broken == PYODIDE_WASM:
            # The message names the error the browser gave for the WebAssembly, not a guess.
            assert re.search(r"could not be started \(\w*Error: ", text), text
        assert time.monotonic() - started < FATAL_WITHIN_MS / 1000
        assert page.locator("#pp-retry").is_visible()
        page.reload()
        assert page.locator(f'input[name="{first}"][value="4"]').is_checked()
    finally:
        close_context(context)


# How long a call runs before the page says it is taking long, as engine.js sets it.
ENGINE_JS = Path(__file__).resolve().parents[2] / "docs" / "javascripts" / "engine.js"
CALL_SLOW_MS = int(
    re.search(r"const CALL_SLOW_MS = ([\d_]+);", ENGINE_JS.read_text(encoding="utf-8"))
    .group(1)  # type: ignore[union-attr]
    .replace("_", "")
)
# A phone so slow that every call takes longer than the page waits before saying so: every wait
# that long or longer ends at once (the heartbeat's few seconds are left as they are).
PATIENCE_RUNS_OUT = """
const setTimeoutAsBuilt = window.setTimeout;
window.setTimeout = (handler, ms, ...args) =>
  setTimeoutAsBuilt(handler, ms >= CALL_SLOW_MS ? 0 : ms, ...args);
window.ppStates = [];
new MutationObserver(() => {
  const status = document.getElementById("py-status");
  if (status) window.ppStates.push([status.dataset.state, status.textContent]);
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-state"]});
""".replace("CALL_SLOW_MS", str(CALL_SLOW_MS))


def kill_worker(page: Page) -> None:
    """End the page's Python worker, as a browser short of memory would."""
    page.evaluate("document.querySelector('script[type=\"py\"][worker]').xworker.terminate()")


def open_ready(context: BrowserContext, site: Site, script: str) -> Page:
    """The assessment in a context running `script` first on every page, once it is ready."""
    context.add_init_script(script)
    page = context.new_page()
    page.goto(site.url(ASSESSMENT))
    wait_for_state(page, "ready")
    return page


def test_a_call_longer_than_the_page_waits_is_said_and_its_answer_used(
    reader: BrowserContext, site: Site
) -> None:
    """A call that outlasts the page's patience is said to be taking long, never 'stopped
    working': its answer still comes, is shown, and the page is ready again."""
    page = open_ready(reader, site, PATIENCE_RUNS_OUT)
    answers = SCENARIOS[0].answers(BANK)
    fill(page, answers)
    assert ask_result(page) == json.loads(json.dumps(assess(answers).to_dict()))
    wait_for_state(page, "ready")
    states: list[list[str]] = page.evaluate("() => window.ppStates")
    assert "error" not in [state for state, _ in states], states
    assert any("taking unusually long to answer" in text for _, text in states), states


def test_a_killed_worker_is_noticed_and_a_restart_offered(
    returning_reader: BrowserContext, site: Site
) -> None:
    """When the Python worker dies after "ready", the page says so and offers a restart."""
    page = returning_reader.new_page()
    page.goto(site.url(ASSESSMENT))
    wait_for_state(page, "ready")
    fill(page, {BANK.question_ids[0]: 2})
    kill_worker(page)
    text = wait_for_state(page, "error", timeout_ms=30_000)
    assert "stopped" in text
    assert page.locator("#pp-retry").is_visible()
    with page.expect_navigation():
        page.locator("#pp-retry").click()
    wait_for_state(page, "ready")
    assert ask_result(page)["verdict"] == "undecided"


def test_a_stopped_engine_does_not_promise_what_a_full_storage_did_not_keep(
    reader: BrowserContext, site: Site
) -> None:
    """The latest answer could not be saved, then the worker dies: the message says so, and
    does not say what was entered is kept."""
    page = open_ready(reader, site, FILLS_UP)
    first, second = BANK.question_ids[:2]
    fill(page, {first: 4})
    page.evaluate("() => sessionStorage.setItem('test:full', '1')")
    fill(page, {second: 2})
    kill_worker(page)
    text = wait_for_state(page, "error", timeout_ms=30_000)
    assert "did not save your latest changes" in text
    assert "is kept in this browser" not in text


def test_a_failing_pyscript_config_is_named_at_once_on_every_python_page(
    browser: Browser, site: Site
) -> None:
    """The PyScript configuration answers 500: an error naming the file, never "unusually long"
    (PyScript without it would wait for a CDN the policy refuses)."""
    context = browser.new_context()
    try:
        context.route(
            "**/runtime/pyscript-*.json",
            lambda route: route.fulfill(status=500, body="Internal Server Error"),
        )
        for path in python_pages(Path(site.root)):
            page = context.new_page()
            page.goto(site.url(path))
            text = wait_for_state(page, "error", timeout_ms=FATAL_WITHIN_MS)
            assert "/runtime/pyscript-" in text and "could not be loaded" in text, path
            assert page.locator("#pp-retry").is_visible()
            page.close()
    finally:
        close_context(context)
