"""Every published edition of the question bank, kept in the lock file beside it.

An edition is what a share code depends on: the bank's version, its relationship ids in order
and its question ids in order. `bank.lock.json` (beside `bank.toml`; `ours.lock.json` beside
`ours.toml`) keeps every edition ever published, so that share codes, exports and kept results
made with any earlier edition still read: their answers go to today's questions by id, and what
changed since is said in a note. `python -m assessment lock` adds the bank's edition; the bank
check and the build refuse a bank whose edition is not locked (check_lock).

Each edition has a fingerprint: the first FINGERPRINT_BYTES bytes of a SHA-256 over its version,
relationship ids and question ids. A share code (format 3) carries it, so that a code made with
another site's questions that share a version string (a fork, an adapted copy, a merge from
upstream) is recognised as such instead of being called damaged, or misread.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from .bank import SHIPPED_BANK, Bank
from .datafile import ID
from .errors import DataError

# Two bytes, four hex digits: the fingerprint only tells apart editions that share a version
# string (upstream's and a fork's 2026.3: a handful), and a code whose fingerprint matches by
# chance (1 in 65,536 for such a pair) is still refused when its length differs from the
# edition's, which a changed set of questions nearly always makes it. Two bytes more in every
# code would buy little; every code travels in links and chat.
FINGERPRINT_BYTES = 2
LOCK_SUFFIX = ".lock.json"
# A lock of a hundred editions of a hundred questions is about 300 KB.
MAX_LOCK_BYTES = 5_000_000
ABOUT = (
    "Every published edition of the question bank beside this file, oldest first: share codes, "
    "exports and kept results of each still read. Written by `python -m assessment lock`; "
    "never edit or remove an edition by hand."
)
# How many question ids a note names before it says "and N more".
NAMED_IN_NOTE = 6


class LockError(DataError):
    """The lock file is malformed, or the bank's edition cannot be added to it."""


@dataclass(frozen=True)
class Edition:
    """One published edition: the version, the relationship ids and question ids in order."""

    version: str
    relationships: tuple[str, ...]
    questions: tuple[str, ...]

    @cached_property
    def fingerprint(self) -> str:
        """The edition's short digest (FINGERPRINT_BYTES bytes, as hex)."""
        return edition_digest(self.version, self.relationships, self.questions).hex()

    def to_dict(self) -> dict[str, Any]:
        """The edition as the lock file writes it."""
        return {
            "version": self.version,
            "fingerprint": self.fingerprint,
            "relationships": list(self.relationships),
            "questions": list(self.questions),
        }


def edition_digest(version: str, relationships: Sequence[str], questions: Sequence[str]) -> bytes:
    """The fingerprint's bytes: SHA-256 over version, relationship ids, '#', question ids."""
    text = "|".join((version, *relationships, "#", *questions))
    return hashlib.sha256(text.encode("utf-8")).digest()[:FINGERPRINT_BYTES]


def edition_of(bank: Bank) -> Edition:
    """The edition a bank is: its version, relationship ids and question ids."""
    return Edition(bank.version, tuple(r.id for r in bank.relationships), bank.question_ids)


@dataclass(frozen=True)
class Lock:
    """The editions a lock file keeps, oldest first (an empty lock when there is no file)."""

    source: str
    editions: tuple[Edition, ...] = ()

    def with_version(self, version: str) -> tuple[Edition, ...]:
        """The locked editions called `version` (one, in a lock the `lock` command wrote)."""
        return tuple(e for e in self.editions if e.version == version)

    def to_json(self) -> str:
        """The lock file's text."""
        document = {"about": ABOUT, "editions": [e.to_dict() for e in self.editions]}
        return json.dumps(document, indent=2) + "\n"


# -- Finding and reading the lock ------------------------------------------------------------


def lock_path(bank_file: str | Path) -> Path:
    """Where the lock of a bank file is: bank.toml -> bank.lock.json, in the same folder."""
    path = Path(bank_file)
    return path.with_name(path.name.removesuffix(path.suffix) + LOCK_SUFFIX)


