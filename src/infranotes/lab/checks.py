"""Can a live lab run here? One function answers with the reason when it cannot."""

from __future__ import annotations

import os

from infranotes.errors import LabUnavailable
from infranotes.lab.tools import which


def unavailable_reason(*tools: str, root: bool = True, netns: bool = False) -> str | None:
    """Why a lab needing ``tools`` (and root, and network namespaces) cannot run, or None.
    Tools are looked for on PATH and in /usr/sbin and /sbin (:func:`lab.tools.which`)."""
    if root and os.geteuid() != 0:
        return "needs root (network namespaces and bind mounts)"
    missing = [t for t in tools if which(t) is None]
    if missing:
        return "missing tool(s): " + ", ".join(missing)
    if netns and not os.path.exists("/proc/self/ns/net"):
        return "this kernel has no network namespaces"
    return None


def can_run(*tools: str, what: str = "this live lab", root: bool = True) -> bool:
    """For notebooks: True if the lab can run; else print one sentence saying what is skipped.

    With ``INFRANOTES_REQUIRE_LABS=1`` (set by ``make test`` as root) a missing requirement
    is an error instead, so CI cannot silently skip a lab.
    """
    reason = unavailable_reason(*tools, root=root, netns=root)
    if reason is None:
        return True
    report_skip(what, reason)
    return False


def report_skip(what: str, reason: str) -> None:
    """Say in one sentence that ``what`` is skipped and why, or, with
    ``INFRANOTES_REQUIRE_LABS=1``, raise LabUnavailable so CI cannot skip it silently."""
    if os.environ.get("INFRANOTES_REQUIRE_LABS") == "1":
        raise LabUnavailable(reason)
    print(f"Skipped {what}: {reason}. The stored output below shows a run in CI.")


def available(*tools: str, root: bool = True, netns: bool = False) -> None:
    """Raise LabUnavailable unless the lab's requirements are met."""
    reason = unavailable_reason(*tools, root=root, netns=netns)
    if reason:
        raise LabUnavailable(reason)
