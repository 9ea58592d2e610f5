"""Oracle: TCP keep-alive in a network namespace of its own, and Go's Dialer.KeepAlive."""

from __future__ import annotations

import pytest

from infranotes.httptimeouts import keepalive
from infranotes.lab import unavailable_reason
from tests.labs import lab_skip

pytestmark = pytest.mark.oracle


def test_prediction() -> None:
    assert keepalive.predicted_detection_s(15, 15, 9) == 150  # Go 1.19's default dialer
    assert keepalive.predicted_detection_s(30, 30, 9) == 300  # KeepAlive: 30 * time.Second


def test_measure_rejects_unknown_scenarios() -> None:
    with pytest.raises(ValueError, match="scenario"):
        keepalive.measure("peer asleep")


def test_keepalive_ends_a_dead_host_but_not_a_hung_process() -> None:
    reason = unavailable_reason(*keepalive.REQUIRES, netns=True)
    if reason:
        lab_skip(reason)
    hung, gone = keepalive.both(idle_s=1, interval_s=1, count=3)
    # the hung process's kernel acknowledges every probe: still open after 6 s
    assert hung.ended_after_s is None and hung.error is None
    assert 4 <= hung.probes_sent <= 6  # one a second after the first idle second
    # nothing answers the gone host: reset after idle + interval x count = 4 s
    assert gone.error == "ETIMEDOUT" and gone.probes_sent == 3
    assert gone.ended_after_s == pytest.approx(keepalive.predicted_detection_s(1, 1, 3), abs=0.5)


def test_go_dialer_keepalive_sets_idle_and_interval_and_leaves_count_to_the_kernel() -> None:
    reason = unavailable_reason("go", root=False)
    if reason:
        lab_skip(reason)
    with open("/proc/sys/net/ipv4/tcp_keepalive_probes") as f:
        kernel_count = int(f.read())
    assert keepalive.go_dialer_socket("0") == {
        "keepalive": 1, "idle_s": 15, "interval_s": 15, "count": kernel_count,
    }  # fmt: skip
    assert keepalive.go_dialer_socket("30s")["interval_s"] == 30
    assert keepalive.go_dialer_socket("-1s")["keepalive"] == 0  # negative disables
