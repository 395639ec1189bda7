"""The benchmark's floor pages: what the design costs before this site adds anything.

bench/baseline/ holds the floors written by hand: ``loadPyodide()`` on the main thread and in
a worker, and PyScript's worker with one function. The ``loadPyodide()`` floors run Pyodide as
published, standard library included (copied beside them from node_modules): the site ships
that library with the modules its worker imports compiled (hooks/runtime.py), a lever of its
own, so the worker floor also runs with the site's library (``SITE_STDLIB_FLOOR``), and the
floors built on PyScript run with it as the site's pages do.

``install_floors`` copies them into a built site as bench-floor/, aimed at its Pyodide and
PyScript, and makes one more from the build itself: the theme's plain page with the PyScript
floor in place of its content. That page has everything a page of this design must have
(Material's chrome and bundle, the policy the build gives a page that starts Python, PyScript's
worker) and nothing of this site's own (no form, no page script, no engine package). Like the
site's Python pages, it holds Material's search index back until its Python is ready
(hooks/runtime.py's search-later.js): otherwise the floor would pay for an index the pages do
not build while Python starts, and the page's own share of the cold start would look smaller
than it is.

The engine floor is the theme floor with the assessment page's own Python worker in place of the
floor's one function: the site's engine (its archive, fetched early as the page's checks fetch
it, its imports, the real self-check call the page makes before "ready") in the design's page,
without the page's form, page script or checks.
It splits the page's own share of the cold start into the engine's and the rest of the page's.
"""

from __future__ import annotations

import re
from pathlib import Path

from sitekit.hookfiles import load_hook
from sitekit.manifest import Manifest

# The site's own policy writer: the floor gets the policy the build gives a Python page.
CSP = load_hook("csp")
# The runtime the site ships (Pyodide's published standard library, beside the floors).
RUNTIME = load_hook("runtime")
# What the build puts into a Python page: the search hold and PyScript's plugin switches.
PYTHON_PAGE = load_hook("python_page")
NO_PLUGINS: str = PYTHON_PAGE.NO_PLUGINS
SEARCH_LATER: str = PYTHON_PAGE.SEARCH_LATER
# Material's bundle, which creates its search worker as it runs.
THEME_BUNDLE = re.compile(r'<script src="((?:\.\./)*)assets/javascripts/bundle\.[^"]*"></script>')


def hold_search(page: str, build: str) -> str:
    """Put the site's search hold just before the theme's bundle, as overrides/main.html does."""
    held, count = THEME_BUNDLE.subn(
        lambda m: f'<script src="{m.group(1)}{SEARCH_LATER}?v={build}"></script>' + m.group(0),
        page,
        count=1,
    )
    if count != 1:
        raise ValueError("the theme's page has no bundle script")
    return held


BASELINE = Path(__file__).resolve().parent / "baseline"
FLOOR_DIR = "bench-floor"
# The mark the assessment page sets once its engine answers (engine.js: "<name>-engine-ready");
# every floor sets the same one, so one probe times them all.
READY_MARK = "assessment-engine-ready"
# The theme's plain page that the theme floor is made from (one folder deep, as bench-floor/).
THEME_SOURCE = "stay/index.html"
# Pyodide's standard library as published, copied beside the loadPyodide() floors.
PUBLISHED_STDLIB = f"published-{RUNTIME.PYODIDE_STDLIB}"
# The worker floor with the site's own standard library (floor-worker.js reads the query).
SITE_STDLIB_QUERY = "stdlib=site"
SITE_STDLIB_FLOOR = f"floor-worker.html?{SITE_STDLIB_QUERY}"
PYSCRIPT_FLOOR = "floor-pyscript.html"
THEME_FLOOR = "theme-pyscript.html"
THEME_FLOOR_TITLE = "Floor: the theme and PyScript"
# The page whose Python worker the engine floor runs (one folder deep, as bench-floor/).
ENGINE_SOURCE = "assessment/index.html"
ENGINE_FLOOR = "engine-pyscript.html"
ENGINE_FLOOR_TITLE = "Floor: the theme, PyScript and the engine"

ARTICLE = re.compile(r'(<article class="md-content__inner md-typeset">).*?(</article>)', re.S)
BODY = re.compile(r"<body>(.*)</body>", re.S)
# A page's Python worker: PyScript's <script type="py" worker ...></script>.
PYTHON_WORKER = re.compile(r'<script type="py" worker\b[^>]*></script>')
# A relative src="..." (no scheme, not from the root), to be re-based onto the page's folder.
RELATIVE_SRC = re.compile(r'\bsrc="(?![a-z][a-z0-9+.-]*:|/)')


