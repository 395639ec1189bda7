"""A team result (and a series over time) as text, Markdown, an HTML fragment and SVG charts.

Pure functions shared by the command line and the compare page. Every value that came from a
bank or a response is escaped (HTML, SVG) or made inert (Markdown, terminal text).
"""

from __future__ import annotations

import math
from html import escape

from .report import HEALTH_CHECK_PAGE, markdown_text, page_url
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
    return "none" if value is None else f"{value:.0f}"


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
        (team.side_name(key), ", ".join(f"“{a.text}” ({a.count})" for a in answers))
        for key, answers in q.by_relationship
    ]


def _gap_text(d: DimensionSummary) -> str:
    if d.gap_kind == "divergent" and d.gap is not None:
        return f"{GAP_LABELS[d.gap_kind]} ({d.gap:.0f} points apart)"
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


def to_text(team: TeamResult, base_url: str = "") -> str:
    """A plain-text team report for the terminal."""
    counts = ", ".join(f"{team.side_name(key)} {n}" for key, n in team.relationships)
    lines = [
        f"Team verdict: {team.verdict_label.upper()}: {team.verdict_title}",
        team.verdict_summary,
        "",
        f"{respondents_text(len(team.respondents))} ({counts}).",
        *([team.grouping_note] if team.grouping_note else []),
        overall_sentence(team),
        "",
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
            f"  {d.title:<22} {_score(d.score):>3}  ({_score(d.low)}-{_score(d.high)})  "
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


def to_markdown(team: TeamResult, base_url: str = "") -> str:
    """A Markdown team report, with links into the playbook under base_url."""
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
            f"{_score(d.low)} to {_score(d.high)} | "
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


def to_html(team: TeamResult, page_base: str = "../", id_prefix: str = "pp-team") -> str:
    """The team result as an HTML fragment for the compare page; every value escaped."""
    e = escape
    out = [
        '<section class="pp-team-result">',
        f'<h2 id="{e(id_prefix)}-verdict" class="pp-verdict pp-verdict-{e(team.verdict)}">'
        f"Team verdict: {e(team.verdict_label)}: {e(team.verdict_title)}</h2>",
        f"<p>{e(team.verdict_summary)}</p>",
        f"<p>{e(respondents_text(len(team.respondents)))}: "
        + e(", ".join(f"{team.side_name(key)} {n}" for key, n in team.relationships))
        + f". {e(overall_sentence(team))}</p>",
        *(
            [f'<p id="{e(id_prefix)}-sides-note" class="pp-sides-note">{e(team.grouping_note)}</p>']
            if team.grouping_note
            else []
        ),
        "<h3>Why</h3>",
        "<ul>",
        *(f"<li>{e(reason)}</li>" for reason in team.reasons),
        f"<li>Rule applied: {e(team.rule.text)}</li>",
        "</ul>",
    ]
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
                f"<li>{e(b.text)}: raised by {b.respondents} of {len(team.respondents)} "
                f"({e(raised_by)})</li>"
            )
        out.append("</ul>")
    else:
        out.append("<p>No respondent raised a deal-breaker.</p>")
    out += [
        "<h3>Next steps</h3>",
        "<ol>",
        *(f"<li>{e(step)}</li>" for step in team.next_steps),
        "</ol>",
        f'<p><a href="{e(page_url(team.verdict_playbook, page_base))}">Read the playbook</a>'
        f' · <a href="{e(page_url(HEALTH_CHECK_PAGE, page_base))}">Running a two-sided '
        "health check</a></p>",
        "</section>",
    ]
    return "\n".join(out)


def _dimension_table(team: TeamResult, page_base: str) -> str:
    e = escape
    keys = [key for key, _ in team.relationships]
    rows = [
        '<table class="pp-team-table">',
        "<caption>Team score, range of respondents, each side's score and the gap between "
        "the sides, by dimension</caption>",
        '<thead><tr><th scope="col">Dimension</th><th scope="col">Team</th>'
        '<th scope="col">Range</th>'
        + "".join(f'<th scope="col">{e(team.side_name(key))}</th>' for key in keys)
        + '<th scope="col">Gap</th></tr></thead>',
        "<tbody>",
    ]
    for d in team.dimensions:
        by_relationship = dict(d.by_relationship)
        rows.append(
            f'<tr><th scope="row"><a href="{e(page_url(d.playbook, page_base))}">'
            f"{e(d.title)}</a></th>"
            f'<td class="pp-num">{e(_score(d.score))}</td>'
            f'<td class="pp-num">{e(_score(d.low))} to {e(_score(d.high))}</td>'
            + "".join(
                f'<td class="pp-num">{e(_score(by_relationship.get(key)))}</td>' for key in keys
            )
            + f'<td class="pp-gap pp-gap-{e(d.gap_kind)}">{e(_gap_text(d))}</td></tr>'
        )
    rows += ["</tbody>", "</table>"]
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


