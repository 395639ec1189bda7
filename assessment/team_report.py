"""A team result (and a series over time) as text, Markdown, an HTML fragment and SVG charts.

Pure functions shared by the command line and the compare page. Every value that came from a
bank or a response is escaped (HTML, SVG) or made inert (Markdown, terminal text).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from itertools import pairwise

from .report import (
    CARD_STEPS,
    HEALTH_CHECK_PAGE,
    Fact,
    Figure,
    card_html,
    chart_end,
    chart_no_score,
    chart_row,
    chart_start,
    first_sentence,
    fold,
    markdown_text,
    page_url,
    table_wrap,
)
from .rounds import Action
from .scoring import score_text, shown
from .team import (
    GAP_LABELS,
    DimensionSummary,
    OverTime,
    QuestionSummary,
    Side,
    TeamResult,
    respondents_text,
)
from .text import plain

AGENDA_TEMPLATE = "templates/check-in-agenda.md"
# Each relationship's marker in the chart: its colour from the bank (readable on the light and
# the dark palette) and, so that colour is never the only difference, a shape of its own by its
# position in the bank; respondents who did not say their side get a triangle.
MARKER_SHAPES = ("circle", "square", "diamond", "triangle-down", "pentagon", "hexagon")
NOT_SAID_SHAPE = "triangle"
_LABEL_WIDTH = 190
_BAR_WIDTH = 300
_ROW = 34
_TOP = 52
_WIDTH = _LABEL_WIDTH + _BAR_WIDTH + 60


def _score(value: float | None) -> str:
    """A score in a report's table or chart; "no score" where too few answered to give one."""
    return "no score" if value is None else score_text(value)


def _range(low: float | None, high: float | None, joiner: str = " to ") -> str:
    """The respondents' range of a score, or "no answers" where nobody gave one."""
    if low is None or high is None:
        return "no answers"
    return f"{score_text(low)}{joiner}{score_text(high)}"


def people(count: int) -> str:
    """'1 person', '2 people': how many gave an answer, never a bare number in brackets."""
    return f"{count} person" if count == 1 else f"{count} people"


def notes(team: TeamResult) -> tuple[str, ...]:
    """What the reader must know about the set itself: duplicates, one person's answers told
    apart (a relationship with a single respondent)."""
    said = [
        f"Input {number} is the same response as input {original}: it is counted once."
        for number, original in team.duplicates
    ]
    said += [
        f"Only one person answered for the {team.side_name(key).lower()}: anyone who sees "
        "this result can tell that person's answers apart."
        for key in team.single_respondent_relationships
    ]
    return tuple(said)


def _answers_by_side(team: TeamResult, q: QuestionSummary) -> list[tuple[str, str]]:
    """Each relationship's answers to a question as (its name, "“answer” (count), …")."""
    return [
        (team.side_name(key), ", ".join(f"“{a.text}” ({people(a.count)})" for a in answers))
        for key, answers in q.by_relationship
    ]


def _gap_text(d: DimensionSummary) -> str:
    if d.gap_kind == "divergent" and d.gap is not None:
        return f"{GAP_LABELS[d.gap_kind]} ({shown(d.gap)} points apart)"
    return GAP_LABELS[d.gap_kind]


# -- Terminal text ---------------------------------------------------------------------------


def overall_sentence(team: TeamResult) -> str:
    """The team's overall health in one sentence, or why there is none."""
    if team.overall is None:
        return "There are not enough answers for an overall health score."
    spread = ""
    if team.overall_low is not None and team.overall_high is not None:
        if team.overall_low == team.overall_high:
            spread = f"; every respondent gave {_score(team.overall_low)}"
        else:
            spread = (
                f"; respondents gave from {_score(team.overall_low)} to {_score(team.overall_high)}"
            )
    return f"Overall health: {_score(team.overall)} out of 100{spread}."


def to_text(team: TeamResult, base_url: str = "", actions: Sequence[Action] = ()) -> str:
    """A plain-text team report for the terminal (a round's open actions after the verdict)."""
    counts = ", ".join(f"{team.side_name(key)} {n}" for key, n in team.relationships)
    lines = [
        f"Team verdict: {team.verdict_label.upper()}: {team.verdict_title}",
        team.verdict_summary,
        "",
        f"{respondents_text(len(team.respondents))} ({counts}).",
        *([team.grouping_note] if team.grouping_note else []),
        overall_sentence(team),
        "",
        *_actions_text(actions),
        "Why:",
        *(f"  - {reason}" for reason in team.reasons),
        f"  Rule: {team.rule.text}",
    ]
    if notes(team):
        lines += ["", "Note:", *(f"  - {note}" for note in notes(team))]
    lines += ["", "Dimensions (team, range, each side, gap):"]
    for d in team.dimensions:
        scores = ", ".join(f"{team.side_name(key)} {_score(v)}" for key, v in d.by_relationship)
        lines.append(
            f"  {d.title:<22} {_score(d.score):>3}  ({_range(d.low, d.high, '-')})  "
            f"{scores}  {_gap_text(d)}"
        )
    if team.talk_first:
        lines += ["", "Talk about these first:"]
        for q in team.talk_first:
            lines.append(f"  - {q.text}")
            lines += [f"      {name}: {answers}" for name, answers in _answers_by_side(team, q)]
    if team.deal_breakers:
        lines += ["", "Deal-breakers raised:"]
        lines += [
            f"  - {b.text} ({b.respondents} of {len(team.respondents)})" for b in team.deal_breakers
        ]
    lines += ["", f"Running the check: {page_url(HEALTH_CHECK_PAGE, base_url)}"]
    return "\n".join(plain(line) for line in lines)


