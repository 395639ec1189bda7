"""Result -> Markdown report and Result -> SVG chart: pure functions shared by every front end."""

from __future__ import annotations

import re
from html import escape

from .exports import export_document as export_document  # moved to exports.py; old name kept
from .scoring import NOT_ENOUGH_ANSWERS, ROBUST, VERDICT_LABELS, PivotalAnswer, Result, score_text

# Shown in "Where to start" when no dimension has a score yet.
NO_WEAKEST = "Answer more questions to see which dimensions need attention."
VERDICT_LINK = "Read the playbook for this verdict"
MARGINS_TITLE = "How close it was"
PIVOTAL_TITLE = "Answers that decide it"
# One person's view is half the picture: every result points to the two-sided health check.
OTHER_SIDE = (
    "This is one person's view. Ask the others who work on the partnership, on both sides, to "
    "answer too, and pool their share codes:"
)
OTHER_SIDE_LINK = "run a two-sided health check"
HEALTH_CHECK_PAGE = "stay/health-check.md"
PLAN_NOTE = (
    "Turn this result into a plan with the plan download below: it lists your weakest answers "
    "with the next level as the target, the questions you could not answer as things to find "
    "out, and blank owner and date fields to fill in together."
)
EXIT_PLANNER = "exit-planner/index.md"
REPAIR_TEMPLATE = "templates/repair-plan.md"


def pivotal_text(result: Result, move: PivotalAnswer) -> str:
    """One pivotal answer in words: the question, the move and the verdict it would give."""
    label = VERDICT_LABELS[move.verdict]
    direction = "up" if move.to_level > move.from_level else "down"
    return (
        f"{move.text} Your answer, level {move.from_level}, moved one level {direction} "
        f"(to {move.to_level}) would change the verdict from {result.verdict_label} to {label}."
    )


def pivotal_lines(result: Result) -> list[str]:
    """Every pivotal answer in words, or the one sentence saying the verdict is robust."""
    if not result.pivotal:
        return [ROBUST]
    return [pivotal_text(result, move) for move in result.pivotal]


def margin_lines(result: Result) -> list[str]:
    """Each threshold that decided the verdict, with the distance to it, capitalised."""
    return [m.text[:1].upper() + m.text[1:] + "." for m in result.margins]


# Chart geometry, in SVG user units (the chart scales with its container).
_LABEL_WIDTH = 190
_BAR_WIDTH = 300
_ROW_HEIGHT = 30
_TOP = 34
_WIDTH = _LABEL_WIDTH + _BAR_WIDTH + 70


def page_url(playbook: str, base_url: str = "") -> str:
    """A docs page link ('stay/reset.md#reset') as a site URL ('stay/reset/#reset')."""
    page, _, anchor = playbook.partition("#")
    path = page.removesuffix(".md")
    if path == "index":
        path = ""
    elif path.endswith("/index"):
        path = path.removesuffix("index")
    else:
        path += "/"
    return base_url + path + (f"#{anchor}" if anchor else "")


def markdown_text(text: str) -> str:
    """Text made inert in Markdown: HTML is escaped and Markdown punctuation backslashed."""
    # html.escape, but an apostrophe stays one: a Markdown download is also read as plain text,
    # where "partner&#x27;s" would show. A double quote is still escaped, so that no attribute
    # list ({: onclick="…" }) can form.
    text = escape(text, quote=False).replace('"', "&quot;")
    return re.sub(r"([\\`*_{}\[\]()#+!|~])", r"\\\1", text)


_score = score_text


def overall_sentence(result: Result) -> str:
    """The overall health as one sentence for the reader."""
    if result.overall is None:
        return f"Overall health: {NOT_ENOUGH_ANSWERS} to give a score."
    return f"Overall health: {score_text(result.overall)} out of 100."


def announcement(result: Result) -> str:
    """The short line a screen reader announces when a result is shown."""
    return f"Result: {result.verdict_label}. {result.verdict_title}"