def team_svg(team: TeamResult, id_prefix: str = "pp-team-chart") -> str:
    """Each dimension's team score, each relationship's and the respondents' range, as SVG."""
    e = escape
    rows = team.dimensions
    height = _TOP + _ROW * len(rows) + 10
    scale = _BAR_WIDTH / 100
    keys = [key for key, _ in team.relationships]
    summary = "; ".join(
        f"{d.title}: team {_score(d.score)}, range {_score(d.low)} to {_score(d.high)}, "
        + ", ".join(f"{team.side_name(key)} {_score(v)}" for key, v in d.by_relationship)
        + f", {_gap_text(d).lower()}"
        for d in rows
    )
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pp-chart pp-team-chart" role="img" '
        f'viewBox="0 0 {_WIDTH} {height}" width="100%" '
        f'aria-labelledby="{e(title_id)} {e(desc_id)}">',
        f'<title id="{e(title_id)}">Each side\'s view of the partnership, by dimension</title>',
        f'<desc id="{e(desc_id)}">{e(summary)}.</desc>',
        '<g font-family="system-ui, sans-serif" font-size="13" fill="currentColor">',
    ]
    x = 0.0
    for key in keys:
        parts.append(_marker(team.side(key), x + 7, 12))
        parts.append(f'<text x="{x + 18:.0f}" y="16">{e(team.side_name(key))}</text>')
        x += 30 + 7.5 * len(team.side_name(key))
    parts.append(
        f'<rect x="{x:.0f}" y="6" width="22" height="12" fill="currentColor" opacity="0.25"/>'
        f'<text x="{x + 28:.0f}" y="16">range of respondents</text>'
    )
    for index, d in enumerate(rows):
        y = _TOP + index * _ROW
        middle = y + 11
        parts.append(f'<text x="0" y="{y + 15}">{e(d.title)}</text>')
        parts.append(
            f'<rect x="{_LABEL_WIDTH}" y="{y + 2}" width="{_BAR_WIDTH}" height="18" '
            'fill="currentColor" opacity="0.06"/>'
        )
        if d.score is None or d.low is None or d.high is None:
            parts.append(
                f'<text x="{_LABEL_WIDTH + 6}" y="{y + 15}" font-style="italic">'
                "not enough answers</text>"
            )
            continue
        low, high = _LABEL_WIDTH + d.low * scale, _LABEL_WIDTH + d.high * scale
        parts.append(
            f'<rect class="pp-range" x="{low:.1f}" y="{y + 5}" width="{max(high - low, 2):.1f}" '
            'height="12" fill="currentColor" opacity="0.25"/>'
        )
        team_x = _LABEL_WIDTH + d.score * scale
        parts.append(
            f'<line class="pp-team-score" x1="{team_x:.1f}" x2="{team_x:.1f}" y1="{y}" '
            f'y2="{y + 22}" stroke="currentColor" stroke-width="3"/>'
        )
        for key, value in d.by_relationship:
            if value is not None:
                parts.append(_marker(team.side(key), _LABEL_WIDTH + value * scale, middle))
        parts.append(f'<text x="{_LABEL_WIDTH + _BAR_WIDTH + 8}" y="{y + 15}">{d.score:.0f}</text>')
    parts += ["</g>", "</svg>"]
    return "\n".join(parts)


# -- Workshop agenda -------------------------------------------------------------------------

WORKSHOP_MINUTES = 90


