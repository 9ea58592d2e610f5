"""``infranotes migrate``: the Harbor-style alembic chain on a database URL."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from infranotes.cli.common import Parser, UsageError, emit, json_parent, read_text

if TYPE_CHECKING:
    from infranotes.migrations.runner import Plan


def _sql(args: argparse.Namespace) -> int:
    from infranotes.migrations import runner

    dialect = args.dialect
    if dialect is None and args.url:
        dialect = runner.normalize_url(args.url).get_backend_name()
        dialect = "mysql" if dialect == "mariadb" else dialect
    if dialect is None:
        raise UsageError("migrate sql: give --dialect mysql|postgresql (or --url)")
    to = args.to or "head"
    script = runner.offline_script(dialect, to, args.start)
    if args.json:
        emit(script.to_json())
    else:
        sys.stdout.write(script.sql)
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
    stamped = runner.stamp(args.url, args.to)
    if args.json:
        emit(stamped.to_json())
    else:
        print(f"stamped {args.to}", file=sys.stderr)
    return 0


DEFAULT_BACKUP_DIR = "harbor-backups"


def _upgrade(args: argparse.Namespace) -> int:
    """Plan first: verify the database, say what would be backed up and run; only with
    ``--apply`` back it up and run it. A database that is not verifiably at a known
    revision with that revision's schema is refused (exit 1, one line per difference)."""
    from infranotes.migrations import runner

    if args.no_backup and args.backup:
        raise UsageError("migrate upgrade: --backup DIR and --no-backup exclude each other")
    if args.apply and args.dry_run:
        raise UsageError("migrate upgrade: --apply and --dry-run exclude each other")
    backup = None if args.no_backup else Path(args.backup or DEFAULT_BACKUP_DIR)
    to = args.to or "head"
    plan = runner.plan(args.url, to, backup)
    checked = plan.verification
    if not checked.ok:
        if args.json:
            emit(runner.Outcome(plan).to_json())
        else:
            at = checked.revision or "no revision"
            print(f"refusing to upgrade: the database (recorded at {at}) does not have the "
                  f"schema of its revision; {len(checked.differences)} difference(s):")  # fmt: skip
            for line in checked.differences:
                print(f"  {line}")
        return 1
    if not args.json:
        _print_plan(plan)
    if not args.apply:
        if args.json:
            emit(runner.Outcome(plan).to_json())
        else:
            print("dry run: nothing was changed; add --apply to run it")
        return 0
    r = runner.upgrade(args.url, to, backup_dir=backup)
    if args.json:
        emit(runner.Outcome(plan, r).to_json())
    else:
        applied = " → ".join(r.applied) or "nothing to do"
        print(f"{r.start or '(empty)'} → {r.end}: {applied} in {r.seconds:.2f} s")
        print(f"backup: {r.backup}" if r.backup else "backup: none (--no-backup)")
    return 0


def _print_plan(plan: Plan) -> None:
    v = plan.verification
    print(f"verified: at {v.revision or '(empty database)'}, {v.tables} tables, schema as expected")
    if not plan.steps:
        print(f"nothing to do: already at {plan.to}")
        return
    where = plan.backup_dir if plan.backup_dir else "none (--no-backup)"
    print(f"backup first: {where}")
    print(f"plan {plan.start or '(empty)'} → {plan.to} (SQL as {plan.sql_dialect} renders it):")
    for step in plan.steps:
        print(f"  {step.summary}")
        for stmt in step.statements:
            print(f"    {stmt}")


def _cfg(args: argparse.Namespace) -> int:
    """Convert a Harbor 0.5 ``harbor.cfg`` to 1.5: the new file on stdout, what moved on
    stderr (or everything in one JSON document)."""
    from infranotes.migrations import harborcfg

    if not args.source:
        raise UsageError("migrate cfg: --from FILE is required (a Harbor 0.5 harbor.cfg)")
    text = read_text(args.source, "harbor.cfg", "--from")
    conv = harborcfg.convert(harborcfg.parse(text, args.source))
    if args.json:
        emit(conv.to_json())
        return 0
    sys.stdout.write(conv.text)
    err = sys.stderr
    print(f"carried {len(conv.carried)} settings, added {len(conv.added)} with 1.5 defaults",
          file=err)  # fmt: skip
    for key, old, new, why in conv.changed:
        print(f"changed {key}: {old} -> {new} ({why})", file=err)
    for key, _value, why in conv.removed:
        print(f"dropped {key}: {why}", file=err)
    for key in conv.unknown:
        print(f"dropped {key}: not a Harbor 0.5 setting", file=err)
    print(f"held by the adminserver after its first start: {', '.join(conv.adminserver)}",
          file=err)  # fmt: skip
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
            "verify, then plan the upgrade to --to REV (default head); --apply runs it",
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
            v.add_argument(
                "--backup",
                metavar="DIR",
                help=f"dump the database here first ({DEFAULT_BACKUP_DIR})",
            )
            v.add_argument("--no-backup", action="store_true", help="skip the backup (explicit)")
            v.add_argument("--dry-run", action="store_true", help="print the plan only (default)")
            v.add_argument("--apply", action="store_true", help="back up and run the plan")
        v.set_defaults(func=handler)
    c = verbs.add_parser(
        "cfg", parents=[js], help="convert a Harbor 0.5 harbor.cfg (--from FILE) to 1.5"
    )
    c.add_argument("--from", dest="source", metavar="FILE", help="the Harbor 0.5 harbor.cfg")
    c.set_defaults(func=_cfg)
