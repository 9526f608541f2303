"""What a person sees, screen by screen, at 100x30, 80x24 and a small 60x20 terminal.

Update the pictures after an intended change with ``pytest --snapshot-update``
and look at them (``snapshot_report.html``) before committing.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from .conftest import MakeHarness
from .helpers import BLOCK, SIZES, SnapCompare, as_athlete, at, highlight_titled, seed_block

pytestmark = pytest.mark.usefixtures("plans_shown_once_loaded")

LIBRARY_SIZES = SIZES
BIG_SIZES = [pytest.param((160, 45), id="160x45"), *SIZES]
"""The workout is also drawn on a big terminal, where the clock should fill the room."""


@pytest.mark.parametrize("size", LIBRARY_SIZES)
def test_library(snap_compare: SnapCompare, harness: MakeHarness, size: tuple[int, int]) -> None:
    h = harness(run=False)

    async def highlight_starter(pilot: Pilot[Any]) -> None:
        await highlight_titled(pilot, "Retro starter")

    assert snap_compare(h.app, terminal_size=size, run_before=highlight_starter)


@pytest.mark.parametrize("size", LIBRARY_SIZES)
def test_library_program(
    snap_compare: SnapCompare, harness: MakeHarness, size: tuple[int, int]
) -> None:
    """The six-week block highlighted for Ana, two sessions in: ticks, next, the status line."""
    h = harness(run=False, settings=as_athlete("Ana"))
    seed_block(h.history)

    async def highlight_block(pilot: Pilot[Any]) -> None:
        await highlight_titled(pilot, BLOCK)

    assert snap_compare(h.app, terminal_size=size, run_before=highlight_block)


@pytest.mark.parametrize("size", SIZES)
def test_safety_check(
    snap_compare: SnapCompare, harness: MakeHarness, size: tuple[int, int]
) -> None:
    h = harness(preflight=True)
    assert snap_compare(h.app, terminal_size=size, run_before=at(h, 0))


@pytest.mark.parametrize("size", SIZES)
def test_forward_step(
    snap_compare: SnapCompare, harness: MakeHarness, size: tuple[int, int]
) -> None:
    h = harness()
    assert snap_compare(h.app, terminal_size=size, run_before=at(h, 12))


@pytest.mark.parametrize("size", BIG_SIZES)
def test_backward_step(
    snap_compare: SnapCompare, harness: MakeHarness, size: tuple[int, int]
) -> None:
    h = harness()
    assert snap_compare(h.app, terminal_size=size, run_before=at(h, 43))


@pytest.mark.parametrize("size", SIZES)
def test_paused(snap_compare: SnapCompare, harness: MakeHarness, size: tuple[int, int]) -> None:
    h = harness()
    assert snap_compare(h.app, terminal_size=size, run_before=at(h, 45, "space"))


@pytest.mark.parametrize("size", BIG_SIZES)
def test_rating_prompt(
    snap_compare: SnapCompare, harness: MakeHarness, size: tuple[int, int]
) -> None:
    h = harness()
    assert snap_compare(h.app, terminal_size=size, run_before=at(h, 72))


@pytest.mark.parametrize("size", SIZES)
def test_summary(snap_compare: SnapCompare, harness: MakeHarness, size: tuple[int, int]) -> None:
    h = harness()

    async def finish_and_rate(pilot: Pilot[Any]) -> None:
        await at(h, 70, "6")(pilot)
        await at(h, 90, "7")(pilot)
        await at(h, 180, "5")(pilot)

    assert snap_compare(h.app, terminal_size=size, run_before=finish_and_rate)


@pytest.mark.parametrize("size", SIZES)
def test_end_early_question(
    snap_compare: SnapCompare, harness: MakeHarness, size: tuple[int, int]
) -> None:
    """q in a backward interval: the question sits under the clock, which runs on."""
    h = harness()
    assert snap_compare(h.app, terminal_size=size, run_before=at(h, 50, "q"))
