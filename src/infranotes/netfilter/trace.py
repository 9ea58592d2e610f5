"""Walking a packet through the hooks, tables, chains and rules, the way the kernel does.

The walk follows ``hooks.HOOK_ORDER``; the routing decision after PREROUTING picks INPUT or
FORWARD from the (possibly DNAT-ed) destination; locally generated packets are routed
before OUTPUT and re-routed when nat OUTPUT changes their destination. The nat table is
consulted only for a connection's first packet (conntrack state NEW); NOTRACK in raw
takes the packet out of conntrack and so out of NAT. Where ``-m statistic --mode random``
decides, the walk forks: every branch is kept with its exact probability (a fraction).

State the kernel keeps between packets (``-m recent`` lists, ``--mode nth`` counters) is a
:class:`~infranotes.netfilter.matches.Memory`: :meth:`Tracer.trace` starts from the one it is
given (empty: the first packet), each branch carries the memory it leaves behind, and
:meth:`Tracer.sequence` threads it through a series of new connections. A match or target
the tracer cannot evaluate ends the branch with an ``UNDECIDED`` step and a fate that names
it ("unsupported match X in rule N"): the trace says it cannot decide, never stops silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from infranotes.netfilter.hooks import tables_at, walk
from infranotes.netfilter.matches import Context, Memory, Unsupported, evaluate
from infranotes.netfilter.packet import Node, Packet
from infranotes.netfilter.ruleset import Rule, Ruleset

MAX_DEPTH = 64  # chains deeper than this are a loop (the kernel refuses such rulesets)


@dataclass(frozen=True)
class Step:
    """A rule that matched, or a chain policy that applied (``rule`` None)."""

    hook: str
    table: str
    chain: str
    rule: int | None
    # JUMP, GOTO, CONTINUE, ACCEPT, DROP, RETURN, policy:ACCEPT / policy:DROP, or UNDECIDED
    # (a match or target the tracer cannot evaluate: the walk stops at this rule)
    verdict: str
    target: str | None = None
    text: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "hook": self.hook,
            "table": self.table,
            "chain": self.chain,
            "rule": self.rule,
            "verdict": self.verdict,
        }


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
    memory: Memory = field(default_factory=Memory)

    def fork(self, prob: Fraction, memory: Memory) -> _State:
        return _State(
            self.packet,
            self.orig,
            self.prob * prob,
            list(self.steps),
            list(self.events),
            self.dnat,
            self.snat,
            self.fate,
            memory,
        )


@dataclass(frozen=True)
class Branch:
    share: Fraction  # the exact probability of this branch
    fate: str
    packet: Packet  # as it leaves (after NAT)
    steps: tuple[Step, ...]
    events: tuple[str, ...]
    memory: Memory = field(default_factory=Memory, compare=False)  # state left behind

    @property
    def probability(self) -> float:
        return float(self.share)

    @property
    def undecided(self) -> bool:
        """Whether the walk stopped at a match or target the tracer cannot evaluate."""
        return self.fate.startswith("undecided")

    @property
    def destination(self) -> str:
        p = self.packet
        return f"{p.dst}:{p.dport}" if p.proto in ("tcp", "udp") else p.dst

    def to_json(self) -> dict[str, object]:
        return {
            "probability": str(self.share),  # exact: "1/3"; the branches sum to exactly 1
            "probability_float": self.probability,
            "fate": self.fate,
            "destination": self.destination,
            "source": f"{self.packet.src}",
            "steps": [s.to_json() for s in self.steps],
            "events": list(self.events),
        }


class SequenceTooLarge(ValueError):
    """A packet sequence whose random choices multiply past the history limit."""


@dataclass(frozen=True)
class History:
    """One way a sequence of packets can go: its probability and each packet's branch."""

    share: Fraction
    branches: tuple[Branch, ...]
    memory: Memory = field(default_factory=Memory, compare=False)

    @property
    def destinations(self) -> tuple[str, ...]:
        return tuple(b.destination for b in self.branches)


def shared_steps(paths: Sequence[Sequence[Step]]) -> tuple[Step, ...]:
    """The longest run of steps at the start of every path (the walk before it forked)."""
    if not paths:
        return ()
    first = tuple(paths[0])
    n = len(first)
    for path in paths[1:]:
        n = min(n, len(path))
        while n and tuple(path[:n]) != first[:n]:
            n -= 1
    return first[:n]