# -- Markdown --------------------------------------------------------------------------------


def to_markdown(team: TeamResult, base_url: str = "", actions: Sequence[Action] = ()) -> str:
    """A Markdown team report, with links into the playbook under base_url (a round's open
    actions from the last workshop first)."""
    m = markdown_text
    lines = [
        "# Partnership health check: the team's view",
        "",
        f"**Team verdict: {m(team.verdict_label)}: {m(team.verdict_title)}**",
        "",
        m(team.verdict_summary),
        "",
        f"{respondents_text(len(team.respondents))}: "
        + ", ".join(f"{m(team.side_name(key))} {n}" for key, n in team.relationships)
        + ".",
        *([f"\n{m(team.grouping_note)}"] if team.grouping_note else []),
        "",
        overall_sentence(team),
        "",
        *actions_markdown(actions),
        "## Why",
        "",
        *(f"- {m(reason)}" for reason in team.reasons),
        f"- Rule applied: {m(team.rule.text)}",
        "",
    ]
    if notes(team):
        lines += ["## Note", "", *(f"- {m(note)}" for note in notes(team)), ""]
    keys = [key for key, _ in team.relationships]
    lines += [
        "## Dimensions",
        "",
        "| Dimension | Team | Range | "
        + " | ".join(m(team.side_name(key)) for key in keys)
        + " | Gap |",
        "| --- | ---: | ---: | " + " | ".join("---:" for _ in keys) + " | --- |",
    ]
    for d in team.dimensions:
        by_relationship = dict(d.by_relationship)
        lines.append(
            f"| [{m(d.title)}]({page_url(d.playbook, base_url)}) | {_score(d.score)} | "
            f"{_range(d.low, d.high)} | "
            + " | ".join(_score(by_relationship.get(key)) for key in keys)
            + f" | {m(_gap_text(d))} |"
        )
    lines.append("")
    if team.talk_first:
        lines += ["## Talk about these first", ""]
        for n, q in enumerate(team.talk_first, start=1):
            lines.append(f"{n}. **{m(q.text)}**")
            lines += [
                f"    - {m(name)}: {m(answers)}" for name, answers in _answers_by_side(team, q)
            ]
        lines.append("")
    lines += _deal_breakers_markdown(team)
    lines += ["## Next steps", ""]
    lines += [f"{n}. {m(step)}" for n, step in enumerate(team.next_steps, start=1)]
    lines += [
        "",
        f"More: [the playbook]({page_url(team.verdict_playbook, base_url)}) and "
        f"[running a two-sided health check]({page_url(HEALTH_CHECK_PAGE, base_url)})",
        "",
        f"_Question bank version {m(team.bank_version)}._",
        "",
    ]
    return "\n".join(lines)


def _deal_breakers_markdown(team: TeamResult) -> list[str]:
    """The deal-breakers raised, as a Markdown section (none when nobody raised one)."""
    if not team.deal_breakers:
        return []
    raised = [
        f"- {markdown_text(b.text)}: raised by {b.respondents} of {len(team.respondents)}"
        for b in team.deal_breakers
    ]
    return ["## Deal-breakers raised", "", *raised, ""]


# -- HTML fragment ---------------------------------------------------------------------------


