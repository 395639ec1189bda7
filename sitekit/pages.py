"""The built site's pages, as the tests and the benchmark pick them: which ones start Python."""

from __future__ import annotations

import re
from pathlib import Path

from sitekit.hookfiles import load_hook
from sitekit.manifest import load_manifest


def python_pages(site_root: Path) -> list[str]:
    """Return the site path (e.g. ``assessment/``) of every built page that starts Python."""
    # hooks/python_page.py says how such a page is recognised; it writes what marks it.
    marker: str = load_hook("python_page").MARKER
    return [
        f"{page.parent.relative_to(site_root).as_posix()}/"
        for page in sorted(site_root.glob("*/**/index.html"))
        if marker in page.read_text(encoding="utf-8")
    ]


def ready_mark(site_root: Path, page: str) -> str:
    """Return the performance mark a built page that starts Python sets once its engine answers."""
    marker: str = load_hook("python_page").MARKER
    html = (site_root / page / "index.html").read_text(encoding="utf-8")
    found = re.search(re.escape(marker) + r' name="([a-z][a-z0-9-]*)"', html)
    if not found:
        raise ValueError(f"{page} starts no Python worker")
    return load_manifest(site_root).ready_mark.replace("{worker}", found.group(1))
