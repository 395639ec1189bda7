"""Offline after one visit: the service worker keeps the site's own files, and only those."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, Route

from assessment import assess, load_bank
from assessment.examples import SCENARIOS
from sitekit.pages import ready_mark
from sitekit.server import serve
from tests.conftest import build_site, copy_project

from .harness import Session, Site
from .pages import (
    ASSESSMENT,
    OFFLINE_CACHE,
    READY_TIMEOUT_MS,
    RETIRED_CACHES,
    ask_result,
    big_runtime_urls,
    close_context,
    cut_the_network,
    engine_archive_url,
    fill,
    kept_urls,
    manifest,
    python_pages,
    wait_for_engine,
    wait_for_state,
    wait_until,
    wait_until_kept,
)

pytestmark = pytest.mark.browser

BANK = load_bank()


def test_playbook_and_assessment_work_offline_after_one_visit(
    watched_reader: BrowserContext, site: Site
) -> None:
    """Visit once online; then, with the network cut, pages open and the assessment scores."""
    build = manifest(site.root)["build"]
    page = watched_reader.new_page()
    page.goto(site.url("stay/"))
    # A reader follows a link to the assessment, as people do.
    with page.expect_navigation():
        page.locator('a[href$="assessment/"]').first.click()
    wait_for_state(page, "ready")
    wait_until_kept(
        page,
        [
            site.url("stay/"),
            site.url("assessment/"),
            site.url(f"assessment/main.py?v={build}"),
            *big_runtime_urls(site),
            engine_archive_url(site),
            # What the worker's interpreter module reads before it starts Pyodide.
            site.url(f"runtime/manifest.json?v={build}"),
            site.url(f"javascripts/interpreter-{build}.mjs"),
        ],
        exact=True,
    )
    cut_the_network(page)
    offline = watched_reader.new_page()
    offline.goto(site.url("assessment/"))
    wait_for_state(offline, "ready")
    answers = SCENARIOS[0].answers(BANK)
    fill(offline, answers)
    assert ask_result(offline) == json.loads(json.dumps(assess(answers).to_dict()))
    offline.goto(site.url("stay/"))
    assert offline.locator("article h1").inner_text()


def test_a_first_visit_downloads_the_runtime_once(browser: Browser, site: Site) -> None:
    """Until Python is ready the service worker keeps none of the runtime, even when the page's
    load event comes after the page has checked the runtime's files: the big files are
    downloaded once, by the worker that starts Python, not a second time to be kept."""
    context = browser.new_context()
    downloads: list[Request] = []

    def on_request(request: Request) -> None:
        if request.method == "GET":
            downloads.append(request)

    # An image that arrives late holds the page's load event (a slow network does that).
    late: list[Route] = []

    def hold(route: Route) -> None:
        late.append(route)

    context.route("**/late-image-for-test.png", hold)
    context.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => {"
        " const image = new Image(); image.src = '../late-image-for-test.png';"
        " document.body.append(image); });"
    )
    context.on("request", on_request)
    try:
        page = context.new_page()
        page.goto(site.url(ASSESSMENT), wait_until="domcontentloaded")
        wait_until(lambda: bool(late) and checked_runtime(page), page)
        late[0].fulfill(status=404)
        wait_for_state(page, "ready")
        ready = page.evaluate(
            "(mark) => performance.timeOrigin + performance.getEntriesByName(mark)[0].startTime",
            ready_mark(site.root, ASSESSMENT),
        )
        # Once ready, the service worker keeps them: it reads them again.
        before_ready = [r.url for r in downloads if 0 < r.timing["startTime"] < ready]
        big = big_runtime_urls(site)
        assert big
        assert {url: before_ready.count(url) for url in big} == dict.fromkeys(big, 1)
    finally:
        close_context(context)


def checked_runtime(page: Page) -> bool:
    """Tell whether the page's check of the runtime's files has answered (a HEAD request)."""
    return bool(
        page.evaluate(
            "performance.getEntriesByType('resource')"
            ".some((entry) => entry.name.includes('/runtime/pyodide/'))"
        )
    )


def test_a_returning_reader_loses_what_earlier_builds_kept(
    reader: BrowserContext, site: Site
) -> None:
    """Cache Storage that an earlier build kept and this one does not use (the manifest's
    names.retired_caches) is deleted once this build's service worker takes over."""
    assert RETIRED_CACHES
    present = "async (names) => Promise.all(names.map((name) => caches.has(name)))"
    page = reader.new_page()
    # Outside the site's scope (/playbook/), so no worker of this build runs yet.
    page.goto(f"{site.origin}/an-earlier-visit")
    page.evaluate(
        """async (names) => { for (const name of names)
            await (await caches.open(name)).put("by-an-earlier-build", new Response("x")); }""",
        RETIRED_CACHES,
    )
    assert page.evaluate(present, RETIRED_CACHES) == [True] * len(RETIRED_CACHES)
    page.goto(site.url(""))
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until(lambda: not any(page.evaluate(present, RETIRED_CACHES)), page)
    # What this build keeps is still kept.
    wait_until(lambda: bool(kept_urls(page)), page)


