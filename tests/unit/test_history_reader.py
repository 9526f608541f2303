"""Reading the history log: every readable session, exact reports of the rest, and a safe cache.

``read_history`` gives back what ``tomllib`` + ``session_from_table`` give
for a sound log (generated logs, CRLF endings, hand-made oddities, its own
fast line parser checked against ``tomllib`` on tricky and random lines).
A damaged log is read block by block: a truncated last session, garbage in
the middle, a value of the wrong type, a damaged header (its own block),
invalid UTF-8, stray top-level keys or a ``session`` that is not a list each
cost only their block and are reported with its exact line range. Nothing
in the file makes it raise.

The cache never changes a result: a warm read equals a cold one and parses
nothing, an append is read by parsing only the last block and the new text,
an edit anywhere or a cache that is corrupt, foreign or unwritable means a
full read, and any log, cut anywhere and then appended to, reads the same
with and without the cache. The log itself is never written.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from filelock import lock_descriptor
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.history_gen import generate_sessions
from retro_tui.history import blocks, cache, reader
from retro_tui.history.log import append_session
from retro_tui.history.reader import BlockProblem, HistoryRead, read_history
from retro_tui.history.record import SessionRecord, render_session, session_from_table


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Caches go to a temp folder (platformdirs reads XDG_CACHE_HOME at each call)."""
    folder = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture
