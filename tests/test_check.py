"""python -m assessment check: the bank as the build checks it, one line per problem.

Each problem is found in the shipped bank changed one way (or in a project copied with a page
changed), so the tests follow whatever the bank and the pages hold.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from assessment import Bank, load_bank
from assessment.bank import SHIPPED_BANK, parse_bank
from assessment.check import (
    BANK_CHECKS,
    Project,
    check_bank,
    check_lock_file,
    check_steps,
    expected_prefix,
    find_docs,
    page_ids,
    run,
    slugify,
)
from assessment.colours import BACKGROUNDS, GRAPHIC_CONTRAST, RELATIONSHIP_COLOURS, contrast
from assessment.editions import lock_path
from assessment.exit_steps import SHIPPED_STEPS, load_steps
from assessment.team_report import MARKER_SHAPES
from tests.conftest import run_cli

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"


def checked(data: dict[str, Any], docs: Path | None = DOCS) -> list[str]:
    """The problems the check finds in bank data, its links checked against `docs`."""
    return check_bank(parse_bank(data, "ours/bank.toml"), Project(None, docs))


def copy_bank_project(destination: Path) -> Path:
    """What the check reads of a project: the package, the pages and mkdocs.yml."""
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(REPO / "assessment", destination / "assessment", ignore=ignore)
    shutil.copytree(DOCS, destination / "docs", ignore=ignore)
    shutil.copy2(REPO / "mkdocs.yml", destination / "mkdocs.yml")
    return destination


# -- The shipped project ------------------------------------------------------------------------


def test_the_shipped_bank_and_steps_pass(bank: Bank) -> None:
    """The shipped bank, the exit steps beside it and their links: no problem, nothing left
    unchecked."""
    outcome = run()
    assert outcome.ok, outcome.problems
    assert outcome.notes == ()
    assert any(str(SHIPPED_STEPS) in line for line in outcome.checked)
    assert find_docs(SHIPPED_BANK) == (DOCS, "")


def test_the_command_says_what_it_checked() -> None:
    """`python -m assessment check`: status 0, and one line saying what was checked."""
    done = run_cli("check")
    assert done.returncode == 0, done.stderr
    assert "checked, no problem found" in done.stdout and str(DOCS) in done.stdout


# -- Links into the playbook --------------------------------------------------------------------


def test_a_link_to_a_missing_page_is_a_problem(bank_data: dict[str, Any]) -> None:
    """A dimension pointing at a page that does not exist: its id and the field, once."""
    dimension = bank_data["dimensions"][0]
    dimension["playbook"] = "stay/no-such-page.md#anything"
    problems = checked(bank_data)
    assert len(problems) == 1
    assert problems[0].startswith(f"ours/bank.toml: dimension '{dimension['id']}', ")
    assert "field 'playbook'" in problems[0] and "'stay/no-such-page.md'" in problems[0]


def test_a_link_to_a_missing_anchor_is_a_problem(bank_data: dict[str, Any]) -> None:
    """A verdict pointing at an id its page does not have: named, with ids the page has."""
    verdict = bank_data["verdicts"][0]
    page = verdict["playbook"].partition("#")[0]
    verdict["playbook"] = f"{page}#no-such-heading"
    (found,) = checked(bank_data)
    assert f"verdict '{verdict['id']}', field 'playbook'" in found
    assert "'no-such-heading'" in found
    anchors = page_ids((DOCS / page).read_text(encoding="utf-8"))
    assert any(anchor in found for anchor in anchors)


def test_every_kind_of_link_is_checked(bank_data: dict[str, Any]) -> None:
    """Dimensions, blocks and verdicts alike."""
    for kind in ("dimensions", "blocks", "verdicts"):
        for item in bank_data[kind]:
            item["playbook"] = "nowhere.md"
    problems = checked(bank_data)
    expected = sum(len(bank_data[kind]) for kind in ("dimensions", "blocks", "verdicts"))
    assert len(problems) == expected


def test_a_broken_link_fails_the_command_and_its_help(tmp_path: Path) -> None:
    """In a copy of the project whose bank links to a page that is not there, `check` and
    `--help` (which used to say "no problem found") both fail with the one line."""
    project = copy_bank_project(tmp_path / "project")
    bank_file = project / "assessment" / "bank.toml"
    data = parse_bank_file(bank_file)
    link = data.dimensions[0].playbook
    text = bank_file.read_text(encoding="utf-8")
    bank_file.write_text(
        text.replace(f'playbook = "{link}"', 'playbook = "stay/gone.md"', 1), encoding="utf-8"
    )
    for args in (("check",), ("--help",), ("check", "--bank", str(bank_file))):
        done = run_cli(*args, cwd=project)
        assert done.returncode == 1, (args, done.stdout)
        assert "no problem found" not in done.stdout
        errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
        assert len(errors) == 1, done.stderr
        assert f"dimension '{data.dimensions[0].id}', field 'playbook'" in errors[0]
        assert str(bank_file) in errors[0] and "Traceback" not in done.stderr


def parse_bank_file(path: Path) -> Bank:
    from assessment import load_bank

    return load_bank(path)


def test_a_bank_outside_a_project_says_its_links_are_not_checked(tmp_path: Path) -> None:
    """No mkdocs.yml above the bank: the links cannot be checked, and the check says so."""
    ours = tmp_path / "ours.toml"
    shutil.copy2(SHIPPED_BANK, ours)
    shutil.copy2(lock_path(SHIPPED_BANK), lock_path(ours))  # a bank travels with its lock
    done = run_cli("check", "--bank", str(ours))
    assert done.returncode == 0, done.stderr
    assert "links not checked" in done.stdout and "--docs" in done.stdout
    named = run_cli("check", "--bank", str(ours), "--docs", str(DOCS))
    assert named.returncode == 0 and "links not checked" not in named.stdout
    assert str(DOCS) in named.stdout


def test_the_closing_line_says_the_links_were_not_checked(tmp_path: Path) -> None:
    """Outside a project, "no problem found" alone would read as the links being fine: the
    closing line itself says they were not checked (the note above it says why)."""
    ours = tmp_path / "ours.toml"
    shutil.copy2(SHIPPED_BANK, ours)
    shutil.copy2(lock_path(SHIPPED_BANK), lock_path(ours))
    done = run_cli("check", "--bank", str(ours))
    assert done.returncode == 0, done.stderr
    closing = done.stdout.strip().splitlines()[-1]
    assert closing.endswith(": checked, no problem found (links not checked: no docs folder).")
    assert str(ours) in closing and "links into" not in closing
    assert run(ours).unchecked == "no docs folder"
    inside = run_cli("check")
    assert inside.returncode == 0, inside.stderr
    assert inside.stdout.strip().endswith(": checked, no problem found.")
    assert "not checked" not in inside.stdout
    assert run(ours, DOCS).unchecked == ""


def test_docs_dir_is_read_from_mkdocs_yml(tmp_path: Path) -> None:
    """A project whose mkdocs.yml names another docs_dir, directly or through INHERIT."""
    package = tmp_path / "project" / "assessment"
    package.mkdir(parents=True)
    (tmp_path / "project" / "pages").mkdir()
    (tmp_path / "project" / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: Ours\n")
    (tmp_path / "project" / "base.yml").write_text("docs_dir: pages\n")
    assert find_docs(package / "bank.toml") == ((tmp_path / "project" / "pages").resolve(), "")


# -- How MkDocs names a page's headings ---------------------------------------------------------


def test_page_ids_follow_mkdocs_toc() -> None:
    """Slugs as the toc extension makes them, attribute-list ids, HTML ids, repeats made
    unique; nothing from front matter or fenced code."""
    page = "\n".join(
        [
            "---",
            "title: Front matter # not a heading",
            "---",
            "# The *big* picture: `bank_version` & [links](x.md)",
            "## Value creation { #value-creation }",
            "## Where next",
            "## Where next",
            "```markdown",
            "## Not a heading",
            "```",
            "Setext heading",
            "--------------",
            '<div id="raw-html"></div>',
            "A paragraph.",
            "{ #para-id }",
            "### Café société",
        ]
    )
    ids = page_ids(page)
    assert ids == {
        "the-big-picture-bank_version-links",
        "value-creation",
        "where-next",
        "where-next_1",
        "setext-heading",
        "raw-html",
        "para-id",
        "cafe-societe",
    }
    assert slugify("What “blameless” means") == "what-blameless-means"


# -- The bank's own rules -----------------------------------------------------------------------


def test_each_dimension_needs_a_reverse_and_a_plain_question(bank_data: dict[str, Any]) -> None:
    """No reverse-scored question in a dimension, or only reverse-scored ones: both named."""
    first, second = bank_data["dimensions"][0]["id"], bank_data["dimensions"][1]["id"]
    for question in bank_data["questions"]:
        if question["dimension"] == first:
            question.pop("reverse", None)
        if question["dimension"] == second:
            question["reverse"] = True
    problems = checked(bank_data)
    assert len(problems) == 2
    assert f"dimension '{first}', field 'reverse': none of its" in problems[0]
    assert f"dimension '{second}', field 'reverse': all of its" in problems[1]


def test_with_a_quick_check_each_dimension_needs_a_core_question(
    bank_data: dict[str, Any],
) -> None:
    """A dimension none of whose questions is core (a company's new one, say) would be left out
    of the quick check's scores: named, with the field and what to do."""
    dimension = bank_data["dimensions"][-1]["id"]
    mine = [q for q in bank_data["questions"] if q["dimension"] == dimension]
    for question in mine:
        question.pop("core", None)
    (found,) = checked(bank_data)
    assert found.startswith(f"ours/bank.toml: dimension '{dimension}', field 'core': ")
    assert "core = true" in found and mine[0]["id"] in found
    mine[-1]["core"] = True
    assert checked(bank_data) == []


def test_a_bank_without_a_quick_check_needs_no_core_question(bank_data: dict[str, Any]) -> None:
    """No question core at all: the bank has no quick check, and nothing to ask of it."""
    for question in bank_data["questions"]:
        question.pop("core", None)
    assert checked(bank_data) == []


def test_question_ids_carry_their_dimension_s_prefix(bank_data: dict[str, Any]) -> None:
    """A question moved to another dimension keeps its old prefix: named, with the prefix (one
    neither reverse-scored nor core, which its dimension needs of another of its questions)."""
    dimensions = [d["id"] for d in bank_data["dimensions"]]
    moved = next(
        q
        for q in bank_data["questions"]
        if q["dimension"] == dimensions[0] and not q.get("reverse") and not q.get("core")
    )
    moved["dimension"] = dimensions[1]
    (found,) = checked(bank_data)
    assert f"question '{moved['id']}', field 'id'" in found
    assert f"'{expected_prefix(dimensions[1])}_'" in found


def test_two_dimensions_may_not_share_a_prefix(bank_data: dict[str, Any]) -> None:
    """A new dimension whose questions use another dimension's prefix."""
    taken = bank_data["questions"][0]["id"].split("_")[0]
    bank_data["dimensions"].append(
        {**bank_data["dimensions"][0], "id": "trust_level", "title": "Trust"}
    )
    template = next(q for q in bank_data["questions"] if q.get("reverse"))
    for number, reverse in enumerate((True, False)):
        bank_data["questions"].append(
            {**template, "id": f"{taken}_trust{number}", "dimension": "trust_level",
             "reverse": reverse, "by_relationship": {}}
        )  # fmt: skip
    problems = checked(bank_data)
    assert any("dimension 'trust_level', field 'id'" in p and f"'{taken}_'" in p for p in problems)


def test_banks_that_chose_other_prefixes_keep_them(bank_data: dict[str, Any]) -> None:
    """Prefixes are the convention's, or what a dimension's questions agree on."""
    group = bank_data["dimensions"][0]["id"]
    for question in bank_data["questions"]:
        if question["dimension"] == group:
            question["id"] = "zz_" + question["id"].split("_", 1)[1]
    assert checked(bank_data) == []


# -- What the site shows a relationship with ----------------------------------------------------


def test_default_chart_colours_pass_on_both_schemes() -> None:
    """The colours given by position are readable on the light and the dark page alike."""
    for colour in RELATIONSHIP_COLOURS:
        for background in BACKGROUNDS.values():
            assert contrast(colour, background) >= GRAPHIC_CONTRAST, (colour, background)
    assert len(set(RELATIONSHIP_COLOURS)) == len(RELATIONSHIP_COLOURS) >= len(MARKER_SHAPES)


def test_a_relationship_needs_a_readable_colour_of_its_own(bank_data: dict[str, Any]) -> None:
    """Too pale for the light page, too dark for the dark one, or another's: each named."""
    first, second, *_ = bank_data["relationships"]
    first["colour"] = "#ffeeaa"
    problems = checked(bank_data)
    assert len(problems) == 1
    assert f"relationship '{first['id']}', field 'colour'" in problems[0]
    assert "light background" in problems[0]
    first["colour"] = "#202020"
    assert "dark background" in checked(bank_data)[0]
    first["colour"] = second["colour"] = "#2e8b57"
    (found,) = checked(bank_data)
    assert f"relationship '{second['id']}', field 'colour'" in found


def test_a_relationship_needs_its_own_name(bank_data: dict[str, Any]) -> None:
    """Two sides called the same, or one called what respondents without a side are called."""
    first, second, *_ = bank_data["relationships"]
    first["name"] = "Side not said"
    second["name"] = second["label"] = "Partner"
    bank_data["relationships"][0]["label"] = "Partner"
    problems = checked(bank_data)
    assert any(f"relationship '{first['id']}', field 'name'" in p for p in problems)
    assert any(f"relationship '{second['id']}', field 'label'" in p for p in problems)


def test_more_relationships_than_markers_is_a_problem(bank_data: dict[str, Any]) -> None:
    """The chart tells relationships apart by shape: one more than there are shapes is named."""
    bank_data["relationships"] = [
        {"id": f"side_{n}", "label": f"We are side {n}", "colour": colour}
        for n, colour in enumerate([*RELATIONSHIP_COLOURS, "#1b8a80"][: len(MARKER_SHAPES) + 1])
    ]
    for question in bank_data["questions"]:
        question.pop("by_relationship", None)
    (found,) = checked(bank_data)
    assert f"relationship 'side_{len(MARKER_SHAPES)}', field 'id'" in found


# -- The exit steps ------------------------------------------------------------------------------


def test_a_step_linking_nowhere_is_named() -> None:
    """An exit step's link is checked like the bank's: the step's id, the field 'link'."""
    steps = list(load_steps())
    from dataclasses import replace

    steps[2] = replace(steps[2], link="go/transition.md#not-there")
    (found,) = check_steps(steps, "ours/exit_steps.toml", Project(None, DOCS))
    assert found.startswith(f"ours/exit_steps.toml: step '{steps[2].id}', field 'link'")


def test_an_anchor_on_a_page_macros_write_is_left_to_the_build() -> None:
    """A page rendered by macros may get ids from them, which a reading of its Markdown cannot
    see: an unknown anchor there is not a problem here (MkDocs' strict validation checks it)."""
    macro_page = next(
        p for p in sorted(DOCS.rglob("*.md")) if "render_macros: true" in p.read_text()
    )
    link = f"{macro_page.relative_to(DOCS).as_posix()}#made-by-a-macro"
    assert Project(None, DOCS).link_problem(link) is None


# -- The lock file -------------------------------------------------------------------------------


def test_the_lock_file_is_checked_with_the_bank(tmp_path: Path) -> None:
    """A raised version not yet locked, questions changed under a locked version, and a lock
    file that cannot be read are each one line from `check`; `lock` then settles the first."""
    project = copy_bank_project(tmp_path / "project")
    bank_file = project / "assessment" / "bank.toml"
    lock_file = lock_path(bank_file)
    version = load_bank(bank_file).version
    text = bank_file.read_text(encoding="utf-8")
    raised = text.replace(f'version = "{version}"', 'version = "acme.1"', 1)
    assert raised != text
    bank_file.write_text(raised, encoding="utf-8")
    done = run_cli("check", cwd=project)
    assert done.returncode == 1
    assert "version acme.1 is not in" in done.stderr and "lock" in done.stderr
    assert run_cli("lock", cwd=project).returncode == 0
    assert run_cli("check", cwd=project).returncode == 0
    # The same version, one question more: the codes already made would be misread.
    lines = raised.splitlines(keepends=True)
    begin = lines.index("[[questions]]\n")
    end = next(i for i in range(begin + 1, len(lines)) if lines[i].startswith("["))
    first = load_bank(bank_file).question_ids[0]
    added = "".join(lines[begin:end]).replace(f'id = "{first}"', f'id = "{first}_more"')
    assert f"{first}_more" in added
    bank_file.write_text(raised + "\n" + added, encoding="utf-8")
    done = run_cli("check", cwd=project)
    assert done.returncode == 1 and "did not: raise version" in done.stderr, done.stderr
    lock_file.write_text("{not json", encoding="utf-8")
    done = run_cli("check", cwd=project)
    assert done.returncode == 1 and str(lock_file) in done.stderr
    assert "Traceback" not in done.stderr
    assert check_lock_file in BANK_CHECKS
