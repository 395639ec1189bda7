"""Content rules: a retold story links to its credit; the exit sequence is written once.

1. The story of the partner who left, and the lunch at which the reason came out, retells a
   source article with invented firms. Every built page that tells it links to its credit on
   the Sources page, and the credit names every such page.
2. The exit checklist and the Go section's overview show every step of
   assessment/exit_steps.toml: they are rendered from the file, so a step added to the file
   appears on both pages, and a page that stopped showing one fails here.
3. One word for one thing: hand-over and deal-breaker have one spelling across the pages, the Go
   section one name, and every page that counts the written agreement's headings gives the
   number the Foundations page actually lists.
4. No page's prose grows past about 1,500 words unless this file names the reason.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from assessment.exit_steps import ExitStep, load_steps
from macros.exit import checklist, checklist_text, overview
from tests.conftest import REPO

DOCS = REPO / "docs"
STEPS_FILE = REPO / "assessment" / "exit_steps.toml"
# The pages that show the exit sequence, and the macro each must render it with.
SEQUENCE_PAGES = {
    "templates/exit-checklist.md": "exit_checklist()",
    "go/index.md": "exit_overview()",
}

# The credit: the Sources page and the anchor of the retold story's entry.
CREDIT_PAGE = "sources.md"
CREDIT_ANCHOR = "lost-partner"
# What marks a retelling: the lunch or off-the-record talk at which the reason came out, or the
# invented partner (the survey tool) leaving. Mentions of the peers alone are not a retelling.
STORY_MARKERS = (
    re.compile(r"\blunch\b", re.IGNORECASE),
    re.compile(r"\boff[- ]the[- ]record\b", re.IGNORECASE),
    re.compile(
        r"\bsurvey tool (?:\w+ )?(?:left|decided not to renew|declined to renew|did not renew)\b",
        re.IGNORECASE,
    ),
)


# -- Helpers ----------------------------------------------------------------------------------


class _Article(HTMLParser):
    """The text, links and ids inside a built page's <article> (the page body, not the nav)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.text: list[str] = []
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "article":
            self.depth += 1
        if self.depth:
            if tag == "a" and values.get("href"):
                self.links.append(str(values["href"]))
            if values.get("id"):
                self.ids.add(str(values["id"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


def _article(path: Path) -> _Article:
    parsed = _Article()
    parsed.feed(path.read_text(encoding="utf-8"))
    return parsed


def _built_path(site: Path, doc: str) -> Path:
    """The built HTML file of a docs page ('go/index.md' -> site/go/index.html)."""
    stem = doc.removesuffix(".md")
    folder = stem.removesuffix("index").rstrip("/") if stem.endswith("index") else stem
    return site / folder / "index.html" if folder else site / "index.html"


def _doc_of(site: Path, html: Path) -> str:
    folder = html.parent.relative_to(site).as_posix()
    return "index.md" if folder == "." else f"{folder}.md"


def retells_the_story(text: str) -> bool:
    """Whether a page's text tells the credited story (see STORY_MARKERS)."""
    flat = re.sub(r"\s+", " ", text)
    return any(marker.search(flat) for marker in STORY_MARKERS)


def links_to(page_url: str, hrefs: list[str], target_url: str, anchor: str) -> bool:
    """Whether any link on the page (at page_url) resolves to target_url#anchor."""
    for href in hrefs:
        resolved = urlsplit(urljoin(page_url, href))
        if resolved.path == urlsplit(target_url).path and resolved.fragment == anchor:
            return True
    return False


def missing_steps(steps: tuple[ExitStep, ...], shown: str) -> list[str]:
    """The ids of the steps whose title does not appear in the shown text."""
    flat = re.sub(r"\s+", " ", unescape(shown))
    return [s.id for s in steps if s.title not in flat]


def _with_extra_step(tmp_path: Path) -> Path:
    """A copy of the steps file with one more step appended (a new title, a valid link)."""
    data = tomllib.loads(STEPS_FILE.read_text(encoding="utf-8"))
    assert "steps" in data
    extra = (
        "\n[[steps]]\n"
        'id = "added_for_the_test"\n'
        'phase = "afterwards"\n'
        'anchor = "end"\n'
        "offset_days = 21\n"
        'who = "Whoever the test names"\n'
        'title = "A step added to the file after the pages were written"\n'
        'detail = "It must appear on the checklist and the overview without editing them."\n'
        'link = "go/index.md"\n'
    )
    copy = tmp_path / "exit_steps.toml"
    copy.write_text(STEPS_FILE.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return copy


# -- 1. The retold story links to its credit ----------------------------------------------------


def test_the_detector_finds_a_retelling_and_spares_other_peer_examples() -> None:
    """The markers catch the story however it is told, and not every mention of the peers."""
    assert retells_the_story("The manager took her counterpart to lunch.")
    assert retells_the_story("She asked for half an hour, off the record.")
    assert retells_the_story("A year later the survey tool declined to renew.")
    assert retells_the_story("After the survey tool left, the platform held a retrospective.")
    assert retells_the_story("which is why the survey tool later left")
    assert not retells_the_story("The survey tool and the support platform co-host webinars.")
    assert not retells_the_story("Take turns hosting and writing the notes.")


@pytest.mark.build
@pytest.mark.content
def test_every_page_that_retells_the_story_links_to_its_credit(built_site: Path) -> None:
    """Each built page telling the story links to Sources#lost-partner, which names it back."""
    credit_html = _built_path(built_site, CREDIT_PAGE)
    credit = _article(credit_html)
    assert CREDIT_ANCHOR in credit.ids, f"the credit anchor #{CREDIT_ANCHOR} is gone"
    credit_url = "https://site.test/" + credit_html.relative_to(built_site).as_posix()
    credit_url = credit_url.removesuffix("index.html")
    # The pages the credit names: the links in its own section, resolved to built folders.
    section = credit_html.read_text(encoding="utf-8").split(f'id="{CREDIT_ANCHOR}"', 1)[1]
    section = re.split(r"<h[1-6][\s>]", section, maxsplit=1)[0]
    named = {
        urlsplit(urljoin(credit_url, unescape(href))).path.strip("/")
        for href in re.findall(r'href="([^"]+)"', section)
    }
    retelling = []
    unlinked = []
    for html in sorted(built_site.rglob("index.html")):
        if html == credit_html or "search" in html.parts:
            continue
        page = _article(html)
        if not retells_the_story("".join(page.text)):
            continue
        doc = _doc_of(built_site, html)
        retelling.append(doc)
        url = "https://site.test/" + html.relative_to(built_site).as_posix()
        url = url.removesuffix("index.html")
        if not links_to(url, page.links, credit_url, CREDIT_ANCHOR):
            unlinked.append(doc)
    assert len(retelling) >= 3, retelling
    assert not unlinked, f"retell the credited story without linking to it: {unlinked}"
    folders = {d.removesuffix(".md").removesuffix("index").rstrip("/") for d in retelling}
    not_named = sorted(f or "index.md" for f in folders if f not in named)
    assert not not_named, f"retell the story but are not named in its credit: {not_named}"


# -- 2. The exit sequence is written once ---------------------------------------------------


def test_the_sequence_pages_render_the_steps_file() -> None:
    """The checklist and the overview call the macros that draw on exit_steps.toml."""
    for doc, macro in SEQUENCE_PAGES.items():
        text = (REPO / "docs" / doc).read_text(encoding="utf-8")
        assert "render_macros: true" in text, doc
        assert "{{ " + macro + " }}" in text, doc


def test_the_renderers_show_every_step_once() -> None:
    """Each step's title appears once, linked, in the checklist and in the overview."""
    steps = load_steps(STEPS_FILE)
    for rendered in (
        checklist(steps, "templates/exit-checklist.md"),
        overview(steps, "go/index.md"),
    ):
        for step in steps:
            assert rendered.count(f"[{step.title}](") == 1, step.id
    text = checklist_text(steps)
    for step in steps:
        assert text.count(step.title) == 1, step.id


def test_a_step_added_to_the_file_is_shown_and_its_absence_is_caught(tmp_path: Path) -> None:
    """A new step in the file reaches both renderings; a rendering without it fails the check."""
    before = load_steps(STEPS_FILE)
    after = load_steps(_with_extra_step(tmp_path))
    assert len(after) == len(before) + 1
    added = after[-1]
    for render, page in ((checklist, "templates/exit-checklist.md"), (overview, "go/index.md")):
        assert missing_steps(after, render(after, page)) == []
        # The same page rendered before the step was added: the check names what is missing.
        assert missing_steps(after, render(before, page)) == [added.id]
    assert missing_steps(after, checklist_text(after)) == []


@pytest.mark.build
def test_the_built_pages_show_every_step_of_the_file(built_site: Path) -> None:
    """The built checklist and overview contain every step title the steps file has today."""
    steps = load_steps(STEPS_FILE)
    for doc in SEQUENCE_PAGES:
        page = _article(_built_path(built_site, doc))
        assert missing_steps(steps, "".join(page.text)) == [], doc


# -- 3. One word for one thing -------------------------------------------------------------------

# The other spellings and names a page must not use, each with the one the site uses.
NOT_OUR_WORDS = {
    re.compile(r"\bhandovers?\b|\bhand-?offs?\b", re.IGNORECASE): "hand-over",
    re.compile(r"\bdeal ?breakers?\b", re.IGNORECASE): "deal-breaker",
    re.compile(r"\bend (?:it|them|the partnership) well\b", re.IGNORECASE): (
        "'end it professionally', the Go section's one name"
    ),
}
NUMBER_WORDS = [
    *("one", "two", "three", "four", "five", "six", "seven", "eight"),
    *("nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen"),
]
# Where a page counts the agreement's parts: "eight headings", "its eight sections".
COUNTED_PARTS = re.compile(
    r"\b(" + "|".join(NUMBER_WORDS) + r") (?:headings|sections)\b", re.IGNORECASE
)
AGREEMENT_PAGE = "foundations/written-agreement.md"


def _pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def agreement_headings(text: str) -> list[str]:
    """The terms of the definition list under 'What to write down' (the agreement's parts)."""
    section = text.split("{ #what-to-write-down }", 1)[1]
    section = re.split(r"^## ", section, maxsplit=1, flags=re.MULTILINE)[0]
    lines = section.splitlines()
    return [
        line.strip()
        for line, after in itertools.pairwise(lines)
        if line.strip() and not line[0].isspace() and line[0] != ":" and after.startswith(":")
    ]


def test_detectors_of_other_words() -> None:
    """The patterns catch the other spellings and leave the site's own alone."""
    caught = "the handover, a hand-off, two deal breakers, a dealbreaker, end it well"
    assert all(pattern.search(caught) for pattern in NOT_OUR_WORDS)
    ours = "the hand-over; hand over the files; a deal-breaker; Go: end it professionally"
    assert not any(pattern.search(ours) for pattern in NOT_OUR_WORDS)
    assert agreement_headings(
        "## What to write down { #what-to-write-down }\n\nOutcomes\n:   x\n\nTimeline\n:   y\n"
        "\n## Next\n\nOther\n:   z\n"
    ) == ["Outcomes", "Timeline"]


@pytest.mark.content
def test_one_spelling_and_one_name_on_every_page() -> None:
    """No page spells hand-over or deal-breaker another way, or calls Go 'end it well'."""
    found = [
        f"{page.relative_to(DOCS)}: {match.group(0)!r} (write {ours})"
        for page in _pages()
        for pattern, ours in NOT_OUR_WORDS.items()
        for match in pattern.finditer(page.read_text(encoding="utf-8"))
    ]
    assert not found, found


@pytest.mark.content
def test_every_page_counts_the_agreement_s_parts_alike() -> None:
    """A page that says how many headings the agreement has says as many as the list has."""
    headings = agreement_headings((DOCS / AGREEMENT_PAGE).read_text(encoding="utf-8"))
    assert "Ending" in headings, headings
    counts = {
        f"{page.relative_to(DOCS)}: {match.group(0)}": match.group(1).lower()
        for page in _pages()
        for match in COUNTED_PARTS.finditer(page.read_text(encoding="utf-8"))
    }
    assert counts, "no page counts the agreement's headings any more: is the pattern stale?"
    wrong = [where for where, word in counts.items() if word != NUMBER_WORDS[len(headings) - 1]]
    assert not wrong, f"the agreement has {len(headings)} headings ({headings}); {wrong}"


# -- 4. Pages of a readable length ---------------------------------------------------------------

LONGEST_PAGE = 1500
# Pages allowed to be longer, each with its reason.
LONG_PAGES = {
    "glossary.md": (
        "a reference of some forty terms and the questions readers ask, read entry by entry "
        "through the links and hover explanations, not from top to bottom"
    ),
}


def prose_words(markdown: str) -> int:
    """The words a reader reads on a page: front matter, code, markup and link targets left out.

    Templates in code blocks are copied, not read, and a macro's output is counted on its own
    page by what it renders from (the bank, the steps file), not here.
    """
    text = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.DOTALL)
    text = re.sub(r"^(`{3,}|~{3,}).*?^\1", "", text, flags=re.DOTALL | re.MULTILINE)
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", text, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"\{\s*[:#.][^}]*\}", "", text)
    return len(re.findall(r"[A-Za-z0-9][\w'\u2019-]*", text))


def test_prose_words_leave_code_and_markup_out() -> None:
    page = (
        "---\nrender_macros: true\n---\n# A title { #t }\n\nSee [the page](a/b.md#c).\n\n"
        "```text\nnot counted at all here\n```\n\n{{ exit_overview() }}\n<p>Two words</p>\n"
    )
    assert prose_words(page) == 7  # A title See the page Two words


@pytest.mark.content
def test_no_page_grows_past_about_1500_words_without_a_reason() -> None:
    """Each page's prose stays under the limit, or LONG_PAGES says why it may not."""
    lengths = {
        page.relative_to(DOCS).as_posix(): prose_words(page.read_text(encoding="utf-8"))
        for page in _pages()
    }
    too_long = {
        page: words
        for page, words in lengths.items()
        if words > LONGEST_PAGE and page not in LONG_PAGES
    }
    assert not too_long, f"split or trim these pages, or give the reason in LONG_PAGES: {too_long}"
    stale = [page for page in LONG_PAGES if lengths.get(page, 0) <= LONGEST_PAGE]
    assert not stale, f"no longer long: remove from LONG_PAGES: {stale}"
