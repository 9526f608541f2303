"""Speaking aloud through the machine's text-to-speech program, without ever holding up the clock.

The program (espeak-ng, espeak, spd-say or macOS ``say``, or the one set as
``[sound] voice_command``) is started with an argument list, never through a
shell, with the words as its last argument: text from a plan can never run a
command. Each utterance runs in its own session with no terminal input or
output, so it can neither read keys meant for the app nor draw over the screen.

One background thread starts the program, one utterance at a time. A newer
utterance replaces an older one: one still waiting is dropped, one being spoken
is stopped. So "three" is never late behind a long cue, and a program that
hangs is killed by the next utterance (or by :meth:`Voice.close`). A program that
is missing or fails is reported once, through a callback, and the voice falls
silent for good, leaving the terminal bell.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import threading
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path

PROGRAMS: tuple[tuple[str, ...], ...] = (
    ("espeak-ng",),
    ("espeak",),
    # spd-say hands the words to a speech server and returns at once; --wait keeps it
    # running until they are spoken, so stopping it (and failing) means something.
    ("spd-say", "--wait"),
    ("say",),
)
"""Programs looked for, in order, with the options each needs."""

CLOSE_WAIT_S = 2.0
"""How long closing waits for the speaking thread to end (it only has to reap a killed process)."""

FIX_HINT = (
    "Spoken cues are off for now; the bell still rings. Install espeak-ng, or set "
    "[sound] voice_command in config.toml to a program that speaks its last argument "
    '(like "espeak-ng -s 150").'
)


def find_voice_command(
    configured: Sequence[str] = (), which: Callable[[str], str | None] = shutil.which
) -> tuple[str, ...]:
    """The program and options to speak with: the configured ones, else the first found.

    An empty result means none was found; :class:`Voice` reports that on first use.
    """
    if configured:
        return tuple(configured)
    for program, *options in PROGRAMS:
        found = which(program)
        if found:
            return (found, *options)
    return ()


def speech_argv(command: Sequence[str], text: str) -> list[str]:
    """The argument list that says ``text``: the command, then the words as one argument.

    Words starting with "-" come after "--" (the end of options for getopt-style
    programs), so a cue like "--help" is said, not obeyed.
    """
    words = text.replace("\0", " ")  # an argument can't hold one; a plan might
    if Path(command[0]).name == "spd-say":
        words = words.replace("%", "%%")  # spd-say reads its text as a printf format
    return [*command, *(["--"] if words.startswith("-") else []), words]


class Voice:
    """Says one thing at a time in a background thread; newer words replace older ones.

    ``on_failure`` is called (once, from the background thread) with a message
    saying what failed and how to fix it; after that :meth:`say` does nothing.
    """

    def __init__(
        self, command: Sequence[str], on_failure: Callable[[str], None] | None = None
    ) -> None:
        self.command = tuple(command)
        self._on_failure = on_failure
        self._lock = threading.Condition()
        self._pending: str | None = None
        self._generation = 0
        """Bumped by every say and stop: a process started for an older one is stale."""
        self._process: subprocess.Popen[bytes] | None = None
        self._closed = False
        self._busy = False
        """The thread is starting, waiting for or reporting on an utterance."""
        self.failed = False
        self._thread: threading.Thread | None = None
        _open_voices.add(self)

    def say(self, text: str) -> None:
        """Start saying ``text`` soon, instead of whatever was said or waiting. Never blocks."""
        if not text.strip():
            return
        with self._lock:
            if self._closed or self.failed:
                return
            self._generation += 1
            self._pending = text
            speaking = self._process
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="voice", daemon=True)
                self._thread.start()
            self._lock.notify()
        _kill(speaking)

    def stop(self) -> None:
        """Drop what is waiting and silence what is being said."""
        with self._lock:
            self._generation += 1
            self._pending = None
            speaking = self._process
        _kill(speaking)

    def close(self) -> None:
        """Stop speaking and end the background thread; no process is left behind."""
        with self._lock:
            self._closed = True
            self._lock.notify()
        self.stop()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(CLOSE_WAIT_S)
        _open_voices.discard(self)

    @property
    def speaking(self) -> bool:
        """Whether a program is running for the latest utterance."""
        with self._lock:
            return self._process is not None

    @property
    def idle(self) -> bool:
        """Nothing waiting to be said and nothing being said."""
        with self._lock:
            return self._pending is None and not self._busy

    # -- the background thread ------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._lock:
                while self._pending is None and not self._closed:
                    self._lock.wait()
                if self._closed:
                    return
                text, self._pending = self._pending, None
                generation = self._generation
                self._busy = True
            assert text is not None
            try:
                self._speak(text, generation)
            finally:
                with self._lock:
                    self._busy = False

    def _speak(self, text: str, generation: int) -> None:
        if not self.command:
            names = ", ".join(program[0] for program in PROGRAMS)
            self._fail(f"No text-to-speech program found (looked for {names}). {FIX_HINT}")
            return
        argv = speech_argv(self.command, text)
        try:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                close_fds=True,
            )
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            self._fail(f"Can't start {self.command[0]}: {reason}. {FIX_HINT}")
            return
        with self._lock:
            stale = generation != self._generation or self._closed
            if not stale:
                self._process = process
        if stale:  # something newer came while it was starting
            _kill(process)
        returncode = process.wait()
        with self._lock:
            if self._process is process:
                self._process = None
            stopped = generation != self._generation or self._closed
        if returncode != 0 and not stopped:
            how = (
                f"was stopped by signal {-returncode}"
                if returncode < 0
                else f"exited with status {returncode}"
            )
            self._fail(f"{self.command[0]} {how} while speaking. {FIX_HINT}")

    def _fail(self, message: str) -> None:
        with self._lock:
            if self.failed:
                return
            self.failed = True
            self._pending = None
        if self._on_failure is not None:
            self._on_failure(message)


def _kill(process: subprocess.Popen[bytes] | None) -> None:
    """Kill a speaking program and anything it started (its whole session)."""
    if process is None or process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):  # already gone
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # Windows: no process groups to end; the program itself
            process.kill()


_open_voices: weakref.WeakSet[Voice] = weakref.WeakSet()


@atexit.register
def _close_open_voices() -> None:
    # However the program ends, no speech program outlives it.
    for voice in list(_open_voices):
        voice.close()
