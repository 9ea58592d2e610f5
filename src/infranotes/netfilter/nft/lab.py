"""The kernel's own trace of packets through an nftables ruleset, in namespaces this lab creates.

Topology (as :class:`~infranotes.netfilter.lab.NetfilterLab`): ``client`` --veth-- ``node``
--veth-- ``pods``. The ruleset is loaded unchanged into ``node`` with ``nft -j -f``, then read
back with ``nft -j list ruleset``, so the model sees the kernel's handles. A separate table
``ip infranotes_trace`` at priority -400 (before everything else) sets ``meta nftrace`` on
the packets under test (its chains at priority 1000 show the packet as it leaves), and
``nft -a monitor trace`` prints every rule (with its handle and verdict) and every policy
they meet (``net/netfilter/nf_tables_trace.c``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from infranotes.lab import run
from infranotes.netfilter.lab import NodeTopology, selector
from infranotes.netfilter.nft.model import NftRuleset, parse_nft_json
from infranotes.netfilter.packet import Packet
from infranotes.netfilter.trace import Step

TRACE_TABLE = "infranotes_trace"
_LINE = re.compile(r"^trace id ([0-9a-f]+) (\S+) (\S+) (\S+) (.*)$")
_RULE = re.compile(r"# handle (\d+) \(verdict ([^)]*)\)\s*$")


@dataclass
class KernelPath:
    """One traced packet: the rules and policies it met, the packet as each base chain saw it."""

    steps: list[Step] = field(default_factory=list)
    seen: list[dict[str, str]] = field(default_factory=list)

    @property
    def final(self) -> dict[str, str]:
        return self.seen[-1] if self.seen else {}

    @property
    def source(self) -> str:
        return str(self.final.get("saddr"))

    @property
    def destination(self) -> str:
        f = self.final
        return f"{f.get('daddr')}:{f['dport']}" if "dport" in f else str(f.get("daddr"))


def _targets(doc: str) -> list[str]:
    """Every address a ``dnat to`` names (the pods namespace owns them)."""
    return sorted(set(re.findall(r'"dnat":\s*\{"addr":\s*"([\d.]+)"', doc)))


class NftLab(NodeTopology):
    """Namespaces, routes and a loaded nftables ruleset; :meth:`send` traces packets for real."""

    requires = ("ip", "nft", "conntrack", "stdbuf")
    route_pod_sources = True

    def __init__(self, ruleset_json: str, pod_addresses: tuple[str, ...] = ()) -> None:
        super().__init__("inf-nft", tuple(dict.fromkeys((*pod_addresses, *_targets(ruleset_json)))))
        self.doc = ruleset_json
        self.ruleset: NftRuleset | None = None

    def _nft(self, *args: str, input: str | None = None) -> str:
        return run(
            ["ip", "netns", "exec", self.node_ns.name, "nft", *args], input=input, check=True
        ).stdout

    def _load(self) -> None:
        self._nft("-j", "-f", "-", input=self.doc)
        listing = self._nft("-j", "list", "ruleset")
        self.ruleset = parse_nft_json(listing, "nft -j list ruleset (lab)")

    def send(self, packet: Packet, count: int = 1, gap: float = 0.0) -> list[KernelPath]:
        """Send ``packet`` ``count`` times (new connections, new source ports unless fixed).

        Conntrack is flushed before and after, so each run starts from NEW connections.
        """
        p = packet
        hook = "output" if p.local else "prerouting"
        sel = f"ip saddr {p.src} {selector(p)}"
        if p.proto == "icmp":
            sel += " icmp type echo-request"
        # chain c marks the packet; the last-priority chains only show it as it leaves
        # (after NAT), so the kernel's final destination and source can be compared
        late = "".join(
            f" chain seen_{h} {{ type filter hook {h} priority 1000; }}\n"
            for h in ("input", "forward", "postrouting")
        )
        table = (
            f"table ip {TRACE_TABLE} {{\n chain c {{\n"
            f"  type filter hook {hook} priority -400;\n  {sel} meta nftrace set 1\n }}\n"
            f"{late}}}\n"
        )
        self.node_ns.exec(["conntrack", "-F"])
        self._nft("-f", "-", input=table)
        try:
            monitor = ["stdbuf", "-oL", "nft", "-a", "monitor", "trace"]
            client_args = [str(count), str(gap), "0.3"]  # count, gap, timeout
            text = self._monitored(monitor, p, client_args, settle=0.2, timeout=120)
        finally:
            run(["ip", "netns", "exec", self.node_ns.name, "nft", "delete", "table", "ip",
                 TRACE_TABLE])  # fmt: skip
            self.node_ns.exec(["conntrack", "-F"])
        assert self.ruleset is not None
        return parse_trace(text, self.ruleset)


def _fields(text: str) -> dict[str, str]:
    out = {}
    for key, pat in (
        ("iif", r'iif "([^"]+)"'),
        ("oif", r'oif "([^"]+)"'),
        ("saddr", r"ip saddr (\S+)"),
        ("daddr", r"ip daddr (\S+)"),
        ("dport", r"(?:tcp|udp) dport (\d+)"),
        ("sport", r"(?:tcp|udp) sport (\d+)"),
    ):
        m = re.search(pat, text)
        if m:
            out[key] = m.group(1)
    return out


def parse_trace(text: str, ruleset: NftRuleset) -> list[KernelPath]:
    """``nft -a monitor trace`` output as one path per packet the trace table selected.

    Trace ids are hashes that later packets may reuse, so a packet starts at each hit of
    the trace table's own rule (the first thing a selected packet meets).
    """
    paths: list[KernelPath] = []
    current: dict[str, KernelPath] = {}
    hook: dict[str, str] = {}
    for line in text.splitlines():
        m = _LINE.match(line.strip())
        if not m:
            continue
        tid, fam, tname, chain, rest = m.groups()
        if tname == TRACE_TABLE:
            if rest.startswith("rule") and chain == "c":
                current[tid] = KernelPath()
                paths.append(current[tid])
            elif rest.startswith("packet:") and tid in current:
                current[tid].seen.append(_fields(rest))
            continue
        path = current.get(tid)
        if path is None:
            continue
        table = f"{fam} {tname}"
        if rest.startswith("packet:"):
            base = ruleset.chain(table, chain)
            if base is not None and base.hook:
                hook[tid] = base.hook.upper()
            path.seen.append(_fields(rest))
            continue
        if rest.startswith("rule "):
            r = _RULE.search(rest)
            if not r:
                continue
            words = r.group(2).split()
            verdict = words[0].upper()
            target = words[1] if len(words) > 1 else None
            text_ = rest[len("rule ") : r.start()].strip()
            path.steps.append(
                Step(hook.get(tid, "?"), table, chain, int(r.group(1)), verdict, target, text_)
            )
        elif rest.startswith("policy "):
            path.steps.append(
                Step(hook.get(tid, "?"), table, chain, None, f"policy:{rest.split()[1].upper()}")
            )
    return paths
