"""The lab's checks: a clear reason when a lab cannot run, and no silent skip when it must."""

from __future__ import annotations

import os

import pytest

from infranotes import lab
from infranotes.errors import LabUnavailable


def test_not_root_is_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert lab.unavailable_reason("ip") == "needs root (network namespaces and bind mounts)"
    with pytest.raises(LabUnavailable, match="needs root"):
        lab.available("ip")


def test_missing_tool_is_named() -> None:
    reason = lab.unavailable_reason("no-such-tool-xyz", root=False)
    assert reason == "missing tool(s): no-such-tool-xyz"


def test_can_run_prints_one_sentence_or_raises(monkeypatch, capsys) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.delenv("INFRANOTES_REQUIRE_LABS", raising=False)
    assert lab.can_run("ip", what="the demo") is False
    out = capsys.readouterr().out
    assert out.startswith("Skipped the demo: needs root") and out.count("\n") == 1
    monkeypatch.setenv("INFRANOTES_REQUIRE_LABS", "1")
    with pytest.raises(LabUnavailable):
        lab.can_run("ip")


def test_run_reports_missing_command() -> None:
    with pytest.raises(LabUnavailable, match="command not found"):
        lab.run(["no-such-command-xyz"])
