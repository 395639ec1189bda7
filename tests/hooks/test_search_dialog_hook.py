"""hooks/search_dialog.py: Material's search dialog gets a name; nothing else in a page changes."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from mkdocs.exceptions import PluginError

from sitekit.hookfiles import load_hook

hook = load_hook("search_dialog")
MATERIAL_TEMPLATES = Path(str(files("material") / "templates"))
# As Material 9 renders it (partials/search.html), with the field that carries the label.
DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
FIELD = (
    '<input type="text" class="md-search__input" name="query" aria-label="{label}" '
    'placeholder="{label}" data-md-component="search-query" required>'
)


def page(label: str = "Search", dialog: str = DIALOG, before: str = "", after: str = "") -> str:
    """A page with Material's search markup, `before` and `after` it."""
    search = f'{dialog}<div class="md-search__inner" role="search"><form class="md-search__form">'
    return f"<body>{before}{search}{FIELD.format(label=label)}</form></div></div>{after}</body>"


class Dialogs(HTMLParser):
    """Every element with role="dialog" in a page, as its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if dict(attrs).get("role") == "dialog":
            self.found.append(dict(attrs))


def dialogs(html: str) -> list[dict[str, str | None]]:
    """The attributes of each dialog in `html`, as a browser's parser reads them."""
    parser = Dialogs()
    parser.feed(html)
    parser.close()
    return parser.found


def material_search_partial(placeholder: str) -> str:
    """Render the installed Material's own partials/search.html, its field labelled so."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(MATERIAL_TEMPLATES))
    words = {"search.placeholder": placeholder}
    return environment.get_template("partials/search.html").render(
        lang={"t": lambda key: words.get(key, key)},
        config={"theme": {"icon": {}}},
        features=["search.suggest", "search.share"],
    )


def test_materials_own_dialog_is_unnamed_and_gets_its_fields_label() -> None:
    """The installed Material still renders an unnamed dialog; the hook names it like its field."""
    rendered = material_search_partial("Suche")
    assert [dialog.get("aria-label") for dialog in dialogs(rendered)] == [None]
    named = hook.name_search_dialog(rendered)
    assert [dialog["aria-label"] for dialog in dialogs(named)] == ["Suche"]
    assert named.replace(' aria-label="Suche">', ">", 1) == rendered


# Markup a page has around the search: other components, landmarks, text, entities.
SNIPPETS = (
    "<p>",
    "</p>",
    "Go: end it well",
    "&amp; &lt;",
    '<a href="../go/">',
    "</a>",
    '<nav class="md-search__options" aria-label="Search">',
    '<div data-md-component="search-result" role="presentation">',
    '<label class="md-search__overlay" for="__search"></label>',
    '<script>document.querySelector("[role=dialog]")</script>',
)


@given(
    before=st.lists(st.sampled_from(SNIPPETS), max_size=6).map("".join),
    after=st.lists(st.sampled_from(SNIPPETS), max_size=6).map("".join),
    label=st.text(min_size=1, max_size=20).filter(lambda text: text.strip() != ""),
)
def test_only_the_name_is_added_and_twice_is_once(before: str, after: str, label: str) -> None:
    """Around any markup, the one change is the dialog's escaped aria-label; a rerun is a no-op."""
    original = page(escape(label, quote=True), before=before, after=after)
    named = hook.name_search_dialog(original)
    words = " ".join(label.split())
    assert named == original.replace(DIALOG, f'{DIALOG[:-1]} aria-label="{escape(words)}">', 1)
    assert hook.name_search_dialog(named) == named
    assert [dialog["aria-label"] for dialog in dialogs(named)] == [words]


@pytest.mark.parametrize(
    "dialog",
    [
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Find">',
        '<div aria-labelledby="t" role="dialog" data-md-component="search" class="md-search">',
        "<div class='md-search' data-md-component='search' role='dialog' aria-label='Find'>",
    ],
)
def test_a_dialog_that_has_a_name_is_left_alone(dialog: str) -> None:
    """If Material (or anyone) names the dialog, in any attribute order or quoting, keep it."""
    original = page(dialog=dialog)
    assert hook.name_search_dialog(original) == original


def test_an_empty_name_is_replaced_not_doubled() -> None:
    """aria-label="" names nothing: it gives way to the field's label, one attribute in the end."""
    dialog = '<div class="md-search" aria-label=" " data-md-component="search" role="dialog">'
    named = hook.name_search_dialog(page(dialog=dialog))
    tag = re.search(r"<div class=\"md-search\"[^>]*>", named)
    assert tag is not None
    assert tag[0].count("aria-label") == 1
    assert [dialog["aria-label"] for dialog in dialogs(named)] == ["Search"]


@pytest.mark.parametrize(
    "html",
    [
        "<body><p>No search on this page.</p></body>",
        # The search field alone, or a search component that is not a dialog: nothing to name.
        "<body>" + FIELD.format(label="Search") + "</body>",
        page(dialog='<div class="md-search" data-md-component="search">'),
        page(dialog='<div data-md-component="search-result" role="dialog">'),
    ],
)
def test_pages_without_materials_search_dialog_are_unchanged(html: str) -> None:
    """Only the dialog that is Material's search component is touched."""
    assert hook.name_search_dialog(html) == html


def test_without_a_labelled_field_the_name_is_search() -> None:
    """A dialog whose page has no labelled field is still named, "Search"."""
    named = hook.name_search_dialog(f"<body>{DIALOG}</div></body>")
    assert [dialog["aria-label"] for dialog in dialogs(named)] == ["Search"]


def test_two_search_components_stop_the_build_naming_the_page() -> None:
    """A markup this hook does not know is an error naming the page, never a guess."""
    twice = page(after=DIALOG + "</div>")
    with pytest.raises(PluginError, match=r"go/index\.md has 2 search components"):
        hook.name_search_dialog(twice, "go/index.md")


def test_the_404_template_is_named_and_other_templates_are_not_touched() -> None:
    """Material's 404.html gets the name; a non-HTML template (sitemap.xml) passes as it is."""
    original = page()
    config = None
    named = hook.on_post_template(original, template_name="404.html", config=config)
    assert [dialog["aria-label"] for dialog in dialogs(named)] == ["Search"]
    assert hook.on_post_template(original, template_name="sitemap.xml", config=config) == original


def test_every_built_page_has_one_named_search_dialog(built_site: Path) -> None:
    """In the site as built (hooks on, 404.html included), each page's one dialog is named."""
    pages = sorted(built_site.rglob("*.html"))
    assert pages
    for html_page in pages:
        found = dialogs(html_page.read_text(encoding="utf-8"))
        assert [dialog.get("aria-label") for dialog in found] == ["Search"], html_page
