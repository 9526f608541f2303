"""Reading a history log block by block, so that a damaged session spoils only itself.

A log is a run of ``[[session]]`` blocks. Each block is parsed on its own
(first by a fast path for blocks as the app writes them, else by ``tomllib``),
so a hand-edited mistake, a cut-off write or a broken header costs one
session, reported with its lines, and never the sessions around it. When the
blocks do not add up (a triple-quoted string that holds a header line), the
file is read as a whole instead.
"""

from __future__ import annotations

import functools
import json
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from retro_tui.history.cache import Resume, Snapshot, Spot
from retro_tui.history.record import RecordError, SessionRecord, session_from_table, with_line
from retro_tui.tomltext import syntax_position

Progress = Callable[[float], None]
"""Told the share of the log parsed so far, from 0 to 1."""

PROGRESS_STEP = 1 / 50
"""Report progress each time about this share of the log has been parsed."""


# The rest of a line that starts a [[session]] table, in the raw bytes. The
# line's start is checked separately (spaces and tabs only): a pattern that
# begins with "^" is tried at every byte, one that begins with "[[" is not.
_HEADER = re.compile(rb"\[\[[ \t]*session[ \t]*\]\][ \t]*(?:#[^\r\n]*)?\r?$", re.MULTILINE)
# A line that starts like a [[session]] header, damaged or not ("[[session]", "[session]]",
# "[[ session"): a block starts there as well, so a broken header spoils only its own
# session and not the one before it. "[[session.step]]" and longer names don't count.
_BOUNDARY = re.compile(rb"\[\[?[ \t]*session(?![\w-])(?![ \t]*\.)")
_AT_END = "(at end of document)"


@dataclass
class Blocks:
    """What a run of blocks gave, and where a later read may resume."""

    sessions: list[SessionRecord]
    spots: list[Spot]
    header_spans: list[tuple[int, int]]  # lines of each [[session]] block, for _read_whole
    suspect: bool  # a failed block holds a triple quote: the file may parse as a whole
    resume: Resume


def read_blocks(data: bytes, start: int, line: int, progress: Progress) -> Blocks:
    """Read the blocks from byte ``start`` (the start of line ``line``) to the end."""
    headers = set(_line_starts(_HEADER, data, start))
    starts = sorted(headers.union(_line_starts(_BOUNDARY, data, start)))
    if not starts or starts[0] != start:
        starts.insert(0, start)  # the text before the first header (or all of it)
    ends = [*starts[1:], len(data)]
    result = Blocks([], [], [], False, Resume(start, line, 0, 0))
    resumable = result.resume
    memo: dict[str, object] = {}
    total = len(data) or 1
    step = max(1, int(total * PROGRESS_STEP))
    report_at = start + step
    previous = start
    for begin, end in zip(starts, ends, strict=True):
        line += data.count(b"\n", previous, begin)
        previous = begin
        # Resume at a block whose first line is complete: text appended to an
        # unterminated header line could make it no header, merging blocks.
        if begin == start or data.find(b"\n", begin, end) != -1:
            resumable = Resume(begin, line, len(result.sessions), len(result.spots))
        span = _read_block(data, begin, end, line, memo, result)
        if begin in headers:
            result.header_spans.append(span)
        if end >= report_at:
            progress(end / total)
            report_at = end + step
    result.resume = resumable
    return result


def _line_starts(pattern: re.Pattern[bytes], data: bytes, start: int) -> Iterator[int]:
    """Where each line that ``pattern`` begins (after spaces) starts, from ``start`` on."""
    for match in pattern.finditer(data, start):
        found = match.start()
        line_start = data.rfind(b"\n", 0, found) + 1
        if line_start == found or not data[line_start:found].strip(b" \t"):
            yield line_start


def _read_block(
    data: bytes, begin: int, end: int, first: int, memo: dict[str, object], into: Blocks
) -> tuple[int, int]:
    """Read one block into ``into``; its line span (to its last non-blank line)."""
    raw = data[begin:end]
    last = first + raw.count(b"\n", 0, len(raw.rstrip()))
    if not raw:
        return first, last
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = first + raw.count(b"\n", 0, error.start)
        message = f"not UTF-8 text: byte {raw[error.start]:#04x} on line {bad} is not valid UTF-8"
        into.spots.append((first, last, message))
        return first, last
    document = _fast_parse(text, memo)
    if document is None:
        try:
            document = tomllib.loads(text)
        except (ValueError, RecursionError) as error:  # TOMLDecodeError is a ValueError
            after = None if end == len(data) else first + raw.count(b"\n")
            into.spots.append((first, last, _toml_problem(error, first, after)))
            into.suspect = into.suspect or '"""' in text or "'''" in text
            return first, last
    _collect(document, lambda number: (first, last), (first, last), "this block", into)
    return first, last