def workshop_agenda(team: TeamResult, base_url: str = "") -> str:
    """A 90-minute workshop agenda (Markdown) from the disagreements and the weakest dimensions."""
    m = markdown_text
    weakest = [d for d in team.weakest if d.score is not None][:3]
    talk = team.talk_first
    talk_minutes = 35 if talk else 0
    weak_minutes = 20 + (35 - talk_minutes)
    closing = (
        "Deal-breakers raised: what each would need to change"
        if team.deal_breakers
        else ("Anything the answers missed")
    )
    rows = [
        ("10 min", "Why we are here; ground rules: describe what you see, do not defend", "Host"),
        ("10 min", "The result together: verdict, gap kinds, where the sides differ", "Host"),
    ]
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
    """A change of score as shown: signed and rounded ("+6", "-12"), or "n/a"."""
    return "n/a" if value is None else f"{value:+.0f}"


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
        moved = {c.id: c.delta for c in series.changes(index)}
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
    lines += ["", "_Changes since the previous assessment in brackets._", ""]
    return "\n".join(lines)


def over_time_html(series: OverTime, id_prefix: str = "pp-trend") -> str:
    """The series as an HTML fragment: the trend chart and a table of changes."""
    e = escape
    first = series.points[0].result
    out = [
        '<section class="pp-over-time">',
        f'<figure class="pp-figure">{trend_svg(series, id_prefix=f"{id_prefix}-chart")}</figure>',
        '<table class="pp-team-table">',
        "<caption>Scores at each assessment, with the change since the previous one</caption>",
        '<thead><tr><th scope="col">Date</th><th scope="col">Verdict</th>'
        '<th scope="col">Overall</th>'
        + "".join(f'<th scope="col">{e(d.title)}</th>' for d in first.dimensions)
        + "</tr></thead>",
        "<tbody>",
    ]
    for index, point in enumerate(series.points):
        r = point.result
        moved = {c.id: c.delta for c in series.changes(index)}

        def cell(value: float | None, key: str, moves: dict[str, float | None] = moved) -> str:
            change = f" ({delta_text(moves[key])})" if key in moves else ""
            return f'<td class="pp-num">{e(_score(value) + change)}</td>'

        out.append(
            f'<tr><th scope="row">{e(point.given.isoformat())}</th>'
            f"<td>{e(r.verdict_label)}</td>"
            + cell(r.overall, "overall")
            + "".join(cell(d.score, d.id) for d in r.dimensions)
            + "</tr>"
        )
    out += ["</tbody>", "</table>", "</section>"]
    return "\n".join(out)


_DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2", "10 4")


def trend_svg(series: OverTime, id_prefix: str = "pp-trend-chart") -> str:
    """Each dimension's score (and the overall health) at each assessment, as a line chart."""
    e = escape
    width, height, left, right, top, bottom = 560, 260, 40, 170, 20, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    points = series.points
    count = len(points)

    def x_of(index: int) -> float:
        return left + (plot_w / 2 if count == 1 else index * plot_w / (count - 1))

    def y_of(score: float) -> float:
        return top + plot_h * (1 - score / 100)

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
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pp-chart pp-trend-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{e(title_id)} {e(desc_id)}">',
        f'<title id="{e(title_id)}">Partnership health over time</title>',
        f'<desc id="{e(desc_id)}">{e(summary)}.</desc>',
        '<g font-family="system-ui, sans-serif" font-size="11" fill="currentColor">',
    ]
    for grid in (0, 50, 100):
        y = y_of(grid)
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="currentColor" opacity="0.2"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{grid}</text>'
        )
    for index, point in enumerate(points):
        parts.append(
            f'<text x="{x_of(index):.1f}" y="{height - bottom + 16}" text-anchor="middle">'
            f"{e(point.given.isoformat())}</text>"
        )
    for number, (key, title, values) in enumerate(lines):
        coords = [(x_of(i), y_of(v)) for i, v in enumerate(values) if v is not None]
        if not coords:
            continue
        dash = _DASHES[number % len(_DASHES)]
        stroke = 3 if key == "overall" else 1.5
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polyline class="pp-trend pp-trend-{e(key)}" fill="none" stroke="currentColor" '
            f'stroke-width="{stroke}"{dash_attr} points="'
            + " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            + '"/>'
        )
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5"/>' for x, y in coords]
        last_x, last_y = coords[-1]
        parts.append(
            f'<text x="{left + plot_w + 8}" y="{last_y + 4:.1f}">{e(title)}</text>'
            if last_x >= left + plot_w - 1 or count == 1
            else f'<text x="{last_x + 6:.1f}" y="{last_y + 4:.1f}">{e(title)}</text>'
        )
    parts += ["</g>", "</svg>"]
    return "\n".join(parts)
