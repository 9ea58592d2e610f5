"""Oracle: Go's net/http client and server (a probe built offline with Debian's golang-go)
against the same peers; the timeout that fires is the model's Go column."""

from __future__ import annotations

import pytest

from infranotes.httptimeouts.scenarios import GO_STACKS, SCENARIOS, Scenario
from infranotes.lab import unavailable_reason
from tests.httptimeouts.live import check
from tests.labs import lab_skip

pytestmark = pytest.mark.oracle
GO = [s for s in SCENARIOS if s.stack in GO_STACKS]


@pytest.fixture(scope="module", autouse=True)
def _go() -> None:
    reason = unavailable_reason("go", root=False)
    if reason:
        lab_skip(reason)


@pytest.mark.parametrize("s", GO, ids=[s.id for s in GO])
def test_go_scenario(s: Scenario) -> None:
    check(s)
