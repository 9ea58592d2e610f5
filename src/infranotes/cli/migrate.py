"""``infranotes migrate``: the Harbor-style alembic chain on a database URL."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from infranotes.cli.common import Parser, UsageError, emit, json_parent


def _sql(args: argparse.Namespace) -> int:
    from infranotes.migrations import runner

    dialect = args.dialect
    if dialect is None and args.url:
        dialect = runner.normalize_url(args.url).get_backend_name()
        dialect = "mysql" if dialect == "mariadb" else dialect
    if dialect is None:
        raise UsageError("migrate sql: give --dialect mysql|postgresql (or --url)")
    to = args.to or "head"
    sql = runner.offline_sql(dialect, to, args.start)
    if args.json:
        emit({"dialect": dialect, "from": args.start, "to": to, "sql": sql})
    else:
        sys.stdout.write(sql)
    return 0


def _status(args: argparse.Namespace) -> int:
    from infranotes.migrations import runner

    st = runner.status(args.url)
    if args.json:
        emit(st.to_json())
    else:
        pending = " → ".join(st.pending) or "none"
        print(f"current {st.current or '(no revision)'}, head {st.head}, pending {pending}")
    return 0 if not st.pending else 1


def _stamp(args: argparse.Namespace) -> int:
    from infranotes.migrations import runner

    if not args.to:
        raise UsageError("migrate stamp: --to REV is required")
    runner.stamp(args.url, args.to)
    if args.json:
        emit({"stamped": args.to})
    else:
        print(f"stamped {args.to}", file=sys.stderr)
    return 0


def _upgrade(args: argparse.Namespace) -> int:
    from infranotes.migrations import runner

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
        emit(doc)
    else:
        applied = " → ".join(r.applied) or "nothing to do"
        print(f"{r.start or '(empty)'} → {r.end}: {applied} in {r.seconds:.2f} s")
        if r.backup:
            print(f"backup: {r.backup}")
    return 0


def _needs_url(handler):  # type: ignore[no-untyped-def]
    def run(args: argparse.Namespace) -> int:
        if not args.url:
            raise UsageError(f"migrate {args.verb}: --url is required")
        return int(handler(args))

    return run


def register(parser: argparse.ArgumentParser) -> None:
    """The ``migrate`` verbs."""
    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=Parser)
    js = json_parent()
    verbs_table = {
        "status": (
            "current revision, head and pending revisions (exit 1 if any pending)",
            _needs_url(_status),
        ),
        "upgrade": (
            "upgrade to --to REV (default head), with --backup DIR first",
            _needs_url(_upgrade),
        ),
        "sql": ("the offline SQL for --dialect, for a DBA to run", _sql),
        "stamp": ("record --to REV without running anything", _needs_url(_stamp)),
    }
    for verb, (text, handler) in verbs_table.items():
        v = verbs.add_parser(verb, parents=[js], help=text)
        v.add_argument("--url", help="sqlite:///PATH, mysql://USER@HOST:PORT/DB, postgresql://…")
        v.add_argument("--to", metavar="REV")
        if verb == "sql":
            v.add_argument("--dialect", metavar="mysql|postgresql")
            v.add_argument("--from", dest="start", metavar="REV", help="default: empty database")
        if verb == "upgrade":
            v.add_argument("--backup", metavar="DIR", help="dump the database here first")
        v.set_defaults(func=handler)
