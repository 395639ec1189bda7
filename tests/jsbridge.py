"""Call the site's pure JavaScript modules from the tests: one Node.js process, JSON lines.

The pages' rules that must hold before Python loads (how two tabs' saved data merge) are
written in JavaScript; Hypothesis checks them here as it checks the engine, by calling the very
module the pages import.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from types import TracebackType
from typing import Any

# Reads {"fn": name, "args": [...]} lines, answers {"ok": value} or {"error": message} lines;
# an export that returns a promise is awaited.
DRIVER = """
const module = await import(process.argv[1]);
const lines = (await import("node:readline")).createInterface({ input: process.stdin });
for await (const line of lines) {
  const { fn, args } = JSON.parse(line);
  let answer;
  try {
    answer = { ok: (await module[fn](...args)) ?? null };
  } catch (error) {
    answer = { error: String(error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\\n");
}
"""


class JsModule:
    """A JavaScript ES module of the site, loaded in Node.js, whose exports the tests call."""

    def __init__(self, path: Path) -> None:
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("Node.js is needed to test the site's JavaScript (node not found)")
        self._process = subprocess.Popen(
            [node, "--input-type=module", "-e", DRIVER, path.resolve().as_uri()],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def call(self, fn: str, *args: Any) -> Any:
        """Call the module's export `fn` with JSON-able arguments; return its JSON-able value."""
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps({"fn": fn, "args": args}) + "\n")
        self._process.stdin.flush()
        answer = json.loads(self._process.stdout.readline())
        if "error" in answer:
            raise RuntimeError(f"{fn}: {answer['error']}")
        return answer["ok"]

    def close(self) -> None:
        """End the Node.js process."""
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=10)
        if self._process.stdout is not None:
            self._process.stdout.close()

    def __enter__(self) -> JsModule:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
