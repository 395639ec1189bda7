"""A two-sided health check's round: its invitations, and the organisations of a partnership.

A round is kept in the organiser's browser (docs/compare/): the partnership's name, how many
people are expected from each organisation, its key pair, the replies received. It sends two
invitation links, one per organisation; an invitation opens the self-assessment with the
organisation set, the round named and the kind of relationship chosen from the round, so that
no respondent has to know which side to pick. This module writes and reads those invitations;
it never sees a key but the round's public one, which the invitation carries.

Two facts of a response, kept apart: its **organisation** (the organiser's own, or the
partner's: what the two-sided view compares) and its **relationship** (client, provider or peers:
what wording the questions use; the bank's relationships).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from .bank import Bank, load_bank
from .codec import ORGANISATIONS as CODE_ORGANISATIONS
from .errors import AssessmentError
from .periods import long_date
from .replies import ROUND_ID
from .text import excerpt

# A response's organisation, as codes carry it (0: not said).
OURS, THEIRS = 1, 2
ORGANISATIONS = {OURS: "our organisation", THEIRS: "the partner's organisation"}
# An invitation link's "#" part starts with this (the assessment page reads it).
INVITE_FRAGMENT = "#invite="
# The compare page's file of a health check (its responses, for the command line: round_file.py).
ROUND_FILE_FORMAT = "partnership-round"
ROUND_FILE_VERSION = 1
INVITATION_VERSION = 1
# An action agreed at a workshop, as a round carries it: its statuses, the ones still to review.
ACTION_STATUSES = ("open", "in progress", "done", "dropped")
OPEN_STATUSES = ("open", "in progress")
MAX_ACTIONS, MAX_ACTION_TEXT, MAX_OWNER = 100, 200, 80
# A round's public key: P-256, uncompressed (0x04, then x and y).
PUBLIC_KEY_BYTES = 65
MAX_NAME = 80
# The longest invitation a link carries (a name, a key, a date and a few words).
MAX_INVITATION = 1_000
# Which relationship the partner's people answer from, given the organiser's own.
COUNTERPART = {"client": "provider", "provider": "client"}


class ActionError(AssessmentError):
    """A round's actions could not be read (a page or a file that did not write them)."""


@dataclass(frozen=True)
class Action:
    """An action agreed at the last workshop: what, the owner's role, when due, its status."""

    what: str
    owner: str = ""
    due: date | None = None
    status: str = "open"

    @property
    def is_open(self) -> bool:
        """Still to review: open or in progress (not done, not dropped)."""
        return self.status in OPEN_STATUSES


