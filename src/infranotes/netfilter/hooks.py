"""The order in which the kernel runs the tables at each netfilter hook.

Priorities from ``include/uapi/linux/netfilter_ipv4.h`` (``enum nf_ip_hook_priorities``):
raw -300, conntrack -200, mangle -150, nat (DNAT) -100, filter 0, security 50, nat (SNAT)
100, conntrack confirm INT_MAX. iptables-nft registers its base chains at the same
priorities, so both backends traverse in this order.
"""

from __future__ import annotations

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
