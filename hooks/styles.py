"""MkDocs hook: the rules the build writes, from the bank and from mkdocs.yml's palette.

They are appended to the site's own stylesheet as the build writes it (the last of mkdocs.yml's
extra_css, docs/stylesheets/extra.css), so that they cost no request of their own; a site with
no stylesheet of its own gets them as stylesheets/generated.css. They are the two things that
depend on what a company configures, so that no stylesheet names a relationship or a colour:

- **Each relationship's wording on the form.** A question worded for one relationship shows
  that wording, and hides the neutral one, when the reader picks that relationship; one pair of
  rules per relationship of the bank (``[[relationships]]``), whatever their ids and number.
- **Contrast fixes for the palette.** Material's colours do not all reach WCAG 2.1 AA: its teal
  header gives white text 3.8:1, its deep orange accent 2.8:1 on white. For each palette of
  mkdocs.yml (a scheme, a primary and an accent colour, any of Material's named ones), this
  reads Material's own values from its palette stylesheet, and where a pair falls short moves
  that colour's lightness (hue and saturation kept) just far enough:

  - the header, the tabs (their links dimmed to TAB_OPACITY) and filled buttons: the primary
    colour against its text colour, 4.5:1;
  - links, and outlined buttons (which this stylesheet writes in the link colour): the link
    colour against the page, 4.5:1;
  - the accent (the colour of links under the pointer and of the focus outline): against the
    page, 4.5:1, and the text on accent-coloured buttons against it, 4.5:1.

  ``primary: custom`` or ``accent: custom`` (colours of your own, in your own stylesheet) is
  left alone: the build says so, and its contrast is yours to check (tests/browser's axe).

Inline styles are refused by the site's Content-Security-Policy: this is a file of the site,
served from its own origin like extra.css.
"""

from __future__ import annotations

import colorsys
import importlib.util
import logging
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from assessment import Bank, load_bank
from assessment.colours import RGB, TEXT_CONTRAST, contrast, hex_colour, over

log = logging.getLogger(f"mkdocs.hooks.{__name__}")

# Where the rules go when mkdocs.yml lists no stylesheet of the site's own to append them to.
STYLESHEET = "stylesheets/generated.css"
GENERATED_MARK = "/* -- Written by hooks/styles.py at build time, from the bank and mkdocs.yml */"
BANK_FILE = Path("assessment") / "bank.toml"
_MATERIAL = importlib.util.find_spec("material")
MATERIAL_CSS = Path(str(_MATERIAL and _MATERIAL.origin)).parent / "templates/assets/stylesheets"
# Material's tab links are dimmed (0.7); this stylesheet sets them to this, and counts with it.
TAB_OPACITY = 0.85
# A little above WCAG's 4.5:1, so that rounding in a browser or in axe-core never tips it.
TARGET = TEXT_CONTRAST + 0.15
# Material's defaults when a palette names no colour.
DEFAULT_SCHEME, DEFAULT_PRIMARY, DEFAULT_ACCENT = "default", "indigo", "indigo"
CUSTOM = "custom"
GENERATED_KEY = "pp_generated_css"


# -- The relationships' wording ------------------------------------------------------------------


def relationship_css(bank: Bank) -> str:
    """The form's rules that show a question's wording for the relationship the reader picked."""
    rules = [
        "/* The self-assessment form: each relationship's wording (macros/render.py writes\n"
        '   data-sides and .pp-wording-<id>; the form\'s inputs keep name="perspective"). */'
    ]
    for relationship in bank.relationships:
        picked = (
            f'.pp-form:has(input[name="perspective"][value="{relationship.id}"]:checked) '
            f'[data-sides~="{relationship.id}"]'
        )
        rules.append(f"{picked} .pp-wording-neutral {{ display: none; }}")
        rules.append(f"{picked} .pp-wording-{relationship.id} {{ display: inline; }}")
    return "\n".join(rules) + "\n"


# -- Material's colours --------------------------------------------------------------------------

_HUE = 225.0  # Material's --md-hue


class _Rule(NamedTuple):
    selectors: tuple[str, ...]
    declarations: tuple[tuple[str, str], ...]


