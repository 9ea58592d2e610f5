"""Evaluating match modules against a packet.

Each evaluator returns the probability that the match holds: 1 or 0 for deterministic
matches, an exact fraction for ``statistic --mode random`` (the tracer forks there instead of
guessing). ``recent`` and ``statistic --mode nth`` read and write :class:`Memory`, the state
the kernel keeps between packets. A module or option the tracer cannot evaluate raises
:class:`Unsupported`, and the trace ends in an explicit "unsupported match" verdict.
"""

from __future__ import annotations

import functools
import ipaddress
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction

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
    """A match, option or target the tracer does not evaluate.

    ``kind`` is ``"match"`` or ``"target"``; the tracer turns it into an explicit
    "unsupported match X in rule N" verdict that says the trace cannot decide there.
    """

    def __init__(self, what: str, kind: str = "match") -> None:
        super().__init__(what)
        self.what = what
        self.kind = kind


# State the kernel keeps between packets, keyed so a branch can carry its own copy.
NthKey = tuple[str, str, int, int]  # (table, chain, rule number, match index)


@dataclass
class Memory:
    """What the kernel remembers between packets that some matches read and write.

    ``recent``: the ``xt_recent`` lists, name -> address -> number of stamps (the tracer has
    no clock, so every stamp counts as inside ``--seconds``). ``nth``: the per-rule counter
    of ``-m statistic --mode nth`` (net/netfilter/xt_statistic.c keeps one per rule, set at
    load time from ``--every`` and ``--packet``); a rule absent here has its initial value.
    """

    recent: dict[str, dict[str, int]] = field(default_factory=dict)
    nth: dict[NthKey, int] = field(default_factory=dict)

    def copy(self) -> Memory:
        return Memory({k: dict(v) for k, v in self.recent.items()}, dict(self.nth))

    def to_json(self) -> dict[str, object]:
        return {
            "recent": {k: sorted(v) for k, v in sorted(self.recent.items()) if v},
            "nth": {f"{t} {c} #{n}": v for (t, c, n, _), v in sorted(self.nth.items())},
        }


@dataclass
class Context:
    """What a match may read besides the packet: hook, node, NAT history, ipset contents,
    and the state kept between packets (``memory``, written by ``recent`` and ``nth``)."""

    hook: str
    node: Node
    orig: Packet  # the packet as it entered (for --ctorigdst and friends)
    dnat: bool = False
    snat: bool = False
    sets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    memory: Memory = field(default_factory=Memory)
    rule: tuple[str, str, int] = ("", "", 0)  # (table, chain, number) of the rule evaluated
    index: int = 0  # which match of the rule
    recent_masks: Mapping[str, str] = field(default_factory=dict)
    events: list[str] = field(default_factory=list)


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
    if m.module == "sctp" and any(o.name not in ("dport", "sport") for o in m.options):
        bad = next(o.name for o in m.options if o.name not in ("dport", "sport"))
        raise Unsupported(f"-m sctp --{bad}")
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


def _has_ct(p: Packet) -> bool:
    """Whether the packet has a conntrack entry: untracked and invalid packets have none."""
    return p.ctstate not in ("UNTRACKED", "INVALID")


CT_STATUS_NAMES = ("NONE", "EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED")


def _ct_status(value: str, p: Packet) -> bool:
    """``--ctstatus``: whether any named bit is set in the entry's status.

    A NEW entry is unconfirmed until the packet leaves (``__nf_conntrack_confirm``) and has
    seen no reply; a RELATED one is EXPECTED; an ESTABLISHED one has SEEN_REPLY and
    CONFIRMED, but whether it is ASSURED depends on its history (TCP: handshake done; UDP:
    traffic both ways), which a one-packet trace does not know.
    """
    names = value.upper().split(",")
    for n in names:
        if n not in CT_STATUS_NAMES:
            raise Unsupported(f"-m conntrack --ctstatus {n}")
    known = {"NEW": set(), "RELATED": {"EXPECTED"}, "ESTABLISHED": {"SEEN_REPLY", "CONFIRMED"}}
    bits = known[p.ctstate]
    if bits & set(names):
        return True
    if p.ctstate == "ESTABLISHED" and "ASSURED" in names:
        raise Unsupported(
            "-m conntrack --ctstatus ASSURED on an ESTABLISHED packet "
            "(assured depends on the connection's history)"
        )
    return False