def log(tmp_path: Path) -> Path:
    folder = tmp_path / "logs"
    folder.mkdir()
    return folder / "history.toml"


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The first line of every block the reader parses, in order."""
    seen: list[int] = []
    original = blocks._read_block

    def counting(data: bytes, begin: int, end: int, first: int, *rest: Any) -> tuple[int, int]:
        seen.append(first)
        return original(data, begin, end, first, *rest)

    monkeypatch.setattr(blocks, "_read_block", counting)
    return seen


def make_sessions(count: int, seed: int = 7) -> list[SessionRecord]:
    return list(generate_sessions(count, seed))


def log_text(sessions: list[SessionRecord]) -> str:
    """The log as successive appends write it: blocks with a blank line between them."""
    return "\n".join(render_session(session) for session in sessions)


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    return text.count("\n", 0, index) + 1


def block_spans(text: str) -> list[tuple[int, int]]:
    """(header line, last non-blank line) of each [[session]] block of an undamaged log."""
    spans: list[tuple[int, int]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip() == "[[session]]":
            spans.append((number, number))
        elif line.strip() and spans:
            spans[-1] = (spans[-1][0], number)
    return spans


def reference(data: bytes) -> list[SessionRecord]:
    """What tomllib and session_from_table make of a sound log."""
    document = tomllib.loads(data.decode("utf-8"))
    return [session_from_table(table) for table in document.get("session", [])]


def spans_of(result: HistoryRead) -> list[tuple[int, int]]:
    return [(problem.first_line, problem.last_line) for problem in result.problems]


def messages(result: HistoryRead) -> list[str]:
    return [problem.message for problem in result.problems]


def full_read(log: Path) -> HistoryRead:
    return read_history(log, use_cache=False)


# -- sound logs ------------------------------------------------------------------------------


def test_a_missing_log_is_an_empty_history(log: Path, cache_home: Path) -> None:
    calls: list[float] = []
    assert read_history(log, progress=calls.append) == HistoryRead((), (), log)
    assert calls == [1.0]
    assert not log.exists()
    assert not cache_home.exists()


@pytest.mark.parametrize("content", [b"", b"# my history\n\n# nothing yet\n", b"\n \t\n"])
def test_an_empty_log_or_only_comments_has_no_sessions_and_no_problems(
    log: Path, content: bytes
) -> None:
    log.write_bytes(content)
    assert read_history(log) == HistoryRead((), (), log)


def test_a_generated_log_round_trips(log: Path) -> None:
    sessions = make_sessions(60)
    log.write_text(log_text(sessions), encoding="utf-8")
    result = read_history(log)
    assert result.sessions == tuple(sessions) == tuple(reference(log.read_bytes()))
    assert result.problems == ()
    assert result.path == log


def test_sessions_appended_one_by_one_read_back_in_order(log: Path) -> None:
    sessions = make_sessions(5)
    for session in sessions:
        append_session(log, session)
    assert read_history(log).sessions == tuple(sessions)


def test_crlf_line_endings_read_the_same(log: Path) -> None:
    sessions = make_sessions(8)
    log.write_bytes(log_text(sessions).replace("\n", "\r\n").encode())
    result = read_history(log)
    assert result.sessions == tuple(sessions)
    assert result.problems == ()


def test_headers_with_indentation_and_comments_and_hand_made_blocks(log: Path) -> None:
    text = (
        "# Kept by hand as well as by the app.\n"
        "\n"
        '  [[session]]   # the first one, "by hand"\n'
        'id = "a"\n'
        "started = 2026-01-02T07:00:00Z\n"
        "ended = 2026-01-02T07:30:00-05:30\n"
        "rpe = 7 # felt hard\n"
        "speeds = [2.0, 2.5]\n"
        "shoe.brand = 'literal'\n"
        'notes = """two\nlines"""\n'
        "\n"
        "\t[[ session ]]\n"
        'id = "b"\n'
        "started = 2026-01-03T07:00:00.250+01:00\n"
        "ended = 2026-01-03T07:20:00+01:00\n"
        "  [[session.step]]\n"
        '  name = "\\u00e9tape"\n'
        "  planned_s = 30\n"
        "  actual_s = 29.5\n"
    )
    log.write_text(text, encoding="utf-8")
    result = read_history(log)
    # Read as TOML reads them, and marked: keys the app always writes are missing.
    assert messages(result) == [
        "session a: plan, plan_file, status and units missing",
        "session b: plan, plan_file, status and units missing; "
        "step 1: kind, direction and skipped missing",
    ]
    assert result.sessions == tuple(reference(log.read_bytes()))
    first, second = result.sessions
    assert first.extra == {"speeds": [2.0, 2.5], "shoe": {"brand": "literal"}}
    assert first.notes == "two\nlines"
    assert second.steps[0].name == "étape"


def test_a_multi_line_string_holding_a_header_line_is_read_as_tomllib_reads_it(log: Path) -> None:
    sessions = make_sessions(3)
    text = log_text(sessions).replace(
        'plan = "', 'notes = """\n[[session]]\n  still the notes\n"""\nplan = "', 1
    )
    log.write_text(text, encoding="utf-8")
    for use_cache in (True, True, False):
        result = read_history(log, use_cache=use_cache)
        # Notes added by hand: read, and said to be an edit.
        assert messages(result) == [f"session 1 of the file: session {sessions[0].id}: {EDITED}"]
        assert result.sessions == tuple(reference(log.read_bytes()))
        assert result.sessions[0].notes == "[[session]]\n  still the notes\n"


EDITED = "changed since it was saved (edited by hand?): shown as it reads now"


def test_problems_print_as_path_lines_and_message() -> None:
    path = Path("history.toml")
    assert str(BlockProblem(path, 120, 143, "step[2].rpe: bad")) == (
        "history.toml:120-143: step[2].rpe: bad"
    )
    assert str(BlockProblem(path, 7, 7, "oops")) == "history.toml:7: oops"


def test_progress_rises_to_one(log: Path) -> None:
    log.write_text(log_text(make_sessions(150)), encoding="utf-8")
    calls: list[float] = []
    read_history(log, progress=calls.append)
    assert len(calls) >= 10
    assert calls == sorted(calls)
    assert all(0 < fraction <= 1 for fraction in calls)
    assert calls[-1] == 1.0
    calls.clear()
    read_history(log, progress=calls.append)  # from the cache: only the end
    assert calls == [1.0]


# -- damaged logs ----------------------------------------------------------------------------


def test_a_truncated_last_session_costs_only_that_session(log: Path) -> None:
    sessions = make_sessions(4)
    text = log_text(sessions)
    cut = text.rindex('name = "') + len('name = "Back')
    log.write_text(text[:cut], encoding="utf-8")
    result = read_history(log)
    assert result.sessions == tuple(sessions[:3])
    last_header = block_spans(text)[3][0]
    end = text[:cut].count("\n") + 1
    assert spans_of(result) == [(last_header, end)]
    assert messages(result) == ["not valid TOML: Unterminated string (at the end of the file)"]


def test_garbage_in_the_middle_costs_only_its_block(log: Path) -> None:
    sessions = make_sessions(5)
    text = log_text(sessions)
    at = text.index("[[session.step]]", text.index("[[session]]", 1))
    damaged = text[:at] + "}}} garbage ]]\n  " + text[at:]
    log.write_text(damaged, encoding="utf-8")
    result = read_history(log)
    assert result.sessions == tuple(sessions[:1] + sessions[2:])
    assert spans_of(result) == [block_spans(damaged)[1]]
    line = line_of(damaged, "}}} garbage")
    assert messages(result) == [f"not valid TOML: Invalid statement (at line {line}, column 3)"]


def test_a_value_of_the_wrong_type_is_reported_with_its_key_path(log: Path) -> None:
    sessions = make_sessions(3)
    text = log_text(sessions)
    second = text.index("[[session]]", 1)
    rated = text.index("  rpe = ", second)
    step = text.count("[[session.step]]", second, rated)
    end = text.index("\n", rated)
    damaged = text[:rated] + '  rpe = "high"' + text[end:]
    log.write_text(damaged, encoding="utf-8")
    result = read_history(log)
    assert result.sessions == (sessions[0], sessions[2])
    assert spans_of(result) == [block_spans(damaged)[1]]
    assert messages(result) == [f"step[{step}].rpe: must be a whole number 0-10, not 'high'"]


def test_a_missing_required_key_is_reported(log: Path) -> None:
    sessions = make_sessions(2)
    text = log_text(sessions)
    start = text.index("started = ", text.index("[[session]]", 1))
    damaged = text[:start] + text[text.index("\n", start) + 1 :]
    log.write_text(damaged, encoding="utf-8")
    result = read_history(log)
    assert result.sessions == (sessions[0],)
    assert messages(result) == ["started: must be a date and time, not None"]
    assert spans_of(result) == [block_spans(damaged)[1]]


@pytest.mark.parametrize("broken", ["[[session]", "[session]]", "  [[ session", "[[session]] x"])
def test_a_damaged_header_costs_only_its_own_session(log: Path, broken: str) -> None:
    sessions = make_sessions(5)
    text = log_text(sessions)
    spans = block_spans(text)
    third = text.index("[[session]]", text.index("[[session]]", 1) + 1)
    damaged = text[:third] + broken + text[third + len("[[session]]") :]
    log.write_text(damaged, encoding="utf-8")
    result = read_history(log)
    assert result.sessions == (sessions[0], sessions[1], sessions[3], sessions[4])
    assert spans_of(result) == [spans[2]]
    assert len(messages(result)) == 1
    assert messages(result)[0].startswith("not valid TOML")
    assert f"(at line {spans[2][0]}, column " in messages(result)[0]


def test_a_session_table_that_is_not_an_array_is_its_own_block(log: Path) -> None:
    sessions = make_sessions(3)
    text = log_text(sessions)
    spans = block_spans(text)
    second = text.index("[[session]]", 1)
    damaged = text[:second] + "[session]" + text[second + len("[[session]]") :]
    log.write_text(damaged, encoding="utf-8")
    result = read_history(log)
    assert sessions[0] in result.sessions and sessions[2] in result.sessions
    assert sessions[1] not in result.sessions
    assert spans[0] not in spans_of(result) and spans[2] not in spans_of(result)


def test_a_misspelt_header_merges_and_is_reported_as_an_unexpected_key(log: Path) -> None:
    sessions = make_sessions(3)
    text = log_text(sessions)
    spans = block_spans(text)
    damaged = text.replace("[[session]]", "[[sesion]]", 3).replace("[[sesion]]", "[[session]]", 2)
    log.write_text(damaged, encoding="utf-8")
    result = read_history(log)
    # TOML itself files the third session's steps under the second: the whole
    # file parses, and so does the merged block, the same way.
    assert result.sessions == tuple(reference(damaged.encode()))
    assert len(result.sessions) == 2
    assert spans_of(result) == [(spans[1][0], spans[2][1])] * 2
    steps = len(sessions[1].steps)
    assert messages(result) == [
        "unexpected top-level key sesion: only [[session]] tables belong in the history log",
        # The session the steps went to says so: its seal counted its own steps.
        f"session {sessions[1].id}: {steps} steps were saved and "
        f"{steps + len(sessions[2].steps)} are here: cut short or pasted into",
    ]


def test_invalid_utf8_costs_only_its_block(log: Path) -> None:
    sessions = make_sessions(4)
    text = log_text(sessions)
    data = text.encode()
    second = data.index(b"[[session]]", 1)
    at = data.index(b'name = "', second) + len(b'name = "')
    damaged = data[:at] + b"\xff\xfe" + data[at:]
    log.write_bytes(damaged)
    result = read_history(log)
    assert result.sessions == (sessions[0], sessions[2], sessions[3])
    assert spans_of(result) == [block_spans(text)[1]]
    line = damaged.count(b"\n", 0, at) + 1
    assert messages(result) == [f"not UTF-8 text: byte 0xff on line {line} is not valid UTF-8"]


def test_damage_in_a_crlf_log_is_reported_at_the_right_lines(log: Path) -> None:
    sessions = make_sessions(3)
    text = log_text(sessions).replace("skipped = false", "skipped = maybe", 1)
    spans = block_spans(text)
    log.write_bytes(text.replace("\n", "\r\n").encode())
    result = read_history(log)
    assert result.sessions == tuple(sessions[1:])
    assert spans_of(result) == [spans[0]]
    line = line_of(text, "skipped = maybe")
    assert messages(result) == [f"not valid TOML: Invalid value (at line {line}, column 13)"]


def test_an_unterminated_multi_line_string_in_the_middle(log: Path) -> None:
    sessions = make_sessions(3)
    text = log_text(sessions)
    second = text.index("[[session]]", 1)
    at = text.index("plan = ", second)
    damaged = text[:at] + 'notes = """never closed\n' + text[at:]
    log.write_text(damaged, encoding="utf-8")
    result = read_history(log)
    assert result.sessions == (sessions[0], sessions[2])
    spans = block_spans(damaged)
    assert spans_of(result) == [spans[1]]
    assert messages(result) == [
        f"not valid TOML: Unterminated string (at the end of the block, before line {spans[2][0]})"
    ]


