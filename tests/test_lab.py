"""The lab's checks: a clear reason when a lab cannot run, and no silent skip when it must."""

from __future__ import annotations

import os
import sys

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


def test_which_finds_sbin_tools_off_path(monkeypatch, tmp_path) -> None:
    """A tool only in an sbin directory (nsd, mariadbd for a normal user) is still found,
    and lab.run runs it by that path."""
    from infranotes.lab import tools

    sbin = tmp_path / "sbin"
    sbin.mkdir()
    tool = sbin / "fake-daemon"
    tool.write_text("#!/bin/sh\necho daemon says $1\n")
    tool.chmod(0o755)
    monkeypatch.setattr(tools, "SBIN_DIRS", (str(sbin),))
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert lab.which("fake-daemon") == str(tool)
    assert lab.unavailable_reason("fake-daemon", root=False) is None
    assert lab.run(["fake-daemon", "hi"]).stdout == "daemon says hi\n"
    assert lab.which("sh") == "/usr/bin/sh" or lab.which("sh") == "/bin/sh"  # PATH first
    assert lab.which(str(tmp_path / "nope")) is None
    with pytest.raises(LabUnavailable, match=r"no-such-xyz not found \(Debian package p\)"):
        lab.require_tool("no-such-xyz", "p")


def test_start_waits_until_ready_and_reports_an_early_exit(tmp_path) -> None:
    import socket

    port = lab.free_port()
    code = f"import socket, time; s = socket.create_server(('127.0.0.1', {port})); time.sleep(60)"
    server = [sys.executable, "-c", code]

    def ready() -> bool:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()  # OSError: not yet
        return True

    proc = lab.start(server, ready=ready, what="toy server", log=tmp_path / "log")
    try:
        assert proc.poll() is None
    finally:
        lab.stop(proc)
    assert proc.returncode is not None  # reaped
    dying = [sys.executable, "-c", "import sys; print('bad config on line 3'); sys.exit(3)"]
    with pytest.raises(LabUnavailable, match="toy exited with status 3: bad config on line 3"):
        lab.start(dying, ready=lambda: False, what="toy", log=tmp_path / "log2")
    sleepy = [sys.executable, "-c", "import time; time.sleep(60)"]
    with pytest.raises(LabUnavailable, match=r"toy was not ready within 0\.3 s"):
        lab.start(sleepy, ready=lambda: False, what="toy", log=tmp_path / "log3", within=0.3)


def test_scratch_dir_is_removed_when_the_process_exits(tmp_path) -> None:
    import subprocess

    code = (
        "from infranotes import lab; d = lab.scratch_dir(); (d / 'f').write_text('x'); "
        "e = lab.scratch_dir('cni-leak-'); print(d, e)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    ).stdout.split()  # fmt: skip
    assert [p.startswith(str(tmp_path)) for p in out] == [True, True]
    assert list(tmp_path.iterdir()) == []  # both gone with the process
