"""The floor of every Python-ready ratio: ``loadPyodide()`` alone in a Web Worker (bench/baseline/)
from the site's Pyodide, its standard library as published (``SITE_STDLIB_QUERY``: the site's)."""

from __future__ import annotations

from pathlib import Path

from sitekit.hookfiles import load_hook
from sitekit.manifest import Manifest
from sitekit.pages import ready_mark

RUNTIME = load_hook("runtime")
BASELINE = Path(__file__).resolve().parent / "baseline"
FLOOR_DIR = "bench-floor"
ASSESSMENT = "assessment/"  # the page whose ready mark the floor sets too, once Python starts
WORKER_FLOOR = f"{FLOOR_DIR}/floor-worker.html"
READY_RATIO = 1.15  # the target: Python ready on a page, at most this ratio to the floor
PUBLISHED_STDLIB = f"published-{RUNTIME.PYODIDE_STDLIB}"
SITE_STDLIB_QUERY = "stdlib=site"


def install_floors(root: Path, manifest: Manifest) -> None:
    """Write the floor pages into the site built at `root`, aimed at its Pyodide."""
    folder = root / FLOOR_DIR
    folder.mkdir(exist_ok=True)
    published = RUNTIME.PYODIDE_DIR / RUNTIME.PYODIDE_STDLIB
    (folder / PUBLISHED_STDLIB).write_bytes(published.read_bytes())
    fills = {
        "{{pyodide_base}}": manifest.pyodide.base,
        "{{pyodide_module}}": manifest.pyodide.base + manifest.pyodide_entry,
        "{{ready_mark}}": ready_mark(root, ASSESSMENT),
        "{{published_stdlib}}": PUBLISHED_STDLIB,
        "{{site_stdlib_query}}": SITE_STDLIB_QUERY,
    }
    for source in BASELINE.iterdir():
        text = source.read_text(encoding="utf-8")
        for placeholder, value in fills.items():
            text = text.replace(placeholder, value)
        (folder / source.name).write_text(text, encoding="utf-8")
