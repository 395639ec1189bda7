"""Terminal safety for command lines: neutral text, bounded input, output that fails cleanly.

Everything a command line prints may carry text it did not write (an answers file's keys, a
bank's questions, a path): it goes through neutralise() so that no control character or escape
sequence reaches the terminal raw. Input files are read with a size limit; output is written
and flushed so that a closed or full standard output, a closed standard input or an encoding
that cannot show the text gives one line on standard error and an exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, NoReturn, Protocol

from .errors import AssessmentError

# The shipped bank is about 42 kB for 35 questions: 10 MB leaves room for thousands of questions
# and still refuses a runaway file (or /dev/zero) before it fills the memory.
MAX_BANK_BYTES = 10_000_000
# One typed reply in interactive mode; a longer "line" is not a person typing.
MAX_REPLY_CHARS = 10_000
# How long an error message may get.
MESSAGE_CHARS = 300

# Characters that are not "printable" to Python but are harmless in running text: the joiners
# that some scripts and emoji sequences need. Spaces (Unicode category Zs) are handled apart.
_HARMLESS_FORMAT = frozenset("\u200c\u200d")
_LINE_SEPARATORS = frozenset("\u2028\u2029\x85")
# Typographic characters and their nearest ASCII, for a terminal that cannot show them.
_ASCII_FALLBACK = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "--",
        "\u2026": "...",
        "\u2192": "->",
        "\u00a0": " ",
        "\u2022": "*",
    }
)


class InputError(AssessmentError):
    """An input file or standard input cannot be used: too large, unreadable or closed."""


class OutputError(Exception):
    """Standard output cannot be written; the message says why, for a person."""


class TextSink(Protocol):
    """Anything text can be written to (a stream, a list's writer, a SafeWriter)."""

    def write(self, text: str, /) -> object:
        """Write text."""
        ...


def neutralise(text: str, *, keep_newlines: bool = False) -> str:
    """Text with every control, format or separator character shown as a visible escape (\\x1b)."""
    if text.isprintable():
        return text  # The common case, and fast.
    return "".join(_neutral_char(ch, keep_newlines) for ch in text)


def _neutral_char(ch: str, keep_newlines: bool) -> str:
    if ch.isprintable() or ch in _HARMLESS_FORMAT:
        return ch
    if keep_newlines and ch in "\n\t":
        return ch
    if ch.isspace() and ord(ch) >= 0xA0 and ch not in _LINE_SEPARATORS:
        return ch  # A no-break, thin or ideographic space: shown as a space by any terminal.
    # repr() spells the character with escapes only (\x1b, \n, \u202e, \U000e0001).
    return repr(ch)[1:-1]


def message_line(text: str, limit: int = MESSAGE_CHARS) -> str:
    """A message as one neutralised line of bounded length: its start and its end survive a cut."""
    if len(text) > limit:
        # The start names the file and the problem, the end often the context (a bank version).
        tail = limit // 4
        text = f"{text[: limit - tail - 1]}…{text[len(text) - tail :]}"
    return neutralise(text)


def fit_encoding(text: str, encoding: str | None) -> tuple[str, bool]:
    """Text the encoding can carry, and whether anything had to be replaced to get there."""
    if not encoding:
        return text, False
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        pass
    except LookupError:
        return text, False  # An encoding Python does not know: let the stream decide.
    else:
        return text, False
    plain = text.translate(_ASCII_FALLBACK)
    return plain.encode(encoding, "backslashreplace").decode(encoding, "replace"), True


def read_input(path: str | Path, limit: int, what: str = "an input file") -> bytes:
    """The bytes of an input file, refused with InputError if it is larger than `limit` bytes.

    Answers files use exports.MAX_EXPORT_BYTES (the page's import limit), banks MAX_BANK_BYTES.
    """
    name = str(path)
    try:
        with open(path, "rb") as stream:
            # Read one byte past the limit rather than trust the size on disk: a pipe, a device
            # or a file still growing has no honest size.
            data = stream.read(limit + 1)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError(f"{name}: cannot be read ({reason}).") from None
    if len(data) > limit:
        raise InputError(
            f"{name}: is larger than {size_text(limit)}, the limit for {what}: "
            "refused, nothing read."
        )
    return data


def size_text(limit: int) -> str:
    """A byte limit as people read it in a message or a --help ("1 MB")."""
    if limit % 1_000_000 == 0:
        return f"{limit // 1_000_000} MB"
    return f"{limit:,} bytes"


class SafeWriter:
    """A stream wrapper for prompts and messages: neutral text, never an exception."""

    def __init__(self, stream: TextSink | None) -> None:
        self.stream = stream

    def write(self, text: str, /) -> int:
        """Write text neutralised (newlines kept) and fitted to the stream's encoding."""
        stream = self.stream
        if stream is None:
            return 0
        safe, _ = fit_encoding(neutralise(text, keep_newlines=True), _encoding(stream))
        try:
            stream.write(safe)
        except (OSError, ValueError):
            # A prompt or a message that cannot be shown must not stop the run: the result
            # still goes to standard output, and the exit status still tells.
            return 0
        return len(text)

    def flush(self) -> None:
        """Flush the stream, ignoring a stream that is closed or full."""
        flush = getattr(self.stream, "flush", None)
        if flush is not None:
            with contextlib.suppress(OSError, ValueError):
                flush()


def stderr() -> SafeWriter:
    """Standard error as a SafeWriter (whatever sys.stderr is at the time of the call)."""
    return SafeWriter(sys.stderr)


def report_error(message: str, prefix: str = "error: ") -> None:
    """Print one neutral, bounded line on standard error; never raises."""
    writer = stderr()
    writer.write(f"{prefix}{message_line(message)}\n")
    writer.flush()


def write_output(text: str, stream: IO[str] | None = None) -> None:
    """Write text to standard output (or `stream`) and flush it; OutputError if that fails."""
    target = _open_stdout() if stream is None else stream
    safe, replaced = fit_encoding(neutralise(text, keep_newlines=True), _encoding(target))
    with _writing(target):
        target.write(safe)
        target.flush()
    if replaced and not _noted:
        _noted.append(True)  # Once per run, however many writes.
        report_error(
            f"standard output uses {_encoding(target)}, which cannot show some characters: they "
            "are written as backslash escapes. A UTF-8 locale (e.g. LC_ALL=C.UTF-8) shows them.",
            prefix="note: ",
        )


_noted: list[bool] = []


def write_output_bytes(data: bytes) -> None:
    """Write encoded bytes (e.g. an iCalendar file and its CRLF) to stdout; OutputError if not.

    The caller neutralises the text before encoding it: bytes are written as they are.
    """
    stream = _open_stdout()
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # A text-only stream (a test's StringIO): text it is.
        write_output(data.decode("utf-8", "replace"), stream)
        return
    with _writing(stream):
        stream.flush()  # Text written before must come first.
        buffer.write(data)
        buffer.flush()


def write_calendar(text: str) -> None:
    """Write an iCalendar file to standard output as UTF-8 bytes: its CRLF line ends survive."""
    # write_output() would show the CR of each CRLF as an escape; the calendar's text is
    # neutralised line by line instead (it is built from the engine's data and parsed dates).
    safe = "\r\n".join(neutralise(line) for line in text.split("\r\n"))
    write_output_bytes(safe.encode("utf-8"))


def _open_stdout() -> IO[str]:
    if sys.stdout is None:
        raise OutputError("standard output is closed: the result could not be written.")
    return sys.stdout


@contextlib.contextmanager
def _writing(stream: IO[str]) -> Iterator[None]:
    """Turn a failed write to `stream` into OutputError, and keep Python from retrying it."""
    try:
        yield
    except (OSError, ValueError) as error:
        _discard(stream)
        raise OutputError(
            f"the result could not be written to standard output ({_why(error)})."
        ) from None


def _encoding(stream: object) -> str | None:
    encoding = getattr(stream, "encoding", None)
    return encoding if isinstance(encoding, str) else None


def _why(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return "it is closed" if isinstance(error, ValueError) else type(error).__name__


def _discard(stream: IO[str]) -> None:
    # The failed bytes are still buffered; Python would try them again at exit and print
    # "Exception ignored". Point the descriptor at /dev/null so that last flush succeeds.
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def read_line(prompt: str) -> str:
    """Show a prompt on standard error and read one typed line; EOFError at the end of input."""
    stdin = sys.stdin
    if stdin is None:
        raise InputError("standard input is closed: there is nothing to read the answers from.")
    writer = stderr()
    writer.write(prompt)
    writer.flush()
    parts: list[str] = []
    size = 0
    while True:
        try:
            part = stdin.readline(MAX_REPLY_CHARS + 1)
        except UnicodeDecodeError:
            part = "\ufffd\n"  # Not text in the input's encoding: an answer no question takes.
        except (OSError, ValueError) as error:
            raise InputError(f"standard input cannot be read ({_why(error)}).") from None
        parts.append(part)
        size += len(part)
        if size > MAX_REPLY_CHARS:
            writer.write("\n")  # The error gets a line of its own, not the prompt's.
            raise InputError(f"a typed reply is longer than {MAX_REPLY_CHARS:,} characters.")
        if not part or part.endswith("\n"):
            break
    line = "".join(parts)
    if not line:
        raise EOFError
    return line


def finish_output() -> int:
    """Flush standard output before exit: 0, or 1 (with a message) if it cannot be written."""
    stream = sys.stdout
    if stream is None:
        return 0
    try:
        stream.flush()
    except (OSError, ValueError) as error:
        _discard(stream)
        report_error(f"the output could not be written to standard output ({_why(error)}).")
        return 1
    return 0


def guard(main: Callable[[], int]) -> int:
    """Run a command line's main function: any failure is one line on stderr and a status."""
    if isinstance(sys.stdin, io.TextIOWrapper):
        # A reply in the wrong encoding becomes U+FFFD (an invalid answer), not a crash.
        with contextlib.suppress(OSError, ValueError):
            sys.stdin.reconfigure(errors="replace")
    try:
        status = main()
    except OutputError as error:
        report_error(str(error))
        status = 1
    except AssessmentError as error:
        # Bad input that escaped the program's own handling (a bank read while building the
        # parser, say) is still one line naming the file and field, never a traceback.
        report_error(str(error))
        status = 1
    except KeyboardInterrupt:
        report_error("interrupted.")
        status = 130
    except SystemExit as done:
        status = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        if done.code is not None and not isinstance(done.code, int):
            report_error(str(done.code))
    flushed = finish_output()
    return status or flushed


class SafeArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are neutralised and survive a closed stdout."""

    def _print_message(self, message: str, file: TextSink | None = None) -> None:
        if not message:
            return
        if file is None or file is sys.stdout:
            # Help and usage: the program's output, so a failure to write it is an error.
            write_output(message)
        else:
            SafeWriter(file).write(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        """Leave with a status; a usage error's message is neutralised like any other."""
        if message:
            SafeWriter(sys.stderr).write(message)
        raise SystemExit(status)

    def error(self, message: str) -> NoReturn:
        """A usage error: usage on stderr, one neutral bounded line, status 2."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message_line(message)}\n")


class BriefArgumentParser(SafeArgumentParser):
    """A SafeArgumentParser whose usage mistake is one line naming the option, like every
    other error of the command."""

    def error(self, message: str) -> NoReturn:
        """A usage error: one line, status 2."""
        report_error(f"{message} (see --help)")
        raise SystemExit(2)
