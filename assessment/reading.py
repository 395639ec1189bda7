"""How long a reader takes to read and answer a set of questions: the times the pages state."""

from __future__ import annotations

import math
from collections.abc import Iterable

from .bank import Bank, Question
from .scoring import DONT_KNOW
from .text import number_text
from .web import SIDE_PROMPT

# Silent reading of English non-fiction by adults (Brysbaert, 2019, a meta-analysis of 190
# studies): the pace the stated times assume for every word on screen.
WORDS_PER_MINUTE = 238
# One tap per question: the guided form goes on to the next question by itself.
SECONDS_PER_ANSWER = 2


def words(text: str) -> int:
    """The number of words in a text, as a reader counts them (runs between spaces)."""
    return len(text.split())


def question_words(question: Question) -> int:
    """The words a reader reads to answer one question: its longest wording and every level."""
    wordings = [question.text, *(text for _, text in question.by_relationship)]
    return max(words(w) for w in wordings) + sum(words(level) for level in question.levels)


def answer_seconds(bank: Bank, questions: Iterable[Question]) -> float:
    """Seconds to read and answer the questions one at a time, side question first.

    The longest path counts: every question asked (none skipped), the longest wording of
    each. "Don't know" and the side question's answers are read once, as a reader learns them.
    """
    asked = list(questions)
    read = words(SIDE_PROMPT) + sum(words(r.label) for r in bank.relationships)
    read += words(DONT_KNOW) + sum(question_words(q) for q in asked)
    return read * 60 / WORDS_PER_MINUTE + SECONDS_PER_ANSWER * (len(asked) + 1)


def minutes_text(seconds: float) -> str:
    """'about three minutes': whole minutes, rounded up, in words up to ten."""
    minutes = max(1, math.ceil(seconds / 60))
    return f"about {number_text(minutes)} minute{'s' if minutes > 1 else ''}"


def quick_check_seconds(bank: Bank) -> float:
    """Seconds the quick check takes on its longest path (0 when the bank has no core question)."""
    core = bank.core_questions
    return answer_seconds(bank, core) if core else 0.0


def full_check_seconds(bank: Bank) -> float:
    """Seconds the full check takes on its longest path."""
    return answer_seconds(bank, bank.questions)