def team_card(team: TeamResult, page_base: str = "../", id_prefix: str = "pp-team") -> str:
    """The verdict card at the top of a team result: the verdict, one sentence, who answered,
    the figures, the top next steps and the day of the check."""
    sentence, _ = first_sentence(team.verdict_summary)
    counts = ", ".join(f"{team.side_name(key)} {n}" for key, n in team.relationships)
    facts: list[Fact] = [(f"{respondents_text(len(team.respondents))}: {counts}.",)]
    if team.overall is None:
        facts.append((overall_sentence(team),))
    else:
        overall: list[str | Figure] = ["Overall health: ", Figure(team.overall), " out of 100"]
        if team.overall_low is not None and team.overall_high is not None:
            if team.overall_low == team.overall_high:
                overall += ["; every respondent gave ", Figure(team.overall_low)]
            else:
                low_, high_ = Figure(team.overall_low), Figure(team.overall_high)
                overall += ["; respondents gave from ", low_, " to ", high_]
        facts.append((*overall, "."))
    low = [d for d in team.weakest if d.score is not None and d.score < _stay_line(team)]
    if low:
        weakest: list[str | Figure] = ["Weakest: "]
        for index, d in enumerate(low[:3]):
            weakest += [", " if index else "", f"{d.title} ", Figure(d.score or 0.0)]
        facts.append((*weakest, "."))
    links = [("Read the playbook for this verdict", page_url(team.verdict_playbook, page_base))]
    links.append(("Running a two-sided health check", page_url(HEALTH_CHECK_PAGE, page_base)))
    dates = [("Answers given up to", team.given.isoformat())] if team.given else []
    return card_html(
        id_prefix=id_prefix,
        colour=team.verdict_colour,
        label=team.verdict_label,
        title=team.verdict_title,
        sentence=sentence,
        facts=facts,
        steps=team.next_steps[:CARD_STEPS],
        links=links,
        kind=f"Team check: {respondents_text(len(team.respondents))} pooled",
        dates=dates,
        prefix="Team verdict",
    )


def _stay_line(team: TeamResult) -> float:
    # The stay threshold, as the team's reasons say it (the overall reason names it).
    from .bank import load_bank

    return load_bank().thresholds.stay_overall


ACTIONS_TITLE = "Open actions from the last workshop"
ACTION_COLUMNS = ("Action", "Owner's role", "Due", "Status")


def open_actions(actions: Sequence[Action]) -> list[Action]:
    """The actions still to review (open or in progress), in their order."""
    return [action for action in actions if action.is_open]


def _action_cells(action: Action) -> tuple[str, str, str, str]:
    """An action's what, owner's role, due date and status, as a report shows them."""
    due = action.due.isoformat() if action.due else "not set"
    return action.what, action.owner or "not said", due, action.status


def _actions_text(actions: Sequence[Action]) -> list[str]:
    """The last workshop's actions still open, for the terminal ([] if none)."""
    still = open_actions(actions)
    if not still:
        return []
    lines = [f"{ACTIONS_TITLE}:"]
    for action in still:
        what, owner, due, status = _action_cells(action)
        lines.append(f"  - {what} ({owner}; due {due}; {status})")
    return [*lines, ""]


def actions_html(actions: Sequence[Action], id_prefix: str = "pp-team") -> str:
    """The last workshop's actions still open, which a round's result opens with ("" if none)."""
    e = escape
    still = open_actions(actions)
    if not still:
        return ""
    rows = [
        f'<section class="pp-open-actions" id="{e(id_prefix)}-actions">',
        f"<h3>{e(ACTIONS_TITLE)}</h3>",
        "<p>Review these first: what was done since, what is still open, and why.</p>",
        table_wrap(ACTIONS_TITLE),
        '<table class="pp-table pp-cards">',
        f"<caption>{e(ACTIONS_TITLE)}, with each one's owner, due date and status</caption>",
        "<thead><tr>"
        + "".join(f'<th scope="col">{e(n)}</th>' for n in ACTION_COLUMNS)
        + "</tr></thead>",
        "<tbody>",
        *(
            "<tr>"
            + "".join(
                f'<td data-label="{e(name)}">{e(text)}</td>'
                for name, text in zip(ACTION_COLUMNS, _action_cells(action), strict=True)
            )
            + "</tr>"
            for action in still
        ),
        "</tbody>",
        "</table>",
        "</div>",
        "</section>",
    ]
    return "\n".join(rows)


def actions_markdown(actions: Sequence[Action]) -> list[str]:
    """The last workshop's actions still open, as a report's section ([] if none)."""
    m = markdown_text
    still = open_actions(actions)
    if not still:
        return []
    return [
        f"## {ACTIONS_TITLE}",
        "",
        "Review these first: what was done since, what is still open, and why.",
        "",
        "| " + " | ".join(ACTION_COLUMNS) + " |",
        "|" + " --- |" * len(ACTION_COLUMNS),
        *("| " + " | ".join(m(cell) for cell in _action_cells(a)) + " |" for a in still),
        "",
    ]


