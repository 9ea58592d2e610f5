"""Running real things beside the models: network namespaces, processes, compiled probes.

Every lab is a context manager that cleans up even on error, and every entry point checks
first what it needs, raising :class:`~infranotes.errors.LabUnavailable` with the reason.
"""

from infranotes.lab.checks import available, can_run, report_skip, unavailable_reason
from infranotes.lab.netns import NetNS, veth
from infranotes.lab.probes import build_gai, build_go_probe, build_probe
from infranotes.lab.process import run, start, stop, wait_until
from infranotes.lab.tools import free_port, require_tool, scratch_dir, which

__all__ = [
    "NetNS",
    "available",
    "build_gai",
    "build_go_probe",
    "build_probe",
    "can_run",
    "free_port",
    "report_skip",
    "require_tool",
    "run",
    "scratch_dir",
    "start",
    "stop",
    "unavailable_reason",
    "veth",
    "wait_until",
    "which",
]
