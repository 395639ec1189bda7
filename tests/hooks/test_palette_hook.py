"""hooks/palette.py: the header's toggle is handed from Material's component to palette.js."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
import pytest
from mkdocs.exceptions import PluginError

from sitekit.hookfiles import load_hook

hook = load_hook("palette")
MATERIAL_TEMPLATES = Path(str(files("material") / "templates"))
LIGHT_AND_DARK = [
    {
        "media": "(prefers-color-scheme: light)",
        "scheme": "default",
        "toggle": {"icon": "material/weather-night", "name": "Switch to dark mode"},
    },
    {
        "media": "(prefers-color-scheme: dark)",
        "scheme": "slate",
        "toggle": {"icon": "material/weather-sunny", "name": "Switch to light mode"},
    },
]


def material_palette_partial(palette: list[dict[str, Any]]) -> str:
    """Render the installed Material's own partials/palette.html for `palette`."""
    source = (MATERIAL_TEMPLATES / "partials" / "palette.html").read_text(encoding="utf-8")
    # The partial includes each toggle's icon from Material's .icons/; a stand-in does here.
    source = source.replace('{% include ".icons/" ~ option.toggle.icon ~ ".svg" %}', "<svg></svg>")
    assert "<svg></svg>" in source, "Material's palette partial no longer includes its icons so"
    template = jinja2.Environment().from_string(source)
    return template.render(config={"theme": {"palette": palette}})


def test_materials_own_form_is_handed_over_and_nothing_else_changes() -> None:
    """The installed Material still marks its form as its component; the hook swaps only that."""
    rendered = material_palette_partial(LIGHT_AND_DARK)
    assert rendered.count('data-md-component="palette"') == 1
    handed = hook.hand_over_palette(rendered)
    assert "data-md-component" not in handed
    assert handed == rendered.replace('data-md-component="palette"', "data-pp-palette", 1)
    # Twice is once: a page already handed over is left as it is.
    assert hook.hand_over_palette(handed) == handed


@pytest.mark.parametrize(
    "html",
    [
        "<body><p>No palette on this page.</p></body>",
        '<body><div data-md-component="palette-preview"></div></body>',
    ],
)
def test_pages_without_the_palette_form_are_unchanged(html: str) -> None:
    """Only Material's palette form is touched."""
    assert hook.hand_over_palette(html) == html


def test_two_palette_forms_stop_the_build_naming_the_page() -> None:
    """Markup this hook does not know is an error naming the page, never a guess."""
    form = material_palette_partial(LIGHT_AND_DARK)
    with pytest.raises(PluginError, match=r"stay/index\.md has 2 palette forms"):
        hook.hand_over_palette(form + form, "stay/index.md")


def test_the_automatic_palette_stops_the_build() -> None:
    """Material's "automatic" palette, which palette.js does not run, is refused with the fix."""
    automatic = {"media": "(prefers-color-scheme)", "toggle": {"name": "Automatic"}}
    config = SimpleNamespace(theme={"palette": [automatic, *LIGHT_AND_DARK]})
    with pytest.raises(PluginError, match=r"theme\.palette has media '\(prefers-color-scheme\)'"):
        hook.on_config(config)
    plain = SimpleNamespace(theme={"palette": LIGHT_AND_DARK})
    assert hook.on_config(plain) is plain


def test_every_built_page_hands_its_toggle_to_palette_js(built_site: Path) -> None:
    """In the site as built (404.html included) each page has one toggle, run by palette.js."""
    pages = sorted(built_site.rglob("*.html"))
    assert pages
    for html_page in pages:
        html = html_page.read_text(encoding="utf-8")
        assert 'data-md-component="palette"' not in html, html_page
        assert html.count('<form class="md-header__option" data-pp-palette>') == 1, html_page
        assert "javascripts/palette.js" in html, html_page
