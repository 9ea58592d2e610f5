"""An nftables ruleset as ``nft -j list ruleset`` prints it: tables, chains, rules, sets, maps.

The input is libnftables JSON (``libnftables-json(5)``, schema version 1): one ``nftables``
array of objects, each ``{"table": …}``, ``{"chain": …}``, ``{"rule": …}``, ``{"set": …}``,
``{"map": …}`` (plus ``metainfo``, elements, counters, flowtables, which the tracer does not
need and skips). Rule expressions stay as the JSON the kernel's own tool wrote; the tracer
compiles each rule on first use (``netfilter/nft/expr.py``), so a 100,000-rule ruleset
parses in about the time ``json.loads`` takes.

The same document is valid input for ``nft -j -f`` (objects without a command are added), so
the rulesets this package generates load unchanged into a real kernel.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from infranotes.errors import ParseError

FAMILIES = ("ip", "ip6", "inet", "arp", "bridge", "netdev")
HOOKS = ("prerouting", "input", "forward", "output", "postrouting", "ingress", "egress")
MAX_DEPTH = 32  # deeper expressions than any ruleset nft writes: refused, never recursed into

# Symbolic priorities (nft(8) "CHAINS", table "Standard priority names"); ip/ip6/inet values.
PRIORITY_NAMES = {
    "raw": -300,
    "mangle": -150,
    "dstnat": -100,
    "filter": 0,
    "security": 50,
    "srcnat": 100,
}


@dataclass(frozen=True)
class Rule:
    """One rule: its handle (the id ``nft monitor trace`` prints) and its expressions."""

    table: str  # "family name", e.g. "ip kube-proxy"
    chain: str
    handle: int
    expr: tuple[Any, ...]
    comment: str | None = None
    index: int = 0  # position in its chain


@dataclass
class Chain:
    """A chain; base chains have a hook, a type (filter/nat/route) and a priority."""

    table: str
    name: str
    handle: int | None = None
    hook: str | None = None
    type: str | None = None
    priority: int = 0
    policy: str = "accept"
    rules: list[Rule] = field(default_factory=list)

    @property
    def is_base(self) -> bool:
        return self.hook is not None


@dataclass
class NamedSet:
    """A named set or map: its key type (one name, or several for a concatenation), elements."""

    table: str
    name: str
    type: tuple[str, ...]
    map: str | None = None  # the data type of a map ("verdict" for a vmap), None for a set
    flags: tuple[str, ...] = ()
    elements: list[Any] = field(default_factory=list)
    handle: int | None = None


@dataclass
class Table:
    family: str
    name: str
    chains: dict[str, Chain] = field(default_factory=dict)
    sets: dict[str, NamedSet] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.family} {self.name}"


@dataclass
class NftRuleset:
    """Every table, keyed ``"family name"`` in the order the kernel lists them."""

    tables: dict[str, Table] = field(default_factory=dict)
    source: str = "<ruleset>"

    def chain(self, table: str, name: str) -> Chain | None:
        t = self.tables.get(table)
        return t.chains.get(name) if t else None

    def set(self, table: str, name: str) -> NamedSet | None:
        t = self.tables.get(table)
        return t.sets.get(name) if t else None

    def base_chains(self, hook: str, families: tuple[str, ...]) -> list[Chain]:
        """Base chains at ``hook`` in the given families, in the kernel's order.

        Lower priority first; equal priorities run in registration order (the new hook goes
        after existing ones of the same priority: ``net/netfilter/core.c``
        ``nf_hook_entries_grow``), which is the listing order.
        """
        out = [
            c
            for t in self.tables.values()
            if t.family in families
            for c in t.chains.values()
            if c.hook == hook
        ]
        return sorted(out, key=lambda c: c.priority)

    def rule_count(self) -> int:
        return sum(len(c.rules) for t in self.tables.values() for c in t.chains.values())


def _need(obj: dict[str, Any], key: str, kind: type, what: str, source: str) -> Any:
    value = obj.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise ParseError(
            f"{what} has no valid {key!r}",
            source=source,
            expected=f"{key!r} as {kind.__name__} (libnftables-json(5))",
        )
    return value


def _priority(value: Any, source: str, chain: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        name, _, offset = value.replace(" ", "").partition("+")
        sign = 1
        if not offset and "-" in name[1:]:
            name, _, offset = name.partition("-")
            sign = -1
        if name in PRIORITY_NAMES:
            try:
                return PRIORITY_NAMES[name] + sign * int(offset or 0)
            except ValueError:
                pass
    raise ParseError(
        f"chain {chain}: priority {value!r}",
        source=source,
        expected="an integer or raw/mangle/dstnat/filter/security/srcnat[+-N]",
    )


def check_depth(expr: Any, source: str, where: str) -> None:
    """Refuse expressions nested deeper than MAX_DEPTH (iteratively: no recursion to exhaust).

    Set elements are checked when parsed; a rule's expressions when the tracer first runs the
    rule (checking all 100,000 rules of a large ruleset up front would double the parse time).
    """
    stack: list[tuple[Any, int]] = [(expr, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ParseError(
                f"{where}: expression nested deeper than {MAX_DEPTH}",
                source=source,
                expected="an nft expression as libnftables writes it",
            )
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list | tuple):
            stack.extend((v, depth + 1) for v in node if isinstance(v, dict | list))


def parse_nft_json(text: str | bytes, source: str = "<ruleset>") -> NftRuleset:
    """``nft -j list ruleset`` output (or a document ``nft -j -f`` accepts) as a ruleset.

    Raises :class:`ParseError` naming ``source`` and what was expected.
    """
    try:
        doc = json.loads(text)
    except RecursionError:
        raise ParseError(
            "JSON nested too deeply", source=source, expected="nft -j list ruleset output"
        ) from None
    except (ValueError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        msg = getattr(exc, "msg", str(exc))
        raise ParseError(
            f"not JSON: {msg}", source=source, line=line, expected="nft -j list ruleset output"
        ) from None
    items = doc.get("nftables") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise ParseError(
            "no top-level 'nftables' array",
            source=source,
            expected='{"nftables": [...]} as printed by nft -j list ruleset',
        )
    rs = NftRuleset(source=source)
    pending_rules: list[tuple[int, dict[str, Any]]] = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or len(item) != 1:
            raise ParseError(
                f"item {n} is not an object with one key", source=source, expected="{kind: {...}}"
            )
        ((kind, body),) = item.items()
        if kind in ("add", "create", "insert") and isinstance(body, dict) and len(body) == 1:
            ((kind, body),) = body.items()  # a command document: add the object
        if not isinstance(body, dict):
            if kind == "metainfo":
                continue
            raise ParseError(f"item {n} ({kind}) is not an object", source=source)
        if kind == "table":
            fam = _family(body, source, f"item {n}")
            name = _need(body, "name", str, f"item {n} (table)", source)
            rs.tables.setdefault(f"{fam} {name}", Table(fam, name))
        elif kind == "chain":
            _chain(rs, body, source, n)
        elif kind in ("set", "map"):
            _set(rs, body, source, n, kind)
        elif kind == "rule":
            pending_rules.append((n, body))
        # metainfo, element, counter, quota, limit, flowtable, ct helper…: not traced
    counters: dict[str, int] = {}
    for n, body in pending_rules:
        _rule(rs, body, source, n, counters)
    return rs


def _family(body: dict[str, Any], source: str, where: str) -> str:
    fam = body.get("family")
    if fam not in FAMILIES:
        raise ParseError(f"{where}: family {fam!r}", source=source, expected=" / ".join(FAMILIES))
    return str(fam)


def _table(rs: NftRuleset, body: dict[str, Any], source: str, where: str) -> Table:
    fam = _family(body, source, where)
    name = _need(body, "table", str, where, source)
    return rs.tables.setdefault(f"{fam} {name}", Table(fam, name))


def _chain(rs: NftRuleset, body: dict[str, Any], source: str, n: int) -> None:
    where = f"item {n} (chain)"
    t = _table(rs, body, source, where)
    name = _need(body, "name", str, where, source)
    ch = t.chains.setdefault(name, Chain(t.key, name))
    handle = body.get("handle")
    ch.handle = handle if isinstance(handle, int) else ch.handle
    if "hook" in body:
        hook = body["hook"]
        if hook not in HOOKS:
            raise ParseError(
                f"chain {name}: hook {hook!r}", source=source, expected=" / ".join(HOOKS)
            )
        ch.hook = hook
        ch.type = str(body.get("type", "filter"))
        ch.priority = _priority(body.get("prio", 0), source, name)
        policy = body.get("policy", "accept")
        if policy not in ("accept", "drop"):
            raise ParseError(
                f"chain {name}: policy {policy!r}", source=source, expected="accept or drop"
            )
        ch.policy = policy


def _set(rs: NftRuleset, body: dict[str, Any], source: str, n: int, kind: str) -> None:
    where = f"item {n} ({kind})"
    t = _table(rs, body, source, where)
    name = _need(body, "name", str, where, source)
    typ = body.get("type")
    if isinstance(typ, str):
        types: tuple[str, ...] = (typ,)
    elif isinstance(typ, list) and typ and all(isinstance(x, str) for x in typ):
        types = tuple(typ)
    else:
        raise ParseError(
            f"{kind} {name}: type {typ!r}",
            source=source,
            expected="a type name or a list of them (a concatenation)",
        )
    elems = body.get("elem", [])
    if not isinstance(elems, list):
        raise ParseError(f"{kind} {name}: 'elem' is not a list", source=source)
    check_depth(elems, source, f"{kind} {name}")
    data = body.get("map")
    if kind == "map" and not isinstance(data, str):
        raise ParseError(f"map {name} has no data type", source=source, expected='"map": TYPE')
    flags = body.get("flags", [])
    t.sets[name] = NamedSet(
        t.key,
        name,
        types,
        data if kind == "map" else None,
        tuple(flags) if isinstance(flags, list) else (str(flags),),
        elems,
        body.get("handle") if isinstance(body.get("handle"), int) else None,
    )


def _rule(rs: NftRuleset, body: dict[str, Any], source: str, n: int, counters: dict) -> None:
    where = f"item {n} (rule)"
    t = _table(rs, body, source, where)
    chain = _need(body, "chain", str, where, source)
    ch = t.chains.get(chain)
    if ch is None:
        raise ParseError(
            f"{where}: chain {chain!r} not defined in table {t.key}",
            source=source,
            expected="a chain object before its rules",
        )
    expr = _need(body, "expr", list, where, source)
    for e in expr:
        if not isinstance(e, dict) or len(e) != 1:
            raise ParseError(
                f"{where} in chain {chain}: statement {str(e)[:60]!r}",
                source=source,
                expected="one-key statement objects",
            )
    handle = body.get("handle")
    if not isinstance(handle, int) or isinstance(handle, bool):
        # a generated document has no handles yet: number rules per table in document order
        handle = counters.get(t.key, 0) + 1
    counters[t.key] = max(counters.get(t.key, 0), handle)
    comment = body.get("comment")
    ch.rules.append(
        Rule(
            t.key,
            chain,
            handle,
            tuple(expr),
            comment if isinstance(comment, str) else None,
            len(ch.rules),
        )
    )
