"""Evaluating nftables expressions (libnftables JSON) against one packet.

Each left-hand expression yields a value of a *kind* (address, protocol, integer, interface
name, conntrack state…); right-hand literals, anonymous sets and named sets are normalised
by that kind, so ``"tcp"`` and ``6`` compare equal for ``meta l4proto`` and
``"10.0.0.0/8"`` becomes an interval for ``ip saddr``. Sets are indexed once per (set, kinds):
exact keys in a dict, intervals scanned.

``numgen random`` is a draw the tracer cannot predict: evaluating it asks the context for a
choice, and when none is fixed yet raises :class:`Fork`, so the tracer re-runs the rule once
per value with probability 1/mod each. ``jhash`` is computed exactly as the kernel does
(``include/linux/jhash.h``, ``net/netfilter/nft_hash.c``).

Anything else raises :class:`Unsupported` naming the expression, and the tracer turns that
into an explicit verdict instead of guessing.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from infranotes.netfilter.packet import Node, Packet

PROTOCOLS = {
    "icmp": 1,
    "igmp": 2,
    "tcp": 6,
    "udp": 17,
    "gre": 47,
    "esp": 50,
    "ah": 51,
    "ipv6-icmp": 58,
    "sctp": 132,
    "udplite": 136,
}
ICMP_TYPES = {  # nft's icmp_type names (src/proto.c icmp_type_tbl)
    "echo-reply": 0,
    "destination-unreachable": 3,
    "source-quench": 4,
    "redirect": 5,
    "echo-request": 8,
    "router-advertisement": 9,
    "router-solicitation": 10,
    "time-exceeded": 11,
    "parameter-problem": 12,
    "timestamp-request": 13,
    "timestamp-reply": 14,
}


class Unsupported(Exception):
    """An expression the tracer cannot evaluate; ``str()`` names it."""


class Opaque:
    """A value the packet description does not determine (``th dport`` of an ICMP packet)."""

    def __init__(self, what: str) -> None:
        self.what = what


class Fork(Exception):
    """A random draw (``numgen random``) decides: re-run the rule once per outcome."""

    def __init__(self, key: int, mod: int) -> None:
        super().__init__(key, mod)
        self.key = key
        self.mod = mod


@dataclass
class Ctx:
    """What an expression may read: the packet, the node, the hook, the sets, fixed draws."""

    packet: Packet
    node: Node
    hook: str
    dnat: bool
    snat: bool
    sets: Callable[[str], Any]  # "@name" → NamedSet of the rule's table (or None)
    cache: dict[Any, Any]  # set indexes, kept by the tracer for the ruleset's lifetime
    choices: dict[int, int] = field(default_factory=dict)
    next_draw: int = 0


# ---------------------------------------------------------------------------- values


def _ip(text: str) -> int:
    try:
        return int(ipaddress.IPv4Address(text))
    except ValueError:
        raise Unsupported(f"address {text!r} (IPv4 only)") from None


def _proto(value: Any) -> int:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value in PROTOCOLS:
        return PROTOCOLS[value]
    raise Unsupported(f"protocol {value!r}")


def _int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value, 0)
        except ValueError:
            pass
    raise Unsupported(f"value {value!r} where a number was expected")


def literal(kind: str, value: Any) -> tuple[Any, Any]:
    """A right-hand literal as an interval ``(lo, hi)`` of the left side's ``kind``."""
    if isinstance(value, dict):
        if "prefix" in value and kind == "addr":
            p = value["prefix"]
            net = ipaddress.IPv4Network(f"{p['addr']}/{p['len']}", strict=False)
            return int(net.network_address), int(net.broadcast_address)
        if "range" in value:
            lo, hi = value["range"]
            return literal(kind, lo)[0], literal(kind, hi)[1]
        if "elem" in value:  # an element with a comment, timeout or counter
            return literal(kind, value["elem"]["val"])
        raise Unsupported(f"{next(iter(value), '{}')} as a value of {kind}")
    if kind == "addr":
        if isinstance(value, str) and "/" in value:
            net = ipaddress.IPv4Network(value, strict=False)
            return int(net.network_address), int(net.broadcast_address)
        v = _ip(value)
    elif kind == "proto":
        v = _proto(value)
    elif kind == "icmptype":
        v = ICMP_TYPES[value] if isinstance(value, str) and value in ICMP_TYPES else _int(value)
    elif kind in ("str", "ctstate", "ctstatus", "fibtype", "nfproto"):
        if not isinstance(value, str):
            raise Unsupported(f"{value!r} as a value of {kind}")
        if kind == "str" and value.endswith("*"):
            return (value[:-1], "*")  # an interface-name wildcard: a prefix
        v = value
    else:
        v = _int(value)
    return v, v