def to_html(
    team: TeamResult,
    page_base: str = "../",
    id_prefix: str = "pp-team",
    actions: Sequence[Action] = (),
) -> str:
    """The team result as an HTML fragment for the compare page; every value escaped.

    The verdict card first; then a round's open actions from the last workshop; below them,
    folded, why; then the chart, the table by dimension, what to talk about first and the
    deal-breakers raised.
    """
    e = escape
    _, rest = first_sentence(team.verdict_summary)
    why = [
        *([f"<p>{e(rest)}</p>"] if rest else []),
        "<ul>",
        *(f"<li>{e(reason)}</li>" for reason in team.reasons),
        f"<li>Rule applied: {e(team.rule.text)}</li>",
        "</ul>",
    ]
    out = [
        '<section class="pp-team-result">',
        team_card(team, page_base, id_prefix),
        *(
            [f'<p id="{e(id_prefix)}-sides-note" class="pp-sides-note">{e(team.grouping_note)}</p>']
            if team.grouping_note
            else []
        ),
        *([opened] if (opened := actions_html(actions, id_prefix)) else []),
        fold("Why this verdict", why, f"{id_prefix}-why"),
    ]
    more_steps = team.next_steps[CARD_STEPS:]
    if more_steps:
        out.append(
            fold(
                "More next steps",
                [
                    f'<ol start="{CARD_STEPS + 1}">',
                    *(f"<li>{e(step)}</li>" for step in more_steps),
                    "</ol>",
                ],
                f"{id_prefix}-more-steps",
            )
        )
    if notes(team):
        out += [
            '<div class="admonition note pp-team-notes">',
            '<p class="admonition-title">Note</p>',
            *(f"<p>{e(note)}</p>" for note in notes(team)),
            "</div>",
        ]
    out += [
        "<h3>By dimension</h3>",
        f'<figure class="pp-figure">{team_svg(team, id_prefix=f"{id_prefix}-chart")}</figure>',
        _dimension_table(team, page_base),
    ]
    out.append("<h3>Talk about these first</h3>")
    if team.talk_first:
        out.append('<ol class="pp-talk-first">')
        for q in team.talk_first:
            out.append(
                f"<li><p><strong>{e(q.text)}</strong> (answers {q.spread} levels apart)</p><ul>"
            )
            out += [
                f"<li>{e(name)}: {e(answers)}</li>" for name, answers in _answers_by_side(team, q)
            ]
            out.append("</ul></li>")
        out.append("</ol>")
    else:
        out.append(
            "<p>No two respondents are "
            f"{team.disagreement_levels} or more levels apart on any question.</p>"
        )
    out.append("<h3>Deal-breakers raised</h3>")
    if team.deal_breakers:
        out.append("<ul>")
        for b in team.deal_breakers:
            raised_by = ", ".join(f"{team.side_name(key)} {n}" for key, n in b.by_relationship)
            out.append(
                f"<li>{e(b.text)}: raised by {b.respondents} of "
                f"{e(respondents_text(len(team.respondents)))} ({e(raised_by)})</li>"
            )
        out.append("</ul>")
    else:
        out.append("<p>No respondent raised a deal-breaker.</p>")
    out += ["</section>"]
    return "\n".join(out)


def _dimension_table(team: TeamResult, page_base: str) -> str:
    e = escape
    keys = [key for key, _ in team.relationships]
    columns = ["Team", "Range", *(team.side_name(key) for key in keys), "Gap"]
    rows = [
        table_wrap("The team's scores by dimension"),
        '<table class="pp-table pp-team-table pp-cards">',
        "<caption>Team score, range of respondents, each side's score and the gap between "
        "the sides, by dimension</caption>",
        '<thead><tr><th scope="col">Dimension</th>'
        + "".join(f'<th scope="col">{e(name)}</th>' for name in columns)
        + "</tr></thead>",
        "<tbody>",
    ]
    for d in team.dimensions:
        by_relationship = dict(d.by_relationship)
        cells = [
            ("Team", "pp-num", _score(d.score)),
            ("Range", "pp-num", _range(d.low, d.high)),
            *((team.side_name(key), "pp-num", _score(by_relationship.get(key))) for key in keys),
            ("Gap", f"pp-gap pp-gap-{d.gap_kind}", _gap_text(d)),
        ]
        rows.append(
            f'<tr><th scope="row"><a href="{e(page_url(d.playbook, page_base))}">'
            f"{e(d.title)}</a></th>"
            + "".join(
                f'<td class="{e(cls)}" data-label="{e(name)}">{e(text)}</td>'
                for name, cls, text in cells
            )
            + "</tr>"
        )
    rows += ["</tbody>", "</table>", "</div>"]
    return "\n".join(rows)


def marker_shape(side: Side) -> str:
    """The shape of a side's marker (MARKER_SHAPES by its position in the bank)."""
    if 0 <= side.position < len(MARKER_SHAPES):
        return MARKER_SHAPES[side.position]
    return NOT_SAID_SHAPE