def to_html(result: Result, page_base: str = "../") -> str:
    """The result as an HTML fragment for the assessment page, every value escaped.

    Links to the playbook start at page_base (the assessment page sits one folder below the
    site's root). No inline style and no script: the page's Content-Security-Policy allows
    neither.
    """
    h = escape

    def link(text: str, playbook: str, attributes: str = "") -> str:
        return f'<a{attributes} href="{h(page_url(playbook, page_base))}">{h(text)}</a>'

    parts = [
        f'<p id="pp-verdict" class="pp-verdict">Verdict: {h(result.verdict_label)}. '
        f"{h(result.verdict_title)}</p>",
        f'<p id="pp-summary">{h(result.verdict_summary)}</p>',
        f'<p id="pp-overall" class="pp-overall">{h(overall_sentence(result))}</p>',
        '<h3 id="pp-why-title">Why</h3>',
        '<ul id="pp-reasons">',
        *(f"<li>{h(reason)}</li>" for reason in result.reasons),
        "</ul>",
        f'<p id="pp-rule" class="pp-rule">Rule applied: {h(result.rule.text)}</p>',
        f'<h3 id="pp-margins-title">{MARGINS_TITLE}</h3>',
        '<ul id="pp-margins" aria-labelledby="pp-margins-title">',
        *(f"<li>{h(line)}</li>" for line in margin_lines(result)),
        "</ul>",
        f'<h3 id="pp-pivotal-title">{PIVOTAL_TITLE}</h3>',
        '<ul id="pp-pivotal" aria-labelledby="pp-pivotal-title">',
        *(f"<li>{h(line)}</li>" for line in pivotal_lines(result)),
        "</ul>",
        "<h3>Scores by dimension</h3>",
        f'<div id="pp-chart" class="pp-chart">{to_svg(result, id_prefix="pp-chart")}</div>',
        '<table id="pp-scores">',
        "<caption>Scores by dimension, out of 100</caption>",
        '<thead><tr><th scope="col">Dimension</th><th scope="col">Score</th>'
        '<th scope="col">Answered</th></tr></thead>',
        "<tbody>",
        *(
            f'<tr><th scope="row">{link(d.title, d.playbook)}</th>'
            f"<td>{h(score_text(d.score))}</td><td>{d.answered} of {d.total}</td></tr>"
            for d in result.dimensions
        ),
        "</tbody>",
        "</table>",
        "<h3>Where to start</h3>",
        '<ul id="pp-weakest">',
        *(
            f"<li>{h(d.title)} ({h(score_text(d.score))}): "
            f"{link('read how to improve it', d.playbook)}</li>"
            for d in result.weakest
        ),
        *([] if result.weakest else [f"<li>{h(NO_WEAKEST)}</li>"]),
        "</ul>",
        "<h3>Next steps</h3>",
        '<ol id="pp-next-steps">',
        *(f"<li>{h(step)}</li>" for step in result.next_steps),
        "</ol>",
        f'<p id="pp-plan-note">{h(PLAN_NOTE)}</p>',
        "<p>" + link(VERDICT_LINK, result.verdict_playbook, ' id="pp-verdict-link"') + "</p>",
        f'<p id="pp-other-side">{h(OTHER_SIDE)} {link(OTHER_SIDE_LINK, HEALTH_CHECK_PAGE)}.</p>',
    ]
    return "\n".join(parts)


