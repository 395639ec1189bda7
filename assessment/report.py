"""Result -> Markdown report and Result -> SVG chart: pure functions shared by every front end."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from .exports import export_document as export_document  # moved to exports.py; old name kept
from .scoring import (
    NOT_ANSWERED,
    NOT_ASKED,
    NOT_ENOUGH_ANSWERS,
    REPAIR_STEP_NAMES,
    ROBUST,
    VERDICT_LABELS,
    Margin,
    PivotalAnswer,
    Result,
    score_text,
    shown,
)

# Shown in "Where to start" when no dimension has a score yet.
NO_WEAKEST = "Answer more questions to see which dimensions need attention."
VERDICT_LINK = "Read the playbook for this verdict"
MARGINS_TITLE = "How close it was"
PIVOTAL_TITLE = "What would change it"
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
# The verdict card names the first few next steps; the rest fold away below it.
CARD_STEPS = 3
REPAIR_TEMPLATE = "templates/repair-plan.md"


def _quoted(text: str) -> str:
    return f"“{text.rstrip('.')}”"


def _with_verdict(result: Result, move: PivotalAnswer) -> str:
    return f"the verdict would be {VERDICT_LABELS[move.verdict]}"


def pivotal_text(result: Result, move: PivotalAnswer) -> str:
    """One pivotal answer as a reason: the other answer, what it would change, the verdict.

    No level numbers: a reverse-scored question's levels run the other way, so an answer is
    always named by its words.
    """
    answered = f"If you had answered {_quoted(move.to_answer)} to “{move.text}”"
    instead = f" (not {_quoted(move.from_answer)})"
    if move.effect == "score" and move.score is not None:
        title = move.group.replace("_", " ")
        for dimension in result.dimensions:
            if dimension.id == move.group:
                title = dimension.title
        change = f"{title} would score {score_text(move.score)}"
    elif move.effect == "knock_out":
        change = "that would be a deal-breaker"
    elif move.effect == "no_knock_out":
        change = "it would no longer count as a deal-breaker"
    elif move.effect == "not_engaging":
        change = "the partner would count as not acting on the problems raised"
    elif move.effect == "engaging":
        change = "the partner would count as acting on the problems raised"
    elif move.effect in ("done", "undone") and move.role in REPAIR_STEP_NAMES:
        step = REPAIR_STEP_NAMES[move.role]
        step = step[:1].upper() + step[1:]
        done = "would count as done" if move.effect == "done" else "would no longer count as done"
        change = f"“{step}” {done}"
    else:
        change = "the facts the rules read would change"
    return f"{answered}{instead}, {change}, and {_with_verdict(result, move)}."


def pivotal_lines(result: Result) -> list[str]:
    """Every pivotal answer as a reason, or the one sentence saying the verdict is robust."""
    if not result.pivotal:
        return [ROBUST]
    return [pivotal_text(result, move) for move in result.pivotal]


def _points(difference: int) -> str:
    return f"{abs(difference)} point" + ("" if abs(difference) == 1 else "s")


def margin_text(result: Result, margin: Margin) -> str:
    """One threshold that decided the verdict, as a reason with the distance to it.

    Every number is the one the reader is shown (scoring.shown): the distance is the
    difference of the whole numbers shown, so it never contradicts them.
    """
    titles = {d.id: d.title for d in result.dimensions}
    limit = int(margin.limit)
    if margin.threshold == "stay_overall":
        value = shown(margin.value)
        if value >= limit:
            where = "exactly" if value == limit else f"{_points(value - limit)} above"
            return f"Overall health is {value}, {where} the {limit} needed to stay."
        return (
            f"Overall health is {value}, {_points(limit - value)} below the {limit} needed to stay."
        )
    if margin.threshold == "critical_dimension":
        value = shown(margin.value)
        title = titles.get(margin.subject, margin.subject)
        if value >= limit:
            where = "exactly at" if value == limit else f"{_points(value - limit)} above"
            return f"{title}, the lowest, scores {value}: {where} the critical line of {limit}."
        return (
            f"{title} scores {value}, {_points(limit - value)} below the critical line of {limit}."
        )
    if margin.threshold == "knock_out_at":
        return (
            f"Deal-breaker: answered {_quoted(margin.answer)}; an answer counts as a deal-breaker "
            f"from {_quoted(margin.limit_answer)} down."
        )
    if margin.threshold == "repair_step_done":
        step = REPAIR_STEP_NAMES.get(margin.subject, margin.subject)
        step = step[:1].upper() + step[1:]
        if not margin.asked:
            return (
                f"{step}: not asked, as it does not apply yet; it counts as done from "
                f"{_quoted(margin.limit_answer)} up."
            )
        given = f"answered {_quoted(margin.answer)}" if margin.answer else "not answered"
        return f"{step}: {given}; it counts as done from {_quoted(margin.limit_answer)} up."
    if margin.threshold == "no_follow_through":
        return (
            f"The partner's follow-through: answered {_quoted(margin.answer)}; the partner counts "
            f"as not acting on the problems from {_quoted(margin.limit_answer)} down."
        )
    if margin.threshold == "min_scored_dimensions":
        count = int(margin.value)
        return (
            f"{count} of {len(result.dimensions)} dimensions have enough answers for a score; "
            f"{limit} are needed."
        )
    return margin.text[:1].upper() + margin.text[1:] + "."


def margin_lines(result: Result) -> list[str]:
    """Each threshold that decided the verdict, as a reason with the distance to it."""
    return [margin_text(result, m) for m in result.margins]


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


# Markdown punctuation that can start markup anywhere in a line. Parentheses, "!", "#", "+" and
# "." are left alone: with "[" and "]" escaped no link or image can form, and the others matter
# only where a line starts (below), so a plain editor shows "(2 people)", not "\(2 people\)".
_INLINE = re.compile(r"([\\`*_\[\]|~])")
# What makes a line a heading, a list item, a quote or a rule when it starts the line.
_LINE_START = re.compile(r"^(\s*)([#>+=-])")
_NUMBERED = re.compile(r"^(\s*\d+)([.)])")


def markdown_text(text: str) -> str:
    """Text made inert in Markdown, and readable as plain text: only what could form markup is
    escaped. "<" becomes "&lt;" (no HTML can form), "&" only where it would start an entity;
    braces become entities (rare in text), so that no attribute list ({: onclick="…" }) forms
    on the site's pages; "(" after "]" is backslashed, so that not even a link's look remains."""
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text).replace("<", "&lt;")
    text = text.replace("{", "&#123;").replace("}", "&#125;")
    text = _INLINE.sub(r"\\\1", text).replace("](", "]\\(")
    if _NUMBERED.match(text):
        return _NUMBERED.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


_score = score_text


def overall_sentence(result: Result) -> str:
    """The overall health as one sentence for the reader."""
    if result.overall is None:
        return f"Overall health: {NOT_ENOUGH_ANSWERS} to give a score."
    return f"Overall health: {score_text(result.overall)} out of 100."


def announcement(result: Result) -> str:
    """The short line a screen reader announces when a result is shown."""
    quick = "Quick check result" if result.quick else "Result"
    return f"{quick}: {result.verdict_label}. {result.verdict_title}"


def first_sentence(text: str) -> tuple[str, str]:
    """A text's first sentence, and the rest (the verdict card says one plain sentence)."""
    match = re.search(r"(?<=[.!?])\s+(?=[A-Z“\"])", text)
    if match is None:
        return text, ""
    return text[: match.start()], text[match.end() :]


