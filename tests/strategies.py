"""Hypothesis strategies for answers to the shipped bank."""

from __future__ import annotations

from hypothesis import strategies as st

from assessment import load_bank

BANK = load_bank()
QUESTION_IDS = BANK.question_ids
LEVEL = st.integers(min_value=1, max_value=5)
ANSWER = st.one_of(st.none(), LEVEL)

# Some questions unanswered, some "don't know", the rest levels 1-5.
answers = st.dictionaries(keys=st.sampled_from(QUESTION_IDS), values=ANSWER)
# Every question answered with a level: the densest case.
full_answers = st.fixed_dictionaries({qid: LEVEL for qid in QUESTION_IDS})
