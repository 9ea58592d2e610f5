"""``infranotes iptables trace``: a packet through an ``iptables-save`` dump."""

from __future__ import annotations

import argparse

from infranotes.cli.common import (
    Parser,
    UsageError,
    add_lang,
    emit,
    ip_address,
    ip_network,
    json_parent,
    read_text,
)


def node_options() -> argparse.ArgumentParser:
    """The packet and the node it meets, shared by ``iptables trace`` and ``nft trace``."""
    t = argparse.ArgumentParser(add_help=False)
    t.add_argument(
        "--packet",
        required=True,
        help='"tcp 10.0.0.5:40000 > 10.96.0.10:53 iif eth0 [mark 0x4000] [state NEW] [local]"',
    )
    t.add_argument(
        "--local-address",
        action="append",
        metavar="ADDR",
        help="an address of this node (repeatable; default 192.168.1.10)",
    )
    t.add_argument(
        "--iface",
        action="append",
        metavar="NAME=ADDR/PLEN",
        help="an interface of the node and its address (repeatable; the prefix is a connected "
        "route); replaces --local-address and --bridge-address",
    )
    t.add_argument("--uplink", default="eth0", help="the node's interface with the default route")
    t.add_argument(
        "--pod-cidr",
        default=None,
        help="routed to cni0 (default 10.244.0.0/16 without --iface; '' for none)",
    )
    t.add_argument("--bridge-address", default=None, help="the node's address on cni0")
    t.add_argument("--route", action="append", metavar="CIDR=DEV", help="an extra route")
    return t


def node_from_args(args: argparse.Namespace):  # -> Node (imported lazily)
    """The node from ``--iface`` (interfaces with prefixes) or the older uplink/cni0 flags."""
    from infranotes.netfilter.packet import Node, Route, parse_iface

    routes = []
    for spec in args.route or ():
        cidr, sep, dev = spec.partition("=")
        if not sep or not dev:
            raise UsageError(f"--route {spec!r}: expected CIDR=DEV")
        routes.append(Route(ip_network(cidr, "--route"), dev))
    if args.iface:
        if args.local_address or args.bridge_address:
            raise UsageError("--iface names every address: drop --local-address/--bridge-address")
        if args.pod_cidr:
            routes.append(Route(ip_network(args.pod_cidr, "--pod-cidr"), "cni0"))
        ifaces = [parse_iface(spec) for spec in args.iface]
        return Node.from_interfaces(ifaces, args.uplink, tuple(routes))
    pod_cidr = "10.244.0.0/16" if args.pod_cidr is None else args.pod_cidr
    if pod_cidr:
        routes.append(Route(ip_network(pod_cidr, "--pod-cidr"), "cni0"))
    routes.append(Route(ip_network("0.0.0.0/0", "--uplink"), args.uplink))
    addresses = tuple(ip_address(a, "--local-address") for a in args.local_address or ())
    bridge = ip_address(args.bridge_address or "10.244.0.1", "--bridge-address")
    return Node(
        {args.uplink: addresses or ("192.168.1.10",), "cni0": (bridge,), "lo": ("127.0.0.1",)},
        tuple(routes),
    )


def _memory(args: argparse.Namespace):  # -> Memory
    """``--seen NAME=ADDR``: what earlier packets left on the ``-m recent`` lists."""
    from infranotes.netfilter.matches import Memory

    mem = Memory()
    for spec in args.seen or ():
        name, sep, addr = spec.partition("=")
        if not sep or not name:
            raise UsageError(f"--seen {spec!r}: expected LIST=ADDR")
        mem.recent.setdefault(name, {})[ip_address(addr, "--seen")] = 1
    return mem


def branch_json(doc: dict, lang: str) -> dict:
    """A branch's ``to_json()`` with its fate and events in ``lang`` (the rest is data)."""
    from infranotes.netfilter.messages import event, fate

    return {
        **doc,
        "fate": fate(doc["fate"], lang),
        "events": [event(e, lang) for e in doc["events"]],
    }


def _print_branch(title: str, b, lang: str) -> None:  # b: Branch
    from infranotes.netfilter.messages import event, fate

    print(f"\n{title}: p={b.share} ({b.probability:.4f})  {fate(b.fate, lang)}  -> {b.destination}")
    for st in b.steps:
        rule = f"#{st.rule}" if st.rule else "policy"
        tgt = f" {st.target}" if st.target else ""
        print(f"  {st.hook:<11} {st.table:<8} {st.chain:<28} {rule:<7} {st.verdict}{tgt}")
    for e in b.events:
        print(f"  * {event(e, lang)}")


