"""Pure renderers from the bank to Markdown and HTML, used by the macros at build time."""

from __future__ import annotations

import posixpath
from html import escape

from assessment import Bank, assess, describe_rules
from assessment.bank import DEAL_BREAKERS, REPAIR_HISTORY, Question
from assessment.examples import SCENARIOS
from assessment.reading import (
    SECONDS_PER_ANSWER,
    WORDS_PER_MINUTE,
    full_check_seconds,
    minutes_text,
    quick_check_seconds,
)
from assessment.report import markdown_text
from assessment.scoring import (
    DONT_KNOW,
    NOT_ENOUGH_ANSWERS,
    RULES,
    VERDICT_LABELS,
    dimension_names,
    item_score,
    score_text,
)
from assessment.sensitivity import quick_agreement, sensitivity
from assessment.web import DONT_KNOW_VALUE, SIDE_PROMPT


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
            "instead of a guess, unless every one of its core questions is answered: the "
            "[quick check](#quick) scores a dimension from those alone.",
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
            "8. Every number you are shown is a whole number, **rounded down**: 39.6 shows as "
            "39. The thresholds are whole numbers, so a score is always shown on the side of a "
            "threshold the rules saw it on (39.6 is below a critical level of 40, and shows "
            "as 39), and a change between two results is the difference of the two numbers "
            "shown. The exported files keep one decimal.",
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
        notes.append("worded negatively, so scored in reverse")
    if question.core:
        notes.append("in the [quick check](#quick)")
    if question.role:
        notes.append(f"repair step `{question.role}`")
    if question.knock_out_at is not None:
        worst = question.level_text(question.knock_out_at).rstrip(".")
        notes.append(f"a deal-breaker from “{markdown_text(worst)}” down")
    if question.asked_if is not None:
        notes.append(f"asked only after `{question.asked_if[0]}`")
    return f" *({'; '.join(notes)})*" if notes else ""


