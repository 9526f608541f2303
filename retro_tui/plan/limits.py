"""The limits every plan is checked against: what a person on a treadmill could ever need.

A plan drives a treadmill, so absurd values are mistakes, never intentions:
they are refused with a message rather than run.
"""

from retro_tui.plan.model import Units

MAX_REPEAT = 100
MAX_DEPTH = 3
MAX_STEPS = 2000
MAX_TOTAL_S = 6 * 3600
MAX_SPEED = {Units.MPH: 15.0, Units.KMH: 24.0}
MIN_INCLINE, MAX_INCLINE = -3.0, 40.0
HEART_RATE_ZONES = 5
"""A step's ``target_hr_zone`` is one of zones 1 to this, or a range of them."""
MAX_ISSUES = 100
"""Problems described for one file; past it they are only counted."""
MAX_NAME_CHARS = 80
MAX_CUE_CHARS = 200
MAX_SUMMARY_CHARS = 1000
