"""Debian's Chromium, as the Chromium suite and the benchmark launch it."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# Headless Debian Chromium as root in a container: no sandbox, no GPU, and none of the
# background traffic (updates, sync, QUIC probes) that would muddy the request log.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
