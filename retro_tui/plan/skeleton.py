"""New plan files for a person to edit: a commented skeleton, or a copy of a bundled plan.

``retro-tui new NAME`` and the plan library's "New plan" write
:func:`skeleton_text`: a complete, valid, beginner-safe plan whose comments
explain every key, so a first plan is made by changing numbers rather than
by reading a reference. The library's "Edit" on a bundled plan edits a copy
made by :func:`user_copy`, because the bundled files belong to the installed
package.

Neither ever overwrites a file: both create theirs with exclusive-create, so
a plan someone already wrote (or a second click) can never be lost.
"""

from __future__ import annotations

import errno
import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

from retro_tui.files import create_new
from retro_tui.plan.limits import MAX_NAME_CHARS
from retro_tui.plan.model import Units

PLAN_SUFFIX = ".toml"
MAX_SLUG_CHARS = 64
"""File names stay short enough to read in a listing, whatever the plan's name."""

# Names Windows refuses for a file, whatever the extension.
_RESERVED_STEMS = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{digit}" for digit in range(1, 10)]
    + [f"lpt{digit}" for digit in range(1, 10)]
)


class PlanNameError(ValueError):
    """A name that can't make a plan: the message says why, in words a user can act on."""


class UserCopy(NamedTuple):
    """The user's editable copy of a plan, and whether it was made just now."""

    path: Path
    created: bool


def plan_slug(name: str) -> str:
    """The file stem for a plan called ``name``: ``"Hill Tuesday"`` -> ``"hill-tuesday"``.

    Only ``a-z``, ``0-9`` and single hyphens survive, so the file name is safe
    in any shell, file system and URL. Accents are dropped rather than the
    letter (``"Rückwärts"`` -> ``"ruckwarts"``); apostrophes vanish so
    ``"Bob's plan"`` reads ``bobs-plan``; any other run of symbols or spaces
    becomes one hyphen. May be empty: see :func:`check_plan_name`.
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii")
    without_apostrophes = re.sub(r"['`]", "", ascii_only)
    slug = re.sub(r"[^a-z0-9]+", "-", without_apostrophes).strip("-")
    slug = slug[:MAX_SLUG_CHARS].rstrip("-")
    return f"{slug}-plan" if slug in _RESERVED_STEMS else slug


def check_plan_name(name: str) -> str:
    """``name`` as the plan will hold it (trimmed, as the loader trims), or :class:`PlanNameError`.

    The rules are the loader's rules for ``[plan] name``, checked up front so
    that a new file is never born broken, plus one of its own: the name must
    give a file name (see :func:`plan_slug`).
    """
    if any(unicodedata.category(char) == "Cs" for char in name):
        # Bytes that were not UTF-8 on the command line arrive as lone surrogates.
        raise PlanNameError("the plan name is not valid text; type it again in UTF-8")
    stripped = name.strip()
    if not stripped:
        raise PlanNameError('a plan needs a name, such as "Hill Tuesday"')
    if any(unicodedata.category(char) == "Cc" for char in stripped):
        raise PlanNameError("the plan name must be one line, without tabs or control characters")
    if len(stripped) > MAX_NAME_CHARS:
        raise PlanNameError(
            f"the plan name is {len(stripped)} characters long; at most {MAX_NAME_CHARS} fit "
            "the screen"
        )
    if not plan_slug(stripped):
        raise PlanNameError(
            f"the plan name {stripped!r} has no letters a-z or digits to make a file name "
            "from; add at least one"
        )
    return stripped


def plan_file_name(name: str) -> str:
    """``hill-tuesday.toml`` for ``"Hill Tuesday"``; :class:`PlanNameError` for a bad name."""
    return plan_slug(check_plan_name(name)) + PLAN_SUFFIX


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: quotes, backslashes and control characters escaped."""
    out = ['"']
    for char in text:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif unicodedata.category(char) == "Cc":
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


