"""A two-sided health check from start to finish, in Chromium: people in browsers of their own.

The organiser starts a health check on the compare page (its key's backup is downloaded), sends
the two invitation links; each respondent opens one in a browser of their own, answers, and
sends the sealed reply the page gives them, by e-mail or in a chat; the organiser pastes what
they received (quoted, wrapped, with words around it) and sees the team's result, which equals
CPython's on the same codes. Nothing leaves any browser but what the test carries by hand.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, Playwright

from assessment import load_bank
from assessment.codec import ORGANISATIONS, decode_response
from assessment.examples import SCENARIOS
from assessment.rounds import MAX_ACTION_TEXT, MAX_NAME, MAX_OWNER, counterpart
from assessment.team import EVERYONE, combine
from sitekit.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import run_cli

from .harness import RequestLog, Site, record
from .pages import READY_TIMEOUT_MS, close_context, fill, request_body, wait_for_state

pytestmark = pytest.mark.browser

BANK = load_bank()
PASSPHRASE = "long enough passphrase"
NAME = "Acme and Beta"
# A label the organiser gives a response: it stays in the organiser's browser.
LABEL = "Zephyrine in procurement"
ACTION = "Agree one weekly status call"
OTHER = "Gamma and Delta"


@dataclass
class Browsers:
    """Browser contexts of their own, each recorded: no request may leave the site."""

    browser: Browser
    site: Site
    opened: list[tuple[BrowserContext, RequestLog]]
    # Every request's URL, Referer and body, from every browser: what could carry an answer.
    sent: list[str]
    closed: list[BrowserContext]

    def new(self) -> BrowserContext:
        """A fresh browser of one person (nothing shared with the others)."""
        return self.watch(self.browser.new_context(accept_downloads=True))

    def close(self, context: BrowserContext) -> None:
        """Close one browser now (a restart); its log is still checked at the end."""
        close_context(context)
        self.closed.append(context)

    def watch(self, context: BrowserContext) -> BrowserContext:
        """Record `context` with the others: its requests, and what each one carried."""
        self.opened.append((context, record(context, self.site.origin, intercept=False)))
        context.on(
            "request",
            lambda request: self.sent.append(
                f"{request.url} {request.headers.get('referer', '')} {request_body(request)}"
            ),
        )
        return context

    def assert_nothing_sent(self, *words: str) -> None:
        """No request of any browser carried one of `words` (or its URL-encoded form)."""
        for word in words:
            for form in {word, quote(word), quote(word, safe="")}:
                assert [text for text in self.sent if form in text] == [], word


@pytest.fixture
def people(browser: Browser, site: Site) -> Iterator[Browsers]:
    """Each person's browser; at the end, every one proved nothing left the site."""
    made = Browsers(browser, site, [], [], [])
    try:
        yield made
    finally:
        for context, _ in made.opened:
            if context not in made.closed:
                close_context(context)
    for _, log in made.opened:
        log.assert_same_origin()


def start_round(
    page: Page, tmp_path: Path, relationship: str = BANK.relationships[0].id, name: str = NAME
) -> tuple[dict[str, str], Path]:
    """Start a health check on the compare page; return its two links and its backup file."""
    page.locator("#pp-round-new").click()
    page.locator("#pp-round-name").fill(name)
    page.locator("#pp-round-relationship").select_option(relationship)
    page.locator("#pp-round-passphrase").fill(PASSPHRASE)
    page.locator("#pp-round-passphrase-again").fill(PASSPHRASE)
    with page.expect_download() as info:
        page.locator("#pp-round-create").click()
    backup = tmp_path / info.value.suggested_filename
    info.value.save_as(backup)
    page.wait_for_function(
        "() => document.getElementById('pp-invite-theirs').value.includes('#invite=')",
        timeout=READY_TIMEOUT_MS,
    )
    links = {side: page.locator(f"#pp-invite-{side}").input_value() for side in ("ours", "theirs")}
    return links, backup


def answer(context: BrowserContext, link: str, answers: dict[str, int | None]) -> str:
    """Open an invitation, answer, and return the e-mail body the page prepares."""
    page = context.new_page()
    page.goto(link)
    wait_for_state(page, "ready")
    page.locator("#pp-invitation").wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    assert "#invite=" not in page.url
    assert NAME in page.locator("#pp-invitation-text").inner_text()
    # The relationship comes from the invitation, and cannot be changed.
    assert page.locator(".pp-perspective input:enabled").count() == 0
    assert page.locator('.pp-perspective input[name="perspective"]:checked').count() == 1
    fill(page, answers)
    page.locator("#pp-submit").click()
    page.locator("#pp-send").wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    href = page.locator("#pp-send-mail").get_attribute("href") or ""
    assert href.startswith("mailto:")
    body = parse_qs(urlsplit(href).query)["body"][0]
    # The answers are in the reply, sealed: no share code in what travels.
    assert f"-{BANK.version}-" not in body
    assert page.locator("#pp-reply").input_value() in body
    return body


