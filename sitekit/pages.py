"""The built site's pages, as the tests and the benchmark pick them: which ones start Python."""

from __future__ import annotations

from pathlib import Path

from sitekit.hookfiles import load_hook


def python_pages(site_root: Path) -> list[str]:
    """Return the site path (e.g. ``assessment/``) of every built page that starts Python."""
    # hooks/runtime.py says how such a page is recognised; it is the one that ships the runtime.
    marker: str = load_hook("runtime").PYTHON_SCRIPT
    return [
        f"{page.parent.relative_to(site_root).as_posix()}/"
        for page in sorted(site_root.glob("*/**/index.html"))
        if marker in page.read_text(encoding="utf-8")
    ]