@dataclass(frozen=True)
class Trace:
    packet: Packet
    branches: tuple[Branch, ...]

    @property
    def steps(self) -> tuple[Step, ...]:
        """The steps every branch shares (all of them when the walk did not fork)."""
        return shared_steps([b.steps for b in self.branches])

    def to_json(self) -> dict[str, object]:
        return {
            "packet": self.packet.to_json(),
            "steps": [s.to_json() for s in self.steps],
            "branches": [b.to_json() for b in self.branches],
        }


def _undecided(st: _State, hook: str, table: str, chain: str, rule: Rule, exc: Unsupported) -> None:
    """End ``st`` at ``rule`` with a verdict that names what the tracer cannot evaluate."""
    st.steps.append(Step(hook, table, chain, rule.number, "UNDECIDED", None, rule.text))
    if exc.kind == "target":
        what = f"unsupported target {exc.what} in rule {rule.number} of {table} {chain}"
        st.fate = f"undecided: {what}; the trace cannot decide what it does to the packet"
    else:
        what = f"unsupported match {exc.what} in rule {rule.number} of {table} {chain}"
        st.fate = f"undecided: {what}; the trace cannot decide whether the rule matches"


CT_MATCHES = {"conntrack", "state", "connmark"}
CT_TARGETS = {"DNAT", "SNAT", "MASQUERADE", "REDIRECT", "NETMAP", "CONNMARK", "CT", "NOTRACK"}


def conntrack_active(rs: Ruleset) -> bool:
    """Whether any rule makes the kernel track connections in this network namespace.

    Without one, iptables-nft's nat chains never see a packet: nat is driven by conntrack,
    which a netns only runs once a rule asks for it (observed with iptables-nft 1.8.9 on
    Linux 6.18: a nat table of plain rules is skipped; see tests/oracles). iptables-legacy's
    nat table needs conntrack itself, so a legacy dump with a nat table counts as active.
    """
    if rs.backend == "legacy" and "nat" in rs.tables:
        return True
    for t in rs.tables.values():
        for c in t.chains.values():
            for r in c.rules:
                if r.target and r.target.name in CT_TARGETS:
                    return True
                if any(m.module in CT_MATCHES for m in r.matches):
                    return True
    return False


def recent_masks(rs: Ruleset) -> dict[str, str]:
    """The mask of each ``-m recent`` list: the kernel creates a list with the mask of the
    first rule that names it (net/netfilter/xt_recent.c ``recent_mt_check``), in load order."""
    masks: dict[str, str] = {}
    for t in rs.tables.values():
        for c in t.chains.values():
            for r in c.rules:
                for m in r.matches:
                    if m.module == "recent":
                        name = m.get("name")
                        mask = m.get("mask")
                        masks.setdefault(
                            name.value if name else "DEFAULT",
                            mask.value if mask else "255.255.255.255",
                        )
    return masks


def _netmap(addr: str, spec: str) -> str:
    """NETMAP: keep the host bits of ``addr``, take the network bits of ``spec``."""
    import ipaddress

    net = ipaddress.IPv4Network(spec, strict=False)
    mask = int(net.netmask)
    a = int(ipaddress.IPv4Address(addr))
    return str(ipaddress.IPv4Address((a & ~mask & 0xFFFFFFFF) | int(net.network_address)))


# Targets that neither decide nor change anything the tracer follows: the kernel carries on
# with the next rule (XT_CONTINUE). TCPMSS rewrites the MSS option, CHECKSUM fills in a
# checksum, DSCP/TOS/TTL/CLASSIFY/SECMARK change fields no match here reads.
CONTINUE_TARGETS = {
    "LOG",
    "NFLOG",
    "ULOG",
    "TRACE",
    "TCPMSS",
    "CHECKSUM",
    "DSCP",
    "TOS",
    "TTL",
    "CLASSIFY",
    "SECMARK",
    "CONNSECMARK",
    "AUDIT",
    "IDLETIMER",
    "LED",
}
UNDECIDABLE_TARGETS = {
    "TPROXY": "it diverts to a local socket it must find first",
    "NFQUEUE": "a userspace program decides the verdict",
    "QUEUE": "a userspace program decides the verdict",
    "SYNPROXY": "it answers the handshake itself",
    "SET": "it changes ipset contents",
    "HMARK": "it sets a mark from a hash of the packet",
    "CLUSTERIP": "it depends on the cluster node hash",
}


def _mark_target(value: int, opt: str, arg: str) -> int:
    v, _, m = arg.partition("/")
    val = int(v, 0)
    if opt == "set-xmark":
        mask = int(m, 0) if m else 0xFFFFFFFF
        return ((value & ~mask) ^ val) & 0xFFFFFFFF
    if opt == "set-mark":
        mask = int(m, 0) if m else 0xFFFFFFFF
        return ((value & ~mask) | val) & 0xFFFFFFFF
    if opt == "or-mark":
        return value | val
    if opt == "and-mark":
        return value & val
    if opt == "xor-mark":
        return value ^ val
    raise Unsupported(f"MARK --{opt}", "target")