def as_received(body: str, how: str) -> str:
    """A reply as the organiser receives it: quoted and wrapped by a mail client, or in chat."""
    if how == "email":
        lines = textwrap.wrap(body, 60, break_long_words=True, break_on_hyphens=False)
        return "On Monday, someone wrote:\n" + "\n".join(f"> {line}" for line in lines)
    return f"[10:42] Sam: hi, here's mine {body.strip()} cheers"


def shown_result(page: Page) -> Any:
    """The team report the page offers as JSON."""
    with page.expect_download() as info:
        page.locator("#pp-download-json").click()
    return json.loads(Path(info.value.path()).read_bytes())


def shown_codes(page: Page, site: Site) -> list[str]:
    """The codes of the set the page shows, from its reopening link (written after the result)."""
    page.wait_for_function(
        "() => document.getElementById('pp-set-link').value.includes('#set=')",
        timeout=READY_TIMEOUT_MS,
    )
    link = page.locator("#pp-set-link").input_value()
    fragment = link.split("#set=", 1)[1]
    return [piece.split("~")[0] for piece in fragment.split(",")]


def test_a_round_from_invitation_to_result(people: Browsers, site: Site, tmp_path: Path) -> None:
    """Six people, three per organisation, replies by e-mail and in chat: the result is
    CPython's on the codes inside; the key's backup opens the round in a fresh browser."""
    organiser = people.new().new_page()
    organiser.goto(site.url("compare/"))
    wait_for_state(organiser, "ready")
    links, backup = start_round(organiser, tmp_path)
    answers = [SCENARIOS[n % len(SCENARIOS)].answers(BANK) for n in range(6)]
    received = []
    for n, given in enumerate(answers):
        link = links["ours" if n < 3 else "theirs"]
        body = answer(people.new(), link, given)
        received.append(as_received(body, "email" if n % 2 else "chat"))
    organiser.locator("#pp-codes").fill("\n\n".join(received))
    organiser.locator("#pp-add-codes").click()
    organiser.wait_for_function(
        "() => document.getElementById('pp-count').textContent === '6 responses.'",
        timeout=READY_TIMEOUT_MS,
    )
    assert organiser.locator("#pp-refused li").count() == 0
    codes = shown_codes(organiser, site)
    assert len(codes) == 6
    team = combine([decode_response(code, BANK) for code in codes], BANK)
    assert shown_result(organiser) == json.loads(json.dumps(team.to_dict()))
    assert "3 of 3" in organiser.locator("#pp-round-status").inner_text()
    assert set(shown_result(organiser)["sides"]) == set(ORGANISATIONS)
    # No browser sent an answer's code or the partnership's name anywhere.
    people.assert_nothing_sent(NAME, *(code.split("-", 2)[2] for code in codes))

    # The round's file, for the command line: the page's result, and no label given here.
    organiser.locator('[aria-label="Label of response 1"]').fill(LABEL)
    with organiser.expect_download() as info:
        organiser.locator("#pp-round-export").click()
    exported = tmp_path / info.value.suggested_filename
    info.value.save_as(exported)
    assert LABEL not in exported.read_text(encoding="utf-8")
    done = run_cli("--round", str(exported), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == shown_result(organiser)

    # An action agreed at the last workshop: the result and the agenda open with it while it is
    # open, and leave it out once it is done.
    organiser.locator("#pp-action-what").fill(ACTION)
    organiser.locator("#pp-action-owner").fill("Account lead")
    organiser.locator("#pp-action-add").click()
    opened = organiser.locator("#pp-team-view .pp-open-actions")
    opened.wait_for(timeout=READY_TIMEOUT_MS)
    assert ACTION in opened.inner_text() and "Account lead" in opened.inner_text()
    with organiser.expect_download() as info:
        organiser.locator("#pp-download-agenda").click()
    assert ACTION in Path(info.value.path()).read_text(encoding="utf-8")
    organiser.locator('[aria-label="Status of action 1"]').select_option("done")
    opened.wait_for(state="detached", timeout=READY_TIMEOUT_MS)

    # One of the partner's replies taken out: two of them. Fewer than the bank's min_group (three
    # as shipped), no organisation is shown apart, and the page says why.
    organiser.get_by_role("button", name="Remove response 6").click()
    organiser.wait_for_function(
        "() => document.getElementById('pp-count').textContent === '5 responses.'",
        timeout=READY_TIMEOUT_MS,
    )
    # The reopening link is written after the result: with five codes, the result is theirs.
    organiser.wait_for_function(
        "() => document.getElementById('pp-set-link').value.split(',').length === 5",
        timeout=READY_TIMEOUT_MS,
    )
    left = combine([decode_response(code, BANK) for code in shown_codes(organiser, site)], BANK)
    assert shown_result(organiser) == json.loads(json.dumps(left.to_dict()))
    if BANK.team.min_group > 2:
        assert list(shown_result(organiser)["sides"]) == [EVERYONE]
        note = organiser.locator(".pp-sides-note")
        assert f"fewer than {BANK.team.min_group}" in note.inner_text()
    else:
        assert set(shown_result(organiser)["sides"]) == set(ORGANISATIONS)

    # The key's backup opens the round in another browser; a wrong passphrase does not.
    elsewhere = people.new().new_page()
    elsewhere.goto(site.url("compare/"))
    wait_for_state(elsewhere, "ready")
    prompts: list[str] = []

    def passphrase(dialog: Dialog) -> None:
        prompts.append(dialog.message)
        dialog.accept("not the passphrase" if len(prompts) == 1 else PASSPHRASE)

    elsewhere.on("dialog", passphrase)
    elsewhere.locator("#pp-round-restore-file").set_input_files(str(backup))
    message = elsewhere.locator("#pp-round-message")
    message.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    assert "passphrase does not open" in message.inner_text()
    elsewhere.locator("#pp-round-restore-file").set_input_files(str(backup))
    elsewhere.wait_for_function(
        "() => document.getElementById('pp-round-message').textContent.includes('restored')",
        timeout=READY_TIMEOUT_MS,
    )
    elsewhere.locator("#pp-round-active").wait_for(state="visible")
    elsewhere.locator("#pp-codes").fill(received[0])
    elsewhere.locator("#pp-add-codes").click()
    elsewhere.wait_for_function(
        "() => document.getElementById('pp-count').textContent === '1 response.'",
        timeout=READY_TIMEOUT_MS,
    )


# The bank's relationships both organisations answer from (as shipped: peers).
PEERS = [r.id for r in BANK.relationships if counterpart(r.id, BANK) == r.id]


@pytest.mark.skipif(not PEERS, reason="the bank has no relationship both sides answer from")
def test_peers_get_a_two_sided_view(people: Browsers, site: Site, tmp_path: Path) -> None:
    """A health check between peers: both organisations answer with the same wording, and with
    enough people on each side, each organisation is shown apart, as a client and a provider
    are: the two-sided view never collapses to one side."""
    organiser = people.new().new_page()
    organiser.goto(site.url("compare/"))
    wait_for_state(organiser, "ready")
    links, _ = start_round(organiser, tmp_path, PEERS[0])
    group = BANK.team.min_group
    received = []
    for n in range(2 * group):
        given = SCENARIOS[n % len(SCENARIOS)].answers(BANK)
        body = answer(people.new(), links["ours" if n < group else "theirs"], given)
        received.append(as_received(body, "chat"))
    organiser.locator("#pp-codes").fill("\n".join(received))
    organiser.locator("#pp-add-codes").click()
    organiser.wait_for_function(
        f"() => document.getElementById('pp-count').textContent === '{2 * group} responses.'",
        timeout=READY_TIMEOUT_MS,
    )
    codes = shown_codes(organiser, site)
    responses = [decode_response(code, BANK) for code in codes]
    assert {r.relationship for r in responses} == {PEERS[0]}
    assert sorted(r.organisation or "" for r in responses) == sorted(
        [ORGANISATIONS[0]] * group + [ORGANISATIONS[1]] * group
    )
    result = shown_result(organiser)
    assert result == json.loads(json.dumps(combine(responses, BANK).to_dict()))
    assert set(result["sides"]) == set(ORGANISATIONS)
    people.assert_nothing_sent(NAME, *(code.split("-", 2)[2] for code in codes))


def test_a_reply_to_another_round_is_refused_saying_so(
    people: Browsers, site: Site, tmp_path: Path
) -> None:
    """Two health checks: a reply to the first, pasted into the second, is named, not added."""
    organiser = people.new().new_page()
    organiser.goto(site.url("compare/"))
    wait_for_state(organiser, "ready")
    first, _ = start_round(organiser, tmp_path)
    body = answer(people.new(), first["ours"], SCENARIOS[0].answers(BANK))
    start_round(organiser, tmp_path)
    organiser.locator("#pp-codes").fill(body)
    organiser.locator("#pp-add-codes").click()
    line = organiser.locator("#pp-refused li").first
    line.wait_for(timeout=READY_TIMEOUT_MS)
    assert "another health check" in line.inner_text() and NAME in line.inner_text()
    assert organiser.locator("#pp-count").inner_text() == "No responses yet."


def round_names(page: Page) -> list[str]:
    """The health checks the page offers to switch between (after "no health check")."""
    names: list[str] = page.locator("#pp-round-switch option").all_inner_texts()
    return names[1:]


def test_rounds_are_kept_across_tabs_and_a_restart_and_deleted_only_after_a_warning(
    playwright: Playwright, people: Browsers, site: Site, tmp_path: Path
) -> None:
    """Two health checks in one organiser's browser: a second tab sees both and its changes
    reach the first; after the browser is closed and opened again both are there, with their
    actions, and the key still opens a reply; deleting one warns that its key goes too."""
    profile = tmp_path / "organiser"

    def organiser_browser() -> BrowserContext:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            accept_downloads=True,
        )
        return people.watch(context)

    def compare_page(context: BrowserContext) -> Page:
        page = context.new_page()
        page.goto(site.url("compare/"))
        wait_for_state(page, "ready")
        return page

    context = organiser_browser()
    first = compare_page(context)
    links, _ = start_round(first, tmp_path)
    start_round(first, tmp_path, name=OTHER)
    assert sorted(round_names(first)) == sorted([NAME, OTHER])
    second = compare_page(context)
    assert sorted(round_names(second)) == sorted([NAME, OTHER])
    second.locator("#pp-round-switch").select_option(label=NAME)
    second.locator("#pp-action-what").fill(ACTION)
    second.locator("#pp-action-add").click()
    first.locator("#pp-round-switch").select_option(label=NAME)
    first.locator("#pp-actions-rows tr").first.wait_for(timeout=READY_TIMEOUT_MS)
    assert ACTION in first.locator("#pp-actions-rows").inner_text()
    people.close(context)

    body = answer(people.new(), links["ours"], SCENARIOS[0].answers(BANK))
    context = organiser_browser()
    page = compare_page(context)
    assert sorted(round_names(page)) == sorted([NAME, OTHER])
    page.locator("#pp-round-switch").select_option(label=NAME)
    assert ACTION in page.locator("#pp-actions-rows").inner_text()
    page.locator("#pp-codes").fill(as_received(body, "email"))
    page.locator("#pp-add-codes").click()
    page.wait_for_function(
        "() => document.getElementById('pp-count').textContent === '1 response.'",
        timeout=READY_TIMEOUT_MS,
    )
    assert page.locator("#pp-refused li").count() == 0

    warnings: list[str] = []

    def decide(dialog: Dialog) -> None:
        warnings.append(dialog.message)
        if len(warnings) == 1:
            dialog.dismiss()
        else:
            dialog.accept()

    page.on("dialog", decide)
    page.locator("#pp-round-delete").click()
    assert len(warnings) == 1 and "backup file" in warnings[0]
    assert sorted(round_names(page)) == sorted([NAME, OTHER])
    page.locator("#pp-round-delete").click()
    page.wait_for_function(
        "() => document.getElementById('pp-round-switch').options.length === 2",
        timeout=READY_TIMEOUT_MS,
    )
    assert round_names(page) == [OTHER]
    people.assert_nothing_sent(NAME, OTHER, ACTION)