def _trace(args: argparse.Namespace) -> int:
    from infranotes.netfilter.messages import event, fate, tr
    from infranotes.netfilter.packet import parse_packet
    from infranotes.netfilter.ruleset import parse_iptables_save
    from infranotes.netfilter.trace import SequenceTooLarge, Tracer

    lang = args.lang
    rs = parse_iptables_save(read_text(args.rules, "iptables-save", "--rules"), source=args.rules)
    packets = [parse_packet(args.packet)] + [parse_packet(p, "--then") for p in args.then or ()]
    node = node_from_args(args)
    sets = {}
    for spec in args.ipset or ():
        name, sep, path = spec.partition("=")
        if not sep or not name or not path:
            raise UsageError(f"--ipset {spec!r}: expected NAME=FILE")
        text = read_text(path, "ipset list", "--ipset")
        sets[name] = tuple(w for w in text.split() if not w.startswith("#"))
    memory = _memory(args)
    tracer = Tracer(rs, node, sets)
    state = (
        tr(lang, "state: recent lists as given by --seen, nth counters as loaded")
        if args.seen
        else tr(
            lang, "state: a freshly loaded ruleset (empty recent lists, nth counters as loaded)"
        )
    )
    if len(packets) == 1:
        trace = tracer.trace(packets[0], memory)
        if args.json:
            doc = trace.to_json()
            doc["branches"] = [branch_json(b, lang) for b in doc["branches"]]
            doc["state"] = memory.to_json()
            emit(doc)
            return 0
        print(f"{tr(lang, 'packet: {packet}', packet=packets[0].describe())}\n{state}")
        for i, b in enumerate(trace.branches, 1):
            _print_branch(tr(lang, "branch {n}", n=i), b, lang)
        return 0
    try:
        histories = tracer.sequence(packets, memory)
    except SequenceTooLarge as exc:
        raise UsageError(f"--then: {exc}") from None
    if args.json:
        emit(
            {
                "packets": [p.to_json() for p in packets],
                "state": memory.to_json(),
                "histories": [
                    {
                        "probability": str(h.share),
                        "probability_float": float(h.share),
                        "destinations": list(h.destinations),
                        "branches": [branch_json(b.to_json(), lang) for b in h.branches],
                    }
                    for h in histories
                ],
            }
        )
        return 0
    print(f"{tr(lang, '{n} new connections, one after another', n=len(packets))}\n{state}")
    for i, h in enumerate(histories, 1):
        print("\n" + tr(lang, "history {n}", n=i) + f": p={h.share} ({float(h.share):.4f})")
        for n, (p, b) in enumerate(zip(packets, h.branches, strict=True), 1):
            print(
                "  "
                + tr(lang, "packet {n}", n=n)
                + f": {p.describe()} -> {b.destination}  {fate(b.fate, lang)}"
            )
            for e in b.events:
                print(f"    * {event(e, lang)}")
    return 0


def trace_verb(parser: argparse.ArgumentParser, help: str) -> argparse.ArgumentParser:
    """The ``trace`` verb of ``iptables`` and ``nft``, with ``--json``, the packet and the node."""
    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=Parser)
    return verbs.add_parser("trace", parents=[json_parent(), node_options()], help=help)


def register(parser: argparse.ArgumentParser) -> None:
    """The ``iptables`` verbs."""
    t = trace_verb(parser, "the hooks, tables, chains and rules a packet meets")
    t.add_argument("--rules", required=True, metavar="FILE", help="iptables-save output")
    t.add_argument(
        "--then",
        action="append",
        metavar="PACKET",
        help="a later new connection (repeatable): the trace shows each history, with the "
        "-m recent lists and --mode nth counters earlier packets left",
    )
    t.add_argument(
        "--seen",
        action="append",
        metavar="LIST=ADDR",
        help="ADDR is already on -m recent list LIST (a client seen before)",
    )
    t.add_argument(
        "--ipset",
        action="append",
        metavar="NAME=FILE",
        help="contents of an ipset used by -m set (one entry per line)",
    )
    add_lang(t, "hooks, tables, chains, rules, verdicts and addresses")
    t.set_defaults(func=_trace)