@pytest.mark.parametrize(
    ("content", "span", "message"),
    [
        (b"session = 5\n", (1, 1), "session must be [[session]] tables, not 5"),
        (b'[session]\nid = "x"\n', (1, 2), "session must be [[session]] tables, not a table"),
        (b"session = [1]\n", (1, 1), "not a table: 1"),
        (b"not toml at all\n", (1, 1), None),
    ],
)
def test_a_log_that_is_not_sessions_is_reported_not_raised(
    log: Path, content: bytes, span: tuple[int, int], message: str | None
) -> None:
    log.write_bytes(content)
    result = read_history(log)
    assert result.sessions == ()
    assert spans_of(result) == [span]
    if message is not None:
        assert messages(result) == [message]
    else:
        assert messages(result)[0].startswith("not valid TOML: ")


def test_other_top_level_keys_are_reported_and_sessions_still_load(log: Path) -> None:
    sessions = make_sessions(3)
    body = log_text(sessions)
    text = "# hand-made\nversion = 1\nowner = 'me'\n\n" + body + "\n[meta]\nsynced = true\n"
    log.write_text(text, encoding="utf-8")
    result = read_history(log)
    assert result.sessions == tuple(sessions)
    last = block_spans(body)[-1][0] + 4
    end = text.rstrip().count("\n") + 1
    assert spans_of(result) == [(1, 3), (last, end)]
    assert messages(result) == [
        "unexpected top-level keys version, owner: only [[session]] tables belong in the "
        "history log",
        "unexpected top-level key meta: only [[session]] tables belong in the history log",
    ]


