"""The benchmark's floor pages: the theme floor is the theme's page with PyScript's floor in it,
and the Lighthouse and phone sections report the floors as floors.

Nothing is timed here; these check that the floors the benchmark compares against are what
bench/floors.py says they are, so a ratio against them means what the report says.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bench.floors import (
    BASELINE,
    CSP,
    ENGINE_FLOOR,
    ENGINE_FLOOR_TITLE,
    ENGINE_SOURCE,
    FLOOR_DIR,
    NO_PLUGINS,
    PUBLISHED_STDLIB,
    PYSCRIPT_FLOOR,
    RUNTIME,
    SEARCH_LATER,
    THEME_BUNDLE,
    THEME_FLOOR,
    THEME_FLOOR_TITLE,
    THEME_SOURCE,
    engine_floor,
    install_floors,
    theme_floor,
)
from bench.lighthouse import Audit, section
from bench.machine import CLOCK_TICKS, cpu_used_s
from bench.phone import READY, PhoneLoad, floor_note
from bench.phone import rows as phone_rows
from bench.run import Load, Measurements, ratio_notes
from sitekit.manifest import load_manifest


@pytest.fixture(scope="module")
def floors(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The floors installed into a copy of the build's pages (the shared build stays as built)."""
    root = tmp_path_factory.mktemp("floors")
    for source in (THEME_SOURCE, ENGINE_SOURCE):
        (root / source).parent.mkdir()
        shutil.copy(built_site / source, root / source)
    shutil.copytree(built_site / "runtime", root / "runtime")
    install_floors(root, load_manifest(root))
    return root / FLOOR_DIR


def test_every_floor_is_aimed_at_the_sites_runtime(floors: Path) -> None:
    """Each template's placeholders are filled: no floor points at a runtime that is not there."""
    written = sorted(path.name for path in floors.iterdir())
    assert written == sorted(
        [*(path.name for path in BASELINE.iterdir()), THEME_FLOOR, ENGINE_FLOOR, PUBLISHED_STDLIB]
    )
    for path in floors.iterdir():
        if path.name != PUBLISHED_STDLIB:
            assert "{{" not in path.read_text(encoding="utf-8"), path.name
    # The loadPyodide() floors run Pyodide as published, standard library included.
    published = RUNTIME.PYODIDE_DIR / RUNTIME.PYODIDE_STDLIB
    assert (floors / PUBLISHED_STDLIB).read_bytes() == published.read_bytes()
    pyscript_floor = (floors / PYSCRIPT_FLOOR).read_text(encoding="utf-8")
    assert NO_PLUGINS in pyscript_floor


def test_the_theme_floor_keeps_the_theme_and_replaces_the_content(
    floors: Path, built_site: Path
) -> None:
    """The theme floor has the plain page's chrome, bundle and CSP, and the PyScript floor's
    body instead of the page's content."""
    plain = (built_site / THEME_SOURCE).read_text(encoding="utf-8")
    page = (floors / THEME_FLOOR).read_text(encoding="utf-8")
    without_policy = CSP.WRITTEN_META.sub("", plain, count=1)
    head = without_policy[: without_policy.index("</head>")]
    assert CSP.WRITTEN_META.sub("", page, count=1).startswith(head), "the theme's <head> changed"
    assert "assets/javascripts/bundle." in page
    assert f"<h1>{THEME_FLOOR_TITLE}</h1>" in page
    assert '<script type="py" worker name="floor"' in page
    plain_heading = plain[plain.index("<h1") : plain.index("</h1>")]
    assert plain_heading not in page, "the plain page's content is still there"


def test_the_theme_floor_holds_search_back_as_a_python_page_does(floors: Path) -> None:
    """The floor gets the site's search hold just before the theme's bundle, as the build puts
    it into the assessment page, so the two pay for the same work while Python starts."""
    page = (floors / THEME_FLOOR).read_text(encoding="utf-8")
    hold = THEME_BUNDLE.search(page)
    assert hold is not None
    before_bundle = page[: hold.start()]
    assert before_bundle.rstrip().endswith("</script>")
    last_script = before_bundle[before_bundle.rindex("<script") :]
    assert f'src="../{SEARCH_LATER}?v=' in last_script
    assert page.count(SEARCH_LATER) == 1


def test_the_theme_floor_has_the_policy_of_a_page_that_starts_python(floors: Path) -> None:
    """The plain page's policy forbids PyScript's blob: worker; the floor has exactly one policy,
    the one the build gives the site's Python pages."""
    page = (floors / THEME_FLOOR).read_text(encoding="utf-8")
    policies = CSP.WRITTEN_META.findall(page)
    assert len(policies) == 1
    directives = dict(part.strip().split(" ", 1) for part in policies[0].split(";"))
    assert "blob:" in directives["worker-src"].split()
    assert "'wasm-unsafe-eval'" in directives["script-src"].split()


