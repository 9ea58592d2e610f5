"""The ``infranotes`` command: each topic's engine on your own files.

Exit status: 0 ok, 1 the check found a problem, 2 bad input or usage. Errors are one line
on stderr; ``--json`` prints exactly one JSON document on stdout.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from infranotes.errors import InfranotesError


class UsageError(InfranotesError):
    """Bad arguments: reported like any other input error (exit 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="surrogateescape")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None


def _emit(obj: object) -> None:
    json.dump(obj, sys.stdout, indent=2, sort_keys=False)
    sys.stdout.write("\n")


# --------------------------------------------------------------------------- dns
def _dns_search(args: argparse.Namespace) -> int:
    from infranotes.dns.resolvconf import parse_resolv_conf
    from infranotes.dns.search import candidates, check_name

    text = _read(args.resolv_conf)
    conf = parse_resolv_conf(text, args.libc, source=args.resolv_conf)
    check_name(args.name, source="NAME")
    names = list(candidates(args.name, conf))
    warnings = [f"{args.resolv_conf}:{w.line}: {w.message}" for w in conf.warnings]
    if args.json:
        _emit(
            {
                "name": args.name,
                "libc": conf.libc,
                "ndots": conf.options.ndots,
                "search": list(conf.search),
                "candidates": names,
                "warnings": warnings,
            }
        )
    else:
        for w in warnings:
            print(f"warning: {w}", file=sys.stderr)
        print(
            f"# {conf.libc}, ndots:{conf.options.ndots}, {args.name!r} has "
            f"{args.name.rstrip('.').count('.')} dot(s); tried in this order until one answers:"
        )
        for i, n in enumerate(names, 1):
            print(f"{i:3d}  {n}")
    return 0


