"""Find the line on which each key of a TOML document is written.

``tomllib`` gives values but no positions, and a message that says "line 1"
for a mistake on line 40 wastes a user's time. This module scans a document
that ``tomllib`` has already accepted and records, for every key path, the
line of the key (or of the table header that opened it). Key paths are tuples
of keys and 0-based array indices, e.g. ``("step", 1, "step", 0, "duration")``.

The scanner only needs to follow the structure of valid TOML; if it ever
meets something it does not understand it stops, and lookups fall back to the
nearest enclosing key it did record.
"""

from __future__ import annotations

import contextlib
import re

KeyPath = tuple[str | int, ...]

_BARE_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
_ESCAPES = {
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "f": "\f",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "e": "\x1b",
}


class _Stop(Exception):
    """The scanner met text it does not follow; keep what was found so far."""


class LineLocator:
    """Maps key paths of one TOML document to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self.lines: dict[KeyPath, int] = {}
        self._text = text
        self._pos = 0
        self._line = 1
        # OverflowError: chr() of a huge \U escape; RecursionError: very deep arrays.
        with contextlib.suppress(_Stop, IndexError, ValueError, OverflowError, RecursionError):
            self._scan_document()

    def line_of(self, path: KeyPath) -> int:
        """The line of ``path``, else of its nearest recorded parent, else 1."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return 1

    # -- low-level reading -------------------------------------------------

    def _peek(self, offset: int = 0) -> str:
        index = self._pos + offset
        return self._text[index] if index < len(self._text) else ""

    def _advance(self, count: int = 1) -> None:
        for _ in range(count):
            if self._pos >= len(self._text):
                return
            if self._text[self._pos] == "\n":
                self._line += 1
            self._pos += 1

    def _startswith(self, token: str) -> bool:
        return self._text.startswith(token, self._pos)

    def _skip_blanks(self) -> None:
        while self._peek() in (" ", "\t"):
            self._advance()

    def _skip_comment(self) -> None:
        if self._peek() == "#":
            while self._peek() not in ("\n", ""):
                self._advance()

    def _skip_blanks_newlines_comments(self) -> None:
        while True:
            char = self._peek()
            if char in (" ", "\t", "\r", "\n"):
                self._advance()
            elif char == "#":
                self._skip_comment()
            else:
                return

    def _record(self, path: KeyPath, line: int) -> None:
        self.lines.setdefault(path, line)

    # -- document structure ------------------------------------------------

    def _scan_document(self) -> None:
        table: KeyPath = ()
        array_counts: dict[KeyPath, int] = {}
        while True:
            self._skip_blanks_newlines_comments()
            if self._pos >= len(self._text):
                return
            if self._peek() == "[":
                table = self._scan_header(array_counts)
            else:
                line = self._line
                keys = self._read_key()
                for end in range(1, len(keys)):
                    self._record(table + tuple(keys[:end]), line)
                path = table + tuple(keys)
                self._record(path, line)
                self._skip_blanks()
                if self._peek() != "=":
                    raise _Stop
                self._advance()
                self._skip_blanks()
                self._scan_value(path)

    def _scan_header(self, array_counts: dict[KeyPath, int]) -> KeyPath:
        line = self._line
        is_array = self._startswith("[[")
        self._advance(2 if is_array else 1)
        self._skip_blanks()
        keys = self._read_key()
        self._skip_blanks()
        self._advance(2 if is_array else 1)
        resolved: KeyPath = ()
        for depth, key in enumerate(keys):
            resolved += (key,)
            last = depth == len(keys) - 1
            if last and is_array:
                index = array_counts.get(resolved, 0)
                array_counts[resolved] = index + 1
                self._record(resolved, line)
                resolved += (index,)
            elif resolved in array_counts:
                resolved += (array_counts[resolved] - 1,)
            self._record(resolved, line)
        return resolved

    def _read_key(self) -> list[str]:
        keys = [self._read_simple_key()]
        while True:
            self._skip_blanks()
            if self._peek() != ".":
                return keys
            self._advance()
            self._skip_blanks()
            keys.append(self._read_simple_key())

    def _read_simple_key(self) -> str:
        char = self._peek()
        if char == '"':
            return self._read_basic_string()
        if char == "'":
            return self._read_literal_string()
        start = self._pos
        while self._peek() in _BARE_KEY_CHARS and self._peek() != "":
            self._advance()
        if self._pos == start:
            raise _Stop
        return self._text[start : self._pos]

    # -- values --------------------------------------------------------------

    def _scan_value(self, path: KeyPath) -> None:
        char = self._peek()
        if char == "[":
            self._scan_array(path)
        elif char == "{":
            self._scan_inline_table(path)
        elif char == '"':
            if self._startswith('"""'):
                self._skip_multiline('"""', escapes=True)
            else:
                self._read_basic_string()
        elif char == "'":
            if self._startswith("'''"):
                self._skip_multiline("'''", escapes=False)
            else:
                self._read_literal_string()
        else:
            # Numbers, booleans, dates and times: up to the next delimiter.
            # A date and a time may be separated by one space.
            start = self._pos
            self._skip_bare_value()
            if (
                self._peek() == " "
                and self._peek(1).isdigit()
                and _DATE.match(self._text, start, self._pos)
            ):
                self._advance()
                self._skip_bare_value()

    def _skip_bare_value(self) -> None:
        while self._peek() not in ("", ",", "]", "}", "\n", "\r", "#", " ", "\t"):
            self._advance()

    def _scan_array(self, path: KeyPath) -> None:
        self._advance()  # [
        index = 0
        while True:
            self._skip_blanks_newlines_comments()
            if self._peek() == "]":
                self._advance()
                return
            if self._peek() == "":
                raise _Stop
            self._record(path + (index,), self._line)
            start = self._pos
            self._scan_value(path + (index,))
            if self._pos == start:  # a stray "}" or the like: no value, no progress
                raise _Stop
            index += 1
            self._skip_blanks_newlines_comments()
            if self._peek() == ",":
                self._advance()

    def _scan_inline_table(self, path: KeyPath) -> None:
        self._advance()  # {
        while True:
            self._skip_blanks_newlines_comments()
            if self._peek() == "}":
                self._advance()
                return
            if self._peek() == "":
                raise _Stop
            line = self._line
            keys = self._read_key()
            for end in range(1, len(keys) + 1):
                self._record(path + tuple(keys[:end]), line)
            self._skip_blanks()
            if self._peek() != "=":
                raise _Stop
            self._advance()
            self._skip_blanks()
            self._scan_value(path + tuple(keys))
            self._skip_blanks_newlines_comments()
            if self._peek() == ",":
                self._advance()

    def _read_basic_string(self) -> str:
        self._advance()  # opening quote
        out: list[str] = []
        while True:
            char = self._peek()
            if char in ("", "\n"):
                raise _Stop
            self._advance()
            if char == '"':
                return "".join(out)
            if char == "\\":
                code = self._peek()
                self._advance()
                if code in ("u", "U"):
                    width = 4 if code == "u" else 8
                    digits = self._text[self._pos : self._pos + width]
                    self._advance(width)
                    out.append(chr(int(digits, 16)))
                elif code == "x":
                    digits = self._text[self._pos : self._pos + 2]
                    self._advance(2)
                    out.append(chr(int(digits, 16)))
                else:
                    out.append(_ESCAPES.get(code, code))
            else:
                out.append(char)

    def _read_literal_string(self) -> str:
        self._advance()
        start = self._pos
        while self._peek() not in ("'", "\n", ""):
            self._advance()
        if self._peek() != "'":
            raise _Stop
        value = self._text[start : self._pos]
        self._advance()
        return value

    def _skip_multiline(self, delimiter: str, *, escapes: bool) -> None:
        self._advance(3)
        while True:
            if self._pos >= len(self._text):
                raise _Stop
            if escapes and self._peek() == "\\":
                self._advance(2)
                continue
            if self._startswith(delimiter):
                # Up to two quotes may sit right before the closing delimiter.
                while self._startswith(delimiter + delimiter[0]):
                    self._advance()
                self._advance(3)
                return
            self._advance()
