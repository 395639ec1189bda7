"""Combining many views of one partnership: the team engine, its properties and its reports."""

from __future__ import annotations

import dataclasses
import re
import urllib.parse
from datetime import date, timedelta
from html import escape
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment import Bank, Response, assess, encode
from assessment.bank import parse_bank
from assessment.rounds import ACTION_STATUSES, OPEN_STATUSES, ActionError, read_actions
from assessment.scoring import shown
from assessment.team import (
    NOT_SAID,
    TeamError,
    TeamResult,
    combine,
    describe_team_rules,
    over_time,
)
from assessment.team_page import unquote
from assessment.team_report import (
    delta_text,
    over_time_html,
    over_time_markdown,
    over_time_text,
    team_svg,
    to_html,
    to_markdown,
    to_text,
    trend_svg,
    workshop_agenda,
)
from tests.strategies import (
    BANK,
    FIRST_SIDE,
    LAST_SIDE,
    SECOND_SIDE,
    SIDES,
    answers,
    full_answers,
    side_name,
    story,
)

RELATIONSHIPS = st.sampled_from([None, *SIDES])
DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 1, 1))
ANY_ANSWERS = st.one_of(answers, full_answers)
response = st.builds(
    lambda a, s, d: Response(a, s, d, BANK.version), ANY_ANSWERS, RELATIONSHIPS, st.none() | DAYS
)
teams = st.lists(response, min_size=1, max_size=8)


def r(answers: dict[str, int | None], side: str | None = None, day: int = 1) -> Response:
    """A response to the shipped bank, dated day `day` of 2026."""
    return Response(answers, side, date(2026, 1, 1) + timedelta(days=day - 1), BANK.version)


def scores(team: TeamResult) -> list[float | None]:
    """The team's dimension scores in bank order."""
    return [d.score for d in team.dimensions]


# -- Properties ------------------------------------------------------------------------------


@given(ANY_ANSWERS, RELATIONSHIPS, st.none() | DAYS)
def test_one_respondent_gives_exactly_the_single_result(
    given_answers: dict[str, int | None], side: str | None, day: date | None
) -> None:
    """A team of one has the single assessment's verdict and scores, to the last bit."""
    single = assess(given_answers)
    team = combine([Response(given_answers, side, day, BANK.version)])
    assert team.verdict == single.verdict
    assert team.overall == single.overall
    assert scores(team) == [d.score for d in single.dimensions]
    assert all(d.low == d.high == d.score for d in team.dimensions)
    assert [b.question for b in team.deal_breakers] == list(single.knock_outs)


@given(ANY_ANSWERS, RELATIONSHIPS, st.integers(2, 6))
def test_identical_respondents_give_the_same_as_one(
    given_answers: dict[str, int | None], side: str | None, copies: int
) -> None:
    """Several people answering identically (on different days) count as one voice."""
    one = combine([r(given_answers, side)])
    many = combine([r(given_answers, side, day) for day in range(1, copies + 1)])
    assert len(many.respondents) == copies and not many.duplicates
    assert many.verdict == one.verdict
    assert many.overall == one.overall
    assert scores(many) == scores(one)
    assert not many.disagreements


def without_numbering(team: TeamResult) -> dict[str, Any]:
    """The team result's data without the input numbers (which follow the input order)."""
    data = team.to_dict()
    del data["duplicates"]
    return data


@given(teams, st.randoms(use_true_random=False))
def test_the_order_of_respondents_does_not_matter(responses: list[Response], rnd: Any) -> None:
    """Shuffling the inputs changes nothing but the input numbers."""
    shuffled = list(responses)
    rnd.shuffle(shuffled)
    assert without_numbering(combine(shuffled)) == without_numbering(combine(responses))


@given(teams)
def test_team_and_side_scores_lie_within_the_respondents_range(responses: list[Response]) -> None:
    """No average can leave the span of what people actually said."""
    team = combine(responses)
    for d in team.dimensions:
        if d.score is None:
            assert d.low is None and all(v is None for _, v in d.by_relationship)
            continue
        assert d.low is not None and d.high is not None
        assert d.low <= d.score <= d.high
        for _, value in d.by_relationship:
            assert value is None or d.low <= value <= d.high


