"""The line locator: every key path of a TOML document maps to the line it is written on.

Each document here is checked twice: the set of key paths the locator found
must be exactly the set of paths ``tomllib`` parsed (nothing missed, nothing
invented), and every path must map to the line worked out by hand.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from retro_tui.tomltext.locate import KeyPath, LineLocator

TimeLimit = Callable[[float], AbstractContextManager[None]]


def all_paths(value: Any, prefix: KeyPath = ()) -> set[KeyPath]:
    """Every key path in a parsed TOML value: table keys and array indices."""
    paths: set[KeyPath] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            paths.add((*prefix, key))
            paths |= all_paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths.add((*prefix, index))
            paths |= all_paths(item, (*prefix, index))
    return paths


def check(text: str, expected: dict[KeyPath, int]) -> LineLocator:
    locator = LineLocator(text)
    assert set(locator.lines) == all_paths(tomllib.loads(text))
    assert locator.lines == expected
    for path, line in expected.items():
        assert locator.line_of(path) == line
    return locator


HEADERS = """\
# a comment first
title = "x"

[plan]
name = "P"

[[step]]
duration = 30

[[step]]   # a block
repeat = 2
  [[step.step]]
  duration = 10
  [[ step . step ]]
  duration = 20
    [[step.step.step]]
    duration = 5

[[step]]
[step.ladder]
from = 1
"""


def test_headers_and_nested_arrays_of_tables() -> None:
    check(
        HEADERS,
        {
            ("title",): 2,
            ("plan",): 4,
            ("plan", "name"): 5,
            ("step",): 7,
            ("step", 0): 7,
            ("step", 0, "duration"): 8,
            ("step", 1): 10,
            ("step", 1, "repeat"): 11,
            ("step", 1, "step"): 12,
            ("step", 1, "step", 0): 12,
            ("step", 1, "step", 0, "duration"): 13,
            ("step", 1, "step", 1): 14,
            ("step", 1, "step", 1, "duration"): 15,
            ("step", 1, "step", 1, "step"): 16,
            ("step", 1, "step", 1, "step", 0): 16,
            ("step", 1, "step", 1, "step", 0, "duration"): 17,
            ("step", 2): 19,
            ("step", 2, "ladder"): 20,
            ("step", 2, "ladder", "from"): 21,
        },
    )


VALUES = '''\
[plan]
name = "P" # trailing comment with [brackets] and "quotes"
summary = """
First line [not a table]
# not a comment
key = "not a key"
"""
"quoted key" = 1
'literal.key' = 2
a.b.c = 3
"x y" . z = 4
literal = \'\'\'
[[step]]
\'\'\'
inline = { p = 1, q.r = { s = 2 }, t = [1, { u = 3 }] }
cues = [
  # comment [with] brackets { }
  "one", # trailing
  """two
]""",
  { at = "1s", text = "three # not a comment" },

  [
    4,
  ],
]
escaped = "quote \\" [ # "
when = 1979-05-27 07:32:00
after = true
'''


def test_dotted_quoted_inline_multiline_values() -> None:
    check(
        VALUES,
        {
            ("plan",): 1,
            ("plan", "name"): 2,
            ("plan", "summary"): 3,
            ("plan", "quoted key"): 8,
            ("plan", "literal.key"): 9,
            ("plan", "a"): 10,
            ("plan", "a", "b"): 10,
            ("plan", "a", "b", "c"): 10,
            ("plan", "x y"): 11,
            ("plan", "x y", "z"): 11,
            ("plan", "literal"): 12,
            ("plan", "inline"): 15,
            ("plan", "inline", "p"): 15,
            ("plan", "inline", "q"): 15,
            ("plan", "inline", "q", "r"): 15,
            ("plan", "inline", "q", "r", "s"): 15,
            ("plan", "inline", "t"): 15,
            ("plan", "inline", "t", 0): 15,
            ("plan", "inline", "t", 1): 15,
            ("plan", "inline", "t", 1, "u"): 15,
            ("plan", "cues"): 16,
            ("plan", "cues", 0): 18,
            ("plan", "cues", 1): 19,
            ("plan", "cues", 2): 21,
            ("plan", "cues", 2, "at"): 21,
            ("plan", "cues", 2, "text"): 21,
            ("plan", "cues", 3): 23,
            ("plan", "cues", 3, 0): 24,
            ("plan", "escaped"): 27,
            ("plan", "when"): 28,
            ("plan", "after"): 29,
        },
    )


INLINE_STEPS = """\
step = [
  { name = "a", duration = 30 },   # first
  # a comment line

  { repeat = 2, step = [
    { duration = 10 },
    { duration = 20, cues = ["x", { at = 5, text = "y" }] },
  ] },
]