def _hit(v: Any, lohi: tuple[Any, Any]) -> bool:
    lo, hi = lohi
    if hi == "*":
        return isinstance(v, str) and v.startswith(lo)
    if lo == hi:
        return bool(v == lo)
    return bool(lo <= v <= hi)


@dataclass
class SetIndex:
    """A set or map's elements for one tuple of kinds: exact keys hashed, intervals scanned."""

    exact: dict[tuple[Any, ...], Any]
    ranges: list[tuple[tuple[tuple[Any, Any], ...], Any]]

    def lookup(self, key: tuple[Any, ...]) -> tuple[bool, Any]:
        opaque = [v for v in key if isinstance(v, Opaque)]
        if opaque:
            # decided only if no element matches the parts the model knows
            known = [i for i, v in enumerate(key) if not isinstance(v, Opaque)]
            entries = [(tuple((k, k) for k in e), d) for e, d in self.exact.items()]
            for parts, _ in entries + self.ranges:
                if all(_hit(key[i], parts[i]) for i in known):
                    raise Unsupported(opaque[0].what)
            return False, None
        if key in self.exact:
            return True, self.exact[key]
        for parts, data in self.ranges:
            if all(_hit(v, lh) for v, lh in zip(key, parts, strict=True)):
                return True, data
        return False, None


def build_index(kinds: tuple[str, ...], elements: list[Any], is_map: bool) -> SetIndex:
    exact: dict[tuple[Any, ...], Any] = {}
    ranges: list[tuple[tuple[tuple[Any, Any], ...], Any]] = []
    for el in elements:
        data: Any = True
        if is_map:
            if not (isinstance(el, list) and len(el) == 2):
                raise Unsupported(f"map element {str(el)[:40]}")
            el, data = el
        if isinstance(el, dict) and "elem" in el:
            el = el["elem"]["val"]
        vals = el["concat"] if isinstance(el, dict) and "concat" in el else [el]
        if len(vals) != len(kinds):
            raise Unsupported(f"element {str(el)[:40]} of {len(vals)} parts for {len(kinds)}")
        parts = tuple(literal(k, v) for k, v in zip(kinds, vals, strict=True))
        if all(lo == hi for lo, hi in parts):
            exact.setdefault(tuple(lo for lo, _ in parts), data)
        else:
            ranges.append((parts, data))
    return SetIndex(exact, ranges)


# ---------------------------------------------------------------------------- jhash


def _rol(x: int, k: int) -> int:
    return ((x << k) | (x >> (32 - k))) & 0xFFFFFFFF


