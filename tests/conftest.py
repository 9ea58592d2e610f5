"""Suite-wide hooks: with INFRANOTES_REQUIRE_LABS=1 a lab test that would skip fails instead.

A skip counts as a lab skip when it was raised by :func:`tests.labs.lab_skip` anywhere, or
happened in a test marked ``oracle`` or ``lab`` (whatever raised it: a fixture, a ``skipif``,
a helper). An unconditional ``@pytest.mark.skip`` and xfail are left alone: they are
decisions, not missing tools. Without the variable nothing changes.
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest

from tests.labs import REQUIRE_ENV, LabSkipped

pytest_plugins = ["pytester"]
LAB_MARKERS = ("oracle", "lab")


def _is_lab_skip(item: pytest.Item, call: pytest.CallInfo[None]) -> bool:
    if call.excinfo is not None and call.excinfo.errisinstance(LabSkipped):
        return True
    if item.get_closest_marker("skip") is not None:
        return False  # skipped on purpose, not for want of a tool
    return any(item.get_closest_marker(m) is not None for m in LAB_MARKERS)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if (
        report.skipped
        and not hasattr(report, "wasxfail")
        and os.environ.get(REQUIRE_ENV) == "1"
        and _is_lab_skip(item, call)
    ):
        reason = getattr(call.excinfo.value, "msg", None) if call.excinfo else None
        if reason is None:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"{REQUIRE_ENV}=1, but this lab test would be skipped: {reason}"
    return report