def scope_text(result: Result) -> str:
    """What the result rests on: a quick check, or how many questions were answered."""
    asked = [c for c in result.contributions if c.answer != NOT_ASKED]
    total = len(asked)
    given = sum(1 for c in asked if c.answer != NOT_ANSWERED)
    if result.quick:
        return (
            f"Quick check: a first verdict from the core questions ({given} answered). "
            f"The full check asks up to {len(result.contributions)}."
        )
    skipped = len(result.contributions) - total
    if not skipped:
        return f"Full check: {given} of {total} questions answered."
    # The form counts every question it holds; say why this count is smaller.
    return (
        f"Full check: {given} of the {total} questions that apply answered "
        f"({skipped} did not apply, by the answers given)."
    )


# -- The verdict card: shared by one person's result and the team's ---------------------------


@dataclass(frozen=True)
class Figure:
    """A number on a card: shown by the one rounding rule, its exact value kept beside it (the
    HTML's <data value>), so that what is shown can be checked against what was computed."""

    value: float

    def __str__(self) -> str:
        return str(shown(self.value))


# A line of a card: text, and figures in it.
Fact = tuple[str | Figure, ...]


def fact_text(fact: Fact | str) -> str:
    """A card's line as plain text."""
    return fact if isinstance(fact, str) else "".join(str(part) for part in fact)


