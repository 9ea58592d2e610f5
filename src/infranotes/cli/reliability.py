"""``infranotes reliability``: tail latency under fan-out, nines, failures in a fleet."""

from __future__ import annotations

import argparse
from typing import Any

from infranotes.cli.common import Parser, UsageError, add_lang, emit, json_parent, number
from infranotes.reliability.messages import tr

# Large enough for any real fleet or fan-out; small enough that the arithmetic stays exact.
MAX_COUNT = 10**9


def _tail(args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    from infranotes.reliability import latency

    p = number(args.p_slow, "--p-slow", lo=0.0, hi=1.0)
    n = int(number(args.fanout, "--fanout", int, lo=1, hi=MAX_COUNT))
    r = latency.fanout_tail(p, n)
    text = tr(
        args.lang,
        "{share} of requests wait for at least one slow backend",
        share=f"{r.p_request_slow:.2%}",
    )
    return r.to_json(), text


def _nines(args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    from infranotes.reliability import faults

    d = faults.downtime(number(args.availability, "--availability", lo=0.0, hi=1.0))
    text = tr(
        args.lang,
        "{nines} nines: {hours} h a year, {minutes} min a month, {seconds} s a day",
        nines=f"{d.nines:.2f}",
        hours=f"{d.per_year_s / 3600:.2f}",
        minutes=f"{d.per_month_s / 60:.1f}",
        seconds=f"{d.per_day_s:.1f}",
    )
    return d.to_json(), text


def _fleet(args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    from infranotes.reliability import faults

    mttf = number(args.mttf_years, "--mttf-years", lo=1e-9, hi=1e9)
    f = faults.fleet(mttf, int(number(args.count, "--count", int, lo=1, hi=MAX_COUNT)))
    text = tr(
        args.lang,
        "{per_day} failures a day (one every {hours} h)",
        per_day=f"{f.failures_per_day:.2f}",
        hours=f"{f.days_between_failures * 24:.1f}",
    )
    return f.to_json(), text


def _run(args: argparse.Namespace) -> int:
    try:
        doc, text = args.compute(args)
    except ValueError as exc:  # the engines' own range checks
        raise UsageError(str(exc)) from None
    if args.json:
        emit(doc)
    else:
        print(text)
    return 0


def register(parser: argparse.ArgumentParser) -> None:
    """The ``reliability`` verbs."""
    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=Parser)
    js = json_parent()
    keeps = "numbers and the JSON"
    tail = verbs.add_parser("tail", parents=[js], help="requests slowed by fanning out to N")
    tail.add_argument("--p-slow", required=True, metavar="P", help="one backend's chance, 0-1")
    tail.add_argument("--fanout", required=True, metavar="N")
    add_lang(tail, keeps)
    tail.set_defaults(func=_run, compute=_tail)
    nines = verbs.add_parser("nines", parents=[js], help="downtime allowed by an availability")
    nines.add_argument("--availability", required=True, metavar="A", help="e.g. 0.999")
    add_lang(nines, keeps)
    nines.set_defaults(func=_run, compute=_nines)
    fl = verbs.add_parser("fleet", parents=[js], help="expected failures in a fleet")
    fl.add_argument("--mttf-years", required=True, metavar="Y")
    fl.add_argument("--count", required=True, metavar="N")
    add_lang(fl, keeps)
    fl.set_defaults(func=_run, compute=_fleet)
