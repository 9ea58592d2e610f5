"""``infranotes cron``: a schedule's next runs; what the CronJob controller decides."""

from __future__ import annotations

import argparse
import sys

from infranotes.cli.common import (
    Parser,
    UsageError,
    add_lang,
    emit,
    json_parent,
    number,
    read_text,
)

# More activations than anyone reads, few enough to answer in well under a second.
MAX_NEXT = 10_000


def _time_arg(text: str | None, flag: str) -> int:
    import datetime as dt

    from infranotes.cronjob.manifest import parse_time

    if text is None:
        return int(dt.datetime.now(dt.UTC).timestamp())
    return parse_time(text, flag)


def _next(args: argparse.Namespace) -> int:
    import datetime as dt

    from infranotes.cronjob.messages import tr
    from infranotes.cronjob.schedule import (
        OutOfRange,
        ScheduleError,
        describe,
        find_zone,
        next_times,
        parse_schedule,
    )

    zone = find_zone(args.tz)
    if zone is None:
        raise UsageError(f"--tz {args.tz}: unknown time zone")
    count = int(number(args.n, "-n", int))
    if not 1 <= count <= MAX_NEXT:
        raise UsageError(
            f"-n {args.n}: expected a positive number up to {MAX_NEXT} (ask for more "
            "in pieces with --from)"
        )
    start = _time_arg(args.start, "--from")
    try:
        sched = parse_schedule(args.spec)
    except ScheduleError as exc:  # what the API server answers when the CronJob is created
        raise ScheduleError(f'spec.schedule: Invalid value: "{args.spec}": {exc}') from None
    try:
        times = next_times(sched, start, count, zone)
    except OutOfRange:
        raise
    except ScheduleError as exc:
        raise ScheduleError(
            f"{exc}; the API server accepts it, and the controller records InvalidSchedule"
        ) from None
    if "TZ" in args.spec:
        print(
            tr(
                args.lang,
                "warning: Kubernetes rejects TZ= or CRON_TZ= in spec.schedule of a new CronJob; "
                "use spec.timeZone",
            ),
            file=sys.stderr,
        )
    out_zone = sched.location() or zone  # the TZ= zone as Go loads it (Asia/./Shanghai too)
    iso = []
    for t in times:
        try:
            iso.append(dt.datetime.fromtimestamp(t, out_zone).isoformat())
        except (OverflowError, ValueError, OSError):
            break  # past year 9999: Python's datetime ends where Go's time goes on
    if args.json:
        emit(iso)
    else:
        print(f"# {describe(sched, args.lang)}")
        for t in iso:
            print(t)
    return 0


def _explain(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from infranotes.cronjob.controller import Status, decide, iso
    from infranotes.cronjob.manifest import load_cronjobs, validate
    from infranotes.cronjob.messages import tr

    now = _time_arg(args.now, "--now")
    created = _time_arg(args.created, "--created") if args.created else None
    text = read_text(args.cronjob, "CronJob", "--cronjob")
    found = load_cronjobs(text, args.cronjob, now=created)
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
    lang = args.lang
    if args.json:
        doc = {"cronjob": spec.name, "controller": args.controller, "now": iso(now), **d.to_json()}
        doc["reason"] = d.reason_in(lang)
        emit(doc)
    else:
        print(
            tr(
                lang,
                "{name} ({controller} controller) at {now}: {action}",
                name=spec.name,
                controller=args.controller,
                now=iso(now),
                action=d.action,
            )
        )
        if d.scheduled_time is not None:
            scheduled = iso(d.scheduled_time)
            print(
                "  "
                + (
                    tr(lang, "scheduled time {time}, job {job}", time=scheduled, job=d.job_name)
                    if d.job_name
                    else tr(lang, "scheduled time {time}", time=scheduled)
                )
            )
        print("  " + tr(lang, "why: {reason}", reason=d.reason_in(lang)))
        if d.replace:
            print("  " + tr(lang, "replaces: {jobs}", jobs=", ".join(d.replace)))
        again = iso(d.next) if d.next is not None else tr(lang, "only when it changes")
        print("  " + tr(lang, "looks again: {when}", when=again))
        for e in d.events:
            print("  " + tr(lang, "event: {event}", event=e))
    return 1 if problem else 0


def register(parser: argparse.ArgumentParser) -> None:
    """The ``cron`` verbs."""
    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=Parser)
    js = json_parent()
    nx = verbs.add_parser(
        "next", parents=[js], help="the next activations of a schedule (robfig/cron v3)"
    )
    nx.add_argument("spec", metavar="SPEC", help='e.g. "0 0 13 * 5" or "@every 90m"')
    nx.add_argument("--from", dest="start", metavar="TIME", help="ISO 8601 (default: now)")
    nx.add_argument("-n", default="5", help=f"how many (default 5, at most {MAX_NEXT})")
    nx.add_argument(
        "--tz",
        default="UTC",
        metavar="ZONE",
        help="spec.timeZone, or kube-controller-manager's zone (default UTC)",
    )
    add_lang(nx, "the times")
    nx.set_defaults(func=_next)
    ex = verbs.add_parser(
        "explain", parents=[js], help="what the CronJob controller does at a given time"
    )
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
    add_lang(ex, "actions, times, Job names and Kubernetes' own events")
    ex.set_defaults(func=_explain)
