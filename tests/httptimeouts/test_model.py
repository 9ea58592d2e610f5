"""The phase model: coverage, fallbacks, the per-operation rule and the traps as data."""

from __future__ import annotations

import pytest

from infranotes.httptimeouts import model

RHT, CT, RT, RHDR = "ResponseHeaderTimeout", "Client.Timeout", "ReadTimeout", "ReadHeaderTimeout"


def test_every_timeout_covers_known_phases() -> None:
    for t in model.TIMEOUTS:
        phases = model.SERVER_PHASES if t.side == "server" else model.CLIENT_PHASES
        assert t.covers and set(t.covers) <= set(phases), t.name
        idx = [phases.index(p) for p in t.covers]
        assert idx == sorted(idx), f"{t.name}: phases out of order"
        assert t.kind in ("deadline", "per-operation") and t.source


def test_misbehaviours_stall_a_phase_of_their_side() -> None:
    for m in model.MISBEHAVIOURS:
        phases = model.SERVER_PHASES if m.side == "server" else model.CLIENT_PHASES
        assert m.phase in phases


@pytest.mark.parametrize(
    ("stack", "mb", "conf", "fired", "after"),
    [
        # a trickling peer defeats per-operation timeouts, not deadlines
        (model.HTTPX, "slow-headers", {"read": 1.0}, None, None),
        (model.HTTPX, "slow-headers", {"read": 1.0, "total": 3.0}, "total", 3.0),
        (model.GO_CLIENT, "slow-headers", {RHT: 1.0}, RHT, 1.0),
        # ResponseHeaderTimeout does not cover the body; Client.Timeout does
        (model.GO_CLIENT, "stall-body", {"ResponseHeaderTimeout": 1.0}, None, None),
        (model.GO_CLIENT, "stall-body", {"Client.Timeout": 2.0, RHT: 1.0}, "Client.Timeout", 2.0),
        # the earliest covering timeout wins
        (model.GO_CLIENT, "no-accept", {"Dialer.Timeout": 2, CT: 1}, CT, 1),
        # httpx's connect covers the handshake too
        (model.HTTPX, "tls-stall", {"connect": 0.5}, "connect", 0.5),
        # Go server fallbacks: ReadTimeout stands in for unset header and idle timeouts
        (model.GO_SERVER, "slowloris", {"ReadTimeout": 2.0}, "ReadTimeout", 2.0),
        (model.GO_SERVER, "slowloris", {RT: 2, RHDR: 1}, RHDR, 1),
        (model.GO_SERVER, "idle-keep-alive", {"ReadTimeout": 2.0}, "ReadTimeout", 2.0),
        (model.GO_SERVER, "slow-upload", {"ReadHeaderTimeout": 1.0}, None, None),
        # no timeouts set: nothing fires (the zero-value trap)
        (model.GO_SERVER, "slowloris", {}, None, None),
        (model.GO_CLIENT, "no-response", {"ResponseHeaderTimeout": 0}, None, None),
        # uvicorn's only timer is for idle keep-alive connections
        (model.UVICORN, "silent-client", {"timeout_keep_alive": 5}, None, None),
        (model.UVICORN, "idle-keep-alive", {"timeout_keep_alive": 5}, "timeout_keep_alive", 5),
        # http.server's timeout is per recv: silence trips it, a trickle does not
        (model.STDLIB_SERVER, "silent-client", {"timeout": 1.0}, "timeout", 1.0),
        (model.STDLIB_SERVER, "slowloris", {"timeout": 1.0}, None, None),
    ],
)  # fmt: skip
def test_predict(stack: str, mb: str, conf: dict, fired: str | None, after: float | None) -> None:
    p = model.predict(stack, mb, conf)
    assert (p.fired, p.after) == (fired, after)


def test_write_timeout_shows_after_the_handler() -> None:
    p = model.predict(model.GO_SERVER, "slow-handler", {"WriteTimeout": 1.0}, handler_seconds=3)
    assert (p.fired, p.after, p.on_expiry) == ("WriteTimeout", 3, "close-after-handler")
    quick = model.predict(
        model.GO_SERVER, "slow-handler", {"WriteTimeout": 1.0}, handler_seconds=0.2
    )
    assert quick.after == 1.0


def test_expect_continue_lets_the_request_proceed() -> None:
    p = model.predict(model.GO_CLIENT, "ignore-expect", {"ExpectContinueTimeout": 1.0})
    assert (p.fired, p.on_expiry) == ("ExpectContinueTimeout", "proceed")
    assert model.predict(model.HTTPX, "ignore-expect", {"write": 1, "read": 1}).fired is None


def test_traps_name_their_stack_and_source() -> None:
    stacks = {t.stack for t in model.TIMEOUTS}
    assert len(model.TRAPS) >= 5
    for trap in model.TRAPS:
        assert trap.stack in stacks and trap.source and trap.detail


def test_unknown_names_are_errors() -> None:
    with pytest.raises(KeyError):
        model.misbehaviour("teapot")
    with pytest.raises(KeyError):
        model.find(model.HTTPX, "ReadTimeout")
    assert model.find(model.HTTPX, "read").kind == "per-operation"


def test_every_bad_server_of_the_model_is_a_peer_mode() -> None:
    from infranotes.httptimeouts.peers import MODES

    assert {m.name for m in model.MISBEHAVIOURS if m.side == "client"} <= set(MODES)