[plan]
name = "Inline"
"""

INLINE_STEPS_LINES: dict[KeyPath, int] = {
    ("step",): 1,
    ("step", 0): 2,
    ("step", 0, "name"): 2,
    ("step", 0, "duration"): 2,
    ("step", 1): 5,
    ("step", 1, "repeat"): 5,
    ("step", 1, "step"): 5,
    ("step", 1, "step", 0): 6,
    ("step", 1, "step", 0, "duration"): 6,
    ("step", 1, "step", 1): 7,
    ("step", 1, "step", 1, "duration"): 7,
    ("step", 1, "step", 1, "cues"): 7,
    ("step", 1, "step", 1, "cues", 0): 7,
    ("step", 1, "step", 1, "cues", 1): 7,
    ("step", 1, "step", 1, "cues", 1, "at"): 7,
    ("step", 1, "step", 1, "cues", 1, "text"): 7,
    ("plan",): 11,
    ("plan", "name"): 12,
}


def test_inline_arrays_of_tables_across_lines() -> None:
    check(INLINE_STEPS, INLINE_STEPS_LINES)


def test_crlf_line_endings_count_the_same() -> None:
    check(INLINE_STEPS.replace("\n", "\r\n"), INLINE_STEPS_LINES)


def test_escapes_in_quoted_keys_and_headers() -> None:
    check(
        '"caf\\u00e9" = 1\n\'a"b\' = 2\n["tab\\tle"]\n"\\U0001F600" = 3\n',
        {
            ("café",): 1,
            ('a"b',): 2,
            ("tab\tle",): 3,
            ("tab\tle", "\U0001f600"): 4,
        },
    )


def test_tables_under_arrays_of_tables_and_super_tables() -> None:
    check(
        """\
[[fruit]]
name = "apple"
[fruit.physical]
color = "red"
[[fruit.variety]]
name = "red delicious"
[[fruit]]
name = "banana"
[[fruit.variety]]
name = "plantain"
[a.b]
c = 1
[a]
d = 2
""",
        {
            ("fruit",): 1,
            ("fruit", 0): 1,
            ("fruit", 0, "name"): 2,
            ("fruit", 0, "physical"): 3,
            ("fruit", 0, "physical", "color"): 4,
            ("fruit", 0, "variety"): 5,
            ("fruit", 0, "variety", 0): 5,
            ("fruit", 0, "variety", 0, "name"): 6,
            ("fruit", 1): 7,
            ("fruit", 1, "name"): 8,
            ("fruit", 1, "variety"): 9,
            ("fruit", 1, "variety", 0): 9,
            ("fruit", 1, "variety", 0, "name"): 10,
            # A table first named by a sub-table header keeps that line.
            ("a",): 11,
            ("a", "b"): 11,
            ("a", "b", "c"): 12,
            ("a", "d"): 14,
        },
    )


def test_multiline_strings_with_quotes_and_escapes() -> None:
    check(
        'a = """one ""quoted"" \\""" [x]"""\n'
        'b = """\\\n  continued [y] # no\n  """\n'
        "c = '''two ''quoted'' '''\n"
        'd = """ends in quotes"""""\n'
        "e = 1\n",
        {("a",): 1, ("b",): 2, ("c",): 5, ("d",): 6, ("e",): 7},
    )


def test_values_of_every_kind_do_not_confuse_the_scanner() -> None:
    check(
        "a = 1_000\nb = 0xff\nc = +inf\nd = 1e-3\ne = 07:32:00\nf = 1979-05-27\n"
        "g = 1979-05-27T07:32:00Z\nh = 1979-05-27 07:32:00.5+01:00\ni = false\nj = []\n"
        "k = {}\nl = 0o17\nm = 0b101\n",
        {(key,): line for line, key in enumerate("abcdefghijklm", start=1)},
    )


# -- fallbacks -------------------------------------------------------------------------


