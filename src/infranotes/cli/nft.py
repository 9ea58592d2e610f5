"""``infranotes nft trace``: a packet through an ``nft -j list ruleset`` document."""

from __future__ import annotations

import argparse

from infranotes.cli.common import add_lang, emit, read_text
from infranotes.cli.netfilter import branch_json, node_from_args, trace_verb


def _trace(args: argparse.Namespace) -> int:
    from infranotes.netfilter.messages import event, fate, tr
    from infranotes.netfilter.nft import NftTracer, parse_nft_json
    from infranotes.netfilter.packet import parse_packet

    lang = args.lang
    rs = parse_nft_json(read_text(args.ruleset, "nft ruleset", "--ruleset"), source=args.ruleset)
    packet = parse_packet(args.packet)
    node = node_from_args(args)
    trace = NftTracer(rs, node).trace(packet)
    if args.json:
        doc = trace.to_json()
        doc["branches"] = [branch_json(b, lang) for b in doc["branches"]]
        # what the trace starts from, as iptables trace reports its recent lists
        doc["state"] = {
            "sets": tr(lang, "as listed; add/update statements are events, not applied")
        }
        emit(doc)
        return 0
    print(tr(lang, "packet: {packet}", packet=packet.describe()))
    for i, b in enumerate(trace.branches, 1):
        print(
            "\n"
            + tr(lang, "branch {n}", n=i)
            + f": p={b.probability} ({float(b.probability):.4f})  {fate(b.fate, lang)}"
        )
        print(f"  -> {b.destination}")
        for st in b.steps:
            rule = f"#{st.rule}" if st.rule else "policy"
            tgt = f" {st.target}" if st.target else ""
            print(f"  {st.hook:<11} {st.table:<16} {st.chain:<28} {rule:<7} {st.verdict}{tgt}")
            if st.text:
                print(f"  {'':<11} {st.text}")
        for e in b.events:
            print(f"  * {event(e, lang)}")
    return 0


def register(parser: argparse.ArgumentParser) -> None:
    """The ``nft`` verbs."""
    t = trace_verb(parser, "the hooks, base chains, chains and rules a packet meets")
    t.add_argument("--ruleset", required=True, metavar="FILE", help="nft -j list ruleset output")
    add_lang(t, "hooks, tables, chains, handles, verdicts, rules and addresses")
    t.set_defaults(func=_trace)
