"""Plan files from the library: a bundled plan's copy to edit, a converted workout's plan,
a new plan, the editor run.

Each says what went wrong in a notification of the app's and returns nothing
to go on with, so the library screen only decides what to list afterwards.
The editor gets the terminal with the app suspended; served in a browser
there is no terminal to lend, and the notice says where the file is instead.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App, SuspendNotSupported

from retro_tui.coach.paces import RacePaces
from retro_tui.plan.model import Units
from retro_tui.plan.skeleton import PlanNameError, plan_file_name, user_copy, write_skeleton
from retro_tui.tomltext import FileProblemError
from retro_tui.tui.editor import EditorError, editor_argv, run_editor


def copy_to_edit(app: App[object], path: Path, folder: Path) -> tuple[Path, str] | None:
    """The user's own copy of the bundled plan at ``path`` in ``folder``, and a word on it.

    Bundled plans belong to the installed package: an upgrade would undo an edit, and
    the folder may not even be writable. The user edits their own copy.
    """
    try:
        copy = user_copy(path, folder)
    except OSError as error:
        app.notify(
            f"Could not copy {path.name} into {folder} to edit it: {error.strerror or error}",
            severity="error",
            markup=False,
        )
        return None
    if copy.created:
        return copy.path, f"{path.name} is a bundled plan, so you edited a copy: {copy.path}"
    return copy.path, f"You edited your own copy of {path.name}: {copy.path}"


def convert_to_edit(
    app: App[object], path: Path, folder: Path, units: Units, paces: RacePaces | None
) -> tuple[Path, str] | None:
    """The plan made from the workout file at ``path`` (a .zwo) in ``folder``, and a word on it.

    Another app's file is not edited as a plan: its TOML plan is, made once and kept.
    """
    # Imported when first needed: the readers of other apps' files are no part of start-up.
    from retro_tui.interchange.converted import converted_copy
    from retro_tui.interchange.imported import PaceNeeded

    try:
        copy = converted_copy(path, folder, units=units, paces=paces)
    except PaceNeeded:
        app.notify(
            f"{path.name} gives its speeds as shares of your race paces: set your 5 km race "
            "time in the settings (s) first",
            severity="warning",
            markup=False,
        )
        return None
    except FileProblemError as error:
        app.notify(str(error.first), severity="error", markup=False)
        return None
    except OSError as error:
        app.notify(
            f"Could not write the plan of {path.name} into {folder}: {error.strerror or error}",
            severity="error",
            markup=False,
        )
        return None
    if copy.created:
        return copy.path, f"You edited the plan made from {path.name}: {copy.path}"
    return copy.path, f"You edited the plan made earlier from {path.name}: {copy.path}"


def write_new_plan(app: App[object], name: str, folder: Path, units: Units | str) -> Path | None:
    """A commented plan called ``name`` written into ``folder``; ``None`` when it can't be."""
    try:
        return write_skeleton(name, folder, units)
    except PlanNameError as error:
        app.notify(str(error), severity="error", markup=False)
    except FileExistsError:
        app.notify(
            f"{folder / plan_file_name(name)} already exists: choose another name, "
            "or highlight that plan and press e",
            severity="error",
            markup=False,
        )
    except OSError as error:
        app.notify(
            f"Could not write the new plan into {folder}: {error.strerror or error}",
            severity="error",
            markup=False,
        )
    return None


def edit_in_terminal(app: App[object], path: Path, note: str | None = None) -> bool:
    """Run the user's editor on ``path`` with the app suspended; whether the editor ran.

    ``note`` is said once the editor is done.
    """
    try:
        argv = editor_argv(path)
    except EditorError as error:
        app.notify(f"{error}; the file is at {path}", severity="error", timeout=15, markup=False)
        return False
    try:
        with app.suspend():
            # Nothing may escape this block: suspend() restores the app's screen only
            # when the block ends normally.
            ran, problem = run_editor(argv)
    except SuspendNotSupported:
        app.notify(
            f"Editing needs the app in a terminal; the file is at {path}",
            severity="warning",
            timeout=15,
            markup=False,
        )
        return False
    if note:
        app.notify(note, markup=False)
    if problem:
        app.notify(problem, severity="error", markup=False)
    return ran
