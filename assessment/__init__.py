"""The partnership self-assessment engine: pure standard-library Python.

The same files run in CPython (command line, build-time macros, tests) and in the browser
under Pyodide. Data flows one way: bank.toml -> load_bank() -> assess() -> renderers.
"""

from .bank import (
    Bank,
    Block,
    Dimension,
    Question,
    Relationship,
    Thresholds,
    Verdict,
    load_bank,
)
from .codec import Response, decode, decode_response, encode
from .errors import AnswerError, AssessmentError, BankError, CodeError
from .exports import answers_from_json, export_document, response_from_bytes, response_from_json
from .plan import to_plan_markdown
from .report import announcement, to_html, to_markdown, to_svg
from .scoring import Answers, DimensionResult, Result, Rule, assess, describe_rules

__all__ = [
    "AnswerError",
    "Answers",
    "AssessmentError",
    "Bank",
    "BankError",
    "Block",
    "CodeError",
    "Dimension",
    "DimensionResult",
    "Question",
    "Relationship",
    "Response",
    "Result",
    "Rule",
    "Thresholds",
    "Verdict",
    "announcement",
    "answers_from_json",
    "assess",
    "decode",
    "decode_response",
    "describe_rules",
    "encode",
    "export_document",
    "load_bank",
    "response_from_bytes",
    "response_from_json",
    "to_html",
    "to_markdown",
    "to_plan_markdown",
    "to_svg",
]
