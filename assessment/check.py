"""One check of a question bank: everything the site's build would stop on, before the build.

``python -m assessment check [--bank FILE] [--docs FOLDER]`` and the build (hooks/checks.py)
run the same checks, in BANK_CHECKS:

- the bank loads (bank.py's validation: every field of every item);
- every dimension's, block's and verdict's playbook link names a page under docs/, and its
  ``#anchor`` is an id on that page (a heading's id as MkDocs' toc extension makes it, or one
  given with an attribute list, ``{ #id }``, or in HTML);
- every scored dimension has a reverse-scored question and one that is not;
- when the bank has a quick check (questions marked ``core = true``), every scored dimension
  has a core question, so that the quick check scores it too;
- every question's id starts with its dimension's prefix, and no two dimensions share one;
- every relationship has what the site shows it with: a name, and a chart colour readable on
  both colour schemes, different from the others;
- the lock file, beside the bank (assessment/editions.py's check_lock: its one call site is
  marked below);

and, for the exit steps file beside the bank, that it loads and that its links resolve too.

The docs folder is the project's: the folder above the bank's own (the package), where
mkdocs.yml is. A bank outside a project has none: its links are then not checked, and the
check says so, in a note and in its closing line (``--docs FOLDER`` names one). Each problem is
one line naming the file, the item's id and the field.
"""

from __future__ import annotations

import html
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .bank import SHIPPED_BANK, Bank, load_bank
from .colours import NOT_SAID_COLOUR, chart_contrast_problem
from .editions import LockError, check_lock, lock_path, read_lock
from .errors import AssessmentError, DataError
from .exit_steps import ExitStep, load_steps

STEPS_FILE = "exit_steps.toml"
CONFIG_FILE = "mkdocs.yml"
DEFAULT_DOCS = "docs"


def problem(source: str, where: str, field_name: str, text: str) -> str:
    """One problem, worded as the engine's data errors are: file, item, field, what is wrong."""
    return str(DataError(source, where, field_name, text))


# -- Where the pages are -------------------------------------------------------------------


def find_docs(bank_file: Path) -> tuple[Path | None, str]:
    """The docs folder of the project a bank belongs to, or None and why there is none.

    The project is the folder above the bank's own (assessment/bank.toml -> the project) when
    it has a mkdocs.yml; its docs_dir (default docs), followed through INHERIT, is the folder.
    """
    project = bank_file.resolve().parent.parent
    config = project / CONFIG_FILE
    if not config.is_file():
        return None, f"no {CONFIG_FILE} in {project}: the bank is not in a project's package"
    docs = project / _docs_dir(config)
    if not docs.is_dir():
        return None, f"no docs folder at {docs}"
    return docs, ""


def _docs_dir(config: Path, depth: int = 0) -> str:
    """mkdocs.yml's docs_dir, read as a line (no YAML parser in the standard library)."""
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return DEFAULT_DOCS
    found = re.search(r"""^docs_dir:\s*["']?([^"'#\s]+)""", text, re.MULTILINE)
    if found:
        return found.group(1)
    inherited = re.search(r"""^INHERIT:\s*["']?([^"'#\s]+)""", text, re.MULTILINE)
    if inherited and depth < 5:
        parent = config.parent / inherited.group(1)
        # docs_dir in a parent file is relative to that file's folder.
        return os.path.relpath(parent.parent / _docs_dir(parent, depth + 1), config.parent)
    return DEFAULT_DOCS


# -- A page's ids --------------------------------------------------------------------------

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_ATX = re.compile(r"^\s{0,12}(#{1,6})\s+(.*?)\s*$")
_ATTR_LIST = re.compile(r"\{:?\s*([^{}]*)\}\s*$")
_ATTR_ID = re.compile(r"(?:^|\s)#([\w-]+)")
_ANY_ATTR_LIST = re.compile(r"\{:?\s*([^{}\n]*#[\w-]+[^{}\n]*)\}")
_HTML_ID = re.compile(r"""<[a-zA-Z][^>]*?\s(?:id|name)\s*=\s*["']([^"']+)["']""")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MACRO_PAGE = re.compile(r"^render_macros:\s*true\s*$", re.MULTILINE)


def slugify(text: str, separator: str = "-") -> str:
    """The id Python-Markdown's toc extension gives a heading (its default slugify)."""
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(rf"[{separator}\s]+", separator, value)


def _heading_text(markdown: str) -> str:
    """A heading's text as the toc extension sees it: rendered, without its markup."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)  # links and images
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML
    text = text.replace("`", "").replace("*", "")
    text = re.sub(r"(?<!\w)_+|_+(?!\w)", "", text)  # _emphasis_, not snake_case
    return html.unescape(text)


def _unique(slug: str, used: set[str]) -> str:
    """toc's rule for a repeated id: the second 'x' becomes 'x_1', and so on."""
    while slug in used or not slug:
        numbered = re.match(r"^(.*)_([0-9]+)$", slug)
        slug = f"{numbered.group(1)}_{int(numbered.group(2)) + 1}" if numbered else f"{slug}_1"
    return slug


