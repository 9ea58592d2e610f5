"""Running a command with a deadline, and starting a server and waiting until it is ready.

Both find the program with :func:`infranotes.lab.tools.which` (PATH, then the sbin
directories) and turn "not there", "did not finish" and "never became ready" into
:class:`~infranotes.errors.LabUnavailable` with the reason.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from infranotes.errors import LabUnavailable
from infranotes.lab.tools import which


def _resolved(cmd: Sequence[str]) -> list[str]:
    argv = [str(c) for c in cmd]
    if not argv:
        raise LabUnavailable("empty command")
    argv[0] = which(argv[0]) or argv[0]
    return argv


def run(
    cmd: Sequence[str], *, timeout: float = 30, check: bool = False, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` capturing text output; LabUnavailable if it is missing or times out."""
    try:
        proc = subprocess.run(
            _resolved(cmd), capture_output=True, text=True, timeout=timeout, input=input
        )
    except FileNotFoundError:
        raise LabUnavailable(f"command not found: {cmd[0]}") from None
    except subprocess.TimeoutExpired:
        raise LabUnavailable(f"{' '.join(cmd)} did not finish within {timeout} s") from None
    if check and proc.returncode != 0:
        raise LabUnavailable(
            f"{' '.join(cmd)} failed with exit {proc.returncode}: {proc.stderr.strip()[:300]}"
        )
    return proc


def _tail(log: Path | None, lines: int = 3) -> str:
    if log is None or not log.exists():
        return "no output"
    text = log.read_text(errors="replace").strip().splitlines()[-lines:]
    return " | ".join(text) or "no output"


def wait_until(
    ready: Callable[[], bool],
    *,
    within: float,
    what: str,
    proc: subprocess.Popen[bytes] | None = None,
    log: Path | None = None,
    interval: float = 0.1,
) -> None:
    """Poll ``ready()`` every ``interval`` s until it is true. LabUnavailable when ``proc``
    exits first (with the last lines of ``log``) or after ``within`` seconds. ``ready`` may
    raise OSError (nothing listening yet): that counts as not ready."""
    deadline = time.monotonic() + within
    while True:
        if proc is not None and proc.poll() is not None:
            raise LabUnavailable(f"{what} exited with status {proc.returncode}: {_tail(log)}")
        try:
            if ready():
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise LabUnavailable(f"{what} was not ready within {within:g} s: {_tail(log)}")
        time.sleep(interval)


def stop(proc: subprocess.Popen[bytes] | None, timeout: float = 30) -> None:
    """SIGTERM, then SIGKILL after ``timeout`` s; reaps the process either way."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def start(
    cmd: Sequence[str],
    *,
    ready: Callable[[], bool],
    what: str,
    log: Path,
    within: float = 60,
) -> subprocess.Popen[bytes]:
    """Start ``cmd`` with its output appended to ``log`` and wait until ``ready()``; the
    process is stopped again if it never gets there."""
    try:
        with open(log, "ab") as fh:
            proc = subprocess.Popen(_resolved(cmd), stdout=fh, stderr=subprocess.STDOUT)
    except FileNotFoundError:
        raise LabUnavailable(f"command not found: {cmd[0]}") from None
    try:
        wait_until(ready, within=within, what=what, proc=proc, log=log)
    except BaseException:
        stop(proc)
        raise
    return proc
