"""Reading Services, Endpoints and EndpointSlices; bad objects are named with their field."""

from __future__ import annotations

import pytest

from infranotes.dns.manifests import load_manifests
from infranotes.errors import ParseError

SVC = "kind: Service\nmetadata: {{name: {name}, namespace: ns}}\nspec: {spec}\n"


def test_list_multi_doc_and_json() -> None:
    text = (
        "kind: List\nitems:\n- kind: Service\n  metadata: {name: a}\n"
        "  spec: {clusterIP: 10.0.0.1}\n"
        '---\n{"kind": "ServiceList", "items": [{"kind": "Service", '
        '"metadata": {"name": "b", "namespace": "x"}, "spec": {"clusterIP": "None"}}]}\n'
        "---\nkind: ConfigMap\nmetadata: {name: ignored}\n"
    )
    inv = load_manifests(text)
    assert [(s.name, s.namespace, s.headless) for s in inv.services] == [
        ("a", "default", False),
        ("b", "x", True),
    ]


def test_endpoints_and_slices() -> None:
    text = """
kind: Endpoints
metadata: {name: db, namespace: ns}
subsets:
- addresses: [{ip: 10.0.0.1, hostname: db-0}]
  notReadyAddresses: [{ip: 10.0.0.2}]
---
kind: EndpointSlice
metadata: {namespace: ns, labels: {kubernetes.io/service-name: db}}
endpoints:
- addresses: [10.0.0.3]
- addresses: [10.0.0.1]
  conditions: {ready: false}
  hostname: db-0
"""
    inv = load_manifests(text)
    eps = {(e.ip, e.ready, e.hostname) for e in inv.endpoints}
    assert eps == {
        ("10.0.0.1", True, "db-0"),
        ("10.0.0.2", False, None),
        ("10.0.0.3", True, None),
        ("10.0.0.1", False, "db-0"),
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            SVC.format(name="web", spec="{type: Magic}"),
            "Service/ns/web: unknown Service type 'Magic'",
        ),
        (SVC.format(name="a" * 64, spec="{clusterIP: 10.0.0.1}"), "is not a DNS label"),
        (SVC.format(name="web", spec="{}"), "Service/ns/web: bad or missing spec.clusterIP"),
        (SVC.format(name="web", spec="{clusterIP: 10.0.0.300}"), "spec.clusterIPs[0]"),
        (SVC.format(name="web", spec="{type: ExternalName}"), "spec.externalName"),
        (SVC.format(name="web", spec="{clusterIP: 10.0.0.1, ports: [{port: x}]}"), "spec.ports[0]"),
        (
            SVC.format(
                name="web", spec="{clusterIP: 10.0.0.1, ports: [{port: 80, protocol: ICMP}]}"
            ),
            "protocol",
        ),
        ("kind: Service\nspec: {}\n", "Service/default/#1: bad or missing metadata.name"),
        ("kind: EndpointSlice\nmetadata: {name: s}\n", "kubernetes.io/service-name"),
        (
            "kind: Endpoints\nmetadata: {name: e}\nsubsets: [{addresses: [{ip: nope}]}]\n",
            "subsets[0].addresses[0].ip",
        ),
        ("- just\n- a list\n", "document 1 is not a mapping"),
    ],
    ids=[
        "type",
        "long-label",
        "no-cluster-ip",
        "bad-ip",
        "no-external-name",
        "port-type",
        "protocol",
        "no-name",
        "slice-label",
        "endpoint-ip",
        "not-mapping",
    ],
)
def test_errors_name_object_and_field(text: str, message: str) -> None:
    with pytest.raises(ParseError) as err:
        load_manifests(text, source="m.yaml")
    assert message in str(err.value) and str(err.value).startswith("m.yaml")


def test_yaml_syntax_error_has_line() -> None:
    with pytest.raises(ParseError) as err:
        load_manifests("kind: Service\nmetadata: {name: x\n", source="m.yaml")
    assert err.value.line == 3