def _rules(css: str) -> Iterator[_Rule]:
    """The rules of a minified stylesheet whose declarations set custom properties."""
    for chunk in css.split("}"):
        parts = chunk.split("{")
        if len(parts) < 2 or "--md-" not in parts[-1]:
            continue
        declarations = []
        for declaration in parts[-1].split(";"):
            name, _, value = declaration.partition(":")
            if name.strip().startswith("--md-"):
                declarations.append((name.strip(), value.strip()))
        yield _Rule(tuple(s.strip() for s in parts[-2].split(",")), tuple(declarations))


_ATTRIBUTE = re.compile(r"\[data-md-color-(scheme|primary|accent)=([\w-]+)\]")


def _specificity(selector: str, body: Mapping[str, str]) -> int | None:
    """How specific a selector is if it matches the page's body element (or :root), else None.

    Only what Material's palette rules use: :root, attribute selectors on one element, and
    :not() of one such attribute; a selector of anything else does not apply here."""
    rest = selector
    score = 0
    if rest == ":root":
        return 1
    for negated in re.findall(r":not\(([^()]*)\)", rest):
        found = _ATTRIBUTE.fullmatch(negated)
        if found is None or body.get(found.group(1)) == found.group(2):
            return None
        score += 1
    rest = re.sub(r":not\([^()]*\)", "", rest)
    for kind, value in _ATTRIBUTE.findall(rest):
        if body.get(kind) != value:
            return None
        score += 1
    rest = _ATTRIBUTE.sub("", rest)
    return score if score and not rest else None


def material_variables(body: Mapping[str, str]) -> dict[str, str]:
    """Material's custom properties on a page's body with these data-md-color-* attributes."""
    chosen: dict[str, tuple[int, int, str]] = {}
    order = 0
    for sheet in sorted(MATERIAL_CSS.glob("main.*.min.css")) + sorted(
        MATERIAL_CSS.glob("palette.*.min.css")
    ):
        for rule in _rules(sheet.read_text(encoding="utf-8")):
            scores = [_specificity(s, body) for s in rule.selectors]
            matching = [s for s in scores if s is not None]
            if not matching:
                continue
            order += 1
            for name, value in rule.declarations:
                weight = (max(matching), order)
                if name not in chosen or weight >= chosen[name][:2]:
                    chosen[name] = (*weight, value)
    return {name: value for name, (_, _, value) in chosen.items()}


_HEX = re.compile(r"^#([0-9a-fA-F]{3,8})$")
_FUNCTION = re.compile(r"^(hsla?|rgba?)\((.*)\)$")