def read_lock(path: str | Path) -> Lock:
    """The lock file at `path` (an empty lock if there is none), or LockError saying why not."""
    path = Path(path)
    source = str(path)
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_LOCK_BYTES + 1)
    except FileNotFoundError:
        return Lock(source)
    except OSError as error:
        raise LockError(source, "file", "", f"cannot be read ({error.strerror})") from None
    if len(raw) > MAX_LOCK_BYTES:
        raise LockError(source, "file", "", f"is larger than {MAX_LOCK_BYTES:,} bytes")
    return parse_lock(raw, source)


def parse_lock(raw: bytes, source: str = "<lock>") -> Lock:
    """A lock from the bytes of its file, or LockError naming the edition and the field."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise LockError(source, "file", "", "is not a JSON lock file (UTF-8 JSON)") from None
    if not isinstance(data, Mapping) or not isinstance(data.get("editions"), list):
        raise LockError(source, "file", "editions", "must be a list of editions")
    editions: list[Edition] = []
    for number, item in enumerate(data["editions"], start=1):
        edition = _edition(item, source, f"edition {number}")
        if edition.version in {e.version for e in editions}:
            raise LockError(
                source, f"edition {number}", "version", f"{edition.version} is locked twice"
            )
        editions.append(edition)
    return Lock(source, tuple(editions))


def _edition(item: object, source: str, where: str) -> Edition:
    if not isinstance(item, Mapping):
        raise LockError(source, where, "", "must be an object")
    version = item.get("version")
    if not isinstance(version, str) or not version:
        raise LockError(source, where, "version", "must be a version, as the bank writes it")
    where = f"edition {version}"
    ids = {}
    for name in ("relationships", "questions"):
        value = item.get(name)
        if not isinstance(value, list) or not all(
            isinstance(one, str) and ID.match(one) for one in value
        ):
            raise LockError(source, where, name, "must be a list of ids")
        if len(set(value)) != len(value):
            raise LockError(source, where, name, "names an id twice")
        ids[name] = tuple(value)
    edition = Edition(version, ids["relationships"], ids["questions"])
    if item.get("fingerprint") != edition.fingerprint:
        raise LockError(
            source, where, "fingerprint",
            f"is not {edition.fingerprint}, the digest of its ids: the edition was edited",
        )  # fmt: skip
    return edition


# The lock of each bank file read so far, with the file's size and time when it was read: a
# bank's codes are read many at a time (a team, a history, a paste), the lock file once.
_READ: dict[str, tuple[tuple[int, int] | None, Lock]] = {}
# Where each bank source's lock is (None: the bank was not read from a file).
_LOCK_PATHS: dict[str, str | None] = {}
# The editions each (bank, lock) pair reads, kept for the objects themselves (a few at a time).
_EDITIONS: dict[tuple[int, int], tuple[Bank, Lock, tuple[Edition, ...]]] = {}
_KEPT = 16


def lock_for(bank: Bank) -> Lock:
    """The lock beside the file `bank` was read from (an empty lock for a bank not from a file)."""
    if bank.source not in _LOCK_PATHS:
        bank_file = Path(bank.source)
        _LOCK_PATHS[bank.source] = str(lock_path(bank_file)) if bank_file.is_file() else None
    path = _LOCK_PATHS[bank.source]
    if path is None:
        return _NO_LOCK
    try:
        status = os.stat(path)
        stamp: tuple[int, int] | None = (status.st_mtime_ns, status.st_size)
    except OSError:
        stamp = None
    known = _READ.get(path)
    if known is not None and known[0] == stamp:
        return known[1]
    lock = read_lock(path) if stamp is not None else Lock(path)
    _READ[path] = (stamp, lock)
    return lock


_NO_LOCK = Lock("")


def editions_for(bank: Bank, lock: Lock | None = None) -> tuple[Edition, ...]:
    """Every edition whose codes this bank reads: its own first, then the locked ones."""
    lock = lock_for(bank) if lock is None else lock
    known = _EDITIONS.get((id(bank), id(lock)))
    if known is not None and known[0] is bank and known[1] is lock:
        return known[2]
    own = edition_of(bank)
    editions = (own, *(e for e in lock.editions if e != own))
    if len(_EDITIONS) >= _KEPT:
        _EDITIONS.clear()
    _EDITIONS[(id(bank), id(lock))] = (bank, lock, editions)
    return editions


# -- The check and the lock command -----------------------------------------------------------


def check_lock(bank: Bank, lock: Lock) -> list[str]:
    """What is wrong between a bank and its lock: each problem one line (empty: none)."""
    own = edition_of(bank)
    locked = lock.with_version(bank.version)
    where = lock.source or "the lock file"
    if not locked:
        return [
            f"{bank.source}: version {bank.version} is not in {where}: run "
            f"{lock_command(bank)} (it records this edition, so its share codes keep reading)"
        ]
    if own not in locked:
        return [
            f"{bank.source}: the questions or relationships changed but version "
            f"{bank.version} did not: raise version, then run {lock_command(bank)} "
            f"(codes made with the published {bank.version} would be misread)"
        ]
    return []


def lock_command(bank: Bank) -> str:
    """The command that locks this bank's edition."""
    shipped = Path(bank.source).resolve() == SHIPPED_BANK.resolve()
    return "python -m assessment lock" + ("" if shipped else f" --bank {bank.source}")


