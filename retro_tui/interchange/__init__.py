"""Files of the runner's world: sessions out as FIT and TCX activities, plans out as FIT
workouts and Zwift ``.zwo``, and workouts in from ``.zwo`` and intervals.icu's text.

Free of textual, like the rest of the domain; it reads plans and history records and
never the other way round.
"""