def test_service_worker_keeps_only_the_sites_own_files(session: Session) -> None:
    """Asked to keep other origins' files the worker fetches none, and the recorder sees it."""
    page = session.context.new_page()
    page.goto(session.site.url(""))
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    wanted = session.site.url("go/")
    page.evaluate(
        "async (urls) => (await navigator.serviceWorker.ready).active"
        ".postMessage({type: 'keep', urls})",
        [wanted, "https://example.com/tracker.js", "http://127.0.0.2/elsewhere"],
    )
    wait_until_kept(page, [wanted], exact=True)
    kept = kept_urls(page)
    assert all(url.startswith(session.site.base) for url in kept)
    # The worker's own fetch went through the recorder like any other request.
    assert wanted in session.log.requests
    session.log.assert_same_origin()


def kept_text(page: Page, url: str) -> str | None:
    """The kept copy of `url` as text, or None."""
    text: str | None = page.evaluate(
        "async ([name, url]) => (await (await caches.open(name)).match(url))?.text() ?? null",
        [OFFLINE_CACHE, url],
    )
    return text


def test_a_changed_runtime_file_replaces_its_kept_copy(browser: Browser, site: Site) -> None:
    """After a site update, the next visit keeps the new version, so offline matches online."""
    probe = site.root / "runtime" / "probe-for-test.txt"
    probe.write_text("version 1", encoding="utf-8")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(site.url(""))
        page.evaluate("async () => { await navigator.serviceWorker.ready; }")
        url = site.url("runtime/probe-for-test.txt")
        # As a page does: load the file, then tell the service worker what it loaded.
        keep = (
            "async (url) => { await fetch(url, {cache: 'no-cache'});"
            " const worker = (await navigator.serviceWorker.ready).active;"
            " worker.postMessage({type: 'keep', urls: [url]}); }"
        )
        page.evaluate(keep, url)
        wait_until_kept(page, [url], exact=True)
        assert kept_text(page, url) == "version 1"
        # The update: new content, a later modification time (hence a new Last-Modified).
        probe.write_text("version 2, longer", encoding="utf-8")
        later = probe.stat().st_mtime + 10
        os.utime(probe, (later, later))
        page.evaluate(keep, url)
        waited = 0
        while kept_text(page, url) != "version 2, longer":
            assert waited < 10_000, f"kept copy still {kept_text(page, url)!r}"
            page.wait_for_timeout(200)
            waited += 200
    finally:
        close_context(context)
        probe.unlink()


def test_a_file_named_for_another_build_gives_way_to_this_builds(
    browser: Browser, site: Site
) -> None:
    """A kept file whose name carries a build (the engine's archive) is dropped for the next
    build's, as a ?v= file is: a reader's cache does not grow with every deploy."""
    length = len(manifest(site.root)["build"])
    older, newer = "a" * length, "b" * length
    names = [f"probe-{older}.zip", f"probe-{newer}.zip", f"other-{older}.zip"]
    folder = site.root / "runtime" / "engine"
    for name in names:
        (folder / name).write_bytes(name.encode("ascii"))
    old_probe, new_probe, other = [site.url(f"runtime/engine/{name}") for name in names]
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(site.url(""))
        keep = (
            "async (urls) => { for (const url of urls) await fetch(url);"
            " const worker = (await navigator.serviceWorker.ready).active;"
            " worker.postMessage({type: 'keep', urls}); }"
        )
        page.evaluate(keep, [old_probe, other])
        wait_until_kept(page, [old_probe, other], exact=True)
        page.evaluate(keep, [new_probe])
        wait_until_kept(page, [new_probe], exact=True)
        waited = 0
        while old_probe in kept_urls(page):
            assert waited < 10_000, "the older build's file is still kept"
            page.wait_for_timeout(200)
            waited += 200
        assert {new_probe, other} <= set(kept_urls(page))
    finally:
        close_context(context)
        for name in names:
            (folder / name).unlink()


def site_pages(site: Site) -> list[str]:
    """The URL of every page the build wrote (each in its folder, as index.html)."""
    return sorted(
        urljoin(site.base, page.parent.relative_to(site.root).as_posix() + "/")
        for page in site.root.glob("**/index.html")
    )


