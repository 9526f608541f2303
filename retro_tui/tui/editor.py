"""Editing a plan file in the user's own editor: which one, and running it safely.

``$VISUAL``, else ``$EDITOR``, else the first of a few common editors on
``PATH``. The file's path is always one argument of its own, never read by a
shell.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

EDITOR_VARIABLES = ("VISUAL", "EDITOR")
FALLBACK_EDITORS = ("editor", "nano", "vi", "notepad")
"""Tried in order on PATH when neither variable is set (``editor`` is Debian's chosen one)."""


class EditorError(Exception):
    """No editor can be run; the message says what to set."""


def editor_argv(
    path: Path,
    environ: Mapping[str, str] = os.environ,
    which: Callable[[str], str | None] = shutil.which,
) -> list[str]:
    """The command that edits ``path``: ``$VISUAL``, else ``$EDITOR``, else one on PATH.

    A variable is split like a shell would (``code --wait`` is a program and a
    flag) because it is the user's own setting; the path is always one more
    argument of its own, never parsed, so no character in a file name can run
    anything. It is made absolute so that a name starting with ``-`` or ``+``
    can't pass for an option (vi runs ``+cmd`` arguments as commands).
    """
    target = str(path.absolute())
    for variable in EDITOR_VARIABLES:
        setting = environ.get(variable, "").strip()
        if not setting:
            continue
        try:
            words = shlex.split(setting)
        except ValueError as error:
            raise EditorError(f"${variable} ({setting}) can't be read: {error}") from None
        if words:
            return [*words, target]
    for name in FALLBACK_EDITORS:
        found = which(name)
        if found:
            return [found, target]
    raise EditorError("No editor found: set $VISUAL or $EDITOR, for example to nano")


def run_editor(argv: list[str]) -> tuple[bool, str | None]:
    """Run ``argv`` on this terminal and wait: (whether the editor ran, a problem to tell)."""
    try:
        # A list and no shell: the words reach the editor exactly as they are.
        result = subprocess.run(argv, check=False)
    except OSError as error:
        return False, f"Could not start the editor {argv[0]}: {error.strerror or error}"
    except KeyboardInterrupt:
        # ctrl+c reaches this process too while the editor has the terminal.
        return True, f"The editor {argv[0]} was interrupted"
    if result.returncode != 0:
        return True, f"The editor {argv[0]} ended with exit status {result.returncode}"
    return True, None