def _conntrack(m: Match, p: Packet, ctx: Context) -> float:
    """``-m conntrack`` as net/netfilter/xt_conntrack.c ``conntrack_mt`` decides it
    (torvalds/linux 0134e89c: L164-232; the no-entry return at L194-195, the reply-tuple
    ports at L146-158, --ctstatus at L229-232).

    The state test comes first; a packet without an entry (untracked, invalid) then matches
    exactly when the rule has a state test, whatever its other options say. The original
    tuple is the packet as it entered; the reply tuple is the inverse of the packet as NAT
    has made it so far (DNAT in PREROUTING/OUTPUT rewrites the reply source, SNAT in
    POSTROUTING the reply destination). The traced packet is in the ORIGINAL direction.
    """
    o0 = ctx.orig
    state = [o for o in m.options if o.name in ("ctstate", "state")]
    for o in state:
        ok = bool(ct_states(p, ctx) & set(o.value.split(",")))
        if not _apply(o, ok):
            return 0.0
    if not _has_ct(p):
        return 1.0 if state else 0.0
    for o in m.options:
        name = o.name
        if name in ("ctstate", "state"):
            continue
        if name == "ctproto":
            ok = o.value.lower() in (p.proto, PROTO_NUMBERS.get(p.proto))
        elif name == "ctorigsrc":
            ok = _cidr_contains(o.value, o0.src)
        elif name == "ctorigdst":
            ok = _cidr_contains(o.value, o0.dst)
        elif name == "ctreplsrc":
            ok = _cidr_contains(o.value, p.dst)
        elif name == "ctrepldst":
            ok = _cidr_contains(o.value, p.src)
        elif name == "ctorigsrcport":
            ok = _ports(o.value, o0.sport)
        elif name == "ctorigdstport":
            ok = _ports(o.value, o0.dport)
        elif name == "ctreplsrcport":
            ok = _ports(o.value, p.dport)
        elif name == "ctrepldstport":
            ok = _ports(o.value, p.sport)
        elif name == "ctdir":
            want = o.value.upper()
            if want not in ("ORIGINAL", "REPLY"):
                raise Unsupported(f"-m conntrack --ctdir {o.value}")
            ok = want == "ORIGINAL"
        elif name == "ctstatus":
            ok = _ct_status(o.value, p)
        else:
            raise Unsupported(f"-m conntrack --{name}")
        if not _apply(o, ok):
            return 0.0
    return 1.0


def _ip_range(spec: str, addr: str) -> bool:
    lo, _, hi = spec.partition("-")
    try:
        low = ipaddress.IPv4Address(lo)
        high = ipaddress.IPv4Address(hi) if hi else low
        return low <= ipaddress.IPv4Address(addr) <= high
    except ValueError:
        raise Unsupported(f"-m iprange range {spec!r}") from None


def _iprange(m: Match, p: Packet, ctx: Context) -> float:
    """``-m iprange`` (net/netfilter/xt_iprange.c ``iprange_mt4`` L19-53, torvalds/linux
    08b5194b): inclusive ranges (L27-28), ``!`` per range (L29, L42)."""
    for o in m.options:
        if o.name == "src-range":
            ok = _ip_range(o.value, p.src)
        elif o.name == "dst-range":
            ok = _ip_range(o.value, p.dst)
        else:
            raise Unsupported(f"-m iprange --{o.name}")
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


def kernel_probability(text: str) -> int:
    """The kernel's threshold for ``--probability text``: ``lround(0x80000000 * p)``
    (iptables extensions/libxt_statistic.c ``statistic_parse`` L69); a packet matches when
    ``(random & 0x7FFFFFFF) < threshold`` (net/netfilter/xt_statistic.c L39-42)."""
    try:
        value = Fraction(text)
    except ValueError:
        raise Unsupported(f"-m statistic --probability {text!r}") from None
    scaled = value * 0x80000000
    return math.floor(scaled + Fraction(1, 2))  # lround: halves away from zero (p >= 0)