SWAP = {FIRST_SIDE: SECOND_SIDE, SECOND_SIDE: FIRST_SIDE}


@given(teams)
def test_swapping_the_sides_mirrors_the_gaps(responses: list[Response]) -> None:
    """Two sides exchanged (client and provider): each side's score moves with it, the gaps
    stay."""
    team = combine(responses)
    swapped = combine(
        [
            dataclasses.replace(x, relationship=SWAP.get(x.relationship or "", x.relationship))
            for x in responses
        ]
    )
    assert swapped.verdict == team.verdict and scores(swapped) == scores(team)
    for a, b in zip(team.dimensions, swapped.dimensions, strict=True):
        assert (a.gap_kind, a.gap) == (b.gap_kind, b.gap)
        assert {SWAP.get(s, s): v for s, v in a.by_relationship} == dict(b.by_relationship)


# -- Examples --------------------------------------------------------------------------------

HEALTHY = story("healthy")
UNHEALTHY = story("no_written_agreement")
# The dimension the examples below trouble: the bank's first.
TROUBLED = BANK.dimensions[0].id


def test_two_sides_that_agree_give_stay_and_agreed_strengths() -> None:
    """Both sides see a healthy partnership: stay, and no divergent dimension."""
    team = combine([r(HEALTHY, FIRST_SIDE), r(HEALTHY, SECOND_SIDE, 2)])
    assert team.verdict == "stay"
    assert {d.gap_kind for d in team.dimensions} <= {"agreed_strength", "agreed_weakness"}
    assert not team.disagreements


def test_divergent_sides_are_reported_not_averaged_into_stay(bank: Bank) -> None:
    """One side sees health where the other sees trouble: divergent, and never a plain stay."""
    # A client who sees a healthy partnership, a provider who sees one dimension in ruins;
    # the averages alone would say stay.
    troubled = dict(HEALTHY)
    for q in bank.questions_in(TROUBLED):
        troubled[q.id] = 5 if q.reverse else 1
    client = combine([r(HEALTHY, FIRST_SIDE)])
    team = combine([r(HEALTHY, FIRST_SIDE), r(troubled, SECOND_SIDE, 2)])
    assert client.verdict == "stay"
    healthy_score = next(d.score for d in client.dimensions if d.id == TROUBLED)
    dimension = next(d for d in team.dimensions if d.id == TROUBLED)
    assert dimension.gap_kind == "divergent" and dimension.gap == healthy_score
    assert dict(dimension.by_relationship) == {FIRST_SIDE: healthy_score, SECOND_SIDE: 0.0}
    assert team.verdict != "stay"
    assert any("see it differently" in reason for reason in team.reasons)
    assert team.talk_first and all(q.across_relationships for q in team.talk_first)


def test_a_deal_breaker_raised_by_one_of_twelve_is_shown_with_its_count(bank: Bank) -> None:
    """Eleven healthy answers and one deal-breaker: go, and '1 of 12' says how many."""
    breaker = next(q for q in bank.questions_in("deal_breakers"))
    raised = {**HEALTHY, breaker.id: breaker.knock_out_at}
    team = combine([r(HEALTHY, FIRST_SIDE, n) for n in range(1, 12)] + [r(raised, SECOND_SIDE)])
    assert team.verdict == "go" and team.rule.id == "deal_breaker"
    assert [(b.question, b.respondents) for b in team.deal_breakers] == [(breaker.id, 1)]
    assert "raised by 1 of 12 respondents" in team.reasons[0]
    assert team.single_respondent_relationships == (SECOND_SIDE,)


def test_the_same_response_twice_is_flagged_and_counted_once() -> None:
    """The same code loaded twice is one respondent, and the report says so."""
    same = r(HEALTHY, FIRST_SIDE)
    team = combine([same, r(UNHEALTHY, SECOND_SIDE), same])
    assert len(team.respondents) == 2
    assert team.duplicates == ((3, 1),)
    assert team.to_dict()["duplicates"] == [{"input": 3, "same_as": 1}]
    assert "Input 3 is the same response as input 1" in to_text(team)