def to_markdown(result: Result, base_url: str = "") -> str:
    """A Markdown report of a result, with links into the playbook under base_url."""
    verdict = markdown_text(result.verdict_label)
    lines = [
        "# Partnership self-assessment",
        "",
        f"**Verdict: {verdict}: {markdown_text(result.verdict_title)}**",
        "",
        markdown_text(result.verdict_summary),
        "",
        f"Overall health: **{_score(result.overall)}** out of 100 "
        f"(stay at {result.stay_overall:g} or more, with no dimension below "
        f"{result.critical_dimension:g}).",
        "",
        "## Why",
        "",
        *(f"- {markdown_text(reason)}" for reason in result.reasons),
        f"- Rule applied: {markdown_text(result.rule.text)}",
        "",
        f"## {MARGINS_TITLE}",
        "",
        *(f"- {markdown_text(line)}" for line in margin_lines(result)),
        "",
        f"## {PIVOTAL_TITLE}",
        "",
        *(f"- {markdown_text(line)}" for line in pivotal_lines(result)),
        "",
        "## Dimensions",
        "",
        "| Dimension | Score | Answered |",
        "| --- | ---: | ---: |",
        *(
            f"| [{markdown_text(d.title)}]({page_url(d.playbook, base_url)}) | "
            f"{_score(d.score)} | {d.answered} of {d.total} |"
            for d in result.dimensions
        ),
        "",
    ]
    if result.weakest:
        lines += ["## Where to start", ""]
        lines += [
            f"- **{markdown_text(d.title)}** ({_score(d.score)}): "
            f"[read the playbook]({page_url(d.playbook, base_url)})"
            for d in result.weakest
        ]
        lines.append("")
    lines += ["## Next steps", ""]
    lines += [f"{n}. {markdown_text(step)}" for n, step in enumerate(result.next_steps, start=1)]
    lines += ["", f"More: [the playbook]({page_url(result.verdict_playbook, base_url)})", ""]
    lines += ["## Answers", "", "| Question | Answer | Item score |", "| --- | --- | ---: |"]
    lines += [
        f"| {markdown_text(c.text)} | {markdown_text(c.answer)} | "
        f"{'' if c.item_score is None else f'{c.item_score:.0f}'} |"
        for c in result.contributions
    ]
    lines += ["", f"_Question bank version {markdown_text(result.bank_version)}._", ""]
    return "\n".join(lines)


def to_svg(result: Result, id_prefix: str = "chart") -> str:
    """A bar chart of the dimension scores as SVG text, with a title and description."""
    rows = result.dimensions
    height = _TOP + _ROW_HEIGHT * len(rows) + 10
    title = "Partnership health by dimension"
    summary = "; ".join(f"{d.title}: {_score(d.score)}" for d in rows)
    overall = _score(result.overall)
    description = f"Overall health {overall} out of 100. {summary}."
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    scale = _BAR_WIDTH / 100
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pp-chart" role="img" '
        f'viewBox="0 0 {_WIDTH} {height}" width="100%" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(description)}</desc>',
        '<g font-family="system-ui, sans-serif" font-size="13" fill="currentColor">',
        f'<text x="0" y="16" font-weight="bold">Overall health: {escape(overall)}</text>',
    ]
    for threshold, name in ((result.critical_dimension, "critical"), (result.stay_overall, "stay")):
        x = _LABEL_WIDTH + threshold * scale
        parts.append(
            f'<line class="pp-threshold pp-{name}" x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP - 6}" '
            f'y2="{height - 6}" stroke="currentColor" stroke-dasharray="3 3" opacity="0.6"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{_TOP - 9}" font-size="10" text-anchor="middle">'
            f"{name} {threshold:g}</text>"
        )
    for index, d in enumerate(rows):
        y = _TOP + index * _ROW_HEIGHT
        parts.append(f'<text x="0" y="{y + 15}">{escape(d.title)}</text>')
        parts.append(
            f'<rect x="{_LABEL_WIDTH}" y="{y + 2}" width="{_BAR_WIDTH}" height="18" '
            'fill="currentColor" opacity="0.08"/>'
        )
        if d.score is None:
            parts.append(
                f'<text x="{_LABEL_WIDTH + 6}" y="{y + 15}" font-style="italic">'
                f"{NOT_ENOUGH_ANSWERS}</text>"
            )
            continue
        band = _band(d.score, result)
        parts.append(
            f'<rect class="pp-bar pp-{band}" x="{_LABEL_WIDTH}" y="{y + 2}" '
            f'width="{d.score * scale:.1f}" height="18" fill="{_BAND_COLOURS[band]}"/>'
        )
        parts.append(f'<text x="{_LABEL_WIDTH + _BAR_WIDTH + 8}" y="{y + 15}">{d.score:.0f}</text>')
    parts += ["</g>", "</svg>"]
    return "\n".join(parts)


# Mid-tone colours readable on both the light and the dark palette.
_BAND_COLOURS = {"healthy": "#2e8b57", "weak": "#c98a00", "critical": "#d0453a"}


def _band(score: float, result: Result) -> str:
    if score < result.critical_dimension:
        return "critical"
    if score < result.stay_overall:
        return "weak"
    return "healthy"