def _body(text: str) -> str:
    """A page without its front matter."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[end + 5 :]
    return text


def page_ids(text: str) -> set[str]:
    """Every id a Markdown page's HTML will have that a link's #anchor can name: headings'
    (their attribute list's id, or their text slugified as MkDocs does, made unique), attribute
    lists' elsewhere and raw HTML's. Text in fenced code blocks is not read."""
    headings: list[tuple[str, str | None]] = []  # (text, given id)
    given: set[str] = set()
    fence: str | None = None
    previous = ""
    for line in _body(text).splitlines():
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            previous = ""
            continue
        if opened:
            fence = opened.group(1)
            previous = ""
            continue
        given.update(_HTML_ID.findall(line))
        for attributes in _ANY_ATTR_LIST.findall(line):
            given.update(_ATTR_ID.findall(attributes))
        atx = _ATX.match(line)
        setext = _SETEXT.match(line)
        if atx:
            headings.append(_split_heading(atx.group(2).rstrip("#").rstrip()))
        elif setext and previous.strip() and not _ATX.match(previous):
            headings.append(_split_heading(previous.strip()))
        previous = line
    used = set(given)
    for heading, attribute_id in headings:
        if attribute_id is None:
            used.add(_unique(slugify(_heading_text(heading)), used))
    return used


def _split_heading(text: str) -> tuple[str, str | None]:
    attributes = _ATTR_LIST.search(text)
    if attributes is None:
        return text, None
    ids = _ATTR_ID.findall(attributes.group(1))
    return text[: attributes.start()].rstrip(), (ids[-1] if ids else None)


# -- The project being checked ---------------------------------------------------------------


@dataclass
class Project:
    """What the checks look at besides the bank: its file, and the pages its links point at."""

    bank_file: Path | None
    docs: Path | None
    _ids: dict[str, tuple[set[str], bool]] = field(default_factory=dict)

    def link_problem(self, link: str) -> str | None:
        """Why a docs-relative link ('stay/reset.md#reset') does not resolve, or None."""
        if self.docs is None:
            return None
        page, _, anchor = link.partition("#")
        target = self.docs / page
        if not target.is_file():
            return f"the page '{page}' is not in {self.docs.name}/"
        if not anchor:
            return None
        ids, rendered_by_macros = self._page(page, target)
        if anchor in ids or rendered_by_macros:
            # A page rendered by macros may get the id from them: the build's own strict link
            # validation checks that one.
            return None
        near = sorted(ids, key=lambda known: (not known.startswith(anchor[:3]), known))[:6]
        return (
            f"the page '{page}' has no heading or element with the id '{anchor}' "
            f"(some of its ids: {', '.join(near) or 'none'})"
        )

    def _page(self, page: str, target: Path) -> tuple[set[str], bool]:
        if page not in self._ids:
            text = target.read_text(encoding="utf-8", errors="replace")
            macros = bool(_MACRO_PAGE.search(text[:2000])) and "{{" in text
            self._ids[page] = (page_ids(text), macros)
        return self._ids[page]


# -- The checks --------------------------------------------------------------------------------

BankCheck = Callable[[Bank, Project], list[str]]


def check_links(bank: Bank, project: Project) -> list[str]:
    """Each dimension's, block's and verdict's playbook page exists, with its anchor."""
    items = [
        *((f"dimension '{d.id}'", d.playbook) for d in bank.dimensions),
        *((f"block '{b.id}'", b.playbook) for b in bank.blocks),
        *((f"verdict '{v.id}'", v.playbook) for v in bank.verdicts),
    ]
    found = []
    for where, link in items:
        why = project.link_problem(link)
        if why is not None:
            found.append(problem(bank.source, where, "playbook", why))
    return found


def check_reverse(bank: Bank, project: Project) -> list[str]:
    """Every scored dimension has a reverse-scored question and one that is not, so that
    answering the same level throughout never gives a perfect score (the bank's rule)."""
    found = []
    for dimension in bank.dimensions:
        questions = bank.questions_in(dimension.id)
        reversed_count = sum(q.reverse for q in questions)
        if reversed_count == 0:
            why = (
                f"none of its {len(questions)} question(s) is reverse-scored: word one "
                "negatively and give it reverse = true, so that answering 5 throughout "
                "does not score 100"
            )
        elif reversed_count == len(questions):
            why = (
                f"all of its {len(questions)} question(s) are reverse-scored: it needs one that "
                "is not, so that answering 1 throughout does not score 100"
            )
        else:
            continue
        found.append(problem(bank.source, f"dimension '{dimension.id}'", "reverse", why))
    return found


def check_core(bank: Bank, project: Project) -> list[str]:
    """With a quick check (some questions `core = true`), every scored dimension has a core
    question: a dimension without one (a company's new one, say) would be left out of the quick
    check's scores without a word. A bank with no core question has no quick check."""
    if not bank.core_questions:
        return []
    found = []
    for dimension in bank.dimensions:
        questions = bank.questions_in(dimension.id)
        if not any(q.core for q in questions):
            found.append(
                problem(
                    bank.source, f"dimension '{dimension.id}'", "core",
                    f"none of its {len(questions)} question(s) is in the quick check: mark one "
                    f"core = true (say '{questions[0].id}'), so that the quick check scores it",
                )
            )  # fmt: skip
    return found


def expected_prefix(group_id: str) -> str:
    """A dimension's question prefix by the bank's convention: its words' initials
    (cultural_fit: cf), or a one-word id's first two letters (communication: co)."""
    words = [word for word in group_id.split("_") if word]
    return "".join(word[0] for word in words) if len(words) > 1 else group_id[:2]


def _prefix(question_id: str) -> str:
    return question_id.split("_", 1)[0] if "_" in question_id else ""


def check_prefixes(bank: Bank, project: Project) -> list[str]:
    """Each question's id starts with its dimension's (or block's) prefix, and no two share one.

    A group's prefix is the convention's (expected_prefix) when one of its questions uses it,
    else the one most of its questions use: a bank that chose other prefixes keeps them."""
    groups = [*(d.id for d in bank.dimensions), *(b.id for b in bank.blocks)]
    prefixes: dict[str, str] = {}
    found = []
    for group in groups:
        used = Counter(_prefix(q.id) for q in bank.questions_in(group))
        used.pop("", None)
        conventional = expected_prefix(group)
        prefix = conventional if conventional in used or not used else used.most_common(1)[0][0]
        prefixes[group] = prefix
        for question in bank.questions_in(group):
            if _prefix(question.id) != prefix:
                found.append(
                    problem(
                        bank.source, f"question '{question.id}'", "id",
                        f"does not start with '{prefix}_', the prefix of its dimension "
                        f"'{group}' (a new question gets its dimension's prefix)",
                    )
                )  # fmt: skip
    owners: dict[str, str] = {}
    for group, prefix in prefixes.items():
        if prefix in owners:
            found.append(
                problem(
                    bank.source, f"dimension '{group}'", "id",
                    f"its questions' prefix '{prefix}_' is also that of '{owners[prefix]}': "
                    "give each dimension its own",
                )
            )  # fmt: skip
        owners.setdefault(prefix, group)
    return found


def check_styling(bank: Bank, project: Project) -> list[str]:
    """Every relationship has what the site shows it with: its own name, label and marker,
    and a chart colour readable on both colour schemes, different from the others."""
    from .team import NOT_SAID_NAME
    from .team_report import MARKER_SHAPES

    found = []
    seen: dict[str, dict[str, str]] = {"name": {}, "label": {}, "colour": {}}
    reserved = {"name": NOT_SAID_NAME, "colour": NOT_SAID_COLOUR}
    for position, relationship in enumerate(bank.relationships):
        where = f"relationship '{relationship.id}'"
        if position >= len(MARKER_SHAPES):
            found.append(
                problem(
                    bank.source, where, "id",
                    f"the team view's chart tells at most {len(MARKER_SHAPES)} relationships "
                    "apart by their marker's shape",
                )
            )  # fmt: skip
        why = chart_contrast_problem(relationship.colour)
        if why is not None:
            found.append(problem(bank.source, where, "colour", why))
        values = {
            "name": relationship.name,
            "label": relationship.label,
            "colour": relationship.colour,
        }
        for field_name, value in values.items():
            key = value.casefold()
            if reserved.get(field_name, "").casefold() == key:
                found.append(
                    problem(
                        bank.source, where, field_name,
                        f"'{value}' is what the team view shows for respondents who did not "
                        "say their side: choose another",
                    )
                )  # fmt: skip
            elif key in seen[field_name]:
                other = seen[field_name][key]
                found.append(
                    problem(
                        bank.source, where, field_name,
                        f"'{value}' is also relationship '{other}''s: each needs its own",
                    )
                )  # fmt: skip
            seen[field_name].setdefault(key, relationship.id)
    return found


def check_lock_file(bank: Bank, project: Project) -> list[str]:
    """The lock file beside the bank agrees with it (a bank given as data has none to check)."""
    if project.bank_file is None:
        return []
    try:
        lock = read_lock(lock_path(project.bank_file))
    except LockError as error:
        return [str(error)]
    return check_lock(bank, lock)


# Every check of a loaded bank, in the order their problems are listed. A new check is a
# function (bank, project) -> list of one-line problems, added here.
BANK_CHECKS: tuple[BankCheck, ...] = (
    check_links,
    check_reverse,
    check_core,
    check_prefixes,
    check_styling,
    check_lock_file,
)


def check_bank(bank: Bank, project: Project) -> list[str]:
    """Every problem BANK_CHECKS find in a loaded bank (none: the build will accept it)."""
    return [found for check in BANK_CHECKS for found in check(bank, project)]


def check_steps(steps: Sequence[ExitStep], source: str, project: Project) -> list[str]:
    """Every exit step's link resolves to a page and an id under docs/."""
    found = []
    for step in steps:
        why = project.link_problem(step.link)
        if why is not None:
            found.append(problem(source, f"step '{step.id}'", "link", why))
    return found


# -- One run: a bank file (and the steps beside it) ----------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What one check found: the problems (one line each), what it could not check, and what
    it did (for the line that says all is well); `unchecked`, why the playbook links were not
    checked ("" when they were)."""

    problems: tuple[str, ...]
    notes: tuple[str, ...]
    checked: tuple[str, ...]
    unchecked: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def run(
    bank_file: Path | None = None,
    docs: Path | None = None,
    *,
    bank: Bank | None = None,
    read: Callable[[Path], Bank] | None = None,
) -> Outcome:
    """Check a bank file (default: the shipped one), its links into `docs` (default: its
    project's docs folder) and the exit steps file beside it.

    `bank`, if given, is that file already loaded; `read` loads the file another way (the
    command line's size-limited reader)."""
    path = bank_file if bank_file is not None else SHIPPED_BANK
    notes: list[str] = []
    unchecked = ""
    if docs is None:
        docs, why = find_docs(path)
        if docs is None:
            unchecked = "no docs folder"
            notes.append(
                f"playbook links not checked: {why} (--docs FOLDER names the pages' folder)"
            )
    elif not docs.is_dir():
        return Outcome((f"{docs}: not a folder (--docs names the site's docs folder)",), (), ())
    project = Project(path, docs)
    try:
        loaded = bank or (read(path) if read is not None else load_bank(path))
    except AssessmentError as error:
        return Outcome((str(error),), tuple(notes), (), unchecked)
    problems = check_bank(loaded, project)
    checked = [
        f"Question bank {loaded.source}: version {loaded.version}, {len(loaded.questions)} "
        f"questions in {len(loaded.dimensions)} dimensions"
    ]
    steps_file = path.with_name(STEPS_FILE)
    if steps_file.is_file():
        try:
            steps = load_steps(steps_file)
        except AssessmentError as error:
            problems.append(str(error))
        else:
            problems += check_steps(steps, str(steps_file), project)
            checked.append(f"exit steps {steps_file}: {len(steps)} steps")
    if docs is not None:
        checked.append(f"links into {docs}")
    return Outcome(tuple(problems), tuple(notes), tuple(checked), unchecked)


# -- The command line: python -m assessment check --------------------------------------------------


def main(argv: Iterable[str]) -> int:
    """`python -m assessment check [--bank FILE] [--docs FOLDER]`: 0 when no problem is found."""
    from .cli import read_bank_file
    from .terminal import SafeArgumentParser, report_error, write_output

    parser = SafeArgumentParser(
        prog="partnership-assessment check",
        description=(
            "Check a question bank as the site's build does: the bank itself, its links into "
            "the playbook (pages and anchors), reverse-scored questions, a core question in "
            "each dimension (when there is a quick check), id prefixes, each "
            "relationship's name and colour, the lock file; and the exit steps file beside it."
        ),
    )
    parser.add_argument("--bank", metavar="FILE", help="the bank to check (default: shipped)")
    parser.add_argument(
        "--docs",
        metavar="FOLDER",
        help="the pages the links point into (default: the docs folder of the bank's project)",
    )
    args = parser.parse_args(list(argv))
    outcome = run(
        Path(args.bank) if args.bank is not None else None,
        Path(args.docs) if args.docs is not None else None,
        read=(lambda path: read_bank_file(str(path))) if args.bank is not None else None,
    )
    for note in outcome.notes:
        write_output(f"note: {note}\n")
    if not outcome.ok:
        for found in outcome.problems:
            report_error(found)
        count = len(outcome.problems)
        if count > 1:  # one problem is one line
            report_error(f"{count} problems found.", prefix="")
        return 1
    # Said in the closing line too: "no problem found" alone would read as the links being fine.
    unchecked = f" (links not checked: {outcome.unchecked})" if outcome.unchecked else ""
    write_output("; ".join(outcome.checked) + f": checked, no problem found{unchecked}.\n")
    return 0
