"""Closing the device links ends, whatever the tasks and the radio do on the way out.

A cancellation can be lost (Python 3.11's ``asyncio.wait_for`` drops one that lands
as what it awaits finishes): these tasks lose theirs on purpose, and a goodbye that
never gets its answer stands for a radio whose other side has gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import pytest

from retro_tui.devices.radio import at_most, cancel_all


def test_a_task_that_loses_its_first_cancellation_is_cancelled_again() -> None:
    async def main() -> None:
        seen: list[str] = []

        async def forgetful() -> None:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                seen.append("first cancel lost")
            await asyncio.sleep(3600)  # waits on, as after a swallowed cancellation

        task = asyncio.create_task(forgetful())
        await asyncio.sleep(0)
        await cancel_all([task], patience_s=5.0)
        assert task.cancelled() and seen == ["first cancel lost"]

    asyncio.run(main())


def test_a_task_that_will_not_end_is_left_behind_after_the_patience() -> None:
    async def main() -> None:
        stop = asyncio.Event()

        async def stubborn() -> None:
            while not stop.is_set():
                try:
                    await asyncio.sleep(3600)
                except asyncio.CancelledError:
                    continue

        task = asyncio.create_task(stubborn())
        await asyncio.sleep(0)
        started = time.monotonic()
        await cancel_all([task], patience_s=0.3)
        assert 0.3 <= time.monotonic() - started < 5.0
        assert not task.done()
        stop.set()
        task.cancel()
        await asyncio.wait({task}, timeout=1.0)

    asyncio.run(main())


def test_what_the_tasks_raise_is_dropped_and_the_callers_cancellation_is_not() -> None:
    async def main() -> None:
        async def failing() -> None:
            raise RuntimeError("a backend's surprise")

        done = asyncio.create_task(failing())
        await asyncio.sleep(0)
        await cancel_all([done])  # no error, and nothing logged as never retrieved

        stop = asyncio.Event()

        async def stubborn() -> None:
            while not stop.is_set():
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.sleep(3600)

        slow = asyncio.create_task(stubborn())
        closer = asyncio.create_task(cancel_all([slow], patience_s=3600.0))
        await asyncio.sleep(0.3)  # a few rounds of cancelling the stubborn task
        closer.cancel()
        with pytest.raises(asyncio.CancelledError):
            await closer
        stop.set()
        slow.cancel()
        await asyncio.wait({slow}, timeout=1.0)

    asyncio.run(main())


def test_a_goodbye_without_an_answer_ends_after_its_time() -> None:
    async def main() -> None:
        never = asyncio.get_running_loop().create_future()
        started = time.monotonic()
        await at_most(0.2, never)
        assert 0.2 <= time.monotonic() - started < 5.0

        async def broken() -> None:
            raise OSError("the dongle is gone")

        await at_most(1.0, broken())  # what it raises is dropped

    asyncio.run(main())
