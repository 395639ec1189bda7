"""MkDocs hook: give each task-list checkbox an accessible name (its item's text).

pymdownx.tasklist renders "- [ ] text" as <label class="task-list-control"><input
type="checkbox" disabled/>...</label> text: the label holds no text, so a screen reader
announces an unnamed checkbox. The item's own words become the checkbox's aria-label.
"""

from __future__ import annotations

import html
import re
from typing import Any

# The checkbox, then everything up to the end of the item or the start of a nested list.
TASK = re.compile(
    r'(<li class="task-list-item"><label class="task-list-control"><input type="checkbox")'
    r"(?P<rest>[^>]*>.*?</label>)(?P<text>.*?)(?=</li>|<ul|<ol)",
    re.DOTALL,
)
TAG = re.compile(r"<[^>]+>")


def item_label(fragment: str) -> str:
    """The plain text of an item's HTML, whitespace collapsed."""
    return " ".join(html.unescape(TAG.sub("", fragment)).split())


def name_checkboxes(content: str) -> str:
    """Add an aria-label with its item's text to every task-list checkbox."""

    def named(match: re.Match[str]) -> str:
        label = html.escape(item_label(match["text"]), quote=True)
        return f'{match[1]} aria-label="{label}"{match["rest"]}{match["text"]}'

    return TASK.sub(named, content)


def on_page_content(html_content: str, **_: Any) -> str:
    """Name the checkboxes of every page that has task lists."""
    if "task-list-control" not in html_content:
        return html_content
    return name_checkboxes(html_content)
