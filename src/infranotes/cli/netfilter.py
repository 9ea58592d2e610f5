"""``infranotes iptables trace``: a packet through an ``iptables-save`` dump."""

from __future__ import annotations

import argparse

from infranotes.cli.common import (
    Parser,
    UsageError,
    emit,
    ip_address,
    ip_network,
    json_parent,
    read_text,
)


def _trace(args: argparse.Namespace) -> int:
    from infranotes.netfilter.packet import Node, Route, parse_packet
    from infranotes.netfilter.ruleset import parse_iptables_save
    from infranotes.netfilter.trace import Tracer

    rs = parse_iptables_save(read_text(args.rules, "iptables-save", "--rules"), source=args.rules)
    packet = parse_packet(args.packet)
    routes = []
    for spec in args.route or ():
        cidr, _, dev = spec.partition("=")
        routes.append(Route(ip_network(cidr, "--route"), dev or "eth0"))
    if args.pod_cidr:
        routes.append(Route(ip_network(args.pod_cidr, "--pod-cidr"), "cni0"))
    routes.append(Route(ip_network("0.0.0.0/0", "--uplink"), args.uplink))
    addresses = tuple(ip_address(a, "--local-address") for a in args.local_address or ())
    bridge = ip_address(args.bridge_address, "--bridge-address")
    node = Node(
        {args.uplink: addresses or ("192.168.1.10",), "cni0": (bridge,), "lo": ("127.0.0.1",)},
        tuple(routes),
    )
    sets = {}
    for spec in args.ipset or ():
        name, sep, path = spec.partition("=")
        if not sep or not name or not path:
            raise UsageError(f"--ipset {spec!r}: expected NAME=FILE")
        text = read_text(path, "ipset list", "--ipset")
        sets[name] = tuple(w for w in text.split() if not w.startswith("#"))
    trace = Tracer(rs, node, sets).trace(packet)
    if args.json:
        emit(trace.to_json())
        return 0
    print(f"packet: {packet.describe()}")
    for i, b in enumerate(trace.branches, 1):
        print(f"\nbranch {i}: p={b.probability:.4f}  {b.fate}  -> {b.destination}")
        for st in b.steps:
            rule = f"#{st.rule}" if st.rule else "policy"
            tgt = f" {st.target}" if st.target else ""
            print(f"  {st.hook:<11} {st.table:<8} {st.chain:<28} {rule:<7} {st.verdict}{tgt}")
        for e in b.events:
            print(f"  * {e}")
    return 0


def register(parser: argparse.ArgumentParser) -> None:
    """The ``iptables`` verbs."""
    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=Parser)
    t = verbs.add_parser(
        "trace", parents=[json_parent()], help="the hooks, tables, chains and rules a packet meets"
    )
    t.add_argument("--rules", required=True, metavar="FILE", help="iptables-save output")
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
    t.add_argument("--uplink", default="eth0", help="the node's interface with the default route")
    t.add_argument("--pod-cidr", default="10.244.0.0/16", help="routed to cni0 ('' for none)")
    t.add_argument("--bridge-address", default="10.244.0.1", help="the node's address on cni0")
    t.add_argument("--route", action="append", metavar="CIDR=DEV", help="an extra route")
    t.add_argument(
        "--ipset",
        action="append",
        metavar="NAME=FILE",
        help="contents of an ipset used by -m set (one entry per line)",
    )
    t.set_defaults(func=_trace)
