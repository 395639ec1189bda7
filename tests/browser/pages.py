"""What the browser tests do to a page, as a reader would: open, fill, ask, wait for the engine.

Every test module imports its page helpers from here (no test module imports another).
"""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Route
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from sitekit.pages import python_pages as python_pages

from .harness import Session, Site, load_hook

# Pyodide starts in about three seconds on a 2-core machine; leave room for a loaded CI host.
READY_TIMEOUT_MS = 120_000
ASSESSMENT = "assessment/"
# Route patterns for Pyodide's WebAssembly binary and its standard library (whatever their names:
# the manifest lists them; these only pick them out by kind).
PYODIDE_WASM = "**/runtime/pyodide/*/*.wasm"
PYODIDE_STDLIB = "**/runtime/pyodide/*/*.zip"
# The service worker's cache name, as the build writes it into the manifest.
OFFLINE_CACHE = load_hook("runtime").NAMES["offline_cache"]
# Cache Storage that earlier builds kept (the manifest's names), which a returning reader loses.
RETIRED_CACHES = load_hook("runtime").NAMES["retired_caches"]
# Where the worker's Python sees the shipped package (Pyodide's home directory).
WORKER_PACKAGE = "/home/pyodide/assessment/__init__.pyc"
# Route pattern for the engine's archive of any build (the build writes it under its name).
ENGINE_ARCHIVE = "**/" + load_hook("runtime").archive_uri("*")


def manifest(site_root: Path) -> dict[str, Any]:
    """The built site's runtime manifest (hooks/runtime.py writes it; everything reads it)."""
    data: dict[str, Any] = json.loads(
        (site_root / "runtime" / "manifest.json").read_text(encoding="utf-8")
    )
    return data


def engine_archive_url(site: Site) -> str:
    """The URL of the engine's archive, from the manifest."""
    package = manifest(site.root)["package"]
    [name] = package["files"]
    return site.url(package["base"] + name)


def pyodide_urls(site: Site) -> list[str]:
    """The URL of every Pyodide file the site ships, from the manifest."""
    shipped = manifest(site.root)["pyodide"]
    return [site.url(shipped["base"] + name) for name in shipped["files"]]


def big_runtime_urls(site: Site) -> list[str]:
    """The URLs of Pyodide's WebAssembly and standard library (whatever their names)."""
    return [url for url in pyodide_urls(site) if url.endswith((".wasm", ".zip"))]


def cut_the_network(page: Page) -> None:
    """Empty the browser's HTTP cache and take `page`'s context offline.

    Online, the runtime bypasses the service worker for the browser's HTTP cache; with that
    cache emptied, only the service worker's kept copies can serve anything.
    """
    page.context.new_cdp_session(page).send("Network.clearBrowserCache")
    page.context.set_offline(True)


def close_context(context: BrowserContext) -> None:
    """Close a browser context, first dropping its routes: a route handler still fetching
    (a page reloading, a test ending) must not fail the next test with "Response disposed"."""
    context.unroute_all(behavior="ignoreErrors")
    context.close()


def open_page(session: Session, path: str) -> tuple[Page, list[str]]:
    """Open `path` of the site in a new page; return it and the list its console errors fill."""
    page = session.context.new_page()
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        """Keep the page's console errors; PyScript's warnings are not failures."""
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(session.site.url(path))
    return page, errors


def open_assessment(context: BrowserContext, site: Site, fragment: str = "") -> Page:
    """Open the assessment page in a new tab of this context."""
    page = context.new_page()
    page.goto(site.url(ASSESSMENT) + fragment)
    return page


# Where a page stands, for a failure's message: the engine's state and words, and any notice.
STANDING = """() => {
  const text = (id) => document.getElementById(id)?.textContent.trim() ?? null;
  return {address: location.href, engine: document.getElementById('py-status')?.dataset.state,
          status: text('py-status'), notice: text('pp-notice'),
          result: document.querySelector('[data-state][id$="result"]')?.dataset.state};
}"""


def standing(page: Page) -> str:
    """Where the page stands (address, engine state, status line, notice), for a failure."""
    try:
        return json.dumps(page.evaluate(STANDING), ensure_ascii=False)
    except PlaywrightError as error:
        return f"(the page could not say: {error.message})"


