"""Re-score a folder of exported answers: how an organisation checks the scoring on its cases."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .bank import Bank
from .editions import edition_note
from .errors import AnswerError, AssessmentError
from .exports import MAX_EXPORT_BYTES, response_from_bytes
from .scoring import NOT_ENOUGH_ANSWERS, assess, score_text
from .terminal import read_input


def rescore_line(path: Path, bank: Bank, note: Callable[[str], None] | None = None) -> str:
    """One file's line: its name, the verdict and the overall score, tab-separated. A file of
    an earlier edition of the questions is read by question id, and `note` told what changed."""
    try:
        raw = read_input(path, MAX_EXPORT_BYTES, "an answers file")
        response = response_from_bytes(raw, bank)
        result = assess(response.answers, bank)
    except AssessmentError as error:
        # One bad file does not hide the others: its line says what is wrong with it.
        return f"{path.name}\terror\t{error}"
    said = edition_note(response.bank_version, response.dropped, bank)
    if said and note is not None:
        note(f"{path.name}: {said}")
    overall = NOT_ENOUGH_ANSWERS if result.overall is None else score_text(result.overall)
    return f"{path.name}\t{result.verdict}\t{overall}"


def rescore_folder(
    folder: str,
    bank: Bank,
    write: Callable[[str], None],
    note: Callable[[str], None] | None = None,
) -> int:
    """Write one line per JSON file of the folder (name order); status 1 if any was refused.
    Files of earlier editions are read by question id; `note` is told what changed since."""
    where = Path(folder)
    if not where.is_dir():
        raise AnswerError(f"--rescore: {folder} is not a folder.")
    files = sorted(p for p in where.iterdir() if p.suffix.lower() == ".json" and p.is_file())
    if not files:
        raise AnswerError(f"--rescore: {folder} holds no .json file.")
    lines = [rescore_line(path, bank, note) for path in files]
    write("\n".join(lines) + "\n")
    return 1 if any(line.split("\t")[1] == "error" for line in lines) else 0
