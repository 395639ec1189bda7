"""What the browser suite reports after a run (not tests): axe-core's counts per page."""

from __future__ import annotations

from .harness import IMPACTS

# The palettes of mkdocs.yml follow prefers-color-scheme: Chromium's emulation picks one.
SCHEMES = {"light": "default", "dark": "slate"}

# page -> scheme -> impact -> failing elements (filled as the tests run, printed at the end).
RESULTS: dict[str, dict[str, dict[str, int]]] = {}


def summary_lines() -> list[str]:
    """Each checked page's failing elements by impact, light and dark (empty if none checked)."""
    if not RESULTS:
        return []
    width = max(len(page) for page in RESULTS)
    header = " / ".join(impact[:4] for impact in IMPACTS)
    lines = [f"axe-core failing elements ({header}):"]
    for page, schemes in RESULTS.items():
        cells = []
        for scheme in SCHEMES:
            counts = schemes.get(scheme)
            cells.append(
                f"{scheme} " + ("-" if counts is None else "/".join(map(str, counts.values())))
            )
        lines.append(f"  {page:<{width}}  {'   '.join(cells)}")
    return lines
