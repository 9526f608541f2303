"""TOML text as people write it: where each key is, and every mistake with its file and line.

Plans, programs, settings and the history log are TOML files a person may open
in an editor. This package is the one place that turns what ``tomllib`` gives
(values, and errors with the position buried in a message) into what a person
needs: the line of every key (:class:`LineLocator`), problems printed as
``FILE:LINE: key: message`` (:class:`FileProblem`), a "did you mean" for a typo,
and files read with bounds on their size and shape.
"""

from retro_tui.tomltext.locate import KeyPath, LineLocator
from retro_tui.tomltext.problems import (
    FileProblem,
    FileProblemError,
    Severity,
    did_you_mean,
    display_path,
    file_error,
)
from retro_tui.tomltext.reading import (
    MAX_FILE_BYTES,
    SyntaxPosition,
    decode_toml,
    last_text_line,
    long_number_line,
    parse_toml,
    read_toml_bytes,
    syntax_position,
    syntax_problem,
)

__all__ = [
    "MAX_FILE_BYTES",
    "FileProblem",
    "FileProblemError",
    "KeyPath",
    "LineLocator",
    "Severity",
    "SyntaxPosition",
    "decode_toml",
    "did_you_mean",
    "display_path",
    "file_error",
    "last_text_line",
    "long_number_line",
    "parse_toml",
    "read_toml_bytes",
    "syntax_position",
    "syntax_problem",
]
