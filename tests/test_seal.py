"""Sealed replies and the key backup (docs/javascripts/seal.js), run with Node.js's WebCrypto.

Only the round's private key opens a reply; a reply to another round, a changed byte or another
key never opens; the backup opens with its passphrase only, and the key it holds opens the
round's replies. Found in text by assessment/replies.py, exactly as the page does.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.replies import find_replies, reply_text
from tests.conftest import REPO
from tests.jsbridge import JsModule

HARNESS = REPO / "tests" / "js" / "seal-harness.mjs"
# A backup's work factor in these tests: the real one is the module's BACKUP_ITERATIONS.
FAST = 100_000
ROUND = "r0und0001"


@pytest.fixture(scope="module")
def seal() -> Iterator[JsModule]:
    """The sealing module, loaded once in Node.js."""
    with JsModule(HARNESS) as module:
        yield module


@pytest.fixture(scope="module")
def keys(seal: JsModule) -> dict[str, str]:
    """One round's key pair: the public key and the private key's PKCS#8 bytes (base64url)."""
    made: dict[str, str] = seal.call("roundKeys")
    return made


codes = st.text(
    alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_.",
    min_size=12,
    max_size=120,
)


@settings(max_examples=40, deadline=None)
@given(code=codes)
def test_a_sealed_code_opens_with_the_round_s_key_only(
    seal: JsModule, keys: dict[str, str], code: str
) -> None:
    """Sealed, written as a reply and found in text: it opens to the code; nothing else opens it."""
    body = seal.call("sealReply", code, ROUND, keys["publicKey"])
    assert code not in body
    [found], bad, _ = find_replies(f"Here is mine:\n> {reply_text(ROUND, body)}\nThanks")
    assert bad == ()
    assert seal.call("openReply", found.body, found.round, keys["pkcs8"]) == {"code": code}
    other = seal.call("roundKeys")
    assert "cannot be opened" in seal.call("openReply", body, ROUND, other["pkcs8"])["error"]
    assert "cannot be opened" in seal.call("openReply", body, "r0und0002", keys["pkcs8"])["error"]


def test_a_changed_or_cut_reply_never_opens(seal: JsModule, keys: dict[str, str]) -> None:
    """One changed character, or a reply cut short: refused with a plain reason, never opened."""
    body = seal.call("sealReply", "2-2026.2-AAAA", ROUND, keys["publicKey"])
    flipped = body[:-5] + ("A" if body[-5] != "A" else "B") + body[-4:]
    assert "cannot be opened" in seal.call("openReply", flipped, ROUND, keys["pkcs8"])["error"]
    assert "cut short" in seal.call("openReply", body[:40], ROUND, keys["pkcs8"])["error"]
    assert "damaged" in seal.call("openReply", body + "!", ROUND, keys["pkcs8"])["error"]


def test_two_seals_of_one_code_differ(seal: JsModule, keys: dict[str, str]) -> None:
    """Each seal uses a new key and nonce: the same code twice gives two different replies."""
    first = seal.call("sealReply", "2-2026.2-AAAA", ROUND, keys["publicKey"])
    second = seal.call("sealReply", "2-2026.2-AAAA", ROUND, keys["publicKey"])
    assert first != second


def test_the_backup_opens_with_its_passphrase_only(seal: JsModule, keys: dict[str, str]) -> None:
    """The backup file's key opens the round's replies; a wrong passphrase or a damaged file is
    named; the file holds no key in the clear."""
    about = {"id": ROUND, "name": "Acme and Beta"}
    backup = seal.call("makeBackup", keys["pkcs8"], ROUND, "correct horse battery", FAST, about)
    assert keys["pkcs8"] not in backup
    body = seal.call("sealReply", "2-2026.2-BBBB", ROUND, keys["publicKey"])
    opened = seal.call("openBackupAndReply", backup, "correct horse battery", body)
    assert opened == {"round": ROUND, "about": about, "code": "2-2026.2-BBBB"}
    wrong = seal.call("openBackupAndReply", backup, "correct horse battery!", body)
    assert "passphrase does not open" in wrong["error"]
    assert "not a key backup" in seal.call("openBackupAndReply", "{nope", "x", body)["error"]
    damaged = backup.replace('"key": "', '"key": "A', 1)
    assert "error" in seal.call("openBackupAndReply", damaged, "correct horse battery", body)
    edited = backup.replace("Acme and Beta", "Acme and Gamma")
    assert (
        "does not open"
        in seal.call("openBackupAndReply", edited, "correct horse battery", body)["error"]
    )