def fact_html(fact: Fact | str) -> str:
    """A card's line as HTML: every text escaped, each figure a <data> with its exact value."""
    if isinstance(fact, str):
        return escape(fact)
    return "".join(
        f'<data class="pp-figure" value="{part.value!r}">{part}</data>'
        if isinstance(part, Figure)
        else escape(part)
        for part in fact
    )


def card_html(
    *,
    id_prefix: str,
    colour: str,
    label: str,
    title: str,
    sentence: str,
    facts: Sequence[Fact | str],
    steps: Sequence[str],
    links: Sequence[tuple[str, str]],
    kind: str = "",
    dates: Sequence[tuple[str, str]] = (),
    heading: str = "h3",
    prefix: str = "Verdict",
    verdict_id: str = "",
    sentence_id: str = "",
    facts_id: str = "",
    steps_id: str = "",
) -> str:
    """A verdict card: the verdict's word in its colour (the word carries it without colour),
    one plain sentence, the facts that decided it, the top three next steps and where to read.

    Every argument is plain text (escaped here) but `links` (text, href), escaped too.
    """
    e = escape
    verdict_id = verdict_id or f"{id_prefix}-verdict"

    def attr_id(value: str) -> str:
        return f' id="{e(value)}"' if value else ""

    parts = [
        f'<section class="pp-card pp-colour-{e(colour)}"{attr_id(id_prefix + "-card")} '
        f'aria-labelledby="{e(verdict_id)}">',
    ]
    if kind:
        parts.append(f'<p class="pp-card-kind">{e(kind)}</p>')
    parts += [
        f'<{heading} id="{e(verdict_id)}" class="pp-verdict">'
        f'<span class="pp-visually-hidden">{e(prefix)}: </span>'
        f'<span class="pp-verdict-word">{e(label)}</span>'
        '<span class="pp-visually-hidden">. </span>'
        f'<span class="pp-verdict-title">{e(title)}</span></{heading}>',
        f'<p class="pp-card-sentence"{attr_id(sentence_id)}>{e(sentence)}</p>',
    ]
    if facts:
        parts.append(f'<ul class="pp-card-facts"{attr_id(facts_id)}>')
        parts += [f"<li>{fact_html(fact)}</li>" for fact in facts]
        parts.append("</ul>")
    if steps:
        parts += [
            f'<p class="pp-card-label" id="{e(id_prefix)}-steps-title">Next steps</p>',
            f'<ol class="pp-card-steps"{attr_id(steps_id)} '
            f'aria-labelledby="{e(id_prefix)}-steps-title">',
            *(f"<li>{e(step)}</li>" for step in steps),
            "</ol>",
        ]
    if links:
        parts.append(
            '<p class="pp-card-links">'
            + " ".join(
                f'<a class="md-button" href="{e(href)}">{e(text)}</a>' for text, href in links
            )
            + "</p>"
        )
    if dates:
        parts.append('<dl class="pp-card-dates">')
        parts += [f"<dt>{e(name)}</dt><dd>{e(day)}</dd>" for name, day in dates]
        parts.append("</dl>")
    parts.append("</section>")
    return "\n".join(parts)


def card_numbers(result: Result) -> list[Fact]:
    """The figures the card shows, in words: the overall health and the weakest dimensions
    (those below the stay threshold)."""
    if result.overall is None:
        facts: list[Fact] = [(overall_sentence(result),)]
    else:
        facts = [("Overall health: ", Figure(result.overall), " out of 100.")]
    low = [d for d in result.weakest if d.score is not None and d.score < result.stay_overall]
    if low:
        weakest: list[str | Figure] = ["Weakest: "]
        for index, d in enumerate(low):
            weakest += [", " if index else "", f"{d.title} ", Figure(d.score or 0.0)]
        facts.append((*weakest, "."))
    return facts


