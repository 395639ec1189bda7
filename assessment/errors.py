"""The engine's error types: one base class, one subclass per kind of bad input."""

from __future__ import annotations


class AssessmentError(ValueError):
    """Bad input to the assessment engine, with a message meant for a person."""


class DataError(AssessmentError):
    """A data file is malformed; the message names the file, the item and the field."""

    def __init__(self, source: str, where: str, field: str, problem: str) -> None:
        self.source = source
        self.where = where
        self.field = field
        self.problem = problem
        location = f"{where}, field '{field}'" if field else where
        super().__init__(f"{source}: {location}: {problem}")


class BankError(DataError):
    """The question bank is malformed (where: a dimension, a question, a table)."""


class StepsError(DataError):
    """The exit steps file is malformed (where: a step)."""


class AnswerError(AssessmentError):
    """An answer names an unknown question or a level out of range."""


class CodeError(AssessmentError):
    """A share code or saved state could not be read; nothing of it is used."""


class PlanError(AssessmentError):
    """An input to the exit planner is missing or unreadable; the message names the field."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")