def _simplest_between(lo: Fraction, hi: Fraction) -> Fraction:
    """The fraction with the smallest denominator in the closed interval [lo, hi]."""
    floor = math.floor(lo)
    if floor == lo:
        return Fraction(floor)
    if floor + 1 <= hi:
        return Fraction(floor + 1)
    return floor + 1 / _simplest_between(1 / (hi - floor), 1 / (lo - floor))


@functools.lru_cache(maxsize=4096)
def nominal_probability(text: str) -> Fraction:
    """The simplest fraction the kernel stores exactly as it stores ``--probability text``.

    kube-proxy writes 1/3 as ``0.33333333349`` (iptables prints the stored threshold with
    ``%.11f``); the kernel keeps ``round(2**31 * p)``, and every value rounding to the same
    threshold is the same rule to it. The simplest of them (1/3 here) is what the rule
    means, and products of such fractions over the endpoints sum to exactly 1.
    """
    u = kernel_probability(text)
    if u <= 0:
        return Fraction(0)
    if u >= 0x80000000:
        return Fraction(1)
    half = Fraction(1, 2 * 0x80000000)
    cand = _simplest_between(Fraction(u, 0x80000000) - half, Fraction(u, 0x80000000) + half)
    if cand * 0x80000000 + Fraction(1, 2) >= u + 1:  # the upper end rounds up: not ours
        return Fraction(u, 0x80000000)
    return cand


def _statistic(m: Match, p: Packet, ctx: Context) -> Fraction:
    mode = m.get("mode")
    if mode is None:
        raise Unsupported("-m statistic without --mode")
    if mode.value == "random":
        prob = m.get("probability")
        if prob is None:
            raise Unsupported("-m statistic --mode random without --probability")
        value = nominal_probability(prob.value)
        return 1 - value if prob.negated or mode.negated else value
    if mode.value == "nth":
        return Fraction(_nth(m, ctx))
    raise Unsupported(f"-m statistic --mode {mode.value}")


def _nth(m: Match, ctx: Context) -> int:
    """One evaluation of ``--mode nth``: the rule's counter steps, and the rule matches when
    it wraps to 0 (net/netfilter/xt_statistic.c ``statistic_mt`` L43-50; the counter is set
    at load time, ``statistic_mt_check`` L67). iptables stores ``every - 1`` (libxt_statistic.c
    L72) and starts the counter at ``every - 1 - packet`` (``statistic_check`` L97), so
    evaluation k (from 0) matches when ``k % every == packet``: deterministic, a counter
    sequence, not a coin. Only evaluations count: a packet that fails an earlier match of
    the rule does not step it."""
    every_o = m.get("every")
    if every_o is None:
        raise Unsupported("-m statistic --mode nth without --every")
    packet_o = m.get("packet")
    try:
        every = int(every_o.value) - 1
        start = every - (int(packet_o.value) if packet_o else 0)
    except ValueError:
        raise Unsupported("-m statistic --mode nth with a non-numeric --every/--packet") from None
    key = (*ctx.rule, ctx.index)
    old = ctx.memory.nth.get(key, start)
    new = 0 if old == every else old + 1
    ctx.memory.nth[key] = new
    hit = new == 0
    if every_o.negated or m.get("mode").negated:  # type: ignore[union-attr]
        hit = not hit
    table, chain, number = ctx.rule
    ctx.events.append(
        f"statistic nth: {table} {chain} #{number} counter {old} -> {new} "
        f"(every {every + 1}): {'match' if hit else 'no match'}"
    )
    return int(hit)


def _set(m: Match, p: Packet, ctx: Context) -> float:
    o = m.get("match-set")
    if o is None or len(o.values) != 2:
        raise Unsupported("-m set without --match-set NAME DIRS")
    name, dirs = o.values
    if name not in ctx.sets:
        raise Unsupported(f"-m set: ipset {name!r}: contents not supplied")
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
        raise Unsupported(f"-m icmp --icmp-type {o.value!r}")
    return 1.0 if _apply(o, t == -1 or t == p.icmp_type) else 0.0


def _masked(addr: str, mask: str) -> str:
    a = int(ipaddress.IPv4Address(addr))
    return str(ipaddress.IPv4Address(a & int(ipaddress.IPv4Address(mask))))