# Placeholders rather than str.format: the TOML itself is full of braces.
_STEM = "@STEM@"
_NAME = "@NAME@"


class _Speeds(NamedTuple):
    """The skeleton's speeds in one unit, written as the file shows them."""

    walk: str
    """The warm-up and recovery walk, and the top of the cool-down ladder."""
    backward: str
    """A careful first backward walk."""
    slow: str
    """The bottom of the cool-down ladder."""
    rung: str
    """The cool-down ladder's step: three rungs from ``walk`` down to ``slow``."""


# The same walks in either unit: 3 mph is about 5 km/h, 2 mph is 3.2 km/h. The cool-down
# ladder only ever slows the belt, so its rungs may be bigger than the largest raise the
# safety linter allows.
_SPEEDS = {
    Units.MPH: _Speeds(walk="3.0", backward="2.0", slow="2.0", rung="0.5"),
    Units.KMH: _Speeds(walk="5.0", backward="3.2", slow="3.0", rung="1.0"),
}

_SKELETON = """\
# A plan of your own, made by `retro-tui new`. Change what you like, then check it:
#
#     retro-tui check @STEM@
#
# The check names the line and key of any mistake, and a plan with a mistake never
# runs. Everything after a # is a comment: the app ignores it, so keep comments or
# delete them. Every key is described in the plan format reference
# (docs/plan-format.md in retro-tui's source).
#
# Before you start: clip the safety stop cord to your clothes and check you can reach
# the stop button, pick a mark on the wall at eye height, and keep your hands on the
# rails whenever you face backward.

# The [plan] table names the workout. name is required: it is what the plan library
# shows (1-80 characters). summary is a line about the plan, shown under its name, and
# level tells whoever picks a plan who it is for.
[plan]
name = @NAME@
summary = "A warm-up walk, three 30-second backward intervals and a cool-down walk."
units = "@UNITS@"         # every speed in this file: "mph" or "kmh" (1 mph = 1.6 km/h)
level = "beginner"    # optional: "beginner", "intermediate" or "advanced"
# Tips shown during any step that has no plain cues of its own (plain text only here).
cues = ["Stand tall, eyes on your mark on the wall"]

# -- Steps ----------------------------------------------------------------------------
# Each [[step]] runs in the order written. A step may have these keys:
#   name        optional; a default is made from kind and direction ("Backward")
#   kind        "warmup", "work" (the default), "recover" or "cooldown"
#   direction   "forward" (the default) or "backward": the way you face on the belt
#   duration    required: "45s", "1m30s", "20m", "1h", "1:30" (m:ss), or seconds (90)
#   speed       optional target, in the plan's units: above 0, at most 15 mph (24 km/h)
#   incline     optional target in percent, -3 to 40
#   cues        optional tips: plain text takes turns on screen, and
#               { at = "15s", text = "..." } shows once, that long into the step
#   rate        true or false: ask how hard it was (0-10) when the step ends;
#               true by default for backward work steps, false for all others
#   target_rpe  optional effort to aim for: 0 (rest) to 10 (maximal), a whole number
#   target_hr_zone  optional heart-rate zone to stay in, 1 to 5, or a range like [2, 3]
#               (said aloud when a strap shows the heart rate out of it for 20 s)

# -- Warm-up --------------------------------------------------------------------------

[[step]]
name = "Warm-up walk"
kind = "warmup"
direction = "forward"   # the default, written out to show the key
duration = "5m"         # the same as "300", 300 or "5:00"
speed = @WALK@             # a brisk walk: change it to your own easy pace
incline = 0             # percent; leave incline out to set no target at all
target_rpe = 2          # 2 = easy
cues = [
    "Easy walk, relaxed shoulders",
    { at = "4m30s", text = "Nearly done: hands on the rails, belt to @BACK@, turn carefully" },
]

# -- Backward intervals ---------------------------------------------------------------
# A repeat block: the steps inside it run in order, `repeat` times (1 to 100). The
# block holds only name, repeat and its steps, written [[step.step]] (indenting them
# is optional). For your very first sessions, set repeat = 2.

[[step]]
name = "Backward intervals"
repeat = 3

  [[step.step]]
  name = "Backward"
  direction = "backward"
  duration = "30s"      # beginners: keep backward work around 30 seconds
  speed = @BACK@           # a careful backward walk; lower it if you feel unsteady
  incline = 0           # keep the belt level while you learn to go backward
  rate = true           # the default for backward work: asks how hard it was, 0-10
  target_rpe = 4        # 4 = somewhat hard
  cues = [
      "Short, quick steps; land on the ball of your foot",
      { at = "15s", text = "Halfway: eyes on your mark, don't look back" },
  ]

  [[step.step]]
  name = "Recovery walk"
  kind = "recover"      # facing forward again: forward is the default direction
  duration = "1m30s"
  speed = @WALK@
  cues = [
      "Turn to face forward, then walk",
      { at = "1m15s", text = "If backward is next: hands on the rails, belt to @BACK@" },
  ]

# -- Cool-down ------------------------------------------------------------------------
# A speed ladder: one step ("rung") per speed from `from` to `to`, changing by `by`,
# each lasting `hold`. The ladder sets speed and duration itself, so the step has
# neither key. This one slows from @WALK@ to @SLOW@: three rungs of one minute.

[[step]]
name = "Cool-down walk"
kind = "cooldown"
ladder = { from = @WALK@, to = @SLOW@, by = @RUNG@, hold = "1m" }
cues = ["Easy walk, breathe out slowly"]
"""