def parse_colour(value: str, variables: Mapping[str, str], depth: int = 0) -> tuple[RGB, float]:
    """A CSS colour (hex, rgb(), hsl(), var()) as channels and alpha."""
    value = value.strip()
    reference = re.fullmatch(r"var\((--[\w-]+)\)", value)
    if reference and depth < 10:
        return parse_colour(variables[reference.group(1)], variables, depth + 1)
    value = value.replace("var(--md-hue)", f"{_HUE:g}")
    hexed = _HEX.match(value)
    if hexed:
        digits = hexed.group(1)
        if len(digits) in (3, 4):
            digits = "".join(d * 2 for d in digits)
        channels = tuple(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
        alpha = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
        return channels, alpha  # type: ignore[return-value]
    function = _FUNCTION.match(value)
    if function is None:
        raise ValueError(f"not a colour: {value!r}")
    numbers = [n.strip() for n in re.split(r"[,\s/]+", function.group(2)) if n.strip()]

    def number(text: str, scale: float) -> float:
        text = text.removesuffix("deg")
        return float(text[:-1]) / 100 if text.endswith("%") else float(text) / scale

    alpha = number(numbers[3], 1.0) if len(numbers) > 3 else 1.0
    if function.group(1).startswith("hsl"):
        hue = float(numbers[0].removesuffix("deg")) / 360
        lightness, saturation = number(numbers[2], 100), number(numbers[1], 100)
        return colorsys.hls_to_rgb(hue, lightness, saturation), alpha
    return (number(numbers[0], 255), number(numbers[1], 255), number(numbers[2], 255)), alpha


# -- Fixing a colour's lightness -------------------------------------------------------------------


def adjust(colour: RGB, passes: Callable[[RGB], bool]) -> RGB | None:
    """The colour nearest in lightness (same hue and saturation) for which passes(colour) is
    true; None if it already passes. Darker and lighter are both tried, the nearer kept."""
    if passes(colour):
        return None
    hue, lightness, saturation = colorsys.rgb_to_hls(*colour)
    for step in range(1, 101):
        for direction in (-1, 1):
            moved = lightness + direction * step / 100
            if 0.0 <= moved <= 1.0:
                candidate = colorsys.hls_to_rgb(hue, moved, saturation)
                if passes(candidate):
                    return candidate
    return (0.0, 0.0, 0.0) if passes((0.0, 0.0, 0.0)) else (1.0, 1.0, 1.0)


class Palette(NamedTuple):
    """One palette of mkdocs.yml: the colour scheme and its primary and accent colours."""

    scheme: str
    primary: str
    accent: str

    @property
    def body(self) -> dict[str, str]:
        return {"scheme": self.scheme, "primary": self.primary, "accent": self.accent}


def palettes(config: MkDocsConfig) -> list[Palette]:
    """The palettes mkdocs.yml configures (one, or one per colour scheme)."""
    configured = config.theme.get("palette") or [{}]
    found = []
    for option in configured if isinstance(configured, list) else [configured]:
        chosen: dict[str, Any] = option if isinstance(option, dict) else {}

        def name(key: str, default: str, chosen: dict[str, Any] = chosen) -> str:
            return str(chosen.get(key) or default).lower().replace(" ", "-")

        found.append(
            Palette(
                name("scheme", DEFAULT_SCHEME),
                name("primary", DEFAULT_PRIMARY),
                name("accent", DEFAULT_ACCENT),
            )
        )
    return found


def contrast_fixes(palette: Palette) -> tuple[dict[str, str], dict[str, str]]:
    """The custom properties to set for one palette so its pairs pass: (primary's, accent's)."""
    variables = material_variables(palette.body)

    def colour(name: str, over_colour: RGB | None = None) -> RGB:
        channels, alpha = parse_colour(variables[name], variables)
        return channels if over_colour is None else over(channels, alpha, over_colour)

    page = colour("--md-default-bg-color")
    primary_fixes: dict[str, str] = {}
    if palette.primary != CUSTOM:
        text, text_alpha = parse_colour(variables["--md-primary-bg-color"], variables)
        for name, dims in (
            # The header and filled buttons; the tabs' dimmed links on the same colour.
            ("--md-primary-fg-color", (1.0, TAB_OPACITY)),
            ("--md-primary-fg-color--dark", (1.0,)),
        ):

            def readable(candidate: RGB, dims: tuple[float, ...] = dims) -> bool:
                return all(
                    contrast(over(text, text_alpha * dim, candidate), candidate) >= TARGET
                    for dim in dims
                )

            if parse_colour(variables[name], variables)[1] < 1:
                continue  # a see-through shade (Material's white and black): left as it is
            fixed = adjust(colour(name, page), readable)
            if fixed is not None:
                primary_fixes[name] = hex_colour(fixed)
                variables[name] = primary_fixes[name]
        link = colour("--md-typeset-a-color", page)
        fixed_link = adjust(link, lambda c: contrast(c, page) >= TARGET)
        if fixed_link is not None:
            primary_fixes["--md-typeset-a-color"] = hex_colour(fixed_link)
    accent_fixes: dict[str, str] = {}
    if palette.accent != CUSTOM:
        accent = colour("--md-accent-fg-color", page)
        fixed_accent = adjust(accent, lambda c: contrast(c, page) >= TARGET)
        if fixed_accent is not None:
            accent = fixed_accent
            accent_fixes["--md-accent-fg-color"] = hex_colour(accent)
        on_accent = colour("--md-accent-bg-color", accent)
        if contrast(on_accent, accent) < TARGET:
            white, black = (1.0, 1.0, 1.0), (0.0, 0.0, 0.0)
            best = max((white, black), key=lambda c: contrast(c, accent))
            accent_fixes["--md-accent-bg-color"] = hex_colour(best)
    return primary_fixes, accent_fixes


def material_names(kind: str) -> set[str]:
    """Material's named primary or accent colours (its stylesheets' data-md-color-<kind>)."""
    names: set[str] = set()
    for sheet in MATERIAL_CSS.glob("*.min.css"):
        names.update(_NAMED[kind].findall(sheet.read_text(encoding="utf-8")))
    return names


_NAMED = {
    kind: re.compile(rf"\[data-md-color-{kind}=([a-z-]+)\]") for kind in ("primary", "accent")
}


def palette_css(config: MkDocsConfig) -> str:
    """The contrast fixes of every palette in mkdocs.yml, as rules for its body attributes."""
    rules = [
        "/* Contrast (WCAG 2.1 AA) for the palettes in mkdocs.yml: Material's colours, moved in\n"
        "   lightness where a pair falls short (hooks/styles.py). */",
        f".md-tabs__link {{ opacity: {TAB_OPACITY:g}; }}",
        "/* Outlined buttons in the link colour, which passes on the page in both schemes\n"
        "   (filled ones keep the primary colour, which passes with its text). */",
        ".md-typeset .md-button:not(.md-button--primary) "
        "{ --md-primary-fg-color: var(--md-typeset-a-color); }",
    ]
    for palette in palettes(config):
        if CUSTOM in (palette.primary, palette.accent):
            log.info(
                "hooks/styles.py: a 'custom' colour in mkdocs.yml's palette is yours to define "
                "and to check for contrast (tests/browser/test_accessibility.py)"
            )
        for kind, value in (("primary", palette.primary), ("accent", palette.accent)):
            known = material_names(kind)
            if value != CUSTOM and value not in known:
                raise PluginError(
                    f"hooks/styles.py: mkdocs.yml theme.palette ({palette.scheme}): {kind} "
                    f"'{value}' is not one of Material's colours ({', '.join(sorted(known))}, "
                    f"or {CUSTOM} with your own stylesheet)"
                )
        try:
            primary, accent = contrast_fixes(palette)
        except (KeyError, ValueError) as error:
            raise PluginError(
                f"hooks/styles.py: mkdocs.yml theme.palette {palette.scheme}/{palette.primary}/"
                f"{palette.accent}: Material's colours for it could not be read ({error}); use "
                "one of Material's named colours, or 'custom' with your own stylesheet"
            ) from None
        scheme = f'[data-md-color-scheme="{palette.scheme}"]'
        for attribute, value, fixes in (
            ("primary", palette.primary, primary),
            ("accent", palette.accent, accent),
        ):
            if fixes:
                body = "; ".join(f"{name}: {colour}" for name, colour in fixes.items())
                rules.append(f'{scheme}[data-md-color-{attribute}="{value}"] {{ {body}; }}')
    return "\n".join(rules) + "\n"


# -- MkDocs events -----------------------------------------------------------------------------


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Make the rules (from the bank and the palette), for on_files to write."""
    bank = load_bank(Path(config.config_file_path).resolve().parent / BANK_FILE)
    config["extra"][GENERATED_KEY] = (
        f"\n{GENERATED_MARK}\n" + relationship_css(bank) + "\n" + palette_css(config)
    )
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Append the rules to the site's last stylesheet, as built (or write them on their own)."""
    rules: str = config["extra"].pop(GENERATED_KEY)
    own = [f for uri in config.extra_css if (f := files.get_file_from_path(uri)) is not None]
    if own:
        stylesheet = own[-1]
        files.remove(stylesheet)
        content = stylesheet.content_string.rstrip("\n") + "\n" + rules
        files.append(File.generated(config, stylesheet.src_uri, content=content))
        return files
    if files.get_file_from_path(STYLESHEET) is not None:
        raise PluginError(f"docs/{STYLESHEET} clashes with the one hooks/styles.py writes.")
    files.append(File.generated(config, STYLESHEET, content=rules))
    config.extra_css.append(STYLESHEET)
    return files
