"""Shared by the live test files: run one scenario and assert the model's prediction."""

from __future__ import annotations

import threading

from infranotes.errors import LabUnavailable
from infranotes.httptimeouts.scenarios import TOLERANCE, Scenario, run
from tests.labs import lab_skip


def check(s: Scenario) -> None:
    before = threading.active_count()
    try:
        m = run(s)
    except LabUnavailable as exc:
        lab_skip(exc.reason)
    p = m.predicted
    first = m.first_try
    assert m.agrees, (
        f"{s.id}: model {p.fired} @ {p.after}, measured {m.fired} @ {m.after} ({m.error}); "
        f"first try: {first and (first.fired, first.after, first.error)}"
    )
    if p.after is not None:  # fired within the configured value plus the tolerance
        assert m.after is not None and m.after <= p.after + TOLERANCE
    assert threading.active_count() <= before  # every peer and server stopped by itself
