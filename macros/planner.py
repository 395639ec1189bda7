"""The exit planner's form as plain HTML, from the engine's one table (assessment/exit_form.py).

The page (docs/exit-planner/) reads the form back by the names and marks written here: each
field is an input named after the table's field; `data-cases` lists the cases it belongs to
(every element without it belongs to all); the form carries the text the engine reads for a
date the browser could not read (`data-unreadable-date`).
"""

from __future__ import annotations

from html import escape

from assessment.exit_form import CASE_TABLE, CASES, DATES_LEGEND, FIELDS, HINTS, UNREADABLE_DATE
from assessment.exit_form import Field as FormField

# How each kind of field is typed in: the input's type and its extra attributes.
INPUT_TYPES = {"date": "date", "period": "text", "number": "number"}


def _cases(cases: tuple[str, ...]) -> str:
    """The data-cases attribute of an element shown for `cases` ('' when shown for all)."""
    return "" if set(cases) == set(CASES) else f' data-cases="{escape(" ".join(cases))}"'


def _case_choice() -> str:
    """The first fieldset: how the agreement is ending, one radio per case."""
    spec = next(f for f in FIELDS if f.kind == "case")
    parts = ['<fieldset id="pp-case">', f"<legend>{escape(spec.legend)}</legend>"]
    for index, case in enumerate(CASE_TABLE):
        element = f"pp-case-{case.id.replace('_', '-')}"
        choice = escape(case.choice).replace(
            escape(case.emphasis), f"<strong>{escape(case.emphasis)}</strong>", 1
        )
        checked = " checked" if index == 0 else ""
        parts.append(
            f'<p><input type="radio" name="{escape(spec.name)}" id="{element}" '
            f'value="{escape(case.id)}"{checked}> <label for="{element}">{choice}</label></p>'
        )
    parts.append("</fieldset>")
    return "\n".join(parts)


def _field(spec: FormField) -> str:
    """One field: its label and input, described by its hints."""
    element = f"pp-{spec.name.replace('_', '-')}"
    described = " ".join(f"pp-{hint}-hint" for hint in spec.hints)
    attributes = [
        f'type="{INPUT_TYPES[spec.kind]}"',
        f'id="{element}"',
        f'name="{escape(spec.name)}"',
    ]
    if spec.kind == "period":
        attributes.append('autocomplete="off"')
    if spec.kind == "number":
        attributes += [f'min="{spec.minimum}"', f'max="{spec.maximum}"', 'step="1"']
        attributes += [f'value="{spec.default}"', 'inputmode="numeric"']
    if described:
        attributes.append(f'aria-describedby="{described}"')
    return (
        f'<p{_cases(spec.cases)}><label for="{element}">{escape(spec.form_label)}</label><br>'
        f"<input {' '.join(attributes)}></p>"
    )


def planner_form() -> str:
    """The planner's whole form, fillable before Python has loaded; it submits nowhere."""
    # Each hint follows the last field it describes, in the table's order.
    hinted_after = {hint_id: spec.name for spec in FIELDS for hint_id in spec.hints}
    parts = [
        '<form id="pp-exit-form" class="pp-exit-form" method="dialog" novalidate '
        f'data-unreadable-date="{escape(UNREADABLE_DATE)}">',
        _case_choice(),
        "<fieldset>",
        f"<legend>{escape(DATES_LEGEND)}</legend>",
    ]
    for spec in FIELDS:
        if spec.kind == "case":
            continue
        parts.append(_field(spec))
        for hint in HINTS:
            if hinted_after.get(hint.id) == spec.name:
                parts.append(
                    f'<p id="pp-{hint.id}-hint" class="pp-hint"{_cases(hint.cases)}>'
                    f"{escape(hint.text)}</p>"
                )
    parts += [
        "</fieldset>",
        '<p id="pp-form-error" class="pp-notice" role="alert" hidden></p>',
        '<p><button type="submit" class="md-button md-button--primary" id="pp-make-plan">'
        'Make the plan</button> <button type="button" class="md-button" id="pp-clear">'
        "Clear the form</button></p>",
        "</form>",
    ]
    return "\n".join(parts)
