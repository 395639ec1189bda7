"""A revisit starts Python from a memory snapshot kept by the first visit, and a damaged
snapshot costs nothing but the speed-up (docs/assessment/interpreter.mjs)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import BrowserContext, Page

from assessment import assess, load_bank
from assessment.examples import SCENARIOS

from .harness import Site
from .pages import (
    SNAPSHOTS,
    ask_result,
    call_engine,
    fill,
    manifest,
    wait_for_engine,
    wait_for_snapshot,
)

pytestmark = pytest.mark.browser

BANK = load_bank()


def visit(context: BrowserContext, site: Site, warnings: list[str] | None = None) -> Page:
    """Open the assessment page in a new tab and wait for the engine."""
    page = context.new_page()
    if warnings is not None:
        page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    page.goto(site.url("assessment/"))
    wait_for_engine(page)
    return page


def scores_right(page: Page) -> None:
    """The engine, however it started, scores a scenario exactly as the Python engine does."""
    answers = SCENARIOS[1].answers(BANK)
    fill(page, answers)
    assert ask_result(page) == json.loads(json.dumps(assess(answers).to_dict()))


def test_a_revisit_starts_python_from_the_snapshot(reader: BrowserContext, site: Site) -> None:
    """The first visit starts Python afresh and keeps a snapshot; the next starts from it."""
    first = visit(reader, site)
    assert call_engine(first, "ping")["start"] == "fresh"
    kept = wait_for_snapshot(first)
    pyodide = manifest(site.root)["pyodide"]
    assert kept["url"] == site.url(f"{pyodide['base']}snapshot-{pyodide['version']}.bin.gz")
    assert int(str(kept["length"])) > 1_000_000
    first.close()

    again = visit(reader, site)
    engine = call_engine(again, "ping")
    assert engine["start"] == "snapshot"
    assert engine["module"] == "/home/pyodide/assessment/__init__.py"
    scores_right(again)


DAMAGE = {
    # Bytes flipped inside the compressed data: gzip's own check fails.
    "flipped": """(bytes) => { const copy = bytes.slice();
        for (let i = 1000; i < 1100; i++) copy[i] ^= 0xff; return copy; }""",
    # A few bytes changed half-way through (a damaged disk, a partial write).
    "flipped-middle": """(bytes) => { const copy = bytes.slice(); const half = bytes.length >> 1;
        for (let i = half; i < half + 8; i++) copy[i] ^= 0x01; return copy; }""",
    # Cut short: the stream ends early.
    "truncated": "(bytes) => bytes.slice(0, bytes.length >> 1)",
    # Not gzip at all.
    "garbage": "(bytes) => new TextEncoder().encode('<html>not a snapshot</html>')",
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_snapshot_is_dropped_and_made_again(
    returning_reader: BrowserContext, site: Site, damage: str
) -> None:
    """A damaged snapshot means an ordinary start, a warning, and a good snapshot next time."""
    # A returning reader's browser holds the snapshot an earlier visit kept.
    first = returning_reader.new_page()
    first.goto(site.url("stay/"))
    kept = wait_for_snapshot(first)
    # The damage is written into the function itself: a plain page's policy forbids eval.
    first.evaluate(
        """async ([name, url]) => {
            const cache = await caches.open(name);
            const response = await cache.match(url);
            const bytes = new Uint8Array(await response.arrayBuffer());
            const damaged = (DAMAGE)(bytes);
            await cache.put(url, new Response(damaged, { headers: response.headers }));
        }""".replace("DAMAGE", DAMAGE[damage]),
        [SNAPSHOTS, kept["url"]],
    )
    first.close()

    warnings: list[str] = []
    second = visit(returning_reader, site, warnings)
    assert call_engine(second, "ping")["start"] == "fresh"
    assert any("without its snapshot" in text for text in warnings), warnings
    scores_right(second)
    wait_for_snapshot(second)
    second.close()

    third = visit(returning_reader, site)
    assert call_engine(third, "ping")["start"] == "snapshot"
