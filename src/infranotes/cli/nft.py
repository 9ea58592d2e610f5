"""``infranotes nft trace``: a packet through an ``nft -j list ruleset`` document."""

from __future__ import annotations

import argparse

from infranotes.cli.common import Parser, emit, ip_address, ip_network, json_parent, read_text


def _trace(args: argparse.Namespace) -> int:
    from infranotes.netfilter.nft import NftTracer, parse_nft_json
    from infranotes.netfilter.packet import Node, Route, parse_packet

    rs = parse_nft_json(read_text(args.ruleset, "nft ruleset", "--ruleset"), source=args.ruleset)
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
    trace = NftTracer(rs, node).trace(packet)
    if args.json:
        doc = trace.to_json()
        # what the trace starts from, as iptables trace reports its recent lists
        doc["state"] = {"sets": "as listed; add/update statements are events, not applied"}
        emit(doc)
        return 0
    print(f"packet: {packet.describe()}")
    for i, b in enumerate(trace.branches, 1):
        print(f"\nbranch {i}: p={b.probability} ({float(b.probability):.4f})  {b.fate}")
        print(f"  -> {b.destination}")
        for st in b.steps:
            rule = f"#{st.rule}" if st.rule else "policy"
            tgt = f" {st.target}" if st.target else ""
            print(f"  {st.hook:<11} {st.table:<16} {st.chain:<28} {rule:<7} {st.verdict}{tgt}")
            if st.text:
                print(f"  {'':<11} {st.text}")
        for e in b.events:
            print(f"  * {e}")
    return 0


def register(parser: argparse.ArgumentParser) -> None:
    """The ``nft`` verbs."""
    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=Parser)
    t = verbs.add_parser(
        "trace",
        parents=[json_parent()],
        help="the hooks, base chains, chains and rules a packet meets",
    )
    t.add_argument("--ruleset", required=True, metavar="FILE", help="nft -j list ruleset output")
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
    t.set_defaults(func=_trace)
