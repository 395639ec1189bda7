"""The exit planner's form as plain HTML, from the engine's one table (assessment/exit_form.py).

The page (docs/exit-planner/) reads the form back by the names and marks written here: each
field is an input (a select for a choice) named after the table's field; `data-cases` lists the
cases it belongs to (every element without it belongs to all); the form carries the text the
engine reads for a date the browser could not read (`data-unreadable-date`). The decision page
(docs/decide/decision/) shows the same fields for the agreement's clock, each name and id with
a prefix of its own (`agreement_`), so both forms come from the one table.
"""

from __future__ import annotations

from html import escape

from assessment.exit_form import (
    CALENDAR_CHOICES,
    CALENDAR_LEGEND,
    CASE_TABLE,
    CASES,
    DATES_LEGEND,
    FIELDS,
    HINTS,
    KEY_DATES,
    UNREADABLE_DATE,
)
from assessment.exit_form import Field as FormField

# How each kind of field is typed in: the input's type (a choice is a select).
INPUT_TYPES = {"date": "date", "period": "text", "number": "number", "deemed": "text",
               "closures": "text"}  # fmt: skip


def _cases(cases: tuple[str, ...]) -> str:
    """The data-cases attribute of an element shown for `cases` ('' when shown for all)."""
    return "" if set(cases) == set(CASES) else f' data-cases="{escape(" ".join(cases))}"'


def element_id(name: str, prefix: str = "") -> str:
    """The id of the input named `prefix + name`: 'pp-notice-given', 'pp-agreement-notice'."""
    return f"pp-{(prefix + name).replace('_', '-')}"


def case_choice(prefix: str = "") -> str:
    """The first fieldset: how the agreement is ending, one radio per case."""
    spec = next(f for f in FIELDS if f.kind == "case")
    parts = [
        f'<fieldset id="{element_id("case", prefix)}">',
        f"<legend>{escape(spec.legend)}</legend>",
    ]
    for index, case in enumerate(CASE_TABLE):
        element = element_id(f"case_{case.id}", prefix)
        choice = escape(case.choice).replace(
            escape(case.emphasis), f"<strong>{escape(case.emphasis)}</strong>", 1
        )
        checked = " checked" if index == 0 else ""
        parts.append(
            f'<p><input type="radio" name="{escape(prefix + spec.name)}" id="{element}" '
            f'value="{escape(case.id)}"{checked}> <label for="{element}">{choice}</label></p>'
        )
    parts.append("</fieldset>")
    return "\n".join(parts)


def field_html(spec: FormField, prefix: str = "", error: bool = False) -> str:
    """One field: its label and input (or select), described by its hints (and, with `error`,
    by the message shown beside it when it is at fault)."""
    element = element_id(spec.name, prefix)
    described = [f"pp-{prefix.replace('_', '-')}{hint}-hint" for hint in spec.hints]
    if error:
        described.append(f"{element}-error")
    name = escape(prefix + spec.name)
    attributes = [f'id="{element}"', f'name="{name}"']
    if described:
        attributes.append(f'aria-describedby="{" ".join(described)}"')
    if spec.kind == "choice":
        options = "".join(
            f'<option value="{escape(choice.id)}"{" selected" if index == 0 else ""}>'
            f"{escape(choice.label)}</option>"
            for index, choice in enumerate(spec.choices)
        )
        control = f"<select {' '.join(attributes)}>{options}</select>"
    else:
        attributes.insert(0, f'type="{INPUT_TYPES[spec.kind]}"')
        if spec.kind in ("period", "deemed", "closures"):
            attributes.append('autocomplete="off"')
        if spec.kind == "closures" and spec.maximum is not None:
            attributes.append(f'maxlength="{spec.maximum}"')
        if spec.kind == "number":
            attributes += [f'min="{spec.minimum}"', f'max="{spec.maximum}"', 'step="1"']
            attributes += [f'value="{spec.default}"', 'inputmode="numeric"']
        control = f"<input {' '.join(attributes)}>"
    message = (
        f'<span id="{element}-error" class="pp-field-error" role="alert" hidden></span>'
        if error
        else ""
    )
    return (
        f'<p{_cases(spec.cases)}><label for="{element}">{escape(spec.form_label)}</label><br>'
        f"{control}{message}</p>"
    )


def date_fields(prefix: str = "", error: bool = False, skip: tuple[str, ...] = ()) -> str:
    """Every field but the case, each followed by the hints it is the last to use."""
    hinted_after = {hint_id: spec.name for spec in FIELDS for hint_id in spec.hints}
    parts = []
    for spec in FIELDS:
        if spec.kind == "case" or spec.name in skip:
            continue
        parts.append(field_html(spec, prefix, error))
        for hint in HINTS:
            if hinted_after.get(hint.id) == spec.name:
                parts.append(
                    f'<p id="pp-{prefix.replace("_", "-")}{hint.id}-hint" class="pp-hint"'
                    f"{_cases(hint.cases)}>{escape(hint.text)}</p>"
                )
    return "\n".join(parts)


def planner_form() -> str:
    """The planner's whole form, fillable before Python has loaded; it submits nowhere."""
    parts = [
        '<form id="pp-exit-form" class="pp-exit-form" method="dialog" novalidate '
        f'data-unreadable-date="{escape(UNREADABLE_DATE)}">',
        case_choice(),
        "<fieldset>",
        f"<legend>{escape(DATES_LEGEND)}</legend>",
        date_fields(),
        "</fieldset>",
        '<p id="pp-form-error" class="pp-notice" role="alert" hidden></p>',
        '<p><button type="submit" class="md-button md-button--primary" id="pp-make-plan">'
        'Make the plan</button> <button type="button" class="md-button" id="pp-clear">'
        "Clear the form</button></p>",
        "</form>",
    ]
    return "\n".join(parts)


def calendar_choice(form: str = "pp-exit-form") -> str:
    """What the calendar file holds: key dates with reminders (the default) or every step.
    The radios belong to `form` (its `form` attribute), so they are saved with it."""
    parts = ['<fieldset id="pp-calendar-choice" class="pp-calendar-choice">',
             f"<legend>{escape(CALENDAR_LEGEND)}</legend>"]  # fmt: skip
    for choice in CALENDAR_CHOICES:
        element = f"pp-calendar-{choice.id.replace('_', '-')}"
        checked = " checked" if choice.id == KEY_DATES else ""
        parts.append(
            f'<p><input type="radio" form="{escape(form)}" name="calendar" id="{element}" '
            f'value="{escape(choice.id)}"{checked}> <label for="{element}">'
            f"{escape(choice.label)}</label></p>"
        )
    parts.append("</fieldset>")
    return "\n".join(parts)
