"""Text a person gave, or a bank says, shown back safely (a short excerpt, a plain line), and
numbers in words."""

from __future__ import annotations

# How much of what a person gave a message quotes back: enough to recognise it, never a flood.
EXCERPT_CHARS = 60
# Numbers in words, from zero: the ones agreements write (periods.py reads them) and pages say.
ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """At most `limit` characters of text (the last one '…' when cut), each unprintable one '?'."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in str(text))
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def plain(line: str) -> str:
    """A line for the terminal without control characters (tabs kept): bank texts are data."""
    return "".join(ch for ch in line if ch.isprintable() or ch == "\t")


def number_text(n: int) -> str:
    """A count as a page says it: in words from one to ten ('three'), in figures beyond."""
    return ONES[n] if 1 <= n <= 10 else str(n)