def test_line_of_falls_back_to_the_nearest_recorded_parent() -> None:
    locator = LineLocator(HEADERS)
    assert locator.line_of(("step", 1, "step", 0, "speed")) == 12
    assert locator.line_of(("step", 1, "missing", 3, "x")) == 10
    assert locator.line_of(("step", 9)) == 7
    assert locator.line_of(("nothing",)) == 1
    assert locator.line_of(()) == 1


def test_scanner_stops_on_text_it_does_not_follow_and_keeps_what_it_found() -> None:
    locator = LineLocator("a = 1\nb = 2\n= 3\nc = 4\n")
    assert locator.lines == {("a",): 1, ("b",): 2}
    assert locator.line_of(("c",)) == 1


def test_unterminated_constructs_stop_the_scan() -> None:
    assert LineLocator('a = 1\nb = "open\nc = 3\n').lines == {("a",): 1, ("b",): 2}
    assert LineLocator('a = 1\nb = """never closed\n').lines == {("a",): 1, ("b",): 2}
    assert LineLocator("a = [1,\n2,\n").lines == {("a",): 1, ("a", 0): 1, ("a", 1): 2}
    assert LineLocator("a = { b = 1").lines == {("a",): 1, ("a", "b"): 1}


def test_scanner_survives_input_that_tomllib_refuses() -> None:
    # A \U escape past the largest int chr() takes, and arrays nested past the
    # recursion limit: the locator keeps what it found instead of raising.
    assert LineLocator('a = 1\n"\\UFFFFFFFF" = 1\n').lines == {("a",): 1}
    assert LineLocator('a = 1\nb = "\\U80000000"\n').lines == {("a",): 1, ("b",): 2}
    assert LineLocator("a = 1\nb = " + "[" * 5000).lines[("a",)] == 1


@pytest.mark.parametrize("text", ["a = [}", "a = [1, }", "a = [\n  { b = 1 },\n  }\n]", "a=[[}]]"])
def test_a_value_the_scanner_cannot_read_in_an_array_stops_the_scan(
    text: str, time_limit: TimeLimit
) -> None:
    # It used to record element after element of an array that never advanced.
    with time_limit(2):
        locator = LineLocator(text)
    assert ("a",) in locator.lines
    assert len(locator.lines) <= 4


# -- any document tomli_w writes -------------------------------------------------------

_KEYS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=6
) | st.sampled_from(["step", "plan", "a.b", "x y", "#", "[", "]]", '"', "'", "="])


@st.composite
def marked_documents(draw: st.DrawFn) -> tuple[dict[str, Any], dict[KeyPath, str]]:
    """A nested document whose every string leaf is a unique marker, with each marker's path."""
    markers: dict[KeyPath, str] = {}

    def build(path: KeyPath, depth: int) -> Any:
        choice = draw(st.integers(0, 4 if depth < 4 else 0))
        if choice in (0, 1):
            marker = f"m{len(markers)}z"
            markers[path] = marker
            return marker
        if choice == 2:
            keys = draw(st.lists(_KEYS, max_size=4, unique=True))
            return {key: build((*path, key), depth + 1) for key in keys}
        if choice == 3:
            count = draw(st.integers(0, 3))
            # Arrays of tables (written as [[headers]]) and mixed arrays.
            if draw(st.booleans()):
                return [build((*path, index), depth + 1) for index in range(count)]
            return [
                {
                    key: build((*path, index, key), depth + 1)
                    for key in draw(st.lists(_KEYS, min_size=1, max_size=3, unique=True))
                }
                for index in range(count)
            ]
        return draw(st.integers() | st.booleans() | st.floats(allow_nan=False))

    keys = draw(st.lists(_KEYS, min_size=1, max_size=5, unique=True))
    document = {key: build((key,), 0) for key in keys}
    return document, markers


@settings(max_examples=150, deadline=None)
@given(marked_documents(), st.booleans())
def test_every_written_leaf_is_located_on_its_own_line(
    drawn: tuple[dict[str, Any], dict[KeyPath, str]], multiline: bool
) -> None:
    document, markers = drawn
    text = tomli_w.dumps(document, multiline_strings=multiline)
    locator = LineLocator(text)
    assert set(locator.lines) == all_paths(tomllib.loads(text))
    lines = text.split("\n")
    for path, marker in markers.items():
        assert f'"{marker}"' in lines[locator.line_of(path) - 1], (path, text)
