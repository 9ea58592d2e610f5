"""resolv.conf as glibc and musl read it; each libc difference claimed in the notes is here."""

from __future__ import annotations

import pytest

from infranotes.dns.resolvconf import parse_resolv_conf, render_resolv_conf
from infranotes.errors import ParseError

INCIDENT = """\
nameserver 10.254.0.2
search default.svc.c1.ichenfu.com svc.c1.ichenfu.com c1.ichenfu.com localdomain
options ndots:5
"""


@pytest.mark.parametrize("libc", ["glibc", "musl"])
def test_incident_file(libc: str) -> None:
    conf = parse_resolv_conf(INCIDENT, libc)
    assert conf.nameservers == ("10.254.0.2",)
    assert conf.search[0] == "default.svc.c1.ichenfu.com" and len(conf.search) == 4
    assert conf.options.ndots == 5 and conf.warnings == ()


@pytest.mark.parametrize(
    ("text", "glibc", "musl"),
    [
        ("options ndots:20\n", 15, 15),
        ("options ndots:0\n", 0, 0),
        ("options ndots:abc\n", 0, 1),  # glibc atoi() -> 0; musl wants a digit, keeps 1
        ("options ndots:3 ndots:4\n", 4, 3),  # glibc: last word wins; musl: strstr finds first
        ("options debug-ndots:2\n", 1, 2),  # musl's strstr matches inside another word
        ("options\tndots:2\n", 2, 2),
        ("  options ndots:2\n", 1, 1),  # leading blank: neither libc matches the keyword
        ("options ndots:-1\n", 15, 1),  # glibc: -1 passes `i <= 15`, 4-bit field keeps 15
        ("options ndots:-16\n", 0, 1),
        ("options ndots:4294967297\n", 1, 15),  # glibc: (int) strtol keeps the low 32 bits
        ("options ndots:99999999999999999999\n", 15, 15),  # strtol saturates: (int) -> -1
        ("options ndots: 3\n", 3, 1),  # glibc's atoi skips the blank into the next word
    ],
    ids=[
        "capped",
        "zero",
        "not-a-number",
        "repeated",
        "substring",
        "tab",
        "leading-blank",
        "minus-1",
        "minus-16",
        "2**32+1",
        "beyond-long",
        "blank-then-value",
    ],
)
def test_ndots(text: str, glibc: int, musl: int) -> None:
    g = parse_resolv_conf(text, "glibc")
    assert g.options.ndots == glibc
    assert parse_resolv_conf(text, "musl").options.ndots == musl
    # one option, at most one note about it (there used to be two that contradicted)
    assert len([w for w in g.warnings if w.message.startswith("'ndots:")]) <= text.count("ndots:")


@pytest.mark.parametrize(
    ("text", "glibc", "musl"),
    [
        ("options timeout:45 attempts:9\n", (30, 5), (45, 9)),
        ("options timeout:99 attempts:99\n", (30, 5), (60, 10)),
    ],
)
def test_timeout_attempts_caps(text: str, glibc: tuple[int, int], musl: tuple[int, int]) -> None:
    g, m = parse_resolv_conf(text, "glibc").options, parse_resolv_conf(text, "musl").options
    assert (g.timeout, g.attempts) == glibc
    assert (m.timeout, m.attempts) == musl


def test_flag_options_glibc_only() -> None:
    text = "options rotate single-request-reopen edns0 use-vc no-tld-query trust-ad no-aaaa\n"
    g = parse_resolv_conf(text, "glibc").options
    assert g.rotate and g.single_request_reopen and not g.single_request
    assert g.edns0 and g.use_vc and g.no_tld_query and g.trust_ad and g.no_aaaa
    m = parse_resolv_conf(text, "musl")
    assert not m.options.rotate and not m.options.use_vc
    assert all("musl does not implement" in w.message for w in m.warnings)


def test_glibc_prefix_match_and_unknown() -> None:
    conf = parse_resolv_conf("options rotatex frobnicate\n", "glibc")
    assert conf.options.rotate
    assert [w.message for w in conf.warnings] == [
        "'rotatex' is read as 'rotate' (prefix match)",
        "unknown option 'frobnicate': glibc ignores it",
    ]


