"""The nftables tracer against the kernel's own trace (``nft monitor trace``), case by case."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator

import pytest

from infranotes.netfilter.nft import NftTracer
from infranotes.netfilter.nft.lab import NftLab
from infranotes.netfilter.packet import parse_packet

from .conftest import require
from .nft_cases import CASES, POD_ADDRESSES, RULESETS, NftCase

pytestmark = pytest.mark.oracle


def key(steps) -> list[tuple]:
    return [(s.hook, s.table, s.chain, s.rule, s.verdict, s.target) for s in steps]


@pytest.fixture(scope="module")
def labs() -> Iterator[dict[str, NftLab]]:
    require("ip", "nft", "conntrack", "stdbuf")
    opened: dict[str, NftLab] = {}
    try:
        for name, doc in RULESETS.items():
            opened[name] = NftLab(doc, POD_ADDRESSES.get(name, ())).__enter__()
        yield opened
    finally:
        for lab in opened.values():
            lab.__exit__(None, None, None)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_model_path_and_fate_equal_the_kernels(labs: dict[str, NftLab], case: NftCase) -> None:
    lab = labs[case.ruleset]
    assert lab.ruleset is not None
    packet = parse_packet(case.packet)
    model = NftTracer(lab.ruleset, lab.node()).trace(packet)
    kernel = lab.send(packet, count=case.count, gap=0.002 if case.count > 1 else 0.0)
    assert len(kernel) == case.count, "the monitor lost packets"
    assert not any(b.unsupported for b in model.branches), [b.fate for b in model.branches]
    assert sum(b.probability for b in model.branches) == 1
    paths = {tuple(key(b.steps)): b for b in model.branches}
    for k in kernel:
        assert k.steps, "no trace"
        branch = paths.get(tuple(key(k.steps)))
        assert branch is not None, (
            "kernel: " + repr(key(k.steps)) + "\nmodel:  "
            + "\n        ".join(repr(key(b.steps)) for b in model.branches)
        )  # fmt: skip
        assert branch.probability > 0
        dropped = k.steps[-1].verdict in ("DROP", "policy:DROP")
        assert dropped == branch.fate.startswith(("dropped", "rejected")), branch.fate
        if not dropped:
            assert (branch.destination, branch.packet.src) == (k.destination, k.source)
    if case.count > 1:
        # each branch's share of the flows within 4 standard deviations of its probability
        seen = Counter(tuple(key(k.steps)) for k in kernel)
        for path, branch in paths.items():
            p = float(branch.probability)
            sd = math.sqrt(case.count * p * (1 - p))
            assert abs(seen[path] - case.count * p) <= 4 * sd + 1, (seen[path], p)