@given(st.lists(st.sampled_from([None, *SIDES]), min_size=1, max_size=6))
def test_a_team_with_no_answers_says_so_in_every_report(sides: list[str | None]) -> None:
    """Nobody answered anything: every report says there is no overall score, never 'none'."""
    team = combine([r({}, side, day) for day, side in enumerate(sides, start=1)])
    assert team.overall is None
    for report in (to_text(team), to_markdown(team), to_html(team)):
        assert "not enough answers for an overall health score" in report
        assert not re.search(r"\bnone\b", report, re.IGNORECASE), report


def test_the_json_report_has_the_keys_other_tools_read() -> None:
    """respondents, verdict, reasons, dimensions{score,min,max,by_side}, disagreements..."""
    data = combine([r(HEALTHY, FIRST_SIDE), r(UNHEALTHY, SECOND_SIDE)]).to_dict()
    assert data["respondents"] == 2 and data["bank_version"] == BANK.version
    assert data["verdict"] in {"stay", "repair", "go", "undecided"} and data["reasons"]
    for dimension in data["dimensions"].values():
        assert {"score", "min", "max", "by_side"} <= set(dimension)
        assert set(dimension["by_side"]) == {FIRST_SIDE, SECOND_SIDE}
    assert data["disagreements"] and all("question" in d for d in data["disagreements"])
    assert data["deal_breakers"] == []


def test_responses_of_another_bank_version_are_refused_by_number() -> None:
    """Which input, and why: a response of another version naming a question these lack."""
    other = Response({"zz_not_a_question": 3}, None, None, "1999.1")
    with pytest.raises(TeamError, match=r"Response 2 was made with version 1999\.1"):
        combine([r(HEALTHY), other])


def test_the_limit_is_enforced_with_a_message() -> None:
    """200 responses combine; 201 get a clear message."""
    many = [r(HEALTHY, FIRST_SIDE, day) for day in range(1, 202)]
    assert len(combine(many[:200], limit=200).respondents) == 200
    with pytest.raises(TeamError, match="201 responses is more than the 200"):
        combine(many, limit=200)
    with pytest.raises(TeamError, match="no responses"):
        combine([])


def test_respondents_without_a_side_form_their_own_group() -> None:
    """Old codes say no side: they count under 'not said', never as one of the sides."""
    team = combine([r(HEALTHY, None), r(UNHEALTHY, FIRST_SIDE)])
    assert dict(team.relationships) == {FIRST_SIDE: 1, NOT_SAID: 1}
    assert all(d.gap_kind in {"one_side", "no_score"} for d in team.dimensions)


def test_team_rules_are_written_with_the_bank_numbers(bank: Bank) -> None:
    """The methodology page's team rules carry the bank's thresholds."""
    rules = describe_team_rules(bank)
    assert [rule.id for rule in rules][:3] == ["deal_breaker", "too_few_answers", "healthy"]
    assert f"{bank.team.divergent_points:g} points" in rules[2].text


def test_team_thresholds_are_read_from_the_bank(bank_data: Any) -> None:
    """Changing [team] in the bank changes what counts as divergent."""
    bank_data["team"]["divergent_points"] = 80
    bank = parse_bank(bank_data, "wide.toml")
    troubled = {**HEALTHY, **{q.id: 1 for q in bank.questions_in(TROUBLED)}}
    team = combine([r(HEALTHY, FIRST_SIDE), r(troubled, SECOND_SIDE)], bank)
    assert all(d.gap_kind != "divergent" for d in team.dimensions)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("disagreement_levels", 0), "disagreement_levels"),
        (("divergent_points", -5), "divergent_points"),
        (("max_responses", "many"), "max_responses"),
        (("colour", "red"), "colour"),
    ],
)
def test_a_bad_team_table_names_the_field(bank_data: Any, change: Any, field: str) -> None:
    """The bank's [team] table is validated like every other part."""
    from assessment import BankError

    key, value = change
    bank_data["team"][key] = value
    with pytest.raises(BankError, match=field):
        parse_bank(bank_data, "bad.toml")


