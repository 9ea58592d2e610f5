"""The search-list model against real glibc (getent, getaddrinfo) and real musl, query by query."""

from __future__ import annotations

import json
import signal
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infranotes.dns.lab import ResolverLab
from infranotes.dns.resolvconf import (
    glibc_legacy_search_abort,
    localdomain_search_list,
    parse_resolv_conf,
)
from infranotes.dns.search import resolve
from infranotes.dns.server import MALFORMED
from infranotes.dns.zone import Fault, ZoneSet, parse_zone
from infranotes.lab import build_probe, unavailable_reason

from .conftest import require
from .dns_cases import CASES, EDGE_CASES, UNIVERSE, Case

pytestmark = pytest.mark.oracle


def zones_for(case: Case) -> ZoneSet:
    faults = (
        [Fault.parse(s, "servfail") for s in case.servfail]
        + [Fault.parse(s, "refused") for s in case.refused]
        + [Fault.parse(s, "drop") for s in case.drop]
    )
    return ZoneSet((parse_zone(UNIVERSE),), tuple(faults))


ALL = CASES + EDGE_CASES


@pytest.mark.parametrize("case", ALL, ids=[c.id for c in ALL])
def test_model_matches_real_resolvers(case: Case) -> None:
    require("ip", "getent", "gcc", "musl-gcc")
    zones = zones_for(case)
    with ResolverLab(zones, case.resolv_conf) as lab:
        for client in case.clients:
            libc = "musl" if client == "musl" else "glibc"
            conf = parse_resolv_conf(case.resolv_conf, libc, env=case.env)  # type: ignore[arg-type]
            model = resolve(case.name, conf, zones.answer)
            real = lab.run(client, case.name, env=case.env).lookup
            where = f"{case.id} [{client}]"
            # a name with an empty label goes out malformed; the server logs it as such
            expected = tuple(MALFORMED if ".." in n else n for n in model.tried)
            assert real.tried == expected, where
            assert set(real.addresses) == set(model.addresses), where
            if client == "getent":
                assert real.status == ("ok" if model.status == "ok" else "failed"), where
            else:
                assert real.status == model.status, where


def _res_init(env: dict[str, str]) -> dict[str, object] | None:
    """glibc's _res after res_init() under ``env``; None when it died of SIGABRT."""
    proc = subprocess.run(
        [str(build_probe("resinit", "glibc"))], env=env, capture_output=True, text=True
    )
    if proc.returncode == -signal.SIGABRT:
        return None
    return json.loads(proc.stdout)


needs_gcc = pytest.mark.skipif(
    unavailable_reason("gcc", root=False) is not None, reason="gcc is needed for the probe"
)


@needs_gcc
@given(
    st.integers(-(2**40), 2**40).map(str)
    | st.sampled_from(["", " 3", "+4", "-0", "7x", "x7", "99999999999999999999", "-2147483649"])
)
@settings(max_examples=60, deadline=None)
def test_ndots_as_glibc_stores_it(value: str) -> None:
    """RES_OPTIONS=ndots:V goes through the same res_setoptions as the file's options line."""
    real = _res_init({"RES_OPTIONS": f"ndots:{value}"})
    assert real is not None
    model = parse_resolv_conf("", "glibc", env={"RES_OPTIONS": f"ndots:{value}"})
    assert model.options.ndots == real["ndots"], value
    assert len([w for w in model.warnings if w.message.startswith("'ndots")]) <= 1


@needs_gcc
@given(
    st.lists(st.integers(1, 200), min_size=1, max_size=8).map(
        lambda ns: " ".join(chr(97 + i % 26) * n for i, n in enumerate(ns))
    )
    | st.sampled_from(["", " a.test", "a.test\tb.test", "a.test\nb.test"])
)
@settings(max_examples=60, deadline=None)
def test_localdomain_and_the_abort(localdomain: str) -> None:
    """LOCALDOMAIN's split, its legacy copy in _res.dnsrch, and glibc's SIGABRT rule."""
    real = _res_init({"LOCALDOMAIN": localdomain})
    search = localdomain_search_list(localdomain)
    reason = glibc_legacy_search_abort(tuple(search))
    assert (real is None) == (reason is not None), localdomain
    if real is not None:
        copied = real["dnsrch"]
        assert search[: len(copied)] == copied  # type: ignore[arg-type]


def test_every_difference_row_names_an_oracle_case() -> None:
    from infranotes.dns.differences import DIFFERENCES

    ids = {c.id for c in ALL}
    assert [d.oracle_case for d in DIFFERENCES if d.oracle_case not in ids] == []
