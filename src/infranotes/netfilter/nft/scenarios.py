"""Notebook 03's cluster in kube-proxy's nftables mode, beside its iptables mode.

The same :func:`~infranotes.netfilter.scenarios.example_services` and packets, the same node
(the lab's topology), one ruleset per mode: what each packet meets and where it ends up.
"""

from __future__ import annotations

from infranotes.netfilter import scenarios
from infranotes.netfilter.lab import NODE_UP
from infranotes.netfilter.nft.kubeproxy import kube_proxy_nft
from infranotes.netfilter.nft.lab import NftLab
from infranotes.netfilter.nft.model import parse_nft_json
from infranotes.netfilter.nft.trace import NftBranch, NftTracer
from infranotes.netfilter.packet import parse_packet
from infranotes.table import Table

RULES = kube_proxy_nft(scenarios.example_services(), node_ips=(NODE_UP,))


def tracer(rules: str = RULES) -> NftTracer:
    """The model of the lab's node with the nftables ruleset loaded (no root needed)."""
    return NftTracer(parse_nft_json(rules, "kube-proxy (nftables mode)"), NftLab(rules).node())


def side_by_side() -> Table:
    """Each scenario packet in both modes: probability, destination, source, fate, rules met."""
    ipt, nft = scenarios.tracer(), tracer()
    rows = []
    for title, text in scenarios.PACKETS.items():
        packet = parse_packet(text)
        old = sorted(ipt.trace(packet).branches, key=lambda b: b.destination)
        new = sorted(nft.trace(packet).branches, key=lambda b: b.destination)
        for a, b in zip(old, new, strict=True):
            same = (a.destination, a.packet.src) == (b.destination, b.packet.src)
            rows.append(
                (
                    title,
                    str(b.probability)
                    if a.share == b.probability
                    else f"{a.share} vs {b.probability}",
                    b.destination,
                    b.packet.src,
                    "same" if same else f"iptables: {a.destination} from {a.packet.src}",
                    f"{len(a.steps)} / {len(b.steps)}",
                    b.fate,
                )
            )
    return Table(
        ("scenario", "p", "destination", "source after NAT", "iptables mode",
         "rules met (iptables / nft)", "fate (nftables mode)"),
        rows,
    )  # fmt: skip


def steps_table(branch: NftBranch) -> Table:
    """One branch rule by rule, with each rule as ``nft list ruleset`` writes it."""
    rows = [
        (
            s.hook,
            s.chain,
            s.rule if s.rule is not None else "policy",
            s.verdict + (f" {s.target}" if s.target else ""),
            s.text or "",
        )
        for s in branch.steps
    ]
    caption = f"p = {branch.probability}: {branch.fate}; " + "; ".join(branch.events)
    return Table(("hook", "chain", "handle", "verdict", "rule"), rows, caption=caption)


def kernel_agrees(lab: NftLab, packet: str) -> Table:
    """Send ``packet`` through the kernel in ``lab`` and show its path beside the model's."""
    p = parse_packet(packet)
    assert lab.ruleset is not None
    model = NftTracer(lab.ruleset, lab.node()).trace(p)
    (kernel,) = lab.send(p)
    key = [(s.hook, s.table, s.chain, s.rule, s.verdict) for s in kernel.steps]
    same = [b for b in model.branches if [(s.hook, s.table, s.chain, s.rule, s.verdict)
                                          for s in b.steps] == key]  # fmt: skip
    assert same, "the kernel took a path the model does not have"
    rows = [(s.hook, s.chain, s.rule if s.rule is not None else "policy", s.verdict)
            for s in kernel.steps]  # fmt: skip
    caption = (
        f"the kernel's path (nft monitor trace) is the model's branch with p = "
        f"{same[0].probability}; kernel: {kernel.destination} from {kernel.source}, "
        f"model: {same[0].destination} from {same[0].packet.src}"
    )
    return Table(("hook", "chain", "handle", "verdict"), rows, caption=caption)
