"""Find the line on which each key of a TOML document is written, and refuse absurd shapes.

``tomllib`` gives values but no positions, and a message that says "line 1"
for a mistake on line 40 wastes a user's time. :class:`LineLocator` scans a
document once and records, for every key path, the line of the key (or of the
table header that opened it). Key paths are tuples of keys and 0-based array
indices, e.g. ``("step", 1, "step", 0, "duration")``.

The same scan bounds the document's shape before anything parses it:
``tomllib`` (and any key-path bookkeeping) takes time that grows with the
square of a key's dotted parts, so a 64 KB file holding one key of 32,000
parts takes tens of seconds. Files the app reads are written by people and
never need more than a few parts, short keys, shallow nesting or numbers of
thousands of digits; the first such thing found is :attr:`LineLocator.problem`
with its line, and the caller refuses the file with it. The scan itself is one
pass of a regular expression over the text: linear in the file's size.

The scanner only needs to follow the structure of valid TOML; if it meets
something it does not understand (a mistake ``tomllib`` will report) it stops,
and lookups fall back to the nearest enclosing key it did record. Everything
before that point has had its shape checked, and ``tomllib`` stops at the same
mistake, so it never reaches an unchecked key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

KeyPath = tuple[str | int, ...]

MAX_KEY_PARTS = 10
"""Dotted parts in one key or one table header (``[[step.step.step]]`` has 3)."""
MAX_KEY_CHARS = 100
"""Characters in one part of a key."""
MAX_NESTING = 32
"""Arrays and inline tables inside one another."""
MAX_VALUES = 20_000
"""Keys, table headers and array items in one file: a 2,000-step plan has about 8,000."""
MAX_NUMBER_CHARS = 4300
"""Characters in one bare value: Python's ``int()`` refuses longer numbers anyway."""
SHOWN_KEY_CHARS = 40
"""How much of an absurd key a message repeats."""

# One token of TOML. Each alternative starts differently or is possessive, so a
# match never backtracks: the scan stays linear even for an unclosed string. A
# "gap" is the end of a line with every blank or comment line after it, so a file
# of a million comment lines is one token, not a million.
_TOKEN = re.compile(
    r"""
    (?P<gap>(?:\#[^\r\n]*+)?(?:\r?\n[ \t]*+(?:\#[^\r\n]*+)?)++)
    |(?P<blank>[ \t]++)
    |(?P<comment>\#[^\r\n]*+)
    |(?P<mlbasic>\"\"\"(?:[^"\\]++|\\[\s\S]|"(?!""))*+"{3,5})
    |(?P<mlliteral>'''(?:[^']++|'(?!''))*+'{3,5})
    |(?P<basic>"(?:[^"\\\r\n]++|\\[^\r\n])*+")
    |(?P<literal>'[^'\r\n]*+')
    |(?P<punct>[\[\]{}=.,])
    |(?P<bare>[^ \t\r\n"'\#\[\]{}=.,]++)
    """,
    re.VERBOSE,
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2}|.)")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "e": "\x1b"}
_KEY_KINDS = frozenset({"bare", "basic", "literal"})
_MULTILINE = frozenset({"gap", "mlbasic", "mlliteral"})


@dataclass(frozen=True)
class ShapeProblem:
    """Why a document is refused before parsing, and where: a plain sentence and a line."""

    line: int
    message: str


class _Stop(Exception):
    """The scanner met text it does not follow; keep what was found so far."""


class _Refuse(Exception):
    def __init__(self, problem: ShapeProblem) -> None:
        self.problem = problem


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] in "uUx" and len(code) > 1:
        try:
            return chr(int(code[1:], 16))
        except (ValueError, OverflowError):
            raise _Stop from None  # past the last code point: tomllib refuses it
    return _ESCAPES.get(code, code)


def _shown(key: str) -> str:
    return key if len(key) <= SHOWN_KEY_CHARS else key[:SHOWN_KEY_CHARS] + "…"