def jhash(data: bytes, initval: int) -> int:
    """Bob Jenkins' lookup3 as the kernel has it (``include/linux/jhash.h`` ``jhash()``)."""
    m = 0xFFFFFFFF
    length = len(data)
    a = b = c = (0xDEADBEEF + length + initval) & m
    k = data
    while length > 12:
        a = (a + int.from_bytes(k[0:4], "little")) & m
        b = (b + int.from_bytes(k[4:8], "little")) & m
        c = (c + int.from_bytes(k[8:12], "little")) & m
        a = (a - c) & m ^ _rol(c, 4)
        c = (c + b) & m
        b = (b - a) & m ^ _rol(a, 6)
        a = (a + c) & m
        c = (c - b) & m ^ _rol(b, 8)
        b = (b + a) & m
        a = (a - c) & m ^ _rol(c, 16)
        c = (c + b) & m
        b = (b - a) & m ^ _rol(a, 19)
        a = (a + c) & m
        c = (c - b) & m ^ _rol(b, 4)
        b = (b + a) & m
        length -= 12
        k = k[12:]
    if length == 0:
        return c
    tail = k[:length] + bytes(12 - length)
    a = (a + int.from_bytes(tail[0:4], "little")) & m
    b = (b + int.from_bytes(tail[4:8], "little")) & m
    c = (c + int.from_bytes(tail[8:12], "little")) & m
    c = (c ^ b) - _rol(b, 14) & m
    a = (a ^ c) - _rol(c, 11) & m
    b = (b ^ a) - _rol(a, 25) & m
    c = (c ^ b) - _rol(b, 16) & m
    a = (a ^ c) - _rol(c, 4) & m
    b = (b ^ a) - _rol(a, 14) & m
    c = (c ^ b) - _rol(b, 24) & m
    return c


def _register_bytes(kind: str, value: Any, width: int) -> bytes:
    """A value as the kernel holds it in a register: network order, padded to 32 bits."""
    if kind == "addr" or (kind == "int" and width == 4):
        raw = int(value).to_bytes(4, "big")
    elif kind in ("int", "proto"):
        raw = int(value).to_bytes(width, "big")
    else:
        raise Unsupported(f"jhash over a {kind}")
    return raw + bytes(-len(raw) % 4)


# ---------------------------------------------------------------------------- expressions

_WIDTH = {"saddr": 4, "daddr": 4, "sport": 2, "dport": 2, "protocol": 1, "type": 1}


