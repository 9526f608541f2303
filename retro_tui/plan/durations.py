"""Durations as people write them in plans ("45s", "1m30s", "20m", "1h", 90) and as shown.

Two rules for showing seconds, one for each kind of time:

- time *left* (a countdown) rounds up, so ``0:00`` means really done;
- time *done* rounds to the nearest whole second, and the parts of a whole
  (the steps of a session) are rounded on the session's running clock, so the
  rows of a session always add up to the session's own time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

_UNIT_FORM = re.compile(
    r"""^\s*
    (?:(?P<h>\d+)\s*h(?:ours?|rs?)?)?\s*
    (?:(?P<m>\d+)\s*m(?:in(?:utes?|s)?)?)?\s*
    (?:(?P<s>\d+)\s*s(?:ec(?:onds?|s)?)?)?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
_CLOCK_FORM = re.compile(r"^\s*(?:(?P<h>\d+):)?(?P<m>\d+):(?P<s>[0-5]\d)\s*$")
_SECONDS_FORM = re.compile(r"^\s*(?P<s>\d+)\s*$")

DURATION_HINT = 'a duration like "45s", "1m30s", "20m", "1h" or a whole number of seconds'


def parse_duration(value: object) -> int | None:
    """Seconds for a duration written in a plan, or ``None`` if it is not one.

    Accepts a whole number of seconds (``90``), unit forms (``"45s"``,
    ``"1m30s"``, ``"20 min"``, ``"1h"``), clock forms (``"1:30"``,
    ``"1:00:00"``) and digits in a string (``"90"``). Zero and negative values
    are returned as they are so the caller can say what is wrong with them.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if not isinstance(value, str) or len(value) > 40:
        return None
    for pattern in (_SECONDS_FORM, _CLOCK_FORM, _UNIT_FORM):
        match = pattern.match(value)
        if match and any(match.groupdict().values()):
            parts = match.groupdict()
            return (
                int(parts.get("h") or 0) * 3600
                + int(parts.get("m") or 0) * 60
                + int(parts.get("s") or 0)
            )
    return None


def format_clock(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for a countdown; rounds up so 0:00 means really done."""
    return _clock(max(0, math.ceil(seconds - 1e-9)))


def _clock(whole: int) -> str:
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def whole_seconds(seconds: float) -> int:
    """Time done in whole seconds: the nearest, halves up (29.5 s is 30 s)."""
    return max(0, math.floor(seconds + 0.5))


def format_elapsed(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) of time done, rounded to the nearest second."""
    return _clock(whole_seconds(seconds))


def elapsed_shares(parts: Iterable[float]) -> list[int]:
    """Whole seconds for each part of a whole that add up to the whole's own rounding.

    Each part ends at the running total of the parts before it and itself; its
    share is that end rounded, less the previous end rounded. So 5.014 s,
    5.014 s and 5.014 s read 5, 10 and 15 on the running clock: 5 + 5 + 5 = 15,
    never 0:06 + 0:06 + 0:06 under a total of 0:15.
    """
    shares: list[int] = []
    total = 0.0
    shown = 0
    for part in parts:
        total += max(0.0, part)
        end = whole_seconds(total)
        shares.append(end - shown)
        shown = end
    return shares


def format_duration(seconds: float) -> str:
    """A short human duration for summaries: ``30s``, ``1m30s``, ``20m``, ``1h05m``."""
    whole = whole_seconds(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m" if not secs else f"{hours}h{minutes:02d}m{secs:02d}s"
    if minutes:
        return f"{minutes}m" if not secs else f"{minutes}m{secs:02d}s"
    return f"{secs}s"
