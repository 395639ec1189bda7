"""MkDocs hook: give Material's search dialog an accessible name, on every page and on 404.html.

Material 9 renders its search as ``<div class="md-search" data-md-component="search"
role="dialog">`` with no name (axe-core's ``aria-dialog-name``, serious; Lighthouse counts it
against accessibility): a screen reader announces "dialog" and nothing more. The dialog gets
the name its own search field already carries (Material's localised "Search"), as aria-label.

A hook rather than a theme override: an override would copy Material's whole search partial
(which says "do not edit") and keep the copy stale across upgrades. The hook adds one attribute
and leaves everything else byte for byte; if Material ever names the dialog itself, the hook
leaves it alone. It adds no inline script or style, so hooks/csp.py's hashes are unaffected.
"""

from __future__ import annotations

import html
import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

# An opening tag that is Material's search component (exactly "search", not "search-query").
SEARCH_TAG = re.compile(
    r"""<(?P<tag>[a-zA-Z][\w-]*)(?P<attrs>\s[^>]*?\bdata-md-component=(["'])search\3[^>]*)>"""
)
# Material's search field, which carries the localised label.
QUERY_TAG = re.compile(r"""<input\b[^>]*\bdata-md-component=(["'])search-query\1[^>]*>""")
ROLE_DIALOG = re.compile(r"""\brole=(["'])dialog\1""")
NAMED = re.compile(r"""\baria-label(?:ledby)?=(["'])\s*[^"'\s]""")
ARIA_LABEL = re.compile(r"""\baria-label=(["'])(?P<value>.*?)\1""", re.DOTALL)
EMPTY_LABEL = re.compile(r"""\saria-label=(["'])\s*\1""")
# Used when the page has no search field to borrow from (Material always renders one).
DEFAULT_NAME = "Search"


def field_label(page_html: str) -> str:
    """The aria-label of Material's search field in `page_html`, or DEFAULT_NAME."""
    field = QUERY_TAG.search(page_html)
    label = ARIA_LABEL.search(field[0]) if field else None
    text = " ".join(html.unescape(label["value"]).split()) if label else ""
    return text or DEFAULT_NAME


def name_search_dialog(page_html: str, where: str = "page") -> str:
    """Add an aria-label to Material's unnamed search dialog; change nothing else."""
    found = list(SEARCH_TAG.finditer(page_html))
    if len(found) > 1:
        # Two search components would mean a template this hook does not know: stop, say where.
        raise PluginError(
            f"hooks/search_dialog.py: {where} has {len(found)} search components, expected one"
        )
    if not found:
        return page_html
    tag = found[0]
    if not ROLE_DIALOG.search(tag["attrs"]) or NAMED.search(tag["attrs"]):
        return page_html
    name = html.escape(field_label(page_html), quote=True)
    # An empty aria-label names nothing; drop it rather than write the attribute twice.
    attrs = EMPTY_LABEL.sub("", tag["attrs"])
    named = f'<{tag["tag"]}{attrs} aria-label="{name}">'
    return page_html[: tag.start()] + named + page_html[tag.end() :]


# -- MkDocs events ---------------------------------------------------------------------------


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    """Name the search dialog of every page."""
    return name_search_dialog(output, page.file.src_uri)


def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
    """The same for the theme's static HTML templates (Material's 404.html)."""
    if not template_name.endswith(".html"):
        return output_content
    return name_search_dialog(output_content, template_name)