def _addr_port(spec: str, packet: Packet, ports: bool) -> tuple[str, int]:
    addr, _, port = spec.partition(":")
    addr = addr.split("-")[0]  # a range: the tracer reports its first address
    p = int(port.split("-")[0]) if port else (packet.dport if ports else packet.sport)
    return addr, p


class Tracer:
    """Traces packets through one ruleset on one node."""

    def __init__(
        self,
        ruleset: Ruleset,
        node: Node | None = None,
        sets: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.rs = ruleset
        self.node = node or Node.simple()
        self.sets = dict(sets or {})
        self.conntrack = conntrack_active(ruleset)
        self.recent_masks = recent_masks(ruleset)

    # ------------------------------------------------------------------ targets
    def _target(self, st: _State, rule: Rule, hook: str) -> str:
        """Apply a non-jump target; returns the verdict as the kernel's trace prints it."""
        t = rule.target
        assert t is not None
        p = st.packet
        name = t.name
        if name in ("ACCEPT", "DROP", "RETURN"):
            return name
        if name == "REJECT":
            return "DROP"  # REJECT sends an error back and drops the packet
        if name in CONTINUE_TARGETS:
            return "CONTINUE"
        if name in UNDECIDABLE_TARGETS:
            raise Unsupported(f"{name} ({UNDECIDABLE_TARGETS[name]})", "target")
        if name == "MARK":
            if not t.options:
                raise Unsupported("MARK without an option", "target")
            o = t.options[0]
            st.packet = p.with_(mark=_mark_target(p.mark, o.name, o.value))
            st.events.append(
                f"mark set to {hex(st.packet.mark)} "
                f"({hook} {rule.table} {rule.chain} #{rule.number})"
            )
            return "CONTINUE"
        if name == "CONNMARK":
            o = t.options[0] if t.options else None
            if o is None:
                raise Unsupported("CONNMARK without an option", "target")
            if o.name in ("set-xmark", "set-mark", "or-mark", "and-mark", "xor-mark"):
                st.packet = p.with_(ctmark=_mark_target(p.ctmark, o.name, o.value))
            elif o.name in ("save-mark", "restore-mark"):
                # net/netfilter/xt_CONNMARK.c: save: ct = (ct & ~ctmask) ^ (mark & nfmask);
                # restore: mark = (mark & ~nfmask) ^ (ct & ctmask); --mask M sets both
                full = 0xFFFFFFFF
                both = t.get("mask")
                nf = t.get("nfmask") or both
                ctm = t.get("ctmask") or both
                nfmask = int(nf.value, 0) if nf else full
                ctmask = int(ctm.value, 0) if ctm else full
                if o.name == "save-mark":
                    ctmark = (p.ctmark & ~ctmask & full) ^ (p.mark & nfmask)
                    st.packet = p.with_(ctmark=ctmark)
                else:
                    st.packet = p.with_(mark=(p.mark & ~nfmask & full) ^ (p.ctmark & ctmask))
            else:
                raise Unsupported(f"CONNMARK --{o.name}", "target")
            return "CONTINUE"
        if name == "NOTRACK" or (name == "CT" and t.get("notrack")):
            st.packet = p.with_(ctstate="UNTRACKED")
            st.events.append("conntrack: NOTRACK, the packet is untracked (no NAT)")
            return "CONTINUE"
        if name == "CT":
            helper = t.get("helper")
            if helper is not None and p.ctstate == "NEW":
                # the helper watches this connection for RELATED ones; -m helper matches
                # those, not this connection itself (xt_helper.c reads ct->master)
                st.events.append(f"conntrack helper {helper.value} attached (CT --helper)")
            return "CONTINUE"
        if name == "DNAT":
            o = t.get("to-destination")
            if o is None:
                raise Unsupported("DNAT without --to-destination", "target")
            addr, port = _addr_port(o.value, p, ports=True)
            st.packet = p.with_(dst=addr, dport=port)
            st.dnat = True
            st.events.append(f"DNAT {p.dst}:{p.dport} -> {addr}:{port}")
            return "ACCEPT"
        if name == "REDIRECT":
            o = t.get("to-ports")
            port = int(o.value.split("-")[0]) if o else p.dport
            addr = "127.0.0.1" if p.local else (self.node.address_of(p.iif or "") or p.dst)
            st.packet = p.with_(dst=addr, dport=port)
            st.dnat = True
            st.events.append(f"REDIRECT to {addr}:{port}")
            return "ACCEPT"
        if name == "SNAT":
            o = t.get("to-source")
            if o is None:
                raise Unsupported("SNAT without --to-source", "target")
            addr, port = _addr_port(o.value, p, ports=False)
            st.packet = p.with_(src=addr, sport=port)
            st.snat = True
            st.events.append(f"SNAT {p.src} -> {addr}")
            return "ACCEPT"
        if name == "MASQUERADE":
            addr = self.node.address_of(p.oif or "")
            if addr is None:
                raise Unsupported(f"MASQUERADE: no address on {p.oif!r}", "target")
            st.packet = p.with_(src=addr)
            st.snat = True
            st.events.append(f"MASQUERADE {p.src} -> {addr} (address of {p.oif})")
            return "ACCEPT"
        if name == "NETMAP":
            o = t.get("to")
            if o is None:
                raise Unsupported("NETMAP without --to", "target")
            if hook in ("PREROUTING", "OUTPUT"):
                st.packet = p.with_(dst=_netmap(p.dst, o.value))
                st.dnat = True
                st.events.append(f"NETMAP {p.dst} -> {st.packet.dst}")
            else:
                st.packet = p.with_(src=_netmap(p.src, o.value))
                st.snat = True
                st.events.append(f"NETMAP {p.src} -> {st.packet.src}")
            return "ACCEPT"
        raise Unsupported(f"{name}", "target")

    # ------------------------------------------------------------------ chains
    def _walk(
        self, st: _State, hook: str, table: str, chain: str, start: int, depth: int
    ) -> list[tuple[_State, str]]:
        """Run ``chain`` from rule index ``start``; (state, RETURN|ACCEPT|DROP|UNKNOWN) list."""
        if depth > MAX_DEPTH:
            st.fate = f"undecided: chains nested deeper than {MAX_DEPTH}"
            return [(st, "UNKNOWN")]
        ch = self.rs.chain(table, chain)
        assert ch is not None
        candidates = [i for i in ch.candidates(st.packet.dst) if i >= start]
        ctx = Context(
            hook, self.node, st.orig, sets=self.sets, recent_masks=self.recent_masks
        )  # one per chain walk; the fields that change are set per rule below
        for idx in candidates:
            rule = ch.rules[idx]
            ctx.dnat, ctx.snat, ctx.memory, ctx.events = st.dnat, st.snat, st.memory, st.events
            ctx.rule = (table, chain, rule.number)
            try:
                outcomes = evaluate(rule.matches, st.packet, ctx)
            except Unsupported as exc:
                _undecided(st, hook, table, chain, rule, exc)
                return [(st, "UNKNOWN")]
            if len(outcomes) == 1:  # deterministic (probability 1)
                _, matched, st.memory = outcomes[0]
                if not matched:
                    continue
                out = self._apply(st, hook, table, chain, rule, depth)
                if len(out) == 1 and out[0][1] == "NEXT":
                    st = out[0][0]
                    continue
                results = []
                for s2, verdict in out:
                    if verdict == "NEXT":
                        results += self._walk(s2, hook, table, chain, idx + 1, depth)
                    else:
                        results.append((s2, verdict))
                return results
            # -m statistic --mode random: one state per outcome, the taken ones first
            results = []
            for prob, matched, mem in sorted(outcomes, key=lambda o: not o[1]):
                s2 = st.fork(prob, mem)  # each outcome has its own memory object
                if not matched:
                    results += self._walk(s2, hook, table, chain, idx + 1, depth)
                    continue
                for s3, verdict in self._apply(s2, hook, table, chain, rule, depth):
                    if verdict == "NEXT":
                        results += self._walk(s3, hook, table, chain, idx + 1, depth)
                    else:
                        results.append((s3, verdict))
            return results
        return [(st, "RETURN")]

    def _apply(
        self, st: _State, hook: str, table: str, chain: str, rule: Rule, depth: int
    ) -> list[tuple[_State, str]]:
        """A matched rule; NEXT means carry on with the following rule."""
        t = rule.target
        if t is None:
            return [(st, "NEXT")]
        if self.rs.chain(table, t.name) is not None:
            st.steps.append(
                Step(
                    hook, table, chain, rule.number, "GOTO" if t.goto else "JUMP", t.name, rule.text
                )
            )
            out = []
            for s2, verdict in self._walk(st, hook, table, t.name, 0, depth + 1):
                if verdict == "RETURN":
                    out.append((s2, "RETURN" if t.goto else "NEXT"))
                else:
                    out.append((s2, verdict))
            return out
        try:
            verdict = self._target(st, rule, hook)
        except Unsupported as exc:
            _undecided(st, hook, table, chain, rule, exc)
            return [(st, "UNKNOWN")]
        st.steps.append(Step(hook, table, chain, rule.number, verdict, None, rule.text))
        if verdict == "CONTINUE":
            return [(st, "NEXT")]
        if verdict == "DROP" and t.name == "REJECT":
            st.fate = f"rejected by {table} {chain} rule {rule.number}"
        return [(st, verdict)]

    def _table(self, st: _State, hook: str, table: str) -> list[tuple[_State, str]]:
        """One table's base chain at ``hook``: ACCEPT, DROP or UNKNOWN per resulting state."""
        ch = self.rs.chain(table, hook)
        if ch is None:
            return [(st, "ACCEPT")]
        out = []
        for s2, verdict in self._walk(st, hook, table, hook, 0, 0):
            if verdict == "RETURN":
                policy = ch.policy or "ACCEPT"
                s2.steps.append(Step(hook, table, hook, None, f"policy:{policy}"))
                verdict = policy
                if policy == "DROP":
                    s2.fate = f"dropped by the policy of {table} {hook}"
            elif verdict == "DROP" and s2.fate is None:
                last = s2.steps[-1]
                s2.fate = f"dropped by {last.table} {last.chain} rule {last.rule}"
            out.append((s2, verdict))
        return out

    def _hook(self, states: list[_State], hook: str) -> list[_State]:
        """Run every table at ``hook``; states that end (drop, unknown) keep their fate."""
        for table in tables_at(hook):
            nxt: list[_State] = []
            for st in states:
                if st.fate is not None:
                    nxt.append(st)
                    continue
                if table == "nat" and not self.conntrack and table in self.rs.tables:
                    st.events.append(f"nat {hook} not consulted: no rule enables conntrack here")
                    nxt.append(st)
                    continue
                if table == "nat" and st.packet.ctstate != "NEW":
                    if table in self.rs.tables:  # NAT is decided once, by the first packet
                        st.events.append(f"nat {hook} skipped: conntrack state {st.packet.ctstate}")
                    nxt.append(st)
                    continue
                for s2, verdict in self._table(st, hook, table):
                    if verdict in ("DROP", "UNKNOWN") and s2.fate is None:
                        s2.fate = "dropped"
                    nxt.append(s2)
            states = nxt
        return states

    # ------------------------------------------------------------------ the walk
    def _route(self, st: _State) -> None:
        """The output interface: ``lo`` for a local destination, else the route's device."""
        p = st.packet
        if self.node.is_local(p.dst):  # the local routing table: out via lo, never a device
            st.packet = p.with_(oif="lo")
            return
        r = self.node.route(p.dst)
        if r is None:
            st.fate = f"no route to {p.dst}"
            return
        st.packet = p.with_(oif=r.dev)

    def sequence(
        self, packets: Sequence[Packet], memory: Memory | None = None, limit: int = 10_000
    ) -> tuple[History, ...]:
        """New connections one after another, with the state each leaves to the next.

        One :class:`History` per combination of branches; with ``-m recent`` session
        affinity the first packet forks over the endpoints and every later one follows the
        endpoint its history chose; with ``--mode nth`` nothing forks at all.
        """
        histories = [History(Fraction(1), (), (memory or Memory()).copy())]
        for packet in packets:
            nxt = []
            for h in histories:
                for b in self.trace(packet, h.memory).branches:
                    nxt.append(History(h.share * b.share, (*h.branches, b), b.memory))
                if len(nxt) > limit:
                    raise SequenceTooLarge(
                        f"more than {limit} histories after {len(histories[0].branches) + 1} "
                        "packets (each random choice multiplies them): trace fewer packets"
                    )
            histories = nxt
        return tuple(histories)

    def trace(self, packet: Packet, memory: Memory | None = None) -> Trace:
        """Every path ``packet`` can take, with its probability and fate.

        ``memory`` is the state earlier packets left (``-m recent`` lists, ``nth``
        counters); None is a fresh ruleset, as for the first packet after loading it.
        """
        st = _State(packet, packet, memory=(memory or Memory()).copy())
        finished = walk(st, self.node, self._hook, self._route, str, forward_ended_first=False)
        branches = tuple(
            Branch(s.prob, s.fate or "?", s.packet, tuple(s.steps), tuple(s.events), s.memory)
            for s in finished
        )
        return Trace(packet, branches)
