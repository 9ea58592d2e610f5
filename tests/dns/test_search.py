"""The search walk: candidate order per libc and which answer stops it."""

from __future__ import annotations

import pytest

from infranotes.dns.resolvconf import parse_resolv_conf
from infranotes.dns.search import Answer, candidates, check_name, resolve
from infranotes.errors import ParseError

K8S = "nameserver 10.96.0.10\nsearch ns.svc.cluster.local svc.cluster.local cluster.local\n"


def conf(libc: str, ndots: int = 5, extra: str = "", search: str = K8S) -> object:
    return parse_resolv_conf(search + f"options ndots:{ndots}{extra}\n", libc)


@pytest.mark.parametrize("libc", ["glibc", "musl"])
def test_fewer_dots_than_ndots_search_first_absolute_last(libc: str) -> None:
    assert candidates("api.example.com", conf(libc)) == (
        "api.example.com.ns.svc.cluster.local.",
        "api.example.com.svc.cluster.local.",
        "api.example.com.cluster.local.",
        "api.example.com.",
    )


def test_enough_dots_glibc_absolute_first_then_search() -> None:
    assert candidates("api.example.com", conf("glibc", ndots=2)) == (
        "api.example.com.",
        "api.example.com.ns.svc.cluster.local.",
        "api.example.com.svc.cluster.local.",
        "api.example.com.cluster.local.",
    )


def test_enough_dots_musl_absolute_only() -> None:
    assert candidates("api.example.com", conf("musl", ndots=2)) == ("api.example.com.",)


@pytest.mark.parametrize("libc", ["glibc", "musl"])
def test_trailing_dot_is_absolute_only(libc: str) -> None:
    assert candidates("api.example.com.", conf(libc)) == ("api.example.com.",)


def test_single_label_bare_name_and_no_tld_query() -> None:
    assert candidates("db", conf("glibc", 1))[-1] == "db."
    assert candidates("db", conf("musl", 1))[-1] == "db."
    assert candidates("db", conf("glibc", 1, " no-tld-query"))[-1] == "db.cluster.local."


def test_ip_literal_sends_nothing() -> None:
    look = resolve("10.0.0.1", conf("glibc"), lambda n, t: Answer("NXDOMAIN"))
    assert look.queries == () and look.addresses == ("10.0.0.1",)


def make(table: dict[str, Answer]):
    return lambda qname, qtype: table.get(f"{qname} {qtype}", table.get(qname, Answer("NXDOMAIN")))


@pytest.mark.parametrize(
    ("libc", "status", "tried"),
    [("glibc", "ok", 2), ("musl", "EAI_NONAME", 1)],
)
def test_nodata_continues_in_glibc_stops_in_musl(libc: str, status: str, tried: int) -> None:
    respond = make(
        {
            "x.ns.svc.cluster.local.": Answer("NOERROR"),
            "x.svc.cluster.local.": Answer("NOERROR", ("10.0.0.1",)),
        }
    )
    look = resolve("x", conf(libc), respond)
    assert look.status == status and len(look.tried) == tried


@pytest.mark.parametrize(
    ("rcode", "glibc_tried", "musl_status"),
    [("SERVFAIL", 4, "EAI_AGAIN"), ("REFUSED", 2, "EAI_AGAIN"), ("TIMEOUT", 2, "EAI_AGAIN")],
)
def test_failures_on_first_search_domain(rcode: str, glibc_tried: int, musl_status: str) -> None:
    respond = make({"x.y.ns.svc.cluster.local.": Answer(rcode)})  # type: ignore[arg-type]
    g = resolve("x.y", conf("glibc"), respond)
    assert len(g.tried) == glibc_tried and g.tried[-1] == "x.y."
    m = resolve("x.y", conf("musl"), respond)
    assert m.status == musl_status and len(m.tried) == 1


def test_a_and_aaaa_per_candidate_and_no_aaaa() -> None:
    look = resolve("x", conf("glibc"), make({}))
    assert [q.qtype for q in look.queries[:2]] == ["A", "AAAA"]
    assert len(look.queries) == 2 * len(look.tried)
    assert {q.qtype for q in resolve("x", conf("glibc", extra=" no-aaaa"), make({})).queries} == {
        "A"
    }


def test_glibc_error_codes() -> None:
    assert resolve("x", conf("glibc"), make({})).status == "EAI_NONAME"
    nodata = make({"x.": Answer("NOERROR")})
    assert resolve("x", conf("glibc"), nodata).status == "EAI_NODATA"


@pytest.mark.parametrize("bad", ["", ".", "a..b", "x" * 64 + ".com", ("a" * 60 + ".") * 5])
def test_check_name_rejects(bad: str) -> None:
    with pytest.raises(ParseError):
        check_name(bad)
