"""``infranotes cni add|del|check``: run a network configuration as a container runtime does."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from infranotes.cli.common import Parser, UsageError, emit, json_parent, read_text


def _run(args: argparse.Namespace) -> int:
    from infranotes.cni.runtime import (
        DEFAULT_CNI_PATH,
        load_network_config,
        run_network,
        validate_runtime_args,
    )
    from infranotes.cni.types import CNIError

    net = load_network_config(read_text(args.conf, "CNI configuration", "--conf"), args.conf)
    cid = args.container_id or Path(args.netns).name
    try:  # libcni refuses these before running anything: bad input, not a plugin failure
        validate_runtime_args(net.name, cid, args.ifname)
    except CNIError as exc:
        raise UsageError(f"{exc}") from None
    cni_path = args.cni_path or os.environ.get("CNI_PATH") or DEFAULT_CNI_PATH
    try:
        result = run_network(
            args.command.upper(),
            net,
            args.netns,
            cid,
            args.ifname,
            cni_path,
            Path(args.cache_dir),
            args.cni_args or "",
        )
    except CNIError as exc:
        if args.json:
            emit({"ok": False, "error": exc.to_json()})
        print(f"infranotes: {exc}", file=sys.stderr)
        return 1
    if args.json:
        emit(result if result is not None else {"ok": True})
    elif result is not None:
        for ip in result.get("ips", []):
            print(f"{ip['address']}  gateway {ip.get('gateway', '-')}")
        for r in result.get("routes", []):
            print(f"route {r['dst']} via {r.get('gw', '(gateway)')}")
    else:
        print(f"{args.command.upper()} {net.name} {cid} {args.ifname}: ok")
    return 0


def register(parser: argparse.ArgumentParser) -> None:
    """The ``cni`` verbs: ADD, DEL and CHECK."""
    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=Parser)
    js = json_parent()
    for verb in ("add", "del", "check"):
        v = verbs.add_parser(verb, parents=[js], help=f"{verb.upper()} the network for a netns")
        v.add_argument("--conf", required=True, metavar="FILE", help=".conf or .conflist")
        v.add_argument("--netns", required=True, metavar="NAME", help="name or path")
        v.add_argument("--ifname", default="eth0")
        v.add_argument("--container-id", metavar="ID", help="default: the netns name")
        v.add_argument("--cni-path", metavar="DIRS", help="default: $CNI_PATH or /opt/cni/bin")
        v.add_argument("--cni-args", metavar="K=V;...", help="CNI_ARGS, e.g. IP=10.1.0.9")
        v.add_argument("--cache-dir", default="/var/lib/cni/results", metavar="DIR")
        v.set_defaults(func=_run, command=verb)