def _dns_pod_resolv_conf(args: argparse.Namespace) -> int:
    from infranotes.dns.kubelet import DNSConfig, KubeletDNS, pod_resolv_conf

    dns_config = None
    if args.dns_config:
        dns_config = DNSConfig.from_json(_read(args.dns_config), source=args.dns_config)
    node = _read(args.node_resolv_conf) if args.node_resolv_conf else ""
    kubelet = KubeletDNS(
        cluster_domain=args.cluster_domain,
        cluster_dns=tuple(args.cluster_dns or ("10.96.0.10",)),
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
        _emit(
            {
                "nameservers": list(result.nameservers),
                "searches": list(result.searches),
                "options": list(result.options),
                "warnings": list(result.warnings),
                "text": result.text,
            }
        )
    else:
        for w in result.warnings:
            print(f"warning: {w}", file=sys.stderr)
        sys.stdout.write(result.text)
    return 0


def _record_set(files: list[str], cluster_domain: str, version: str):  # -> RecordSet
    from infranotes.dns.manifests import load_manifests, merge
    from infranotes.dns.records import generate

    inventory = merge(load_manifests(_read(f), source=f) for f in files)
    return generate(inventory, cluster_domain, version=version)


def _dns_records(args: argparse.Namespace) -> int:
    from infranotes.dns.records import zone_file, zones

    rs = _record_set(args.files, args.cluster_domain, args.spec_version)
    for w in rs.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if args.json:
        _emit(rs.to_json())
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


def _dns_serve(args: argparse.Namespace) -> int:
    from infranotes.dns.records import zones as k8s_zones
    from infranotes.dns.server import DNSServer
    from infranotes.dns.zone import Fault, ZoneSet, parse_zone

    if not args.zone and not args.k8s:
        raise UsageError("dns serve: give --zone FILE, or --k8s FILE with --cluster-domain")
    zones = tuple(parse_zone(_read(z), source=z) for z in args.zone or ())
    if args.k8s:
        if not args.cluster_domain:
            raise UsageError("dns serve: --k8s needs --cluster-domain")
        zones = (*k8s_zones(_record_set(args.k8s, args.cluster_domain, args.spec_version)), *zones)
    zones += tuple(parse_zone(_read(z), source=z) for z in args.upstream_zone or ())
    faults = tuple(
        [Fault.parse(s, "servfail") for s in args.servfail]
        + [Fault.parse(s, "refused") for s in args.refused]
        + [Fault.parse(s, "drop") for s in args.drop]
    )
    server = DNSServer(ZoneSet(zones, faults), tuple(args.address), args.port)
    try:
        server.bind()
    except OSError as exc:
        raise UsageError(f"cannot listen on port {args.port}: {exc.strerror}") from None
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    server.start()
    where = ", ".join(f"{a}:{server.port}" for a in args.address)
    print(f"serving {len(zones)} zone(s) on {where} (udp+tcp); Ctrl-C stops", file=sys.stderr)
    if args.json:
        print(json.dumps({"port": server.port, "addresses": list(args.address)}), flush=True)
    else:
        print(f"port {server.port}", flush=True)
    seen = 0
    try:
        while not stop.wait(0.1):
            log = server.log()
            for q in log[seen:]:
                line = (
                    json.dumps(q.to_json())
                    if args.json
                    else (f"{q.proto} {q.qname} {q.qtype} {q.rcode} {','.join(q.answers)}".rstrip())
                )
                print(line, flush=True)
            seen = len(log)
    finally:
        server.stop()
    return 0


def _iptables_trace(args: argparse.Namespace) -> int:
    import ipaddress

    from infranotes.netfilter.packet import Node, Route, parse_packet
    from infranotes.netfilter.ruleset import parse_iptables_save
    from infranotes.netfilter.trace import Tracer

    rs = parse_iptables_save(_read(args.rules), source=args.rules)
    packet = parse_packet(args.packet)
    routes = []
    for spec in args.route or ():
        cidr, _, dev = spec.partition("=")
        try:
            routes.append(Route(ipaddress.IPv4Network(cidr, strict=False), dev or "eth0"))
        except ValueError:
            raise UsageError(f"--route {spec!r}: expected CIDR=DEVICE") from None
    if args.pod_cidr:
        routes.append(Route(ipaddress.IPv4Network(args.pod_cidr, strict=False), "cni0"))
    routes.append(Route(ipaddress.IPv4Network("0.0.0.0/0"), args.uplink))
    addresses = tuple(args.local_address or ("192.168.1.10",))
    node = Node(
        {args.uplink: addresses, "cni0": (args.bridge_address,), "lo": ("127.0.0.1",)},
        tuple(routes),
    )
    sets = {}
    for spec in args.ipset or ():
        name, _, path = spec.partition("=")
        sets[name] = tuple(w for w in _read(path).split() if not w.startswith("#"))
    trace = Tracer(rs, node, sets).trace(packet)
    if args.json:
        _emit(trace.to_json())
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


def _utc(t: int) -> str:
    import datetime as dt

    try:
        return dt.datetime.fromtimestamp(t, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UT")
    except (OverflowError, ValueError, OSError):
        return f"{t} s"


def _tz_inspect(args: argparse.Namespace) -> int:
    from infranotes.timekeeping.tzif import parse_tzif

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc.strerror}") from None
    z = parse_tzif(data, args.file)
    rows = [
        {
            "at": t,
            "utc": _utc(t),
            "utoff": z.types[i].utoff,
            "isdst": z.types[i].isdst,
            "abbr": z.types[i].abbr,
        }
        for t, i in zip(z.transitions, z.indices, strict=True)
    ]
    doc = {
        "file": args.file,
        "version": z.version,
        "types": [{"utoff": t.utoff, "isdst": t.isdst, "abbr": t.abbr} for t in z.types],
        "transitions": rows,
        "leap_seconds": [{"occurrence": x.occurrence, "correction": x.correction} for x in z.leaps],
        "footer": z.footer,
    }
    if args.json:
        _emit(doc)
        return 0
    print(
        f"{args.file}: TZif version {z.version}, {len(z.transitions)} transitions, "
        f"{len(z.types)} local time types, {len(z.leaps)} leap seconds, footer {z.footer!r}"
    )
    shown = (
        rows if len(rows) <= 2 * args.limit else [*rows[: args.limit], None, *rows[-args.limit :]]
    )
    for r in shown:
        if r is None:
            print(f"  ... {len(rows) - 2 * args.limit} more ...")
            continue
        sign = "+" if r["utoff"] >= 0 else "-"
        h, m = divmod(abs(r["utoff"]) // 60, 60)
        dst = "  DST" if r["isdst"] else ""
        print(f"  {r['utc']}  -> {r['abbr']:<6} UTC{sign}{h:02d}:{m:02d}{dst}")
    return 0


def _tz_doctor(args: argparse.Namespace) -> int:
    import datetime as dt

    from infranotes.timekeeping.resolve import diagnose

    root = Path(args.root)
    if not root.is_dir():
        raise UsageError(f"--root {args.root}: not a directory")
    env = {}
    for item in args.env or ():
        k, sep, v = item.partition("=")
        if not sep or k not in ("TZ", "TZDIR"):
            raise UsageError(f"--env {item!r}: expected TZ=VALUE or TZDIR=VALUE")
        env[k] = v
    if args.at is None:
        at = int(dt.datetime.now(dt.UTC).timestamp())
    else:
        try:
            when = dt.datetime.fromisoformat(args.at.replace("Z", "+00:00"))
        except ValueError:
            raise UsageError(f"--at {args.at!r}: expected an ISO 8601 time") from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        at = int(when.timestamp())
    state = diagnose(root, env, args.libc, at)
    if args.json:
        _emit(state.to_json())
    else:
        sign = "+" if state.utc_offset_seconds >= 0 else "-"
        h, m = divmod(abs(state.utc_offset_seconds) // 60, 60)
        print(
            f"{state.libc}: zone {state.zone or '(unnamed)'} from {state.source}: "
            f"{state.abbreviation} UTC{sign}{h:02d}:{m:02d} at {_utc(at)}"
        )
        for w in state.warnings:
            print(f"warning: {w}", file=sys.stderr)
    return 1 if state.warnings else 0


# --------------------------------------------------------------------------- cron
def _time_arg(text: str | None, flag: str) -> int:
    import datetime as dt

    from infranotes.cronjob.manifest import parse_time

    if text is None:
        return int(dt.datetime.now(dt.UTC).timestamp())
    return parse_time(text, flag)


def _cron_next(args: argparse.Namespace) -> int:
    import datetime as dt
    from zoneinfo import ZoneInfo

    from infranotes.cronjob.schedule import (
        ScheduleError,
        describe,
        find_zone,
        next_times,
        parse_schedule,
    )

    zone = find_zone(args.tz)
    if zone is None:
        raise UsageError(f"--tz {args.tz}: unknown time zone")
    if args.n < 1:
        raise UsageError("-n: expected a positive number")
    start = _time_arg(args.start, "--from")
    try:
        sched = parse_schedule(args.spec)
    except ScheduleError as exc:  # what the API server answers when the CronJob is created
        raise ScheduleError(f'spec.schedule: Invalid value: "{args.spec}": {exc}') from None
    try:
        times = next_times(sched, start, args.n, zone)
    except ScheduleError as exc:
        raise ScheduleError(
            f"{exc}; the API server accepts it, and the controller records InvalidSchedule"
        ) from None
    if "TZ" in args.spec:
        print(
            "warning: Kubernetes rejects TZ= or CRON_TZ= in spec.schedule of a new CronJob; "
            "use spec.timeZone",
            file=sys.stderr,
        )
    out_zone = ZoneInfo(sched.zone) if sched.zone else zone
    iso = [dt.datetime.fromtimestamp(t, out_zone).isoformat() for t in times]
    if args.json:
        _emit(iso)
    else:
        print(f"# {describe(sched)}")
        for t in iso:
            print(t)
    return 0


def _cron_explain(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from infranotes.cronjob.controller import Status, decide, iso
    from infranotes.cronjob.manifest import load_cronjobs, validate

    now = _time_arg(args.now, "--now")
    created = _time_arg(args.created, "--created") if args.created else None
    found = load_cronjobs(_read(args.cronjob), args.cronjob, now=created)
    if args.name:
        found = [cj for cj in found if cj[0].name == args.name]
        if not found:
            raise UsageError(f"{args.cronjob}: no CronJob named {args.name!r}")
    if len(found) > 1:
        names = ", ".join(cj[0].name for cj in found)
        raise UsageError(f"{args.cronjob}: {len(found)} CronJobs ({names}); choose one with --name")
    spec, status = found[0]
    if created is not None:
        spec = replace(spec, created=created)
    # An existing object may keep TZ= in its schedule (validation allows it on update).
    errors = validate(spec, allow_tz_in_schedule=True)
    if errors:
        body = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
        raise UsageError(f'The CronJob "{spec.name}" is invalid: {body}')
    if args.last_schedule:
        status = Status(_time_arg(args.last_schedule, "--last-schedule"), status.active)
    if args.active is not None:
        status = Status(status.last_schedule_time, tuple(args.active))
    d = decide(spec, status, now, args.controller, args.controller_zone)
    problem = d.action in ("skip", "error") or any(e.startswith("Warning") for e in d.events)
    if args.json:
        _emit({"cronjob": spec.name, "controller": args.controller, "now": iso(now), **d.to_json()})
    else:
        print(f"{spec.name} ({args.controller} controller) at {iso(now)}: {d.action}")
        if d.scheduled_time is not None:
            job = f", job {d.job_name}" if d.job_name else ""
            print(f"  scheduled time {iso(d.scheduled_time)}{job}")
        print(f"  why: {d.reason}")
        if d.replace:
            print(f"  replaces: {', '.join(d.replace)}")
        print(f"  looks again: {iso(d.next) if d.next is not None else 'only when it changes'}")
        for e in d.events:
            print(f"  event: {e}")
    return 1 if problem else 0


# --------------------------------------------------------------------------- cni
def _cni_run(args: argparse.Namespace) -> int:
    from infranotes.cni.runtime import DEFAULT_CNI_PATH, load_network_config, run_network
    from infranotes.cni.types import CNIError

    net = load_network_config(_read(args.conf), args.conf)
    cid = args.container_id or Path(args.netns).name
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
            _emit({"ok": False, "error": exc.to_json()})
        print(f"infranotes: {exc}", file=sys.stderr)
        return 1
    if args.json:
        _emit(result if result is not None else {"ok": True})
    elif result is not None:
        for ip in result.get("ips", []):
            print(f"{ip['address']}  gateway {ip.get('gateway', '-')}")
        for r in result.get("routes", []):
            print(f"route {r['dst']} via {r.get('gw', '(gateway)')}")
    else:
        print(f"{args.command.upper()} {net.name} {cid} {args.ifname}: ok")
    return 0


# --------------------------------------------------------------------------- reliability
def _number(text: str, flag: str, kind: type = float) -> float:
    try:
        return kind(text)
    except ValueError:
        raise UsageError(f"{flag} {text!r}: expected a number") from None


def _reliability(args: argparse.Namespace) -> int:
    from infranotes.reliability import faults, latency

    try:
        if args.verb == "tail":
            p, n = _number(args.p_slow, "--p-slow"), int(_number(args.fanout, "--fanout", int))
            doc: dict[str, object] = {
                "p_slow": p,
                "fanout": n,
                "p_request_slow": latency.p_any_slow(p, n),
            }
            text = f"{doc['p_request_slow']:.2%} of requests wait for at least one slow backend"
        elif args.verb == "nines":
            d = faults.downtime(_number(args.availability, "--availability"))
            doc = {
                "availability": d.availability,
                "nines": round(d.nines, 3),
                "downtime_per_year_s": d.per_year_s,
                "downtime_per_month_s": d.per_month_s,
                "downtime_per_week_s": d.per_week_s,
                "downtime_per_day_s": d.per_day_s,
            }
            text = (
                f"{d.nines:.2f} nines: {d.per_year_s / 3600:.2f} h a year, "
                f"{d.per_month_s / 60:.1f} min a month, {d.per_day_s:.1f} s a day"
            )
        else:
            f = faults.fleet(
                _number(args.mttf_years, "--mttf-years"), int(_number(args.count, "--count", int))
            )
            doc = {
                "mttf_years": f.mttf_years,
                "count": f.count,
                "failures_per_day": f.failures_per_day,
                "failures_per_year": f.failures_per_day * faults.YEAR_DAYS,
                "days_between_failures": f.days_between_failures,
            }
            text = (
                f"{f.failures_per_day:.2f} failures a day "
                f"(one every {f.days_between_failures * 24:.1f} h)"
            )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        _emit(doc)
    else:
        print(text)
    return 0


# --------------------------------------------------------------------------- ceph
def _ceph_explain(args: argparse.Namespace) -> int:
    from infranotes.ceph.doctor import explain
    from infranotes.ceph.snapshot import parse

    report = explain(parse(_read(args.file), args.file))
    if args.json:
        _emit(report.to_json())
    else:
        print(
            f"{report.health or '(no health in this document)'}: "
            + ", ".join(f"{n} {st}" for st, n, _ in report.combinations)
        )
        for st, n, words in report.combinations:
            print(f"  {n:5d}  {st}: {words}")
        for c in report.checks:
            print(f"  check {c}")
        for i, step in enumerate(report.next_steps, 1):
            print(f"  {i}. {step.command:45s}  # {step.why}")
    return 0 if report.ok else 1


# --------------------------------------------------------------------------- http
def _seconds_arg(text: str | None, flag: str) -> float | None:
    if text is None:
        return None
    value = _number(text, flag)
    if not (value > 0 and math.isfinite(value)):
        raise UsageError(f"{flag}: expected a positive number of seconds, got {text!r}")
    return value


# The generic --connect/--read/--total of `http probe`, as Go's client calls them.
GO_NAMES = {
    "connect": "Dialer.Timeout",
    "read": "ResponseHeaderTimeout",
    "total": "Client.Timeout",
}


def _http_misbehave(args: argparse.Namespace) -> int:
    from infranotes.httptimeouts.peers import MODES, Peer

    if args.mode not in MODES:
        raise UsageError(f"--mode: expected one of {', '.join(MODES)}, got {args.mode!r}")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port: expected 0..65535, got {args.port}")
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        peer = Peer(args.mode, port=args.port).__enter__()
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror}") from None
    try:
        doc = {"mode": args.mode, "port": peer.port, "url": peer.url}
        if peer.certificate is not None:
            doc["cafile"] = str(peer.certificate.cert)
        print(json.dumps(doc), flush=True)
        print(f"{args.mode}: {MODES[args.mode]}; Ctrl-C stops", file=sys.stderr)
        seen = 0
        while not stop.wait(0.1):
            for e in peer.events[seen:]:
                print(json.dumps(e), flush=True)
            seen = len(peer.events)
    finally:
        peer.stop()
    return 0


def _http_probe(args: argparse.Namespace) -> int:
    from urllib.parse import urlsplit

    from infranotes.httptimeouts.probes import probe_go, probe_httpx

    url = urlsplit(args.url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise UsageError(f"URL: expected http://HOST[:PORT]/PATH or https://…, got {args.url!r}")
    t = {
        "connect": _seconds_arg(args.connect, "--connect"),
        "read": _seconds_arg(args.read, "--read"),
        "write": _seconds_arg(args.write, "--write"),
        "total": _seconds_arg(args.total, "--total"),
    }
    give_up = _seconds_arg(args.give_up, "--give-up") or 60.0
    cafile = Path(args.cafile) if args.cafile else None
    if cafile is not None and not cafile.is_file():
        raise UsageError(f"--cafile: no such file {args.cafile}")
    body = int(_number(args.body, "--body", int)) if args.body else 0
    if args.client == "go":
        if t["write"] is not None:
            raise UsageError("--write: Go's client has no write timeout (use --total)")
        go_t = {GO_NAMES[k]: v for k, v in t.items() if v is not None and k != "connect"}
        if t["connect"] is not None:  # like httpx's connect: the TCP connect and the handshake
            go_t["Dialer.Timeout"] = go_t["TLSHandshakeTimeout"] = t["connect"]
        r = probe_go(args.url, go_t, body_bytes=body, cafile=cafile, give_up=give_up)
    else:
        r = probe_httpx(
            args.url,
            connect=t["connect"],
            read=t["read"],
            write=t["write"],
            total=t["total"],
            body_bytes=body,
            cafile=cafile,
            give_up=give_up,
        )
    doc = r.to_json()
    if args.client == "go":
        doc["go_timeout"] = r.fired
        doc["fired"] = {v: k for k, v in GO_NAMES.items()}.get(r.fired or "", r.fired)
        if r.fired == "TLSHandshakeTimeout":
            doc["fired"] = "connect"
    if r.fired is None and r.error is None and r.status is None:
        doc["error"] = f"no answer and no timeout fired within --give-up {give_up:g} s"
    if args.json:
        _emit(doc)
    elif r.fired:
        print(f"{r.fired} timeout fired after {r.after_seconds:.3f} s: {r.error}")
    elif r.error or r.status is None:
        print(f"failed after {r.after_seconds:.3f} s: {doc['error']}")
    else:
        print(f"HTTP {r.status} after {r.after_seconds:.3f} s, no timeout fired")
    return 0 if (r.status is not None and r.error is None) else 1


# --------------------------------------------------------------------------- migrate
def _migrate(args: argparse.Namespace) -> int:
    from infranotes.migrations import runner

    if args.verb == "sql":
        dialect = args.dialect
        if dialect is None and args.url:
            dialect = runner.normalize_url(args.url).get_backend_name()
            dialect = "mysql" if dialect == "mariadb" else dialect
        if dialect is None:
            raise UsageError("migrate sql: give --dialect mysql|postgresql (or --url)")
        sys.stdout.write(runner.offline_sql(dialect, args.to or "head", args.start))
        return 0
    if not args.url:
        raise UsageError(f"migrate {args.verb}: --url is required")
    if args.verb == "status":
        st = runner.status(args.url)
        if args.json:
            _emit(st.to_json())
        else:
            pending = " → ".join(st.pending) or "none"
            print(f"current {st.current or '(no revision)'}, head {st.head}, pending {pending}")
        return 0 if not st.pending else 1
    if args.verb == "stamp":
        if not args.to:
            raise UsageError("migrate stamp: --to REV is required")
        runner.stamp(args.url, args.to)
        print(f"stamped {args.to}", file=sys.stderr)
        return 0
    backup = Path(args.backup) if args.backup else None
    r = runner.upgrade(args.url, args.to or "head", backup_dir=backup)
    doc = {
        "from": r.start,
        "to": r.end,
        "applied": list(r.applied),
        "seconds": round(r.seconds, 3),
        "backup": str(r.backup) if r.backup else None,
    }
    if args.json:
        _emit(doc)
    else:
        applied = " → ".join(r.applied) or "nothing to do"
        print(f"{r.start or '(empty)'} → {r.end}: {applied} in {r.seconds:.2f} s")
        if r.backup:
            print(f"backup: {r.backup}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="infranotes", description=__doc__.splitlines()[0])
    topics = parser.add_subparsers(dest="topic", required=True, parser_class=_Parser)

    dns = topics.add_parser("dns", help="resolv.conf, search lists, Pod DNS, a DNS server")
    verbs = dns.add_subparsers(dest="verb", required=True, parser_class=_Parser)

    s = verbs.add_parser("search", help="the names a lookup tries, in order")
    s.add_argument("--resolv-conf", required=True, metavar="FILE")
    s.add_argument("--libc", choices=("glibc", "musl"), default="glibc")
    s.add_argument("--json", action="store_true")
    s.add_argument("name", metavar="NAME")
    s.set_defaults(func=_dns_search)

    p = verbs.add_parser("pod-resolv-conf", help="the resolv.conf kubelet writes for a Pod")
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
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_dns_pod_resolv_conf)

    r = verbs.add_parser("records", help="the Kubernetes DNS spec's records for your Services")
    r.add_argument("files", nargs="+", metavar="FILE", help="Services, Endpoints, EndpointSlices")
    r.add_argument("--cluster-domain", required=True)
    r.add_argument("--spec-version", choices=("1.1.0", "1.0.1"), default="1.1.0")
    out = r.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="[{name, type, ttl, data}], sorted")
    out.add_argument("--zone-file", action="store_true", help="RFC 1035 master files")
    r.set_defaults(func=_dns_records)

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
    v.add_argument("--port", type=int, default=5353, help="0 picks a free port (printed)")
    v.add_argument("--address", action="append", metavar="IP", help="default 127.0.0.1")
    v.add_argument("--servfail", action="append", default=[], metavar="SUFFIX[/TYPE]")
    v.add_argument("--refused", action="append", default=[], metavar="SUFFIX[/TYPE]")
    v.add_argument("--drop", action="append", default=[], metavar="SUFFIX[/TYPE]")
    v.add_argument("--json", action="store_true", help="JSON lines: the port, then each query")
    v.set_defaults(func=_dns_serve)

    ipt = topics.add_parser("iptables", help="trace a packet through an iptables-save dump")
    iverbs = ipt.add_subparsers(dest="verb", required=True, parser_class=_Parser)
    t = iverbs.add_parser("trace", help="the hooks, tables, chains and rules a packet meets")
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
    t.add_argument("--json", action="store_true")
    t.set_defaults(func=_iptables_trace)

    tz = topics.add_parser("tz", help="TZif files and the zone a process in a root will use")
    tverbs = tz.add_subparsers(dest="verb", required=True, parser_class=_Parser)
    ins = tverbs.add_parser("inspect", help="decode a TZif file (RFC 8536)")
    ins.add_argument("file", metavar="FILE")
    ins.add_argument("--limit", type=int, default=5, help="transitions shown at each end")
    ins.add_argument("--json", action="store_true")
    ins.set_defaults(func=_tz_inspect)
    doc = tverbs.add_parser("doctor", help="which zone glibc or musl uses in a root filesystem")
    doc.add_argument("--root", required=True, metavar="DIR", help="the container's root")
    doc.add_argument("--env", action="append", metavar="TZ=...", help="TZ=VALUE or TZDIR=VALUE")
    doc.add_argument("--libc", choices=("glibc", "musl"), default="glibc")
    doc.add_argument("--at", metavar="TIME", help="ISO 8601 instant (default: now)")
    doc.add_argument("--json", action="store_true")
    doc.set_defaults(func=_tz_doctor)

    cron = topics.add_parser("cron", help="CronJob schedules and what the controller decides")
    cverbs = cron.add_subparsers(dest="verb", required=True, parser_class=_Parser)
    nx = cverbs.add_parser("next", help="the next activations of a schedule (robfig/cron v3)")
    nx.add_argument("spec", metavar="SPEC", help='e.g. "0 0 13 * 5" or "@every 90m"')
    nx.add_argument("--from", dest="start", metavar="TIME", help="ISO 8601 (default: now)")
    nx.add_argument("-n", type=int, default=5, help="how many (default 5)")
    nx.add_argument(
        "--tz",
        default="UTC",
        metavar="ZONE",
        help="spec.timeZone, or kube-controller-manager's zone (default UTC)",
    )
    nx.add_argument("--json", action="store_true")
    nx.set_defaults(func=_cron_next)
    ex = cverbs.add_parser("explain", help="what the CronJob controller does at a given time")
    ex.add_argument("--cronjob", required=True, metavar="FILE", help="CronJob YAML or JSON")
    ex.add_argument("--name", help="which CronJob, when the file holds several")
    ex.add_argument("--now", metavar="TIME", help="ISO 8601 (default: now)")
    ex.add_argument("--last-schedule", metavar="TIME", help="overrides status.lastScheduleTime")
    ex.add_argument("--created", metavar="TIME", help="overrides metadata.creationTimestamp")
    ex.add_argument("--active", action="append", metavar="JOB", help="overrides status.active")
    ex.add_argument("--controller", choices=("v1.10", "current"), default="current")
    ex.add_argument(
        "--controller-zone",
        default="UTC",
        metavar="ZONE",
        help="kube-controller-manager's time zone (default UTC)",
    )
    ex.add_argument("--json", action="store_true")
    ex.set_defaults(func=_cron_explain)

    cni = topics.add_parser("cni", help="run a CNI network configuration as a runtime does")
    nverbs = cni.add_subparsers(dest="verb", required=True, parser_class=_Parser)
    for verb in ("add", "del", "check"):
        v = nverbs.add_parser(verb, help=f"{verb.upper()} the network for a netns")
        v.add_argument("--conf", required=True, metavar="FILE", help=".conf or .conflist")
        v.add_argument("--netns", required=True, metavar="NAME", help="name or path")
        v.add_argument("--ifname", default="eth0")
        v.add_argument("--container-id", metavar="ID", help="default: the netns name")
        v.add_argument("--cni-path", metavar="DIRS", help="default: $CNI_PATH or /opt/cni/bin")
        v.add_argument("--cni-args", metavar="K=V;...", help="CNI_ARGS, e.g. IP=10.1.0.9")
        v.add_argument("--cache-dir", default="/var/lib/cni/results", metavar="DIR")
        v.add_argument("--json", action="store_true")
        v.set_defaults(func=_cni_run, command=verb)

    rel = topics.add_parser("reliability", help="fault arithmetic and tail latency (DDIA ch. 1)")
    rverbs = rel.add_subparsers(dest="verb", required=True, parser_class=_Parser)
    tail = rverbs.add_parser("tail", help="requests slowed by fanning out to N backends")
    tail.add_argument("--p-slow", required=True, metavar="P", help="one backend's chance, 0-1")
    tail.add_argument("--fanout", required=True, metavar="N")
    nines = rverbs.add_parser("nines", help="downtime allowed by an availability")
    nines.add_argument("--availability", required=True, metavar="A", help="e.g. 0.999")
    fl = rverbs.add_parser("fleet", help="expected failures in a fleet")
    fl.add_argument("--mttf-years", required=True, metavar="Y")
    fl.add_argument("--count", required=True, metavar="N")
    for v in (tail, nines, fl):
        v.add_argument("--json", action="store_true")
        v.set_defaults(func=_reliability)

    ceph = topics.add_parser("ceph", help="Ceph placement-group states explained")
    cverbs2 = ceph.add_subparsers(dest="verb", required=True, parser_class=_Parser)
    ce = cverbs2.add_parser("explain", help="ceph -s / pg dump / health detail JSON explained")
    ce.add_argument("file", metavar="FILE")
    ce.add_argument("--json", action="store_true")
    ce.set_defaults(func=_ceph_explain)

    http = topics.add_parser("http", help="HTTP timeouts against misbehaving peers")
    hverbs = http.add_subparsers(dest="verb", required=True, parser_class=_Parser)
    mb = hverbs.add_parser("misbehave", help="run a misbehaving server on 127.0.0.1")
    mb.add_argument("--mode", required=True, metavar="MODE")
    mb.add_argument("--port", type=int, default=0)
    mb.set_defaults(func=_http_misbehave)
    pr = hverbs.add_parser("probe", help="which timeout fires when a client fetches URL")
    pr.add_argument("url", metavar="URL")
    for flag in ("--connect", "--read", "--write", "--total", "--give-up"):
        pr.add_argument(flag, metavar="S")
    pr.add_argument("--body", metavar="BYTES", help="POST this many zero bytes")
    pr.add_argument("--cafile", metavar="PEM")
    pr.add_argument("--client", choices=("httpx", "go"), default="httpx")
    pr.add_argument("--json", action="store_true")
    pr.set_defaults(func=_http_probe)

    mig = topics.add_parser("migrate", help="the Harbor-style alembic chain on a database URL")
    mverbs = mig.add_subparsers(dest="verb", required=True, parser_class=_Parser)
    helps = {
        "status": "current revision, head and pending revisions (exit 1 if any pending)",
        "upgrade": "upgrade to --to REV (default head), with --backup DIR first",
        "sql": "the offline SQL for --dialect, for a DBA to run",
        "stamp": "record --to REV without running anything",
    }
    for verb, text in helps.items():
        v = mverbs.add_parser(verb, help=text)
        v.add_argument("--url", help="sqlite:///PATH, mysql://USER@HOST:PORT/DB, postgresql://…")
        v.add_argument("--to", metavar="REV")
        v.add_argument("--json", action="store_true")
        if verb == "sql":
            v.add_argument("--dialect", metavar="mysql|postgresql")
            v.add_argument("--from", dest="start", metavar="REV", help="default: empty database")
        if verb == "upgrade":
            v.add_argument("--backup", metavar="DIR", help="dump the database here first")
        v.set_defaults(func=_migrate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.topic == "dns" and args.verb == "serve" and args.address is None:
            args.address = ["127.0.0.1"]
        return int(args.func(args))
    except InfranotesError as exc:
        print(f"infranotes: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `infranotes ... | head`: the reader left; not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