def add_edition(lock: Lock, bank: Bank) -> tuple[Lock, bool]:
    """The lock with the bank's edition added, and whether it was new; LockError if the version
    is already locked with other questions."""
    own = edition_of(bank)
    locked = lock.with_version(bank.version)
    if own in locked:
        return lock, False
    if locked:
        raise LockError(
            bank.source, "bank", "version",
            f"{bank.version} is already locked with other questions or relationships: raise "
            "version, then lock again",
        )  # fmt: skip
    return Lock(lock.source, (*lock.editions, own)), True


def write_lock(lock: Lock) -> None:
    """Write the lock to its file (atomically: a new file renamed over the old one)."""
    path = Path(lock.source)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(lock.to_json(), encoding="utf-8")
    os.replace(partial, path)
    _READ.pop(str(path), None)


# -- What changed since an edition -------------------------------------------------------------


def edition_named(version: str, bank: Bank) -> Edition | None:
    """The edition called `version` that this bank reads (its own first), or None."""
    for edition in editions_for(bank):
        if edition.version == version:
            return edition
    return None


def changes_since(edition: Edition, bank: Bank) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The question ids added to the bank since `edition`, and those removed since."""
    before, now = set(edition.questions), set(bank.question_ids)
    added = tuple(q for q in bank.question_ids if q not in before)
    removed = tuple(q for q in edition.questions if q not in now)
    return added, removed


def edition_note(version: str, dropped: Sequence[str], bank: Bank) -> str:
    """One line on a response made with another edition: what changed, what was left out.

    Empty when the response was made with this bank's own version and nothing was left out.
    """
    if version == bank.version and not dropped:
        return ""
    made = f"Made with questions {version} (these are {bank.version})"
    edition = None if version == bank.version else edition_named(version, bank)
    parts = []
    if edition is not None:
        added, removed = changes_since(edition, bank)
        if added:
            parts.append(f"{_count(added, 'question')} added since ({_ids(added)})")
        if removed:
            parts.append(f"{_count(removed, 'question')} removed since ({_ids(removed)})")
        if not added and not removed:
            parts.append("the same questions")
    elif version != bank.version:
        parts.append("an edition this site does not know, read by question id")
    if dropped:
        parts.append(f"answers to questions it no longer has were left out ({_ids(dropped)})")
    return f"{made}: {'; '.join(parts)}."


def edition_mark(version: str, bank: Bank) -> str:
    """'made with questions 2026.1' for a result of an earlier edition; empty for this one."""
    return "" if version == bank.version else f"made with questions {version}"


def _count(ids: Sequence[str], noun: str) -> str:
    return f"{len(ids)} {noun}{'' if len(ids) == 1 else 's'}"


def _ids(ids: Sequence[str]) -> str:
    named = ", ".join(ids[:NAMED_IN_NOTE])
    more = len(ids) - NAMED_IN_NOTE
    return named if more <= 0 else f"{named} and {more} more"
