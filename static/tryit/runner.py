"""Runs inside Pyodide: ``infranotes.run(argv, files)`` in the page calls :func:`run`.

The files are already written into the working directory (by the page, so that bytes such
as an uploaded TZif file pass unchanged); this runs the package's own CLI ``main(argv)``
there, capturing what it prints, and answers ``{exit_code, stdout, stderr}`` as JSON.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from pathlib import Path

# Go's time.LoadLocation (the CronJob model) and the libc models read /usr/share/zoneinfo,
# as on a Debian host; here it is the tzdata wheel's zone files.
_ZONES = Path("/usr/share/zoneinfo")
if not _ZONES.exists():
    import tzdata

    _ZONES.parent.mkdir(parents=True, exist_ok=True)
    _ZONES.symlink_to(Path(tzdata.__file__).parent / "zoneinfo")


def run(argv: list[str], workdir: str) -> str:
    """``infranotes.cli.main(argv)`` in ``workdir``; its exit status and output as JSON."""
    from infranotes.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(workdir)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([str(a) for a in argv])
    finally:
        os.chdir(old)
        sys.stdout.flush()
    return json.dumps({"exit_code": code, "stdout": out.getvalue(), "stderr": err.getvalue()})