def _toml_problem(error: Exception, first: int, next_block: int | None) -> str:
    """The parse error with its position moved from block lines to file lines."""
    if isinstance(error, RecursionError):
        return "not valid TOML: nested too deeply"
    if not isinstance(error, tomllib.TOMLDecodeError):
        # Valid TOML that tomllib still refuses: a number of more than 4,300 digits.
        return "holds a number of more than 4,300 digits, too long to read"
    position = syntax_position(error)
    if position.line is not None:
        where = f"line {first + position.line - 1}, column {position.column}"
    elif _AT_END in str(error):
        # The end of the block's text, which is not the end of the file unless it is the last.
        where = (
            "the end of the file"
            if next_block is None
            else f"the end of the block, before line {next_block}"
        )
    else:
        return f"not valid TOML: {error}"
    reason = position.detail
    return f"not valid TOML: {reason.strip()} (at {where})"


def _collect(
    document: dict[str, Any],
    span_of: Callable[[int], tuple[int, int]],
    block: tuple[int, int],
    where: str,
    into: Blocks,
) -> None:
    """Turn the ``session`` tables of a parsed block into records; note what is wrong.

    ``span_of(n)`` gives the lines of the n-th session; where several share
    one span, messages say which one they are about (``session 2 of {where}``).
    """
    others = [key for key in document if key != "session"]
    if others:
        names = ", ".join(_key_text(key) for key in others)
        into.spots.append(
            (
                *block,
                f"unexpected top-level {'keys' if len(others) > 1 else 'key'} {names}: "
                "only [[session]] tables belong in the history log",
            )
        )
    entries = document.get("session")
    if entries is None:
        return
    if not isinstance(entries, list):
        into.spots.append((*block, f"session must be [[session]] tables, not {_kind(entries)}"))
        return
    several = len(entries) > 1 and span_of(1) == span_of(2)
    for number, entry in enumerate(entries, start=1):
        label = f"session {number} of {where}: " if several else ""
        if not isinstance(entry, dict):
            into.spots.append((*span_of(number), f"{label}not a table: {_kind(entry)}"))
            continue
        try:
            session = session_from_table(entry)
        except RecordError as error:
            into.spots.append((*span_of(number), f"{label}{error}"))
        except (ValueError, TypeError, ArithmeticError) as error:
            into.spots.append((*span_of(number), f"{label}cannot be read: {error}"))
        else:
            first, last = span_of(number)
            into.sessions.append(with_line(session, first))
            if session.damage:
                damage = "; ".join(session.damage)
                into.spots.append((first, last, f"{label}session {session.id}: {damage}"))


