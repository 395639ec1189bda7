"""The decision page's form as plain HTML, from the engine's table (assessment/decision.py).

Fillable before Python has loaded. Each field is named after the table's field and has, beside
it, a message element (`pp-<name>-error`, hidden) where the page says what is wrong with it;
the agreement's clock is the exit planner's own fields (macros/planner.py), each name prefixed
`agreement_`. The page (docs/decide/decision/app.js) reads the form back by these names.
"""

from __future__ import annotations

from html import escape

from assessment.decision import AGREEMENT, FIELDS, GROUPS, exit_lead_days, max_length
from assessment.decision import Field as DecisionField
from assessment.exit_form import UNREADABLE_DATE
from assessment.text import number_text

from .planner import case_choice, date_fields, element_id

INPUT_TYPES = {"text": "text", "date": "date", "period": "text", "money": "text"}


def _error(name: str) -> str:
    return f'<span id="{element_id(name)}-error" class="pp-field-error" role="alert" hidden></span>'


def _hint_id(spec: DecisionField) -> str:
    return f"{element_id(spec.name)}-hint"


def field_html(spec: DecisionField) -> str:
    """One field: its label and control, its hint and the place for its message."""
    element = element_id(spec.name)
    described = ([_hint_id(spec)] if spec.hint else []) + [f"{element}-error"]
    hint = f'<br><span id="{_hint_id(spec)}" class="pp-hint">{escape(spec.hint)}</span>'
    hint = hint if spec.hint else ""
    if spec.kind == "choice" and spec.name == "choice":
        radios = []
        for choice in spec.choices:
            radio = f"{element}-{choice.id or 'none'}"
            checked = "" if choice.id else " checked"
            radios.append(
                f'<p><input type="radio" name="{escape(spec.name)}" id="{radio}" '
                f'value="{escape(choice.id)}"{checked} aria-describedby="{" ".join(described)}"> '
                f'<label for="{radio}">{escape(choice.label)}</label></p>'
            )
        return (
            f'<fieldset id="{element}-group" class="pp-decision-choice"><legend>'
            f"{escape(spec.label)}</legend>{''.join(radios)}{_error(spec.name)}</fieldset>"
        )
    attributes = [f'id="{element}"', f'name="{escape(spec.name)}"',
                  f'aria-describedby="{" ".join(described)}"']  # fmt: skip
    if spec.kind not in ("choice", "date"):
        # The engine's limit: a paste past it is cut by the browser, before Python is there.
        attributes.append(f'maxlength="{max_length(spec.kind)}"')
    if spec.kind == "choice":
        options = "".join(
            f'<option value="{escape(c.id)}"{" selected" if not c.id else ""}>{escape(c.label)}'
            "</option>"
            for c in spec.choices
        )
        control = f"<select {' '.join(attributes)}>{options}</select>"
    elif spec.kind == "longtext":
        control = f'<textarea {" ".join(attributes)} rows="3"></textarea>'
    elif spec.kind == "code":
        # A team round's codes come one per line, which a one-line field would run together.
        attributes += ['rows="2"', 'autocomplete="off"', 'spellcheck="false"']
        control = f"<textarea {' '.join(attributes)}></textarea>"
    else:
        attributes.insert(0, f'type="{INPUT_TYPES[spec.kind]}"')
        if spec.kind in ("period", "money", "text"):
            attributes.append('autocomplete="off"')
        if spec.kind == "money":
            attributes.append('inputmode="decimal"')
        if spec.default:
            attributes.append(f'placeholder="{escape(spec.default)}"')
        control = f"<input {' '.join(attributes)}>"
    return (
        f'<p class="pp-field pp-field-{escape(spec.kind)}"><label for="{element}">'
        f"{escape(spec.label)}</label>{hint}<br>{control}{_error(spec.name)}</p>"
    )


def decision_form() -> str:
    """The whole decision form, group by group in the page's order; it submits nowhere."""
    parts = [
        '<form id="pp-decision-form" class="pp-decision-form" method="dialog" novalidate '
        f'data-unreadable-date="{escape(UNREADABLE_DATE)}">'
    ]
    for group in GROUPS:
        parts.append(f'<fieldset id="pp-group-{group.id}">')
        parts.append(f"<legend>{escape(group.legend)}</legend>")
        if group.intro:
            parts.append(f'<p class="pp-hint">{escape(group.intro)}</p>')
        if group.id == "health":
            parts.append('<p id="pp-health-source" class="pp-hint" hidden></p>')
        if group.id == "clock":
            parts.append(case_choice(AGREEMENT))
            parts.append(_error(AGREEMENT + "case"))
            parts.append(date_fields(AGREEMENT, error=True, skip=("today",)))
            parts.append('<div id="pp-clock-view" class="pp-clock" aria-live="polite"></div>')
        if group.id == "decision":
            parts.append(
                '<div id="pp-suggestion" class="pp-suggestion" aria-live="polite">'
                "<p>The engine's suggestion appears here once the memo is made.</p></div>"
            )
        parts += [field_html(spec) for spec in FIELDS if spec.group == group.id]
        parts.append("</fieldset>")
    parts += [
        '<p class="pp-actions"><button type="submit" class="md-button md-button--primary" '
        'id="pp-make-memo">Make the memo</button> <button type="button" class="md-button" '
        'id="pp-clear">Clear the form</button></p>',
        "</form>",
    ]
    return "\n".join(parts)


def lead_text() -> str:
    """How long before the notice the exit planner's first step comes: 'four weeks', '10 days'."""
    days = exit_lead_days()
    if days % 7:
        return f"{days} day{'s' if days != 1 else ''}"
    weeks = days // 7
    return f"{number_text(weeks)} week{'s' if weeks != 1 else ''}"