def verdict_card(
    result: Result, page_base: str = "../", dates: Sequence[tuple[str, str]] = ()
) -> str:
    """The verdict card at the top of one person's result."""
    sentence, _ = first_sentence(result.verdict_summary)
    links = [(VERDICT_LINK, page_url(result.verdict_playbook, page_base))]
    low = [d for d in result.weakest if d.score is not None and d.score < result.stay_overall]
    if low:
        links.append((f"Start with {low[0].title}", page_url(low[0].playbook, page_base)))
    return card_html(
        id_prefix="pp",
        colour=result.verdict_colour,
        label=result.verdict_label,
        title=result.verdict_title,
        sentence=sentence,
        facts=card_numbers(result),
        steps=result.next_steps[:CARD_STEPS],
        links=links,
        kind=scope_text(result),
        dates=dates,
        sentence_id="pp-summary",
        facts_id="pp-overall",
        steps_id="pp-next-steps",
    )


def table_wrap(label: str) -> str:
    """The opening of a table's wrapper: it scrolls sideways when the table is wider than the
    page, so it is a named region the keyboard can reach (and scroll)."""
    return f'<div class="pp-table-wrap" tabindex="0" role="region" aria-label="{escape(label)}">'


def fold(summary: str, body: Sequence[str], fold_id: str, open_: bool = False) -> str:
    """A section that folds away under its summary (a <details>), open for print (extra.css)."""
    state = " open" if open_ else ""
    return "\n".join(
        [
            f'<details class="pp-fold" id="{escape(fold_id)}"{state}>',
            f"<summary>{escape(summary)}</summary>",
            *body,
            "</details>",
        ]
    )


def to_html(result: Result, page_base: str = "../", dates: Sequence[tuple[str, str]] = ()) -> str:
    """The result as an HTML fragment for the assessment page, every value escaped.

    The verdict card first; below it, folded, why (the reasons), how close it was and what
    would change it; then the chart and the scores. Links to the playbook start at page_base
    (the assessment page sits one folder below the site's root). No inline style and no
    script: the page's Content-Security-Policy allows neither.
    """
    h = escape

    def link(text: str, playbook: str, attributes: str = "") -> str:
        return f'<a{attributes} href="{h(page_url(playbook, page_base))}">{h(text)}</a>'

    _, rest = first_sentence(result.verdict_summary)
    why = [
        '<h3 id="pp-why-title" class="pp-visually-hidden">Why</h3>',
        *([f'<p class="pp-summary-rest">{h(rest)}</p>'] if rest else []),
        '<ul id="pp-reasons">',
        *(f"<li>{h(reason)}</li>" for reason in result.reasons),
        "</ul>",
        f'<p id="pp-rule" class="pp-rule">Rule applied: {h(result.rule.text)}</p>',
    ]
    margins = [
        f'<ul id="pp-margins" aria-label="{h(MARGINS_TITLE)}">',
        *(f"<li>{h(line)}</li>" for line in margin_lines(result)),
        "</ul>",
    ]
    pivotal = [
        f'<ul id="pp-pivotal" aria-label="{h(PIVOTAL_TITLE)}">',
        *(f"<li>{h(line)}</li>" for line in pivotal_lines(result)),
        "</ul>",
    ]
    more_steps = result.next_steps[CARD_STEPS:]
    parts = [
        verdict_card(result, page_base, dates),
        fold("Why this verdict", why, "pp-why"),
        fold(MARGINS_TITLE, margins, "pp-how-close"),
        fold(PIVOTAL_TITLE, pivotal, "pp-what-would-change"),
    ]
    if more_steps:
        parts.append(
            fold(
                "More next steps",
                [
                    f'<ol start="{CARD_STEPS + 1}" class="pp-more-steps">',
                    *(f"<li>{h(step)}</li>" for step in more_steps),
                    "</ol>",
                ],
                "pp-more-steps",
            )
        )
    parts += [
        '<h3 id="pp-scores-title">Scores by dimension</h3>',
        f'<div id="pp-chart" class="pp-chart">{to_svg(result, id_prefix="pp-chart")}</div>',
        f'<p class="pp-chart-note">{h(chart_note(result))}</p>',
        table_wrap("Scores by dimension"),
        '<table id="pp-scores" class="pp-table">',
        "<caption>Scores by dimension, out of 100</caption>",
        '<thead><tr><th scope="col">Dimension</th><th scope="col">Score</th>'
        '<th scope="col">Answered</th></tr></thead>',
        "<tbody>",
        *(
            f'<tr><th scope="row">{link(d.title, d.playbook)}</th>'
            f'<td class="pp-num">{h(score_text(d.score))}</td>'
            f'<td class="pp-num">{d.answered} of {d.total}</td></tr>'
            for d in result.dimensions
        ),
        "</tbody>",
        "</table>",
        "</div>",
        '<h3 id="pp-weakest-title">Where to start</h3>',
        '<ul id="pp-weakest" aria-labelledby="pp-weakest-title">',
        *(
            f"<li>{h(d.title)} ({h(score_text(d.score))}): "
            f"{link('read how to improve it', d.playbook)}</li>"
            for d in result.weakest
        ),
        *([] if result.weakest else [f"<li>{h(NO_WEAKEST)}</li>"]),
        "</ul>",
        f'<p id="pp-plan-note">{h(PLAN_NOTE)}</p>',
        "<p>" + link(VERDICT_LINK, result.verdict_playbook, ' id="pp-verdict-link"') + "</p>",
        f'<p id="pp-other-side">{h(OTHER_SIDE)} {link(OTHER_SIDE_LINK, HEALTH_CHECK_PAGE)}.</p>',
    ]
    return "\n".join(parts)


