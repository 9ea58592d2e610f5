"""Writing libnftables JSON: small constructors for tables, chains, sets, rules, expressions.

What they build is exactly what ``nft -j list ruleset`` prints for the same rules, so a
generated document is both the model's input and ``nft -j -f`` input for a real kernel.
"""

from __future__ import annotations

import json
from typing import Any

Json = dict[str, Any]


def table(family: str, name: str, comment: str | None = None) -> Json:
    body: Json = {"family": family, "name": name}
    if comment:
        body["comment"] = comment
    return {"table": body}


def chain(
    family: str,
    tbl: str,
    name: str,
    hook: str | None = None,
    prio: int = 0,
    type: str = "filter",
    policy: str = "accept",
    comment: str | None = None,
) -> Json:
    body: Json = {"family": family, "table": tbl, "name": name}
    if hook:
        body.update(type=type, hook=hook, prio=prio, policy=policy)
    if comment:
        body["comment"] = comment
    return {"chain": body}


def set_(
    family: str,
    tbl: str,
    name: str,
    types: str | list[str],
    elements: list[Any] | None = None,
    data: str | None = None,
    flags: list[str] | None = None,
    comment: str | None = None,
) -> Json:
    body: Json = {"family": family, "name": name, "table": tbl, "type": types}
    if data:
        body["map"] = data
    if flags:
        body["flags"] = flags
    if comment:
        body["comment"] = comment
    if elements:
        body["elem"] = elements
    return {"map" if data else "set": body}


def rule(family: str, tbl: str, chn: str, *stmts: Json, comment: str | None = None) -> Json:
    body: Json = {"family": family, "table": tbl, "chain": chn, "expr": list(stmts)}
    if comment:
        body["comment"] = comment
    return {"rule": body}


# ---- expressions
def payload(protocol: str, field: str) -> Json:
    return {"payload": {"protocol": protocol, "field": field}}


def meta(key: str) -> Json:
    return {"meta": {"key": key}}


def ct(key: str) -> Json:
    return {"ct": {"key": key}}


def fib(flag: str, result: str = "type") -> Json:
    return {"fib": {"result": result, "flags": [flag]}}


def concat(*parts: Any) -> Json:
    return {"concat": list(parts)}


def prefix(cidr: str) -> Json:
    addr, _, length = cidr.partition("/")
    return {"prefix": {"addr": addr, "len": int(length)}}


def anon(*elements: Any) -> Json:
    return {"set": list(elements)}


def numgen(mod: int) -> Json:
    return {"numgen": {"mode": "random", "mod": mod, "offset": 0}}


def jhash(expr: Json, mod: int, seed: int) -> Json:
    return {"jhash": {"mod": mod, "seed": seed, "offset": 0, "expr": expr}}


# ---- statements
def match(left: Json, right: Any, op: str = "==") -> Json:
    return {"match": {"op": op, "left": left, "right": right}}


def verdict(name: str, target: str | None = None) -> Json:
    return {name: {"target": target}} if target else {name: None}


def vmap(key: Json, data: Any) -> Json:
    return {"vmap": {"key": key, "data": data}}


def mark_set(value: Json | int) -> Json:
    return {"mangle": {"key": meta("mark"), "value": value}}


def counter() -> Json:
    return {"counter": {"packets": 0, "bytes": 0}}


def dnat(addr: str, port: int | None = None) -> Json:
    return {"dnat": {"addr": addr, **({"port": port} if port is not None else {})}}


def snat(addr: str) -> Json:
    return {"snat": {"addr": addr}}


def masquerade(fully_random: bool = False) -> Json:
    return {"masquerade": {"flags": "fully-random"} if fully_random else None}


def redirect(port: int) -> Json:
    return {"redirect": {"port": port}}


def reject() -> Json:
    return {"reject": None}


def document(items: list[Json]) -> str:
    """The JSON text (one object per line inside the array, to keep diffs readable)."""
    lines = ",\n".join(json.dumps(i, separators=(",", ":")) for i in items)
    return '{"nftables": [\n' + lines + "\n]}\n"
