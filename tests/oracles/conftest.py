"""Oracle tests run the real system; they skip with the reason when this machine cannot
(and fail instead under INFRANOTES_REQUIRE_LABS=1, see tests/conftest.py)."""

from __future__ import annotations

from tests.labs import require

__all__ = ["require"]
