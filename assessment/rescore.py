"""Re-score a folder of exported answers: how an organisation checks the scoring on its cases."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .bank import Bank
from .errors import AnswerError, AssessmentError
from .exports import MAX_EXPORT_BYTES, response_from_bytes
from .scoring import NOT_ENOUGH_ANSWERS, assess, score_text
from .terminal import read_input


def rescore_line(path: Path, bank: Bank) -> str:
    """One file's line: its name, the verdict and the overall score, tab-separated."""
    try:
        raw = read_input(path, MAX_EXPORT_BYTES, "an answers file")
        result = assess(response_from_bytes(raw, bank).answers, bank)
    except AssessmentError as error:
        # One bad file does not hide the others: its line says what is wrong with it.
        return f"{path.name}\terror\t{error}"
    overall = NOT_ENOUGH_ANSWERS if result.overall is None else score_text(result.overall)
    return f"{path.name}\t{result.verdict}\t{overall}"


def rescore_folder(folder: str, bank: Bank, write: Callable[[str], None]) -> int:
    """Write one line per JSON file of the folder (name order); status 1 if any was refused."""
    where = Path(folder)
    if not where.is_dir():
        raise AnswerError(f"--rescore: {folder} is not a folder.")
    files = sorted(p for p in where.iterdir() if p.suffix.lower() == ".json" and p.is_file())
    if not files:
        raise AnswerError(f"--rescore: {folder} holds no .json file.")
    lines = [rescore_line(path, bank) for path in files]
    write("\n".join(lines) + "\n")
    return 1 if any(line.split("\t")[1] == "error" for line in lines) else 0
