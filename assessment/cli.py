"""The command line: an interactive questionnaire, or scoring of an answers file or share code."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from .bank import Bank, Question, load_bank
from .codec import decode, encode
from .errors import AnswerError, AssessmentError
from .exports import answers_from_json
from .report import VERDICT_LABELS, export_document, page_url, to_markdown
from .scoring import DONT_KNOW, Result, assess


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        bank = load_bank(args.bank)
        if args.answers is not None:
            answers = read_answers_file(args.answers, bank)
        elif args.code is not None:
            answers = decode(args.code, bank)
        else:
            # Prompts go to stderr so that stdout carries only the result (pipe-friendly).
            answers = questionnaire(bank, args.perspective, input_fn=_ask, out=sys.stderr)
        result = assess(answers, bank)
    except AssessmentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except (EOFError, KeyboardInterrupt):
        print("\nStopped before the end: nothing was scored.", file=sys.stderr)
        return 1
    print(render(result, answers, bank, args.format, args.base_url))
    return 0


def _ask(prompt: str) -> str:
    sys.stderr.write(prompt)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="partnership-assessment",
        description=(
            "Assess one business partnership: stay, repair or go. Without --answers or --code, "
            "asks the questions one by one."
        ),
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--answers", metavar="FILE", help="score a JSON answers file")
    source.add_argument("--code", metavar="CODE", help="score a share code")
    parser.add_argument(
        "--format", choices=("text", "json", "markdown"), default="text", help="output format"
    )
    parser.add_argument("--bank", metavar="FILE", help="use another question bank (TOML)")
    parser.add_argument(
        "--perspective",
        choices=("client", "provider", "peer"),
        help="the side you are on (interactive mode asks if not given)",
    )
    parser.add_argument(
        "--base-url", default="", metavar="URL", help="prefix for playbook links in the output"
    )
    return parser


def read_answers_file(path: str, bank: Bank) -> dict[str, int | None]:
    """Answers from a JSON file: a mapping of question ids to levels, or an exported result."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise AnswerError(f"{path}: cannot be read ({error.strerror}).") from None
    except UnicodeDecodeError:
        raise AnswerError(f"{path}: is not valid JSON (not UTF-8 text).") from None
    try:
        return answers_from_json(text, bank)
    except AnswerError as error:
        raise AnswerError(f"{path}: {error}") from None


def questionnaire(
    bank: Bank,
    perspective: str | None,
    input_fn: Callable[[str], str],
    out: TextIO,
) -> dict[str, int | None]:
    """Ask every question in the terminal; 'b' goes back, '?' or 0 is don't know."""
    write = out.write
    write(f"{bank.title}: {len(bank.questions)} questions, about ten minutes.\n")
    write("Answer 1-5 (the level that fits best), 0 or ? for don't know, b to go back.\n\n")
    if perspective is None:
        perspective = _ask_perspective(bank, input_fn, out)
    answers: dict[str, int | None] = {}
    index = 0
    while index < len(bank.questions):
        question = bank.questions[index]
        _show(question, index, bank, perspective, answers, out)
        reply = input_fn("> ").strip().lower()
        if reply == "b":
            index = max(index - 1, 0)
            continue
        if reply in {"0", "?"}:
            answers[question.id] = None
        elif reply in {"1", "2", "3", "4", "5"}:
            answers[question.id] = int(reply)
        elif reply == "" and question.id in answers:
            pass  # Enter keeps the answer given before going back.
        else:
            write("Please type a level 1-5, 0 or ? for don't know, or b to go back.\n")
            continue
        index += 1
    write("\n")
    return answers


def _ask_perspective(bank: Bank, input_fn: Callable[[str], str], out: TextIO) -> str | None:
    for number, perspective in enumerate(bank.perspectives, start=1):
        out.write(f"  {number}. {perspective.label}\n")
    while True:
        reply = input_fn("Which side are you on? (number, or Enter to skip) ").strip()
        if not reply:
            return None
        if reply.isdigit() and 1 <= int(reply) <= len(bank.perspectives):
            return bank.perspectives[int(reply) - 1].id
        out.write(f"Please type a number from 1 to {len(bank.perspectives)}.\n")


def _show(
    question: Question,
    index: int,
    bank: Bank,
    perspective: str | None,
    answers: dict[str, int | None],
    out: TextIO,
) -> None:
    out.write(f"\n[{index + 1}/{len(bank.questions)}] {bank.group_title(question.dimension)}\n")
    out.write(f"{question.text_for(perspective)}\n")
    for level, text in enumerate(question.levels, start=1):
        out.write(f"  {level}. {text}\n")
    out.write(f"  0. {DONT_KNOW}\n")
    if question.id in answers:
        given = answers[question.id]
        out.write(f"  (your answer: {0 if given is None else given}; Enter keeps it)\n")


def render(
    result: Result, answers: dict[str, int | None], bank: Bank, output: str, base_url: str
) -> str:
    """The result in one of the output formats."""
    if output == "json":
        return json.dumps(export_document(result, answers, encode(answers, bank)), indent=2)
    if output == "markdown":
        return to_markdown(result, base_url)
    return to_text(result, encode(answers, bank), base_url)


def to_text(result: Result, share_code: str, base_url: str = "") -> str:
    """A plain-text summary of a result for the terminal."""
    overall = "not enough answers" if result.overall is None else f"{result.overall:.0f} / 100"
    lines = [
        f"Verdict: {VERDICT_LABELS[result.verdict].upper()}: {result.verdict_title}",
        result.verdict_summary,
        "",
        f"Overall health: {overall}",
        "",
        "Why:",
        *(f"  - {reason}" for reason in result.reasons),
        f"  Rule: {result.rule.text}",
        "",
        "Dimensions:",
    ]
    for d in result.dimensions:
        score = "  -" if d.score is None else f"{d.score:3.0f}"
        note = "" if d.scored else "  not enough answers"
        lines.append(f"  {d.title:<22} {score}  ({d.answered}/{d.total} answered){note}")
    if result.weakest:
        lines += ["", "Start with:"]
        lines += [
            f"  - {d.title} ({d.score:.0f}): {page_url(d.playbook, base_url)}"
            for d in result.weakest
            if d.score is not None
        ]
    lines += ["", "Next steps:"]
    lines += [f"  {n}. {step}" for n, step in enumerate(result.next_steps, start=1)]
    lines += ["", f"Share code: {share_code}"]
    return "\n".join(_plain(line) for line in lines)


def _plain(line: str) -> str:
    # Bank texts are data: drop control characters so they cannot drive the terminal.
    return "".join(ch for ch in line if ch.isprintable() or ch == "\t")
