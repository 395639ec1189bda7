"""Sealed replies found in any pasted text: wrapped, quoted, with words around (replies.py)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.replies import (
    REPLY_END,
    REPLY_START,
    BadReply,
    SealedReply,
    find_replies,
    reply_text,
)

round_ids = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=8, max_size=32)
bodies = st.text(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=400
)
# Words people write around a reply: anything but the start marker.
words = st.text(min_size=0, max_size=80).filter(lambda text: REPLY_START[:-1] not in text)


def wrapped(token: str, seed: int, quote: str) -> str:
    """`token` as a mail program sends it: hard line breaks anywhere, each line quoted."""
    rng = random.Random(seed)
    lines, at = [], 0
    while at < len(token):
        width = rng.randint(1, 76)
        lines.append(token[at : at + width])
        at += width
    return ("\n" + quote).join(lines)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(round_ids, bodies), min_size=1, max_size=4),
    st.lists(words, min_size=5, max_size=5),
    st.integers(0, 2**32),
    st.sampled_from(["", "> ", "> > ", "  ", ">"]),
)
def test_every_embedded_reply_is_found_however_it_was_wrapped(
    replies: list[tuple[str, str]], around: list[str], seed: int, quote: str
) -> None:
    """Replies among words, wrapped and quoted like an e-mail: each found, joined back whole."""
    parts = [around[0]]
    for index, (round_id, body) in enumerate(replies):
        parts += [" ", wrapped(reply_text(round_id, body), seed + index, quote), " "]
        parts.append(around[(index + 1) % len(around)])
    found, bad, _ = find_replies("".join(parts))
    assert bad == ()
    assert [(r.round, r.body) for r in found] == replies


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=2000), st.text(max_size=300))
def test_any_text_is_read_without_a_crash(before: str, after: str) -> None:
    """Whatever is pasted: found replies are well-formed, the rest is named, nothing raises."""
    found, bad, rest = find_replies(before + REPLY_START + after)
    for reply in found:
        assert isinstance(reply, SealedReply) and reply.body and reply.round
    for problem in bad:
        assert isinstance(problem, BadReply) and problem.error.endswith(".")
        assert len(problem.text) <= 80
    assert len(found) + len(bad) >= 1
    assert isinstance(rest, list)


def test_a_reply_cut_short_or_changed_is_named_and_the_others_kept() -> None:
    """A reply without its end, and one with a character no reply has: named, one by one."""
    good = reply_text("round0001", "AbC-_9")
    text = f"{good}\nHi! {REPLY_START}round0002.AAAA and more\n{REPLY_START}x.A{REPLY_END}"
    found, bad, _ = find_replies(text)
    assert [(r.number, r.round, r.body) for r in found] == [(1, "round0001", "AbC-_9")]
    assert [b.number for b in bad] == [2, 3]
    assert "cut short" in bad[0].error and "round is unreadable" in bad[1].error


def test_the_words_around_replies_are_left_for_the_other_readers() -> None:
    """What is not a reply comes back, in order, for the share-code reader."""
    text = f"Hi Sam, mine: {reply_text('round0001', 'AAAA')} and a code 2-2026.2-XYZ thanks"
    _, _, rest = find_replies(text)
    assert rest == ["Hi Sam, mine: ", " and a code 2-2026.2-XYZ thanks"]
    assert REPLY_END.startswith(".")