# -- Over time -------------------------------------------------------------------------------


def test_over_time_orders_by_date_and_says_what_changed() -> None:
    """Inputs in any order come out by date; the change per dimension and of the verdict."""
    later, earlier = r(HEALTHY, FIRST_SIDE, 200), r(UNHEALTHY, FIRST_SIDE, 1)
    series = over_time([[later], [earlier]])
    assert [p.given for p in series.points] == [earlier.given, later.given]
    assert [p.inputs for p in series.points] == [(2,), (1,)]
    changes = {c.id: c.delta for c in series.latest_changes}
    healthy, unhealthy = assess(HEALTHY).overall, assess(UNHEALTHY).overall
    assert healthy is not None and unhealthy is not None and healthy > unhealthy
    # A change is the difference of the two numbers shown (scoring.shown).
    assert changes["overall"] == shown(healthy) - shown(unhealthy)
    data = series.to_dict()
    assert data["points"][1]["verdict_changed"] is True
    assert data["points"][1]["changes"]["overall"] == shown(healthy) - shown(unhealthy)
    assert data["points"][0]["changes"] == {}


def test_over_time_needs_dates() -> None:
    """An old code has no day: over time names it."""
    with pytest.raises(TeamError, match="Input 2 has no date"):
        over_time([[r(HEALTHY)], [Response(HEALTHY, None, None, BANK.version)]])


def test_over_time_reports_render() -> None:
    """The trend chart has a title and description; the table lists every assessment."""
    series = over_time([[r(UNHEALTHY, FIRST_SIDE, 1)], [r(HEALTHY, FIRST_SIDE, 90)]])
    svg = trend_svg(series)
    assert "<title" in svg and "<desc" in svg
    # One line per dimension and the overall health, each labelled (colours and dashes take
    # turns: a bank may have more dimensions than there are of them).
    for title in ("Overall health", *(d.title for d in series.points[0].result.dimensions)):
        assert f">{title}: " in svg
    assert "2026-03-31" in over_time_html(series)
    healthy, unhealthy = assess(HEALTHY).overall, assess(UNHEALTHY).overall
    assert healthy is not None and unhealthy is not None
    assert f"({delta_text(shown(healthy) - shown(unhealthy))})" in over_time_markdown(series)


@given(answers)
def test_a_score_that_did_not_move_is_never_shown_as_a_change(picked: dict[str, Any]) -> None:
    """The same answers twice: every score the same, so no "+0" anywhere, and the terminal
    says "no change"; a change of one shown point still reads "+1"."""
    series = over_time([[r(picked, FIRST_SIDE, 1)], [r(picked, FIRST_SIDE, 90)]])
    for text in (over_time_markdown(series), over_time_html(series), over_time_text(series)):
        assert re.findall(r"[(\s][+-]0(?![\d.])", text) == []
    scored = [c for c in series.latest_changes if c.delta is not None]
    if scored:
        assert f"({delta_text(0.0)})" in over_time_text(series)
    assert delta_text(0.0) == "no change" and delta_text(1.0) == "+1" and delta_text(-12.0) == "-12"


# -- Reports ---------------------------------------------------------------------------------

PAYLOAD = '<img src=x onerror=alert(1)> [x](javascript:alert(2)) " & \x1b[2J'


def payload_bank(bank_data: Any) -> Bank:
    """The shipped bank with HTML and a terminal escape in every text a team report shows."""
    bank_data["dimensions"][0]["title"] += PAYLOAD
    for question in bank_data["questions"]:
        question["text"] += PAYLOAD
        question["levels"] = [level + PAYLOAD for level in question["levels"]]
    for verdict in bank_data["verdicts"]:
        verdict["title"] += PAYLOAD
        verdict["summary"] += PAYLOAD
    return parse_bank(bank_data, "payload.toml")