def _polygon(x: float, y: float, corners: int, radius: float, turn: float = 0.0) -> str:
    """A regular polygon's points around (x, y), the first corner straight up (turned by
    `turn` of a corner's angle)."""
    points = []
    for corner in range(corners):
        angle = 2 * math.pi * (corner + turn) / corners
        points.append(f"{x + radius * math.sin(angle):.1f},{y - radius * math.cos(angle):.1f}")
    return " ".join(points)


def _marker(side: Side, x: float, y: float) -> str:
    """A relationship's marker: its own shape as well as its own colour (not colour alone)."""
    common = (
        f'class="pp-side pp-side-{escape(side.key)}" fill="{escape(side.colour)}" '
        'stroke="currentColor"'
    )
    shape = marker_shape(side)
    if shape == "circle":
        return f'<circle {common} cx="{x:.1f}" cy="{y:.1f}" r="6"/>'
    if shape == "square":
        return f'<rect {common} x="{x - 5.5:.1f}" y="{y - 5.5:.1f}" width="11" height="11"/>'
    if shape == NOT_SAID_SHAPE:
        points = f"{x:.1f},{y - 7:.1f} {x + 6.5:.1f},{y + 5:.1f} {x - 6.5:.1f},{y + 5:.1f}"
        return f'<polygon {common} points="{points}"/>'
    corners, radius, turn = {
        "diamond": (4, 7.0, 0.0),
        "triangle-down": (3, 7.0, 0.5),
        "pentagon": (5, 7.0, 0.0),
        "hexagon": (6, 6.5, 0.0),
    }[shape]
    return f'<polygon {common} points="{_polygon(x, y, corners, radius, turn)}"/>'


def _placed(side: Side, x_pct: float, y_em: float) -> str:
    """A relationship's marker at x (percent of the chart's width) and y (em): a nested SVG
    positions it, so the marker keeps its size whatever the chart's width."""
    return (
        f'<svg x="{x_pct:.2f}%" y="{y_em:.2f}em" width="1" height="1" overflow="visible">'
        f"{_marker(side, 0, 0)}</svg>"
    )


# The bars' share of the chart's width; the team score is written in the rest.
_TRACK = 86.0
# Where 0 is: far enough in that a marker at 0 is whole.
_START = 2.0
_ROW_EM = 3.6
_LEGEND_EM = 1.9


def team_svg(team: TeamResult, id_prefix: str = "pp-team-chart") -> str:
    """Each dimension's team score, each relationship's and the respondents' range, as SVG.

    Laid out in em and percent (no viewBox): the chart takes its container's width and its
    text the page's size, on a phone as on a desktop. The legend is one line per entry.
    """
    e = escape
    rows = team.dimensions
    keys = [key for key, _ in team.relationships]
    legend = [*keys, "range", "team"]
    top = _LEGEND_EM * len(legend) + 0.6
    height = top + _ROW_EM * len(rows) + 0.4

    def pct(score: float) -> float:
        return _START + score * (_TRACK - _START) / 100

    # Markers of several sides at one score would hide each other: each side's a little apart.
    offsets = {key: (index - (len(keys) - 1) / 2) * 0.5 for index, key in enumerate(keys)}

    summary = "; ".join(
        f"{d.title}: team {_score(d.score)}, range {_range(d.low, d.high)}, "
        + ", ".join(f"{team.side_name(key)} {_score(v)}" for key, v in d.by_relationship)
        + f", {_gap_text(d).lower()}"
        for d in rows
    )
    parts = chart_start(
        "pp-chart-svg pp-team-chart",
        height,
        id_prefix,
        "Each side's view of the partnership, by dimension",
        f"{summary}.",
    )
    for index, key in enumerate(legend):
        y = _LEGEND_EM * index + 1.0
        if key == "range":
            parts.append(
                f'<rect x="0" y="{y - 0.75:.2f}em" width="1.6em" height="0.8em" '
                'fill="currentColor" opacity="0.25"/>'
                f'<text x="2.2em" y="{y:.2f}em">range of respondents</text>'
            )
        elif key == "team":
            parts.append(
                f'<line x1="0.8em" x2="0.8em" y1="{y - 0.95:.2f}em" y2="{y + 0.2:.2f}em" '
                'stroke="currentColor" stroke-width="3"/>'
                f'<text x="2.2em" y="{y:.2f}em">the team\'s score</text>'
            )
        else:
            parts.append(
                f'<svg x="0.8em" y="{y - 0.35:.2f}em" width="1" height="1" overflow="visible">'
                f"{_marker(team.side(key), 0, 0)}</svg>"
                f'<text x="2.2em" y="{y:.2f}em">{e(team.side_name(key))}</text>'
            )
    for index, d in enumerate(rows):
        y = top + index * _ROW_EM
        parts.append(chart_row(d.title, y, _START, _TRACK))
        if d.score is None or d.low is None or d.high is None:
            parts.append(chart_no_score(y))
            continue
        low, high = pct(d.low), pct(d.high)
        parts.append(
            f'<rect class="pp-range" x="{low:.2f}%" y="{y + 1.6:.2f}em" '
            f'width="{max(high - low, 0.4):.2f}%" height="0.9em" fill="currentColor" '
            'opacity="0.25"/>'
        )
        team_x = pct(d.score)
        parts.append(
            f'<line class="pp-team-score" x1="{team_x:.2f}%" x2="{team_x:.2f}%" '
            f'y1="{y + 1.2:.2f}em" y2="{y + 2.9:.2f}em" stroke="currentColor" stroke-width="3"/>'
        )
        for key, value in d.by_relationship:
            if value is not None:
                parts.append(_placed(team.side(key), pct(value), y + 2.05 + offsets[key]))
        parts.append(
            f'<text x="100%" y="{y + 2.4:.2f}em" text-anchor="end">{_score(d.score)}</text>'
        )
    return chart_end(parts)


