"""The app starts headless and lists the bundled plans, and a broken plan with its error."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from retro_tui.tui.app import make_app


async def test_app_lists_bundled_plans_and_broken_ones(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[plan]\nname = 'Broken'\n\n[[step]]\nduration = 0\n", encoding="utf-8")
    app = make_app([tmp_path])
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("Retro starter" in label for label in labels)
        assert any(
            "broken.toml:5: step[1].duration: must be longer than zero" in label for label in labels
        )
