"""Pure renderers from the bank to Markdown and HTML, used by the macros at build time."""

from __future__ import annotations

import posixpath
from html import escape

from assessment import Bank, assess, describe_rules
from assessment.bank import DEAL_BREAKERS, REPAIR_HISTORY, Question
from assessment.examples import SCENARIOS
from assessment.report import markdown_text
from assessment.scoring import (
    DONT_KNOW,
    NOT_ENOUGH_ANSWERS,
    RULES,
    VERDICT_LABELS,
    dimension_names,
    score_text,
)
from assessment.sensitivity import sensitivity
from assessment.web import DONT_KNOW_VALUE


def link(from_page: str, target: str) -> str:
    """A docs link ('stay/reset.md#reset') relative to the page being rendered."""
    path, hash_, anchor = target.partition("#")
    start = posixpath.dirname(from_page) or "."
    return posixpath.relpath(path, start) + hash_ + anchor


def dimensions_list(bank: Bank, page: str) -> str:
    """A bullet list of the scored dimensions with descriptions and playbook links."""
    return "\n".join(
        f"- **[{markdown_text(d.title)}]({link(page, d.playbook)})**: "
        f"{markdown_text(d.description)}"
        for d in bank.dimensions
    )


def dimensions_table(bank: Bank, page: str) -> str:
    """A table of the scored dimensions: weight, question count, where to read."""
    total = sum(d.weight for d in bank.dimensions)
    rows = [
        "| Dimension | What it measures | Weight | Share of overall | Questions | Read |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    rows += [
        f"| {markdown_text(d.title)} | {markdown_text(d.description)} | {d.weight:g} | "
        f"{d.weight / total:.0%} | {len(bank.questions_in(d.id))} | "
        f"[playbook]({link(page, d.playbook)}) |"
        for d in bank.dimensions
    ]
    return "\n".join(rows)


def scoring_steps(bank: Bank) -> str:
    """How answers become scores, as numbered steps with the bank's numbers."""
    t = bank.thresholds
    return "\n".join(
        [
            "1. Each answer is a level from 1 to 5, or *don't know / doesn't apply*. On a "
            "normally worded question level 5 is the best practice. A *reverse-scored* question "
            "is worded negatively, so its level is flipped first: it counts as 6 minus the level.",
            "2. The (flipped) level becomes an item score from 0 to 100 by linear rescaling: "
            "1 → 0, 2 → 25, 3 → 50, 4 → 75, 5 → 100.",
            "3. A dimension's score is the mean of its answered item scores. *Don't know* and "
            "unanswered questions are left out of the mean, not counted as zero.",
            "4. A dimension's *coverage* is the share of its questions answered. Below "
            f"{t.min_coverage:.0%} coverage the dimension gets no score (*{NOT_ENOUGH_ANSWERS}*) "
            "instead of a guess.",
            "5. The overall health score is the weighted mean of the scored dimensions (weights "
            f"below). With fewer than {t.min_scored_dimensions} scored dimensions there is no "
            "overall score.",
            f"6. The {t.weakest_count} lowest-scoring dimensions are listed as the place to "
            "start, each with the playbook section that helps.",
            "7. The two blocks, *"
            + markdown_text(bank.block(REPAIR_HISTORY).title)
            + "* and *"
            + markdown_text(bank.block(DEAL_BREAKERS).title)
            + "*, are not part of the health score: they steer the verdict (rules below).",
        ]
    )


def thresholds_table(bank: Bank) -> str:
    """Every threshold of the bank with what it does."""
    t = bank.thresholds
    rows = [
        ("Minimum coverage for a dimension score", f"{t.min_coverage:.0%} of its questions"),
        ("Minimum scored dimensions for a verdict", f"{t.min_scored_dimensions}"),
        ("Overall health needed to stay", f"{t.stay_overall:g} out of 100"),
        ("Critical dimension score (blocks *stay*)", f"below {t.critical_dimension:g}"),
        ("A repair step counts as done at", f"level {t.repair_step_done} or more"),
        ("The partner does not engage at", f"follow-through level {t.no_follow_through} or less"),
        ("Weakest dimensions listed", f"{t.weakest_count}"),
    ]
    lines = ["| Threshold | Value |", "| --- | --- |"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines)


def verdict_rules(bank: Bank, page: str) -> str:
    """The verdict rules, numbered in the order they are tried, with each verdict's meaning."""
    lines = [
        f"{n}. **{VERDICT_LABELS[rule.verdict]}** (rule `{rule.id}`): {markdown_text(rule.text)}"
        for n, rule in enumerate(describe_rules(bank), start=1)
    ]
    lines += ["", "| Verdict | What it means | Read next |", "| --- | --- | --- |"]
    lines += [
        f"| {VERDICT_LABELS[v.id]}: {markdown_text(v.title)} | {markdown_text(v.summary)} | "
        f"[playbook]({link(page, v.playbook)}) |"
        for v in bank.verdicts
    ]
    return "\n".join(lines)


