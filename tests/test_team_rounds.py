"""A health check's team result: sides are organisations, and small groups are never shown apart."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.codec import ORGANISATIONS, Response
from assessment.team import EVERYONE, NOT_SAID, combine, grouped
from assessment.team_report import to_html, to_markdown, to_text
from tests.strategies import BANK, SIDES, full_answers

MIN_GROUP = BANK.team.min_group
ORGANISATION = st.sampled_from([*ORGANISATIONS, None])


@st.composite
def replies(draw: Any, organisations: Any = ORGANISATION) -> list[Response]:
    """A health check's replies: each its own answers, relationship, organisation and nonce."""
    count = draw(st.integers(1, 3 * MIN_GROUP + 2))
    return [
        Response(
            draw(full_answers),
            draw(st.sampled_from(SIDES)),
            date(2026, 11, 2),
            BANK.version,
            draw(organisations),
            nonce=number,
        )
        for number in range(count)
    ]


def shown(team: Any) -> Any:
    """Everything a reader or another tool is given of a team result."""
    return json.loads(json.dumps(team.to_dict()))


@settings(max_examples=60, deadline=None)
@given(replies(), st.randoms(use_true_random=False))
def test_a_round_s_result_does_not_depend_on_the_order_of_replies(
    given_replies: list[Response], order: Any
) -> None:
    """The same replies pasted in any order give the same result (respondents' numbers aside)."""
    first = shown(combine(given_replies, BANK))
    again = list(given_replies)
    order.shuffle(again)
    second = shown(combine(again, BANK))
    for result in (first, second):
        result.pop("duplicates")
    assert first == second


@settings(max_examples=80, deadline=None)
@given(replies())
def test_a_group_below_min_group_never_appears_apart(given_replies: list[Response]) -> None:
    """When replies say their organisation, the sides are organisations; if any of them has
    fewer than min_group respondents, no side is shown apart (in the data, every report and the
    agenda), and the result says why."""
    team = combine(given_replies, BANK)
    said = [r.organisation or NOT_SAID for r in given_replies]
    counts = {key: said.count(key) for key in set(said)}
    if not any(r.organisation for r in given_replies):
        assert {key for key, _ in team.relationships} <= {*SIDES, NOT_SAID}
        return
    small = [key for key, n in counts.items() if n < MIN_GROUP]
    if small and len(counts) > 1:
        assert team.relationships == ((EVERYONE, len(given_replies)),)
        assert str(MIN_GROUP) in team.grouping_note
        for d in team.dimensions:
            assert {key for key, _ in d.by_relationship} <= {EVERYONE}
            assert d.gap is None
        for q in team.questions:
            assert {key for key, _ in q.by_relationship} <= {EVERYONE}
        for report in (to_text(team), to_markdown(team), to_html(team)):
            assert "fewer than" in report
    else:
        assert dict(team.relationships) == counts
        assert team.grouping_note == ""


def test_peers_in_a_health_check_are_two_sides() -> None:
    """Two organisations answering from the same relationship are compared, organisation
    against organisation; with the replies' organisations left out they are one side."""
    peer = SIDES[-1]
    healthy = {q: 5 for q in BANK.question_ids}
    troubled = {q: 1 for q in BANK.question_ids}
    made = [
        Response(answers, peer, date(2026, 11, 2), BANK.version, organisation, nonce=n)
        for n, (answers, organisation) in enumerate(
            [(healthy, ORGANISATIONS[0])] * MIN_GROUP + [(troubled, ORGANISATIONS[1])] * MIN_GROUP
        )
    ]
    team = combine(made, BANK)
    assert dict(team.relationships) == dict.fromkeys(ORGANISATIONS, MIN_GROUP)
    assert all(d.gap_kind == "divergent" for d in team.dimensions if d.score is not None)
    unsaid = combine([replace(r, organisation=None) for r in made], BANK)
    assert dict(unsaid.relationships) == {peer: 2 * MIN_GROUP}
    assert grouped(tuple(), BANK).note == ""
