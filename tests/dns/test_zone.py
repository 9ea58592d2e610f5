"""RFC 4592 wildcard semantics, CNAME chasing across zones, and zone file errors."""

from __future__ import annotations

import pytest

from infranotes.dns.zone import Fault, ZoneSet, parse_zone
from infranotes.errors import ParseError

# RFC 4592 §2.2.1's example zone, trimmed to the names its examples use.
RFC4592 = """\
$ORIGIN example.
example.                 3600 IN SOA   ns.example.com. ahu.example. 1 3600 900 604800 3600
example.                 3600 IN NS    ns.example.com.
*.example.               3600 IN TXT   "this is a wildcard"
*.example.               3600 IN MX    10 host1.example.
sub.*.example.           3600 IN TXT   "this is not a wildcard"
host1.example.           3600 IN A     192.0.2.1
_ssh._tcp.host1.example. 3600 IN SRV   0 0 22 host1.example.
_ssh._tcp.host2.example. 3600 IN SRV   0 0 22 host2.example.
subdel.example.          3600 IN NS    ns.example.com.
"""


@pytest.fixture(scope="module")
def zone():
    return parse_zone(RFC4592, source="rfc4592.zone")


@pytest.mark.parametrize(
    ("qname", "qtype", "rcode", "synthesised"),
    [
        ("host3.example.", "MX", "NOERROR", True),  # RFC 4592 §2.2.1: synthesised
        ("host3.example.", "A", "NOERROR", True),  # wildcard exists, no A: NODATA
        ("foo.bar.example.", "TXT", "NOERROR", True),
        ("host1.example.", "MX", "NOERROR", False),  # name exists: no synthesis, NODATA
        ("sub.*.example.", "MX", "NOERROR", False),
        ("_telnet._tcp.host1.example.", "SRV", "NXDOMAIN", False),  # encloser _tcp.host1 has no *
        ("host.subdel.example.", "A", "NXDOMAIN", False),
        ("ghost.*.example.", "MX", "NXDOMAIN", False),  # encloser *.example is not a wildcard here
        ("_tcp.host1.example.", "A", "NOERROR", False),  # empty non-terminal: NODATA
    ],
)
def test_rfc4592_examples(zone, qname: str, qtype: str, rcode: str, synthesised: bool) -> None:
    ans = zone.lookup(qname, qtype)
    assert ans.rcode == rcode
    assert (ans.wildcard is not None) == synthesised
    if qname == "host3.example." and qtype == "MX":
        assert ans.records[0].owner == "host3.example."


def test_closest_encloser(zone) -> None:
    assert zone.closest_encloser("a.b._tcp.host1.example.") == "_tcp.host1.example."
    assert zone.closest_encloser("nothing.example.") == "example."


def incident_zones() -> ZoneSet:
    upstream = parse_zone(
        "*.ichenfu.com. 60 IN A 1.2.3.4\nlogin.example.com. 60 IN A 5.6.7.8\n"
        "alias.example.com. 60 IN CNAME login.example.com.\n"
    )
    cluster = parse_zone(
        "$ORIGIN c2.ichenfu.com.\n@ 30 IN SOA ns.dns. h.dns. 1 7200 1800 86400 30\n"
        "kubernetes.default.svc 30 IN A 10.254.0.1\n"
    )
    return ZoneSet((upstream, cluster))


def test_deepest_zone_answers_and_wildcard_catches_the_rest() -> None:
    zs = incident_zones()
    assert zs.answer("login.example.com.default.svc.c1.ichenfu.com.", "A").addresses == ("1.2.3.4",)
    assert zs.answer("login.example.com.default.svc.c2.ichenfu.com.", "A").rcode == "NXDOMAIN"
    assert zs.answer("kubernetes.default.svc.c2.ichenfu.com.", "A").addresses == ("10.254.0.1",)
    assert zs.answer("alias.example.com.", "A").addresses == ("5.6.7.8",)


def test_zone_set_refuses_outside_and_applies_faults() -> None:
    only = ZoneSet(
        (parse_zone("$ORIGIN a.test.\nx 60 IN A 1.1.1.1\n"),),
        (Fault.parse("b.a.test/AAAA", "servfail"),),
    )
    assert only.answer("x.b.test.", "A").rcode == "REFUSED"
    assert only.answer("y.b.a.test.", "AAAA").rcode == "SERVFAIL"
    assert only.answer("y.b.a.test.", "A").rcode == "NXDOMAIN"
    with pytest.raises(ParseError):
        Fault.parse("x", "explode")


def test_zone_syntax_error_names_line() -> None:
    with pytest.raises(ParseError) as err:
        parse_zone("a.test. 60 IN A 1.1.1.1\nb.test. 60 IN A not-an-ip\n", source="bad.zone")
    assert err.value.source == "bad.zone" and err.value.line == 2
