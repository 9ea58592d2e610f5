"""The kernel's own trace of a packet through a ruleset, in namespaces this lab creates.

Topology: ``client`` --veth-- ``node`` --veth-- ``pods``. The ruleset is loaded unchanged
into ``node`` with ``iptables-nft-restore``; a separate nft table at priority -350 sets
``meta nftrace`` on the packet under test, and ``xtables-monitor --trace`` prints every rule
and policy it meets (iptables 1.8, ``iptables/xtables-monitor.c``). Rule handles are mapped
to iptables rule numbers through ``nft -j -a list ruleset``. The lab's :meth:`node` is the
same topology as a :class:`~infranotes.netfilter.packet.Node` for the model.
"""

from __future__ import annotations

import ipaddress
import json
import re
import subprocess
import sys
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Self

from infranotes.lab import NetNS, available, run, veth
from infranotes.netfilter.packet import Node, Packet, Route
from infranotes.netfilter.trace import Step

NODE_UP, NODE_DOWN = "192.0.2.1", "192.0.2.2"
UP_DEV, DOWN_DEV = "eth0", "cni0"  # node side names, as a reader would expect them
_TRACE = re.compile(
    r"^\s*TRACE: \d+ ([0-9a-f]+) ([^: ]+):([^: ]+):(rule|policy|return):?"
    r"(0x[0-9a-f]+)?:?(\S*)\s*(.*)$"
)
_PACKET = re.compile(r"^PACKET: \d+ ([0-9a-f]+) (.*)$")
# The live trace needs these (root and network namespaces too); the conntrack demo fewer.
REQUIRES = ("ip", "iptables-nft-restore", "xtables-monitor", "nft", "conntrack", "stdbuf")
REQUIRES_CONNTRACK = ("ip", "iptables-nft-restore", "conntrack")
HOOK_NAMES = ("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING")
# nf_tables verdicts that xtables-monitor prints as numbers (uapi/linux/netfilter/nf_tables.h)
NFT_VERDICTS = {
    "0xffffffff": "CONTINUE",
    "0xfffffffe": "BREAK",
    "0xfffffffd": "JUMP",
    "0xfffffffc": "GOTO",
    "0xfffffffb": "RETURN",
}

# ``count`` new connections, ``gap`` seconds apart; each waits ``timeout`` for an answer
# (only a connection's first packet is traced: a dropped SYN need not wait long)
CLIENT = r"""
import socket, sys, time
proto, src, dst, sport, dport, count, gap, timeout = sys.argv[1:9]
for i in range(int(count)):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM)
    s.settimeout(float(timeout))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if src != "-" or sport != "0":
        s.bind(("" if src == "-" else src, int(sport)))
    try:
        if proto == "tcp":
            s.connect((dst, int(dport)))
        else:
            s.sendto(b"ping", (dst, int(dport)))
    except OSError:
        pass
    s.close()
    time.sleep(float(gap))
"""
PING = r"""
import socket, struct, sys
src, dst = sys.argv[1:3]
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
if src != "-":
    s.bind((src, 0))
body = struct.pack("!BBHHH", 8, 0, 0, 0x1234, 1) + b"infranotes"
csum = sum(struct.unpack("!%dH" % (len(body) // 2), body))
csum = (csum >> 16) + (csum & 0xFFFF)
csum = ~(csum + (csum >> 16)) & 0xFFFF
s.sendto(body[:2] + struct.pack("!H", csum) + body[4:], (dst, 0))
"""


def selector(p: Packet) -> str:
    """The nft match that picks the packet under test: its destination (and port), and for
    TCP only a SYN, a connection's first packet."""
    sel = f"ip daddr {p.dst}"
    if p.proto in ("tcp", "udp"):
        sel += f" {p.proto} dport {p.dport}"
    if p.proto == "tcp":
        sel += " tcp flags & (syn | ack) == syn"
    return sel


