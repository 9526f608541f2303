"""The history index: the history command asks it directly, and gets what a full read gives.

A table of the last 20 sessions of a long log decodes 20 sessions, an export
is written one session at a time, and whatever the filters, the answer is the
one that reading the whole log and filtering it gives. A log changed since it
was indexed (by hand, by another program) is read again first.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bench.history_gen import generate_sessions
from retro_tui.history import cache
from retro_tui.history.log import append_session
from retro_tui.history.reader import query_history, read_history
from retro_tui.history.record import SessionRecord, render_session
from retro_tui.history.stats import filter_sessions


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "history.toml"
    with path.open("w", encoding="utf-8") as file:
        file.write("\n".join(render_session(one) for one in generate_sessions(300, 11)))
    return path


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the sessions decoded from the index."""
    seen: list[str] = []
    real = cache._session

    def counting(row: list[Any]) -> SessionRecord:
        session = real(row)
        seen.append(session.id)
        return session

    monkeypatch.setattr(cache, "_session", counting)
    return seen


FILTERS: list[dict[str, Any]] = [
    {},
    {"plan": "starter"},
    {"plan": "  STARTER "},
    {"since": date(2021, 6, 1)},
    {"athlete": " ana "},
    {"plan": "rehab", "since": date(2021, 3, 1), "athlete": "Bo"},
    {"plan": "no such plan"},
]


@pytest.mark.parametrize("filters", FILTERS, ids=[str(f) or "none" for f in FILTERS])
def test_the_index_answers_as_a_full_read_and_filter_do(log: Path, filters: dict[str, Any]) -> None:
    read_history(log)  # the index is made
    expected = filter_sessions(read_history(log, use_cache=False).sessions, **filters)
    query = query_history(log, **filters)
    assert query.count == len(expected)
    assert query.total == 300
    assert list(query.sessions()) == expected
    assert list(query.sessions(5)) == expected[-5:]
    assert list(query.sessions(5, newest_first=True)) == expected[-5:][::-1]
    assert query.problems == ()


def test_a_table_of_a_few_decodes_only_those(log: Path, decoded: list[str]) -> None:
    read_history(log)
    decoded.clear()
    shown = list(query_history(log).sessions(20, newest_first=True))
    assert len(shown) == 20 and len(decoded) == 20


def test_an_export_is_decoded_one_session_at_a_time(log: Path, decoded: list[str]) -> None:
    read_history(log)
    decoded.clear()
    sessions: Iterator[SessionRecord] = query_history(log).sessions()
    first = next(sessions)
    assert decoded == [first.id]  # not all 300 first


def test_a_log_changed_since_it_was_indexed_is_read_again(log: Path) -> None:
    read_history(log)
    text = log.read_text(encoding="utf-8")
    log.write_text(text.replace('plan = "Retro starter"', 'plan = "Renamed"', 1), "utf-8")
    query = query_history(log, plan="renamed")
    assert query.count == 1
    assert query.problems and "changed since it was saved" in query.problems[0].message


def test_a_log_appended_to_is_indexed_from_where_it_was(log: Path) -> None:
    read_history(log)
    template = next(iter(generate_sessions(1, 5)))
    extra = [
        replace(
            template,
            id=f"later-{number}",
            started=template.started.replace(year=2030, day=number),
            ended=template.ended.replace(year=2030, day=number),
        )
        for number in (1, 2)
    ]
    for session in extra:
        append_session(log, session)
    query = query_history(log)
    assert query.count == 302
    assert list(query.sessions(2)) == extra


def test_a_session_pasted_twice_is_counted_once_by_the_index_too(log: Path) -> None:
    text = log.read_text(encoding="utf-8")
    second = text.index("[[session]]", 1)
    log.write_text(text + "\n" + text[:second], encoding="utf-8")
    read_history(log)
    query = query_history(log)
    assert query.count == query.total == 300
    [problem] = query.problems
    assert problem.message.endswith("(first on line 1): counted once")


def test_without_an_index_it_reads_the_log(log: Path, tmp_path: Path) -> None:
    cache.remove(log)
    os.chmod(tmp_path, 0o755)
    query = query_history(log, plan="starter")
    assert query.count == len(filter_sessions(read_history(log).sessions, plan="starter"))


def test_every_field_of_a_session_and_its_steps_comes_back_from_the_index(tmp_path: Path) -> None:
    """A field the index forgot would vanish from tables, exports and activity files alike."""
    base = next(iter(generate_sessions(1)))
    step = replace(
        base.steps[0],
        belt_speed=2.4,
        belt_incline=1.5,
        distance_m=123.4,
        heart_rate_avg=131.5,
        heart_rate_max=150.0,
        speed_by_hand=2.6,
    )
    full = replace(
        base,
        steps=(step, *base.steps[1:]),
        samples="samples/one.csv",
        heart_rate_zone_s=(10.0, 200.5, 90.0, 0.0, 0.0),
    )
    path = tmp_path / "history.toml"
    append_session(path, full)
    query_history(path)  # builds the index
    (indexed,) = query_history(path).sessions()
    assert indexed == read_history(path).sessions[0]
    assert indexed.samples == "samples/one.csv"
    assert indexed.heart_rate_zone_s == (10.0, 200.5, 90.0, 0.0, 0.0)
    assert indexed.steps[0] == read_history(path).sessions[0].steps[0]
    assert indexed.steps[0].heart_rate_max == 150.0
