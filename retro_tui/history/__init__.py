"""The history log: session records, durable appends, the crash journal.

No UI framework is imported here. The log format is documented in
``docs/history-format.md``.
"""

from retro_tui.history.journal import recover_journals, remove_journal, write_journal
from retro_tui.history.log import (
    HistoryWriteError,
    LogProblem,
    SaveResult,
    append_session,
    check_log,
    save_session,
)
from retro_tui.history.reader import BlockProblem, HistoryRead, read_history
from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord
from retro_tui.history.session import build_session

__all__ = [
    "BlockProblem",
    "HistoryRead",
    "HistoryWriteError",
    "LogProblem",
    "SaveResult",
    "SessionRecord",
    "SessionStatus",
    "StepRecord",
    "append_session",
    "build_session",
    "check_log",
    "read_history",
    "recover_journals",
    "remove_journal",
    "save_session",
    "write_journal",
]
