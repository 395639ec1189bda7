"""What the decision page asks of the engine, as plain data in and out (docs/decide/decision/).

The page sends the form's raw strings and the day it is in its own time zone; the suggestion,
every date, the memo, the calendar and the decision file are computed and worded here, by the
code `partnership-decide` runs. Problems with what was typed come back as data, each naming its
field, so the page can say each one beside its field and keep everything else as it is.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from . import decision as engine
from .bank import LEVELS, load_bank
from .codec import encode
from .errors import AnswerError, AssessmentError
from .history import read_history
from .ics import DECISION_ID, next_version
from .periods import parse_date
from .web import MALFORMED

# The decision page sits two folders below the site's root (decide/decision/).
PAGE_BASE = "../../"
# What an endpoint's message puts before a field's problem (web.endpoint).
LABELS = engine.LABELS


def _today(text: object) -> date:
    if not isinstance(text, str):
        raise AnswerError(MALFORMED)
    return parse_date(text, "today")


def decide(
    values: Mapping[str, Any], today: str, base_url: str, site_name: str = ""
) -> dict[str, Any]:
    """The decision for the form's values: the memo and its data, or the problems to fix."""
    if not isinstance(values, Mapping) or not isinstance(base_url, str):
        raise AnswerError(MALFORMED)
    made, problems = engine.decision_of(values, _today(today))
    if made is None:
        return {
            "problems": [p.to_dict() for p in problems],
            "warnings": [],
            "announce": f"{len(problems)} field{'s' if len(problems) != 1 else ''} to check: "
            f"{problems[0].text}",
        }
    return {
        "problems": [],
        "warnings": [w.to_dict() for w in made.warnings],
        "decision": engine.to_dict(made, base_url),
        "html": engine.to_html(made, PAGE_BASE),
        "markdown": engine.to_markdown(made, base_url, str(site_name)),
        "announce": engine.announcement(made),
    }


def calendar(
    values: Mapping[str, Any], today: str, kept: Mapping[str, Any], site_name: str = ""
) -> dict[str, Any]:
    """The decision's calendar, as a new version of the one given before (`kept`: the
    decision's id, the last sequence, the events it held): events keep their UIDs, the
    sequence rises, dates no longer in the decision come as cancelled."""
    if not isinstance(kept, Mapping) or not isinstance(values, Mapping):
        raise AnswerError(MALFORMED)
    made, problems = engine.decision_of(values, _today(today))
    if made is None:
        raise engine.DecisionError(problems[0].field, problems[0].text)
    version = next_version(kept, DECISION_ID)
    ics = engine.to_ics(
        made,
        decision_id=version.calendar_id,
        sequence=version.sequence,
        cancelled=version.cancelled,
        site_name=str(site_name),
    )
    events = {event.key: event.day.isoformat() for event in engine.calendar_events(made)}
    kept_now = {DECISION_ID: version.calendar_id, "sequence": version.sequence, "events": events}
    return {"ics": ics, "kept": kept_now}


def export(values: Mapping[str, Any], decision_id: str, sequence: int) -> dict[str, Any]:
    """The decision file: what `partnership-decide` reads and this page opens again."""
    if not isinstance(decision_id, str) or isinstance(sequence, bool):
        raise AnswerError(MALFORMED)
    if not isinstance(sequence, int) or sequence < 0:
        sequence = 0
    document = engine.document(values, decision_id, sequence)
    return {"text": json.dumps(document, indent=2, ensure_ascii=False) + "\n"}


def open_file(data_b64: str) -> dict[str, Any]:
    """The values of a decision file, given as its bytes in base64; DecisionError if unusable."""
    try:
        data = base64.b64decode(data_b64, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise AnswerError("The page could not read the file.") from None
    return engine.read_file_bytes(data)


def latest_health(codes: list[Any], record: Any, today: str) -> dict[str, Any]:
    """The health result to decide on: the latest kept result (its share code), or, with none
    kept, the answers saved in this browser as a code of today. Empty when there is neither."""
    if not isinstance(codes, list):
        raise AnswerError(MALFORMED)
    day = _today(today)
    kept = read_history(codes)
    if kept.codes and kept.series is not None:
        latest = kept.series.points[-1]
        return {
            "code": kept.codes[-1],
            "source": f"your result of {latest.given.isoformat()}, kept in this browser",
        }
    answers = record.get("answers") if isinstance(record, Mapping) else None
    if not isinstance(answers, Mapping):
        return {}
    bank = load_bank()
    known = set(bank.question_ids)
    usable = {
        str(qid): level
        for qid, level in answers.items()
        if qid in known and (level is None or (type(level) is int and level in LEVELS))
    }
    if not usable:
        return {}
    perspective = record.get("perspective") if isinstance(record, Mapping) else ""
    relationship = perspective if perspective in {r.id for r in bank.relationships} else None
    try:
        code = encode(usable, bank, relationship=relationship, given=day)
    except AssessmentError:
        return {}
    return {"code": code, "source": "the answers saved in this browser, scored today"}
