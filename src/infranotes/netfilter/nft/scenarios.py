"""Notebook 03's cluster in kube-proxy's nftables mode, beside its iptables mode.

The same :func:`~infranotes.netfilter.scenarios.example_services` and packets, the same node
(the lab's topology), one ruleset per mode: what each packet meets and where it ends up.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from infranotes.netfilter import messages, scenarios
from infranotes.netfilter.lab import NODE_UP
from infranotes.netfilter.messages import tr
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


def side_by_side(*, lang: str = "en") -> Table:
    """Each scenario packet in both modes: probability, destination, source, fate, rules met."""
    ipt, nft = scenarios.tracer(), tracer()
    rows = []
    for title, text in scenarios.PACKETS.items():
        packet = parse_packet(text)
        old = sorted(ipt.trace(packet).branches, key=lambda b: b.destination)
        new = sorted(nft.trace(packet).branches, key=lambda b: b.destination)
        for a, b in zip(old, new, strict=True):
            same = (a.destination, a.packet.src) == (b.destination, b.packet.src)
            iptables = tr(
                lang,
                "iptables: {destination} from {source}",
                destination=a.destination,
                source=a.packet.src,
            )
            rows.append(
                (
                    messages.label(title, lang),
                    str(b.probability)
                    if a.share == b.probability
                    else f"{a.share} vs {b.probability}",
                    b.destination,
                    b.packet.src,
                    tr(lang, "same") if same else iptables,
                    f"{len(a.steps)} / {len(b.steps)}",
                    messages.fate(b.fate, lang),
                )
            )
    header = (
        tr(lang, "scenario"),
        "p",
        tr(lang, "destination"),
        tr(lang, "source after NAT"),
        tr(lang, "iptables mode"),
        tr(lang, "rules met (iptables / nft)"),
        tr(lang, "fate (nftables mode)"),
    )
    return Table(header, rows)


def steps_table(branch: NftBranch, *, lang: str = "en") -> Table:
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
    outcome = messages.joined(
        [messages.fate(branch.fate, lang), *(messages.event(e, lang) for e in branch.events)], lang
    )
    caption = f"p = {branch.probability}: {outcome}"
    header = (tr(lang, "hook"), tr(lang, "chain"), tr(lang, "handle"), tr(lang, "verdict"),
              tr(lang, "rule"))  # fmt: skip
    return Table(header, rows, caption=caption)


@dataclass(frozen=True)
class Agreement:
    """The kernel's path for one packet and the model's branch that took the same path."""

    rows: tuple[tuple[str, str, int | str, str], ...]  # hook, chain, handle, verdict
    probability: Fraction
    kernel_dst: str
    kernel_src: str
    model_dst: str
    model_src: str

    def table(self, *, lang: str = "en") -> Table:
        caption = tr(
            lang,
            "the kernel's path (nft monitor trace) is the model's branch with p = {p}; kernel: "
            "{kernel_dst} from {kernel_src}, model: {model_dst} from {model_src}",
            p=self.probability,
            kernel_dst=self.kernel_dst,
            kernel_src=self.kernel_src,
            model_dst=self.model_dst,
            model_src=self.model_src,
        )
        header = (tr(lang, "hook"), tr(lang, "chain"), tr(lang, "handle"), tr(lang, "verdict"))
        return Table(header, self.rows, caption=caption)


def kernel_agrees(lab: NftLab, packet: str) -> Agreement:
    """Send ``packet`` through the kernel in ``lab`` and find the model's branch it took.

    ``.table(lang=...)`` shows the kernel's path with the two outcomes in the caption.
    """
    p = parse_packet(packet)
    assert lab.ruleset is not None
    model = NftTracer(lab.ruleset, lab.node()).trace(p)
    (kernel,) = lab.send(p)
    key = [(s.hook, s.table, s.chain, s.rule, s.verdict) for s in kernel.steps]
    same = [b for b in model.branches if [(s.hook, s.table, s.chain, s.rule, s.verdict)
                                          for s in b.steps] == key]  # fmt: skip
    assert same, "the kernel took a path the model does not have"
    rows = tuple((s.hook, s.chain, s.rule if s.rule is not None else "policy", s.verdict)
                 for s in kernel.steps)  # fmt: skip
    return Agreement(
        rows,
        same[0].probability,
        kernel.destination,
        kernel.source,
        same[0].destination,
        same[0].packet.src,
    )
