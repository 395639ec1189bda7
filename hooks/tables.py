"""MkDocs hook: a wide table of the playbook stacks on a phone, each cell under its column's name.

A Markdown table of more than three columns runs off a 360 px screen (Material lets it scroll
sideways, which hides the columns on the right). This hook marks such a table with
data-pp-stack and gives each body cell its column's heading as data-label; the stylesheet
(docs/stylesheets/extra.css) shows the table as one card per row on a phone, and as a table
everywhere else. A data attribute, not a class: Material styles tables without a class.
"""

from __future__ import annotations

import html
import re
from typing import Any

# Stacked from this many columns up; three fit a phone's width.
MIN_COLUMNS = 4
TABLE = re.compile(r"<table>(?P<body>.*?)</table>", re.DOTALL)
HEAD_CELL = re.compile(r"<th\b[^>]*>(?P<text>.*?)</th>", re.DOTALL)
ROW = re.compile(r"<tr>(?P<cells>.*?)</tr>", re.DOTALL)
CELL = re.compile(r"<td(?P<attrs>\b[^>]*)>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def plain(fragment: str) -> str:
    """The text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(TAG.sub("", fragment)).split())


def stack_table(body: str) -> str | None:
    """The table's inside with every body cell labelled, or None when it is narrow enough."""
    head, sep, rest = body.partition("</thead>")
    if not sep:
        return None
    names = [plain(match["text"]) for match in HEAD_CELL.finditer(head)]
    if len(names) < MIN_COLUMNS:
        return None

    def labelled(row: re.Match[str]) -> str:
        column = iter(names)

        def cell(match: re.Match[str]) -> str:
            name = html.escape(next(column, ""), quote=True)
            return f'<td{match["attrs"]} data-label="{name}">'

        return "<tr>" + CELL.sub(cell, row["cells"]) + "</tr>"

    return head + sep + ROW.sub(labelled, rest)


def stack_tables(content: str) -> str:
    """Mark every table of MIN_COLUMNS columns or more, and label its cells."""

    def marked(match: re.Match[str]) -> str:
        stacked = stack_table(match["body"])
        return match[0] if stacked is None else f"<table data-pp-stack>{stacked}</table>"

    return TABLE.sub(marked, content)


def on_page_content(html_content: str, **_: Any) -> str:
    """Mark the wide tables of every page."""
    if "<table>" not in html_content:
        return html_content
    return stack_tables(html_content)
