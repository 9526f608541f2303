"""The Textual application: holds the shared state and opens the first screen."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual.app import App

from retro_tui import paths
from retro_tui.plan.catalog import PlanEntry, discover
from retro_tui.tui.screens.library import LibraryScreen


class RetroApp(App[int]):
    """retro-tui's app. Build it with :func:`retro_tui.cli.make_app`."""

    TITLE = "retro-tui"
    CSS_PATH = "app.tcss"

    def __init__(self, plan_folders: Sequence[Path] = ()) -> None:
        super().__init__()
        self.plan_folders = list(plan_folders)

    def load_plans(self) -> list[PlanEntry]:
        return discover(self.plan_folders, bundled=paths.bundled_plans_dir())

    def on_mount(self) -> None:
        self.push_screen(LibraryScreen(self.load_plans()))