def wait_for_engine(page: Page, state: str = "ready") -> str:
    """Wait until the status line leaves "loading"; fail unless it reached `state`."""
    status = page.locator("#py-status")
    # The page may be between two documents (it reloads itself after a deploy): no status yet.
    try:
        page.wait_for_function(
            "() => (document.getElementById('py-status')?.dataset.state ?? 'loading') "
            "!== 'loading'",
            timeout=READY_TIMEOUT_MS,
        )
    except PlaywrightTimeoutError:
        raise AssertionError(f"the engine never left loading: {standing(page)}") from None
    text = status.inner_text()
    assert status.get_attribute("data-state") == state, text
    return text


def wait_for_state(page: Page, state: str, timeout_ms: int = READY_TIMEOUT_MS) -> str:
    """Wait until the status line says `state`; return its text."""
    try:
        page.wait_for_function(
            "(state) => document.getElementById('py-status')?.dataset.state === state",
            arg=state,
            timeout=timeout_ms,
        )
    except PlaywrightTimeoutError:
        raise AssertionError(f"the engine never became {state}: {standing(page)}") from None
    return page.locator("#py-status").inner_text()


def page_module(page: Page) -> str:
    """The URL of the page's own module script (app.js, versioned by the build)."""
    src: str = page.evaluate('document.querySelector(\'script[type="module"][src*="app.js"]\').src')
    return src


def call_engine(page: Page, function: str) -> Any:
    """Call one of the page module's exported functions (e.g. ping), the way its UI does."""
    return page.evaluate(
        "async ([src, name]) => (await import(src))[name]()", [page_module(page), function]
    )


# Clicks each answer's radio inside the page: the events a reader's click fires (click, input,
# change), in one round trip instead of one per answer; throws if a radio is missing, not shown
# (the guided form's other questions), disabled or left unchecked, as Playwright's check() fails.
CLICK_ANSWERS = """(answers) => {
  for (const [name, value] of answers) {
    const radio = document.querySelector(`input[name="${name}"][value="${value}"]`);
    if (!radio || radio.disabled) throw new Error(`no answer ${value} to choose for ${name}`);
    if (!radio.getClientRects().length || getComputedStyle(radio).visibility === "hidden") {
      throw new Error(`answer ${value} for ${name} is not shown`);
    }
    radio.click();
    if (!radio.checked) throw new Error(`answer ${value} for ${name} did not stay chosen`);
  }
}"""


def answer_value(level: int | None) -> str:
    """The value of an answer's radio: its level, or "dk" for "don't know"."""
    return "dk" if level is None else str(level)


def fill(page: Page, answers: Mapping[str, int | None]) -> None:
    """Choose each answer's radio, as a click does, in one call (see fill_by_mouse)."""
    page.evaluate(CLICK_ANSWERS, [[name, answer_value(level)] for name, level in answers.items()])


def fill_by_mouse(page: Page, answers: Mapping[str, int | None]) -> None:
    """Click the radio of each answer with the mouse, as a reader would: in the tab in front."""
    # A tab behind another paints no frames, and Playwright waits for two before each click.
    page.bring_to_front()
    for question_id, level in answers.items():
        page.locator(f'input[name="{question_id}"][value="{answer_value(level)}"]').check()


def ask_result(page: Page) -> dict[str, Any]:
    """Press "Show my result" and return the result the page shows, as data."""
    page.bring_to_front()
    page.locator("#pp-submit").click()
    try:
        page.wait_for_selector('#assessment-result[data-state="shown"]', timeout=READY_TIMEOUT_MS)
    except PlaywrightTimeoutError:
        raise AssertionError(f"no result shown: {standing(page)}") from None
    data = page.locator("#assessment-result").get_attribute("data-result")
    assert data is not None
    result: dict[str, Any] = json.loads(data)
    return result


def form_answers(page: Page) -> dict[str, int | None]:
    """The answers the form holds right now (read through the page's own reader)."""
    answers: dict[str, int | None] = page.evaluate(
        "async (src) => (await import(src)).readAnswers()", page_module(page)
    )
    return answers


def start_over(page: Page) -> None:
    """Press "Start over" and accept its question."""
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#pp-reset").click()


def saved(page: Page) -> dict[str, Any]:
    """This origin's localStorage, each value parsed as JSON where it is JSON."""
    raw: dict[str, str] = page.evaluate("() => ({ ...localStorage })")
    parsed: dict[str, Any] = {}
    for key, text in raw.items():
        try:
            parsed[key] = json.loads(text)
        except ValueError:
            parsed[key] = text
    return parsed