def evaluate(e: Any, ctx: Ctx) -> tuple[str, Any]:
    """A left-hand expression as ``(kind, value)``; ``value`` None means "not present"."""
    if not isinstance(e, dict) or len(e) != 1:
        raise Unsupported(f"expression {str(e)[:40]}")
    ((name, body),) = e.items()
    p = ctx.packet
    if name == "payload":
        proto, fld = body.get("protocol"), body.get("field")
        if proto == "ip":
            if fld == "saddr":
                return "addr", _ip(p.src)
            if fld == "daddr":
                return "addr", _ip(p.dst)
            if fld == "protocol":
                return "proto", PROTOCOLS[p.proto]
        if proto in ("tcp", "udp") and fld in ("sport", "dport"):
            # the implicit dependency: tcp dport only exists on a TCP packet
            return "int", (getattr(p, fld) if p.proto == proto else None)
        if proto == "th" and fld in ("sport", "dport"):
            if p.proto not in ("tcp", "udp"):
                # bytes of the ICMP header the packet description does not give
                return "int", Opaque(f"th {fld} of an {p.proto} packet")
            return "int", getattr(p, fld)
        if proto == "icmp" and fld == "type":
            return "icmptype", (p.icmp_type if p.proto == "icmp" else None)
        if proto in ("ip6", "icmpv6"):
            # the implicit dependency (meta nfproto ipv6) fails for an IPv4 packet
            return "int", None
        raise Unsupported(f"payload {proto} {fld}")
    if name == "meta":
        key = body.get("key")
        if key in ("l4proto",):
            return "proto", PROTOCOLS[p.proto]
        if key == "mark":
            return "int", p.mark
        # no device is the empty name (net/netfilter/nft_meta.c nft_meta_store_ifname)
        if key in ("iifname", "iif"):  # nft writes iif by the interface's name too
            return "str", "" if p.local else (p.iif or "")
        if key in ("oifname", "oif"):
            return "str", "" if ctx.hook in ("prerouting", "input") else (p.oif or "")
        if key == "nfproto":
            return "nfproto", "ipv4"
        if key == "protocol":
            return "int", 0x0800
        raise Unsupported(f"meta {key}")
    if name == "ct":
        key = body.get("key")
        if "dir" in body or "family" in body:
            raise Unsupported(f"ct {body.get('dir', '')} {key}".replace("  ", " "))
        if key == "state":
            return "ctstate", p.ctstate.lower()
        if key == "status":
            return "ctstatus", _ct_status(ctx)
        if key == "mark":
            return "int", p.ctmark
        if key == "direction":
            return "str", "original"  # the tracer follows a connection's packets, not replies
        raise Unsupported(f"ct {key}")
    if name == "fib":
        flags = body.get("flags", [])
        flags = [flags] if isinstance(flags, str) else list(flags)
        if body.get("result") != "type" or not set(flags) <= {"saddr", "daddr", "iif"}:
            raise Unsupported(f"fib {' '.join(flags)} {body.get('result')}")
        if "daddr" in flags:
            addr = p.dst
        elif "saddr" in flags:
            addr = p.src
        else:
            raise Unsupported("fib without saddr or daddr")
        if ctx.node.is_local(addr):
            return "fibtype", "local"
        return "fibtype", "unicast" if ctx.node.route(addr) else "unreachable"
    if name == "numgen":
        if body.get("mode") != "random":
            raise Unsupported(f"numgen {body.get('mode')}")
        mod = _int(body.get("mod"))
        if mod <= 0:
            raise Unsupported("numgen with mod 0")
        key = ctx.next_draw
        ctx.next_draw += 1
        if key not in ctx.choices:
            raise Fork(key, mod)
        return "int", ctx.choices[key] + _int(body.get("offset", 0))
    if name == "jhash":
        mod = _int(body.get("mod"))
        if "seed" not in body or mod <= 0:
            raise Unsupported("jhash without a seed (the kernel picks a random one)")
        inner = body.get("expr")
        parts = inner["concat"] if isinstance(inner, dict) and "concat" in inner else [inner]
        data = b""
        for part in parts:
            kind, v = evaluate(part, ctx)
            if v is None:
                raise Unsupported("jhash over a field the packet does not have")
            if isinstance(v, Opaque):
                raise Unsupported(v.what)
            fld = part.get("payload", {}).get("field") if isinstance(part, dict) else None
            data += _register_bytes(kind, v, _WIDTH.get(str(fld), 4))
        h = jhash(data, _int(body["seed"]))
        return "int", ((h * mod) >> 32) + _int(body.get("offset", 0))  # reciprocal_scale
    if name == "concat":
        kinds, vals = [], []
        for part in body:
            k, v = evaluate(part, ctx)
            kinds.append(k)
            vals.append(v)
        return "concat:" + ",".join(kinds), tuple(vals)
    if name in ("&", "|", "^", "<<", ">>"):
        left, right = body
        kind, v = evaluate(left, ctx)
        r = _int(right) if not isinstance(right, dict) else _int(evaluate(right, ctx)[1])
        if v is None or isinstance(v, Opaque):
            return "int", v
        v = int(v)
        out = {
            "&": v & r,
            "|": v | r,
            "^": v ^ r,
            "<<": (v << r) & 0xFFFFFFFF,
            ">>": v >> r,
        }[name]
        return ("int" if kind == "proto" else kind), out
    if name == "map":
        found, data = lookup(body.get("key"), body.get("data"), ctx, is_map=True)
        if not found:
            return "int", None
        return "data", data
    raise Unsupported(name)


def _ct_status(ctx: Ctx) -> frozenset[str]:
    status = set()
    if ctx.dnat:
        status.add("dnat")
    if ctx.snat:
        status.add("snat")
    if ctx.packet.ctstate in ("ESTABLISHED", "RELATED"):
        status |= {"confirmed", "seen-reply"}
    return frozenset(status)