def _recent(m: Match, p: Packet, ctx: Context) -> float:
    """``-m recent`` with its lists in ``ctx.memory`` (net/netfilter/xt_recent.c ``recent_mt``).

    ``--set`` adds (or stamps) the address and always matches; ``--rcheck`` matches when the
    address is listed (with ``--hitcount N``: at least N stamps); ``--update`` does the
    same and stamps on a match; ``--remove`` matches and deletes when listed. The address is
    the source (``--rsource``, the default) or destination (``--rdest``) under the list's
    mask. The tracer has no clock: ``--seconds`` windows count every stamp as recent.
    In ``recent_mt``: an unlisted address matches only for --set (``if (e == NULL) { if
    (!(info->check_set & XT_RECENT_SET)) goto out; ...}``); --update stamps only on a match
    (``XT_RECENT_UPDATE && ret``); the list's mask is the first rule's (``recent_mt_check``).
    """
    opts = {o.name: o for o in m.options}
    for unsupported in ("rttl",):
        if unsupported in opts:
            raise Unsupported(f"-m recent --{unsupported}")
    actions = [a for a in ("set", "rcheck", "update", "remove") if a in opts]
    if len(actions) != 1:
        raise Unsupported("-m recent without exactly one of --set/--rcheck/--update/--remove")
    action = actions[0]
    invert = opts[action].negated
    name = opts["name"].value if "name" in opts else "DEFAULT"
    addr = p.dst if "rdest" in opts else p.src
    mask = ctx.recent_masks.get(name, opts["mask"].value if "mask" in opts else "255.255.255.255")
    key = _masked(addr, mask)
    table = ctx.memory.recent.setdefault(name, {})
    hits = table.get(key)
    if hits is None:
        if action != "set":
            return float(invert)
        table[key] = 1
        ctx.events.append(f"recent: {key} added to list {name}")
        return float(not invert)
    if action == "set":
        table[key] = min(hits + 1, 32)
        return float(not invert)
    if action == "remove":
        del table[key]
        ctx.events.append(f"recent: {key} removed from list {name}")
        return float(not invert)
    need = int(opts["hitcount"].value) if "hitcount" in opts else 0
    ok = hits >= need if need else True
    ret = ok != invert
    if action == "update" and ret:
        table[key] = min(hits + 1, 32)
    if ok:
        ctx.events.append(f"recent: {key} is on list {name}")
    return float(ret)


def _limit(m: Match, p: Packet, ctx: Context) -> float:
    """``limit``/``hashlimit``: one packet is always within the burst of a fresh bucket, so
    ``--limit``/``--hashlimit-upto`` match and ``--hashlimit-above`` does not."""
    above = any(o.name == "hashlimit-above" for o in m.options)
    return 0.0 if above else 1.0


def _rpfilter(m: Match, p: Packet, ctx: Context) -> float:
    """``-m rpfilter`` (net/ipv4/netfilter/ipt_rpfilter.c): a route back to the source must
    leave by the interface the packet came in on (``--loose``: any route will do); a local
    source needs ``--accept-local``; locally generated packets always pass."""
    names = {o.name for o in m.options}
    for n in names - {"loose", "validmark", "accept-local", "invert"}:
        raise Unsupported(f"-m rpfilter --{n}")
    if p.local:
        ok = True
    elif ctx.node.is_local(p.src):
        ok = "accept-local" in names
    else:
        route = ctx.node.route(p.src)
        ok = route is not None and ("loose" in names or route.dev == p.iif)
    return float(ok != ("invert" in names))


def _policy(m: Match, p: Packet, ctx: Context) -> float:
    """``-m policy``: the tracer's packets carry no IPsec, so ``--pol none`` holds and
    ``--pol ipsec`` (with any element options) does not."""
    pol = m.get("pol")
    if pol is None:
        raise Unsupported("-m policy without --pol")
    return float((pol.value == "none") != pol.negated)