def restructure_reasoning(bank: Bank, page: str) -> str:
    """Why the restructure rule reads as it does: each test of the restructure page, and the
    answers that stand for it (with this bank's dimensions and numbers)."""
    t = bank.thresholds
    names = dimension_names(bank)
    others = [d.title.lower() for d in bank.dimensions if not d.part]
    order = [rule.id for rule in RULES]
    before = order.index("restructure")
    first = ", ".join(f"`{rule_id}`" for rule_id in order[:before])
    restructure = link(page, "decide/restructure.md#when-to-choose")
    lines = [
        f"The [restructure page]({restructure}) says when changing the deal is the right call "
        "and when it is not. The rule reads each of its tests from the answers:",
        "",
        f"- *The relationship is sound: people on both sides trust each other.* Each "
        f"relationship dimension ({markdown_text(names['relationship'])}) scores at least "
        f"{t.sound_relationship:g}, the bank's sound level, which lies between the critical "
        f"level ({t.critical_dimension:g}) and the stay threshold ({t.stay_overall:g}).",
        f"- *The arrangement is not.* A deal dimension ({markdown_text(names['deal'])}) is "
        f"below the critical level of {t.critical_dimension:g}.",
        f"- *Not when a deal-breaker was crossed, nor when trust has gone.* The rules tried "
        f"before it ({first}) come first: a deal-breaker, too few answers, a healthy "
        "partnership, or a partner who has not followed through on problems raised. A "
        "relationship dimension below the sound level rules it out too.",
        "- *The problems come from volume, price, timing or scope.* If any other dimension ("
        + markdown_text(", ".join(others) or "none in this bank")
        + ") is critical as well, part of the trouble is unclear owners, missing check-ins or "
        "figures nobody trusts, which a repair fixes: the verdict is then repair first.",
        "- *Before a failed repair means go.* It comes before `repair_failed`: a reset of "
        "objectives, owners and dates does not change the deal's shape, so when the "
        "relationship held through a reset and only the deal still fails, changing the deal is "
        "the step before ending it.",
        "- Two of the page's tests cannot be read from answers: whether restructuring is a way "
        "to avoid a hard conversation, and whether the smaller version is worth managing. The "
        "verdict's next steps ask them: *would we sign this one today, from scratch?*",
    ]
    return "\n".join(lines)


def _question_note(question: Question) -> str:
    notes = []
    if question.reverse:
        notes.append("reverse-scored: level 1 is the best practice")
    if question.role:
        notes.append(f"repair step `{question.role}`")
    if question.knock_out_at is not None:
        notes.append(f"knock-out at level {question.knock_out_at} or below")
    return f" *({'; '.join(notes)})*" if notes else ""


def question_catalogue(bank: Bank, page: str) -> str:
    """Every question with its levels, grouped by dimension then block."""
    groups = [(d.id, d.title, d.description, d.playbook) for d in bank.dimensions]
    groups += [(b.id, b.title, b.description, b.playbook) for b in bank.blocks]
    lines: list[str] = []
    for group_id, title, description, playbook in groups:
        questions = bank.questions_in(group_id)
        lines += [
            f"### {markdown_text(title)} {{ #questions-{group_id.replace('_', '-')} }}",
            "",
            f"{markdown_text(description)} [Read the playbook]({link(page, playbook)}).",
            "",
        ]
        for question in questions:
            lines += [
                f"**`{question.id}`** {markdown_text(question.text)}{_question_note(question)}",
                "",
            ]
            lines += [
                f"{level}. {markdown_text(text)}"
                for level, text in enumerate(question.levels, start=1)
            ]
            lines += ["", f"*Measures: {markdown_text(question.idea)}*", ""]
    return "\n".join(lines)


def worked_examples(bank: Bank, page: str) -> str:
    """The named scenarios, scored by the engine at build time."""
    lines: list[str] = []
    for scenario in SCENARIOS:
        result = assess(scenario.answers(bank), bank)
        overall = (
            f"none ({NOT_ENOUGH_ANSWERS})" if result.overall is None else score_text(result.overall)
        )
        lines += [
            f"### {markdown_text(scenario.title)} {{ #example-{scenario.id.replace('_', '-')} }}",
            "",
            markdown_text(scenario.story),
            "",
            "| Dimension | Practice level given | Score |",
            "| --- | ---: | ---: |",
        ]
        for dimension in result.dimensions:
            level = scenario.practice.get(dimension.id)
            given = DONT_KNOW if level is None else str(level)
            score = score_text(dimension.score)
            lines.append(f"| {markdown_text(dimension.title)} | {given} | {score} |")
        steps = ", ".join(
            f"{s.role.replace('_', ' ')}: {'-' if s.level is None else s.level}"
            for s in result.repair_steps
        )
        lines += [
            "",
            f"Repair so far: {steps}. Overall health: **{overall}**.",
            "",
            f"**Verdict: {result.verdict_label}** by rule `{result.rule.id}`, because:",
            "",
            *(f"- {markdown_text(reason)}" for reason in result.reasons),
            "",
        ]
    return "\n".join(lines)