def test_starting_a_health_check_with_storage_full_says_so_and_keeps_it_on_the_page(
    people: Browsers, site: Site, tmp_path: Path
) -> None:
    """Storage full: the health check is started all the same, the page says it was not saved,
    and what was typed (its name, its invitations) stays on the page, its key's backup saved."""
    organiser = people.new()
    organiser.add_init_script(
        "Storage.prototype.setItem = function() "
        "{ throw new DOMException('full', 'QuotaExceededError'); }"
    )
    page = organiser.new_page()
    page.goto(site.url("compare/"))
    wait_for_state(page, "ready")
    notice = page.locator("#pp-notice")
    assert notice.is_hidden()
    links, backup = start_round(page, tmp_path)
    assert notice.is_visible()
    assert "did not save" in notice.inner_text() and "full" in notice.inner_text()
    assert NAME in page.locator("#pp-round-status").inner_text()
    assert all("#invite=" in link for link in links.values())
    assert backup.stat().st_size > 0


def test_the_health_check_form_holds_what_the_engine_reads_back(site: Site) -> None:
    """The built form lets a name and an action's texts grow as long as an invitation or a
    round's file may carry them, and no longer."""
    html = (site.root / "compare" / "index.html").read_text(encoding="utf-8")
    limits = {"pp-round-name": MAX_NAME, "pp-action-what": MAX_ACTION_TEXT,
              "pp-action-owner": MAX_OWNER}  # fmt: skip
    for field, most in limits.items():
        found = re.search(rf'<input [^>]*id="{field}"[^>]*>', html)
        assert found, field
        assert f'maxlength="{most}"' in found.group(0), found.group(0)
    # No more people are expected from one organisation than a team's result combines.
    for field in ("pp-round-ours", "pp-round-theirs"):
        found = re.search(rf'<input [^>]*id="{field}"[^>]*>', html)
        assert found, field
        assert f'max="{BANK.team.max_responses}"' in found.group(0), found.group(0)
