"""Result -> a plan in Markdown, pre-filled from the answers (the repair-plan template's shape)."""

from __future__ import annotations

from .exit_steps import load_steps
from .report import EXIT_PLANNER, REPAIR_TEMPLATE, markdown_text, page_url
from .scoring import NOT_ANSWERED, NOT_ENOUGH_ANSWERS, Contribution, Result, score_text

# The plan's title for each verdict: what the reader sets out to do next.
PLAN_TITLES = {
    "stay": "Improvement plan",
    "repair": "Repair plan",
    "restructure": "Restructure plan",
    "go": "Exit plan",
    "undecided": "Fact-finding plan",
}
BLANK = "____________"


def _cell(text: str) -> str:
    return markdown_text(text).replace("\n", " ")


def _now_and_target(item: Contribution) -> tuple[str, str]:
    # The answers in words, never level numbers: a reverse-scored question's run the other way.
    return _cell(item.answer), _cell(item.target_answer or "")


def to_plan_markdown(result: Result, base_url: str = "") -> str:
    """A plan in Markdown from a result, with blank owner and date fields to fill in together.

    It follows the repair-plan template (diagnosis, reset, check-ins, review): the weakest
    answers with the next level as the target, the "don't know" answers as things to find out,
    the repair steps not yet taken; for a go verdict, the exit steps and the exit planner.
    """
    title = PLAN_TITLES[result.verdict]
    lines = [
        f"# {title}: [partnership name]",
        "",
        f"Prepared by: {BLANK}   Agreed with: {BLANK}   Date: {BLANK}",
        "",
        f"Pre-filled from the self-assessment (question bank {markdown_text(result.bank_version)})."
        f" Verdict: **{markdown_text(result.verdict_label)}: "
        f"{markdown_text(result.verdict_title)}**. Overall health: "
        f"{markdown_text(_overall(result))}. It follows the "
        f"[repair plan template]({page_url(REPAIR_TEMPLATE, base_url)}); check every line "
        "with the people involved before you act on it.",
        "",
        "## 1. Diagnosis: the weakest answers",
        "",
    ]
    if result.weakest_questions:
        lines += [
            "| Question | Now | Target (one step better) | Owner | Due date |",
            "| --- | --- | --- | --- | --- |",
        ]
        for item in result.weakest_questions:
            now, target = _now_and_target(item)
            lines.append(f"| {_cell(item.text)} | {now} | {target} |  |  |")
    else:
        lines.append("No scored answer is below the best practice: nothing to raise here.")
    lines += [
        "",
        "Our own contribution, and what we are changing:",
        "",
        "- ",
        "",
        "## 2. Things to find out",
        "",
    ]
    unknown = result.dont_know
    if unknown:
        lines += [
            "You answered these with “don't know / doesn't apply”. Find out, then retake the "
            "check.",
            "",
            "| Question | Who can tell us | Owner | By when |",
            "| --- | --- | --- | --- |",
        ]
        lines += [f"| {_cell(item.text)} |  |  |  |" for item in unknown]
    else:
        lines.append("Every question you saw had an answer: nothing to find out.")
    skipped = sum(1 for c in result.contributions if c.answer == NOT_ANSWERED)
    if skipped:
        lines += ["", f"{skipped} questions were not answered at all; answer them on a retake."]
    lines.append("")
    if result.verdict == "go":
        lines += _exit_section(result, base_url)
    elif result.verdict == "restructure":
        lines += _restructure_sections(result, base_url)
    else:
        lines += _repair_sections(result)
    lines += [
        f"More: [the playbook for this verdict]({page_url(result.verdict_playbook, base_url)})"
    ]
    lines.append("")
    return "\n".join(lines)


def _overall(result: Result) -> str:
    return (
        NOT_ENOUGH_ANSWERS if result.overall is None else f"{score_text(result.overall)} out of 100"
    )