def to_markdown(result: Result, base_url: str = "") -> str:
    """A Markdown report of a result, with links into the playbook under base_url: the verdict
    card first, then the reasons, the scores and the answers. It reads as plain text too."""
    m = markdown_text
    sentence, rest = first_sentence(result.verdict_summary)
    verdict_url = page_url(result.verdict_playbook, base_url)
    lines = [
        "# Partnership self-assessment",
        "",
        f"**Verdict: {m(result.verdict_label)}.** {m(result.verdict_title)}.",
        "",
        m(sentence),
        "",
        *(f"- {m(fact_text(fact))}" for fact in card_numbers(result)),
        f"- {m(scope_text(result))}",
        "",
        "## Next steps",
        "",
        *(f"{n}. {m(step)}" for n, step in enumerate(result.next_steps, start=1)),
        "",
        f"Read next: [the playbook for this verdict]({verdict_url})",
        "",
        "## Why",
        "",
        *([m(rest), ""] if rest else []),
        *(f"- {m(reason)}" for reason in result.reasons),
        f"- Rule applied: {m(result.rule.text)}",
        "",
        f"## {MARGINS_TITLE}",
        "",
        *(f"- {m(line)}" for line in margin_lines(result)),
        "",
        f"## {PIVOTAL_TITLE}",
        "",
        *(f"- {m(line)}" for line in pivotal_lines(result)),
        "",
        "## Scores by dimension",
        "",
        "| Dimension | Score | Answered |",
        "| --- | ---: | ---: |",
        *(
            f"| [{m(d.title)}]({page_url(d.playbook, base_url)}) | "
            f"{_score(d.score)} | {d.answered} of {d.total} |"
            for d in result.dimensions
        ),
        "",
    ]
    if result.weakest:
        lines += ["## Where to start", ""]
        lines += [
            f"- **{m(d.title)}** ({_score(d.score)}): "
            f"[read the playbook]({page_url(d.playbook, base_url)})"
            for d in result.weakest
        ]
        lines.append("")
    lines += ["## Your answers", "", "| Question | Your answer |", "| --- | --- |"]
    lines += [f"| {m(c.text)} | {m(c.answer)} |" for c in result.contributions]
    lines += ["", f"_Question bank version {m(result.bank_version)}._", ""]
    return "\n".join(lines)


# -- The chart: SVG laid out in em and percent, so that it takes the content's width and its text
# the body's size (no viewBox that would shrink the text on a phone).

_ROW_EM = 3.2
_TOP_EM = 1.9
# The bars' share of the width; the score is written in the rest.
_TRACK = 86.0