def test_the_engine_floor_runs_the_pages_worker_in_the_theme_floor(
    floors: Path, built_site: Path
) -> None:
    """The engine floor is the theme floor with one change: the assessment page's own Python
    worker (its main.py, the build's config and so the engine's archive, fetched early as the
    page's checks fetch it) instead of the floor's function; none of the page's form or
    scripts."""
    theme = (floors / THEME_FLOOR).read_text(encoding="utf-8")
    engine = (floors / ENGINE_FLOOR).read_text(encoding="utf-8")
    page = (built_site / ENGINE_SOURCE).read_text(encoding="utf-8")
    worker = re.compile(r'<script type="py" worker[^>]*></script>')
    [page_worker], [floor_worker] = worker.findall(page), worker.findall(engine)
    src = re.search(r'src="([^"]+)"', page_worker)
    assert src is not None
    assert floor_worker == page_worker.replace(f'src="{src[1]}"', f'src="../assessment/{src[1]}"')
    assert 'config="../runtime/pyscript-' in floor_worker
    archive = load_manifest(floors.parent).package.paths()[0]
    assert archive.startswith("runtime/engine/assessment-") and archive.endswith(".zip")
    preload = f'<link rel="preload" href="../{archive}" as="fetch" crossorigin>\n'
    expected = theme.replace(worker.findall(theme)[0], preload + floor_worker)
    expected = expected.replace(f"<h1>{THEME_FLOOR_TITLE}</h1>", f"<h1>{ENGINE_FLOOR_TITLE}</h1>")
    assert engine == expected
    assert 'id="pp-form"' not in engine and "app.js" not in engine


def test_a_page_without_an_article_is_refused() -> None:
    """A theme page the floor cannot be put into stops the benchmark with the file named."""
    with pytest.raises(ValueError, match=THEME_SOURCE):
        theme_floor("<html><body><main></main></body></html>", "<body><p>floor</p></body>", "1")
    floor = '<script type="py" worker name="floor" src="f.py"></script>'
    with pytest.raises(ValueError, match=ENGINE_SOURCE):
        engine_floor(floor, "<p>a page without a Python worker</p>", "runtime/engine/a.zip")


def lighthouse_audit(page: str, performance: list[int]) -> Audit:
    """A page's Lighthouse scores with full marks everywhere but performance."""
    full = {name: [100] * len(performance) for name in ("accessibility", "best-practices", "seo")}
    return Audit(page, {"performance": performance, **full}, frozenset())


def test_lighthouse_marks_the_floors_and_says_where_the_design_stands() -> None:
    """The floors' rows say "floor", never met or missed, and the note says whether the theme
    floor itself reaches the performance target."""
    theme = f"{FLOOR_DIR}/{THEME_FLOOR}"
    audits = [lighthouse_audit("stay/", [90, 96, 93]), lighthouse_audit(theme, [81, 83, 85])]
    text = "\n".join(section(audits, 3))
    rows = {line.split(" | ")[0]: line for line in text.splitlines() if line.startswith("| `")}
    assert "**MISSED** (performance)" in rows["| `/stay/`"]
    assert "floor: the theme and PyScript" in rows[f"| `/{theme}`"]
    assert "MISSED" not in rows[f"| `/{theme}`"]
    assert "The theme floor's performance score, 83, is below the target" in text

    reaching = [lighthouse_audit(theme, [96, 97, 95])]
    assert "96, is at or above the target" in "\n".join(section(reaching, 3))