def test_a_header_written_another_way_keeps_both_sessions_in_one_block(log: Path) -> None:
    sessions = make_sessions(2)
    text = log_text(sessions) + '\n[["session"]]\nid = 5\n'
    log.write_text(text, encoding="utf-8")
    result = read_history(log)
    assert result.sessions == tuple(sessions)
    start = block_spans(text)[1][0]
    assert spans_of(result) == [(start, text.rstrip().count("\n") + 1)]
    assert messages(result) == ["session 2 of this block: id: must be text, not 5"]


def test_a_bad_session_in_a_log_read_whole_is_reported(log: Path) -> None:
    # The notes hide a header line, so the file is read whole, and its
    # sessions no longer line up with the header lines: the report names
    # the session and spans the file.
    sessions = make_sessions(2)
    text = log_text(sessions).replace('plan = "', 'notes = """\n[[session]]\n"""\nplan = "', 1)
    at = text.rindex("status = ")
    text = text[:at] + 'status = "lost"' + text[text.index("\n", at) :]
    log.write_text(text, encoding="utf-8")
    for use_cache in (True, True, False):
        result = read_history(log, use_cache=use_cache)
        assert result.sessions == (replace(sessions[0], notes="[[session]]\n"),)
        assert spans_of(result) == [(1, text.rstrip().count("\n") + 1)] * 2
        assert messages(result) == [
            f"session 1 of the file: session {sessions[0].id}: {EDITED}",
            "session 2 of the file: status: must be one of "
            '"completed", "ended early", "recovered", not \'lost\'',
        ]


def test_an_empty_header_at_the_end(log: Path) -> None:
    sessions = make_sessions(2)
    text = log_text(sessions) + "\n[[session]]"
    log.write_text(text, encoding="utf-8")
    result = read_history(log)
    assert result.sessions == tuple(sessions)
    end = text.count("\n") + 1
    assert spans_of(result) == [(end, end)]
    assert messages(result) == ["id: is missing"]


