"""The tracer's path against the kernel's own trace (nf_tables tracing via xtables-monitor)."""

from __future__ import annotations

import pytest

from infranotes.netfilter import Tracer, parse_iptables_save, parse_packet
from infranotes.netfilter.lab import NetfilterLab

from .conftest import require
from .netfilter_cases import (
    NF_CASES,
    NF_CASES_17,
    NF_CASES_SURVEY,
    NF_SEQUENCES_17,
    NF_UNDECIDED_17,
    NFCase,
    NFSequence,
)

pytestmark = pytest.mark.oracle


def key(steps) -> list[tuple]:
    return [(s.hook, s.table, s.chain, s.rule, s.verdict) for s in steps]


ALL_CASES = NF_CASES + NF_CASES_17 + NF_CASES_SURVEY
TOOLS = ("ip", "iptables-nft-restore", "xtables-monitor", "nft", "conntrack", "stdbuf")


@pytest.mark.parametrize("case", ALL_CASES, ids=[c.id for c in ALL_CASES])
def test_tracer_matches_kernel(case: NFCase) -> None:
    require(*TOOLS)
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


@pytest.mark.parametrize("case", NF_UNDECIDED_17, ids=[c.id for c in NF_UNDECIDED_17])
def test_undecided_agrees_up_to_the_rule_it_names(case: NFCase) -> None:
    """Where the tracer says it cannot decide, everything before that rule is the kernel's."""
    require(*TOOLS)
    packet = parse_packet(case.packet)
    with NetfilterLab(case.rules) as lab:
        kernel = lab.send(packet)
        model = Tracer(parse_iptables_save(case.rules), lab.node()).trace(packet)
    (branch,) = model.branches
    assert branch.undecided and "unsupported match" in branch.fate
    last = branch.steps[-1]
    assert last.verdict == "UNDECIDED" and f"in rule {last.rule} of" in branch.fate
    before = key(branch.steps[:-1])
    assert key(kernel.steps)[: len(before)] == before
    # the kernel went on from that rule: its next step is at or after it in the same chain,
    # or in a later chain (the rule did not match)
    nxt = kernel.steps[len(before)]
    if (nxt.table, nxt.chain) == (last.table, last.chain):
        assert nxt.rule is None or nxt.rule >= last.rule


@pytest.mark.parametrize("seq", NF_SEQUENCES_17, ids=[s.id for s in NF_SEQUENCES_17])
def test_packet_sequences_match_kernel(seq: NFSequence) -> None:
    """recent lists and nth counters live between packets; the model's history agrees."""
    require(*TOOLS)
    packets = [parse_packet(p) for p in seq.packets]
    with NetfilterLab(seq.rules) as lab:
        kernel = [lab.send(p) for p in packets]
        tracer = Tracer(parse_iptables_save(seq.rules), lab.node())
    histories = tracer.sequence(packets)
    assert sum(h.share for h in histories) == 1
    if seq.id.startswith(("nth", "recent")):
        assert len(histories) == 1  # counters and lists decide: nothing random to fork on
    got = [key(k.steps) for k in kernel]
    same = [h for h in histories if [key(b.steps) for b in h.branches] == got]
    assert same, "kernel: " + "\n".join(map(repr, got))
    for k, b in zip(kernel, same[0].branches, strict=True):
        if k.final.get("DPORT"):
            assert b.destination == f"{k.final['DST']}:{k.final['DPORT']}"