def test_the_ready_ratio_is_split_floor_by_floor_in_wall_and_cpu_time() -> None:
    """The notes give each step's ratio (the site's standard library, PyScript, theme, engine,
    the rest of the page) in wall time and in CPU time, and on the site's own standard library
    the design's floor, with the engine and the whole page; with a floor missing, no split."""
    loads = {
        "floor-worker": [Load(ready=8000, cpu=16.0)],
        "floor-stdlib": [Load(ready=4000, cpu=8.0)],
        "floor-pyscript": [Load(ready=4400, cpu=8.8)],
        "floor-theme": [Load(ready=4840, cpu=10.56)],
        "floor-engine": [Load(ready=5324, cpu=11.616)],
        "assessment": [Load(ready=5856.4, cpu=11.616)],
    }
    text = "\n".join(ratio_notes(Measurements([], loads, {}, 1)))
    assert "takes 0.50 of the `loadPyodide()` floor, which runs Pyodide as published" in text
    assert "(the PyScript floor) 1.10 of the worker floor with that library" in text
    assert "(the theme floor) 1.10 of the PyScript floor" in text
    assert "the self-check call) 1.10 of the theme floor" in text
    assert "checks) 1.10 of the engine floor" in text
    assert "is 1.21 of the worker floor, with the engine 1.33, and the whole page 1.46." in text
    assert (
        "library 0.50, PyScript 1.10, the theme 1.20, the engine 1.10, the rest of the page 1.00"
        in text
    )
    assert (
        "is 1.32 of the worker floor in CPU time, with the engine 1.45, and the whole page 1.45"
        in text
    )

    # The warm figure's floor: the theme and engine floors' revisits against the page's cold.
    warm = {
        **loads,
        "floor-theme-warm": [Load(ready=3513.84)],
        "floor-engine-warm": [Load(ready=3806.66)],
    }
    warm_note = "\n".join(ratio_notes(Measurements([], warm, {}, 1)))
    assert (
        "takes 0.60 of the assessment page's cold figure, the engine floor's 0.65, above"
        in warm_note
    )
    assert "warm figure's floor" not in text

    without_engine = {page: value for page, value in loads.items() if page != "floor-engine"}
    assert "floor by floor" not in "\n".join(ratio_notes(Measurements([], without_engine, {}, 1)))
    without_stdlib = {page: value for page, value in loads.items() if page != "floor-stdlib"}
    assert "floor by floor" not in "\n".join(ratio_notes(Measurements([], without_stdlib, {}, 1)))


def test_the_phone_ratio_is_split_at_the_theme_and_engine_floors() -> None:
    """Under the slowdown, the site's-library, theme and engine floors are reported as floors
    (never met or missed), and the note says what the site's standard library takes of the
    worker floor, whether the theme floor alone is within 1.15 of the worker floor with that
    library, what the engine adds to it and what the rest of the page adds to that."""
    loads = {
        "slow-floor": [PhoneLoad(ready=40_000)],
        "slow-stdlib": [PhoneLoad(ready=20_000)],
        "slow-theme": [PhoneLoad(ready=24_000)],
        "slow-engine": [PhoneLoad(ready=26_400)],
        "slow": [PhoneLoad(ready=27_720), PhoneLoad(ready=99_000, error="timed out")],
    }
    cells = {row[0]: row for row in phone_rows(loads)}
    for floor in ("site's standard library", "theme floor", "engine floor"):
        row = next(row for name, row in cells.items() if floor in name)
        assert row[-1] == "—" and "reported (floor)" in row
    # The page's ratio is to the worker floor, Pyodide as published.
    page = cells[f"{READY}, whole renderer"]
    assert page[-3:] == ["0.69", "ratio ≤ 1.15", "met"]
    note = " ".join(floor_note(loads))
    assert "whole-renderer ratio" in note and "main-thread-only" not in note
    assert "library (compiled where the worker imports it) takes 0.50 of the worker floor" in note
    assert "1.20 of the worker floor with that library, above the 1.15 target by itself" in note
    assert "(the engine floor) 1.10 of the theme floor" in note
    assert "the rest of the assessment page 1.05 of the engine floor" in note

    within = {**loads, "slow-theme": [PhoneLoad(ready=22_000)]}
    assert "within the 1.15 target" in " ".join(floor_note(within))
    for missing in ("slow-stdlib", "slow-theme", "slow-engine"):
        assert floor_note({name: v for name, v in loads.items() if name != missing}) == []

    # The main-thread-only slowdown is split the same way, when its floors were loaded.
    cdp = {
        "cdp-floor": [PhoneLoad(ready=6_000)],
        "cdp-stdlib": [PhoneLoad(ready=3_000)],
        "cdp-theme": [PhoneLoad(ready=3_300)],
        "cdp-engine": [PhoneLoad(ready=3_630)],
        "cdp": [PhoneLoad(ready=4_356)],
    }
    both = " ".join(floor_note({**loads, **cdp}))
    assert "main-thread-only (CDP) ratio" in both and "whole-renderer ratio" in both
    assert "1.10 of the worker floor with that library, within" in both
    assert "the rest of the assessment page 1.20 of the engine floor" in both


def test_cpu_is_counted_process_by_process() -> None:
    """A process that ends between two readings (the last load's browser) takes away its own
    time only; one that starts adds all of its time; the others add what they used."""
    before = {10: 5 * CLOCK_TICKS, 11: 2 * CLOCK_TICKS}
    after = {11: 3 * CLOCK_TICKS, 12: CLOCK_TICKS // 2}
    assert cpu_used_s(before, after) == pytest.approx(1.5)
    assert cpu_used_s(after, after) == 0
