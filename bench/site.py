"""The site under test: built (timed), served as GitHub Pages would, beside other trees' builds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.floors import install_floors
from bench.machine import QUIET
from bench.report import say
from sitekit.hookfiles import REPO
from sitekit.manifest import Manifest, load_manifest
from sitekit.server import MOUNT, Site, serve

MAX_AGE = 600
# The pages reach the site by relative URLs only, so a build for this address serves anywhere.
BUILD_URL = "http://127.0.0.1:8000" + MOUNT


@dataclass(frozen=True)
class Build:
    """One `mkdocs build --strict`: wall time (s) and peak resident memory (MiB)."""

    wall_s: float
    peak_mib: float


def build(tree: Path, destination: Path) -> Build:
    """Build the site of work tree `tree` into `destination` in a subprocess; time it."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(destination)]
    env = {**os.environ, "SITE_URL": BUILD_URL, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryFile() as log:
        QUIET.wait()
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=tree, env=env, stdout=log, stderr=log)
        _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            log.seek(0)
            raise SystemExit(f"{tree}: mkdocs build failed:\n{log.read().decode(errors='replace')}")
    return Build(time.perf_counter() - start, usage.ru_maxrss / 1024)  # ru_maxrss is in KiB


@contextmanager
def built(runs: int) -> Iterator[tuple[Path, list[Build]]]:
    """Build this tree's site `runs` times; yield the last build's folder and every build."""
    with tempfile.TemporaryDirectory(prefix="bench-build-") as temp:
        builds = [build(REPO, Path(temp)) for _ in range(runs)]
        say(f"builds: {', '.join(f'{each.wall_s:.2f} s' for each in builds)}")
        yield Path(temp), builds


@dataclass(frozen=True)
class Target:
    """A served site: the build under test, or the build of another tree (its `variant`)."""

    site: Site
    manifest: Manifest
    variant: str | None = None

    def is_runtime(self, path: str) -> bool:
        """Tell whether URL path `path` is a file of Pyodide, PyScript or the engine."""
        bundles = (self.manifest.pyodide, self.manifest.pyscript, self.manifest.package)
        return path.startswith(tuple(MOUNT + bundle.base for bundle in bundles))


@contextmanager
def served(root: Path, against: Sequence[Path] = ()) -> Iterator[list[Target]]:
    """Serve a copy of the build at `root`, then a build of each tree `against`, floors added."""
    with tempfile.TemporaryDirectory(prefix="bench-served-") as temp, ExitStack() as stack:
        targets = []
        for tree in [None, *against]:
            folder = Path(temp) / (tree.name if tree else "as-built")
            build(tree, folder) if tree else shutil.copytree(root, folder)
            install_floors(folder, manifest := load_manifest(folder))
            site = stack.enter_context(serve(folder, max_age=MAX_AGE, compress=True))
            targets.append(Target(site, manifest, tree.name if tree else None))
        yield targets
