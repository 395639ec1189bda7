"""From edition N to N+1 on the command line, as a site owner and a team would live it.

A copy of the package (tmp_path/assessment) is today's edition N. Codes, exports and a kept
history are made with it; then its bank.toml is edited as a person would (version raised, one
question removed, one added) and `python -m assessment lock` records the new edition. Every
thing made under N must still read under N+1, with a note of what changed. The questions and
their counts come from the shipped bank, whatever it holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from assessment import Bank, assess, encode, load_bank
from assessment.bank import SHIPPED_BANK
from assessment.editions import check_lock, edition_of, read_lock
from assessment.examples import scenario
from assessment.exports import export_document
from tests.conftest import build_site, copy_package, copy_project, run_copied_package
from tests.editions_kit import format_2_code, next_edition_text
from tests.strategies import FIRST_SIDE, LAST_SIDE, SECOND_SIDE

OLD = load_bank()


def export_file(folder: Path, name: str, answers: dict[str, int | None], day: date) -> Path:
    """An export of edition N, as the site's download or `--format json` writes it."""
    code = encode(answers, OLD, relationship=FIRST_SIDE, given=day)
    document = export_document(
        assess(answers, OLD), answers, code, relationship=FIRST_SIDE, given=day
    )
    path = folder / name
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Made:
    """What was made under edition N."""

    codes: tuple[str, ...]
    exports: Path
    removed: str
    added: str


def assert_note(stderr: str, removed: str, added: str) -> None:
    """The note on stderr: made with N, these are N+1, what was added and removed."""
    notes = [line for line in stderr.splitlines() if line.startswith("note: ")]
    assert notes, stderr
    for note in notes:
        assert f"Made with questions {OLD.version} (these are {OLD.version}.1)" in note
        assert f"1 question added since ({added})" in note
        assert f"1 question removed since ({removed})" in note


@pytest.fixture
def edition_n_plus_1(tmp_path: Path) -> tuple[Path, Made]:
    """Codes and exports of edition N, then the copy's bank raised to N+1 and locked."""
    bank_file = copy_package(tmp_path)
    healthy = scenario("healthy").answers(OLD)
    troubled = scenario("no_written_agreement").answers(OLD)
    codes = (
        encode(healthy, OLD, relationship=FIRST_SIDE, given=date(2026, 1, 5)),
        format_2_code(troubled, OLD, SECOND_SIDE, date(2026, 4, 5)),
        encode(
            troubled, OLD, relationship=LAST_SIDE, given=date(2026, 7, 5), organisation="partner"
        ),
    )
    exports = tmp_path / "exports"
    exports.mkdir()
    export_file(exports, "healthy.json", healthy, date(2026, 1, 5))
    export_file(exports, "troubled.json", troubled, date(2026, 2, 5))
    text, removed, added = next_edition_text(bank_file.read_text(encoding="utf-8"), OLD)
    bank_file.write_text(text, encoding="utf-8")
    # Not locked yet: the check the build and `check` run says what to do, in one line.
    raised = load_bank(bank_file)
    (problem,) = check_lock(raised, read_lock(bank_file.with_name("bank.lock.json")))
    assert "is not in" in problem and "python -m assessment lock" in problem
    done = run_copied_package(tmp_path, "lock")
    assert done.returncode == 0, done.stderr
    assert f"version {raised.version} ({len(raised.questions)} questions" in done.stdout
    return tmp_path, Made(codes, exports, removed, added)


