"""Every example of the Kubernetes DNS spec (kubernetes/dns docs/specification.md) as a test."""

from __future__ import annotations

from pathlib import Path

import pytest

from infranotes.dns.manifests import load_manifests
from infranotes.dns.records import generate, serve_zones, zone_file
from infranotes.dns.zone import parse_zone

DATA = Path(__file__).resolve().parents[1] / "data"
INV = load_manifests((DATA / "spec-examples.yaml").read_text(), "spec-examples.yaml")


def rrs(rs, name: str, rtype: str) -> set[str]:
    return {
        r.record.rdata for r in rs.records if r.record.owner == name and r.record.rtype == rtype
    }


@pytest.fixture(scope="module", params=["1.1.0", "1.0.1"])
def rs(request):
    return generate(INV, "cluster.local", version=request.param)


# (spec section, question name, type, expected rdata subset, versions the example holds in)
EXAMPLES = [
    ("2.2", "dns-version.cluster.local.", "TXT", {'"1.1.0"'}, ("1.1.0",)),
    (
        "2.2",
        "dns-version.cluster.local.",
        "TXT",
        {'"1.0.1"'},
        ("1.0.1",),
    ),  # text's "1.0.0": erratum
    ("2.3.1", "kubernetes.default.svc.cluster.local.", "A", {"10.3.0.1"}, ("1.1.0", "1.0.1")),
    ("2.3.1", "kubernetes6.default.svc.cluster.local.", "AAAA", {"2001:db8::1"}, ("1.1.0",)),
    (
        "2.3.2",
        "_https._tcp.kubernetes.default.svc.cluster.local.",
        "SRV",
        {"10 100 443 kubernetes.default.svc.cluster.local."},
        ("1.1.0", "1.0.1"),
    ),
    (
        "2.3.3",
        "1.0.3.10.in-addr.arpa.",
        "PTR",
        {"kubernetes.default.svc.cluster.local."},
        ("1.1.0", "1.0.1"),
    ),
    (
        "2.3.3",
        "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.",
        "PTR",
        {"kubernetes6.default.svc.cluster.local."},
        ("1.1.0",),
    ),
    (
        "2.4.1",
        "headless.default.svc.cluster.local.",
        "A",
        {"10.3.0.1", "10.3.0.2", "10.3.0.3"},
        ("1.1.0", "1.0.1"),
    ),
    (
        "2.4.1",
        "my-pet.headless.default.svc.cluster.local.",
        "A",
        {"10.3.0.100"},
        ("1.1.0", "1.0.1"),
    ),
    (
        "2.4.2",
        "_https._tcp.headless.default.svc.cluster.local.",
        "SRV",
        {
            "10 100 443 my-pet.headless.default.svc.cluster.local.",
            "10 100 443 my-pet-2.headless.default.svc.cluster.local.",
            "10 100 443 10-3-0-3.headless.default.svc.cluster.local.",
        },
        ("1.1.0", "1.0.1"),
    ),
    (
        "2.4.3",
        "100.0.3.10.in-addr.arpa.",
        "PTR",
        {"my-pet.headless.default.svc.cluster.local."},
        ("1.1.0", "1.0.1"),
    ),
    ("2.5", "foo.default.svc.cluster.local.", "CNAME", {"www.example.com."}, ("1.1.0", "1.0.1")),
]


CASES = [(v, e) for e in EXAMPLES for v in e[4]]


@pytest.mark.parametrize(
    ("version", "example"), CASES, ids=[f"{v}-{e[0]}-{e[2]}-{e[1][:24]}" for v, e in CASES]
)
def test_spec_example(version: str, example) -> None:
    section, name, rtype, expected, _ = example
    rs = generate(INV, "cluster.local", version=version)
    assert expected <= rrs(rs, name, rtype)
    # the spec's examples reuse 10.3.0.1 for a ClusterIP and an endpoint: match by section
    of_section = {
        r.record.rdata
        for r in rs.records
        if r.section == section and r.record.owner == name and r.record.rtype == rtype
    }
    assert expected <= of_section


def test_version_differences() -> None:
    new, old = generate(INV, version="1.1.0"), generate(INV, version="1.0.1")
    assert not rrs(old, "kubernetes6.default.svc.cluster.local.", "AAAA")
    assert any("1.0.1 defines no AAAA" in w for w in old.warnings)
    zs = serve_zones(old)
    assert zs.answer("10-3-0-7.default.pod.cluster.local.", "A").addresses == ("10.3.0.7",)
    assert zs.answer("10-3-0-256.default.pod.cluster.local.", "A").rcode == "NXDOMAIN"
    assert serve_zones(new).answer("10-3-0-7.default.pod.cluster.local.", "A").rcode == "NXDOMAIN"


def test_unnamed_ports_have_no_srv_and_not_ready_is_left_out(rs) -> None:
    assert not any("8080" in r.record.rdata for r in rs.records)
    assert not any(
        "not-ready" in r.record.owner or "10.3.0.200" in r.record.rdata for r in rs.records
    )


