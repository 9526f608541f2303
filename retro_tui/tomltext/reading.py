"""Read a TOML file a person wrote: bounded, UTF-8, and every mistake with its line.

``tomllib`` says where a syntax error is only inside its message ("... (at line
3, column 7)"), and says nothing useful for a file that is too big, not text, a
FIFO that never ends, or a document of an absurd shape. These functions turn all
of that into :class:`~retro_tui.tomltext.problems.FileProblem` messages with the
file and the line, and are the one way plans, programs, settings and the history
log read a TOML mistake.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path

from retro_tui.tomltext.locate import LineLocator
from retro_tui.tomltext.problems import FileProblem, FileProblemError, file_error

MAX_FILE_BYTES = 1024 * 1024
"""The largest plan, program or settings file read: far more than any of them needs."""

_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_AT_END = re.compile(r"\s*\(at end of document\)")
# A run of more decimal digits than int() will convert (Python's 4300-digit limit).
_LONG_NUMBER = re.compile(r"(?<![0-9_])[0-9](?:_?[0-9]){4300}")


@dataclass(frozen=True)
class SyntaxPosition:
    """Where ``tomllib`` found a syntax error, and what it said without the position."""

    line: int | None
    """1-based; ``None`` when the error is at the end of the document."""
    column: int | None
    detail: str


def syntax_position(error: tomllib.TOMLDecodeError) -> SyntaxPosition:
    """The line and column of a ``tomllib`` syntax error, taken from its message."""
    message = str(error)
    found = _POSITION.search(message)
    if found is not None:
        detail = (message[: found.start()] + message[found.end() :]).strip()
        return SyntaxPosition(int(found.group(1)), int(found.group(2)), detail)
    at_end = _AT_END.search(message)
    detail = (message[: at_end.start()] + message[at_end.end() :]) if at_end else message
    return SyntaxPosition(None, None, detail.strip())


def last_text_line(text: str) -> int:
    """The last line with text on it: where "at the end of the document" points a person."""
    return text.count("\n", 0, len(text.rstrip())) + 1


def long_number_line(text: str) -> int | None:
    """The line of a number too long for ``int()``, which ``tomllib`` refuses without a line."""
    match = _LONG_NUMBER.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def read_toml_bytes(path: Path, what: str) -> bytes:
    """The bytes of the ``what`` file at ``path``, at most one byte past the size limit.

    Raises :class:`FileProblemError` for a folder, a missing file, something that
    is not a regular file (a FIFO would wait for a writer forever, and
    ``/dev/zero`` never ends) or a file that cannot be read.
    """
    label = str(path)
    try:
        if path.is_dir():
            raise file_error(label, f"is a folder, not a {what} file; name a .toml file inside it")
        if not path.exists():
            raise file_error(label, "no such file")
        # Opened without blocking and checked before reading.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise file_error(label, f"is not a regular file, so not a {what} file")
            # One byte past the limit, not stat()'s size: the file may grow meanwhile.
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise file_error(label, f"cannot be read: {error.strerror or error}") from None


def decode_toml(data: bytes, label: str, what: str) -> str:
    """File bytes as text, refusing files over the size limit and anything but UTF-8."""
    if len(data) > MAX_FILE_BYTES:
        raise file_error(label, f"is larger than 1 MiB, far too big to be a {what} file")
    try:
        return data.decode("utf-8-sig")  # a byte-order mark is fine
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        message = (
            f"not UTF-8 text (byte 0x{data[error.start]:02x} at column {column}); "
            "save the file as UTF-8"
        )
        raise FileProblemError([FileProblem(label, line, "", message)]) from None


def parse_toml(
    text: str, label: str, what: str, *, locator: LineLocator | None = None
) -> dict[str, object]:
    """The TOML document in ``text``; every way it can fail is a problem with its line.

    A document of an absurd shape (see :mod:`retro_tui.tomltext.locate`) is
    refused before it is parsed, so no file takes more than a moment whatever it
    holds. ``locator`` is the text's own, when the caller has made it already.
    """
    problem = (locator or LineLocator(text)).problem
    if problem is not None:
        raise FileProblemError([FileProblem(label, problem.line, "", problem.message)])
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise FileProblemError([syntax_problem(label, text, error)]) from None
    except RecursionError:
        raise file_error(label, f"is nested too deeply to be a {what} file") from None
    except ValueError:
        # tomllib lets int() refuse a number longer than 4300 digits.
        message = f"has a number with more than 4300 digits; no {what} file needs one"
        raise FileProblemError([FileProblem(label, long_number_line(text), "", message)]) from None


def syntax_problem(label: str, text: str, error: tomllib.TOMLDecodeError) -> FileProblem:
    """A syntax error as a problem on its line, saying the column."""
    position = syntax_position(error)
    if position.line is not None:
        message = f"TOML syntax error at column {position.column}: {position.detail}"
        return FileProblem(label, position.line, "", message)
    message = f"TOML syntax error at the end: {position.detail}"
    return FileProblem(label, last_text_line(text), "", message)
