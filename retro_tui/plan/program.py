"""Multi-week programs: weeks of sessions, each session one plan (program format v1).

A program file is TOML, like a plan file. ``[program]`` names it and
``[[week]]`` tables list its weeks in order, each holding ``[[week.session]]``
tables. A session either names a plan (``plan = "starter"``: a plan's file
stem or name, found in the program's own folder and then on the search path,
or a file path relative to the program file) or carries a whole plan inline:
a ``[week.session.plan]`` table and ``[[week.session.step]]`` tables, exactly
the tables of a plan file.

Loading is as strict as the plan loader and reports the same way,
``FILE:LINE: key.path: message``, all problems at once. An inline plan is
checked by the plan loader itself, so its problems carry their full key path
in the program file (``week[2].session[1].step[3].duration``) and the line
where the key is written. A named plan that is missing, or that does not
load, is an error on the session's ``plan`` line.

``days = ["mon", "wed", "fri"]``, in ``[program]`` or in a week, names the
weekdays of a week's sessions; the calendar (:mod:`retro_tui.coach.calendar`)
dates them from it.

The format is documented in ``docs/program-format.md``. Scheduling (which
session is next for a person) lives in :mod:`retro_tui.coach.programs`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from retro_tui.plan.checker import DocumentChecker, type_name
from retro_tui.plan.errors import PlanError, PlanIssue, as_plan_error
from retro_tui.plan.folders import PLAN_SUFFIX, is_file, is_program_file, resolve_plan
from retro_tui.plan.limits import MAX_NAME_CHARS, MAX_SUMMARY_CHARS
from retro_tui.plan.loader import load_plan, plan_from_document
from retro_tui.plan.model import Level, Plan, Units
from retro_tui.tomltext import (
    KeyPath,
    LineLocator,
    decode_toml,
    parse_toml,
    read_toml_bytes,
)

MAX_WEEKS = 52
# Two sessions a day is already a lot for backward work.
MAX_SESSIONS_PER_WEEK = 14
# A session's `plan = "..."` may be a path, which can be longer than a plan name.
MAX_PLAN_REFERENCE_CHARS = 1000

PROGRAM_KEYS = ("name", "summary", "level", "units", "cues", "days")
WEEK_KEYS = ("name", "days", "session")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""The words ``days`` takes, Monday first: a weekday's number is its place here (as
:meth:`datetime.date.weekday` counts)."""
_WEEKDAY_NUMBERS = {
    **{name: number for number, name in enumerate(WEEKDAYS)},
    **{
        name: number
        for number, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
}
# Two sessions in one day is as many as MAX_SESSIONS_PER_WEEK allows on average.
MAX_SESSIONS_PER_DAY = 2
SESSION_KEYS = ("plan", "step")


@dataclass(frozen=True)
class ProgramSession:
    """One session of a program: its week, its number in that week and the plan it runs."""

    week: int
    """The week, counted from 1."""
    number: int
    """The session's place in its week, counted from 1."""
    plan: Plan
    plan_file: Path | None
    """The plan file the session names; ``None`` for a plan written inline in the program."""

    @property
    def slot(self) -> tuple[int, int]:
        """``(week, number)``: where the session sits in the program."""
        return (self.week, self.number)

    @property
    def label(self) -> str:
        """``Week 2, session 3``."""
        return f"Week {self.week}, session {self.number}"


@dataclass(frozen=True)
class Week:
    """One week of a program and its sessions, in the order they are meant to be done."""

    number: int
    name: str
    """The week's name from the file, or ``Week N`` when it has none."""
    sessions: tuple[ProgramSession, ...]
    days: tuple[int, ...] = ()
    """The weekdays its sessions are planned on (0 = Monday), from the week's own ``days``
    or else the program's; empty when neither says, and the sessions are spread evenly
    (see :mod:`retro_tui.coach.calendar`). At least as many as the sessions."""


@dataclass(frozen=True)
class Program:
    """A validated multi-week program: weeks of sessions, every plan loaded and checked."""

    name: str
    summary: str
    weeks: tuple[Week, ...]
    source: Path | None = None
    level: Level | None = None

    @property
    def sessions(self) -> tuple[ProgramSession, ...]:
        """Every session, week by week, in the order the program runs them."""
        return tuple(session for week in self.weeks for session in week.sessions)

    @property
    def session_count(self) -> int:
        return sum(len(week.sessions) for week in self.weeks)

    def session(self, week: int, number: int) -> ProgramSession:
        """Session ``number`` of week ``week`` (both from 1); :class:`KeyError` if there is none."""
        if 1 <= week <= len(self.weeks):
            sessions = self.weeks[week - 1].sessions
            if 1 <= number <= len(sessions):
                return sessions[number - 1]
        raise KeyError(f"{self.name} has no week {week}, session {number}")

    @property
    def file_label(self) -> str:
        return self.source.name if self.source else "<program>"


# -- recognising program files ---------------------------------------------------------------


# -- loading -----------------------------------------------------------------------------------


def load_program(path: Path | str, search: Sequence[Path]) -> Program:
    """Read and validate the program file at ``path``; raise :class:`PlanError` if it can't run.

    Plans named by a session are looked up in the program's own folder first,
    then in the folders of ``search`` in order (typically the user's plans
    folder and the bundled plans), and loaded now: a plan that is missing or
    broken makes the whole program fail to load.
    """
    path = Path(path)
    label = str(path)
    with as_plan_error():
        text = decode_toml(read_toml_bytes(path, "program"), label, "program")
    return parse_program_text(text, label, source=path, search=search)


def parse_program_text(
    text: str,
    label: str = "<program>",
    *,
    source: Path | None = None,
    search: Sequence[Path] = (),
) -> Program:
    """Validate program text. Relative plan paths are taken from ``source``'s folder."""
    locator = LineLocator(text)
    with as_plan_error():
        document = parse_toml(text, label, "program", locator=locator)
    return _ProgramReader(label, locator, source, search).program(document)


def _looks_like_path(reference: str) -> bool:
    return (
        "/" in reference
        or "\\" in reference
        or reference.startswith("~")
        or reference.endswith(PLAN_SUFFIX)
    )


def _file_key(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


class _ProgramReader:
    """Walks a parsed program file, collecting every problem, and builds the program.

    Program keys go through the plan loader's checker, so a typo in ``[program]``
    or ``[[week]]`` gets the same "did you mean" and wording as one in a plan.
    """

    def __init__(
        self, label: str, locator: LineLocator, source: Path | None, search: Sequence[Path]
    ) -> None:
        self.label = label
        self.source = source
        self.locator = locator
        self.checker = DocumentChecker(label, self.locator)
        self.base = source.parent if source is not None else Path()
        folders = [self.base, *search] if source is not None else list(search)
        self.search = list(dict.fromkeys(folders))
        # Problems in a plan file a session names, shown right under the session's line.
        self.details: dict[int, tuple[PlanIssue, ...]] = {}
        self.inline_issues: list[PlanIssue] = []
        # Many sessions name the same plan: find and load each one once.
        self.found: dict[str, Path] = {}
        self.loaded: dict[Path, Plan | PlanError] = {}
        # [program] defaults for plans written inline (only set when valid).
        self.default_units: Units | None = None
        self.default_cues: tuple[str, ...] = ()
        # [program] days: the weekdays of every week that names none of its own.
        self.default_days: tuple[int, ...] = ()

    # -- program -------------------------------------------------------------------------

    def program(self, document: dict[str, object]) -> Program:
        checker = self.checker
        checker.check_keys(document, (), ("program", "week"), "a program file")
        head = document.get("program")
        name: str | None = None
        summary: str | None = None
        level: Level | None = None
        if head is None:
            checker.error(
                (), 'missing the [program] table: start the file with [program] and name = "..."'
            )
        elif not isinstance(head, dict):
            checker.error(("program",), f"must be a table ([program]), not {type_name(head)}")
        else:
            path: KeyPath = ("program",)
            checker.check_keys(head, path, PROGRAM_KEYS, "[program]")
            name = checker.text(head, "name", path, limit=MAX_NAME_CHARS, required=True)
            summary = checker.text(head, "summary", path, limit=MAX_SUMMARY_CHARS, multiline=True)
            if "level" in head:
                level = checker.choice(head, "level", path, Level, Level.BEGINNER)
            if "units" in head:
                before = len(checker.issues)
                units = checker.choice(head, "units", path, Units, Units.MPH)
                if len(checker.issues) == before:
                    self.default_units = units
            self.default_cues = self.program_cues(head)
            self.default_days = self.weekdays(head, path) or ()
        weeks = self.weeks(document)
        if checker.issues or self.inline_issues or name is None or weeks is None:
            raise PlanError(self.all_issues())
        return Program(name, summary or "", tuple(weeks), self.source, level)

    def weekdays(self, table: Mapping[str, object], path: KeyPath) -> tuple[int, ...] | None:
        """The ``days`` of ``table`` as weekday numbers (0 = Monday); ``None`` if not given
        or wrong (and then said why)."""
        if "days" not in table:
            return None
        checker = self.checker
        value = table["days"]
        path = path + ("days",)
        example = 'like days = ["mon", "wed", "fri"]'
        if not isinstance(value, list) or not value:
            shown = "an empty list" if value == [] else type_name(value)
            checker.error(path, f"must be a list of weekdays, {example}, not {shown}")
            return None
        if len(value) > MAX_SESSIONS_PER_WEEK:
            checker.error(
                path, f"names {len(value)} days; at most {MAX_SESSIONS_PER_WEEK}, as many as "
                "the sessions a week may have",
            )  # fmt: skip
            return None
        days: list[int] = []
        for index, item in enumerate(value):
            word = item.strip().casefold() if isinstance(item, str) else None
            number = _WEEKDAY_NUMBERS.get(word) if word is not None else None
            if number is None:
                what = repr(item) if isinstance(item, str) else type_name(item)
                checker.error(
                    path + (index,),
                    f"{what} is not a weekday: write one of {', '.join(WEEKDAYS)} in quotes",
                )
                continue
            if days.count(number) == MAX_SESSIONS_PER_DAY:
                checker.error(
                    path + (index,),
                    f"{WEEKDAYS[number]} is named more than {MAX_SESSIONS_PER_DAY} times: at most "
                    f"{MAX_SESSIONS_PER_DAY} sessions a day",
                )
                continue
            days.append(number)
        return tuple(days) if len(days) == len(value) else None

    def program_cues(self, head: Mapping[str, object]) -> tuple[str, ...]:
        cues, all_good = self.checker.cue_list(head, ("program", "cues"))
        return cues if all_good else ()

    def all_issues(self) -> list[PlanIssue]:
        entries = [
            (issue, self.details.get(index, ())) for index, issue in enumerate(self.checker.issues)
        ] + [(issue, ()) for issue in self.inline_issues]
        # Top to bottom, as a person fixes a file; a named plan's own problems
        # (in its own file) follow the session line that names it.
        entries.sort(key=lambda entry: entry[0].line or 0)
        issues = [item for issue, details in entries for item in (issue, *details)]
        return (issues or [PlanIssue(self.label, 1, "", "not a valid program")]) + (
            self.checker.more_problems()
        )

    # -- weeks and sessions --------------------------------------------------------------

    def weeks(self, document: Mapping[str, object]) -> list[Week] | None:
        raw = document.get("week")
        if raw is None or raw == []:
            self.checker.error(
                ("week",), "the program has no weeks: add at least one [[week]] with its sessions"
            )
            return None
        if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
            self.checker.error(("week",), "must be a list of week tables ([[week]])")
            return None
        if len(raw) > MAX_WEEKS:
            self.checker.error(
                ("week", MAX_WEEKS),
                f"the program has {len(raw)} weeks; at most {MAX_WEEKS} (a year)",
            )
            return None
        weeks = [self.week(item, index) for index, item in enumerate(raw)]
        return [week for week in weeks if week is not None] if None not in weeks else None

    def week(self, table: dict[str, object], index: int) -> Week | None:
        checker = self.checker
        path: KeyPath = ("week", index)
        number = index + 1
        checker.check_keys(table, path, WEEK_KEYS, "a week")
        name = checker.text(table, "name", path, limit=MAX_NAME_CHARS)
        own_days = self.weekdays(table, path)
        raw = table.get("session")
        if raw is None or raw == []:
            checker.error(path, f"week {number} has no sessions: add at least one [[week.session]]")
            return None
        if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
            checker.error(
                path + ("session",), "must be a list of session tables ([[week.session]])"
            )
            return None
        if len(raw) > MAX_SESSIONS_PER_WEEK:
            checker.error(
                path + ("session", MAX_SESSIONS_PER_WEEK),
                f"week {number} has {len(raw)} sessions; at most {MAX_SESSIONS_PER_WEEK}",
            )
            return None
        sessions = [self.session(item, number, position) for position, item in enumerate(raw)]
        days = self.days_for(table, path, number, len(raw), own_days)
        if None in sessions or days is None:
            return None
        return Week(
            number,
            name or f"Week {number}",
            tuple(session for session in sessions if session is not None),
            days,
        )

    def days_for(
        self,
        table: Mapping[str, object],
        path: KeyPath,
        number: int,
        count: int,
        own: tuple[int, ...] | None,
    ) -> tuple[int, ...] | None:
        """The weekdays of week ``number``, of ``count`` sessions: its own ``days``, else the
        program's; ``None`` after saying why they don't fit."""
        sessions = f"{count} session{'' if count == 1 else 's'}"
        if own is not None:
            # A week's own days are written for its sessions: one each, nothing left over.
            if len(own) != count:
                self.checker.error(
                    path + ("days",),
                    f"names {len(own)} day{'' if len(own) == 1 else 's'} for week {number}'s "
                    f"{sessions}: one day for each session",
                )
                return None
            return own
        if "days" in table:  # written, but wrong: already said
            return None
        if self.default_days and len(self.default_days) < count:
            self.checker.error(
                path,
                f"week {number} has {sessions}, more than the {len(self.default_days)} days "
                "of [program] days: give it days of its own, one for each session",
            )
            return None
        return self.default_days

    def session(self, table: dict[str, object], week: int, index: int) -> ProgramSession | None:
        checker = self.checker
        path: KeyPath = ("week", week - 1, "session", index)
        number = index + 1
        checker.check_keys(table, path, SESSION_KEYS, "a session")
        if "plan" not in table:
            checker.error(
                path,
                'missing plan: name a plan, like plan = "starter", or write one inline '
                "with [week.session.plan] and [[week.session.step]] tables",
            )
            return None
        value = table["plan"]
        if isinstance(value, dict):
            plan = self.inline_plan(table, value, path)
            return None if plan is None else ProgramSession(week, number, plan, None)
        if not isinstance(value, str):
            checker.error(
                path + ("plan",),
                "must be a plan's name or file in quotes, or an inline [week.session.plan] "
                f"table, not {type_name(value)}",
            )
            return None
        if "step" in table:
            checker.error(
                path + ("step",),
                'steps belong to a plan written inline; a session with plan = "..." runs '
                "that plan's steps",
            )
            return None
        found = self.named_plan(value, path + ("plan",))
        return None if found is None else ProgramSession(week, number, *found)

    def inline_plan(
        self, session: Mapping[str, object], head: dict[str, object], path: KeyPath
    ) -> Plan | None:
        if "step" not in session:
            self.checker.error(
                path,
                "a plan written inline needs its steps: add [[week.session.step]] tables "
                "after [week.session.plan]",
            )
            return None
        head = dict(head)
        if self.default_units is not None:
            head.setdefault("units", self.default_units.value)
        if self.default_cues:
            head.setdefault("cues", list(self.default_cues))
        document: dict[str, object] = {"plan": head, "step": session["step"]}
        try:
            return plan_from_document(document, self.label, self.locator, path, self.source)
        except PlanError as error:
            self.inline_issues.extend(error.issues)
            return None

    def named_plan(self, value: str, path: KeyPath) -> tuple[Plan, Path] | None:
        checker = self.checker
        reference = checker.check_text(value, path, limit=MAX_PLAN_REFERENCE_CHARS)
        if reference is None:
            return None
        file = self.find(reference, path)
        if file is None:
            return None
        if is_program_file(file):
            checker.error(path, f"{reference!r} is a program, not a plan; a session runs one plan")
            return None
        key = _file_key(file)
        if key not in self.loaded:
            try:
                self.loaded[key] = load_plan(file)
            except PlanError as error:
                self.loaded[key] = error
        loaded = self.loaded[key]
        if isinstance(loaded, PlanError):
            count = len(loaded.issues)
            problems = "a problem" if count == 1 else f"{count} problems"
            checker.error(path, f"the plan {reference!r} does not load ({problems} in {file}):")
            self.details[len(checker.issues) - 1] = loaded.issues
            return None
        return loaded, file

    def find(self, reference: str, path: KeyPath) -> Path | None:
        """The plan file a session names, or ``None`` after reporting why there is none."""
        if _looks_like_path(reference):
            try:
                file = self.base / Path(reference).expanduser()
            except RuntimeError:  # "~nosuchuser/plan.toml"
                file = self.base / reference
            if not is_file(file):
                self.checker.error(path, f"no plan file {reference!r} (looked for {file})")
                return None
            return file
        if reference in self.found:
            return self.found[reference]
        try:
            # A session is one plan: naming the programs too would only mislead.
            file = resolve_plan(reference, self.search, programs=False)
        except PlanError as error:
            self.checker.error(path, error.first.message)
            return None
        if not is_file(file):
            self.checker.error(path, f"no plan file or plan named {reference!r}")
            return None
        self.found[reference] = file
        return file