def _repair_sections(result: Result) -> list[str]:
    lines = ["## 3. Repair steps not yet taken", ""]
    missing = result.missing_repair_steps
    if missing:
        lines += ["| Step | Owner | Date |", "| --- | --- | --- |"]
        lines += [f"| {_cell(step[:1].upper() + step[1:])} |  |  |" for step in missing]
    else:
        lines.append("Every repair step has been taken.")
    lines += [
        "",
        "## 4. Reset",
        "",
        "| Deliverable | Owner (one person) | New due date | Done means |",
        "| --- | --- | --- | --- |",
        "|  |  |  |  |",
        "|  |  |  |  |",
        "|  |  |  |  |",
        "",
        "## 5. Check-ins",
        "",
        f"Frequency during repair: {BLANK}   Dates booked: [ ] yes",
        "",
        "## 6. Review",
        "",
        f"Review date: {BLANK}",
        "",
        "We will call the repair a success if, on a retake, the overall health is at least "
        f"{result.stay_overall:g} and no dimension is below {result.critical_dimension:g}, and:",
        "",
        "- ",
        "",
        "If not, next step: end the partnership professionally (see Go).",
        "",
    ]
    return lines


RESTRUCTURE_PAGE = "decide/restructure.md"
DECISION_PAGE = "decide/decision/index.md"
# The four shapes a partnership can change into (decide/restructure.md#four-shapes).
SHAPES = (
    ("Scale down", "the same kind of work, less of it"),
    ("Pause", "stop for an agreed period, with a date to decide whether to restart"),
    ("Narrow the scope", "keep the one or two things the partner does best"),
    ("Change the model", "keep the partner, change the terms (price, pay-per-result, referral)"),
)


def _restructure_sections(result: Result, base_url: str) -> list[str]:
    page = page_url(RESTRUCTURE_PAGE, base_url)
    lines = [
        "## 3. The new shape",
        "",
        f"Which shape fits ([four ways to change the shape](<{page}#four-shapes>)):",
        "",
    ]
    lines += [f"- [ ] **{name}**: {detail}" for name, detail in SHAPES]
    lines += [
        "",
        f"The smaller or different partnership we would propose, in one sentence: {BLANK}",
        "",
        "Would we sign this one today, from scratch? [ ] yes [ ] no. If no, read "
        f"[when to choose it, and when not to](<{page}#when-to-choose>) again.",
        "",
        f"## 4. Prepare the negotiation ([how](<{page}#negotiate>))",
        "",
        f"Our best alternative if the partner says no: {BLANK}",
        "",
        f"Our walk-away point, agreed with whoever approves the outcome: {BLANK}",
        "",
        f"The partner's interests behind their positions, as we understand them: {BLANK}",
        "",
        "## 5. Paperwork, dates and review",
        "",
        "| Step | Owner | Date |",
        "| --- | --- | --- |",
        "| Propose the new shape in writing |  |  |",
        "| Sign the amendment or new statement of work |  |  |",
        "| Run the parts that stop as a small exit (hand-over, access, money) |  |  |",
        "| Review the new shape: retake this check |  |  |",
        "",
        "To date these against the agreement's notice deadline, use the "
        f"[decision page](<{page_url(DECISION_PAGE, base_url)}>).",
        "",
        "## 6. Next steps from the verdict",
        "",
    ]
    lines += [f"{n}. {markdown_text(step)}" for n, step in enumerate(result.next_steps, start=1)]
    lines.append("")
    return lines


def _exit_section(result: Result, base_url: str) -> list[str]:
    lines = [
        "## 3. Exit steps",
        "",
        "The steps of a professional exit, in order. To put each on a real date from your "
        f"agreement's notice period, use the [exit planner]({page_url(EXIT_PLANNER, base_url)}).",
        "",
        "| Step | Who | Owner | Date |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| [{_cell(step.title)}]({page_url(step.link, base_url)}) | {_cell(step.who)} |  |  |"
        for step in load_steps()
    ]
    lines += ["", "## 4. Next steps from the verdict", ""]
    lines += [f"{n}. {markdown_text(step)}" for n, step in enumerate(result.next_steps, start=1)]
    lines.append("")
    return lines