@pytest.mark.parametrize(
    ("version", "field"), [("1.1.0", "publishNotReadyAddresses: true"), ("1.0.1", "annotation")]
)
def test_not_ready_published(version: str, field: str) -> None:
    meta = (
        "  annotations: {service.alpha.kubernetes.io/tolerate-unready-endpoints: 'true'}\n"
        if field == "annotation"
        else ""
    )
    spec_extra = "  publishNotReadyAddresses: true\n" if field != "annotation" else ""
    text = (
        f"kind: Service\nmetadata:\n  name: db\n  namespace: ns\n{meta}spec:\n"
        f"  clusterIP: None\n{spec_extra}---\nkind: EndpointSlice\nmetadata:\n  namespace: ns\n"
        "  labels: {kubernetes.io/service-name: db}\nendpoints:\n"
        "  - addresses: [10.0.0.9]\n    hostname: db-0\n    conditions: {ready: false}\n"
    )
    rs = generate(load_manifests(text), version=version)
    assert rrs(rs, "db-0.db.ns.svc.cluster.local.", "A") == {"10.0.0.9"}
    other = "1.0.1" if version == "1.1.0" else "1.1.0"
    assert not rrs(generate(load_manifests(text), version=other), "db.ns.svc.cluster.local.", "A")


def test_negative_answers() -> None:
    zs = serve_zones(generate(INV))
    assert zs.answer("kubernetes.default.svc.cluster.local.", "AAAA").rcode == "NOERROR"  # NODATA
    assert zs.answer("nope.default.svc.cluster.local.", "A").rcode == "NXDOMAIN"
    assert zs.answer("default.svc.cluster.local.", "A").rcode == "NOERROR"  # empty non-terminal
    assert zs.answer("_tcp.headless.default.svc.cluster.local.", "SRV").rcode == "NOERROR"
    assert zs.answer("foo.default.svc.cluster.local.", "A").rcode == "NOERROR"  # CNAME out of zone


def test_headless_without_ready_endpoints_is_nxdomain() -> None:
    text = "kind: Service\nmetadata: {name: empty, namespace: ns}\nspec: {clusterIP: None}\n"
    zs = serve_zones(generate(load_manifests(text)))
    assert zs.answer("empty.ns.svc.cluster.local.", "A").rcode == "NXDOMAIN"


def test_dual_stack_service_and_endpoints() -> None:
    text = """
kind: Service
metadata: {name: api, namespace: prod}
spec: {clusterIPs: [10.96.0.20, "fd00::20"], ports: [{name: http, port: 80}]}
"""
    rs = generate(load_manifests(text))
    assert rrs(rs, "api.prod.svc.cluster.local.", "A") == {"10.96.0.20"}
    assert rrs(rs, "api.prod.svc.cluster.local.", "AAAA") == {"fd00::20"}
    assert len(rs.of_section("2.3.3")) == 2


def test_zone_file_round_trips_through_dnspython() -> None:
    rs = generate(INV)
    forward = [r.record for r in rs.records if r.record.rtype != "PTR"]
    zone = parse_zone(zone_file(forward, "cluster.local."), origin="cluster.local.")
    assert {(r.owner, r.rtype, r.rdata) for r in zone.records} == {
        (r.owner, r.rtype, r.rdata) for r in forward
    }


def test_spec_section_map_names_real_tests() -> None:
    from infranotes.dns.records import SPEC_SECTIONS

    root = Path(__file__).resolve().parents[1]
    for _, _, _, tests in SPEC_SECTIONS:
        for ref in tests.split(", "):
            path, _, func = ref.partition("::")
            file = root / (path if "/" in path else f"dns/{path}")
            assert file.exists(), ref
            if func:
                assert f"def {func.split('[')[0]}(" in file.read_text(), ref


def test_coredns_documented_answers() -> None:
    """What the CoreDNS kubernetes plugin README documents, reproduced (plugin/kubernetes):
    endpoints without a hostname are named by the dashed IP (1-2-3-4.<svc>...), the default TTL
    is 5 s, `pods insecure` echoes the dashed IP of any a-b-c-d.<ns>.pod name, and a ClusterIP
    Service answers with its cluster IP even with no endpoints (unless `ignore empty_service`)."""
    text = """
kind: Service
metadata: {name: my-service, namespace: namespace}
spec: {clusterIP: None}
---
kind: Endpoints
metadata: {name: my-service, namespace: namespace}
subsets: [{addresses: [{ip: 1.2.3.4}]}]
---
kind: Service
metadata: {name: lonely, namespace: namespace}
spec: {clusterIP: 10.0.0.77}
"""
    rs = generate(load_manifests(text))
    assert rrs(rs, "1-2-3-4.my-service.namespace.svc.cluster.local.", "A") == {"1.2.3.4"}
    assert {r.record.ttl for r in rs.records} == {5}
    assert rrs(rs, "lonely.namespace.svc.cluster.local.", "A") == {"10.0.0.77"}
    old = serve_zones(generate(load_manifests(text), version="1.0.1"))
    assert old.answer("1-2-3-4.anything.pod.cluster.local.", "A").addresses == ("1.2.3.4",)