def fill(template: str, manifest: Manifest) -> str:
    """Aim a floor template at the site's Pyodide and PyScript, with the pages' plugin list."""
    pyodide, pyscript = manifest.pyodide.base, manifest.pyscript.base + manifest.pyscript_entry
    text = template.replace("{{pyodide_base}}", pyodide)
    text = text.replace("{{pyodide_module}}", pyodide + manifest.pyodide_entry)
    text = text.replace("{{pyscript_module}}", pyscript)
    text = text.replace("{{ready_mark}}", READY_MARK)
    text = text.replace("{{published_stdlib}}", PUBLISHED_STDLIB)
    text = text.replace("{{site_stdlib_query}}", SITE_STDLIB_QUERY)
    return text.replace("{{pyscript_plugins}}", NO_PLUGINS)  # as on the site's pages


def theme_floor(plain_page: str, floor_page: str, build: str) -> str:
    """Return the theme's plain page with the PyScript floor's body in place of its content,
    with the search held back and under the policy the site's build gives a page that starts
    Python (hooks/runtime.py, hooks/csp.py); `build` versions the hold's URL as the build does."""
    body = BODY.search(floor_page)
    if body is None:
        raise ValueError(f"the PyScript floor ({PYSCRIPT_FLOOR}) has no <body>")
    content = f"<h1>{THEME_FLOOR_TITLE}</h1>\n{body.group(1).strip()}\n"
    page, count = ARTICLE.subn(lambda m: m.group(1) + content + m.group(2), plain_page, count=1)
    if count != 1:
        raise ValueError(f"the theme's page ({THEME_SOURCE}) has no Material <article>")
    held = hold_search(page, build)
    # The plain page's own policy forbids what Python needs (a blob: worker, WebAssembly).
    policed: str = CSP.add_policy(CSP.WRITTEN_META.sub("", held, count=1), THEME_FLOOR)
    return policed


def engine_floor(theme_page: str, engine_page: str, archive: str) -> str:
    """Return the theme floor running `engine_page`'s Python worker (its main.py, the build's
    PyScript config, so the engine's archive) in place of the floor's one function; the
    archive (a site path) is fetched early, as the page's own checks fetch it."""
    floor_worker, page_worker = PYTHON_WORKER.search(theme_page), PYTHON_WORKER.search(engine_page)
    if floor_worker is None:
        raise ValueError(f"the theme floor ({THEME_FLOOR}) has no Python worker")
    if page_worker is None:
        raise ValueError(f"the engine's page ({ENGINE_SOURCE}) has no Python worker")
    # Both pages are one folder deep: the config's "../runtime/..." holds; main.py moves.
    folder = ENGINE_SOURCE.rsplit("/", 1)[0]
    worker = RELATIVE_SRC.sub(f'src="../{folder}/', page_worker.group(0), count=1)
    # Without it PyScript would fetch the archive only once Python has started.
    worker = f'<link rel="preload" href="../{archive}" as="fetch" crossorigin>\n{worker}'
    page = theme_page[: floor_worker.start()] + worker + theme_page[floor_worker.end() :]
    return page.replace(f"<h1>{THEME_FLOOR_TITLE}</h1>", f"<h1>{ENGINE_FLOOR_TITLE}</h1>", 1)


def install_floors(root: Path, manifest: Manifest) -> None:
    """Copy the floor pages into the built site at `root`; add the theme and engine floors
    made from it."""
    (root / FLOOR_DIR).mkdir()
    published = RUNTIME.PYODIDE_DIR / RUNTIME.PYODIDE_STDLIB
    (root / FLOOR_DIR / PUBLISHED_STDLIB).write_bytes(published.read_bytes())
    for source in BASELINE.iterdir():
        text = fill(source.read_text(encoding="utf-8"), manifest)
        (root / FLOOR_DIR / source.name).write_text(text, encoding="utf-8")
    plain = (root / THEME_SOURCE).read_text(encoding="utf-8")
    floor = (root / FLOOR_DIR / PYSCRIPT_FLOOR).read_text(encoding="utf-8")
    theme = theme_floor(plain, floor, manifest.build)
    (root / FLOOR_DIR / THEME_FLOOR).write_text(theme, encoding="utf-8")
    page = (root / ENGINE_SOURCE).read_text(encoding="utf-8")
    archive = manifest.package.paths()[0]
    (root / FLOOR_DIR / ENGINE_FLOOR).write_text(
        engine_floor(theme, page, archive), encoding="utf-8"
    )
