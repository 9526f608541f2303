from pathlib import Path
from .test_library_programs import *  # noqa
from .test_library_programs import tiny_folder  # noqa

async def test_probe_restart_then_other_program(harness, tiny_folder: Path) -> None:
    h = harness(run=False, extra=(tiny_folder,), settings=as_athlete("Ana"))
    seed_block(h.history)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await highlight_program(pilot, BLOCK)
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        await end_early_and_save(pilot)
        print("after block:", status_line(pilot))
        await highlight_program(pilot, TINY)
        await pilot.press("enter")
        await pilot.pause()
        await finish_and_save(pilot, h)
        print("after tiny:", status_line(pilot))
        print(label_of(pilot, TINY))
        assert False