def built_title(site: Site, url: str) -> str:
    """The <title> of the built page at `url`."""
    path = site.root / url.removeprefix(site.base) / "index.html"
    found = re.search(r"<title>(.*?)</title>", path.read_text(encoding="utf-8"), re.DOTALL)
    assert found is not None, path
    return html.unescape(found.group(1)).strip()


def styled(page: Page) -> bool:
    """Tell whether every stylesheet of the page loaded (the page looks as it does online)."""
    return bool(
        page.evaluate(
            "() => [...document.querySelectorAll('link[rel=\"stylesheet\"]')]"
            ".every((link) => link.sheet !== null && link.sheet.cssRules.length > 0)"
        )
    )


@pytest.mark.parametrize("first", ["stay/", ASSESSMENT], ids=["playbook-page", "python-page"])
def test_pages_never_visited_open_offline(reader: BrowserContext, site: Site, first: str) -> None:
    """After one page read online, every page of the site is kept in the background (on a page
    that runs Python, only once Python is ready), so offline a page never visited opens."""
    pages = site_pages(site)
    visited = site.url(first)
    assert visited in pages
    asked: list[Request] = []
    reader.on("requestfinished", lambda request: asked.append(request))
    page = reader.new_page()
    page.goto(visited)
    python = [site.url(path) for path in python_pages(site.root)]
    if visited in python:
        wait_for_engine(page)
    wait_until_kept(page, pages, exact=True)
    if visited in python:
        ready = page.evaluate(
            "(mark) => performance.timeOrigin + performance.getEntriesByName(mark)[0].startTime",
            ready_mark(site.root, first),
        )
        others = [r for r in asked if r.url in pages and r.url != visited]
        assert others, "the other pages were kept without being asked for"
        # Never while Python starts: the first of them asked for after Python was ready.
        assert min(r.timing["startTime"] for r in others) > ready
    reader.set_offline(True)
    never_visited = [
        next(url for url in pages if url != visited and url not in python),
        next(url for url in python if url != visited),
    ]
    for url in never_visited:
        offline = reader.new_page()
        offline.goto(url)
        assert offline.title() == built_title(site, url)
        assert offline.locator("article h1").inner_text()
        assert styled(offline), f"{url} opened offline without its stylesheets"


# What the deploy in the test below adds to a page.
DEPLOYED_NOTE = "A sentence that a later deploy added to this page."


def page_source(project: Path, site: Site, url: str) -> Path:
    """The Markdown file the page at `url` is built from."""
    path = url.removeprefix(site.base).rstrip("/")
    for source in (project / "docs" / f"{path}.md", project / "docs" / path / "index.md"):
        if source.is_file():
            return source
    raise AssertionError(f"no Markdown source for {url}")


def test_a_deploy_that_changes_a_page_never_visited_updates_its_kept_copy(
    browser: Browser, site: Site, tmp_path: Path
) -> None:
    """Pages kept in advance follow the site: after a deploy that changed a page the reader
    never opened, their next page online has the new version kept, and offline shows it."""
    served = tmp_path / "site"
    shutil.copytree(site.root, served)
    # Deployed a day ago: a server that says nothing of caching lets the browser keep such files
    # for hours (a tenth of their age), as GitHub Pages' ten minutes would.
    day_ago = time.time() - 86_400
    for path in served.rglob("*"):
        os.utime(path, (day_ago, day_ago))
    project = copy_project(tmp_path / "project")
    with serve(served) as own:
        context = browser.new_context()
        try:
            pages = site_pages(own)
            python = {own.url(path) for path in python_pages(served)}
            first, second, changed = [url for url in pages if url not in python][:3]
            page = context.new_page()
            page.goto(first)
            wait_until_kept(page, pages, exact=True)
            source = page_source(project, own, changed)
            text = source.read_text(encoding="utf-8")
            source.write_text(f"{text}\n\n{DEPLOYED_NOTE}\n", encoding="utf-8")
            done = build_site(served, project, site_url=own.base)
            assert done.returncode == 0, done.stderr[-3000:]
            # The reader goes on reading, online.
            page.goto(second)
            deadline = time.monotonic() + READY_TIMEOUT_MS / 1000
            while DEPLOYED_NOTE not in (kept_text(page, changed) or ""):
                assert time.monotonic() < deadline, f"{changed} was not kept again"
                page.wait_for_timeout(250)
            context.set_offline(True)
            offline = context.new_page()
            offline.goto(changed)
            assert DEPLOYED_NOTE in offline.locator("article").inner_text()
        finally:
            close_context(context)
