"""The times the pages state: read from the bank's words (assessment/reading.py)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment import Bank
from assessment.bank import parse_bank
from assessment.reading import (
    SECONDS_PER_ANSWER,
    WORDS_PER_MINUTE,
    answer_seconds,
    full_check_seconds,
    minutes_text,
    question_words,
    quick_check_seconds,
)

# The promise for a phone: the quick check read and answered in under three minutes.
QUICK_CHECK_LIMIT_S = 180


@pytest.mark.content
def test_the_shipped_quick_check_takes_under_three_minutes(bank: Bank) -> None:
    """Every word of the longest path read at the stated pace, one tap per question."""
    assert quick_check_seconds(bank) < QUICK_CHECK_LIMIT_S


def test_the_quick_check_is_quicker_than_the_full_one(bank: Bank) -> None:
    assert 0 < quick_check_seconds(bank) < full_check_seconds(bank)


def test_every_word_and_every_answer_counts(bank: Bank, bank_data: dict[str, Any]) -> None:
    """Ten more words in one core level: ten more words' time; one more core question: its
    words and one more tap; the longest wording of a question is the one counted."""
    before = quick_check_seconds(bank)
    first = next(q for q in bank_data["questions"] if q.get("core"))
    first["levels"][2] += " one two three four five six seven eight nine ten"
    assert quick_check_seconds(parse_bank(bank_data)) == pytest.approx(
        before + 10 * 60 / WORDS_PER_MINUTE
    )
    extra = next(q for q in bank_data["questions"] if not q.get("core") and "asked_if" not in q)
    extra["core"] = True
    grown = parse_bank(bank_data)
    question = grown.question(extra["id"])
    assert quick_check_seconds(grown) == pytest.approx(
        before + (10 + question_words(question)) * 60 / WORDS_PER_MINUTE + SECONDS_PER_ANSWER
    )


def test_the_longest_wording_of_a_question_is_the_one_counted(
    bank: Bank, bank_data: dict[str, Any]
) -> None:
    raw = next(q for q in bank_data["questions"] if q.get("by_relationship"))
    before = question_words(bank.question(raw["id"]))
    side = next(iter(raw["by_relationship"]))
    longest = max(len(t.split()) for t in [raw["text"], *raw["by_relationship"].values()])
    raw["by_relationship"][side] = " ".join(["word"] * (longest + 7))
    assert question_words(parse_bank(bank_data).question(raw["id"])) == before + 7


def test_a_bank_without_core_questions_has_no_quick_check_time(bank_data: dict[str, Any]) -> None:
    for question in bank_data["questions"]:
        question.pop("core", None)
    assert quick_check_seconds(parse_bank(bank_data)) == 0


@given(st.floats(min_value=0, max_value=10_000))
def test_a_time_is_stated_in_whole_minutes_never_less_than_it_takes(seconds: float) -> None:
    text = minutes_text(seconds)
    assert text.startswith("about ")
    number = text.split()[1]
    words = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    minutes = words.index(number) + 1 if number in words else int(number)
    assert minutes * 60 >= seconds and (minutes - 1) * 60 < max(seconds, 1)
    assert text.endswith("minute" if minutes == 1 else "minutes")


def test_more_questions_never_take_less_time(bank: Bank) -> None:
    questions = list(bank.questions)
    times = [answer_seconds(bank, questions[:n]) for n in range(len(questions) + 1)]
    assert times == sorted(times) and len(set(times)) == len(times)


@pytest.mark.build
def test_the_pages_state_the_times_the_bank_gives(bank: Bank, built_site: Path) -> None:
    """The home page, the assessment's introduction and mode buttons, and the methodology say
    the computed times."""
    quick = minutes_text(quick_check_seconds(bank))
    full = minutes_text(full_check_seconds(bank))
    home = html.unescape((built_site / "index.html").read_text(encoding="utf-8"))
    assert f"Take the quick check, {quick}" in home
    assert f"the full check takes {full}" in home
    page = html.unescape((built_site / "assessment" / "index.html").read_text(encoding="utf-8"))
    assert f"takes {quick}; the full check" in page
    assert f"a first verdict in {quick}" in page
    assert f"questions, {full}, with a progress bar" in page
    method = html.unescape((built_site / "methodology" / "index.html").read_text(encoding="utf-8"))
    assert f"{quick} for the quick check and {full} for the full one" in method
