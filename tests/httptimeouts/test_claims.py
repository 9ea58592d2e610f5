"""Notebook 09's statements beyond "which timeout fired": the replies and texts it quotes."""

from __future__ import annotations

import json

import pytest

from infranotes.httptimeouts import model
from infranotes.httptimeouts.peers import Peer
from infranotes.httptimeouts.probes import probe_go, probe_httpx
from infranotes.httptimeouts.scenarios import Scenario, run
from infranotes.lab import unavailable_reason
from tests.labs import lab_skip


@pytest.fixture
def go() -> None:
    reason = unavailable_reason("go", root=False)
    if reason:
        lab_skip(reason)


def test_httpx_sends_the_body_at_once_despite_expect() -> None:
    with Peer("ignore-expect") as peer:
        r = probe_httpx(peer.url, read=1, body_bytes=1000, expect=True)
    assert r.status == 200
    doc = json.loads(r.detail)
    # at once: 0.0 on an idle machine; a loaded one may deliver the body a few ms later
    assert doc["body_bytes"] == 1000 and doc["body_after_seconds"] < 0.05


@pytest.mark.oracle
def test_go_sends_the_body_at_once_when_expect_continue_timeout_is_zero(go: None) -> None:
    with Peer("ignore-expect") as peer:
        r = probe_go(peer.url, {}, body_bytes=1000, expect=True)
    assert r.fired is None and r.status == 200
    doc = json.loads(r.detail)
    assert doc["body_bytes"] == 1000 and doc["body_after_seconds"] < 0.05


@pytest.mark.oracle
@pytest.mark.parametrize(
    ("mb", "setting", "said"),
    [
        ("slowloris", "ReadHeaderTimeout", "server said 'HTTP/1.1 400 Bad Request'"),
        ("slowloris", "ReadTimeout", "server said 'HTTP/1.1 400 Bad Request'"),
        ("slow-upload", "ReadTimeout", "server said 'HTTP/1.1 408 Request Timeout'; handler: "),
    ],
)
def test_go_server_replies(go: None, mb: str, setting: str, said: str) -> None:
    m = run(Scenario(model.GO_SERVER, mb, ((setting, 0.5),)))
    assert m.agrees and m.error is not None and m.error.startswith(said)
    if mb == "slow-upload":
        assert m.error.endswith("i/o timeout")  # what the handler's r.Body.Read returned


@pytest.mark.oracle
def test_write_timeout_lets_the_handler_finish(go: None) -> None:
    m = run(Scenario(model.GO_SERVER, "slow-handler", (("WriteTimeout", 0.3),), 0.6))
    assert m.agrees and m.after is not None and m.after >= 0.6
    assert m.error is not None and m.error.startswith("response: none; handler finished after 0.6")
