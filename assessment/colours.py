"""Colours: WCAG contrast, the site's two backgrounds, and the relationships' chart colours."""

from __future__ import annotations

import re

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

# The page's background in the site's two colour schemes: Material's light ("default") scheme,
# and its dark ("slate") one, hsl(225deg 15% 14%) with Material's default hue.
BACKGROUNDS = {"light": "#ffffff", "dark": "#1e2129"}
# WCAG 2.1 1.4.11: a chart's marks need 3:1 against what surrounds them; 1.4.3: text 4.5:1.
GRAPHIC_CONTRAST = 3.0
TEXT_CONTRAST = 4.5

# A relationship's chart colour when the bank gives none, by its position in the bank: each
# passes GRAPHIC_CONTRAST on both backgrounds, and each differs in hue from the others and
# from NOT_SAID_COLOUR (respondents who did not say their side).
RELATIONSHIP_COLOURS = ("#2a6fb0", "#b5532a", "#8560c0", "#2e8b57", "#c0407f", "#86761a")
NOT_SAID_COLOUR = "#6d6d6d"

RGB = tuple[float, float, float]


def rgb(colour: str) -> RGB:
    """A #rrggbb colour as three channels from 0 to 1."""
    if not HEX_COLOUR.match(colour):
        raise ValueError(f"{colour!r} is not a #rrggbb colour")
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def hex_colour(channels: RGB) -> str:
    """Three channels from 0 to 1 as #rrggbb."""
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02x}" for c in channels)


def luminance(channels: RGB) -> float:
    """WCAG 2.1's relative luminance."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: RGB | str, second: RGB | str) -> float:
    """WCAG 2.1's contrast ratio of two colours (1 to 21)."""
    one = luminance(rgb(first) if isinstance(first, str) else first)
    two = luminance(rgb(second) if isinstance(second, str) else second)
    high, low = max(one, two), min(one, two)
    return (high + 0.05) / (low + 0.05)


def over(top: RGB, alpha: float, below: RGB) -> RGB:
    """A colour drawn with `alpha` opacity over another."""
    return tuple(alpha * t + (1 - alpha) * b for t, b in zip(top, below, strict=True))  # type: ignore[return-value]


def chart_contrast_problem(colour: str) -> str | None:
    """Why a chart colour cannot be used on the site's backgrounds, or None if it can."""
    worst = min(BACKGROUNDS.items(), key=lambda scheme: contrast(colour, scheme[1]))
    ratio = contrast(colour, worst[1])
    if ratio >= GRAPHIC_CONTRAST:
        return None
    return (
        f"{colour} has a contrast of {ratio:.2f}:1 on the {worst[0]} background ({worst[1]}); "
        f"a chart colour needs {GRAPHIC_CONTRAST:g}:1 on both (e.g. {RELATIONSHIP_COLOURS[0]})"
    )