def _set_index(data: Any, kinds: tuple[str, ...], ctx: Ctx, is_map: bool) -> SetIndex:
    """The index of an anonymous ``{"set": […]}`` or a named ``"@name"`` for these kinds."""
    if isinstance(data, str) and data.startswith("@"):
        named = ctx.sets(data[1:])
        if named is None:
            raise Unsupported(f"set {data} (not defined)")
        key: Any = ("@", named.table, named.name, kinds)
        if key not in ctx.cache:
            ctx.cache[key] = (named, build_index(kinds, named.elements, named.map is not None))
        return ctx.cache[key][1]  # type: ignore[no-any-return]
    if isinstance(data, dict) and "set" in data:
        key = (id(data), kinds)
        if key not in ctx.cache:
            elems = data["set"]
            elems = elems if isinstance(elems, list) else [elems]
            # the entry holds the dict itself, so its id cannot be reused while cached
            ctx.cache[key] = (data, build_index(kinds, elems, is_map))
        return ctx.cache[key][1]  # type: ignore[no-any-return]
    raise Unsupported(f"set {str(data)[:40]}")


def _kinds(kind: str) -> tuple[str, ...]:
    return tuple(kind[len("concat:") :].split(",")) if kind.startswith("concat:") else (kind,)


def lookup(key_expr: Any, data: Any, ctx: Ctx, is_map: bool) -> tuple[bool, Any]:
    """Look the packet's key up in a set or map; (found, data)."""
    kind, value = evaluate(key_expr, ctx)
    kinds = _kinds(kind)
    values = value if kind.startswith("concat:") else (value,)
    if any(v is None for v in values):
        return False, None
    return _set_index(data, kinds, ctx, is_map).lookup(tuple(values))


def match(body: dict[str, Any], ctx: Ctx) -> bool:
    """A ``match`` statement: ``left op right``."""
    op = body.get("op", "==")
    left, right = body.get("left"), body.get("right")
    if op == "in" or (op in ("==", "!=") and isinstance(right, list)):
        kind, v = evaluate(left, ctx)
        if v is None:
            return False
        if isinstance(v, Opaque):
            raise Unsupported(v.what)
        names = right if isinstance(right, list) else [right]
        if kind == "ctstate":
            hit = v in names
        elif kind == "ctstatus":
            hit = bool(v & set(names))
        else:
            hit = bool(int(v) & _int(right)) if op == "in" else v in names
        return hit if op != "!=" else not hit
    if (isinstance(right, dict) and "set" in right) or (
        isinstance(right, str) and right.startswith("@")
    ):
        kind, v = evaluate(left, ctx)
        if kind in ("ctstate", "ctstatus") and isinstance(right, dict):
            names = right["set"] if isinstance(right["set"], list) else [right["set"]]
            hit = v in names if kind == "ctstate" else bool(v & set(names))
        else:
            values = v if kind.startswith("concat:") else (v,)
            if any(x is None for x in values):
                return False
            hit = _set_index(right, _kinds(kind), ctx, False).lookup(tuple(values))[0]
        return hit if op == "==" else not hit if op == "!=" else _bad_op(op)
    kind, v = evaluate(left, ctx)
    if v is None:
        return False  # the implicit protocol dependency failed: no match for any operator
    if isinstance(v, Opaque) or (isinstance(v, tuple) and any(isinstance(x, Opaque) for x in v)):
        raise Unsupported(next(x for x in (v if isinstance(v, tuple) else (v,))
                               if isinstance(x, Opaque)).what)  # fmt: skip
    if kind.startswith("concat:"):
        if not (isinstance(right, dict) and "concat" in right):
            raise Unsupported("a concatenation compared with a non-concatenation")
        parts = [literal(k, r) for k, r in zip(_kinds(kind), right["concat"], strict=True)]
        hit = all(_hit(x, lh) for x, lh in zip(v, parts, strict=True))
        return hit if op == "==" else not hit
    if kind == "ctstate":
        return (v == right) if op == "==" else (v != right) if op == "!=" else _bad_op(op)
    if kind == "ctstatus":
        hit = right in v
        return hit if op == "==" else not hit
    lohi = literal(kind, right)
    if op == "==":
        return _hit(v, lohi)
    if op == "!=":
        return not _hit(v, lohi)
    lo = lohi[0]
    if op == "<":
        return bool(v < lo)
    if op == ">":
        return bool(v > lo)
    if op == "<=":
        return bool(v <= lo)
    if op == ">=":
        return bool(v >= lo)
    return _bad_op(op)


