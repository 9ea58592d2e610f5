"""Any input to a parser gives a result or a ParseError, never another exception."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from infranotes.dns.kubelet import DNSConfig, KubeletDNS, pod_resolv_conf
from infranotes.dns.resolvconf import parse_resolv_conf
from infranotes.dns.search import candidates, check_name
from infranotes.dns.zone import parse_zone
from infranotes.errors import ParseError

WORDS = st.sampled_from(
    [
        "nameserver",
        "search",
        "domain",
        "options",
        "ndots:",
        "timeout:",
        "attempts:",
        "rotate",
        "127.0.0.1",
        "::1",
        "a.test",
        "#",
        ";",
        " ",
        "\t",
        "\n",
        ".",
        "5",
        "99",
        "-1",
        "fe80::1%eth0",
        "single-request",
    ]
)
RESOLV_TEXT = st.one_of(st.text(), st.lists(WORDS, max_size=40).map("".join))


@settings(max_examples=400, deadline=None)
@given(RESOLV_TEXT, st.sampled_from(["glibc", "musl"]), st.booleans())
def test_resolv_conf_text(text: str, libc: str, strict: bool) -> None:
    try:
        conf = parse_resolv_conf(text, libc, strict=strict)  # type: ignore[arg-type]
    except ParseError:
        return
    assert 1 <= len(conf.nameservers) <= 3
    assert 0 <= conf.options.ndots <= 15


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_resolv_conf_bytes(data: bytes) -> None:
    with contextlib.suppress(ParseError):
        parse_resolv_conf(data, "musl")


@settings(max_examples=300, deadline=None)
@given(RESOLV_TEXT, st.text(alphabet="ab.-1", max_size=30))
def test_candidates_from_any_conf(text: str, name: str) -> None:
    try:
        conf = parse_resolv_conf(text, "glibc")
        check_name(name)
    except ParseError:
        return
    out = candidates(name, conf)
    assert out and all(c.endswith(".") for c in out)


ZONE_WORDS = st.sampled_from(
    [
        "a.test.",
        "*.test.",
        "60",
        "IN",
        "A",
        "AAAA",
        "CNAME",
        "TXT",
        "1.2.3.4",
        "::1",
        '"x"',
        "(",
        ")",
        ";",
        "$ORIGIN",
        "$TTL",
        " ",
        "\n",
        "@",
        "SOA",
        "x.",
        "b",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(ZONE_WORDS, max_size=30).map(" ".join)))
def test_zone_text(text: str) -> None:
    try:
        zone = parse_zone(text)
    except ParseError:
        return
    for rec in zone.records:
        zone.lookup(rec.owner, "A")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.text(max_size=200))
def test_dns_config_and_node_file(json_text: str, node: str) -> None:
    try:
        cfg = DNSConfig.from_json(json_text)
    except ParseError:
        cfg = None
    pod_resolv_conf(KubeletDNS(), "ns", dns_config=cfg, node_resolv_conf=node)


MANIFEST_WORDS = st.sampled_from(
    [
        "kind: Service\n",
        "kind: Endpoints\n",
        "kind: EndpointSlice\n",
        "kind: List\n",
        "items:\n",
        "metadata: {name: a, namespace: b}\n",
        "spec:\n",
        "  clusterIP: None\n",
        "  clusterIP: 10.0.0.1\n",
        "  type: ExternalName\n",
        "  externalName: x.y\n",
        "  ports: [{name: h, port: 80}]\n",
        "subsets: [{addresses: [{ip: 10.0.0.2}]}]\n",
        "endpoints: [{addresses: [1.2.3.4]}]\n",
        "---\n",
        "- ",
        "  ",
        "{",
        "}",
        "[",
        "]",
        ": ",
        "null\n",
        "7\n",
        "metadata: {labels: {kubernetes.io/service-name: a}}\n",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(MANIFEST_WORDS, max_size=25).map("".join)))
def test_manifest_loader(text: str) -> None:
    from infranotes.dns.manifests import load_manifests
    from infranotes.dns.records import generate

    try:
        inv = load_manifests(text)
    except ParseError:
        return
    generate(inv, "cluster.local")