class Tags(HTMLParser):
    """Every element and attribute of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_reports_keep_bank_texts_inert(bank_data: Any) -> None:
    """HTML stays text in the fragment and the chart; Markdown and terminal text stay inert."""
    bank = payload_bank(bank_data)
    healthy = {q: v for q, v in HEALTHY.items()}
    troubled = {**healthy, **{q.id: 1 for q in bank.questions_in(TROUBLED)}}
    team = combine(
        [
            Response(healthy, FIRST_SIDE, date(2026, 1, 1), bank.version),
            Response(troubled, SECOND_SIDE, date(2026, 1, 2), bank.version),
        ],
        bank,
    )
    html = to_html(team)
    tags = Tags()
    tags.feed(html)
    assert not any(tag == "img" or tag == "script" for tag, _ in tags.tags)
    assert not any(
        "style" in attrs or any(a.startswith("on") for a in attrs) for _, attrs in tags.tags
    )
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    markdown = to_markdown(team) + workshop_agenda(team)
    assert "<img" not in markdown and "](javascript:" not in markdown
    assert "\x1b" not in to_text(team)


def test_the_html_fragment_shows_what_the_issue_asks(bank: Bank) -> None:
    """Verdict and reasons, chart with title and description, table, talk-first, notes."""
    breaker = next(q for q in bank.questions_in("deal_breakers"))
    raised = {**UNHEALTHY, breaker.id: breaker.knock_out_at}
    team = combine([r(HEALTHY, FIRST_SIDE), r(raised, SECOND_SIDE), r(UNHEALTHY, SECOND_SIDE, 2)])
    html = to_html(team, page_base="../")
    assert "Team verdict: Go" in re.sub(r"<[^>]+>", "", html)
    assert re.search(r"<svg[^>]*aria-labelledby=", html) and "<desc" in html
    assert "<table" in html and "Talk about these first" in html
    assert "raised by 1 of 3" in html
    assert f"Only one person answered for the {side_name(FIRST_SIDE).lower()}" in html
    assert 'href="../stay/health-check/"' in html
    # One marker in the legend, one per dimension.
    assert team_svg(team).count(f'class="pp-side pp-side-{FIRST_SIDE}"') == 1 + len(bank.dimensions)


def test_the_workshop_agenda_is_ninety_minutes_from_the_disagreements() -> None:
    """The agenda lists the talk-first questions and the weakest dimensions."""
    team = combine([r(HEALTHY, FIRST_SIDE), r(UNHEALTHY, SECOND_SIDE)])
    agenda = workshop_agenda(team)
    minutes = [int(m) for m in re.findall(r"^\| (\d+) min \|", agenda, flags=re.M)]
    assert sum(minutes) == 90
    assert team.talk_first[0].text.split("?")[0][:40] in agenda
    assert "## Weakest dimensions" in agenda and "check-in-agenda" in agenda


ACTION_DICTS = st.lists(
    st.fixed_dictionaries(
        {
            "what": st.text(min_size=1, max_size=30).filter(str.strip) | st.just(PAYLOAD),
            "owner": st.text(max_size=10),
            "due": st.none() | st.dates(date(2026, 1, 1), date(2028, 1, 1)).map(str),
            "status": st.sampled_from(ACTION_STATUSES),
        }
    ),
    max_size=5,
)


@given(ACTION_DICTS, st.booleans())
def test_a_round_s_open_actions_open_its_result_and_agenda(
    listed: list[dict[str, Any]], talk: bool
) -> None:
    """Each action still open (not done, not dropped) is in the result right under the verdict
    card, in the report before "Why" and in the agenda with time to review it; the agenda stays
    ninety minutes; a closed action appears nowhere; every value is escaped."""
    team = combine([r(HEALTHY, FIRST_SIDE), r(UNHEALTHY if talk else HEALTHY, SECOND_SIDE)])
    actions = read_actions(listed)
    html = to_html(team, actions=actions)
    markdown, agenda = to_markdown(team, actions=actions), workshop_agenda(team, actions=actions)
    minutes = [int(m) for m in re.findall(r"^\| (\d+) min \|", agenda, flags=re.M)]
    assert sum(minutes) == 90
    still = [a for a in actions if a.status in OPEN_STATUSES]
    assert ("pp-open-actions" in html) == bool(still)
    assert ("Open actions from the last workshop" in agenda) == bool(still)
    assert "<img" not in html
    if still:
        assert html.index("pp-card") < html.index("pp-open-actions") < html.index("Why this")
        assert markdown.index("## Open actions") < markdown.index("## Why")
    listed_html = re.findall(r'<td data-label="Action">(.*?)</td>', html, flags=re.S)
    assert listed_html == [escape(a.what) for a in still]


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=10,
    )
)
def test_actions_from_a_page_or_a_file_are_read_or_refused_in_a_sentence(raw: Any) -> None:
    """Whatever a page or a file holds in place of a round's actions: read, or ActionError."""
    try:
        read_actions(raw)
    except ActionError as error:
        assert str(error).endswith(".")