class LineLocator:
    """Maps key paths of one TOML document to 1-based line numbers; bounds its shape."""

    def __init__(self, text: str) -> None:
        self.lines: dict[KeyPath, int] = {}
        self.problem: ShapeProblem | None = None
        """The first absurd thing in the document (see the module's docstring), if any."""
        self._tokens = self._tokenize(text)
        self._kind = ""
        self._value = ""
        self._line = 1
        self._newlines = 0
        self._values = 0
        try:
            self._next()
            self._scan_document()
        except _Refuse as refused:
            self.problem = refused.problem
        except _Stop:
            pass

    def line_of(self, path: KeyPath) -> int:
        """The line of ``path``, else of its nearest recorded parent, else 1."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return 1

    # -- tokens ------------------------------------------------------------

    @staticmethod
    def _tokenize(text: str) -> Iterator[tuple[str, str, int]]:
        """``(kind, text, newlines in it)`` for each token; ends where nothing matches."""
        match = _TOKEN.match
        position, end = 0, len(text)
        while position < end:
            found = match(text, position)
            if found is None:
                return  # not TOML: tomllib says where
            kind = found.lastgroup or ""
            value = found.group()
            newlines = value.count("\n") if kind in _MULTILINE else 0
            yield kind, value, newlines
            position = found.end()

    def _next(self) -> None:
        """Step to the next token (``""`` at the end), counting the lines passed."""
        self._line += self._newlines
        self._kind, self._value, self._newlines = next(self._tokens, ("", "", 0))

    def _skip_blanks(self) -> None:
        while self._kind == "blank":
            self._next()

    def _skip_blank_lines(self) -> None:
        while self._kind in ("blank", "gap", "comment"):
            self._next()

    def _is(self, punct: str) -> bool:
        return self._kind == "punct" and self._value == punct

    def _expect(self, punct: str) -> None:
        if not self._is(punct):
            raise _Stop
        self._next()

    def _record(self, path: KeyPath, line: int) -> None:
        self.lines.setdefault(path, line)

    def _count_value(self) -> None:
        self._values += 1
        if self._values > MAX_VALUES:
            raise self._refuse(
                f"holds more than {MAX_VALUES:,} keys and values; no file here needs so many"
            )

    def _refuse(self, message: str, line: int | None = None) -> _Refuse:
        return _Refuse(ShapeProblem(self._line if line is None else line, message))

    # -- document structure ------------------------------------------------

    def _scan_document(self) -> None:
        table: KeyPath = ()
        array_counts: dict[KeyPath, int] = {}
        while True:
            self._skip_blank_lines()
            if self._kind == "":
                return
            self._count_value()
            if self._is("["):
                table = self._scan_header(array_counts)
            else:
                line = self._line
                keys = self._read_key()
                for end in range(1, len(keys)):
                    self._record(table + keys[:end], line)
                path = table + keys
                self._record(path, line)
                self._expect("=")
                self._scan_value(path, 0)
            self._skip_blanks()
            if self._kind == "comment":
                self._next()
            if self._kind not in ("gap", ""):
                raise _Stop  # two things on one line: tomllib's to report

    def _scan_header(self, array_counts: dict[KeyPath, int]) -> KeyPath:
        line = self._line
        self._next()  # [
        is_array = self._is("[")
        if is_array:
            self._next()
        keys = self._read_key(header=True)
        self._expect("]")
        if is_array:
            self._expect("]")
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

    def _read_key(self, *, header: bool = False) -> tuple[str, ...]:
        keys: list[str] = []
        while True:
            self._skip_blanks()
            keys.append(self._read_simple_key())
            if len(keys) > MAX_KEY_PARTS:
                what = "a table header" if header else "a key"
                raise self._refuse(
                    f"{what} of more than {MAX_KEY_PARTS} dotted parts "
                    f"({_shown('.'.join(keys))}); no file here needs so many"
                )
            self._skip_blanks()
            if not self._is("."):
                return tuple(keys)
            self._next()

    def _read_simple_key(self) -> str:
        kind, value = self._kind, self._value
        if kind not in _KEY_KINDS:
            raise _Stop
        if kind == "basic":
            key = _ESCAPE.sub(_unescape, value[1:-1]) if "\\" in value else value[1:-1]
        elif kind == "literal":
            key = value[1:-1]
        else:
            key = value
        if len(key) > MAX_KEY_CHARS:
            raise self._refuse(
                f"a key {len(key):,} characters long ({_shown(key)}); "
                f"keys here are at most {MAX_KEY_CHARS}"
            )
        self._next()
        return key

    # -- values --------------------------------------------------------------

    def _scan_value(self, path: KeyPath, depth: int) -> None:
        self._skip_blanks()
        if self._is("[") or self._is("{"):
            if depth >= MAX_NESTING:
                raise self._refuse(
                    f"arrays and tables nested more than {MAX_NESTING} deep; "
                    "no file here needs so many"
                )
            if self._is("["):
                self._scan_array(path, depth + 1)
            else:
                self._scan_inline_table(path, depth + 1)
        elif self._kind in ("basic", "literal", "mlbasic", "mlliteral"):
            self._next()
        elif self._kind == "bare":
            self._scan_scalar()
        else:
            raise _Stop

    def _scan_scalar(self) -> None:
        """A number, boolean, date or time: bare words joined by dots, a date by one space."""
        first = self._value
        self._bare_run()
        if self._kind == "blank" and self._value == " " and _DATE.match(first):
            self._next()
            if self._kind == "bare":
                self._bare_run()

    def _bare_run(self) -> None:
        length = dots = 0
        while self._kind == "bare" or self._is("."):
            length += len(self._value)
            if self._is("."):
                dots += 1
                if dots > 1:
                    raise _Stop  # no number, date or time has two: tomllib's to report
            if length > MAX_NUMBER_CHARS:
                raise self._refuse(
                    f"a number more than {MAX_NUMBER_CHARS:,} characters long; "
                    "no file here needs one"
                )
            self._next()

    def _scan_array(self, path: KeyPath, depth: int) -> None:
        self._next()  # [
        index = 0
        while True:
            self._skip_blank_lines()
            if self._is("]"):
                self._next()
                return
            if self._kind == "":
                raise _Stop
            self._count_value()
            item = path + (index,)
            self._record(item, self._line)
            self._scan_value(item, depth)
            index += 1
            self._skip_blank_lines()
            if self._is(","):
                self._next()
            elif not self._is("]"):
                raise _Stop

    def _scan_inline_table(self, path: KeyPath, depth: int) -> None:
        self._next()  # {
        while True:
            self._skip_blank_lines()
            if self._is("}"):
                self._next()
                return
            self._count_value()
            line = self._line
            keys = self._read_key()
            for end in range(1, len(keys) + 1):
                self._record(path + keys[:end], line)
            self._expect("=")
            self._scan_value(path + keys, depth)
            self._skip_blank_lines()
            if self._is(","):
                self._next()
            elif not self._is("}"):
                raise _Stop
