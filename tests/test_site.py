"""The built site: strict build, links and anchors, the bank on its pages, no other origin."""

from __future__ import annotations

import re
import subprocess
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


def _build_error(done: subprocess.CompletedProcess[str]) -> str:
    """The one line a failed build says why with: no traceback, one ERROR line."""
    assert done.returncode != 0
    assert "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, done.stderr
    return errors[0]


def test_malformed_bank_fails_the_build_with_its_message(tmp_path: Path, bank: Bank) -> None:
    """A broken bank stops `mkdocs build --strict` with the bank's own error (file, id, field),
    in one line."""
    project = copy_project(tmp_path / "project")
    bank_file = project / "assessment" / "bank.toml"
    text = bank_file.read_text(encoding="utf-8")
    dimension = bank.dimensions[0]
    # The dimension's own weight line (the first after its id) set to 0.
    start = text.index(f'id = "{dimension.id}"')
    weight = re.compile(r"^weight = .*$", re.MULTILINE).search(text, start)
    assert weight is not None
    bank_file.write_text(text[: weight.start()] + "weight = 0" + text[weight.end() :])
    error = _build_error(build_site(tmp_path / "out", project=project))
    assert f"dimension '{dimension.id}', field 'weight'" in error
    assert str(bank_file.resolve()) in error


def test_a_bank_link_to_a_missing_page_fails_the_build_naming_the_bank(
    tmp_path: Path, bank: Bank
) -> None:
    """A dimension pointing at a page that is not there: the build names the bank, the
    dimension and the field, not the page a macro wrote the link into."""
    project = copy_project(tmp_path / "project")
    bank_file = project / "assessment" / "bank.toml"
    dimension = bank.dimensions[-1]
    text = bank_file.read_text(encoding="utf-8")
    bank_file.write_text(
        text.replace(f'playbook = "{dimension.playbook}"', 'playbook = "stay/gone.md"', 1),
        encoding="utf-8",
    )
    error = _build_error(build_site(tmp_path / "out", project=project))
    assert f"bank.toml: dimension '{dimension.id}', field 'playbook'" in error
    assert "'stay/gone.md'" in error and "methodology" not in error


def test_a_malformed_steps_file_fails_the_build_in_one_line(tmp_path: Path) -> None:
    """The exit steps file too: its file, the step's id and the field, one line."""
    project = copy_project(tmp_path / "project")
    steps_file = project / "assessment" / "exit_steps.toml"
    text = steps_file.read_text(encoding="utf-8")
    steps_file.write_text(text.replace('phase = "', 'phase = "x', 1), encoding="utf-8")
    error = _build_error(build_site(tmp_path / "out", project=project))
    assert "exit_steps.toml: step '" in error and "field 'phase'" in error


def test_the_bank_check_reads_headings_as_mkdocs_writes_them(built_site: Path) -> None:
    """Every heading id MkDocs wrote into a page is one the bank check finds in its Markdown
    (pages that macros write are left out: their headings come from the macros)."""
    from assessment.check import page_ids

    compared = 0
    for source in sorted(DOCS.rglob("*.md")):
        text = source.read_text(encoding="utf-8")
        if "render_macros: true" in text:
            continue
        relative = source.relative_to(DOCS).with_suffix("")
        folder = relative.parent if relative.name == "index" else relative
        html = (built_site / folder / "index.html").read_text(encoding="utf-8")
        article = html[html.index("<article") : html.index("</article>")]
        written = set(re.findall(r'<h[1-6][^>]*\sid="([^"]+)"', article))
        assert written <= page_ids(text), (source, written - page_ids(text))
        compared += len(written)
    assert compared > 100


def test_the_form_s_wording_rules_follow_the_bank(built_site: Path, bank: Bank) -> None:
    """The site's stylesheet, as built, ends with each relationship's wording rules (appended by
    hooks/styles.py: no stylesheet of their own, no request)."""
    from sitekit.hookfiles import load_hook

    mark = load_hook("styles").GENERATED_MARK
    css = (built_site / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    source = (DOCS / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert css.startswith(source.rstrip("\n")) and css.index(mark) >= len(source.rstrip("\n"))
    for relationship in bank.relationships:
        assert f'[value="{relationship.id}"]:checked) [data-sides~="{relationship.id}"]' in css
        assert f".pp-wording-{relationship.id} {{ display: inline; }}" in css
    assert not (built_site / "stylesheets" / "generated.css").exists()


def test_the_guided_form_s_phone_is_the_stylesheet_s() -> None:
    """guide.js asks for one question per screen where the stylesheet lays the page out for
    a phone: its media query is the one extra.css's phone rules use."""
    script = (DOCS / "assessment" / "guide.js").read_text(encoding="utf-8")
    css = (DOCS / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    found = re.search(r'const PHONE = "(\([^"]+\))";', script)
    assert found is not None
    assert f"@media screen and {found.group(1)} {{" in css


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