@dataclass(frozen=True)
class KernelTrace:
    steps: tuple[Step, ...]
    final: dict[str, str]  # the packet as the last base chain saw it (SRC, DST, DPORT, MARK…)
    monitor_output: str


class NodeTopology(ABC):
    """``client`` --veth-- ``node`` --veth-- ``pods``, the node forwarding between them.

    The shared part of the iptables and nftables labs: the three namespaces, their addresses
    and routes, :meth:`node` (the same topology for the model), and the namespace a test
    packet starts in. A subclass loads its ruleset in :meth:`_load`.
    """

    requires: tuple[str, ...] = REQUIRES
    route_pod_sources = False  # route extra Pod-side source addresses back through cni0

    def __init__(
        self,
        prefix: str,
        pod_addresses: tuple[str, ...],
        client: str | None = None,
        dummy: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.pod_addresses = pod_addresses
        self.client_addr = client
        self.dummy = dict(dummy or {})
        self.client = NetNS(f"{prefix}-cli")
        self.node_ns = NetNS(f"{prefix}-node")
        self.pods = NetNS(f"{prefix}-pod")
        self._added: set[str] = set()

    def node(self) -> Node:
        """The node as the model sees it: its two addresses and its routes."""
        routes = [Route(ipaddress.IPv4Network(f"{a}/32"), DOWN_DEV) for a in self.pod_addresses]
        routes.append(Route(ipaddress.IPv4Network("0.0.0.0/0"), UP_DEV))
        return Node(
            {UP_DEV: (NODE_UP,), DOWN_DEV: (NODE_DOWN,), "lo": ("127.0.0.1",), **self.dummy},
            tuple(routes),
        )

    def __enter__(self) -> Self:
        available(*self.requires, netns=True)
        for ns in (self.client, self.node_ns, self.pods):
            ns.__enter__()
        try:
            self._wire()
            self._load()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for ns in (self.client, self.node_ns, self.pods):
            ns.__exit__(None, None, None)

    def _ip(self, ns: NetNS, *args: str) -> None:
        run(["ip", "-n", ns.name, *args], check=True)

    def _wire(self) -> None:
        veth(self.client, "eth0", self.node_ns, UP_DEV)
        veth(self.pods, "eth0", self.node_ns, DOWN_DEV)
        self._ip(self.node_ns, "addr", "add", f"{NODE_UP}/32", "dev", UP_DEV)
        self._ip(self.node_ns, "addr", "add", f"{NODE_DOWN}/32", "dev", DOWN_DEV)
        if self.client_addr:
            self._ip(self.client, "addr", "add", f"{self.client_addr}/32", "dev", "eth0")
        self._ip(self.client, "route", "add", NODE_UP, "dev", "eth0")
        self._ip(self.client, "route", "add", "default", "via", NODE_UP, "dev", "eth0")
        self._ip(self.node_ns, "route", "add", "default", "dev", UP_DEV)
        for a in self.pod_addresses:
            self._ip(self.pods, "addr", "add", f"{a}/32", "dev", "eth0")
            self._ip(self.node_ns, "route", "add", f"{a}/32", "dev", DOWN_DEV)
        self._ip(self.pods, "route", "add", NODE_DOWN, "dev", "eth0")
        self._ip(self.pods, "route", "add", "default", "via", NODE_DOWN, "dev", "eth0")
        run(
            ["ip", "netns", "exec", self.node_ns.name, "sysctl", "-qw", "net.ipv4.ip_forward=1"],
            check=True,
        )
        for dev, addrs in self.dummy.items():
            made = run(["ip", "-n", self.node_ns.name, "link", "add", dev, "type", "dummy"])
            if made.returncode != 0:  # a kernel without CONFIG_DUMMY: a down veth does the same
                self._ip(
                    self.node_ns, "link", "add", dev, "type", "veth", "peer", "name", f"{dev}p"
                )
            for a in addrs:
                self._ip(self.node_ns, "addr", "add", f"{a}/32", "dev", dev)

    @abstractmethod
    def _load(self) -> None:
        """Load the lab's ruleset into the node namespace."""

    def _sender(self, p: Packet) -> NetNS:
        """The namespace the packet starts in, owning its source address."""
        if p.local:
            ns, dev, known = self.node_ns, "lo", (NODE_UP, NODE_DOWN, "127.0.0.1")
        elif p.iif == DOWN_DEV:
            ns, dev, known = self.pods, "eth0", self.pod_addresses
        else:
            ns, dev, known = self.client, "eth0", (self.client_addr,)
        if p.src not in known and p.src not in self._added:
            self._ip(ns, "addr", "add", f"{p.src}/32", "dev", dev)
            if ns is self.client:
                self._ip(self.node_ns, "route", "add", f"{p.src}/32", "dev", UP_DEV)
            elif ns is self.pods and self.route_pod_sources:
                self._ip(self.node_ns, "route", "add", f"{p.src}/32", "dev", DOWN_DEV)
            self._added.add(p.src)
        return ns

    def _monitored(
        self,
        monitor: list[str],
        p: Packet,
        client_args: list[str],
        *,
        settle: float,
        timeout: float,
    ) -> str:
        """What ``monitor`` (run in the node) prints while ``p`` is sent from its namespace.

        An ICMP packet is :data:`PING`; any other is :data:`CLIENT`, given the packet's
        protocol, addresses and ports, then ``client_args`` (count, gap, timeout).
        """
        with tempfile.TemporaryFile("w+") as log:
            mon = subprocess.Popen(
                ["ip", "netns", "exec", self.node_ns.name, *monitor],
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
            )
            try:
                time.sleep(settle)  # let the monitor subscribe before the packet
                ns = self._sender(p)
                if p.proto == "icmp":
                    cmd = [sys.executable, "-c", PING, p.src, p.dst]
                else:
                    cmd = [sys.executable, "-c", CLIENT, p.proto, p.src, p.dst]
                    cmd += [str(p.sport), str(p.dport), *client_args]
                ns.exec(cmd, timeout=timeout)
                time.sleep(settle)  # let the last events arrive
            finally:
                mon.terminate()
                mon.wait(timeout=5)
            log.seek(0)
            return log.read()


class NetfilterLab(NodeTopology):
    """Namespaces, routes and a loaded ruleset; :meth:`send` traces one packet for real."""

    def __init__(
        self,
        rules: str,
        pod_addresses: tuple[str, ...] = (),
        client: str = "10.0.0.5",
        ipsets: Mapping[str, tuple[str, tuple[str, ...]]] | None = None,
        dummy: Mapping[str, tuple[str, ...]] | None = None,
    ):
        """``ipsets`` (name -> (type, entries)) are created in the node before the rules are
        loaded; ``dummy`` (device -> addresses) adds dummy devices to the node, left down as
        kube-proxy leaves ``kube-ipvs0`` (an address on a down device is still local); where
        the kernel has no dummy driver, a veth pair left down stands in for it."""
        found = re.findall(r"--to-destination (\d+\.\d+\.\d+\.\d+)", rules)
        super().__init__("inf-nf", tuple(dict.fromkeys((*pod_addresses, *found))), client, dummy)
        self.rules = rules
        self.ipsets = dict(ipsets or {})
        if self.ipsets:
            self.requires = (*REQUIRES, "ipset")

    def _load(self) -> None:
        if self.ipsets:
            script = "".join(
                f"create {name} {kind}\n" + "".join(f"add {name} {e}\n" for e in entries)
                for name, (kind, entries) in self.ipsets.items()
            )
            run(
                ["ip", "netns", "exec", self.node_ns.name, "ipset", "restore"],
                input=script,
                check=True,
            )
        run(
            ["ip", "netns", "exec", self.node_ns.name, "iptables-nft-restore"],
            input=self.rules,
            check=True,
        )

    def _handles(self) -> dict[tuple[str, int], tuple[str, int]]:
        out = self.node_ns.exec(["nft", "-j", "-a", "list", "ruleset"]).stdout
        pos: dict[tuple[str, str], int] = {}
        handles = {}
        for item in json.loads(out or "{}").get("nftables", []):
            r = item.get("rule")
            if r and r.get("family") == "ip" and r["table"] != "infranotes_trace":
                key = (r["table"], r["chain"])
                pos[key] = pos.get(key, 0) + 1
                handles[(r["table"], r["handle"])] = (r["chain"], pos[key])
        return handles

    def reload(self, rules: str) -> None:
        """Replace the ruleset (conntrack entries stay, as on a node where kube-proxy syncs)."""
        self.rules = rules
        run(
            ["ip", "netns", "exec", self.node_ns.name, "iptables-nft-restore"],
            input=rules,
            check=True,
        )

    def conntrack(self) -> list[str]:
        """``conntrack -L`` in the node namespace, one line per entry, sorted."""
        out = self.node_ns.exec(["conntrack", "-L"]).stdout
        return sorted(line for line in out.splitlines() if line.strip())

    def send(self, packet: Packet, *, flush: bool = True) -> KernelTrace:
        """Send ``packet`` (from the client namespace, or from the node when ``local``).

        ``flush`` empties the conntrack table afterwards, so the next packet starts a NEW
        connection; keep it to see what an existing entry does to the next packet.
        """
        p = packet
        hook = "output" if p.local else "prerouting"
        sel = selector(p)
        table = (
            "table ip infranotes_trace {\n chain c {\n"
            f"  type filter hook {hook} priority -350;\n  {sel} meta nftrace set 1\n }}\n}}\n"
        )
        run(["ip", "netns", "exec", self.node_ns.name, "nft", "-f", "-"], input=table, check=True)
        try:
            handles = self._handles()
            monitor = ["stdbuf", "-oL", "xtables-monitor", "--trace", "-4"]
            text = self._monitored(monitor, p, ["1", "0", "0.2"], settle=0.25, timeout=10)
        finally:
            run(
                [
                    "ip",
                    "netns",
                    "exec",
                    self.node_ns.name,
                    "nft",
                    "delete",
                    "table",
                    "ip",
                    "infranotes_trace",
                ]
            )
            if flush:
                self.node_ns.exec(["conntrack", "-F"])  # the next packet starts a NEW connection
        return parse_monitor(text, handles)


def parse_monitor(text: str, handles: dict[tuple[str, int], tuple[str, int]]) -> KernelTrace:
    """The first traced packet of ``xtables-monitor --trace`` output, as steps."""
    steps: list[Step] = []
    final: dict[str, str] = {}
    tid = None
    hook = None
    for line in text.splitlines():
        m = _PACKET.match(line)
        if m and (tid is None or m.group(1) == tid):
            final = dict(kv.split("=", 1) for kv in m.group(2).split() if "=" in kv)
            continue
        m = _TRACE.match(line)
        if not m:
            continue
        trace_id, table, chain, kind, handle, verdict, _ = m.groups()
        if table == "infranotes_trace":
            if tid is None and kind == "rule":
                tid = trace_id
            elif tid is not None and kind == "rule":
                break  # the next packet under test
            continue
        if trace_id != tid or kind == "return":
            continue
        if chain in HOOK_NAMES:
            hook = chain
        if kind == "rule":
            number = handles.get((table, int(handle, 16)), (chain, None))[1]
            v, _, target = verdict.partition(":")
            v = NFT_VERDICTS.get(v, v)
            steps.append(Step(hook or "?", table, chain, number, v, target or None))
        else:
            steps.append(Step(hook or "?", table, chain, None, f"policy:{verdict}"))
    return KernelTrace(tuple(steps), final, text)