DAMAGED = {
    "truncated": lambda text: text[: text.rindex("actual_s") + 5],
    "garbage": lambda text: text.replace("  [[session.step]]", "@@@\n  [[session.step]]", 2),
    "wrong type": lambda text: text.replace("rpe = 5", 'rpe = "high"'),
    "bad header": lambda text: text.replace("\n[[session]]\n", "\n[[session]\n", 2),
    "unterminated string": lambda text: text.replace('plan = "', 'plan = """', 2),
    "stray tables": lambda text: "x = 1\n" + text.replace("\n[[session]]", "\n[t]\n[[session]]"),
}


@pytest.mark.parametrize("damage", DAMAGED)
def test_damaged_logs_read_the_same_cold_warm_and_after_an_append(
    log: Path, damage: str, parsed: list[int]
) -> None:
    sessions = make_sessions(6)
    log.write_text(DAMAGED[damage](log_text(sessions)), encoding="utf-8")
    cold = read_history(log)
    assert cold.problems
    assert len(cold.sessions) < len(sessions) or damage == "stray tables"
    parsed.clear()
    assert read_history(log) == cold == full_read(log)
    append_session(log, make_sessions(1, seed=99)[0])
    parsed.clear()
    after = read_history(log)
    assert after == full_read(log)
    assert after.sessions[-1] == make_sessions(1, seed=99)[0] or damage == "truncated"


# -- the fast line parser agrees with tomllib ------------------------------------------------

KEYS = ["id", "rpe", "step", "a-b_1", '"quoted"', "dotted.key", "bad key", "x"]
VALUES = [
    # One-line arrays of numbers (the time in zone), and near misses.
    "[386.0, 397.0, 248.0, 409.0, 0.0]",
    "[1,2]",
    "[ 1 , 2 , ]",
    "[]",
    "[,]",
    "[1,,2]",
    "[01]",
    "[1.]",
    '[1, "a"]',
    "[1, [2]]",
    "[-0.0, 1e3, -2E-2]",
    '"plain"',
    '"esc \\" \\\\ \\n \\t \\b \\f \\r"',
    '"bad \\e escape"',
    '"\\u00e9 \\U0001F600"',
    '"tab\there"',
    '"ctl\x01"',
    '"del\x7f"',
    '"open',
    '"""multi"""',
    "'literal'",
    "5",
    "-0",
    "-17",
    "007",
    "1_000",
    "+3",
    "0x1F",
    "3.25",
    "-0.0",
    "1e5",
    "6.5E-2",
    "1.5e+300",
    "1e999",
    ".5",
    "5.",
    "inf",
    "nan",
    "true",
    "false",
    "True",
    "9" * 5000,
    "2026-11-21T07:02:11+01:00",
    "2026-11-21T07:02:11-09:30",
    "2026-11-21T07:02:11Z",
    "2026-11-21T07:02:11z",
    "2026-11-21T07:02:11+00:00",
    "2026-02-30T07:02:11Z",
    "2026-11-21T24:00:00Z",
    "2026-11-21T07:60:00Z",
    "2026-13-01T07:00:00Z",
    "2026-11-21T07:02:11+24:00",
    "2026-11-21T07:02:11+05:75",
    "2026-11-21T07:02:11.5+01:00",
    "2026-11-21 07:02:11+01:00",
    "2026-11-21T07:02:11",
    "2026-11-21",
    "{ a = 1 }",
    "[1, 2]",
    "",
]
TRAILS = ["", "  ", " # note", "#note", "\t# ünï", " # ctl\x01", " # del\x7f", "\r", " x"]
OTHER_LINES = [
    "",
    "   ",
    "# a comment",
    "# ctl \x02",
    "[[session.step]]",
    "  [[session.step]]  # next",
    "[[ session.step ]]",
    "[session.extra]",
    "[[session]]",
    "garbage",
    "\r",
]

_kv_lines = st.builds(
    lambda indent, key, spaces, value, trail: f"{indent}{key}{spaces}{value}{trail}",
    st.sampled_from(["", "  ", "\t"]),
    st.sampled_from(KEYS),
    st.sampled_from([" = ", "=", " =  ", " "]),
    st.sampled_from(VALUES),
    st.sampled_from(TRAILS),
)
_blocks = st.builds(
    lambda header, lines, ending: header + "\n".join(lines) + ending,
    st.sampled_from(["[[session]]\n", "  [[session]] # hi\n", "[[session]]\r\n", "[[session]]x\n"]),
    st.lists(st.one_of(_kv_lines, st.sampled_from(OTHER_LINES)), max_size=8),
    st.sampled_from(["", "\n", "\r\n", "\n\n"]),
)


