"""MkDocs hook: the header's light / dark toggle is run by javascripts/palette.js, not Material.

Material's palette component restyles the whole page twice on every load, as it starts (it marks
the page as "switching colours", then reads the header's computed style): on a phone the largest
piece of main-thread work a playbook page does (bench/levers.md). palette.js does the same job
and restyles only when the colours change. This hook hands the toggle over: it takes Material's
``data-md-component="palette"`` mark off the toggle's form, so Material's bundle does not start
its component, and puts ``data-pp-palette`` in its place, which palette.js looks for. The toggle's
markup (Material's partials/palette.html) is otherwise left byte for byte.

The site's palettes are one per colour scheme, each chosen by a media query (mkdocs.yml);
Material's "automatic" palette (``media: "(prefers-color-scheme)"``) is not supported by
palette.js, and the build stops if one is configured.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

# The opening tag of Material's palette form (partials/palette.html).
MATERIAL_MARK = re.compile(r"""<form\b[^>]*\bdata-md-component=(["'])palette\1[^>]*>""")
COMPONENT_ATTRIBUTE = re.compile(r"""\sdata-md-component=(["'])palette\1""")
# What palette.js looks for instead.
OWN_MARK = "data-pp-palette"
AUTOMATIC_MEDIA = "(prefers-color-scheme)"


def hand_over_palette(page_html: str, where: str = "page") -> str:
    """Replace Material's palette mark by this site's on the page's toggle form."""
    found = list(MATERIAL_MARK.finditer(page_html))
    if not found:
        return page_html
    if len(found) > 1:
        raise PluginError(f"hooks/palette.py: {where} has {len(found)} palette forms, expected one")
    tag = found[0]
    own = COMPONENT_ATTRIBUTE.sub(f" {OWN_MARK}", tag[0], count=1)
    return page_html[: tag.start()] + own + page_html[tag.end() :]


# -- MkDocs events ---------------------------------------------------------------------------


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Refuse a palette that palette.js cannot run: Material's automatic one."""
    palettes = config.theme.get("palette") or []
    for option in palettes if isinstance(palettes, list) else [palettes]:
        if isinstance(option, dict) and option.get("media") == AUTOMATIC_MEDIA:
            raise PluginError(
                f"hooks/palette.py: mkdocs.yml theme.palette has media {AUTOMATIC_MEDIA!r}, "
                "which javascripts/palette.js does not support; give each palette its own "
                "media query, such as (prefers-color-scheme: dark)"
            )
    return config


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    """Hand every page's toggle over to palette.js."""
    return hand_over_palette(output, page.file.src_uri)


def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
    """The same for the theme's static HTML templates (Material's 404.html)."""
    if not template_name.endswith(".html"):
        return output_content
    return hand_over_palette(output_content, template_name)