def read_actions(raw: Any) -> tuple[Action, ...]:
    """The actions a round carries, as the compare page keeps them ({what, owner, due,
    status}), or ActionError saying plainly which one cannot be read."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or len(raw) > MAX_ACTIONS:
        raise ActionError(f"A round's actions are a list of at most {MAX_ACTIONS}.")
    actions = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise ActionError(f"Action {number} is not one the compare page writes.")
        what, owner = item.get("what"), item.get("owner", "")
        due, status = item.get("due") or None, item.get("status", "open")
        where = f"Action {number}"
        if not isinstance(what, str) or not what.strip() or len(what) > MAX_ACTION_TEXT:
            raise ActionError(f"{where} says no action, or more than {MAX_ACTION_TEXT} characters.")
        if not isinstance(owner, str) or len(owner) > MAX_OWNER:
            raise ActionError(f"{where}: its owner's role is not text of {MAX_OWNER} characters.")
        if status not in ACTION_STATUSES:
            raise ActionError(f"{where}: its status is one of {', '.join(ACTION_STATUSES)}.")
        try:
            day = None if due is None else date.fromisoformat(due)
        except (TypeError, ValueError):
            raise ActionError(f"{where}: its due date is not a date (YYYY-MM-DD).") from None
        actions.append(Action(what.strip(), owner.strip(), day, status))
    return tuple(actions)


class InvitationError(AssessmentError):
    """An invitation link that cannot be read; nothing of it is used."""


@dataclass(frozen=True)
class Invitation:
    """What an invitation link says: the round, whom it invites, and how to reply."""

    round: str
    organisation: int  # OURS or THEIRS: the organisation of everyone who opens this link
    relationship: str  # one of the bank's relationships: the wording the questions use
    public_key: str  # base64url of the round's public key: replies are sealed to it
    name: str = ""  # the partnership's name, if the organiser chose to include it
    deadline: date | None = None

    def to_dict(self) -> dict[str, Any]:
        """The invitation as JSON-ready data, for the page."""
        return {
            "round": self.round,
            "organisation": self.organisation,
            "organisation_name": ORGANISATIONS[self.organisation],
            # What the reply's share code says of it (codec.ORGANISATIONS, by the same number).
            "organisation_id": CODE_ORGANISATIONS[self.organisation - 1],
            "relationship": self.relationship,
            "public_key": self.public_key,
            "name": self.name,
            "deadline": None if self.deadline is None else self.deadline.isoformat(),
        }


def counterpart(relationship: str, bank: Bank | None = None) -> str:
    """The relationship the partner's organisation answers from, given the organiser's."""
    bank = bank or load_bank()
    ids = [r.id for r in bank.relationships]
    if relationship not in ids:
        raise InvitationError(f"'{excerpt(relationship)}' is not one of {', '.join(ids)}.")
    other = COUNTERPART.get(relationship, relationship)
    return other if other in ids else relationship


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def partnership_name(text: str) -> str:
    """A partnership's name as a person typed it, made plain: one line, single spaces, no
    control characters, at most MAX_NAME characters."""
    words = "".join(ch if ch.isprintable() else " " for ch in str(text)).split()
    return " ".join(words)[:MAX_NAME].strip()


def check_invitation(invitation: Invitation, bank: Bank | None = None) -> Invitation:
    """`invitation` if every field is one a round writes; else InvitationError saying which."""
    bank = bank or load_bank()
    if not ROUND_ID.match(invitation.round):
        raise InvitationError("This invitation's round is unreadable.")
    if invitation.organisation not in ORGANISATIONS:
        raise InvitationError("This invitation does not say which organisation it is for.")
    if invitation.relationship not in {r.id for r in bank.relationships}:
        raise InvitationError(
            "This invitation was made for other questions (its kind of relationship is not "
            "one this site asks about)."
        )
    try:
        key = _unb64(invitation.public_key)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != PUBLIC_KEY_BYTES or key[0] != 4:
        raise InvitationError(
            "This invitation's key is damaged: ask the organiser for the link again."
        )
    name = invitation.name
    if len(name) > MAX_NAME or any(not ch.isprintable() for ch in name):
        raise InvitationError("This invitation's partnership name is damaged.")
    return invitation


def invitation_fragment(invitation: Invitation, bank: Bank | None = None) -> str:
    """The "#invite=…" part of an invitation link (its name made plain: partnership_name)."""
    invitation = dataclasses.replace(invitation, name=partnership_name(invitation.name))
    check_invitation(invitation, bank)
    data = {
        "v": INVITATION_VERSION,
        "r": invitation.round,
        "o": invitation.organisation,
        "rel": invitation.relationship,
        "k": invitation.public_key,
    }
    if invitation.name:
        data["n"] = invitation.name
    if invitation.deadline is not None:
        data["d"] = invitation.deadline.isoformat()
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return INVITE_FRAGMENT + _b64(text.encode("utf-8"))


def read_invitation(fragment: str, bank: Bank | None = None) -> Invitation:
    """The invitation an "#invite=…" part holds, or InvitationError saying plainly why not."""
    if not isinstance(fragment, str) or not fragment.startswith(INVITE_FRAGMENT):
        raise InvitationError("This is not an invitation link (it should hold #invite=).")
    payload = fragment[len(INVITE_FRAGMENT) :].strip()
    if len(payload) > MAX_INVITATION:
        raise InvitationError("This invitation is far too long to be one a round wrote.")
    try:
        data = json.loads(_unb64(payload).decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        raise InvitationError(
            "This invitation link is damaged (it was cut short or changed): ask the organiser "
            "for it again."
        ) from None
    if not isinstance(data, dict) or data.get("v") != INVITATION_VERSION:
        raise InvitationError("This invitation was made by another version of this site.")
    deadline = None
    if data.get("d") is not None:
        try:
            deadline = date.fromisoformat(str(data["d"]))
        except ValueError:
            raise InvitationError("This invitation's deadline is damaged.") from None
    round_id, organisation, relationship = data.get("r"), data.get("o"), data.get("rel")
    key, name = data.get("k"), data.get("n", "")
    if (
        not isinstance(round_id, str)
        or not isinstance(relationship, str)
        or not isinstance(key, str)
        or not isinstance(name, str)
        or not isinstance(organisation, int)
        or isinstance(organisation, bool)
    ):
        raise InvitationError("This invitation link is damaged: ask the organiser for it again.")
    invitation = Invitation(round_id, organisation, relationship, key, name, deadline)
    return check_invitation(invitation, bank)


# -- What the organiser sends -------------------------------------------------------------------

# How long answering takes, as the invitation says (the whole form; the quick check is shorter).
ANSWER_MINUTES = 10


def invitation_message(invitation: Invitation, link: str) -> str:
    """The invitation to send with a link: what it is, how long, who sees what, by when."""
    about = f" ({invitation.name})" if invitation.name else ""
    by = (
        f" Please answer by {long_date(invitation.deadline)}."
        if invitation.deadline is not None
        else ""
    )
    return (
        f"Hello,\n\nWe are running a short health check of our partnership{about}, and we would "
        f"like your view. It takes about {ANSWER_MINUTES} minutes: answer the questions, then "
        "send the reply the page gives you back to me.\n\n"
        f"{link}\n\n"
        "Your answers stay in your browser until you send your reply, and the reply can only "
        "be opened by me. The results are shared as a group: no one's answers are shown as "
        f"theirs, and a group too small to stay anonymous is not shown on its own.{by}\n\n"
        "Thank you."
    )


def reminder_message(invitation: Invitation, link: str) -> str:
    """A short reminder to send with the same link."""
    about = f" of {invitation.name}" if invitation.name else ""
    by = f" on {long_date(invitation.deadline)}" if invitation.deadline is not None else " soon"
    return (
        f"A reminder: the health check{about} closes{by}. If you have not answered yet, it "
        f"takes about {ANSWER_MINUTES} minutes:\n\n{link}\n\nIf you have, thank you: nothing "
        "more is needed."
    )


def reply_message(invitation: Invitation, reply: str) -> dict[str, str]:
    """The message a respondent sends back: a subject and a body around the sealed reply."""
    about = f" ({invitation.name})" if invitation.name else ""
    return {
        "subject": f"My reply to the health check{about}",
        "body": (
            f"Here is my reply to the health check{about}. Paste it on the compare page; only "
            f"your browser can open it.\n\n{reply}\n"
        ),
    }