# -- The compare page's glue (docs/compare/main.py over assessment/team_page.py) -----------


def compare_main() -> Any:
    """The compare page's main.py, imported as the worker imports it."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "docs" / "compare" / "main.py"
    spec = importlib.util.spec_from_file_location("compare_main", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def call(fn: Any, *args: Any) -> Any:
    """Call a page function as the bridge does: JSON text in, JSON text out."""
    import json

    return json.loads(fn(*(json.dumps(a) for a in args)))


def test_the_compare_page_glue_reads_combines_and_reopens(bank: Bank) -> None:
    """Paste codes, set a side the code did not say, combine, and reopen from the link."""
    import base64
    import json

    from assessment.exports import export_document

    page = compare_main()
    assert set(page.__export__) >= {"ping", "read_codes", "team", "set_link"}
    client = encode(HEALTHY, relationship=FIRST_SIDE, given=date(2026, 1, 5))
    unsaid = encode(UNHEALTHY, dated=False)
    read = call(page.read_codes, f"{client}\n#code={unsaid}  nonsense #code=nonsense")
    assert read["ok"] and [i["side"] for i in read["items"]] == [FIRST_SIDE, None]
    assert read["refused"] == [
        {
            "number": 3,
            "text": "#code=nonsense",
            "error": read["refused"][0]["error"],
            "piece": "#code=nonsense",
        }
    ]
    items = [{"code": read["items"][0]["code"]}, {"code": unsaid, "side": SECOND_SIDE}]
    team = call(page.team, items, "https://example.org/")
    assert team["ok"] and team["result"]["sides"] == {FIRST_SIDE: 1, SECOND_SIDE: 1}
    assert "Team verdict" in team["html"] and "# Workshop agenda" in team["agenda"]
    fragment = call(page.set_link, items)["fragment"]
    assert fragment == f"#set={client},{unsaid}~{SECOND_SIDE}"
    reopened = call(page.open_set, fragment + ",junk")
    assert [i["side"] for i in reopened["items"]] == [FIRST_SIDE, SECOND_SIDE]
    assert reopened["refused"][0]["number"] == 3
    # A file: the export's bytes, base64, as the page reads them.
    document = export_document(assess(HEALTHY), HEALTHY, client, relationship=LAST_SIDE)
    data = base64.b64encode(b"\xef\xbb\xbf" + json.dumps(document).encode()).decode()
    assert call(page.read_file, "mine.json", data)["item"]["side"] == LAST_SIDE
    utf16 = base64.b64encode(json.dumps(document).encode("utf-16")).decode()
    refused = call(page.read_file, "wide.json", utf16)
    assert not refused["ok"] and refused["error"].startswith("wide.json is UTF-16")


def test_the_compare_page_glue_refuses_clearly(bank: Bank) -> None:
    """Bad sides, bad entries, too many responses, no own answers: ok=False with a message."""
    page = compare_main()
    code = encode(HEALTHY, dated=False)
    bad_side = call(page.team, [{"code": code, "side": "boss"}], "")
    assert not bad_side["ok"] and "Response 1" in bad_side["error"]
    assert not call(page.team, "not a list", "")["ok"]
    limit = bank.team.max_responses
    too_many = [
        {"code": encode(HEALTHY, given=date(2025, 1, 1) + timedelta(n))} for n in range(limit + 1)
    ]
    over = call(page.team, too_many, "")
    assert not over["ok"] and f"{limit + 1} responses is more than the {limit}" in over["error"]
    assert call(page.team, too_many[:limit], "")["ok"]
    nothing = call(page.mine, None)
    assert not nothing["ok"] and "Answer the self-assessment first" in nothing["error"]
    own = call(
        page.mine, {"bank_version": bank.version, "perspective": FIRST_SIDE, "answers": HEALTHY}
    )
    assert own["ok"] and own["item"]["side"] == FIRST_SIDE and own["item"]["date"]
    series = call(page.over_time, [[{"code": code}], [{"code": code}]])
    assert not series["ok"] and "has no date" in series["error"]


# -- The sides as the bank names and colours them --------------------------------------------


def test_the_team_view_shows_the_bank_s_names_colours_and_shapes(bank_data: Any) -> None:
    """A bank with other relationships (one named and coloured, one left to the defaults) is
    shown by its own words and colours, each side with its own marker, and no code changes."""
    from assessment.colours import NOT_SAID_COLOUR, RELATIONSHIP_COLOURS
    from assessment.team import NOT_SAID_NAME, relationship_name
    from assessment.team_page import relationships

    bank_data["relationships"] = [
        {"id": "buyer", "label": "We buy", "name": "Buyers", "colour": "#2E8B57"},
        {"id": "seller", "label": "We sell"},
        {"id": "broker", "label": "We broker", "name": "Brokers"},
    ]
    for question in bank_data["questions"]:
        question.pop("by_relationship", None)
    bank = parse_bank(bank_data, "ours.toml")
    healthy, unhealthy = story("healthy", bank), story("no_written_agreement", bank)
    day = date(2026, 1, 1)
    team = combine(
        [
            Response(healthy, "buyer", day, bank.version),
            Response(unhealthy, "seller", day, bank.version),
            Response(healthy, "broker", day, bank.version),
            Response(unhealthy, None, day, bank.version),
        ],
        bank,
    )
    assert "(Buyers 1, Seller 1, Brokers 1, Side not said 1)" in to_text(team)
    assert "| Buyers | Seller | Brokers | Side not said | Gap |" in to_markdown(team)
    assert relationship_name("seller", bank) == "Seller"
    assert relationship_name(NOT_SAID, bank) == NOT_SAID_NAME
    assert [side["name"] for side in relationships(bank)] == ["Buyers", "Seller", "Brokers"]
    svg = team_svg(team)
    markers = re.findall(r'<(\w+) class="pp-side pp-side-(\w+)" fill="(#\w+)"', svg)
    legend = {side: (shape, fill) for shape, side, fill in markers[:4]}
    assert legend == {
        "buyer": ("circle", "#2e8b57"),
        "seller": ("rect", RELATIONSHIP_COLOURS[1]),
        "broker": ("polygon", RELATIONSHIP_COLOURS[2]),
        NOT_SAID: ("polygon", NOT_SAID_COLOUR),
    }
    assert len(markers) == 4 + 4 * len(bank.dimensions) - sum(
        1 for d in team.dimensions for _, v in d.by_relationship if v is None
    )


# Text as a link's fragment may carry it: escapes of any byte in either case, stray "%", text.
ESCAPED = st.lists(
    st.one_of(
        st.integers(0, 255).map(lambda byte: f"%{byte:02x}"),
        st.integers(0, 255).map(lambda byte: f"%{byte:02X}"),
        st.sampled_from(["%", "%2", "%zz", "~", ","]),
        st.text(max_size=4),
    ),
    max_size=12,
).map("".join)


@given(ESCAPED)
def test_a_fragment_unquotes_as_the_standard_library_unquotes_it(text: str) -> None:
    """The engine's unquote (the browser ships no urllib.parse) reads percent escapes as
    urllib.parse.unquote does with errors="replace": each run of bytes as UTF-8, a bad one as
    the replacement character, the rest as it is."""
    assert unquote(text) == urllib.parse.unquote(text, errors="replace")
