"""The glossary: its short explanations are appended to every page and match the glossary page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO

ABBREVIATIONS = REPO / "includes" / "abbreviations.md"
GLOSSARY = REPO / "docs" / "glossary.md"
# A Markdown abbreviation definition: *[term]: explanation
_DEFINITION = re.compile(r"^\*\[(?P<term>[^\]]+)\]:\s*(?P<text>\S.*)$")


def abbreviations(path: Path = ABBREVIATIONS) -> dict[str, str]:
    """The terms of the abbreviations file and their short explanations."""
    found: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        match = _DEFINITION.match(line)
        assert match, f"{path.name}, line {number}: not an abbreviation definition: {line!r}"
        assert match["term"] not in found, f"{path.name}, line {number}: {match['term']} twice"
        found[match["term"]] = match["text"]
    return found


def glossary_terms(path: Path = GLOSSARY) -> list[str]:
    """The terms the glossary page defines (the lines before each `:   ` definition)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        re.sub(r"\s*\{[^}]*\}\s*$", "", lines[i - 1]).lower()
        for i, line in enumerate(lines)
        if line.startswith(":   ") and i > 0 and lines[i - 1].strip() and lines[i - 1][0] != ":"
    ]


def _singular(text: str) -> str:
    """Lower case, each word's plural -s dropped, so 'statements of work' finds its entry."""
    return " ".join(word.removesuffix("s") for word in text.lower().split())


def test_every_abbreviation_is_a_glossary_entry() -> None:
    """Each term explained in passing has a full entry on the glossary page (singular or plural)."""
    terms = [_singular(entry) for entry in glossary_terms()]
    assert len(terms) >= 10
    missing = [term for term in abbreviations() if not any(_singular(term) in e for e in terms)]
    assert not missing, f"in {ABBREVIATIONS.name} but not on the glossary page: {missing}"


def test_explanations_are_short_plain_sentences() -> None:
    """A tooltip is one plain sentence or two: no Markdown, no link, ends with a full stop."""
    for term, text in abbreviations().items():
        assert len(text) <= 160, term
        assert text.endswith("."), term
        assert not re.search(r"[\[\]`*_<>]", text), term


@pytest.mark.build
def test_terms_are_explained_where_they_appear(built_site: Path) -> None:
    """Pages that use a glossary term show its explanation on it (the file is appended)."""
    explained = abbreviations()
    page = (built_site / "go" / "termination-and-notice" / "index.html").read_text("utf-8")
    found = dict(re.findall(r'<abbr title="([^"]+)">([^<]+)</abbr>', page))
    assert found, "no <abbr> on the termination page: is the abbreviations file appended?"
    for title, term in found.items():
        assert explained[term] == title.replace("&#x27;", "'").replace("&quot;", '"'), term
    assert "cure period" in found.values()
