"""The README's picture of the layout names every module a newcomer will open."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The folders whose every file the picture names, one line each (macros/, sitekit/ and bench/
# are named as wholes).
NAMED_FILE_BY_FILE = ("assessment", "hooks", "docs/javascripts", "scripts")
SOURCE_SUFFIXES = {".py", ".js", ".mjs", ".toml", ".json"}


def layout_picture() -> str:
    """The code block under the README's "How it fits together"."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How it fits together", 1)[1]
    match = re.search(r"```\n(.*?)```", section, re.DOTALL)
    assert match, "the README's layout picture is missing"
    return match.group(1)


def test_the_layout_picture_names_every_module() -> None:
    """Each source file of the named folders appears in the picture by its name."""
    picture = layout_picture()
    missing = [
        f"{folder}/{path.name}"
        for folder in NAMED_FILE_BY_FILE
        for path in sorted((ROOT / folder).iterdir())
        if path.is_file() and path.suffix in SOURCE_SUFFIXES and path.name != "__init__.py"
        if not re.search(rf"(?<![\w.-]){re.escape(path.name)}(?![\w-])", picture)
    ]
    assert missing == [], f"the README's layout picture does not name {missing}"


def test_the_layout_picture_names_only_what_exists() -> None:
    """Every file the picture names at the start of a line exists (nothing stale)."""
    picture = layout_picture()
    named = re.findall(r"^(\S+\.(?:py|js|mjs|toml|json|yml|md|html))\s", picture, re.MULTILINE)
    assert named
    stale = [name for name in named if not list(ROOT.glob(f"**/{Path(name).name}"))]
    assert stale == [], f"the README's layout picture names files that are gone: {stale}"
