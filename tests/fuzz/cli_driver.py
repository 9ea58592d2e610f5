"""Runs ``infranotes`` verbs in-process on hostile inputs and reports each outcome as JSON.

Used by ``test_cli_contract.py`` in a subprocess with a 1 GiB address-space limit, so a verb
that would exhaust memory fails the test instead of the machine. Each case gets a 10 s alarm.
"""

from __future__ import annotations

import contextlib
import io
import json
import resource
import signal
import sys
import time


class _Timeout(Exception):
    pass


def _alarm(*_: object) -> None:
    raise _Timeout


def run(argv: list[str], seconds: int = 10) -> dict[str, object]:
    """One verb: exit status, stderr lines, whether it timed out or raised, and its time."""
    from infranotes.cli import main

    out, err = io.StringIO(), io.StringIO()
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    start = time.monotonic()
    outcome: dict[str, object] = {"argv": argv}
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            outcome["rc"] = main(argv)
    except _Timeout:
        outcome["rc"] = "timeout"
    except BaseException as exc:  # what main() let through: always a bug
        outcome["rc"] = f"raised {type(exc).__name__}: {exc}"[:300]
    finally:
        signal.alarm(0)
    outcome["seconds"] = round(time.monotonic() - start, 3)
    outcome["stderr"] = err.getvalue()
    outcome["stdout_head"] = out.getvalue()[:200]
    return outcome


if __name__ == "__main__":
    limit = 1 << 30
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cases = json.load(sys.stdin)
    print(json.dumps([run(argv) for argv in cases]))
