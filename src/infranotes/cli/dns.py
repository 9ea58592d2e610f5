"""``infranotes dns``: search lists, the Pod resolv.conf, the spec's records, a DNS server."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading

from infranotes.cli.common import (
    UsageError,
    add_lang,
    emit,
    ip_address,
    json_parent,
    port,
    read_text,
)


def _nxdomain_answer():  # -> Answer
    from infranotes.dns.search import Answer

    return Answer("NXDOMAIN")


ENV_READ = {"LOCALDOMAIN", "RES_OPTIONS"}  # glibc res_init.c; musl reads neither


def _env(pairs: list[str]) -> dict[str, str]:
    """``--env NAME=VALUE`` flags as a mapping (the last one of a name wins, like a shell)."""
    env: dict[str, str] = {}
    for pair in pairs:
        name, eq, value = pair.partition("=")
        if not eq or not name or not name.replace("_", "a").isalnum() or name[0].isdigit():
            raise UsageError(f"--env: expected NAME=VALUE, got {pair!r}")
        if "\0" in value:
            raise UsageError(f"--env: NUL byte in the value of {name}")
        env[name] = value
    return env


def _search(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from infranotes.dns.messages import step_reason, tr
    from infranotes.dns.resolvconf import parse_resolv_conf
    from infranotes.dns.search import SearchReport, Step, check_name, resolve

    lang = args.lang
    env = _env(args.env)
    text = read_text(args.resolv_conf, "resolv.conf", "--resolv-conf")
    conf = parse_resolv_conf(text, args.libc, source=args.resolv_conf, env=env)
    check_name(args.name, source="NAME")
    missing = _nxdomain_answer()
    look = resolve(args.name, conf, lambda qname, qtype: missing)
    environment = tr(lang, "environment")
    warnings = [
        f"{environment if w.line == 0 else f'{args.resolv_conf}:{w.line}'}: {w.message_in(lang)}"
        for w in conf.warnings
    ]
    warnings += [
        f"{environment}: "
        + tr(lang, "{name} is not modelled (only LOCALDOMAIN and RES_OPTIONS are)", name=n)
        for n in env
        if n not in ENV_READ
    ]
    # an asked step's outcome is an answer (nxdomain...); the others' is a reason, in prose
    steps = [
        s if s.action == "asked" else Step(s.qname, s.action, step_reason(s.outcome, lang))
        for s in look.steps
    ]
    if args.json:
        shown = replace(look, steps=tuple(steps))
        emit(SearchReport(shown, tuple(conf.search), tuple(warnings)).to_json())
    else:
        for w in warnings:
            print(tr(lang, "warning: {warning}", warning=w), file=sys.stderr)
        print(
            tr(
                lang,
                "# {libc}, ndots:{ndots}, {name} has {dots} dot(s); tried in this order until "
                "one answers:",
                libc=conf.libc,
                ndots=conf.options.ndots,
                name=repr(args.name),
                dots=args.name.rstrip(".").count("."),
            )
        )
        n = 0
        for step in steps:
            if step.action == "asked":
                n += 1
                print(f"{n:3d}  {step.qname}")
            elif step.action == "abort":
                print(f"  !  {step.outcome}")
            else:
                print(f"  -  {step.qname}  ({step.action}: {step.outcome})")
        if look.status in ("abort", "EAI_NONAME") and look.steps[-1].action != "asked":
            print(tr(lang, "# ends with {status} when no name exists", status=look.status))
    return 0


def _pod_resolv_conf(args: argparse.Namespace) -> int:
    from infranotes.dns.kubelet import DNSConfig, KubeletDNS, pod_resolv_conf

    dns_config = None
    if args.dns_config:
        text = read_text(args.dns_config, "dnsConfig", "--dns-config")
        dns_config = DNSConfig.from_json(text, source=args.dns_config)
    node = (
        read_text(args.node_resolv_conf, "resolv.conf", "--node-resolv-conf")
        if args.node_resolv_conf
        else ""
    )
    kubelet = KubeletDNS(
        cluster_domain=args.cluster_domain,
        cluster_dns=tuple(
            ip_address(a, "--cluster-dns", version=None)
            for a in args.cluster_dns or ("10.96.0.10",)
        ),
        resolv_conf=args.node_resolv_conf
        if args.node_resolv_conf is not None
        else "/etc/resolv.conf",
        expanded_dns_config=not args.legacy_limits,
    )
    result = pod_resolv_conf(
        kubelet,
        args.namespace,
        dns_policy=args.dns_policy,
        host_network=args.host_network,
        dns_config=dns_config,
        node_resolv_conf=node,
    )
    if args.json:
        emit(result.to_json())
    else:
        for w in result.warnings:
            print(f"warning: {w}", file=sys.stderr)
        sys.stdout.write(result.text)
    return 0


def _record_set(files: list[str], cluster_domain: str, version: str):  # -> RecordSet
    from infranotes.dns.manifests import load_manifests, merge
    from infranotes.dns.records import generate

    inventory = merge(load_manifests(read_text(f, "manifest"), source=f) for f in files)
    return generate(inventory, cluster_domain, version=version)


def _records(args: argparse.Namespace) -> int:
    from infranotes.dns.records import zone_file, zones

    rs = _record_set(args.files, args.cluster_domain, args.spec_version)
    for w in rs.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if args.json:
        emit(rs.to_json())
    elif args.zone_file:
        sys.stdout.write("\n".join(zone_file(z.records, z.origin) for z in zones(rs)))
    else:
        width = max((len(r.record.owner) for r in rs.records), default=10)
        for r in rs.records:
            rec = r.record
            print(
                f"{rec.owner:<{width}}  {rec.ttl:>5}  {rec.rtype:<5}  {rec.rdata}   ; §{r.section}"
            )
    return 0


def _serve(args: argparse.Namespace) -> int:
    from infranotes.dns.records import zones as k8s_zones
    from infranotes.dns.server import DNSServer
    from infranotes.dns.zone import Fault, ZoneSet, parse_zone

    if not args.zone and not args.k8s:
        raise UsageError("dns serve: give --zone FILE, or --k8s FILE with --cluster-domain")
    listen_port = port(args.port, "--port")
    addresses = tuple(ip_address(a, "--address") for a in args.address or ("127.0.0.1",))
    zones = tuple(
        parse_zone(read_text(z, "zone file", "--zone"), source=z) for z in args.zone or ()
    )
    if args.k8s:
        if not args.cluster_domain:
            raise UsageError("dns serve: --k8s needs --cluster-domain")
        zones = (*k8s_zones(_record_set(args.k8s, args.cluster_domain, args.spec_version)), *zones)
    zones += tuple(
        parse_zone(read_text(z, "zone file", "--upstream-zone"), source=z)
        for z in args.upstream_zone or ()
    )
    faults = tuple(
        [Fault.parse(s, "servfail") for s in args.servfail]
        + [Fault.parse(s, "refused") for s in args.refused]
        + [Fault.parse(s, "drop") for s in args.drop]
    )
    server = DNSServer(ZoneSet(zones, faults), addresses, listen_port)
    try:
        server.bind()
    except OSError as exc:
        raise UsageError(f"cannot listen on port {listen_port}: {exc.strerror}") from None
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    server.start()
    where = ", ".join(f"{a}:{server.port}" for a in addresses)
    print(f"serving {len(zones)} zone(s) on {where} (udp+tcp); Ctrl-C stops", file=sys.stderr)
    if args.json:
        print(json.dumps({"port": server.port, "addresses": list(addresses)}), flush=True)
    else:
        print(f"port {server.port}", flush=True)
    seen = 0
    try:
        while not stop.wait(0.1):
            new, seen, lost = server.log_since(seen)
            if lost:
                print(f"warning: {lost} queries fell out of the log before they were printed",
                      file=sys.stderr)  # fmt: skip
            for q in new:
                line = (
                    json.dumps(q.to_json())
                    if args.json
                    else (f"{q.proto} {q.qname} {q.qtype} {q.rcode} {','.join(q.answers)}".rstrip())
                )
                print(line, flush=True)
    finally:
        server.stop()
    return 0


def register(parser: argparse.ArgumentParser) -> None:
    """The ``dns`` verbs."""
    from infranotes.cli.common import Parser

    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=Parser)
    js = json_parent()

    s = verbs.add_parser("search", parents=[js], help="the names a lookup tries, in order")
    s.add_argument("--resolv-conf", required=True, metavar="FILE")
    s.add_argument("--libc", choices=("glibc", "musl"), default="glibc")
    s.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="the process environment: LOCALDOMAIN, RES_OPTIONS (glibc reads both, musl neither)",
    )
    s.add_argument("name", metavar="NAME")
    add_lang(s, "names, libc statuses, answers and resolv.conf's words")
    s.set_defaults(func=_search)

    p = verbs.add_parser(
        "pod-resolv-conf", parents=[js], help="the resolv.conf kubelet writes for a Pod"
    )
    p.add_argument("--cluster-domain", required=True)
    p.add_argument("--namespace", required=True)
    p.add_argument(
        "--dns-policy",
        default="ClusterFirst",
        choices=("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"),
    )
    p.add_argument("--host-network", action="store_true", help="the Pod uses hostNetwork")
    p.add_argument(
        "--cluster-dns",
        action="append",
        metavar="IP",
        help="kubelet clusterDNS (repeatable; default 10.96.0.10)",
    )
    p.add_argument("--dns-config", metavar="FILE", help="spec.dnsConfig, or a whole Pod, as JSON")
    p.add_argument("--node-resolv-conf", metavar="FILE", help="the node's resolv.conf")
    p.add_argument(
        "--legacy-limits",
        action="store_true",
        help="search limits before v1.28 (6 paths, 256 characters)",
    )
    p.set_defaults(func=_pod_resolv_conf)

    r = verbs.add_parser("records", help="the Kubernetes DNS spec's records for your Services")
    r.add_argument("files", nargs="+", metavar="FILE", help="Services, Endpoints, EndpointSlices")
    r.add_argument("--cluster-domain", required=True)
    r.add_argument("--spec-version", choices=("1.1.0", "1.0.1"), default="1.1.0")
    out = r.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="[{name, type, ttl, data}], sorted")
    out.add_argument("--zone-file", action="store_true", help="RFC 1035 master files")
    r.set_defaults(func=_records)

    v = verbs.add_parser("serve", help="serve zone files over UDP and TCP, logging each query")
    v.add_argument("--zone", action="append", metavar="FILE", help="a zone file (repeatable)")
    v.add_argument(
        "--k8s",
        action="append",
        metavar="FILE",
        help="manifests whose Kubernetes DNS records to serve (repeatable)",
    )
    v.add_argument("--cluster-domain", help="the cluster zone, with --k8s")
    v.add_argument("--spec-version", choices=("1.1.0", "1.0.1"), default="1.1.0")
    v.add_argument(
        "--upstream-zone",
        action="append",
        metavar="FILE",
        help="answers every name outside the cluster zone (repeatable)",
    )
    v.add_argument("--port", default="5353", help="0 picks a free port (printed)")
    v.add_argument("--address", action="append", metavar="IP", help="default 127.0.0.1")
    v.add_argument("--servfail", action="append", default=[], metavar="SUFFIX[/TYPE]")
    v.add_argument("--refused", action="append", default=[], metavar="SUFFIX[/TYPE]")
    v.add_argument("--drop", action="append", default=[], metavar="SUFFIX[/TYPE]")
    v.add_argument("--json", action="store_true", help="JSON lines: the port, then each query")
    v.set_defaults(func=_serve)
