"""The built site: strict build, links and anchors, the bank on its pages, no other origin."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from assessment import Bank, Block, Dimension
from sitekit.server import Site
from tests.conftest import REPO, build_site, copy_project

pytestmark = pytest.mark.build

DOCS = REPO / "docs"
URL_ATTRIBUTES = {"href", "src", "action", "poster", "data", "formaction", "srcset", "content"}


class _Page(HTMLParser):
    """Collects the ids and the URL-bearing attributes of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.urls: list[tuple[str, str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name"):
                self.ids.add(value)
            if name in URL_ATTRIBUTES:
                self.urls.append((tag, name, value))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _page_url(site: Site, path: Path) -> str:
    relative = path.relative_to(site.root).as_posix()
    return site.url(relative.removesuffix("index.html"))


def _file_for(site: Site, url: str) -> Path | None:
    path = unquote(urlsplit(url).path)
    base_path = urlsplit(site.base).path
    if not path.startswith(base_path):
        return None
    target = site.root / path[len(base_path) :]
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target if target.is_file() else None


def test_every_docs_page_is_built(built_site: Path) -> None:
    """Every Markdown page becomes an HTML page (none silently excluded, e.g. templates/)."""
    for source in DOCS.rglob("*.md"):
        relative = source.relative_to(DOCS).with_suffix("")
        folder = relative.parent if relative.name == "index" else relative
        assert (built_site / folder / "index.html").is_file(), source


def test_internal_links_and_anchors_resolve(served_site: Site) -> None:
    """Every link between pages reaches a built file, and every #anchor exists on its page."""
    parsed = {path: _parse(path) for path in _pages(served_site.root)}
    ids = {path.resolve(): page.ids for path, page in parsed.items()}
    broken = []
    checked = 0
    for path, page in parsed.items():
        here = _page_url(served_site, path)
        for tag, attribute, value in page.urls:
            if attribute in ("content", "srcset") or value.startswith(("mailto:", "data:")):
                continue
            url = urljoin(here, value)
            if not url.startswith(served_site.origin):
                continue
            target = _file_for(served_site, url)
            checked += 1
            if target is None:
                broken.append(f"{path.relative_to(served_site.root)}: <{tag} {attribute}={value}>")
                continue
            fragment = urlsplit(url).fragment
            if (
                fragment
                and target.suffix == ".html"
                and unquote(fragment) not in ids[target.resolve()]
            ):
                broken.append(f"{path.relative_to(served_site.root)}: missing anchor {value}")
    assert checked > 500
    assert not broken, "\n".join(broken[:20])


def test_no_page_references_another_origin(served_site: Site) -> None:
    """No built page points a link, script, style, image or form at any other origin."""
    offenders = []
    for path in _pages(served_site.root):
        here = _page_url(served_site, path)
        for tag, attribute, value in _parse(path).urls:
            candidates = (
                [v.split()[0] for v in value.split(",")] if attribute == "srcset" else [value]
            )
            for candidate in candidates:
                if attribute == "content" and not re.match(r"^[a-z]+://", candidate):
                    continue
                url = urljoin(here, candidate)
                if urlsplit(url).scheme in ("http", "https") and not url.startswith(
                    served_site.origin
                ):
                    offenders.append(
                        f"{path.relative_to(served_site.root)}: <{tag} {attribute}={value}>"
                    )
    assert not offenders, "\n".join(offenders[:20])


def test_methodology_shows_the_whole_bank(built_site: Path, bank: Bank) -> None:
    """Every dimension, block and question of the bank, with its levels, is on the page."""
    page = _parse(built_site / "methodology" / "index.html")
    text = re.sub(r"\s+", " ", "".join(page.text))
    groups: list[Dimension | Block] = [*bank.dimensions, *bank.blocks]
    for group in groups:
        assert group.title in text and group.description in text, group.id
    for question in bank.questions:
        assert question.id in text and question.text in text, question.id
        for level in question.levels:
            assert level in text, (question.id, level)
    for dimension in bank.dimensions:
        assert f"{dimension.weight:g}" in text
    assert f"{bank.thresholds.stay_overall:g} out of 100" in text
    assert bank.version in text


def test_dimensions_list_is_rendered_from_the_bank(built_site: Path, bank: Bank) -> None:
    """The page on choosing the next partner lists the bank's dimensions, not a typed copy."""
    page = _parse(built_site / "back-out-there" / "choosing-the-next-partner" / "index.html")
    text = "".join(page.text)
    for dimension in bank.dimensions:
        assert dimension.title in text


def test_malformed_bank_fails_the_build_with_its_message(tmp_path: Path) -> None:
    """A broken bank stops `mkdocs build --strict` with the bank's own error (file, id, field)."""
    project = copy_project(tmp_path / "project")
    bank_file = project / "assessment" / "bank.toml"
    text = bank_file.read_text(encoding="utf-8")
    bank_file.write_text(text.replace("weight = 1.5", "weight = 0", 1), encoding="utf-8")
    done = build_site(tmp_path / "out", project=project)
    assert done.returncode != 0
    assert "dimension 'cultural_fit', field 'weight'" in done.stderr
    assert str(bank_file) in done.stderr


def test_undefined_macro_variable_fails_the_build(tmp_path: Path) -> None:
    """Macros are strict: a typo in a page's macro call fails the build."""
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "methodology.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\n{{ no_such_variable }}\n", encoding="utf-8"
    )
    done = build_site(tmp_path / "out", project=project)
    assert done.returncode != 0
    assert "no_such_variable" in done.stderr


def test_every_task_list_checkbox_has_a_name(built_site: Path) -> None:
    """Template checklists: each checkbox is named by its item's text (hooks/tasklists.py)."""
    checked = 0
    for path in _pages(built_site):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r'<input type="checkbox"[^>]*>', text):
            checked += 1
            label = re.search(r'aria-label="([^"]+)"', tag)
            assert label and len(label.group(1)) > 3, (path, tag)
    assert checked > 50
