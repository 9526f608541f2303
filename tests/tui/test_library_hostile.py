"""A plan written to break the app keeps none of the others out of the library.

One key of 32,000 dotted parts used to blank the whole library, bundled plans
included, for about a minute while the file was parsed. Now the file is
refused at once, listed as broken with its line, and every other plan is there.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from retro_tui import paths
from retro_tui.tui.library_entries import shown_name

from .conftest import MakeHarness
from .helpers import highlight, preview, settled_library

TimeLimit = Callable[[float], AbstractContextManager[None]]

GOOD = '[plan]\nname = "My hill"\n\n[[step]]\ndirection = "backward"\nduration = "30s"\n'
HOSTILE = '[plan]\nname = "x"\n\n' + "a" + ".a" * 32_000 + " = 1\n"


async def test_a_hostile_plan_is_listed_broken_and_the_rest_all_load(
    harness: MakeHarness, time_limit: TimeLimit
) -> None:
    folder = paths.user_plans_dir()
    folder.mkdir(parents=True)
    (folder / "hostile.toml").write_text(HOSTILE, encoding="utf-8")
    (folder / "hill.toml").write_text(GOOD, encoding="utf-8")
    h = harness(run=False)
    with time_limit(30):
        async with h.app.run_test(size=(100, 30)) as pilot:
            screen = await settled_library(pilot)
            shown = [shown_name(entry) for entry in screen.entries]
            assert "Retro starter" in shown and "My hill" in shown
            assert "hostile.toml" in shown
            bundled = [entry for entry in screen.entries if entry.bundled]
            assert len(bundled) == len(list(paths.bundled_plans_dir().glob("*.toml")))
            await highlight(pilot, folder / "hostile.toml")
            text = preview(pilot)
            assert "hostile.toml:4" in text
            assert "dotted parts" in text
