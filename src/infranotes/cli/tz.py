"""``infranotes tz``: decode a TZif file; which zone a process in a root filesystem uses."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from infranotes.cli.common import (
    Parser,
    UsageError,
    add_lang,
    emit,
    json_parent,
    number,
    read_bytes,
)


def _inspect(args: argparse.Namespace) -> int:
    from infranotes.timekeeping.tzif import parse_tzif

    limit = int(number(args.limit, "--limit", int, lo=0, hi=100_000))
    z = parse_tzif(read_bytes(args.file, "TZif file"), args.file)
    doc = z.to_json()
    rows = doc["transitions"]
    if args.json:
        emit(doc)
        return 0
    print(
        f"{args.file}: TZif version {z.version}, {len(z.transitions)} transitions, "
        f"{len(z.types)} local time types, {len(z.leaps)} leap seconds, footer {z.footer!r}"
    )
    shown = rows if len(rows) <= 2 * limit else [*rows[:limit], None, *rows[len(rows) - limit :]]
    for r in shown:
        if r is None:
            print(f"  ... {len(rows) - 2 * limit} more ...")
            continue
        sign = "+" if r["utoff"] >= 0 else "-"
        h, m = divmod(abs(r["utoff"]) // 60, 60)
        dst = "  DST" if r["isdst"] else ""
        print(f"  {r['utc']}  -> {r['abbr']:<6} UTC{sign}{h:02d}:{m:02d}{dst}")
    return 0


def _doctor(args: argparse.Namespace) -> int:
    import datetime as dt

    from infranotes.timekeeping.messages import say, tr
    from infranotes.timekeeping.resolve import diagnose
    from infranotes.timekeeping.tzif import utc_text

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
        try:
            at = int(when.timestamp())
        except (OverflowError, ValueError, OSError):
            raise UsageError(f"--at {args.at!r}: outside the range of Unix time") from None
    try:
        state = diagnose(root, env, args.libc, at)
    except OSError as exc:  # e.g. an unreadable etc/localtime in the root
        raise UsageError(f"--root {args.root}: {exc.strerror or exc}: {exc.filename}") from None
    lang = args.lang
    if args.json:
        doc = state.to_json()
        doc["source"] = say(state.source, lang)
        doc["warnings"] = [say(w, lang) for w in state.warnings]
        emit(doc)
    else:
        sign = "+" if state.utc_offset_seconds >= 0 else "-"
        h, m = divmod(abs(state.utc_offset_seconds) // 60, 60)
        print(
            tr(
                lang,
                "{libc}: zone {zone} from {source}: {abbreviation} UTC{offset} at {at}",
                libc=state.libc,
                zone=state.zone or tr(lang, "(unnamed)"),
                source=say(state.source, lang),
                abbreviation=state.abbreviation,
                offset=f"{sign}{h:02d}:{m:02d}",
                at=utc_text(at),
            )
        )
        for w in state.warnings:
            print(tr(lang, "warning: {warning}", warning=say(w, lang)), file=sys.stderr)
    return 1 if state.warnings else 0


def register(parser: argparse.ArgumentParser) -> None:
    """The ``tz`` verbs."""
    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=Parser)
    js = json_parent()
    ins = verbs.add_parser("inspect", parents=[js], help="decode a TZif file (RFC 8536)")
    ins.add_argument("file", metavar="FILE")
    ins.add_argument("--limit", default="5", help="transitions shown at each end")
    ins.set_defaults(func=_inspect)
    doc = verbs.add_parser(
        "doctor", parents=[js], help="which zone glibc or musl uses in a root filesystem"
    )
    doc.add_argument("--root", required=True, metavar="DIR", help="the container's root")
    doc.add_argument("--env", action="append", metavar="TZ=...", help="TZ=VALUE or TZDIR=VALUE")
    doc.add_argument("--libc", choices=("glibc", "musl"), default="glibc")
    doc.add_argument("--at", metavar="TIME", help="ISO 8601 instant (default: now)")
    add_lang(doc, "zone names, abbreviations, paths and TZ values")
    doc.set_defaults(func=_doctor)
