"""httpx, uvicorn and http.server against misbehaving peers on 127.0.0.1: the timeout that
fires is the model's, within its configured value plus a small tolerance."""

from __future__ import annotations

import pytest

from infranotes.httptimeouts.scenarios import GO_STACKS, SCENARIOS, Scenario
from tests.httptimeouts.live import check

PYTHON = [s for s in SCENARIOS if s.stack not in GO_STACKS]


@pytest.mark.parametrize("s", PYTHON, ids=[s.id for s in PYTHON])
def test_python_scenario(s: Scenario) -> None:
    check(s)