def skeleton_text(name: str, units: Units | str = Units.MPH) -> str:
    """A complete beginner plan called ``name``, commented key by key, ready to change.

    Its speeds are in ``units`` (``"mph"`` or ``"kmh"``, as ``[display] units``
    says). Raises :class:`PlanNameError` for a name the loader would refuse or
    that gives no file name, and ``ValueError`` for other units.
    """
    name = check_plan_name(name)
    speeds = _SPEEDS[Units(units)]
    text = (
        _SKELETON.replace("@UNITS@", Units(units).value)
        .replace("@WALK@", speeds.walk)
        .replace("@BACK@", speeds.backward)
        .replace("@SLOW@", speeds.slow)
        .replace("@RUNG@", speeds.rung)
    )
    # The stem first: the name goes in last so nothing inside it is ever substituted.
    return text.replace(_STEM, plan_slug(name)).replace(_NAME, toml_string(name))


def write_skeleton(name: str, folder: Path, units: Units | str = Units.MPH) -> Path:
    """Write :func:`skeleton_text` to ``folder/<slug>.toml``, creating ``folder`` if needed.

    Raises :class:`PlanNameError` for a bad name and :class:`FileExistsError`
    if the file is already there (it is left untouched); other ``OSError``
    for a folder that can't be made or written.
    """
    text = skeleton_text(name, units)
    path = folder / plan_file_name(name)
    return create_plan_file(path, text.encode("utf-8"))


def user_copy(source: Path, folder: Path) -> UserCopy:
    """The user's editable copy of ``source`` in ``folder``, made now unless already there.

    An existing file of the same name is the user's copy from an earlier edit:
    it is returned as it is, never replaced by the original.
    """
    target = folder / source.name
    if target.exists():
        return UserCopy(target, created=False)
    data = source.read_bytes()
    try:
        create_plan_file(target, data)
    except FileExistsError:  # made between the look and the write: still theirs
        return UserCopy(target, created=False)
    return UserCopy(target, created=True)


def create_plan_file(path: Path, data: bytes) -> Path:
    """Write a new plan file at ``path`` (its folder made if need be), never over one that
    is there (``FileExistsError``)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        # A file where the folder should be; FileExistsError here would read "plan exists".
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(path.parent)) from None
    # Complete or not at all, and never over a file of that name (FileExistsError).
    create_new(path, data)
    return path