def _bad_op(op: str) -> bool:
    raise Unsupported(f"operator {op!r}")


# ---------------------------------------------------------------------------- rendering


def render(e: Any) -> str:
    """An expression or statement in ``nft`` syntax (close to ``nft list ruleset``)."""
    if isinstance(e, bool) or e is None:
        return str(e).lower()
    if isinstance(e, int | str):
        return str(e)
    if isinstance(e, list):
        return ", ".join(render(x) for x in e)
    if not isinstance(e, dict) or len(e) != 1:
        return json.dumps(e, separators=(",", ":"))[:80]
    ((name, b),) = e.items()
    if name == "match":
        op = b.get("op", "==")
        left = b.get("left")
        binop = isinstance(left, dict) and bool(set(left) & {"&", "|", "^"})
        op = "" if op == "in" or (op == "==" and not binop) else f"{op} "
        return f"{render(b.get('left'))} {op}{render(b.get('right'))}"
    if name == "payload":
        return f"{b.get('protocol')} {b.get('field')}"
    if name == "meta":
        return f"meta {b.get('key')}"
    if name == "ct":
        return f"ct {b.get('key')}"
    if name == "fib":
        flags = b.get("flags", [])
        flags = [flags] if isinstance(flags, str) else flags
        return f"fib {' . '.join(flags)} {b.get('result')}"
    if name == "numgen":
        return f"numgen {b.get('mode')} mod {b.get('mod')}"
    if name == "jhash":
        return f"jhash {render(b.get('expr'))} mod {b.get('mod')} seed {b.get('seed')}"
    if name == "concat":
        return " . ".join(render(x) for x in b)
    if name == "prefix":
        return f"{b['addr']}/{b['len']}"
    if name == "range":
        return f"{render(b[0])}-{render(b[1])}"
    if name == "set":
        items = b if isinstance(b, list) else [b]
        return "{ " + ", ".join(_elem(x) for x in items) + " }"
    if name in ("&", "|", "^", "<<", ">>"):
        return f"{render(b[0])} {name} {render(b[1])}"
    if name in ("accept", "drop", "continue", "return"):
        return name
    if name in ("jump", "goto"):
        return f"{name} {b.get('target')}"
    if name == "vmap":
        return f"{render(b.get('key'))} vmap {render(b.get('data'))}"
    if name == "map":
        return f"{render(b.get('key'))} map {render(b.get('data'))}"
    if name == "mangle":
        return f"{render(b.get('key'))} set {render(b.get('value'))}"
    if name in ("dnat", "snat"):
        to = render(b.get("addr", ""))
        if "port" in b:
            to += f":{render(b['port'])}"
        return f"{name} to {to}"
    if name == "redirect":
        return "redirect" + (f" to :{render(b['port'])}" if b and "port" in b else "")
    if name == "masquerade":
        return "masquerade" + (f" {b['flags']}" if b and "flags" in b else "")
    if name == "counter":
        return "counter"
    if name == "log":
        return "log" + (f' prefix "{b["prefix"]}"' if b and "prefix" in b else "")
    if name == "reject":
        return "reject" + (f" with {b.get('type')} {b.get('expr', '')}".rstrip() if b else "")
    if name == "elem":
        return render(b.get("val"))
    return f"{name} {json.dumps(b, separators=(',', ':'))[:60]}"


def _elem(x: Any) -> str:
    if isinstance(x, list) and len(x) == 2:
        return f"{render(x[0])} : {render(x[1])}"
    return render(x)


def _render_safe(stmt: Any) -> str:
    try:
        return render(stmt)
    except (AttributeError, TypeError, KeyError, IndexError, ValueError, StopIteration):
        return json.dumps(stmt, separators=(",", ":"), default=str)[:80]  # a malformed one


def render_rule(expr: tuple[Any, ...], comment: str | None = None) -> str:
    """A rule's statements as ``nft list ruleset`` writes them (malformed ones as JSON)."""
    text = " ".join(_render_safe(s) for s in expr)
    return text + (f' comment "{comment}"' if comment else "")
