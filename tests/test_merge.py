"""What two tabs keep becomes one: the pages' merge rules (docs/javascripts/merge.js).

Every page that keeps data merges its copy with the one saved by another tab, on each save and
on each change the other tab makes. Whatever the interleaving of changes, saves, reloads and
messages between two tabs, nothing either tab added is lost, and nothing comes back that was
removed after its last change. The module is run in Node.js (tests/jsbridge.py), exactly as
the pages import it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import REPO
from tests.jsbridge import JsModule

MERGE = REPO / "docs" / "javascripts" / "merge.js"


@pytest.fixture(scope="module")
def merge() -> Iterator[JsModule]:
    """The merge module, loaded once in Node.js."""
    with JsModule(MERGE) as module:
        yield module


@dataclass
class Tab:
    """One tab's copy of the list, as its page holds it."""

    local: dict[str, Any]


@dataclass
class World:
    """Two tabs, the browser's storage, and what each entry went through (the ground truth)."""

    tabs: list[Tab]
    stored: dict[str, Any] | None = None
    clock: int = 0
    changed: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)

    def tick(self) -> int:
        self.clock += 1
        return self.clock


# What one step does: (tab, action, which entry it picks among those the tab shows).
ACTIONS = ("add", "change", "remove", "save", "message", "reload")
steps = st.lists(
    st.tuples(st.integers(0, 1), st.sampled_from(ACTIONS), st.integers(0, 50)), max_size=40
)


def run(merge: JsModule, script: list[tuple[int, str, int]]) -> World:
    """Play `script` on two tabs; every change is saved at once, as the pages do."""
    empty = merge.call("emptyList")
    world = World(tabs=[Tab(empty), Tab(empty)])

    def save(tab: Tab) -> None:
        merged = merge.call("mergeLists", tab.local, world.stored or empty)
        world.stored = merged
        tab.local = merged

    for number, (which, action, pick) in enumerate(script):
        tab = world.tabs[which]
        shown = sorted(tab.local["entries"])
        if action == "add":
            now = world.tick()
            entry_id = f"{now:09d}-{number}"
            tab.local = merge.call("addEntry", tab.local, {"n": number}, now, entry_id)
            world.changed[entry_id] = now
            save(tab)
        elif action == "change" and shown:
            entry_id = shown[pick % len(shown)]
            now = world.tick()
            tab.local = merge.call("changeEntry", tab.local, entry_id, {"n": number}, now)
            world.changed[entry_id] = now
            save(tab)
        elif action == "remove" and shown:
            entry_id = shown[pick % len(shown)]
            now = world.tick()
            tab.local = merge.call("removeEntries", tab.local, [entry_id], now)
            world.removed[entry_id] = now
            save(tab)
        elif action == "save":
            save(tab)
        elif action == "message" and world.stored is not None:
            # The other tab saved: the browser tells this one (a storage event).
            tab.local = merge.call("mergeLists", tab.local, world.stored)
        elif action == "reload":
            tab.local = world.stored or empty
    for tab in world.tabs:
        save(tab)
    return world


@settings(max_examples=150, deadline=None)
@given(steps)
def test_two_tabs_keep_every_addition_and_no_removal_comes_back(
    merge: JsModule, script: list[tuple[int, str, int]]
) -> None:
    """After any interleaving, both tabs agree; an entry is there unless removed after its
    last change."""
    world = run(merge, script)
    first, second = (tab.local for tab in world.tabs)
    assert first == second == world.stored
    kept = set(world.stored["entries"]) if world.stored else set()
    expected = {
        entry_id
        for entry_id, changed in world.changed.items()
        if world.removed.get(entry_id, -1) < changed
    }
    assert kept == expected


list_values = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d"]),
    st.fixed_dictionaries({"value": st.integers(0, 3), "at": st.integers(0, 5)}),
)
lists = st.builds(
    lambda entries, removed: {"entries": entries, "removed": removed},
    list_values,
    st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), st.integers(0, 5)),
)


@settings(max_examples=150, deadline=None)
@given(lists, lists, lists)
def test_merging_lists_is_order_free(
    merge: JsModule, a: dict[str, Any], b: dict[str, Any], c: dict[str, Any]
) -> None:
    """The same result whichever tab merges first, however often (a CRDT's three laws)."""
    assert merge.call("mergeLists", a, b) == merge.call("mergeLists", b, a)
    ab_c = merge.call("mergeLists", merge.call("mergeLists", a, b), c)
    a_bc = merge.call("mergeLists", a, merge.call("mergeLists", b, c))
    assert ab_c == a_bc
    once = merge.call("mergeLists", a, b)
    assert merge.call("mergeLists", once, once) == once


fields = st.builds(
    lambda changes: {
        "values": {name: value for name, (value, _) in changes.items()},
        "at": {name: at for name, (_, at) in changes.items()},
    },
    st.dictionaries(
        st.sampled_from(["notice", "term", "renews"]),
        st.tuples(st.text(max_size=3), st.integers(0, 5)),
    ),
)


