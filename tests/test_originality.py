"""Original writing: no page shares a run of eight or more words with a source article."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO, SOURCES_VARIABLE, sources_folder

# Every Markdown file that ends up in a page: the docs and the snippets appended to them.
PAGES = sorted([*(REPO / "docs").rglob("*.md"), *(REPO / "includes").rglob("*.md")])
RUN = 8

# A quoted passage: straight or curly double quotes, on one line.
_QUOTED = re.compile(r"[\"“]([^\"“”\n]+)[\"”]")
# Markdown and HTML that is not prose: link targets, tags, attribute lists, code fences' info.
_NOT_PROSE = re.compile(r"\]\([^)]*\)|<[^>]+>|\{[^}\n]*\}")


def words(text: str) -> list[str]:
    """The text as lower-case words, punctuation stripped (apostrophes join: it's -> its)."""
    text = text.lower().replace("'", "").replace("\u2019", "")
    return re.findall(r"[a-z0-9]+", text)


def shingles(text: str, size: int = RUN) -> set[tuple[str, ...]]:
    """Every run of `size` consecutive words in the text."""
    found = words(text)
    return {tuple(found[i : i + size]) for i in range(len(found) - size + 1)}


def without_titles(text: str, titles: set[tuple[str, ...]]) -> str:
    """The text with each quoted source title removed (citing a title is not copying)."""
    return _QUOTED.sub(lambda m: " " if tuple(words(m.group(1))) in titles else m.group(0), text)


def prose(markdown: str) -> str:
    """The readable words of a Markdown page: link targets, tags and attributes dropped."""
    return _NOT_PROSE.sub("]", markdown)


def source_titles(readme: Path) -> set[tuple[str, ...]]:
    """The articles' titles as the seeds' README gives them, in double quotes."""
    return {tuple(words(t)) for t in _QUOTED.findall(readme.read_text(encoding="utf-8"))}


def shared_runs(
    page: str, seed_shingles: set[tuple[str, ...]], titles: set[tuple[str, ...]]
) -> list[str]:
    """The runs of RUN words a page shares with the seeds, outside quoted titles."""
    return sorted(
        " ".join(s) for s in shingles(without_titles(prose(page), titles)) & seed_shingles
    )


@pytest.fixture(scope="module")
def seeds_folder() -> Path:
    """The folder of the source articles, which the run names (a named folder must hold them)."""
    folder = sources_folder()
    assert folder is not None  # the content marker skips these tests otherwise
    articles = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not articles:
        pytest.fail(f"{SOURCES_VARIABLE} names {folder}, which holds no source article (*.txt)")
    return folder


@pytest.fixture(scope="module")
def seeds(seeds_folder: Path) -> dict[str, set[tuple[str, ...]]]:
    """Each source article's runs of RUN words, by file name."""
    articles = sorted(seeds_folder.glob("*.txt"))
    return {a.name: shingles(a.read_text(encoding="utf-8")) for a in articles}


@pytest.fixture(scope="module")
def titles(seeds_folder: Path) -> set[tuple[str, ...]]:
    """The quoted titles of the source articles."""
    readme = seeds_folder / "README.md"
    return source_titles(readme) if readme.is_file() else set()


@pytest.mark.content
def test_no_page_shares_eight_words_with_a_source(
    seeds: dict[str, set[tuple[str, ...]]], titles: set[tuple[str, ...]]
) -> None:
    """Ideas carry over from the sources, sentences do not: no shared run of eight words."""
    assert len(PAGES) > 20
    hits = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for seed, seed_shingles in seeds.items():
            for run in shared_runs(text, seed_shingles, titles):
                hits.append(f"{page.relative_to(REPO)} ~ {seed}: {run}")
    assert not hits, "\n".join(hits)


def test_the_check_finds_a_copied_run_and_spares_a_quoted_title() -> None:
    """The detector is not blind: it flags a copied run, case and punctuation aside, not a title."""
    seed = shingles("Sometimes a breakup is inevitable, and it is best to cut your losses now.")
    title = ("good", "riddance", "or", "heartache", "unpacking", "the", "bittersweet", "farewell")
    copied = "IT IS BEST to cut your LOSSES, we think: seven words, not eight."
    assert shared_runs("and it is best to cut your losses now", seed, set()) == [
        "and it is best to cut your losses",
        "it is best to cut your losses now",
    ]
    assert shared_runs("Breakup is Inevitable, And it is best -- to cut your", seed, set()) == [
        "breakup is inevitable and it is best to",
        "inevitable and it is best to cut your",
        "is inevitable and it is best to cut",
    ]
    assert shared_runs(copied, seed, set()) == []
    seed_with_title = shingles("Good Riddance Or Heartache? Unpacking The Bittersweet Farewell")
    cited = 'Read "Good Riddance Or Heartache? Unpacking The Bittersweet Farewell" by her.'
    assert shared_runs(cited, seed_with_title, {title}) == []
    assert shared_runs(cited, seed_with_title, set()) != []
    linked = "See [the article](https://example.org/good-riddance-or-heartache-unpacking-the-bittersweet-farewell)."
    assert shared_runs(linked, seed_with_title, set()) == []