# -- Workshop agenda -------------------------------------------------------------------------

WORKSHOP_MINUTES = 90


def workshop_agenda(team: TeamResult, base_url: str = "", actions: Sequence[Action] = ()) -> str:
    """A 90-minute workshop agenda (Markdown) from the disagreements and the weakest dimensions;
    a round's open actions from the last workshop are reviewed first."""
    m = markdown_text
    weakest = [d for d in team.weakest if d.score is not None][:3]
    talk = team.talk_first
    talk_minutes = 35 if talk else 0
    review = bool(open_actions(actions))
    review_minutes = 10 if review else 0
    weak_minutes = 20 + (35 - talk_minutes) - review_minutes
    closing = (
        "Deal-breakers raised: what each would need to change"
        if team.deal_breakers
        else ("Anything the answers missed")
    )
    rows = [
        ("10 min", "Why we are here; ground rules: describe what you see, do not defend", "Host"),
        ("10 min", "The result together: verdict, gap kinds, where the sides differ", "Host"),
    ]
    if review:
        rows.append(
            (f"{review_minutes} min", "The open actions from the last workshop (below): done, "
             "still open or dropped, and why", "Each owner")
        )  # fmt: skip
    if talk:
        rows.append(
            (
                f"{talk_minutes} min",
                f"The {len(talk)} largest disagreements (below), "
                f"about {talk_minutes // len(talk)} minutes each: each side says why it answered "
                "as it did",
                "Both sides",
            )
        )
    rows += [
        (f"{weak_minutes} min", "The weakest dimensions: what would move each one level up",
         "Both sides"),
        ("10 min", closing, "Both sides"),
        ("5 min", "Actions, owners and dates; when we run the check again", "Note-taker"),
    ]  # fmt: skip
    assert sum(int(time.split()[0]) for time, _, _ in rows) == WORKSHOP_MINUTES
    lines = [
        "# Workshop agenda: two-sided health check",
        "",
        f"A {WORKSHOP_MINUTES}-minute session for both sides, built from the combined result of "
        f"{respondents_text(len(team.respondents))} (team verdict: {m(team.verdict_label)}). "
        "It follows "
        f"the [check-in agenda]({page_url(AGENDA_TEMPLATE, base_url)}) and "
        f"[running a two-sided health check]({page_url(HEALTH_CHECK_PAGE, base_url)}).",
        "",
        "## Before the meeting",
        "",
        "- [ ] The team report shared with everyone who will attend, at least two days ahead",
        "- [ ] A host agreed by both sides, and a note-taker",
        "- [ ] Each side has read the disagreements below and noted one example for each",
        "",
        f"## Workshop ({WORKSHOP_MINUTES} minutes)",
        "",
        "| Time | Item | Led by |",
        "| --- | --- | --- |",
        *(f"| {time} | {m(item)} | {who} |" for time, item, who in rows),
        "",
        *actions_markdown(actions),
    ]
    if talk:
        lines += ["## Disagreements to talk through", ""]
        for n, q in enumerate(talk, start=1):
            lines.append(f"{n}. **{m(q.text)}**")
            lines += [
                f"    - {m(name)}: {m(answers)}" for name, answers in _answers_by_side(team, q)
            ]
            lines.append("    - What did you see that made you answer this way?")
        lines.append("")
    if weakest:
        lines += ["## Weakest dimensions", ""]
        lines += [
            f"- **{m(d.title)}** (team {_score(d.score)}, {m(_gap_text(d).lower())}): "
            f"[read the playbook]({page_url(d.playbook, base_url)})"
            for d in weakest
        ]
        lines.append("")
    lines += _deal_breakers_markdown(team)
    lines += [
        "## Actions",
        "",
        "| Action | Owner | Due | Status |",
        "| --- | --- | --- | --- |",
        "|  |  |  |  |",
        "|  |  |  |  |",
        "|  |  |  |  |",
        "",
        "Next health check: in 6 to 12 months, or sooner after a major change.",
        "",
    ]
    return "\n".join(lines)


