"""hooks/python_page.py on its own: what a page that runs Python declares, and what it gets."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from mkdocs.exceptions import PluginError

from sitekit.hookfiles import REPO, load_hook

hook = load_hook("python_page")
BUILD = "0123456789ab"
MANIFEST: dict[str, Any] = {
    "version_query": f"?v={BUILD}",
    "config": f"runtime/pyscript-{BUILD}.json",
    "names": {"storage_prefix": "x</script><script>alert(1)"},
    "pyscript": {"plugins_off": ["py-editor", "error"]},
}
DECLARED = {
    "worker": "echo",
    "engine": "assessment_page",
    "noun": "The echo",
    "loading": "Loading…",
    "ready": "Ready.",
    "without_script": "nothing echoes",
}


def page_in(
    folder: Path, meta: dict[str, Any], files: tuple[str, ...] = ("main.py", "app.js")
) -> Any:
    """A stand-in for MkDocs' Page: its front matter and its source file in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "index.md"
    source.write_text("# Echo\n", encoding="utf-8")
    for name in files:
        (folder / name).write_text("", encoding="utf-8")
    file = SimpleNamespace(src_uri="echo/index.md", abs_src_path=str(source), name="index")
    return SimpleNamespace(meta=meta, file=file, url="echo/")


def test_the_template_gets_the_build_s_files_relative_to_the_page() -> None:
    """Worker, config, page script and search hold carry the build; the manifest stays inert."""
    text = json.dumps(MANIFEST)
    tags = hook.template_tags("tools/echo/", "echo", MANIFEST, text)
    assert tags["worker"] == "echo"
    assert tags["main"] == f"main.py?v={BUILD}"
    assert tags["app"] == f"app.js?v={BUILD}"
    assert tags["config"] == f"../../runtime/pyscript-{BUILD}.json"
    assert tags["search_later"] == f"../../javascripts/search-later.js?v={BUILD}"
    assert "</script><script>alert" not in tags["manifest"]
    assert json.loads(tags["manifest"]) == MANIFEST
    # PyScript is told to load none of the plugins the build leaves out (hooks/runtime.py).
    assert json.loads(tags["no_plugins"]) == {"plugins": ["!py-editor", "!error"]}


def test_a_page_without_the_key_runs_no_python(tmp_path: Path) -> None:
    """No `python:` in the front matter: nothing is declared, nothing is checked."""
    assert hook.declaration(page_in(tmp_path / "echo", {}), REPO) is None


def test_a_complete_declaration_is_read(tmp_path: Path) -> None:
    """Every entry is read; the optional command is empty when not given."""
    declared = hook.declaration(page_in(tmp_path / "echo", {"python": dict(DECLARED)}), REPO)
    assert declared == {**DECLARED, "command": ""}


@pytest.mark.parametrize(
    ("change", "files", "message"),
    [
        ({"noun": None}, ("main.py", "app.js"), "entry 'noun' is missing"),
        ({"colour": "red"}, ("main.py", "app.js"), "unknown entry 'colour'"),
        ({"worker": "Echo Page"}, ("main.py", "app.js"), "worker 'Echo Page'"),
        ({"engine": "no_such_module"}, ("main.py", "app.js"), "is not a module of assessment/"),
        ({"engine": "../hooks/runtime"}, ("main.py", "app.js"), "is not a module of assessment/"),
        ({}, ("app.js",), "main.py is missing beside it"),
        ({}, ("main.py",), "app.js is missing beside it"),
    ],
)
def test_a_faulty_declaration_stops_the_build_naming_the_page(
    tmp_path: Path, change: dict[str, Any], files: tuple[str, ...], message: str
) -> None:
    """Each mistake fails the build with one line naming the page and what to fix."""
    meta = {key: value for key, value in {**DECLARED, **change}.items() if value is not None}
    page = page_in(tmp_path / "echo", {"python": meta}, files)
    with pytest.raises(PluginError, match=r"echo/index\.md: front matter 'python'") as raised:
        hook.declaration(page, REPO)
    assert message in str(raised.value)


def test_a_python_page_must_place_its_status_line() -> None:
    """Declared but no status line, or a status line on a page that declares nothing: refused."""
    declared = SimpleNamespace(
        meta={"python": DECLARED}, file=SimpleNamespace(src_uri="e/index.md")
    )
    with pytest.raises(PluginError, match=r"put \{\{ python_engine\(\) \}\}"):
        hook.on_post_page("<p>no status</p>", page=declared, config={})
    status = '<p id="py-status"></p>'
    assert hook.on_post_page(status, page=declared, config={}) == status
    plain = SimpleNamespace(meta={}, file=SimpleNamespace(src_uri="p/index.md"))
    with pytest.raises(PluginError, match="needs 'python:'"):
        hook.on_post_page(status, page=plain, config={})
