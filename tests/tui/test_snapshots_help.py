"""What the help looks like over a running workout, at 100x30.

Update the picture after an intended change with ``pytest --snapshot-update`` and look at
it before committing.
"""

from __future__ import annotations

from .conftest import MakeHarness
from .test_snapshots import SnapCompare, at


def test_help_over_a_backward_step(snap_compare: SnapCompare, harness: MakeHarness) -> None:
    """15 s into the first backward interval: the keys, and that the clock keeps running."""
    h = harness()
    assert snap_compare(h.app, terminal_size=(100, 30), run_before=at(h, 55, "question_mark"))