def test_codes_exports_and_a_history_of_edition_n_read_under_edition_n_plus_1(
    edition_n_plus_1: tuple[Path, Made],
) -> None:
    """The whole passage: lock, codes (formats 2 and 3), a team, over time, --answers,
    --rescore and the kept history, each with the note of what changed."""
    root, made = edition_n_plus_1
    lock = read_lock(root / "assessment" / "bank.lock.json")
    new = load_bank(root / "assessment" / "bank.toml")
    assert edition_of(OLD) in lock.editions and edition_of(new) == lock.editions[-1]
    assert check_lock(new, lock) == []

    for code in made.codes:
        done = run_copied_package(root, "--code", code, "--format", "json")
        assert done.returncode == 0, done.stderr
        assert_note(done.stderr, made.removed, made.added)
        document = json.loads(done.stdout)
        assert document["bank_version"] == new.version
        assert made.removed not in document["answers"]
        assert document["share_code"].startswith(f"3-{new.version}-")

    team = run_copied_package(root, *(arg for code in made.codes for arg in ("--code", code)))
    assert team.returncode == 0, team.stderr
    assert "3 respondents" in team.stdout or "Respondents: 3" in team.stdout, team.stdout
    assert len([line for line in team.stderr.splitlines() if line.startswith("note: ")]) == 3

    series = run_copied_package(
        root, "--over-time", "--code", made.codes[0], "--code", made.codes[2]
    )
    assert series.returncode == 0, series.stderr

    single = run_copied_package(root, "--answers", str(made.exports / "healthy.json"))
    assert single.returncode == 0, single.stderr
    assert single.stdout.startswith("Verdict: ")
    assert_note(single.stderr, made.removed, made.added)

    rescored = run_copied_package(root, "--rescore", str(made.exports))
    assert rescored.returncode == 0, rescored.stderr
    lines = rescored.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["healthy.json", "troubled.json"]
    assert all(line.split("\t")[1] != "error" for line in lines), lines
    assert_note(rescored.stderr, made.removed, made.added)

    # The kept history (the assessment page's endpoint), read by the copied engine.
    # The pages' endpoints, run by the copied engine: the kept history, a link opened on the
    # assessment page, one's own answers saved under N added on the compare page.
    saved = {made.removed: 2, new.question_ids[0]: 4}
    mine = {"bank_version": OLD.version, "perspective": "", "answers": saved}
    script = (
        "import json\n"
        "from assessment import assessment_page, team_page\n"
        f"print(json.dumps([assessment_page.history({list(made.codes)!r}),\n"
        f"  assessment_page.open_code({made.codes[1]!r}), team_page.mine({mine!r})]))\n"
    )
    done = run_copied_package(root, script=script)
    assert done.returncode == 0, done.stderr
    history, opened, own = json.loads(done.stdout)
    assert sorted(history["codes"]) == sorted(made.codes)  # all kept, none dropped
    assert history["dropped"] == 0 and history["unreadable"] == 0
    assert history["html"].count(f"(made with questions {OLD.version})") == 3
    assert made.removed not in opened["answers"] and opened["bank_version"] == OLD.version
    assert f"1 question added since ({made.added})" in opened["note"]
    assert own["bank_version"] == OLD.version and made.removed in own["note"]


def test_lock_refuses_changed_questions_under_a_locked_version(
    edition_n_plus_1: tuple[Path, Made],
) -> None:
    """An edit to N+1's questions without raising its version: `lock` refuses in one line and
    leaves the lock as it was; locking an unchanged bank again changes nothing."""
    root, made = edition_n_plus_1
    bank_file = root / "assessment" / "bank.toml"
    lock_file = bank_file.with_name("bank.lock.json")
    before = lock_file.read_bytes()
    again = run_copied_package(root, "lock")
    assert again.returncode == 0 and "already locked: nothing to do" in again.stdout
    new = load_bank(bank_file)
    text = bank_file.read_text(encoding="utf-8")
    renamed = text.replace(f'id = "{made.added}"', f'id = "{made.added}_renamed"', 1)
    bank_file.write_text(renamed, encoding="utf-8")
    done = run_copied_package(root, "lock")
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert f"{new.version} is already locked with other questions" in done.stderr
    assert lock_file.read_bytes() == before


def test_lock_of_another_bank_writes_beside_it(tmp_path: Path, bank: Bank) -> None:
    """`lock --bank ours.toml` writes ours.lock.json beside it; a bad bank is one line."""
    ours = tmp_path / "ours.toml"
    ours.write_bytes(SHIPPED_BANK.read_bytes())
    done = run_copied_package(tmp_path, "lock", "--bank", str(ours))
    assert done.returncode == 0, done.stderr
    assert read_lock(tmp_path / "ours.lock.json").editions == (edition_of(bank),)
    (tmp_path / "broken.toml").write_text("version = ", encoding="utf-8")
    broken = run_copied_package(tmp_path, "lock", "--bank", str(tmp_path / "broken.toml"))
    assert broken.returncode == 1 and len(broken.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "broken.lock.json").exists()


@pytest.mark.build
@pytest.mark.parametrize("edit", ["version raised, not locked", "questions changed, same version"])
def test_the_build_stops_in_one_line_on_an_unlocked_edition(tmp_path: Path, edit: str) -> None:
    """`mkdocs build` of a copy whose bank is not locked as it is: one line saying what to do."""
    project = copy_project(tmp_path / "project")
    bank_file = project / "assessment" / "bank.toml"
    text, _, _ = next_edition_text(bank_file.read_text(encoding="utf-8"), OLD)
    if edit.startswith("questions"):
        text = text.replace(f'version = "{OLD.version}.1"', f'version = "{OLD.version}"', 1)
    bank_file.write_text(text, encoding="utf-8")
    done = build_site(tmp_path / "out", project=project)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1, done.stderr
    if edit.startswith("version"):
        assert f"version {OLD.version}.1 is not in" in errors[0]
        assert "run python -m assessment lock" in errors[0]
    else:
        assert f"changed but version {OLD.version} did not: raise version" in errors[0]
