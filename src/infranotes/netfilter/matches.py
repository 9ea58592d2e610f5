"""Evaluating match modules against a packet.

Each evaluator returns the probability that the match holds: 1.0 or 0.0 for deterministic
matches, a fraction for ``statistic`` (the tracer forks there instead of guessing). A module
or option the tracer cannot evaluate raises :class:`Unsupported`, and the trace says so.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from infranotes.netfilter.packet import Node, Packet
from infranotes.netfilter.ruleset import Match, Option

PROTO_NUMBERS = {"tcp": "6", "udp": "17", "icmp": "1", "sctp": "132"}
ICMP_TYPES = {
    "echo-reply": 0,
    "destination-unreachable": 3,
    "source-quench": 4,
    "redirect": 5,
    "echo-request": 8,
    "time-exceeded": 11,
    "parameter-problem": 12,
    "any": -1,
}


class Unsupported(Exception):
    """A match, option or target the tracer does not evaluate."""


@dataclass
class Context:
    """What a match may read besides the packet: hook, node, NAT history, ipset contents."""

    hook: str
    node: Node
    orig: Packet  # the packet as it entered (for --ctorigdst and friends)
    dnat: bool = False
    snat: bool = False
    sets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def _cidr_contains(cidr: str, addr: str) -> bool:
    try:
        return ipaddress.IPv4Address(addr) in ipaddress.IPv4Network(cidr, strict=False)
    except ValueError:
        raise Unsupported(f"address {cidr!r}") from None


def _iface(pattern: str, name: str | None) -> bool:
    if name is None:
        return False
    if pattern.endswith("+"):
        return name.startswith(pattern[:-1])
    return name == pattern


def _ports(spec: str, port: int) -> bool:
    for part in spec.split(","):
        lo, _, hi = part.partition(":")
        try:
            low = int(lo) if lo else 0
            high = int(hi) if hi else (65535 if _ else low)
        except ValueError:
            raise Unsupported(f"port {part!r}") from None
        if low <= port <= high:
            return True
    return False


def _mark(spec: str, value: int) -> bool:
    v, _, m = spec.partition("/")
    mask = int(m, 0) if m else 0xFFFFFFFF
    return (value & mask) == int(v, 0)


def _apply(opt: Option, result: bool) -> bool:
    return result != opt.negated


def _basic(m: Match, p: Packet, ctx: Context) -> float:
    for o in m.options:
        if o.name == "source":
            ok = _cidr_contains(o.value, p.src)
        elif o.name == "destination":
            ok = _cidr_contains(o.value, p.dst)
        elif o.name == "in-interface":
            ok = _iface(o.value, p.iif)
        elif o.name == "out-interface":
            ok = _iface(o.value, p.oif)
        elif o.name == "protocol":
            want = o.value.lower()
            ok = want in ("all", "0") or want == p.proto or PROTO_NUMBERS.get(p.proto) == want
        elif o.name == "fragment":
            ok = False  # the tracer's packets are never fragments
        else:
            raise Unsupported(f"option {o.name}")
        if not _apply(o, ok):
            return 0.0
    return 1.0


def _tcp_udp(m: Match, p: Packet, ctx: Context) -> float:
    if p.proto != m.module:
        return 0.0
    for o in m.options:
        if o.name in ("dport", "destination-port"):
            ok = _ports(o.value, p.dport)
        elif o.name in ("sport", "source-port"):
            ok = _ports(o.value, p.sport)
        elif o.name == "syn":
            ok = p.ctstate == "NEW"  # the first packet of a connection is the SYN
        elif o.name == "tcp-flags" and len(o.values) == 2:
            flags = {"SYN"} if p.ctstate == "NEW" else {"ACK"}
            mask = (
                {"SYN", "ACK", "FIN", "RST", "URG", "PSH"}
                if o.values[0] == "ALL"
                else set(o.values[0].split(","))
            )
            comp = set() if o.values[1] == "NONE" else set(o.values[1].split(","))
            ok = (flags & mask) == comp
        else:
            raise Unsupported(f"-m {m.module} --{o.name}")
        if not _apply(o, ok):
            return 0.0
    return 1.0


def _multiport(m: Match, p: Packet, ctx: Context) -> float:
    for o in m.options:
        if o.name in ("dports", "destination-ports"):
            ok = _ports(o.value, p.dport)
        elif o.name in ("sports", "source-ports"):
            ok = _ports(o.value, p.sport)
        elif o.name == "ports":
            ok = _ports(o.value, p.dport) or _ports(o.value, p.sport)
        else:
            raise Unsupported(f"-m multiport --{o.name}")
        if p.proto not in ("tcp", "udp", "sctp") or not _apply(o, ok):
            return 0.0
    return 1.0


def ct_states(p: Packet, ctx: Context) -> set[str]:
    states = {p.ctstate}
    if ctx.dnat:
        states.add("DNAT")
    if ctx.snat:
        states.add("SNAT")
    return states


def _conntrack(m: Match, p: Packet, ctx: Context) -> float:
    o0 = ctx.orig
    for o in m.options:
        if o.name in ("ctstate", "state"):
            ok = bool(ct_states(p, ctx) & set(o.value.split(",")))
        elif o.name == "ctproto":
            ok = o.value.lower() in (p.proto, PROTO_NUMBERS.get(p.proto))
        elif o.name == "ctorigdst":
            ok = _cidr_contains(o.value, o0.dst)
        elif o.name == "ctorigsrc":
            ok = _cidr_contains(o.value, o0.src)
        elif o.name == "ctorigdstport":
            ok = _ports(o.value, o0.dport)
        elif o.name == "ctorigsrcport":
            ok = _ports(o.value, o0.sport)
        elif o.name == "ctdir":
            ok = o.value.upper() == "ORIGINAL"  # the tracer follows the original direction
        else:
            raise Unsupported(f"-m conntrack --{o.name}")
        if p.ctstate == "UNTRACKED" and o.name not in ("ctstate", "state"):
            ok = False
        if not _apply(o, ok):
            return 0.0
    return 1.0


def _state(m: Match, p: Packet, ctx: Context) -> float:
    o = m.get("state")
    if o is None or len(m.options) != 1:
        raise Unsupported("-m state without --state")
    return 1.0 if _apply(o, p.ctstate in o.value.split(",")) else 0.0


def _mark_match(m: Match, p: Packet, ctx: Context) -> float:
    o = m.get("mark")
    if o is None or len(m.options) != 1:
        raise Unsupported(f"-m {m.module} without --mark")
    value = p.mark if m.module == "mark" else p.ctmark
    return 1.0 if _apply(o, _mark(o.value, value)) else 0.0


def _addr_type(addr: str, ctx: Context, iface: str | None) -> set[str]:
    ip = ipaddress.IPv4Address(addr)
    if ip.is_multicast:
        return {"MULTICAST"}
    if addr == "255.255.255.255":
        return {"BROADCAST"}
    if iface is not None:
        local = addr in ctx.node.addresses.get(iface, ())
    else:
        local = ctx.node.is_local(addr)
    return {"LOCAL"} if local else {"UNICAST"}


def _addrtype(m: Match, p: Packet, ctx: Context) -> float:
    names = {o.name for o in m.options}
    limit_in = "limit-iface-in" in names
    limit_out = "limit-iface-out" in names
    for o in m.options:
        if o.name in ("limit-iface-in", "limit-iface-out"):
            continue
        if o.name not in ("src-type", "dst-type"):
            raise Unsupported(f"-m addrtype --{o.name}")
        addr = p.src if o.name == "src-type" else p.dst
        iface = p.iif if limit_in else (p.oif if limit_out else None)
        ok = bool(_addr_type(addr, ctx, iface) & set(o.value.split(",")))
        if not _apply(o, ok):
            return 0.0
    return 1.0


def _statistic(m: Match, p: Packet, ctx: Context) -> float:
    mode = m.get("mode")
    if mode is None:
        raise Unsupported("-m statistic without --mode")
    if mode.value == "random":
        prob = m.get("probability")
        if prob is None:
            raise Unsupported("-m statistic --mode random without --probability")
        value = float(prob.value)
        return 1.0 - value if prob.negated or mode.negated else value
    if mode.value == "nth":
        every = m.get("every")
        if every is None:
            raise Unsupported("-m statistic --mode nth without --every")
        share = 1.0 / int(every.value)  # over many packets, each position once in `every`
        return 1.0 - share if every.negated or mode.negated else share
    raise Unsupported(f"-m statistic --mode {mode.value}")


def _set(m: Match, p: Packet, ctx: Context) -> float:
    o = m.get("match-set")
    if o is None or len(o.values) != 2:
        raise Unsupported("-m set without --match-set NAME DIRS")
    name, dirs = o.values
    if name not in ctx.sets:
        raise Unsupported(f"ipset {name!r}: contents not supplied")
    keys = []
    for d in dirs.split(","):
        keys.append(("src", p.src, p.sport) if d == "src" else ("dst", p.dst, p.dport))
    ok = False
    for entry in ctx.sets[name]:
        parts = entry.split(",")
        if len(parts) != len(keys):
            continue
        hit = True
        for part, (_, addr, port) in zip(parts, keys, strict=True):
            if "." in part:
                hit = hit and _cidr_contains(part, addr)
            else:
                hit = hit and part.split(":")[-1] == str(port)
        ok = ok or hit
    return 1.0 if _apply(o, ok) else 0.0


def _physdev(m: Match, p: Packet, ctx: Context) -> float:
    # The tracer's packets are routed, never bridged: every physdev condition is false.
    for o in m.options:
        if not _apply(o, False):
            return 0.0
    return 1.0


def _icmp(m: Match, p: Packet, ctx: Context) -> float:
    if p.proto != "icmp":
        return 0.0
    o = m.get("icmp-type")
    if o is None:
        raise Unsupported("-m icmp without --icmp-type")
    want = o.value.split("/")[0]
    t = ICMP_TYPES.get(want, int(want) if want.isdigit() else None)
    if t is None:
        raise Unsupported(f"icmp type {o.value!r}")
    return 1.0 if _apply(o, t == -1 or t == p.icmp_type) else 0.0


def _recent(m: Match, p: Packet, ctx: Context) -> float:
    # No history: a check (--rcheck/--update) finds nothing; --set/--remove always match.
    names = {o.name for o in m.options}
    if names & {"rcheck", "update"}:
        neg = any(o.negated for o in m.options if o.name in ("rcheck", "update"))
        return 1.0 if neg else 0.0
    if names & {"set", "remove"}:
        return 1.0
    raise Unsupported("-m recent without --set/--rcheck/--update/--remove")


def _always(m: Match, p: Packet, ctx: Context) -> float:
    return 1.0


EVALUATORS: dict[str, Callable[[Match, Packet, Context], float]] = {
    "": _basic,
    "tcp": _tcp_udp,
    "udp": _tcp_udp,
    "multiport": _multiport,
    "comment": _always,
    "conntrack": _conntrack,
    "state": _state,
    "mark": _mark_match,
    "connmark": _mark_match,
    "addrtype": _addrtype,
    "statistic": _statistic,
    "set": _set,
    "physdev": _physdev,
    "icmp": _icmp,
    "recent": _recent,
    "limit": _always,  # one packet is always within the burst
}


def match_probability(matches: tuple[Match, ...], p: Packet, ctx: Context) -> float:
    """The probability that every match of a rule holds for ``p``."""
    prob = 1.0
    for m in matches:
        fn = EVALUATORS.get(m.module)
        if fn is None:
            raise Unsupported(f"-m {m.module}")
        prob *= fn(m, p, ctx)
        if prob == 0.0:
            return 0.0
    return prob