def assert_fast_path_agrees(text: str) -> None:
    """The fast parser may decline anything, but what it accepts, tomllib reads identically."""
    fast = blocks._fast_parse(text, {})
    try:
        expected = tomllib.loads(text)
    except ValueError:  # TOMLDecodeError, or a number over 4300 digits
        assert fast is None, text
        return
    if fast is not None:
        # repr tells 1 from 1.0 from True and shows each time zone.
        assert repr(fast) == repr(expected), text


@settings(max_examples=400, deadline=None)
@given(_blocks)
def test_the_fast_parser_never_disagrees_with_tomllib(text: str) -> None:
    assert_fast_path_agrees(text)


@pytest.mark.parametrize("line", [f"k = {value}" for value in VALUES] + OTHER_LINES)
def test_the_fast_parser_on_each_tricky_line(line: str) -> None:
    assert_fast_path_agrees(f"[[session]]\n{line}\n")
    assert_fast_path_agrees(f"[[session]]\nk = 1\n  [[session.step]]\n  {line}")


def test_the_fast_parser_takes_what_the_app_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    # An inline table is left to tomllib on purpose.
    texts = [render_session(session) for session in make_sessions(40)]
    texts = [text for text in texts if "treadmill" not in text]
    calls: list[str] = []
    monkeypatch.setattr(blocks.tomllib, "loads", lambda text: calls.append(text) or {})
    for text in texts:
        assert blocks._fast_parse(text, {}) is not None, text
    assert calls == []


_text = st.text(st.characters(codec="utf-8"), max_size=30)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes=_text, name=_text, extra=_text)
def test_any_text_round_trips_through_the_log(notes: str, name: str, extra: str) -> None:
    session = make_sessions(1)[0]
    step = replace(session.steps[0], name=name)
    session = replace(session, notes=notes, steps=(step, *session.steps[1:]), athlete=extra)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.toml"
        path.write_text(render_session(session), encoding="utf-8")
        result = read_history(path, use_cache=False)
    assert result.problems == ()
    assert result.sessions == (session,)


# -- nothing in the file makes it raise ------------------------------------------------------

