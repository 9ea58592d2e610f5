"""Properties of the search walk on random search lists and names near the length limits.

The encoders are checked against independent implementations: dnspython's wire encoder for
the 63/255-octet rules, and this machine's glibc ``atoi`` (through ctypes) for the ndots
reader. The walk's shape (what may follow an unencodable candidate, which candidates musl
skips) is checked against the rules quoted from res_query.c and lookup_name.c.
"""

from __future__ import annotations

import ctypes

import dns.name
from hypothesis import given, settings
from hypothesis import strategies as st

from infranotes.dns.resolvconf import (
    glibc_atoi,
    glibc_stored_ndots,
    parse_resolv_conf,
)
from infranotes.dns.search import (
    Answer,
    _wire_problem,
    candidates,
    is_ip_literal,
    musl_encode_problem,
    resolve,
)

LIBC = ctypes.CDLL(None)
LIBC.atoi.argtypes = [ctypes.c_char_p]
LIBC.atoi.restype = ctypes.c_int


def label(min_size: int = 1, max_size: int = 64) -> st.SearchStrategy[str]:
    return st.text("abcxyz0129-", min_size=min_size, max_size=max_size).filter(
        lambda s: not s.startswith("-")
    )


def domain_near_limits() -> st.SearchStrategy[str]:
    """Domains of 1-5 labels whose lengths cluster around 63 and whose total reaches ~250."""
    lab = st.one_of(label(1, 8), label(60, 64))
    return st.lists(lab, min_size=1, max_size=5).map(".".join)


def name_near_limits() -> st.SearchStrategy[str]:
    lab = st.one_of(label(1, 8), label(58, 63))
    return (
        st.lists(lab, min_size=1, max_size=4)
        .map(".".join)
        .filter(lambda n: len(n) <= 253 and n[0] != "-" and not is_ip_literal(n))
    )  # an IP literal is answered by getaddrinfo() itself, no search


def encodes_with_dnspython(text: str) -> bool:
    try:
        dns.name.from_text(text + ".").to_wire()
    except (dns.name.LabelTooLong, dns.name.NameTooLong, dns.name.EmptyLabel):
        return False
    return True


@given(st.lists(st.one_of(label(0, 66), st.just("")), min_size=1, max_size=6))
@settings(max_examples=300, deadline=None)
def test_wire_rules_agree_with_dnspython(labels: list[str]) -> None:
    text = ".".join(labels)
    if not text:
        return
    assert (_wire_problem(text) is None) == encodes_with_dnspython(text)


@given(
    st.text(" \t\n+-0123456789x", max_size=25)
    | st.integers(-(2**70), 2**70).map(str)
    | st.integers(-(2**33), 2**33).map(lambda i: f" {i}x")
)
@settings(max_examples=400, deadline=None)
def test_atoi_matches_this_machines_glibc(text: str) -> None:
    assert glibc_atoi(text) == LIBC.atoi(text.encode())


@given(st.integers(-(2**31), 2**31 - 1))
def test_stored_ndots_fits_the_bit_field(i: int) -> None:
    stored = glibc_stored_ndots(i)
    assert 0 <= stored <= 15
    assert stored == (15 if i > 15 else i % 16)


@given(st.lists(domain_near_limits(), min_size=1, max_size=6), name_near_limits())
@settings(max_examples=300, deadline=None)
def test_glibc_walk_stops_at_the_first_unencodable_candidate(search: list[str], name: str) -> None:
    conf = parse_resolv_conf("search " + " ".join(search) + "\noptions ndots:15\n", "glibc")
    if conf.abort_reason:
        assert resolve(name, conf, lambda q, t: Answer("NXDOMAIN")).status == "abort"
        return
    look = resolve(name, conf, lambda q, t: Answer("NXDOMAIN"))
    bad = [i for i, d in enumerate(search) if _wire_problem(f"{name}.{d}") is not None]
    asked_search = [s.qname for s in look.steps if s.action == "asked"][: len(search)]
    if bad:
        first = bad[0]
        # the search list is abandoned at the first bad candidate ...
        assert [s.action for s in look.steps[: first + 1]] == ["asked"] * first + ["unencodable"]
        # ... and the name as typed is still asked, last
        assert look.steps[first + 1 :] and look.steps[-1].qname == name + "."
        assert len(look.steps) == first + 2
    else:
        # duplicates included, every domain is asked in order, then the name as typed
        assert asked_search == [f"{name}.{d}." for d in search]
        assert look.tried[-1] == name + "."
    assert all(encodes_with_dnspython(q.rstrip(".")) for q in look.tried)


@given(st.lists(domain_near_limits(), min_size=1, max_size=4), name_near_limits())
@settings(max_examples=300, deadline=None)
def test_musl_skips_long_candidates_and_ends_on_an_unencodable_one(
    search: list[str], name: str
) -> None:
    conf = parse_resolv_conf("search " + " ".join(search) + "\noptions ndots:15\n", "musl")
    if tuple(conf.search) != tuple(search):
        return  # musl skips a resolv.conf line of 255+ characters whole
    look = resolve(name, conf, lambda q, t: Answer("NXDOMAIN"))
    expected: list[str] = []
    for d in search:
        if len(name) + 1 + len(d) >= 256:
            expected.append("skipped")
        elif musl_encode_problem(f"{name}.{d}") is not None:
            expected.append("unencodable")
            break
        else:
            expected.append("asked")
    if "unencodable" not in expected:
        expected.append("asked")  # the name as typed, last
    assert [s.action for s in look.steps] == expected
    if expected[-1] == "unencodable":
        assert look.status == "EAI_NONAME"


@given(st.lists(st.sampled_from(["a.test", "b.test", "a.test"]), min_size=1, max_size=6))
def test_repeated_domains_are_asked_again(search: list[str]) -> None:
    for libc in ("glibc", "musl"):
        conf = parse_resolv_conf("search " + " ".join(search) + "\n", libc)  # type: ignore[arg-type]
        assert candidates("x", conf)[:-1] == tuple(f"x.{d}." for d in search)
