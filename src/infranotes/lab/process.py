"""Running a command with a deadline and a clear error when it cannot start."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence

from infranotes.errors import LabUnavailable


def run(
    cmd: Sequence[str], *, timeout: float = 30, check: bool = False, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` capturing text output; LabUnavailable if it is missing or times out."""
    try:
        proc = subprocess.run(
            list(cmd), capture_output=True, text=True, timeout=timeout, input=input
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
