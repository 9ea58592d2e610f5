"""The order in which the kernel runs the tables at each netfilter hook.

Priorities from ``include/uapi/linux/netfilter_ipv4.h`` (``enum nf_ip_hook_priorities``):
raw -300, conntrack -200, mangle -150, nat (DNAT) -100, filter 0, security 50, nat (SNAT)
100, conntrack confirm INT_MAX. iptables-nft registers its base chains at the same
priorities, so both backends traverse in this order.

:func:`walk` is the path itself, shared by the iptables and the nftables tracer: the routing
decisions between the hooks, and the fate of a packet that leaves the last hook alive.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from infranotes.netfilter.packet import Node, Packet

HOOKS = ("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING")

PRIORITY = {
    "raw": -300,
    "conntrack": -200,
    "mangle": -150,
    "nat-dst": -100,
    "filter": 0,
    "security": 50,
    "nat-src": 100,
    "confirm": 2**31 - 1,
}

# (stage, priority) per hook; a stage is a table name or a conntrack step.
HOOK_ORDER: dict[str, tuple[tuple[str, int], ...]] = {
    "PREROUTING": (("raw", -300), ("conntrack", -200), ("mangle", -150), ("nat", -100)),
    "INPUT": (
        ("mangle", -150),
        ("filter", 0),
        ("security", 50),
        ("nat", 100),
        ("confirm", PRIORITY["confirm"]),
    ),
    "FORWARD": (("mangle", -150), ("filter", 0), ("security", 50)),
    "OUTPUT": (
        ("raw", -300),
        ("conntrack", -200),
        ("mangle", -150),
        ("nat", -100),
        ("filter", 0),
        ("security", 50),
    ),
    "POSTROUTING": (("mangle", -150), ("nat", 100), ("confirm", PRIORITY["confirm"])),
}

# The three paths a packet can take through the hooks.
PATHS = {
    "to this host": ("PREROUTING", "INPUT"),
    "forwarded": ("PREROUTING", "FORWARD", "POSTROUTING"),
    "from this host": ("OUTPUT", "POSTROUTING"),
}


def tables_at(hook: str) -> tuple[str, ...]:
    """The iptables tables at ``hook``, in the kernel's order."""
    return tuple(s for s, _ in HOOK_ORDER[hook] if s not in ("conntrack", "confirm"))


class WalkState(Protocol):
    """What :func:`walk` reads and writes of a tracer's state (one per branch)."""

    packet: Packet
    orig: Packet
    events: list[str]
    fate: str | None


S = TypeVar("S", bound=WalkState)


def walk(
    st: S,
    node: Node,
    run_hook: Callable[[list[S], str], list[S]],
    route: Callable[[S], None],
    spell: Callable[[str], str],
    forward_ended_first: bool,
) -> list[S]:
    """Every state ``st`` ends in, along the path its packet takes (``PATHS``).

    ``run_hook`` runs a hook's chains over the states (a fate ends one); ``route`` sets the
    output interface or the fate "no route to …". A locally generated packet is routed
    before OUTPUT and re-routed when NAT there changed its destination; any other one is
    routed after PREROUTING: to INPUT when its (possibly DNAT-ed) destination is local,
    else to FORWARD and POSTROUTING. ``spell`` writes a hook's name as the tracer does
    (``str`` for iptables' PREROUTING, ``str.lower`` for nft's prerouting); the branches
    that end in FORWARD come before those that leave POSTROUTING with
    ``forward_ended_first``, after them without.
    """
    finished: list[S] = []
    if st.packet.local:
        route(st)
        states = run_hook([st] if st.fate is None else [], spell("OUTPUT"))
        finished += [st] if st.fate is not None else []
        for s in states:
            if s.fate is None and s.packet.dst != s.orig.dst:
                before = s.packet.oif
                route(s)
                if s.fate is None and s.packet.oif != before:
                    s.events.append(f"re-routed after DNAT: out via {s.packet.oif}")
        ended = [s for s in states if s.fate is not None]
        post = run_hook([s for s in states if s.fate is None], spell("POSTROUTING"))
        for s in post:
            if s.fate is None:
                s.fate = f"sent out via {s.packet.oif}"
        return finished + post + ended
    for s in run_hook([st], spell("PREROUTING")):
        if s.fate is not None:
            finished.append(s)
            continue
        if node.is_local(s.packet.dst):
            s.events.append(f"routing: {s.packet.dst} is local, to {spell('INPUT')}")
            for s2 in run_hook([s], spell("INPUT")):
                if s2.fate is None:
                    s2.fate = "delivered to a local process"
                finished.append(s2)
            continue
        if not node.forwarding:
            s.fate = "dropped: forwarding is off (net.ipv4.ip_forward=0)"
            finished.append(s)
            continue
        route(s)
        if s.fate is not None:
            finished.append(s)
            continue
        s.events.append(f"routing: forward {s.packet.dst} via {s.packet.oif}")
        fwd = run_hook([s], spell("FORWARD"))
        ended = [x for x in fwd if x.fate is not None]
        post = run_hook([x for x in fwd if x.fate is None], spell("POSTROUTING"))
        for s2 in post:
            if s2.fate is None:
                s2.fate = f"forwarded via {s2.packet.oif}"
        finished += ended + post if forward_ended_first else post + ended
    return finished
