"""``infranotes http``: misbehaving HTTP peers on loopback, and probes of which timeout fires."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from infranotes.cli.common import (
    MIB,
    Parser,
    UsageError,
    emit,
    emit_line,
    json_parent,
    number,
    port,
    read_bytes,
)

# The generic --connect/--read/--total of `http probe`, as Go's client calls them.
GO_NAMES = {
    "connect": "Dialer.Timeout",
    "read": "ResponseHeaderTimeout",
    "total": "Client.Timeout",
}
# The largest upload --body sends: enough to fill any socket buffer, bounded in memory.
MAX_BODY = 1024 * MIB


def _seconds(text: str | None, flag: str) -> float | None:
    if text is None:
        return None
    value = number(text, flag)
    if not 0 < value <= 86_400:
        raise UsageError(f"{flag}: expected a positive number of seconds up to 86400, got {text!r}")
    return value


def _misbehave(args: argparse.Namespace) -> int:
    from infranotes.httptimeouts.peers import MODES, Peer

    if args.mode not in MODES:
        raise UsageError(f"--mode: expected one of {', '.join(MODES)}, got {args.mode!r}")
    listen_port = port(args.port, "--port")
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        peer = Peer(args.mode, port=listen_port).__enter__()
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{listen_port}: {exc.strerror}") from None
    try:
        doc = {"mode": args.mode, "port": peer.port, "url": peer.url}
        if peer.certificate is not None:
            doc["cafile"] = str(peer.certificate.cert)
        if args.json:
            emit_line(doc)
        else:
            print(
                f"{args.mode} on {peer.url}"
                + (f" (CA {doc['cafile']})" if "cafile" in doc else ""),
                flush=True,
            )
        print(f"{args.mode}: {MODES[args.mode]}; Ctrl-C stops", file=sys.stderr)
        seen = 0
        while not stop.wait(0.1):
            events, seen = peer.events_since(seen)
            for e in events:
                if args.json:
                    emit_line(e)
                else:
                    print(" ".join(f"{k}={v}" for k, v in e.items()), flush=True)
    finally:
        peer.stop()
    return 0


def _probe(args: argparse.Namespace) -> int:
    from urllib.parse import urlsplit

    from infranotes.httptimeouts.probes import probe_go, probe_httpx

    url = urlsplit(args.url)
    try:
        url_port = url.port
    except ValueError:
        raise UsageError(f"URL {args.url!r}: the port must be a number 0..65535") from None
    if url.scheme not in ("http", "https") or not url.hostname or url_port == 0:
        raise UsageError(f"URL: expected http://HOST[:PORT]/PATH or https://…, got {args.url!r}")
    t = {
        "connect": _seconds(args.connect, "--connect"),
        "read": _seconds(args.read, "--read"),
        "write": _seconds(args.write, "--write"),
        "total": _seconds(args.total, "--total"),
    }
    give_up = _seconds(args.give_up, "--give-up") or 60.0
    cafile = None
    if args.cafile:
        cafile = Path(args.cafile)
        pem = read_bytes(args.cafile, "PEM file", "--cafile")
        if b"-----BEGIN CERTIFICATE-----" not in pem:
            raise UsageError(f"--cafile {args.cafile}: expected PEM certificates")
    body = int(number(args.body, "--body", int, lo=0, hi=MAX_BODY)) if args.body else 0
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
        emit(doc)
    elif r.fired:
        print(f"{r.fired} timeout fired after {r.after_seconds:.3f} s: {r.error}")
    elif r.error or r.status is None:
        print(f"failed after {r.after_seconds:.3f} s: {doc['error']}")
    else:
        print(f"HTTP {r.status} after {r.after_seconds:.3f} s, no timeout fired")
    return 0 if (r.status is not None and r.error is None) else 1


def register(parser: argparse.ArgumentParser) -> None:
    """The ``http`` verbs."""
    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=Parser)
    js = json_parent()
    mb = verbs.add_parser(
        "misbehave",
        help="run a misbehaving server on 127.0.0.1",
        description="Runs until Ctrl-C. With --json: JSON lines, the address first, then "
        "one line per event.",
    )
    mb.add_argument("--mode", required=True, metavar="MODE")
    mb.add_argument("--port", default="0")
    mb.add_argument("--json", action="store_true", help="JSON lines: the address, then events")
    mb.set_defaults(func=_misbehave)
    pr = verbs.add_parser(
        "probe", parents=[js], help="which timeout fires when a client fetches URL"
    )
    pr.add_argument("url", metavar="URL")
    for flag in ("--connect", "--read", "--write", "--total", "--give-up"):
        pr.add_argument(flag, metavar="S")
    pr.add_argument("--body", metavar="BYTES", help="POST this many zero bytes")
    pr.add_argument("--cafile", metavar="PEM")
    pr.add_argument("--client", choices=("httpx", "go"), default="httpx")
    pr.set_defaults(func=_probe)