def _pct(score: float) -> str:
    return f"{score * _TRACK / 100:.2f}%"


def chart_note(result: Result) -> str:
    """What the chart's dashed lines are, said under it."""
    return (
        f"Dashed lines: the critical level ({result.critical_dimension:g}; a dimension below it "
        f"blocks staying) and the stay threshold ({result.stay_overall:g})."
    )


def chart_start(
    classes: str, height_em: float, id_prefix: str, title: str, description: str
) -> list[str]:
    """A chart's opening: an <svg> its container's width, named by its title and description."""
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(classes)}" role="img" '
        f'width="100%" height="{height_em:.1f}em" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(description)}</desc>',
        '<g fill="currentColor">',
    ]


def chart_row(title: str, y_em: float, start_pct: float, track_pct: float) -> str:
    """A chart row's name, and the faint track its marks sit on (from 0 to 100)."""
    return (
        f'<text x="0" y="{y_em + 1.0:.2f}em">{escape(title)}</text>'
        f'<rect x="{start_pct:.0f}%" y="{y_em + 1.35:.2f}em" width="{track_pct - start_pct:.0f}%" '
        'height="1.2em" fill="currentColor" opacity="0.1"/>'
    )


def chart_no_score(y_em: float) -> str:
    """What a chart row shows when its dimension has too few answers for a score."""
    return (
        f'<text x="0.4em" y="{y_em + 2.35:.2f}em" font-style="italic">{NOT_ENOUGH_ANSWERS}</text>'
    )


def chart_end(parts: list[str]) -> str:
    """A chart's text: its parts, closed."""
    return "\n".join([*parts, "</g>", "</svg>"])


def to_svg(result: Result, id_prefix: str = "chart") -> str:
    """A bar chart of the dimension scores as SVG text, with a title and a description.

    Each dimension is a row: its name above a bar from 0 to 100, the score at the bar's end.
    Dashed lines mark the critical level and the stay threshold. The chart fills its
    container's width; its text inherits the page's size and colour.
    """
    rows = result.dimensions
    height = _TOP_EM + _ROW_EM * len(rows) + 0.4
    title = "Partnership health by dimension"
    summary = "; ".join(f"{d.title}: {_score(d.score)}" for d in rows)
    overall = _score(result.overall)
    description = f"Overall health {overall} out of 100. {summary}. {chart_note(result)}"
    parts = chart_start("pp-chart-svg", height, id_prefix, title, description)
    # Each dashed line is labelled with its number at its top; chart_note() says what they are.
    for threshold, name in ((result.critical_dimension, "critical"), (result.stay_overall, "stay")):
        x = _pct(threshold)
        parts.append(
            f'<line class="pp-threshold pp-{name}" x1="{x}" x2="{x}" y1="{_TOP_EM - 0.7:.1f}em" '
            f'y2="{height - 0.2:.1f}em" stroke="currentColor" stroke-dasharray="3 3" '
            'opacity="0.7"/>'
        )
        parts.append(
            f'<text class="pp-threshold-label" x="{x}" y="{_TOP_EM - 0.9:.1f}em" '
            f'text-anchor="middle">{threshold:g}</text>'
        )
    for index, d in enumerate(rows):
        y = _TOP_EM + index * _ROW_EM
        parts.append(chart_row(d.title, y, 0.0, _TRACK))
        if d.score is None:
            parts.append(chart_no_score(y))
            continue
        band = _band(d.score, result)
        parts.append(
            f'<rect class="pp-bar pp-{band}" x="0" y="{y + 1.35:.2f}em" width="{_pct(d.score)}" '
            f'height="1.2em" fill="{_BAND_COLOURS[band]}"/>'
        )
        parts.append(
            f'<text x="100%" y="{y + 2.3:.2f}em" text-anchor="end">{score_text(d.score)}</text>'
        )
    return chart_end(parts)


# Mid-tone colours readable on both the light and the dark palette (extra.css refines them).
_BAND_COLOURS = {"healthy": "#2e8b57", "weak": "#c98a00", "critical": "#d0453a"}


def _band(score: float, result: Result) -> str:
    if score < result.critical_dimension:
        return "critical"
    if score < result.stay_overall:
        return "weak"
    return "healthy"