def wait_until(condition: Callable[[], bool], page: Page, timeout_s: float = 30.0) -> None:
    """Let the page run until `condition` holds, or fail after `timeout_s` seconds."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the condition"
        page.wait_for_timeout(100)


# How much faster than real time the page's animations run under `fast_animations`.
ANIMATION_SPEED = 100


def fast_animations(page: Page) -> None:
    """Run the page's CSS animations, their delays too, ANIMATION_SPEED times faster from now
    (DevTools' animation speed): a notice that shows after seconds shows, or would, at once."""
    page.context.new_cdp_session(page).send(
        "Animation.setPlaybackRate", {"playbackRate": ANIMATION_SPEED}
    )


# Resolves once the page has drawn twice (a change's transitions have started) and every
# running transition and finite animation on it has finished.
SETTLED = """async () => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  await frame();
  await frame();
  const finite = document
    .getAnimations()
    .filter((animation) => animation.playState === "running")
    .filter((animation) => animation.effect?.getTiming().iterations !== Infinity);
  await Promise.all(finite.map((animation) => animation.finished.catch(() => undefined)));
}"""


def resize(page: Page, width: int, height: int = 800) -> None:
    """Give the page this viewport and wait until what moves with it (Material's sidebars
    cross their breakpoints) has stopped moving."""
    page.set_viewport_size({"width": width, "height": height})
    page.evaluate(SETTLED)


def script_check_shown(page: Page) -> str:
    """The "page's script has not started" notice's text, once it shows; it must not show at
    first (it waits for the script), and it waits no more than its delay."""
    check = page.locator(".pp-script-check")
    assert not check.is_visible()
    fast_animations(page)
    check.wait_for(state="visible", timeout=2_000)
    return check.inner_text()


def script_check_never_shows(page: Page) -> None:
    """The "page's script has not started" notice stays hidden for twice its delay (at the
    animations' speed)."""
    check = page.locator(".pp-script-check")
    delay_s = check.evaluate("(check) => parseFloat(getComputedStyle(check).animationDelay)")
    assert delay_s > 0
    fast_animations(page)
    page.wait_for_timeout(2 * delay_s * 1000 / ANIMATION_SPEED)
    assert not check.is_visible()


def cut_in_half(route: Route) -> None:
    """Serve the first half of the requested file (a failed or partial upload)."""
    if route.request.method != "GET":
        route.fallback()
        return
    body = route.fetch().body()
    route.fulfill(status=200, body=body[: len(body) // 2])


def archive_members(data: bytes) -> dict[str, bytes]:
    """The members of a zip archive, by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def archive_changed(
    change: Callable[[dict[str, bytes]], dict[str, bytes]],
) -> Callable[[Route], None]:
    """A route handler that serves the engine's archive with its members changed by `change`."""

    def serve(route: Route) -> None:
        if route.request.method != "GET":
            route.fallback()
            return
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in change(archive_members(route.fetch().body())).items():
                archive.writestr(name, data)
        route.fulfill(status=200, body=buffer.getvalue(), content_type="application/zip")

    return serve


def member_cut_in_half(name: str) -> Callable[[Route], None]:
    """Serve the engine's archive as if one of its files were damaged: `name` (a module's
    bytecode, e.g. scoring.pyc, or a data file) cut in half."""

    def cut(members: dict[str, bytes]) -> dict[str, bytes]:
        assert name in members, f"the archive has no {name}"
        return {**members, name: members[name][: len(members[name]) // 2]}

    return archive_changed(cut)


def kept_urls(page: Page) -> list[str]:
    """The URLs the service worker has kept so far."""
    urls: list[str] = page.evaluate(
        "async (name) => (await (await caches.open(name)).keys()).map((r) => r.url)",
        OFFLINE_CACHE,
    )
    return urls


def kept_paths(page: Page) -> set[str]:
    """The URLs the service worker has kept so far, without their ?v= query."""
    return {url.split("?")[0] for url in kept_urls(page)}


def wait_until_kept(
    page: Page, urls: Iterable[str], timeout_s: float = READY_TIMEOUT_MS / 1000, exact: bool = False
) -> None:
    """Wait until the service worker has kept every one of `urls` (with their query if `exact`,
    else whatever its query); fail naming those it has not."""
    # Polled from here: wait_for_function does not await a predicate's promise.
    deadline = time.monotonic() + timeout_s
    wanted = set(urls)
    while missing := wanted - (set(kept_urls(page)) if exact else kept_paths(page)):
        assert time.monotonic() < deadline, f"never kept: {sorted(missing)}"
        page.wait_for_timeout(250)


# Material's search worker script, which builds the search index as it starts.
SEARCH_WORKER = r"/assets/javascripts/workers/search\."


def search_worker_requests(page: Page) -> list[float]:
    """When (ms since the page's start) the page asked for Material's search worker script."""
    starts: list[float] = page.evaluate(
        "(pattern) => performance.getEntriesByType('resource')"
        "  .filter((entry) => new RegExp(pattern).test(entry.name))"
        "  .map((entry) => entry.startTime)",
        SEARCH_WORKER,
    )
    return starts


def wait_for_search_worker(page: Page) -> None:
    """Wait until the page has asked for Material's search worker script."""
    page.wait_for_function(
        "(pattern) => performance.getEntriesByType('resource')"
        "  .some((entry) => new RegExp(pattern).test(entry.name))",
        arg=SEARCH_WORKER,
        timeout=10_000,
    )


# The header's light / dark toggle labels, by the mark hooks/palette.py gives its form.
PALETTE_TOGGLE = f"form[{load_hook('palette').OWN_MARK}] label:visible"


def request_body(request: Request) -> str:
    """What a request carried in its body, as text ('' for none)."""
    data = request.post_data_buffer
    return "" if data is None else data.decode("utf-8", "replace")


# Storage that fills up once the test says so (a flag in sessionStorage, which stays usable, as
# a browser's separate session store does when the site's local store is full).
FILLS_UP = """
const setItem = Storage.prototype.setItem;
Storage.prototype.setItem = function (key, value) {
  if (this === window.localStorage && sessionStorage.getItem("test:full") === "1") {
    throw new DOMException("full", "QuotaExceededError");
  }
  return setItem.call(this, key, value);
};
"""


# -- Reading a page as the tests compare it ------------------------------------------------------

# Enough Tab presses to cross any page of the site, header and navigation included.
MAX_TABS = 300


def focused_id(page: Page) -> str:
    """The id of the element with the keyboard focus ('' for none)."""
    element_id: str = page.evaluate("() => document.activeElement?.id ?? ''")
    return element_id


def tab_until(page: Page, element_id: str) -> None:
    """Press Tab until the element `element_id` has the focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if focused_id(page) == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def type_date(page: Page, iso: str) -> None:
    """Type a YYYY-MM-DD date, digit by digit, into the focused date field's segments."""
    year, month, day = iso.split("-")
    # Chromium orders the segments as the browser's locale writes dates.
    order: list[str] = page.evaluate(
        "() => new Intl.DateTimeFormat().formatToParts(new Date(2027, 0, 31))"
        ".map((part) => part.type).filter((type) => type !== 'literal')"
    )
    digits = {"year": year, "month": month, "day": day}
    page.keyboard.type("".join(digits[segment] for segment in order))


def form_values(page: Page) -> dict[str, str]:
    """The form's raw values, read by the page's own reader (what the engine is sent)."""
    values: dict[str, str] = page.evaluate(
        "async (src) => (await import(src)).readForm()", page_module(page)
    )
    return values


def same_markup(page: Page, element_id: str, html: str) -> tuple[str, str]:
    """The markup inside `element_id` and `html` put through the same HTML parser."""
    pair: list[str] = page.evaluate(
        "([id, html]) => { const t = document.createElement('template'); t.innerHTML = html;"
        " return [document.getElementById(id).innerHTML, t.innerHTML]; }",
        [element_id, html],
    )
    return pair[0], pair[1]


def download(page: Page, button: str) -> tuple[str, bytes]:
    """Press a download button; return the file's suggested name and its bytes."""
    with page.expect_download() as info:
        page.locator(button).click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def luminance(colour: str) -> float:
    """The relative luminance (WCAG) of a CSS rgb()/rgba() colour."""
    red, green, blue = (int(float(part)) / 255 for part in re.findall(r"[\d.]+", colour)[:3])

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two CSS colours."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