@pytest.mark.parametrize("libc", ["glibc", "musl"])
def test_three_nameservers_and_default(libc: str) -> None:
    text = "".join(f"nameserver 10.0.0.{i}\n" for i in range(1, 5))
    conf = parse_resolv_conf(text, libc)
    assert conf.nameservers == ("10.0.0.1", "10.0.0.2", "10.0.0.3")
    assert any("10.0.0.4" in w.message or "only 3" in w.message for w in conf.warnings)
    empty = parse_resolv_conf("", libc)
    assert empty.nameservers == ("127.0.0.1",) and not empty.nameservers_configured


def test_nameserver_forms() -> None:
    conf = parse_resolv_conf(
        "nameserver 127.1\nnameserver fe80::1%eth0 # x\nnameserver dns.google\n"
    )
    assert conf.nameservers == ("127.0.0.1", "fe80::1%eth0")
    assert conf.warnings[-1].line == 3 and "not an IP address" in conf.warnings[-1].message


@pytest.mark.parametrize(
    ("text", "glibc", "musl"),
    [
        ("search a.test b.test\ndomain c.test\n", ("c.test",), ("c.test",)),
        ("domain c.test\nsearch a.test b.test\n", ("a.test", "b.test"), ("a.test", "b.test")),
        ("search a.test\nsearch b.test\n", ("b.test",), ("b.test",)),
        ("domain c.test d.test\n", ("c.test",), ("c.test", "d.test")),
        ("search\n", (), ()),
    ],
    ids=["domain-last", "search-last", "two-search", "domain-two-words", "empty-search"],
)
def test_search_and_domain(text: str, glibc: tuple[str, ...], musl: tuple[str, ...]) -> None:
    assert parse_resolv_conf(text, "glibc").search == glibc
    assert parse_resolv_conf(text, "musl").search == musl


def test_long_search_line() -> None:
    domains = " ".join(f"d{i}.{'a' * 40}.example" for i in range(1, 9))
    text = f"search {domains}\n"
    assert len(text) - 1 > 255
    assert len(parse_resolv_conf(text, "glibc").search) == 8  # glibc >= 2.26: unlimited
    musl = parse_resolv_conf(text, "musl")
    assert musl.search == () and "musl ignores it" in musl.warnings[0].message
    line254 = ("search " + domains)[:254]
    assert len(parse_resolv_conf(line254 + "\n", "musl").search) > 0
    assert parse_resolv_conf(line254 + "x\n", "musl").search == ()


def test_comments_and_unknown_keywords() -> None:
    text = "# a comment\n; another\nnameservers 1.1.1.1\noption ndots:2\nnameserver 9.9.9.9\n"
    conf = parse_resolv_conf(text, "glibc")
    assert conf.nameservers == ("9.9.9.9",) and conf.options.ndots == 1
    assert [w.line for w in conf.warnings] == [3, 4]


def test_glibc_env_and_hostname() -> None:
    conf = parse_resolv_conf(
        "search a.test\n", "glibc", env={"LOCALDOMAIN": "x.test y.test", "RES_OPTIONS": "ndots:3"}
    )
    assert conf.search == ("x.test", "y.test") and conf.options.ndots == 3
    assert parse_resolv_conf("", "glibc", hostname="node1.corp.example").search == ("corp.example",)
    assert parse_resolv_conf("", "musl").search == ()


def test_errors_name_the_line() -> None:
    with pytest.raises(ParseError) as err:
        parse_resolv_conf(b"nameserver 1.1.1.1\n\xff\xfe\n", source="rc")
    assert err.value.line == 2 and str(err.value).startswith("rc:2:")
    with pytest.raises(ParseError, match="NUL"):
        parse_resolv_conf("search a\0b\n")
    with pytest.raises(ParseError) as strict:
        parse_resolv_conf("nameserver 1.1.1.1\noptions ndots:30\n", strict=True, source="f")
    assert strict.value.line == 2
    assert isinstance(strict.value, ValueError)


def test_render_round_trip() -> None:
    text = render_resolv_conf(["10.0.0.10"], ["a.svc", "svc"], ["ndots:5"])
    assert text == "search a.svc svc\nnameserver 10.0.0.10\noptions ndots:5\n"
    conf = parse_resolv_conf(text, "musl")
    assert conf.search == ("a.svc", "svc") and conf.options.ndots == 5
