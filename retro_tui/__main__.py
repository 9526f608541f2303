"""``python -m retro_tui``: the same as the ``retro-tui`` command.

``retro-tui serve`` starts the app for each browser tab this way, with the
Python that runs the server, so it never depends on what is on ``PATH``.
"""

from __future__ import annotations

import sys

from retro_tui.cli import main

if __name__ == "__main__":
    sys.exit(main())
