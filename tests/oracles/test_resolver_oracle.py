"""The search-list model against real glibc (getent, getaddrinfo) and real musl, query by query."""

from __future__ import annotations

import pytest

from infranotes.dns.lab import ResolverLab
from infranotes.dns.resolvconf import parse_resolv_conf
from infranotes.dns.search import resolve
from infranotes.dns.server import MALFORMED
from infranotes.dns.zone import Fault, ZoneSet, parse_zone

from .conftest import require
from .dns_cases import CASES, UNIVERSE, Case

pytestmark = pytest.mark.oracle


def zones_for(case: Case) -> ZoneSet:
    faults = (
        [Fault.parse(s, "servfail") for s in case.servfail]
        + [Fault.parse(s, "refused") for s in case.refused]
        + [Fault.parse(s, "drop") for s in case.drop]
    )
    return ZoneSet((parse_zone(UNIVERSE),), tuple(faults))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_model_matches_real_resolvers(case: Case) -> None:
    require("ip", "getent", "gcc", "musl-gcc")
    zones = zones_for(case)
    with ResolverLab(zones, case.resolv_conf) as lab:
        for client in case.clients:
            libc = "musl" if client == "musl" else "glibc"
            model = resolve(case.name, parse_resolv_conf(case.resolv_conf, libc), zones.answer)
            real = lab.run(client, case.name).lookup
            where = f"{case.id} [{client}]"
            # a name with an empty label goes out malformed; the server logs it as such
            expected = tuple(MALFORMED if ".." in n else n for n in model.tried)
            assert real.tried == expected, where
            assert set(real.addresses) == set(model.addresses), where
            if client == "getent":
                assert real.status == ("ok" if model.status == "ok" else "failed"), where
            else:
                assert real.status == model.status, where
