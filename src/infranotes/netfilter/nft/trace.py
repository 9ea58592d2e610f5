"""Walking one IPv4 packet through an nftables ruleset, the way ``nft_do_chain`` does.

At each hook the base chains of the ``ip`` and ``inet`` tables run in priority order (equal
priorities in listing order). ``accept`` ends one base chain and the packet goes on to the
next; ``drop`` (and ``reject``) ends it for good. ``jump`` pushes a return point, ``goto``
does not, so falling off a chain entered by ``goto`` returns to whoever jumped to the chain
that went there (``net/netfilter/nf_tables_core.c``). A rule whose statements all run without
a verdict shows up as CONTINUE, as in ``nft monitor trace``.

NAT chains do not run at their own priority: the NAT core registers one hook per direction at
a fixed priority (DNAT -100 at prerouting and output, SNAT 100 at postrouting and input) and
runs the nat chains from there, in their priority order, until one sets up a mapping
(``net/netfilter/nf_nat_core.c`` ``nf_nat_inet_fn``); and only for a connection's first packet.

``numgen random`` forks the walk: each outcome is a branch with an exact probability
(``fractions.Fraction``). Branches that end the same way are merged. An expression the model
does not know ends its branch with a verdict that names it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from infranotes.errors import ParseError
from infranotes.netfilter.hooks import walk
from infranotes.netfilter.nft.expr import Ctx, Fork, Unsupported, evaluate, lookup, match
from infranotes.netfilter.nft.expr import render_rule as _render
from infranotes.netfilter.nft.model import Chain, NftRuleset, Rule, check_depth
from infranotes.netfilter.packet import Node, Packet
from infranotes.netfilter.trace import Step, shared_steps

MAX_DEPTH = 16  # NFT_JUMP_STACK_SIZE (include/net/netfilter/nf_tables.h)
FAMILIES = ("ip", "inet")  # the tables an IPv4 packet meets at the inet hooks
NAT_PRIORITY = {"prerouting": -100, "output": -100, "postrouting": 100, "input": 100}
NAT_MANIP = {"prerouting": "dnat", "output": "dnat", "postrouting": "snat", "input": "snat"}


@dataclass
class _State:
    packet: Packet
    orig: Packet
    prob: Fraction = Fraction(1)
    steps: list[Step] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    dnat: bool = False
    snat: bool = False
    fate: str | None = None

    def fork(self, prob: Fraction) -> _State:
        return _State(
            self.packet,
            self.orig,
            self.prob * prob,
            list(self.steps),
            list(self.events),
            self.dnat,
            self.snat,
            self.fate,
        )


@dataclass(frozen=True)
class NftBranch:
    """One way the packet can go: its exact probability, fate, the packet as it leaves."""

    probability: Fraction
    fate: str
    packet: Packet
    steps: tuple[Step, ...]
    events: tuple[str, ...]

    @property
    def destination(self) -> str:
        p = self.packet
        return f"{p.dst}:{p.dport}" if p.proto in ("tcp", "udp") else p.dst

    @property
    def unsupported(self) -> bool:
        """Whether the walk stopped at an expression the model cannot evaluate."""
        return self.fate.startswith("unsupported")

    def to_json(self) -> dict[str, object]:
        return {
            "probability": str(self.probability),  # exact, as iptables trace prints it: "1/3"
            "probability_float": float(self.probability),
            "fate": self.fate,
            "destination": self.destination,
            "source": self.packet.src,
            "steps": [step_json(s) for s in self.steps],
            "events": list(self.events),
        }


def step_json(s: Step) -> dict[str, object]:
    """The iptables tracer's step keys, plus the jump target and the rule's text."""
    return {
        "hook": s.hook,
        "table": s.table,
        "chain": s.chain,
        "rule": s.rule,
        "verdict": s.verdict,
        "target": s.target,
        "text": s.text,
    }


@dataclass(frozen=True)
class NftTrace:
    packet: Packet
    branches: tuple[NftBranch, ...]

    @property
    def steps(self) -> tuple[Step, ...]:
        """The steps every branch shares."""
        return shared_steps([b.steps for b in self.branches])

    def to_json(self) -> dict[str, object]:
        return {
            "packet": self.packet.to_json(),
            "steps": [step_json(s) for s in self.steps],
            "branches": [b.to_json() for b in self.branches],
        }


_VERDICT_KEYS = ("accept", "drop", "continue", "return", "jump", "goto")
_IGNORED = ("counter", "log", "comment")


class NftTracer:
    """Traces packets through one nftables ruleset on one node."""

    def __init__(self, ruleset: NftRuleset, node: Node | None = None) -> None:
        self.rs = ruleset
        self.node = node or Node.simple()
        self.cache: dict[Any, Any] = {}
        self._slot_cache: dict[str, list[list[Chain]]] = {}
        self._checked: dict[int, Rule] = {}  # rules whose nesting depth was checked

    # ------------------------------------------------------------------ one rule
    def _eval(self, st: _State, rule: Rule, hook: str, ctx: Ctx) -> tuple[str, str | None]:
        """Run a rule's statements: (NOMATCH, CONTINUE, a verdict, JUMP or GOTO; target)."""
        for stmt in rule.expr:
            ((name, body),) = stmt.items()
            ctx.packet = st.packet
            if name == "match":
                if not match(body, ctx):
                    return "NOMATCH", None
            elif name in _VERDICT_KEYS:
                return _verdict(stmt)
            elif name == "vmap":
                found, data = lookup(body.get("key"), body.get("data"), ctx, is_map=True)
                if not found:
                    return "NOMATCH", None  # no element: the lookup breaks the rule
                return _verdict(data)
            elif name in ("limit", "quota"):
                # a fresh ruleset: the bucket is full and the quota unused, so one packet is
                # within both; "over" (inv) turns the statement into a match that fails
                if isinstance(body, dict) and body.get("inv"):
                    return "NOMATCH", None
                st.events.append(f"{name}: this one packet is within it (a fresh ruleset)")
            elif name in _IGNORED:
                pass
            elif name == "mangle":
                self._mangle(st, body, ctx)
            elif name == "reject":
                return "REJECT", None
            elif name in ("dnat", "snat", "masquerade", "redirect"):
                self._nat(st, name, body or {}, ctx, hook)
                return "ACCEPT", None
            elif name == "notrack":
                st.packet = st.packet.with_(ctstate="UNTRACKED")
                st.events.append("notrack: the packet is untracked (no NAT)")
            elif name == "set" and isinstance(body, dict) and body.get("op") in ("add", "update"):
                st.events.append(f"{body['op']} {body.get('set')}: the set learns this packet")
            else:
                raise Unsupported(name)
        return "CONTINUE", None

    def _mangle(self, st: _State, body: dict[str, Any], ctx: Ctx) -> None:
        key = body.get("key", {})
        value = body.get("value")
        if isinstance(value, dict):  # an expression: meta mark set meta mark | 0x4000
            value = evaluate(value, ctx)[1]
        if isinstance(key, dict) and key.get("meta", {}).get("key") == "nftrace":
            return
        if not isinstance(value, int):
            raise Unsupported(f"set to {value!r}")
        value &= 0xFFFFFFFF
        if isinstance(key, dict) and key.get("meta", {}).get("key") == "mark":
            st.packet = st.packet.with_(mark=value)
            st.events.append(f"meta mark set to {hex(value)}")
        elif isinstance(key, dict) and key.get("ct", {}).get("key") == "mark":
            st.packet = st.packet.with_(ctmark=value)
            st.events.append(f"ct mark set to {hex(value)}")
        else:
            raise Unsupported(f"mangle of {next(iter(key), key) if isinstance(key, dict) else key}")

    def _nat(self, st: _State, name: str, body: dict[str, Any], ctx: Ctx, hook: str) -> None:
        p = st.packet
        if name in ("dnat", "snat"):
            addr = body.get("addr")
            port = body.get("port")
            if isinstance(addr, dict):
                kind, addr = evaluate(addr, ctx)
                if kind != "data" or addr is None:
                    raise Unsupported(f"{name} to a map without this packet's key")
                if isinstance(addr, dict) and "concat" in addr:
                    addr, port = addr["concat"]
            if isinstance(port, dict):
                raise Unsupported(f"{name} to a computed port")
            if isinstance(addr, dict) and "range" in addr:
                addr = addr["range"][0]  # a range: the model reports its first address
            if not isinstance(addr, str):
                raise Unsupported(f"{name} to {addr!r}")
            if name == "dnat":
                st.packet = p.with_(dst=addr, dport=int(port) if port is not None else p.dport)
                st.dnat = True
                st.events.append(f"DNAT {p.dst}:{p.dport} -> {addr}:{st.packet.dport}")
            else:
                st.packet = p.with_(src=addr, sport=int(port) if port is not None else p.sport)
                st.snat = True
                st.events.append(f"SNAT {p.src} -> {addr}")
        elif name == "masquerade":
            src = self.node.address_of(p.oif or "")
            if src is None:
                raise Unsupported(f"masquerade: no address on {p.oif!r}")
            st.packet = p.with_(src=src)
            st.snat = True
            st.events.append(f"MASQUERADE {p.src} -> {src} (address of {p.oif})")
        else:  # redirect: to the node itself, the address of the incoming interface
            port = body.get("port", p.dport)
            addr = "127.0.0.1" if p.local else (self.node.address_of(p.iif or "") or p.dst)
            st.packet = p.with_(dst=addr, dport=int(port))
            st.dnat = True
            st.events.append(f"REDIRECT to {addr}:{port}")

    def _run_rule(
        self, st: _State, rule: Rule, hook: str, choices: dict[int, int] | None = None
    ) -> list[tuple[_State, str, str | None]]:
        """A rule for every outcome of its random draws: (state, outcome, target) each."""
        if id(rule) not in self._checked:
            check_depth(rule.expr, self.rs.source, f"rule {rule.handle} in chain {rule.chain}")
            self._checked[id(rule)] = rule
        trial = st.fork(Fraction(1))
        ctx = Ctx(
            trial.packet,
            self.node,
            hook,
            st.dnat,
            st.snat,
            lambda name: self.rs.set(rule.table, name),
            self.cache,
            dict(choices or {}),
        )
        try:
            outcome, target = self._eval(trial, rule, hook, ctx)
        except Fork as f:
            out = []
            for k in range(f.mod):
                sub = st.fork(Fraction(1, f.mod))
                out += self._run_rule(sub, rule, hook, {**(choices or {}), f.key: k})
            return out
        except (AttributeError, TypeError, KeyError, IndexError, ValueError, StopIteration) as exc:
            # a statement of the wrong shape: the input is not what libnftables writes
            raise ParseError(
                f"rule {rule.handle} in chain {rule.chain} of {rule.table}: malformed "
                f"expression ({type(exc).__name__}: {exc})",
                source=self.rs.source,
                expected="statements as libnftables-json(5) describes them",
            ) from None
        except Unsupported as exc:
            # the branch ends here, as in iptables trace: an UNDECIDED step at the rule
            trial.steps.append(self._step(hook, rule, "UNDECIDED"))
            trial.fate = (
                f"unsupported expression {exc} in chain {rule.chain} handle {rule.handle}: "
                "the trace cannot decide"
            )
            return [(trial, "UNSUPPORTED", None)]
        return [(trial, outcome, target)]

    # ------------------------------------------------------------------ chains
    def _walk(
        self, st: _State, hook: str, chain: Chain, start: int, depth: int
    ) -> list[tuple[_State, str]]:
        """Run ``chain`` from rule ``start``: (state, ACCEPT|DROP|RETURN|STOP) per branch."""
        if depth > MAX_DEPTH:
            st.fate = f"unsupported: chains nested deeper than {MAX_DEPTH} (the jump stack)"
            return [(st, "STOP")]
        rules = chain.rules
        i = start
        while i < len(rules):
            rule = rules[i]
            results = self._run_rule(st, rule, hook)
            if len(results) == 1 and results[0][1] == "NOMATCH":
                st = results[0][0]
                i += 1
                continue
            if len(results) == 1 and results[0][1] == "CONTINUE":
                st = results[0][0]
                st.steps.append(self._step(hook, rule, "CONTINUE"))
                i += 1
                continue
            out: list[tuple[_State, str]] = []
            for s, outcome, target in results:
                out += self._resolve(s, hook, chain, rule, outcome, target, depth)
            return out
        return [(st, "RETURN")]

    def _step(self, hook: str, rule: Rule, verdict: str, target: str | None = None) -> Step:
        text = _render(rule.expr, rule.comment)
        return Step(hook.upper(), rule.table, rule.chain, rule.handle, verdict, target, text)

    def _resolve(
        self,
        s: _State,
        hook: str,
        chain: Chain,
        rule: Rule,
        outcome: str,
        target: str | None,
        depth: int,
    ) -> list[tuple[_State, str]]:
        if outcome == "NOMATCH":
            return self._walk(s, hook, chain, rule.index + 1, depth)
        if outcome == "CONTINUE":
            s.steps.append(self._step(hook, rule, "CONTINUE"))
            return self._walk(s, hook, chain, rule.index + 1, depth)
        if outcome == "UNSUPPORTED":
            return [(s, "STOP")]
        if outcome in ("JUMP", "GOTO"):
            s.steps.append(self._step(hook, rule, outcome, target))
            sub = self.rs.chain(rule.table, target or "")
            if sub is None:
                s.fate = f"unsupported: {outcome.lower()} to a chain {target!r} not in the ruleset"
                return [(s, "STOP")]
            out: list[tuple[_State, str]] = []
            for s2, v in self._walk(s, hook, sub, 0, depth + 1):
                if v == "RETURN" and outcome == "JUMP":
                    out += self._walk(s2, hook, chain, rule.index + 1, depth)
                else:
                    out.append((s2, v))  # goto: the goto'd chain's return is this chain's
            return out
        if outcome == "REJECT":
            s.steps.append(self._step(hook, rule, "DROP"))
            s.fate = f"rejected by {rule.table} {rule.chain} handle {rule.handle}"
            return [(s, "DROP")]
        s.steps.append(self._step(hook, rule, outcome))
        if outcome == "DROP":
            s.fate = f"dropped by {rule.table} {rule.chain} handle {rule.handle}"
        return [(s, outcome)]

    def _base(self, st: _State, hook: str, chain: Chain) -> list[tuple[_State, str]]:
        out = []
        for s, v in self._walk(st, hook, chain, 0, 0):
            if v == "RETURN":
                s.steps.append(
                    Step(
                        hook.upper(),
                        chain.table,
                        chain.name,
                        None,
                        f"policy:{chain.policy.upper()}",
                    )
                )
                v = chain.policy.upper()
                if v == "DROP":
                    s.fate = f"dropped by the policy of {chain.table} {chain.name}"
            out.append((s, v))
        return out

    def _slots(self, hook: str) -> list[list[Chain]]:
        """The base chains at ``hook`` as the kernel runs them; the nat chains share one slot."""
        if hook not in self._slot_cache:
            self._slot_cache[hook] = self._order(hook)
        return self._slot_cache[hook]

    def _order(self, hook: str) -> list[list[Chain]]:
        chains = self.rs.base_chains(hook, FAMILIES)
        nat = [c for c in chains if c.type == "nat"]
        entries: list[tuple[int, int, list[Chain]]] = [
            (c.priority, i, [c]) for i, c in enumerate(chains) if c.type != "nat"
        ]
        if nat and hook in NAT_PRIORITY:
            first = chains.index(nat[0])
            entries.append((NAT_PRIORITY[hook], first, nat))
        return [e[2] for e in sorted(entries, key=lambda e: (e[0], e[1]))]

    def _hook(self, states: list[_State], hook: str) -> list[_State]:
        for slot in self._slots(hook):
            nxt: list[_State] = []
            for st in states:
                if st.fate is not None:
                    nxt.append(st)
                    continue
                if slot[0].type == "nat":
                    nxt += self._nat_slot(st, hook, slot)
                    continue
                for s2, v in self._base(st, hook, slot[0]):
                    if v in ("DROP", "STOP") and s2.fate is None:
                        s2.fate = "dropped"
                    nxt.append(s2)
            states = nxt
        return states

    def _nat_slot(self, st: _State, hook: str, chains: list[Chain]) -> list[_State]:
        if st.packet.ctstate != "NEW":
            st.events.append(f"nat {hook} not consulted: conntrack state {st.packet.ctstate}")
            return [st]
        manip = NAT_MANIP[hook]
        states = [st]
        for chain in chains:
            nxt = []
            for s in states:
                if s.fate is not None or (s.dnat if manip == "dnat" else s.snat):
                    nxt.append(s)  # a mapping is set up: the remaining nat chains are skipped
                    continue
                for s2, v in self._base(s, hook, chain):
                    if v in ("DROP", "STOP") and s2.fate is None:
                        s2.fate = "dropped"
                    nxt.append(s2)
            states = nxt
        return states

    # ------------------------------------------------------------------ the walk
    def _route(self, st: _State) -> None:
        """The output interface: the device of the route to the destination."""
        r = self.node.route(st.packet.dst)
        if r is None:
            st.fate = f"no route to {st.packet.dst}"
            return
        st.packet = st.packet.with_(oif=r.dev)

    def trace(self, packet: Packet) -> NftTrace:
        """Every path ``packet`` can take, with its exact probability and fate."""
        st = _State(packet, packet)
        finished = walk(st, self.node, self._hook, self._route, str.lower, forward_ended_first=True)
        return NftTrace(packet, _merge(finished))


def _verdict(v: Any) -> tuple[str, str | None]:
    if isinstance(v, dict) and len(v) == 1:
        ((name, body),) = v.items()
        if name in ("jump", "goto"):
            return name.upper(), str(body.get("target"))
        if name in ("accept", "drop", "return", "continue"):
            return ("CONTINUE" if name == "continue" else name.upper()), None
    raise Unsupported(f"verdict {str(v)[:40]}")


def _merge(states: list[_State]) -> tuple[NftBranch, ...]:
    """One branch per distinct (steps, fate, packet): numgen outcomes that agree add up."""
    merged: dict[Any, NftBranch] = {}
    for s in states:
        key = (tuple(s.steps), s.fate, s.packet, tuple(s.events))
        old = merged.get(key)
        prob = s.prob + (old.probability if old else 0)
        merged[key] = NftBranch(prob, s.fate or "?", s.packet, tuple(s.steps), tuple(s.events))
    return tuple(merged.values())
