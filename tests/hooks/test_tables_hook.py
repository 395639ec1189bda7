"""hooks/tables.py: a wide Markdown table is marked to stack on a phone, its cells labelled."""

from __future__ import annotations

from sitekit.hookfiles import load_hook

tables = load_hook("tables")

WIDE = (
    '<table><thead><tr><th>Step</th><th>Who</th><th align="right">Days</th><th>Why &amp; how</th>'
    '</tr></thead><tbody><tr><td>Plan</td><td>Both</td><td align="right">3</td>'
    '<td>It <em>works</em></td></tr><tr><td>Go</td><td>Us</td><td align="right">1</td>'
    "<td>Done</td></tr></tbody></table>"
)
NARROW = (
    "<table><thead><tr><th>A</th><th>B</th></tr></thead>"
    "<tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
)


def test_a_wide_table_is_marked_and_each_cell_named() -> None:
    """Four columns or more: marked, and every body cell carries its column's name."""
    out = tables.on_page_content(WIDE)
    assert out.startswith("<table data-pp-stack>")
    assert out.count('data-label="Step"') == 2
    assert '<td align="right" data-label="Days">3</td>' in out
    assert 'data-label="Why &amp; how"' in out


def test_a_narrow_table_is_left_as_it_is() -> None:
    """Three columns fit a phone: the table is not touched, nor a page without tables."""
    assert tables.on_page_content(NARROW) == NARROW
    assert tables.on_page_content("<p>no table</p>") == "<p>no table</p>"
