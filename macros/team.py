"""The team rules on the methodology page, rendered from assessment/team.py and the bank."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from assessment import Bank, load_bank
from assessment.report import markdown_text
from assessment.scoring import VERDICT_LABELS
from assessment.team import GAP_LABELS, describe_team_rules, describe_team_scoring

BANK_FILE = Path("assessment") / "bank.toml"


def register(env: Any) -> None:
    """Register the team macro on a mkdocs-macros environment."""
    bank = load_bank(Path(env.project_dir) / BANK_FILE)

    @env.macro  # type: ignore[untyped-decorator]
    def team_rules() -> str:
        """How several responses are combined, the gap kinds and the team verdict rules."""
        return team_rules_markdown(bank, str(env.page.file.src_uri))


def team_rules_markdown(bank: Bank, page: str) -> str:
    """The team method as Markdown: combining steps, gap kinds, verdict rules, in order."""
    team = bank.team
    compare = posixpath.relpath("compare/index.md", posixpath.dirname(page) or ".")
    guide = posixpath.relpath("stay/health-check.md", posixpath.dirname(page) or ".")
    lines = [
        f"When several people answer (on the [compare page]({compare}) or with several "
        "`--code` and `--answers` on the command line), their responses are combined as "
        f"follows. How to run such a check: [a two-sided health check]({guide}).",
        "",
        *(f"{n}. {markdown_text(step)}" for n, step in enumerate(describe_team_scoring(bank), 1)),
        "",
        "| Gap kind | When |",
        "| --- | --- |",
        f"| {GAP_LABELS['divergent']} | two sides' scores are {team.divergent_points:g} points "
        "or more apart: one side sees health where the other sees trouble |",
        f"| {GAP_LABELS['agreed_strength']} | the sides are closer than that and every side "
        f"scores {team.strength_at:g} or more |",
        f"| {GAP_LABELS['agreed_weakness']} | the sides are closer than that and at least one "
        f"side scores below {team.strength_at:g} |",
        f"| {GAP_LABELS['one_side']} | only one side (or only respondents who did not say their "
        "side) answered enough of the dimension's questions |",
        "",
        "The team verdict rules are tried in this order; the first that applies gives the "
        "verdict. With a single respondent they give exactly the single assessment's verdict.",
        "",
        *(
            f"{n}. **{VERDICT_LABELS[rule.verdict]}** (rule `{rule.id}`): "
            f"{markdown_text(rule.text)}"
            for n, rule in enumerate(describe_team_rules(bank), start=1)
        ),
    ]
    return "\n".join(lines)