def _helper(m: Match, p: Packet, ctx: Context) -> float:
    """``-m helper`` (net/netfilter/xt_helper.c ``helper_mt``) looks at the helper of the
    connection's *master*: only a RELATED (expected) connection has one, so on any other
    packet the match fails, even after ``CT --helper`` attached a helper to this connection
    (the kernel says so: tests/oracles case firewalld-ct-helper-then-helper-match). For a
    RELATED packet the master's helper is not in a one-packet trace."""
    o = m.get("helper")
    if o is None:
        raise Unsupported("-m helper without --helper")
    if p.ctstate == "RELATED":
        raise Unsupported("-m helper on a RELATED packet (its master's helper is not known)")
    return float(o.negated)


def _always(m: Match, p: Packet, ctx: Context) -> float:
    return 1.0


EVALUATORS: dict[str, Callable[[Match, Packet, Context], float]] = {
    "": _basic,
    "tcp": _tcp_udp,
    "udp": _tcp_udp,
    "sctp": _tcp_udp,
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
    "limit": _limit,
    "hashlimit": _limit,
    "iprange": _iprange,
    "rpfilter": _rpfilter,
    "policy": _policy,
    "helper": _helper,
}

# Modules that depend on what the tracer cannot know, with the reason the verdict names.
UNDECIDABLE = {
    "socket": "it looks for a local socket of the packet's flow",
    "owner": "it reads the sending process's uid/gid",
    "cgroup": "it reads the sending process's cgroup",
    "connlimit": "it counts the other connections in the conntrack table",
    "connbytes": "it counts the connection's bytes so far",
    "u32": "it reads raw packet bytes",
    "bpf": "it runs a BPF program on the packet bytes",
    "string": "it searches the payload",
    "length": "it reads the packet length",
    "ttl": "it reads the packet's TTL",
    "mac": "it reads the Ethernet source",
    "ipvs": "it reads IPVS state",
    "nfacct": "it reads an accounting object",
    "quota": "it reads a byte quota",
    "time": "it reads the clock",
    "devgroup": "it reads interface groups",
    "pkttype": "it reads the link-layer packet type",
}


ONE = Fraction(1)


def _fn(m: Match) -> Callable[[Match, Packet, Context], float]:
    fn = EVALUATORS.get(m.module)
    if fn is None:
        why = UNDECIDABLE.get(m.module, "the tracer does not model it")
        raise Unsupported(f"-m {m.module} ({why})")
    return fn


def evaluate(
    matches: tuple[Match, ...], p: Packet, ctx: Context
) -> list[tuple[Fraction, bool, Memory]]:
    """Every outcome of one rule's matches: (probability, matched, memory after).

    Matches run in order and stop at the first that fails, as in the kernel, so a match
    with state (``recent``, ``statistic --mode nth``) changes the memory only when reached.
    A ``--mode random`` match splits the outcome: later matches run on the taken part only.
    """
    # Fast path, the common case: every match decides (0 or 1) on ctx.memory itself.
    for i, m in enumerate(matches):
        ctx.index = i
        q = _fn(m)(m, p, ctx)
        if q == 0:
            return [(ONE, False, ctx.memory)]
        if q != 1:  # a random split (no state written): go on per part from here
            return _split(matches, i, Fraction(q), p, ctx)
    return [(ONE, True, ctx.memory)]


def _split(
    matches: tuple[Match, ...], at: int, q: Fraction, p: Packet, ctx: Context
) -> list[tuple[Fraction, bool, Memory]]:
    """The outcomes once match ``at`` split with probability ``q``: each taken part runs
    the later matches on its own copy of the memory."""
    outcomes: list[tuple[Fraction, bool, Memory]] = [(1 - q, False, ctx.memory.copy())]
    live: list[tuple[Fraction, Memory]] = [(q, ctx.memory)]
    for i in range(at + 1, len(matches)):
        m = matches[i]
        fn = _fn(m)
        nxt: list[tuple[Fraction, Memory]] = []
        for prob, mem in live:
            sub = replace(ctx, memory=mem, index=i)
            r = Fraction(fn(m, p, sub))
            if r < 1:
                outcomes.append((prob * (1 - r), False, mem.copy() if r > 0 else mem))
            if r > 0:
                nxt.append((prob * r, mem))
        live = nxt
    outcomes += [(prob, True, mem) for prob, mem in live]
    return [o for o in outcomes if o[0] > 0]
