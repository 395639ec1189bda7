"""hooks/styles.py: the generated stylesheet follows the bank's relationships and the palette.

The contrast fixes are checked for every one of Material's named colours in both schemes, with
Material's own values read from its installed stylesheet: whatever a company picks, the pairs
the site shows pass WCAG 2.1 AA once the fixes apply. tests/browser/test_adaptation.py checks
one such palette with axe in Chromium.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from mkdocs.exceptions import PluginError

from assessment.bank import parse_bank
from assessment.colours import TEXT_CONTRAST, contrast, over
from sitekit.hookfiles import load_hook

hook = load_hook("styles")
SCHEMES = ("default", "slate")


def named_colours(kind: str) -> list[str]:
    """Material's named primary or accent colours, as its palette stylesheet defines them."""
    css = "".join(sheet.read_text(encoding="utf-8") for sheet in hook.MATERIAL_CSS.glob("*.css"))
    return sorted(set(re.findall(rf"\[data-md-color-{kind}=([a-z-]+)\]", css)))


PRIMARIES = named_colours("primary")
ACCENTS = named_colours("accent")


def fixed(palette: Any) -> dict[str, str]:
    """Material's custom properties for a palette, with the hook's fixes applied."""
    variables = hook.material_variables(palette.body)
    primary, accent = hook.contrast_fixes(palette)
    return {**variables, **primary, **accent}


def colour(variables: dict[str, str], name: str, below: Any = None) -> Any:
    channels, alpha = hook.parse_colour(variables[name], variables)
    return channels if below is None else over(channels, alpha, below)


def test_material_still_names_its_colours() -> None:
    """The hook reads Material's stylesheets: the installed version still has what it reads."""
    assert {"teal", "indigo", "yellow", "white", "black"} <= set(PRIMARIES)
    assert {"deep-orange", "pink", "lime"} <= set(ACCENTS)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("primary", PRIMARIES)
def test_every_primary_colour_passes_once_fixed(scheme: str, primary: str) -> None:
    """The header's text, the tabs' dimmed links and the page's links read at 4.5:1."""
    variables = fixed(hook.Palette(scheme, primary, "indigo"))
    page = colour(variables, "--md-default-bg-color")
    header = colour(variables, "--md-primary-fg-color", page)
    text, alpha = hook.parse_colour(variables["--md-primary-bg-color"], variables)
    for dim in (1.0, hook.TAB_OPACITY):
        assert contrast(over(text, alpha * dim, header), header) >= TEXT_CONTRAST, dim
    link = colour(variables, "--md-typeset-a-color", page)
    assert contrast(link, page) >= TEXT_CONTRAST


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("accent", ACCENTS)
def test_every_accent_colour_passes_once_fixed(scheme: str, accent: str) -> None:
    """The accent (links under the pointer) on the page, and text on the accent, at 4.5:1."""
    variables = fixed(hook.Palette(scheme, "indigo", accent))
    page = colour(variables, "--md-default-bg-color")
    accent_colour = colour(variables, "--md-accent-fg-color", page)
    assert contrast(accent_colour, page) >= TEXT_CONTRAST
    on_accent = colour(variables, "--md-accent-bg-color", accent_colour)
    assert contrast(on_accent, accent_colour) >= TEXT_CONTRAST


def test_colours_that_pass_are_left_as_they_are() -> None:
    """Indigo's header already passes with white text: nothing is written for it."""
    primary, _ = hook.contrast_fixes(hook.Palette("default", "indigo", "indigo"))
    assert "--md-primary-fg-color" not in primary


def config(palette: Any) -> Any:
    return SimpleNamespace(theme={"palette": palette})


def test_the_stylesheet_has_a_rule_per_palette_that_needs_one() -> None:
    """Rules are scoped to the scheme and the colour the body carries (palette.js sets them)."""
    css = hook.palette_css(
        config(
            [
                {"scheme": "default", "primary": "teal", "accent": "deep orange"},
                {"scheme": "slate", "primary": "teal", "accent": "deep orange"},
            ]
        )
    )
    assert '[data-md-color-scheme="default"][data-md-color-primary="teal"]' in css
    assert '[data-md-color-scheme="slate"][data-md-color-accent="deep-orange"]' in css
    assert f"opacity: {hook.TAB_OPACITY:g}" in css


def test_custom_colours_are_left_to_the_site() -> None:
    """'custom' is the site's own stylesheet's business: no rule for it."""
    css = hook.palette_css(config({"scheme": "default", "primary": "custom", "accent": "custom"}))
    assert "data-md-color-primary" not in css and "data-md-color-accent" not in css


def test_an_unknown_colour_stops_the_build_with_its_name() -> None:
    """A colour Material does not have (a typo) is named, not silently left unfixed."""
    with pytest.raises(PluginError, match="teel"):
        hook.palette_css(config({"scheme": "default", "primary": "teel", "accent": "pink"}))


def test_the_wording_rules_follow_the_bank(bank_data: dict[str, Any]) -> None:
    """A bank with other relationships gets rules for exactly those."""
    bank_data["relationships"] = [
        {"id": "buyer", "label": "We buy"},
        {"id": "seller", "label": "We sell"},
        {"id": "broker", "label": "We broker"},
    ]
    for question in bank_data["questions"]:
        question.pop("by_relationship", None)
    css = hook.relationship_css(parse_bank(bank_data, "ours.toml"))
    for side in ("buyer", "seller", "broker"):
        assert f'input[name="perspective"][value="{side}"]:checked' in css
        assert f".pp-wording-{side} {{ display: inline; }}" in css
    assert "client" not in css and "peer" not in css
