"""Coaching: what to do next, from the plans and the history.

The rules that decide a next session live here, above the plan, the workout and
the history they read: one progression suggestion from a finished session
(:mod:`.progression`, written into a plan file by :mod:`.suggested_plan`),
where a multi-week program stands (:mod:`.programs`), training load and
monotony (:mod:`.load`), the effort scales (:mod:`.effort`) and energy
(:mod:`.energy`). Nothing here imports textual.
"""