def question_catalogue(bank: Bank, page: str) -> str:
    """Every question with its answers, grouped by dimension then block.

    The answers are listed as the form shows them, from the worst practice to the best, on
    every question (a reverse-scored one's included), with their item score: no level number
    that would run the other way on some questions.
    """
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
            order = range(5, 0, -1) if question.reverse else range(1, 6)
            scored = group_id not in (REPAIR_HISTORY, DEAL_BREAKERS)
            lines += [
                f"- {markdown_text(question.level_text(level))}"
                + (f" *({item_score(question, level):.0f})*" if scored else "")
                for level in order
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


MODES_INTRO = "How would you like to answer? You can switch at any time; nothing is lost."


def assessment_form(bank: Bank, page: str) -> str:
    """The whole questionnaire as a plain HTML form, grouped by dimension.

    Each question is a fieldset with a legend; its radios are named by the question id with
    the level as value ("dk" for don't know), so the form serialises as plain HTML. The
    answers of every question run from the worst practice to the best: a reverse-scored
    question's levels are listed from 5 to 1 (the values stay the levels). No number is
    shown beside them. `method="dialog"` outside a dialog submits nowhere: answers never leave
    the page.

    The same form is the guided one (docs/assessment/app.js): the mode chooser, the guide's
    bar and its buttons are here, hidden until the page's script shows them; without
    JavaScript, and in print, the whole form shows on one page. Each question says whether it
    is core (the quick check) and its skip rule (data-asked-if), from the bank.
    """
    h = escape
    core = bank.core_questions
    quick_time = minutes_text(quick_check_seconds(bank))
    full_time = minutes_text(full_check_seconds(bank))
    groups = [(d.id, d.title, d.description) for d in bank.dimensions]
    groups += [(b.id, b.title, b.description) for b in bank.blocks]
    parts = [
        '<div id="pp-modes" class="pp-modes" hidden>',
        f'<p class="pp-modes-intro">{h(MODES_INTRO)}</p>',
        '<div class="pp-mode-buttons" role="group" aria-label="How to answer">',
    ]
    if core:
        parts.append(
            '<button type="button" class="md-button pp-mode" id="pp-mode-quick" '
            'data-mode="quick" aria-pressed="false">'
            f'<strong>Quick check</strong><span class="pp-mode-note">up to {len(core)} '
            f"questions, one at a time, a first verdict in {quick_time}</span></button>"
        )
    parts += [
        '<button type="button" class="md-button pp-mode" id="pp-mode-guided" data-mode="guided" '
        'aria-pressed="false"><strong>Full check, one at a time</strong>'
        f'<span class="pp-mode-note">up to {len(bank.questions)} questions, {full_time}, '
        "with a progress bar</span></button>",
        '<button type="button" class="md-button pp-mode" id="pp-mode-page" data-mode="page" '
        'aria-pressed="false"><strong>All on one page</strong>'
        '<span class="pp-mode-note">every question below, to scroll through</span></button>',
        "</div>",
        "</div>",
        f'<form id="pp-form" class="pp-form" method="dialog" data-bank-version="{h(bank.version)}" '
        f'data-question-count="{len(bank.questions)}" data-mode="page">',
        '<div id="pp-guide" class="pp-guide" hidden>',
        '<p class="pp-guide-count"><span id="pp-guide-where"></span> '
        '<span id="pp-guide-kind" class="pp-guide-kind"></span></p>',
        '<progress id="pp-guide-progress" max="1" value="0" aria-labelledby="pp-guide-where">'
        "</progress>",
        '<p class="pp-guide-jump"><label for="pp-guide-jump">Go to</label> '
        '<select id="pp-guide-jump">',
        '<option value="perspective">Your side</option>',
        *(f'<option value="{h(group_id)}">{h(title)}</option>' for group_id, title, _ in groups),
        '<option value="finish">Finish: your result</option>',
        "</select></p>",
        "</div>",
        '<fieldset class="pp-perspective" id="q-perspective">',
        f"<legend>{h(SIDE_PROMPT)}</legend>",
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
    parts.append(
        '<p class="pp-scale-note">Every question\'s answers run from the worst practice, first, '
        "to the best, last. <em>Don't know / doesn't apply</em> is never counted against the "
        "partnership.</p>"
    )
    number = 0
    for group_id, title, description in groups:
        parts += [
            f'<section class="pp-group" id="group-{h(group_id)}" data-group="{h(group_id)}" '
            f'aria-labelledby="group-{h(group_id)}-title">',
            f'<h2 id="group-{h(group_id)}-title">{h(title)}</h2>',
            f'<p class="pp-group-description">{h(description)}</p>',
        ]
        for question in bank.questions_in(group_id):
            number += 1
            parts.append(_question_html(bank, question, number))
        parts.append("</section>")
    parts += [
        '<div id="pp-guide-buttons" class="pp-guide-buttons" hidden>',
        '<button type="button" class="md-button" id="pp-guide-back">Back</button>',
        '<button type="button" class="md-button md-button--primary" id="pp-guide-next">Next'
        "</button>",
        '<p class="pp-hint" id="pp-guide-keys">Keys: <kbd>1</kbd> to <kbd>5</kbd> choose an '
        "answer, from the first (the worst) to the last (the best); <kbd>D</kbd>: don't know; "
        "<kbd>Enter</kbd>: next; <kbd>Backspace</kbd>: back.</p>",
        "</div>",
        '<div class="pp-actions" id="pp-actions">',
        '<p id="pp-finish-text" class="pp-finish-text" hidden></p>',
        '<button type="submit" class="md-button md-button--primary" id="pp-submit">'
        "Show my result</button>",
        '<button type="button" class="md-button" id="pp-reset">Start over</button>',
        "</div>",
        "</form>",
    ]
    return "\n".join(parts)


def _question_html(bank: Bank, question: Question, number: int) -> str:
    h = escape
    qid = h(question.id)
    wording = [f'<span class="pp-wording pp-wording-neutral">{h(question.text)}</span>']
    wording += [
        f'<span class="pp-wording pp-wording-{h(side)}">{h(text)}</span>'
        for side, text in question.by_relationship
    ]
    sides = " ".join(h(side) for side, _ in question.by_relationship)
    attributes = ' data-reverse="true"' if question.reverse else ""
    if question.core:
        attributes += ' data-core="true"'
    skip_note = ""
    if question.asked_if is not None:
        other, at_least = question.asked_if
        attributes += f' data-asked-if="{h(other)}" data-asked-at="{at_least}"'
        first = bank.question(other)
        skip_note = (
            f'<p class="pp-skip-note">Does not apply yet: asked once “{h(first.text)}” is '
            f"answered “{h(first.level_text(at_least).rstrip('.'))}” or higher.</p>"
        )
    parts = [
        f'<fieldset class="pp-question" id="q-{qid}" data-question="{qid}" '
        f'data-sides="{sides}"{attributes}>',
        f'<legend><span class="pp-number">{number}.</span> {"".join(wording)}</legend>',
    ]
    if skip_note:
        parts.append(skip_note)
    # Worst practice first on every question: a reverse-scored one's levels, 5 down to 1.
    levels = range(5, 0, -1) if question.reverse else range(1, 6)
    for level in levels:
        parts.append(
            f'<label class="pp-level"><input type="radio" name="{qid}" value="{level}"> '
            f"{h(question.level_text(level))}</label>"
        )
    parts.append(
        f'<label class="pp-level pp-dont-know"><input type="radio" name="{qid}" '
        f'value="{DONT_KNOW_VALUE}"> {h(DONT_KNOW)}</label>'
    )
    parts.append("</fieldset>")
    return "\n".join(parts)


def quick_check(bank: Bank, page: str) -> str:
    """The quick check: its questions, the skip rule, and how often it agrees with the full
    check on the sensitivity table's sample (computed at build time)."""
    agreement = quick_agreement(bank)
    if agreement is None:
        return (
            "This question bank has no quick check: none of its questions is marked `core = true`."
        )
    covered = sum(1 for d in bank.dimensions if any(q.core for q in bank.questions_in(d.id)))
    lines = [
        f"The quick check asks the {agreement.core} *core* questions the bank marks, and gives "
        "a verdict from them alone, by the same rules. Its result says it is a quick check; "
        "*deepen* continues with the other questions, and the result then becomes the full "
        "check's. Which questions are core is written in the bank, and the bank's checks keep "
        "the quick verdict a fair one: every question of the two blocks (they steer the verdict "
        "directly) is core, so a deal-breaker or a failed repair is never missed; and "
        f"{covered} of the {len(bank.dimensions)} dimensions have a core question, which scores "
        "the dimension when it is answered.",
        "",
        "| Part | Core questions |",
        "| --- | --- |",
    ]
    groups = [(d.id, d.title) for d in bank.dimensions] + [(b.id, b.title) for b in bank.blocks]
    for group_id, title in groups:
        core = [q for q in bank.questions_in(group_id) if q.core]
        if core:
            ids = ", ".join(f"[`{q.id}`](#questions-{group_id.replace('_', '-')})" for q in core)
            lines.append(f"| {markdown_text(title)} | {ids} |")
    lines += [
        "",
        f"**How often the quick and the full verdict agree:** on the sample of "
        f"{agreement.size:,} answer sets used [above](#sensitivity) (seed {agreement.seed}), "
        f"the verdict from the core answers alone is the full check's in "
        f"**{agreement.share:.1%}** of them ({agreement.agree:,}).",
    ]
    if agreement.differences:
        lines.append(f"Where they differ, the commonest: {agreement.differences_text()}.")
    lines += [
        "",
        f"**How long it takes:** {minutes_text(quick_check_seconds(bank))} for the quick "
        f"check and {minutes_text(full_check_seconds(bank))} for the full one, at most. The "
        "build counts the words a reader sees when every question is asked (the longest "
        f"wording of each, and its five answers), at {WORDS_PER_MINUTE} words a minute, the "
        "average adult pace for silent reading of non-fiction in English (Brysbaert, 2019), "
        f"plus {SECONDS_PER_ANSWER} seconds for each tap.",
    ]
    skipped = [q for q in bank.questions if q.asked_if is not None]
    if skipped:
        first = bank.question(skipped[0].asked_if[0]) if skipped[0].asked_if else None
        at_least = skipped[0].asked_if[1] if skipped[0].asked_if else 0
        if first is not None:
            lines += [
                "",
                "**What does not apply is not asked.** "
                + ", ".join(f"`{q.id}`" for q in skipped)
                + f" are asked only once `{first.id}` (*{markdown_text(first.text)}*) is "
                f"answered “{markdown_text(first.level_text(at_least))}” or higher: before "
                "that, a reset and the partner's follow-through do not apply. An answer given "
                "to them earlier is kept, but not scored. The rule is in the bank "
                "(`asked_if`); no verdict depends on it, because the verdict rules read those "
                "answers only once the problems count as raised.",
            ]
    return "\n".join(lines)
