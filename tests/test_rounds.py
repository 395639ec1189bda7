"""A round's invitations (assessment/rounds.py): written, read back, and refused when changed."""

from __future__ import annotations

import base64
import dataclasses
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment import Bank, load_bank
from assessment.round_file import responses_from_items
from assessment.rounds import (
    INVITE_FRAGMENT,
    OURS,
    THEIRS,
    Invitation,
    InvitationError,
    counterpart,
    invitation_fragment,
    partnership_name,
    read_invitation,
)

BANK = load_bank()
KEY = base64.urlsafe_b64encode(b"\x04" + bytes(range(64))).decode().rstrip("=")


def invitations(bank: Bank) -> st.SearchStrategy[Invitation]:
    """Any invitation a round can write, for this bank."""
    return st.builds(
        Invitation,
        round=st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=8, max_size=32),
        organisation=st.sampled_from([OURS, THEIRS]),
        relationship=st.sampled_from([r.id for r in bank.relationships]),
        public_key=st.just(KEY),
        name=st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), max_size=80),
        deadline=st.none() | st.dates(date(2000, 1, 1), date(2199, 12, 31)),
    )


@settings(max_examples=200, deadline=None)
@given(invitations(BANK))
def test_an_invitation_reads_back_as_written(invitation: Invitation) -> None:
    """Whatever a round writes, the assessment page reads back the same invitation."""
    fragment = invitation_fragment(invitation, BANK)
    assert fragment.startswith(INVITE_FRAGMENT) and len(fragment) < 1_000
    plain = dataclasses.replace(invitation, name=partnership_name(invitation.name))
    assert read_invitation(fragment, BANK) == plain
    assert plain.name == plain.name.strip() and "  " not in plain.name


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=400))
def test_any_fragment_is_an_invitation_or_a_plain_refusal(bank: Bank, text: str) -> None:
    """A hostile or mangled link: an invitation error with a sentence, never anything else."""
    try:
        read_invitation(INVITE_FRAGMENT + text, bank)
    except InvitationError as error:
        assert str(error).endswith(".")


def test_a_changed_invitation_is_refused_with_what_to_do(bank: Bank) -> None:
    """Cut short, a key changed, an unknown relationship: refused, saying what to do."""
    relationship = bank.relationships[0].id
    good = invitation_fragment(Invitation("round0001", OURS, relationship, KEY, "Acme"), bank)
    with pytest.raises(InvitationError, match="cut short or changed"):
        read_invitation(good[:-7], bank)
    with pytest.raises(InvitationError, match="key is damaged"):
        invitation_fragment(Invitation("round0001", OURS, relationship, KEY[:-2], "Acme"), bank)
    with pytest.raises(InvitationError, match="other questions"):
        invitation_fragment(Invitation("round0001", THEIRS, "boss", KEY), bank)


def test_the_partner_answers_from_the_other_side_and_peers_from_theirs(bank: Bank) -> None:
    """The counterpart of client is provider and back; peers stay peers; unknown is refused."""
    ids = [r.id for r in bank.relationships]
    for relationship in ids:
        other = counterpart(relationship, bank)
        assert other in ids
        assert counterpart(other, bank) == relationship
    with pytest.raises(InvitationError):
        counterpart("boss", bank)


def test_a_reply_s_organisation_is_the_invitation_s_and_the_page_s_number(bank: Bank) -> None:
    """The invitation names the organisation as the reply's code says it; the compare page
    lists a response's organisation by number (0: not said), and may set it where the code
    says none, never to a number it does not know."""
    from assessment import team_page
    from assessment.codec import ORGANISATIONS, encode
    from assessment.team import TeamError

    first = bank.relationships[0].id
    for number, name in enumerate(ORGANISATIONS, start=1):
        invitation = Invitation(
            round="r" * 16, organisation=number, relationship=first, public_key="k" * 87
        )
        assert invitation.to_dict()["organisation_id"] == name
        code = encode({}, bank, relationship=first, organisation=name)
        (item,) = team_page.read_pasted(code, bank)["items"]
        assert (item["organisation"], item["organisation_said"]) == (number, True)
    unsaid = encode({}, bank, relationship=first)
    (item,) = team_page.read_pasted(unsaid, bank)["items"]
    assert (item["organisation"], item["organisation_said"]) == (0, False)
    set_here = responses_from_items([{"code": unsaid, "organisation": 2}], bank)
    assert set_here[0].organisation == ORGANISATIONS[1]
    for wrong in (3, True, "2"):
        with pytest.raises(TeamError, match="unknown organisation"):
            responses_from_items([{"code": unsaid, "organisation": wrong}], bank)
