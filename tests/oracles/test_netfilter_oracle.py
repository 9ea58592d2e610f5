"""The tracer's path against the kernel's own trace (nf_tables tracing via xtables-monitor)."""

from __future__ import annotations

import pytest

from infranotes.netfilter import Tracer, parse_iptables_save, parse_packet
from infranotes.netfilter.lab import NetfilterLab

from .conftest import require
from .netfilter_cases import NF_CASES, NFCase

pytestmark = pytest.mark.oracle


def key(steps) -> list[tuple]:
    return [(s.hook, s.table, s.chain, s.rule, s.verdict) for s in steps]


@pytest.mark.parametrize("case", NF_CASES, ids=[c.id for c in NF_CASES])
def test_tracer_matches_kernel(case: NFCase) -> None:
    require("ip", "iptables-nft-restore", "xtables-monitor", "nft", "conntrack", "stdbuf")
    packet = parse_packet(case.packet)
    with NetfilterLab(case.rules) as lab:
        kernel = lab.send(packet)
        model = Tracer(parse_iptables_save(case.rules), lab.node()).trace(packet)
    assert kernel.steps, kernel.monitor_output[-2000:]
    assert not any(b.undecided for b in model.branches)
    # the kernel took one branch: the model must have that exact path, with p > 0
    assert key(kernel.steps) in [key(b.steps) for b in model.branches], (
        "kernel: "
        + repr(key(kernel.steps))
        + "\nmodel: "
        + "\n       ".join(repr(key(b.steps)) for b in model.branches)
    )
    assert abs(sum(b.probability for b in model.branches) - 1.0) < 1e-9
    if "DST" in kernel.final and kernel.final.get("DPORT"):
        dest = f"{kernel.final['DST']}:{kernel.final['DPORT']}"
        same = [b for b in model.branches if key(b.steps) == key(kernel.steps)]
        assert dest in {b.destination for b in same}


def test_stale_udp_entry_matches_kernel() -> None:
    """The conntrack story of the notebook: the model's table equals the kernel's."""
    require("ip", "iptables-nft-restore", "xtables-monitor", "nft", "conntrack", "stdbuf")
    from infranotes.netfilter import scenarios

    with NetfilterLab(scenarios.STALE_STEPS[0].rules, pod_addresses=("10.244.1.12",)) as lab:
        live = scenarios.stale_udp_live(lab)
    assert live.rows == scenarios.stale_udp_model().rows