# -- Over time -------------------------------------------------------------------------------


def delta_text(value: float | None) -> str:
    """A change of score as shown: signed and rounded ("+6", "-12"), "no change", or "n/a"."""
    if value is None:
        return "n/a"
    return "no change" if round(value) == 0 else f"{value:+.0f}"


def over_time_text(series: OverTime) -> str:
    """The series for the terminal: each assessment, then what changed since the previous."""
    lines = ["Over time:"]
    for point in series.points:
        r = point.result
        lines.append(
            f"  {point.given.isoformat()}  {r.verdict_label:<20} overall {_score(r.overall):>3}"
            f"  ({respondents_text(len(r.respondents))})"
        )
    changes = series.latest_changes
    if changes:
        before, after = series.points[-2], series.points[-1]
        lines += ["", f"Since {before.given.isoformat()}:"]
        if before.result.verdict != after.result.verdict:
            lines.append(
                f"  Verdict: {before.result.verdict_label} -> {after.result.verdict_label}"
            )
        else:
            lines.append(f"  Verdict: still {after.result.verdict_label}")
        lines += [
            f"  {c.title:<22} {_score(c.before):>3} -> {_score(c.after):>3}"
            f"  ({delta_text(c.delta)})"
            for c in changes
        ]
    return "\n".join(plain(line) for line in lines)


def over_time_markdown(series: OverTime) -> str:
    """The series as Markdown: one row per assessment and a column per dimension."""
    m = markdown_text
    first = series.points[0].result
    lines = [
        "# Partnership health over time",
        "",
        "| Date | Verdict | Overall | " + " | ".join(m(d.title) for d in first.dimensions) + " |",
        "| --- | --- | ---: | " + " | ".join("---:" for _ in first.dimensions) + " |",
    ]
    for index, point in enumerate(series.points):
        r = point.result
        moved = {c.id: c.delta for c in series.changes(index) if c.delta != 0}
        cells = [
            _score(d.score) + (f" ({delta_text(moved[d.id])})" if d.id in moved else "")
            for d in r.dimensions
        ]
        overall = _score(r.overall) + (
            f" ({delta_text(moved['overall'])})" if "overall" in moved else ""
        )
        lines.append(
            f"| {point.given.isoformat()} | {m(r.verdict_label)} | {overall} | "
            + " | ".join(cells)
            + " |"
        )
    lines += ["", "_Changes since the previous assessment in brackets (none: no change)._", ""]
    return "\n".join(lines)


def over_time_html(series: OverTime, id_prefix: str = "pp-trend") -> str:
    """The series as an HTML fragment: the trend chart, and a table with a row per dimension
    and a column per assessment (each score with the change since the one before)."""
    e = escape
    first = series.points[0].result
    days = [point.given.isoformat() for point in series.points]
    rows: list[tuple[str, str, list[str]]] = [
        ("verdict", "Verdict", [point.result.verdict_label for point in series.points])
    ]
    lines = [("overall", "Overall health")] + [(d.id, d.title) for d in first.dimensions]
    for key, title in lines:
        cells = []
        for index, point in enumerate(series.points):
            moved = {c.id: c.delta for c in series.changes(index) if c.delta != 0}
            value = (
                point.result.overall
                if key == "overall"
                else next(d.score for d in point.result.dimensions if d.id == key)
            )
            change = f" ({delta_text(moved[key])})" if key in moved else ""
            cells.append(_score(value) + change)
        rows.append((key, title, cells))
    out = [
        '<section class="pp-over-time">',
        f'<figure class="pp-figure">{trend_svg(series, id_prefix=f"{id_prefix}-chart")}</figure>',
        table_wrap("Scores at each assessment"),
        '<table class="pp-table pp-team-table pp-cards">',
        "<caption>Scores at each assessment, with the change since the previous one where a score "
        "moved</caption>",
        '<thead><tr><th scope="col">Dimension</th>'
        + "".join(f'<th scope="col">{e(day)}</th>' for day in days)
        + "</tr></thead>",
        "<tbody>",
    ]
    for key, title, cells in rows:
        cls = "" if key == "verdict" else ' class="pp-num"'
        out.append(
            f'<tr><th scope="row">{e(title)}</th>'
            + "".join(
                f'<td{cls} data-label="{e(day)}">{e(text)}</td>'
                for day, text in zip(days, cells, strict=True)
            )
            + "</tr>"
        )
    out += ["</tbody>", "</table>", "</div>", "</section>"]
    return "\n".join(out)


