"""Oracle tests run the real system; they skip with the reason when this machine cannot."""

from __future__ import annotations

import pytest

from infranotes.lab import unavailable_reason


def require(*tools: str) -> None:
    reason = unavailable_reason(*tools, netns=True)
    if reason:
        pytest.skip(reason)