@settings(max_examples=150, deadline=None)
@given(fields, fields, fields)
def test_merging_fields_keeps_each_latest_change_in_any_order(
    merge: JsModule, a: dict[str, Any], b: dict[str, Any], c: dict[str, Any]
) -> None:
    """Each field holds its latest change, whichever copy had it; merging is order-free."""
    merged = merge.call("mergeFields", a, b)
    assert merged == merge.call("mergeFields", b, a)
    assert merge.call("mergeFields", merged, c) == merge.call(
        "mergeFields", a, merge.call("mergeFields", b, c)
    )
    for name in {*a["values"], *b["values"]}:
        times = [copy["at"][name] for copy in (a, b) if name in copy["values"]]
        assert merged["at"][name] == max(times)
        assert merged["values"][name] in [
            copy["values"][name] for copy in (a, b) if copy["at"].get(name) == max(times)
        ]


def test_a_saved_list_is_checked_entry_by_entry(merge: JsModule) -> None:
    """Entries with a value the page refuses or no time are dropped; a non-list is refused."""
    raw = {
        "entries": {"x": {"value": "good", "at": 1}, "y": {"value": 5, "at": 2}, "z": {"at": 3}},
        "removed": {"w": 4, "v": "soon"},
    }
    assert merge.call("checkList", raw) == {
        "entries": {"x": {"value": "good", "at": 1}, "y": {"value": 5, "at": 2}},
        "removed": {"w": 4},
    }
    assert merge.call("checkList", "not a list") is None
    assert merge.call("checkList", {"entries": None}) is None


# -- The reader's own answers: two tabs answer, change and take answers away ------------------

QUESTIONS = ["q1", "q2", "q3"]
REMOVED = object()
answer_steps = st.lists(
    st.tuples(
        st.integers(0, 1),
        st.sampled_from(["answer", "replace_all", "message", "reload"]),
        st.sampled_from(QUESTIONS),
        st.sampled_from([1, 2, 3, 4, 5, None]),
    ),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(answer_steps)
def test_two_tabs_keep_each_question_s_latest_change(
    merge: JsModule, script: list[tuple[int, str, str, int | None]]
) -> None:
    """Each question ends with its latest change in either tab, an answer or its removal (as
    "Make these my answers" replaces every answer); both tabs agree."""
    version = "2026.2"
    empty: dict[str, Any] = {
        "bank_version": version,
        "perspective": "",
        "answers": {},
        "updated": {},
    }
    tabs: list[dict[str, Any]] = [dict(empty), dict(empty)]
    stored: dict[str, Any] | None = None
    latest: dict[str, tuple[int, object]] = {}  # question -> (time, its answer or REMOVED)
    clock = 0

    def save(index: int) -> None:
        nonlocal stored
        merged = merge.call("mergeRecords", tabs[index], stored or empty, version)
        stored, tabs[index] = merged, merged

    for which, action, question, level in script:
        tab = tabs[which]
        if action == "answer":
            clock += 1
            tabs[which] = {
                **tab,
                "answers": {**tab["answers"], question: level},
                "updated": {**tab["updated"], question: clock},
            }
            latest[question] = (clock, level)
            save(which)
        elif action == "replace_all":
            # Answers from a link made one's own: only `question` answered, the rest removed.
            clock += 1
            tabs[which] = {
                **tab,
                "answers": {question: level},
                "updated": {**dict.fromkeys(QUESTIONS, clock)},
            }
            for q in QUESTIONS:
                latest[q] = (clock, level if q == question else REMOVED)
            save(which)
        elif action == "message" and stored is not None:
            tabs[which] = merge.call("mergeRecords", tab, stored, version)
        elif action == "reload":
            tabs[which] = stored or empty
    for index in (0, 1):
        save(index)
    assert tabs[0] == tabs[1] == stored
    final = stored["answers"] if stored else {}
    expected = {q: value for q, (_, value) in latest.items() if value is not REMOVED}
    assert final == expected


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.integers(0, (1 << 24) - 1)), min_size=2, max_size=5),
    st.randoms(use_true_random=False),
)
def test_tabs_that_each_drew_a_nonce_settle_on_one(
    merge: JsModule, drawn: list[int | None], order: Any
) -> None:
    """One respondent, one nonce: records from several tabs, each with its own nonce (or none,
    as saved before nonces), merge to the same one in any order; none is made up."""
    records = [
        {
            "bank_version": "2026.2",
            "perspective": "",
            "answers": {},
            "updated": {},
            **({} if nonce is None else {"nonce": nonce}),
        }
        for nonce in drawn
    ]
    results = set()
    for _ in range(3):
        order.shuffle(records)
        merged = records[0]
        for record in records[1:]:
            merged = merge.call("mergeRecords", merged, record, "2026.2")
        results.add(merged.get("nonce"))
    known = [nonce for nonce in drawn if nonce is not None]
    assert results == {min(known) if known else None}