# One dash pattern and one colour per line (the colours refined per scheme in extra.css), so
# that no two lines differ by colour alone.
_DASHES = ("", "7 4", "2 3", "9 3 2 3", "4 4", "1 3", "12 4")
_SERIES_COLOURS = ("#1f77b4", "#d95f02", "#1b9e77", "#7570b3", "#c2185b", "#66a61e", "#a6761d")
_PLOT_LEFT, _PLOT_RIGHT = 12.0, 96.0
_PLOT_TOP, _PLOT_EM = 0.8, 13.0


def trend_svg(series: OverTime, id_prefix: str = "pp-trend-chart") -> str:
    """Each dimension's score (and the overall health) at each assessment, as a line chart.

    Every line has its own colour and dash, and its name and latest score in the legend
    below, drawn with the same line; the overall health is the thickest. Laid out in percent
    and em (no viewBox), so it takes its container's width and its text the page's size.
    """
    e = escape
    points = series.points
    count = len(points)

    def x_of(index: int) -> float:
        span = _PLOT_RIGHT - _PLOT_LEFT
        return _PLOT_LEFT + (span / 2 if count == 1 else index * span / (count - 1))

    def y_of(score: float) -> float:
        return _PLOT_TOP + _PLOT_EM * (1 - score / 100)

    lines: list[tuple[str, str, list[float | None]]] = [
        ("overall", "Overall health", [p.result.overall for p in points])
    ]
    for index, d in enumerate(points[0].result.dimensions):
        lines.append((d.id, d.title, [p.result.dimensions[index].score for p in points]))
    summary = "; ".join(
        f"{title}: "
        + ", ".join(
            f"{p.given.isoformat()} {_score(v)}" for p, v in zip(points, values, strict=True)
        )
        for _, title, values in lines
    )
    axis = _PLOT_TOP + _PLOT_EM
    legend_top = axis + 3.4
    height = legend_top + 1.7 * len(lines) + 0.2
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pp-chart-svg pp-trend-chart" role="img" '
        f'width="100%" height="{height:.1f}em" '
        f'aria-labelledby="{e(title_id)} {e(desc_id)}">',
        f'<title id="{e(title_id)}">Partnership health over time</title>',
        f'<desc id="{e(desc_id)}">{e(summary)}.</desc>',
        '<g fill="currentColor">',
    ]
    for grid in (0, 40, 70, 100):
        y = y_of(grid)
        parts.append(
            f'<line x1="{_PLOT_LEFT}%" x2="{_PLOT_RIGHT}%" y1="{y:.2f}em" y2="{y:.2f}em" '
            'stroke="currentColor" opacity="0.2"/>'
            f'<text x="{_PLOT_LEFT - 2}%" y="{y + 0.35:.2f}em" text-anchor="end">{grid}</text>'
        )
    for index, point in enumerate(points):
        anchor = "start" if index == 0 and count > 1 else "end" if index == count - 1 else "middle"
        if count == 1:
            anchor = "middle"
        parts.append(
            f'<text x="{x_of(index):.2f}%" y="{axis + 1.5:.2f}em" text-anchor="{anchor}">'
            f"{e(point.given.isoformat())}</text>"
        )
    for number, (key, title, values) in enumerate(lines):
        colour = _SERIES_COLOURS[number % len(_SERIES_COLOURS)]
        dash = _DASHES[number % len(_DASHES)]
        width = 4 if key == "overall" else 2.5
        stroke = (
            f'class="pp-series pp-series-{number % len(_SERIES_COLOURS)}" '
            f'stroke="{colour}" stroke-width="{width}"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
        )
        coords = [(x_of(i), y_of(v)) for i, v in enumerate(values) if v is not None]
        for (x1, y1), (x2, y2) in pairwise(coords):
            parts.append(
                f'<line {stroke} x1="{x1:.2f}%" y1="{y1:.2f}em" x2="{x2:.2f}%" y2="{y2:.2f}em"/>'
            )
        dot = f'class="pp-series-dot pp-series-{number % len(_SERIES_COLOURS)}" fill="{colour}"'
        parts += [f'<circle {dot} cx="{x:.2f}%" cy="{y:.2f}em" r="4"/>' for x, y in coords]
        y = legend_top + 1.7 * number
        latest = next((v for v in reversed(values) if v is not None), None)
        parts.append(
            f'<line {stroke} x1="0" x2="2.6em" y1="{y - 0.35:.2f}em" y2="{y - 0.35:.2f}em"/>'
            f'<circle {dot} cx="1.3em" cy="{y - 0.35:.2f}em" r="4"/>'
            f'<text x="3.3em" y="{y:.2f}em">{e(title)}: {e(_score(latest))}</text>'
        )
    parts += ["</g>", "</svg>"]
    return "\n".join(parts)