_SOUND = log_text(make_sessions(4, seed=3)).encode()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.builds(
            lambda at, length, insert: _SOUND[:at] + insert + _SOUND[at + length :],
            st.integers(0, len(_SOUND)),
            st.integers(0, 200),
            st.binary(max_size=20) | st.sampled_from([b"[[session]]\n", b"\n[[", b'"""']),
        ),
    )
)
def test_nothing_in_the_file_makes_the_read_raise(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.toml"
        path.write_bytes(data)
        result = read_history(path, use_cache=False)
        assert read_history(path) == result  # and the cache changes nothing
    lines = data.count(b"\n") + 1
    for problem in result.problems:
        assert 1 <= problem.first_line <= problem.last_line <= lines
        assert problem.message
    assert all(isinstance(session, SessionRecord) for session in result.sessions)


# -- the cache -------------------------------------------------------------------------------


def test_a_warm_read_equals_a_cold_one_and_parses_nothing(
    log: Path, cache_home: Path, parsed: list[int]
) -> None:
    log.write_text(log_text(make_sessions(30)), encoding="utf-8")
    cold = read_history(log)
    assert len(parsed) == 30
    assert cache.cache_file(log).is_file()
    assert cache.cache_file(log).is_relative_to(cache_home)
    parsed.clear()
    warm = read_history(log)
    assert parsed == []
    assert warm == cold == full_read(log)


def test_the_cache_is_keyed_by_the_absolute_path(
    log: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[int]
) -> None:
    log.write_text(log_text(make_sessions(3)), encoding="utf-8")
    read_history(log)
    monkeypatch.chdir(log.parent)
    parsed.clear()
    relative = read_history(Path(log.name))
    assert parsed == []
    assert relative.path == Path(log.name)
    assert relative.sessions == full_read(log).sessions


def test_an_append_parses_only_the_last_block_and_the_new_text(
    log: Path, parsed: list[int]
) -> None:
    sessions = make_sessions(12)
    for session in sessions[:10]:
        append_session(log, session)
    read_history(log)
    last_header = block_spans(log.read_text(encoding="utf-8"))[-1][0]
    append_session(log, sessions[10])
    parsed.clear()
    result = read_history(log)
    assert result.sessions == tuple(sessions[:11])
    assert parsed == [last_header, block_spans(log.read_text(encoding="utf-8"))[-1][0]]
    assert result == full_read(log)
    append_session(log, sessions[11])
    parsed.clear()
    assert read_history(log).sessions == tuple(sessions)
    assert len(parsed) == 2


def test_text_appended_by_hand_joins_the_last_block_as_in_a_full_read(log: Path) -> None:
    sessions = make_sessions(3)
    log.write_text(log_text(sessions), encoding="utf-8")
    read_history(log)
    with log.open("a", encoding="utf-8") as file:
        file.write('  surprise = "yes"\n  skipped = true\n')
    result = read_history(log)
    assert result == full_read(log)
    assert result.sessions == tuple(sessions[:2])
    assert len(result.problems) == 1
    assert "Cannot overwrite a value" in result.problems[0].message


def test_an_append_that_unmakes_an_unfinished_header_line(log: Path) -> None:
    # The old log ends in a header line without a newline; text appended
    # straight after it turns that line into a damaged header: a cached read
    # must give what a full read gives, the damage costing only its own line.
    sessions = make_sessions(3)
    log.write_text(log_text(sessions) + "\n[[session]]", encoding="utf-8")
    assert len(read_history(log).problems) == 1
    with log.open("a", encoding="utf-8") as file:
        file.write(' id = "x"\n')
    result = read_history(log)
    assert result == full_read(log)
    assert result.sessions == tuple(sessions)
    assert len(result.problems) == 1


def test_an_edit_in_the_middle_invalidates_the_cache(log: Path, parsed: list[int]) -> None:
    sessions = make_sessions(6)
    text = log_text(sessions)
    log.write_text(text, encoding="utf-8")
    before = read_history(log)
    at = text.index("planned_s = ", len(text) // 2) + len("planned_s = ")
    edited = text[:at] + ("7" if text[at] != "7" else "8") + text[at + 1 :]
    assert len(edited) == len(text)
    log.write_text(edited, encoding="utf-8")
    parsed.clear()
    after = read_history(log)
    assert len(parsed) == 6
    assert after != before
    assert after == full_read(log)
    assert after.sessions == tuple(reference(edited.encode()))


def test_a_shorter_log_is_read_in_full(log: Path) -> None:
    sessions = make_sessions(4)
    log.write_text(log_text(sessions), encoding="utf-8")
    read_history(log)
    log.write_text(log_text(sessions[:2]), encoding="utf-8")
    assert read_history(log).sessions == tuple(sessions[:2])


def _corrupt_caches(log: Path) -> Iterator[tuple[str, Callable[[Path], None]]]:
    """Ways the index can be wrong, each a change made to a good index file."""
    good = cache.cache_file(log).read_bytes()

    def write(content: bytes) -> Callable[[Path], None]:
        return lambda path: path.write_bytes(content)

    def change(statement: str) -> Callable[[Path], None]:
        def run(path: Path) -> None:
            path.write_bytes(good)
            with contextlib.closing(sqlite3.connect(path)) as db, db:
                db.execute(statement)

        return run

    yield "garbage", write(b"not a database at all")
    yield "empty", write(b"")
    yield "cut short", write(good[: len(good) // 2])
    yield "other log", change("UPDATE meta SET log = '/elsewhere/history.toml'")
    yield "other version", change("UPDATE meta SET format = 999")
    yield "other code", change("UPDATE meta SET fingerprint = 'x'")
    yield "bad digest type", change("UPDATE meta SET digest = 'text'")
    yield "bad resume", change("UPDATE meta SET resume = '[1000000000, 1, 0, 0]'")
    yield "not a record", change("UPDATE session SET record = '[1, 2]' WHERE seq = 2")
    yield "not JSON", change("UPDATE session SET record = 'cos\nsystem' WHERE seq = 0")
    yield "no meta", change("DELETE FROM meta")
    yield "no sessions table", change("DROP TABLE session")


class _Booby:
    """Unpickled, this would create a file: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.marker,))


def test_no_cache_file_can_run_code_when_read(log: Path, tmp_path: Path) -> None:
    marker = tmp_path / "code-ran"
    log.write_text(log_text(make_sessions(3)), encoding="utf-8")
    old = cache.cache_file(log).with_suffix(".pickle")
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_bytes(pickle.dumps(_Booby(marker)))
    for _ in range(2):
        assert read_history(log).sessions == full_read(log).sessions
    assert not marker.exists()
    assert not old.exists()  # an earlier version's cache is removed, never loaded
    # The index itself is data: a row that would be code in a pickle is only text.
    with contextlib.closing(sqlite3.connect(cache.cache_file(log))) as db, db:
        db.execute("UPDATE session SET record = ? WHERE seq = 0", (pickle.dumps(_Booby(marker)),))
    assert read_history(log).sessions == full_read(log).sessions
    assert not marker.exists()


def test_a_corrupt_or_foreign_cache_is_ignored_and_replaced(log: Path, parsed: list[int]) -> None:
    log.write_text(log_text(make_sessions(5)), encoding="utf-8")
    expected = read_history(log)
    for label, corrupt in list(_corrupt_caches(log)):
        corrupt(cache.cache_file(log))
        parsed.clear()
        assert read_history(log) == expected, label
        assert len(parsed) == 5, label
        parsed.clear()
        assert read_history(log) == expected, label
        assert parsed == [], label  # rebuilt


def test_a_cache_from_other_code_is_ignored(
    log: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[int]
) -> None:
    log.write_text(log_text(make_sessions(5)), encoding="utf-8")
    with monkeypatch.context() as patch:
        patch.setattr(reader, "_fingerprint", lambda: "older code")
        read_history(log)
    parsed.clear()
    result = read_history(log)
    assert len(parsed) == 5
    assert result == full_read(log)


def test_an_unwritable_cache_folder_does_not_fail_the_read(
    log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    sessions = make_sessions(3)
    log.write_text(log_text(sessions), encoding="utf-8")
    assert read_history(log).sessions == tuple(sessions)
    assert read_history(log).sessions == tuple(sessions)
    assert blocker.read_text() == "a file where the cache folder would go"


def test_use_cache_false_neither_reads_nor_writes_the_cache(
    log: Path, cache_home: Path, parsed: list[int]
) -> None:
    log.write_text(log_text(make_sessions(3)), encoding="utf-8")
    full_read(log)
    assert not cache_home.exists()
    read_history(log)
    parsed.clear()
    full_read(log)
    assert len(parsed) == 3


_PIECES = {
    "sound": log_text(make_sessions(3, seed=5)).encode(),
    "crlf": log_text(make_sessions(2, seed=6)).replace("\n", "\r\n").encode(),
    "damaged": log_text(make_sessions(3, seed=8)).replace("rpe = 5", "rpe = ?").encode(),
    "strings": b'[[session]]\nid = "a"\nnotes = """\n[[session]]\n"""\n' + _SOUND,
}
_TAILS = [
    render_session(make_sessions(1, seed=9)[0]).encode(),
    b"\n" + render_session(make_sessions(1, seed=9)[0]).encode(),
    b"\n\n[[session]]\n",
    b'x = 1\n[[session]]\nid = "q"\n',
    b'"""\n',
    b"\xff\n",
    b"]]\n",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    piece=st.sampled_from(sorted(_PIECES)),
    cut=st.floats(0, 1),
    tail=st.one_of(st.sampled_from(_TAILS), st.binary(max_size=30), st.just(None)),
)
def test_any_log_cut_anywhere_then_appended_to_reads_the_same_with_the_cache(
    piece: str, cut: float, tail: bytes | None
) -> None:
    whole = _PIECES[piece]
    at = int(len(whole) * cut)
    old, new = whole[:at], whole[:at] + (whole[at:] if tail is None else tail)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.toml"
        path.write_bytes(old)
        assert read_history(path) == read_history(path, use_cache=False)
        path.write_bytes(new)
        assert read_history(path) == read_history(path, use_cache=False)
        assert read_history(path) == read_history(path, use_cache=False)


# -- the log is only ever read ---------------------------------------------------------------


def test_reading_never_writes_to_the_log(log: Path) -> None:
    sessions = make_sessions(5)
    log.write_text(DAMAGED["garbage"](log_text(sessions)), encoding="utf-8")
    os.utime(log, ns=(1_000_000_000, 2_000_000_000))
    before = (log.read_bytes(), log.stat().st_mtime_ns, log.stat().st_size)
    for use_cache in (True, True, False):
        read_history(log, use_cache=use_cache)
    log.chmod(0o444)
    read_history(log)
    assert (log.read_bytes(), log.stat().st_mtime_ns, log.stat().st_size) == before
    assert list(log.parent.iterdir()) == [log]


def test_an_append_in_progress_does_not_hang_the_read(
    log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = make_sessions(2)
    log.write_text(log_text(sessions), encoding="utf-8")
    monkeypatch.setattr(reader, "LOCK_WAIT_S", 0.05)
    with log.open("rb") as writer:
        assert lock_descriptor(writer.fileno(), blocking=False)
        assert read_history(log).sessions == tuple(sessions)


def test_an_unreadable_log_raises_oserror(log: Path) -> None:
    log.write_text("", encoding="utf-8")
    log.chmod(0)
    if os.access(log, os.R_OK):
        pytest.skip("this user reads any file")
    with pytest.raises(OSError):
        read_history(log)
