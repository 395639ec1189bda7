"""The built site's pages, as the tests and the benchmark pick them: which ones start Python."""

from __future__ import annotations

from pathlib import Path

from sitekit.hookfiles import load_hook


def python_pages(site_root: Path) -> list[str]:
    """Return the site path (e.g. ``assessment/``) of every built page that starts Python."""
    # hooks/python_page.py says how such a page is recognised; it writes what marks it.
    marker: str = load_hook("python_page").MARKER
    return [
        f"{page.parent.relative_to(site_root).as_posix()}/"
        for page in sorted(site_root.glob("*/**/index.html"))
        if marker in page.read_text(encoding="utf-8")
    ]
