"""mkdocs-macros module: renders pages from the assessment bank (the one source of truth).

Only pages with `render_macros: true` in their front matter are rendered (see mkdocs.yml).
The renderers live in macros/render.py as pure functions of the bank, so tests call them too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assessment import load_bank
from assessment.reading import full_check_seconds, minutes_text, quick_check_seconds
from assessment.rounds import MAX_ACTION_TEXT, MAX_NAME, MAX_OWNER

from . import decision, engine, planner, render
from . import exit as exit_macros
from . import team as team_macros

# The bank is read from the project being built, so an edited copy of the project
# builds with its own bank (and fails with that bank's error if it is malformed).
BANK_FILE = Path("assessment") / "bank.toml"


def define_env(env: Any) -> None:
    """Register the macros the pages use."""
    bank = load_bank(Path(env.project_dir) / BANK_FILE)

    def page_path() -> str:
        return str(env.page.file.src_uri)

    env.variables["bank_version"] = bank.version
    env.variables["question_count"] = len(bank.questions)
    env.variables["dimension_count"] = len(bank.dimensions)
    env.variables["core_count"] = len(bank.core_questions)
    # "about three minutes": read from the bank's own words (assessment/reading.py).
    env.variables["quick_time"] = minutes_text(quick_check_seconds(bank))
    env.variables["full_time"] = minutes_text(full_check_seconds(bank))
    # The most responses a team's result combines: no more people are expected from one side.
    env.variables["team_responses"] = bank.team.max_responses
    # The health check's form: the longest name and action texts the engine reads back.
    env.variables["round_name_chars"] = MAX_NAME
    env.variables["action_chars"] = MAX_ACTION_TEXT
    env.variables["owner_chars"] = MAX_OWNER
    # The shortest passphrase for a key's backup: the field's minlength, which round.js reads.
    env.variables["passphrase_chars"] = 12

    @env.macro  # type: ignore[untyped-decorator]
    def dimensions_list() -> str:
        """The scored dimensions as a bullet list with descriptions and playbook links."""
        return render.dimensions_list(bank, page_path())

    @env.macro  # type: ignore[untyped-decorator]
    def dimensions_table() -> str:
        """The scored dimensions with weight, question count and where to read."""
        return render.dimensions_table(bank, page_path())

    @env.macro  # type: ignore[untyped-decorator]
    def scoring_steps() -> str:
        """How answers become scores, with the bank's numbers."""
        return render.scoring_steps(bank)

    @env.macro  # type: ignore[untyped-decorator]
    def thresholds_table() -> str:
        """Every threshold of the bank, explained."""
        return render.thresholds_table(bank)

    @env.macro  # type: ignore[untyped-decorator]
    def verdict_rules() -> str:
        """The verdict rules in the order they are tried."""
        return render.verdict_rules(bank, page_path())

    @env.macro  # type: ignore[untyped-decorator]
    def restructure_reasoning() -> str:
        """Why the restructure rule reads as it does, test by test of the restructure page."""
        return render.restructure_reasoning(bank, page_path())

    @env.macro  # type: ignore[untyped-decorator]
    def question_catalogue() -> str:
        """Every question with its anchored levels, grouped by dimension and block."""
        return render.question_catalogue(bank, page_path())

    @env.macro  # type: ignore[untyped-decorator]
    def question_sources() -> str:
        """Each question with the practitioner idea it measures."""
        return render.question_sources(bank)

    @env.macro  # type: ignore[untyped-decorator]
    def sensitivity_table() -> str:
        """How often a fixed sample's verdict changes when the bank's numbers change."""
        return render.sensitivity_table(bank)

    @env.macro  # type: ignore[untyped-decorator]
    def quick_check() -> str:
        """The quick check's questions and how often it agrees with the full check."""
        return render.quick_check(bank, page_path())

    @env.macro  # type: ignore[untyped-decorator]
    def worked_examples() -> str:
        """The named scenarios scored by the engine, as worked examples."""
        return render.worked_examples(bank, page_path())

    @env.macro  # type: ignore[untyped-decorator]
    def python_engine() -> str:
        """The status of the page's Python engine (front matter `python:`), with its retry."""
        python = env.page.meta.get("python")
        if not isinstance(python, dict):
            where = env.page.file.src_uri
            raise ValueError(f"{where}: python_engine() needs 'python:' in its front matter")
        return engine.python_engine(python, bank.version)

    @env.macro  # type: ignore[untyped-decorator]
    def assessment_form() -> str:
        """The question form as plain HTML, fillable before Python has loaded."""
        return render.assessment_form(bank, page_path())

    @env.macro  # type: ignore[untyped-decorator]
    def exit_planner_form() -> str:
        """The exit planner's form as plain HTML, from the engine's table of its fields."""
        return planner.planner_form()

    @env.macro  # type: ignore[untyped-decorator]
    def decision_form() -> str:
        """The decision page's form as plain HTML, from the engine's table of its fields."""
        return decision.decision_form()

    @env.macro  # type: ignore[untyped-decorator]
    def decision_lead() -> str:
        """How long before the notice the exit planner dates its first step, in words."""
        return decision.lead_text()

    @env.macro  # type: ignore[untyped-decorator]
    def exit_calendar_choice() -> str:
        """What the planner's calendar file holds: key dates with reminders, or every step."""
        return planner.calendar_choice()

    # The exit checklist, the Go overview, the timeline and the date rules from exit_steps.toml.
    exit_macros.register(env)
    team_macros.register(env)