def question_sources(bank: Bank) -> str:
    """Each question with the practitioner idea it measures, as a table."""
    lines = ["| Question | Part | Source idea |", "| --- | --- | --- |"]
    lines += [
        f"| `{q.id}` | {markdown_text(bank.group_title(q.dimension))} | {markdown_text(q.idea)} |"
        for q in bank.questions
    ]
    return "\n".join(lines)


def sensitivity_table(bank: Bank) -> str:
    """How often the sample's verdict changes under each change to the bank's numbers."""
    report = sensitivity(bank)
    spread = ", ".join(f"{VERDICT_LABELS[verdict]} {count:,}" for verdict, count in report.verdicts)
    lines = [
        f"Sample: {report.size:,} answer sets (seed {report.seed}). Verdicts with the bank as it "
        f"is: {spread}.",
        "",
        "| Change | Verdicts that change | Commonest changes |",
        "| --- | ---: | --- |",
    ]
    lines += [
        f"| {markdown_text(row.name)} | {row.share:.1%} ({row.changed:,}) | "
        f"{markdown_text(row.moves_text()) or 'none'} |"
        for row in report.rows
    ]
    return "\n".join(lines)


def assessment_form(bank: Bank, page: str) -> str:
    """The whole questionnaire as a plain HTML form, grouped by dimension.

    Each question is a fieldset with a legend; its radios are named by the question id with
    the level as value ("dk" for don't know), so the form serialises as plain HTML.
    `method="dialog"` outside a dialog submits nowhere: answers never leave the page.
    """
    h = escape
    parts = [
        f'<form id="pp-form" class="pp-form" method="dialog" data-bank-version="{h(bank.version)}" '
        f'data-question-count="{len(bank.questions)}">',
        '<fieldset class="pp-perspective">',
        "<legend>Which side of the partnership are you on?</legend>",
        '<label><input type="radio" name="perspective" value="" checked> Either (neutral wording)'
        "</label>",
    ]
    parts += [
        f'<label><input type="radio" name="perspective" value="{h(p.id)}"> {h(p.label)}</label>'
        for p in bank.relationships
    ]
    parts.append("</fieldset>")
    parts.append(
        '<p class="pp-progress" id="pp-progress"><span id="pp-answered">0</span> of '
        f"{len(bank.questions)} questions answered</p>"
    )
    groups = [(d.id, d.title, d.description) for d in bank.dimensions]
    groups += [(b.id, b.title, b.description) for b in bank.blocks]
    number = 0
    for group_id, title, description in groups:
        parts += [
            f'<section class="pp-group" id="group-{h(group_id)}" '
            f'aria-labelledby="group-{h(group_id)}-title">',
            f'<h2 id="group-{h(group_id)}-title">{h(title)}</h2>',
            f'<p class="pp-group-description">{h(description)}</p>',
        ]
        for question in bank.questions_in(group_id):
            number += 1
            parts.append(_question_html(question, number))
        parts.append("</section>")
    parts += [
        '<div class="pp-actions">',
        '<button type="submit" class="md-button md-button--primary" id="pp-submit">'
        "Show my result</button>",
        '<button type="button" class="md-button" id="pp-reset">Start over</button>',
        "</div>",
        "</form>",
    ]
    return "\n".join(parts)


def _question_html(question: Question, number: int) -> str:
    h = escape
    qid = h(question.id)
    wording = [f'<span class="pp-wording pp-wording-neutral">{h(question.text)}</span>']
    wording += [
        f'<span class="pp-wording pp-wording-{h(side)}">{h(text)}</span>'
        for side, text in question.by_relationship
    ]
    sides = " ".join(h(side) for side, _ in question.by_relationship)
    reverse = ' data-reverse="true"' if question.reverse else ""
    parts = [
        f'<fieldset class="pp-question" id="q-{qid}" data-question="{qid}" '
        f'data-sides="{sides}"{reverse}>',
        f'<legend><span class="pp-number">{number}.</span> {"".join(wording)}</legend>',
    ]
    for level, text in enumerate(question.levels, start=1):
        parts.append(
            f'<label class="pp-level"><input type="radio" name="{qid}" value="{level}"> '
            f'<span class="pp-level-number">{level}</span> {h(text)}</label>'
        )
    parts.append(
        f'<label class="pp-level pp-dont-know"><input type="radio" name="{qid}" '
        f'value="{DONT_KNOW_VALUE}"> {h(DONT_KNOW)}</label>'
    )
    parts.append("</fieldset>")
    return "\n".join(parts)