def read_whole(
    data: bytes, blocks: Blocks, log: str, fingerprint: str, digest: bytes
) -> Snapshot | None:
    """The snapshot of a log whose blocks fail alone but which parses whole, else ``None``."""
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        return None  # damaged after all: the block by block result stands
    stripped = data.rstrip()
    everything = (1, stripped.count(b"\n") + 1 if stripped else 1)
    entries = document.get("session")
    spans = blocks.header_spans
    if isinstance(entries, list) and len(entries) == len(spans):

        def span_of(number: int) -> tuple[int, int]:
            return spans[number - 1]

    else:

        def span_of(number: int) -> tuple[int, int]:
            return everything

    into = Blocks([], [], [], False, Resume(0, 1, 0, 0))
    _collect(document, span_of, everything, "the file", into)
    into.spots.sort(key=lambda spot: spot[:2])
    return Snapshot(
        log, fingerprint, len(data), digest, tuple(into.sessions), tuple(into.spots), None
    )


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _key_text(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


# -- the fast path for blocks as the app writes them -----------------------------------------

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_COMMENT = r"(?:#[^\x00-\x08\x0a-\x1f\x7f]*+)?"
_FAST_HEADER = re.compile(r"[ \t]*\[\[[ \t]*session[ \t]*\]\][ \t]*" + _COMMENT)


def _datetime_pattern(group: str) -> str:
    """An offset date-time as TOML 1.0 (and tomllib) allows it; parts open with ``group``."""
    return (
        rf"{group}[0-9]{{4}})-{group}0[1-9]|1[0-2])-{group}0[1-9]|[12][0-9]|3[01])"
        rf"T{group}[01][0-9]|2[0-3]):{group}[0-5][0-9]):{group}[0-5][0-9])"
        rf"(?:{group}Z)|{group}[+-]){group}[01][0-9]|2[0-3]):{group}[0-5][0-9]))"
    )


_FAST_DATETIME = re.compile(_datetime_pattern("("))
# One line of a block after its header: blank, a comment, a [[session.step]]
# header, or a key and one value of the kinds render_session writes (a basic
# string, an offset date-time, a decimal integer or float, a boolean, a one-line
# array of numbers), each exactly as TOML 1.0 (and tomllib) defines it. Groups: 1 the step header,
# 2 the key, 3 the value. No part of it can match a newline, so each match
# is one whole line; a block whose lines do not all match goes to tomllib.
_NUMBER = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)?"
# A one-line array of numbers, as render_session writes the time in zone.
_NUMBERS = rf"\[[ \t]*(?:{_NUMBER}(?:[ \t]*,[ \t]*{_NUMBER})*+[ \t]*,?[ \t]*)?\]"
_FAST_LINE = re.compile(
    r"^[ \t]*(?:(\[\[session\.step\]\])|([A-Za-z0-9_-]+)[ \t]*=[ \t]*("
    + r'"(?:[^"\\\x00-\x08\x0a-\x1f\x7f]++|\\[btnfr"\\])*+"'
    + ("|" + _datetime_pattern("(?:"))
    + "|"
    + _NUMBER
    + "|"
    + _NUMBERS
    + "|true|false"
    + (r"))?[ \t]*" + _COMMENT + "$"),
    re.MULTILINE,
)
_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def _fast_parse(text: str, memo: dict[str, object]) -> dict[str, Any] | None:
    """``tomllib.loads(text)`` for a block as the app writes it, or ``None`` to leave it to tomllib.

    ``memo`` maps value text to the value already made from it: the same
    step names, kinds and speeds recur thousands of times, and sharing one
    object for each saves memory (and makes the cache smaller and faster).
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")  # as tomllib does; a lone CR is an error
        if "\r" in text:
            return None
    first_end = text.find("\n")
    if _FAST_HEADER.fullmatch(text, 0, len(text) if first_end < 0 else first_end) is None:
        return None
    found = _FAST_LINE.findall(text)
    # The header line never matches _FAST_LINE, so every other line matched
    # exactly when there is one match per newline.
    if len(found) != text.count("\n"):
        return None
    session: dict[str, object] = {}
    table = session
    steps: list[dict[str, object]] = []
    for header, key, token in found:
        if key:
            if key in table:
                return None  # a duplicate key: tomllib words the error
            value = memo.get(token)
            if value is None:
                value = _fast_value(token)
                if value is None:
                    return None
                if not isinstance(value, list):  # a list is never shared: it can change
                    memo[token] = value
            table[key] = value
        elif header:
            table = {}
            steps.append(table)
    if steps:
        if "step" in session:
            return None  # step = ... and [[session.step]] together: an error
        session["step"] = steps
    return {"session": [session]}


def _fast_value(token: str) -> object | None:
    """The value of a token _FAST_LINE accepted, made as tomllib makes it; ``None`` if invalid."""
    first = token[0]
    if first == "[":
        items = [_fast_value(item.strip()) for item in token[1:-1].split(",") if item.strip()]
        return None if any(item is None for item in items) else items
    if first == '"':
        body = token[1:-1]
        return _ESCAPE.sub(_unescape, body) if "\\" in body else body
    if first == "t" or first == "f":
        return first == "t"
    try:
        if "T" in token:
            match = _FAST_DATETIME.fullmatch(token)
            if match is None:  # pragma: no cover - _FAST_LINE only lets date-times have a T
                return None
            year, month, day, hour, minute, second = map(int, match.group(1, 2, 3, 4, 5, 6))
            zone = UTC if match[7] else _offset(match[8], match[9], match[10])
            return datetime(year, month, day, hour, minute, second, tzinfo=zone)
        if "." in token or "e" in token or "E" in token:
            return float(token)
        return int(token)
    except ValueError:
        return None  # February 30th, a 5000-digit number: tomllib says what is wrong


def _unescape(match: re.Match[str]) -> str:
    return _ESCAPES[match[1]]


@functools.cache
def _offset(sign: str, hours: str, minutes: str) -> timezone:
    # Built as tomllib builds it, so values compare and print the same.
    factor = 1 if sign == "+" else -1
    return timezone(timedelta(hours=factor * int(hours), minutes=factor * int(minutes)))
