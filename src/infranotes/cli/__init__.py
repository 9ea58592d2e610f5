"""The infranotes command: each topic's engine on your own files.

Exit status: 0 ok, 1 the check found a problem, 2 bad input or usage, 3 internal error.
Errors are one line on stderr; ``--json`` prints exactly one JSON document on stdout (JSON
lines for the streaming verbs ``dns serve`` and ``http misbehave``).

One module per topic registers its verbs beside their handlers; a topic's module (and what
it imports) is loaded only when that topic runs, so ``infranotes --help`` and the pure verbs
start without Matplotlib, SQLAlchemy or httpx.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from collections.abc import Sequence

from infranotes.cli.common import Parser, UsageError, one_line
from infranotes.errors import InfranotesError

__all__ = ["TOPICS", "UsageError", "build_parser", "main"]

# topic → (module under infranotes.cli, one-line help). Adding a topic: a module with
# ``register(parser)`` and one line here.
TOPICS: dict[str, tuple[str, str]] = {
    "dns": ("dns", "resolv.conf, search lists, Pod DNS, a DNS server"),
    "iptables": ("netfilter", "trace a packet through an iptables-save dump"),
    "nft": ("nft", "trace a packet through an nftables ruleset"),
    "tz": ("tz", "TZif files and the zone a process in a root will use"),
    "cron": ("cron", "CronJob schedules and what the controller decides"),
    "cni": ("cni", "run a CNI network configuration as a runtime does"),
    "reliability": ("reliability", "fault arithmetic and tail latency (DDIA ch. 1)"),
    "ceph": ("ceph", "Ceph placement-group states explained"),
    "http": ("http", "HTTP timeouts against misbehaving peers"),
    "migrate": ("migrate", "the Harbor-style alembic chain on a database URL"),
}


def _chosen_topic(argv: Sequence[str]) -> str | None:
    """The topic named on the command line (the first word that is not an option)."""
    for word in argv:
        if not word.startswith("-"):
            return word if word in TOPICS else None
    return None


def build_parser(argv: Sequence[str] | None = None) -> Parser:
    """The parser, with verbs registered for the topic in ``argv`` (all topics if None)."""
    parser = Parser(prog="infranotes", description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an internal error"
    )
    topics = parser.add_subparsers(dest="topic", required=True, parser_class=Parser)
    wanted = set(TOPICS) if argv is None else {_chosen_topic(argv)}
    for name, (module, help_text) in TOPICS.items():
        sub = topics.add_parser(name, help=help_text, description=help_text)
        if name in wanted:
            importlib.import_module(f"infranotes.cli.{module}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one verb; return its exit status (never raises, never prints a traceback)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv  # accepted anywhere on the line, not only before the topic
    argv = [word for word in argv if word != "--debug"]
    try:
        args = build_parser(argv).parse_args(argv)
        return int(args.func(args))
    except InfranotesError as exc:
        print(f"infranotes: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `infranotes ... | head`: the reader left; not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except SystemExit as exc:  # argparse's --help and --version
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    except Exception as exc:  # the last resort: one line, exit 3, a traceback only on --debug
        if debug:
            traceback.print_exc()
        message = one_line(f"{type(exc).__name__}: {exc}")[:300]
        print(
            f"infranotes: internal error ({message}); please report it "
            "(run again with --debug for the traceback)",
            file=sys.stderr,
        )
        return 3
