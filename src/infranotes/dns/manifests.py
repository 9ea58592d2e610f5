"""Services, Endpoints and EndpointSlices from Kubernetes manifests, reduced to what DNS needs.

Reads YAML or JSON: single objects, multi-document files and ``kind: List`` (what
``kubectl get svc,endpoints -o yaml`` prints). Unknown kinds are skipped; a Service or
endpoint object that cannot be read gives a :class:`ParseError` naming the object and field.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

from infranotes.errors import ParseError

SERVICE_TYPES = ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")
PROTOCOLS = ("TCP", "UDP", "SCTP")
TOLERATE_UNREADY = "service.alpha.kubernetes.io/tolerate-unready-endpoints"


@dataclass(frozen=True)
class ServicePort:
    name: str
    port: int
    protocol: str = "TCP"


@dataclass(frozen=True)
class Service:
    """The DNS-relevant part of a Service."""

    name: str
    namespace: str
    type: str = "ClusterIP"
    cluster_ips: tuple[str, ...] = ()  # empty: headless ("None")
    ports: tuple[ServicePort, ...] = ()
    external_name: str | None = None
    publish_not_ready: bool = False
    tolerate_unready_annotation: bool = False

    @property
    def headless(self) -> bool:
        return self.type != "ExternalName" and not self.cluster_ips


@dataclass(frozen=True)
class Endpoint:
    """One address behind a Service, from an Endpoints subset or an EndpointSlice."""

    service: str
    namespace: str
    ip: str
    ready: bool = True
    hostname: str | None = None


@dataclass(frozen=True)
class Inventory:
    services: tuple[Service, ...] = ()
    endpoints: tuple[Endpoint, ...] = field(default=())

    def endpoints_of(self, svc: Service) -> tuple[Endpoint, ...]:
        seen: dict[tuple[str, str | None], Endpoint] = {}
        for e in self.endpoints:
            if e.service == svc.name and e.namespace == svc.namespace:
                key = (e.ip, e.hostname)
                # an address listed both ready and not ready (two slices): ready wins
                if key not in seen or e.ready:
                    seen[key] = e
        return tuple(seen.values())


class _Reader:
    """Field access that raises ParseError with the object's identity and the field path."""

    def __init__(self, source: str, obj: dict[str, Any], index: int) -> None:
        self.source, self.obj = source, obj
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        name = meta.get("name", f"#{index}")
        self.ident = f"{obj.get('kind', '?')}/{meta.get('namespace', 'default')}/{name}"

    def fail(self, path: str, expected: str) -> ParseError:
        return ParseError(
            f"{self.ident}: bad or missing {path}", source=self.source, expected=expected
        )

    def get(
        self, path: str, kind: type | tuple[type, ...], default: Any = ..., expected: str = ""
    ) -> Any:
        cur: Any = self.obj
        for part in path.split("."):
            if not isinstance(cur, dict) or part not in cur or cur[part] is None:
                if default is not ...:
                    return default
                raise self.fail(path, expected or kind_name(kind))
            cur = cur[part]
        if not isinstance(cur, kind) or (kind is int and isinstance(cur, bool)):
            raise self.fail(path, expected or kind_name(kind))
        return cur


def kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(
        {
            dict: "a mapping",
            list: "a list",
            str: "a string",
            int: "an integer",
            bool: "true or false",
        }.get(k, k.__name__)
        for k in kinds
    )


def check_label(text: str, reader: _Reader, path: str) -> str:
    """A DNS label: 1..63 octets (RFC 1035 §2.3.4)."""
    if not 1 <= len(text.encode()) <= 63 or "." in text:
        raise ParseError(
            f"{reader.ident}: {path} {text!r} is not a DNS label",
            source=reader.source,
            expected="1 to 63 octets, no dots",
        )
    return text.lower()


def _ip(text: Any, reader: _Reader, path: str) -> str:
    try:
        return str(ipaddress.ip_address(text))
    except (ValueError, TypeError):
        raise reader.fail(path, "an IP address") from None


def _service(r: _Reader) -> Service:
    name = check_label(r.get("metadata.name", str), r, "metadata.name")
    ns = check_label(r.get("metadata.namespace", str, "default"), r, "metadata.namespace")
    stype = r.get("spec.type", str, "ClusterIP")
    if stype not in SERVICE_TYPES:
        raise ParseError(
            f"{r.ident}: unknown Service type {stype!r}",
            source=r.source,
            expected=", ".join(SERVICE_TYPES),
        )
    annotations = r.get("metadata.annotations", dict, {})
    tolerate = str(annotations.get(TOLERATE_UNREADY, "")).lower() == "true"
    publish = r.get("spec.publishNotReadyAddresses", bool, False)
    if stype == "ExternalName":
        ext = r.get("spec.externalName", str, expected="a DNS name").rstrip(".")
        if not ext or any(not 1 <= len(label) <= 63 for label in ext.split(".")):
            raise r.fail("spec.externalName", "a DNS name of labels of 1 to 63 octets")
        return Service(
            name,
            ns,
            stype,
            external_name=ext.lower(),
            publish_not_ready=publish,
            tolerate_unready_annotation=tolerate,
        )
    ips = r.get("spec.clusterIPs", list, [])
    if not ips:
        one = r.get("spec.clusterIP", str, "")
        ips = [one] if one else []
    if ips and ips[0] == "None":
        cluster_ips: tuple[str, ...] = ()
    elif not ips:
        raise r.fail("spec.clusterIP", "an IP address, or None for a headless Service")
    else:
        cluster_ips = tuple(_ip(ip, r, f"spec.clusterIPs[{i}]") for i, ip in enumerate(ips))
    ports = []
    for i, p in enumerate(r.get("spec.ports", list, [])):
        pr = _Reader(
            r.source, {"kind": "port", "metadata": {}, **p} if isinstance(p, dict) else {}, i
        )
        pr.ident = f"{r.ident} spec.ports[{i}]"
        number = pr.get("port", int, expected="a port number")
        if not 1 <= number <= 65535:
            raise pr.fail("port", "1 to 65535")
        proto = pr.get("protocol", str, "TCP")
        if proto not in PROTOCOLS:
            raise pr.fail("protocol", ", ".join(PROTOCOLS))
        pname = pr.get("name", str, "")
        ports.append(ServicePort(check_label(pname, pr, "name") if pname else "", number, proto))
    return Service(name, ns, stype, cluster_ips, tuple(ports), None, publish, tolerate)


def _endpoints(r: _Reader) -> list[Endpoint]:
    name = r.get("metadata.name", str)
    ns = r.get("metadata.namespace", str, "default")
    out = []
    for i, subset in enumerate(r.get("subsets", list, [])):
        if not isinstance(subset, dict):
            raise r.fail(f"subsets[{i}]", "a mapping")
        for key, ready in (("addresses", True), ("notReadyAddresses", False)):
            for j, addr in enumerate(subset.get(key) or []):
                path = f"subsets[{i}].{key}[{j}]"
                if not isinstance(addr, dict):
                    raise r.fail(path, "a mapping with ip")
                host = addr.get("hostname")
                if host is not None:
                    host = check_label(str(host), r, path + ".hostname")
                out.append(Endpoint(name, ns, _ip(addr.get("ip"), r, path + ".ip"), ready, host))
    return out


def _endpoint_slice(r: _Reader) -> list[Endpoint]:
    labels = r.get("metadata.labels", dict, {})
    svc = labels.get("kubernetes.io/service-name")
    if not isinstance(svc, str):
        raise r.fail("metadata.labels.kubernetes.io/service-name", "the owning Service's name")
    ns = r.get("metadata.namespace", str, "default")
    out = []
    for i, ep in enumerate(r.get("endpoints", list, [])):
        path = f"endpoints[{i}]"
        if not isinstance(ep, dict) or not isinstance(ep.get("addresses"), list):
            raise r.fail(path + ".addresses", "a list of addresses")
        cond = ep.get("conditions") or {}
        ready = cond.get("ready") is not False  # discovery/v1: nil means ready
        host = ep.get("hostname")
        if host is not None:
            host = check_label(str(host), r, path + ".hostname")
        for j, ip in enumerate(ep["addresses"]):
            out.append(Endpoint(svc, ns, _ip(ip, r, f"{path}.addresses[{j}]"), ready, host))
    return out


def _objects(docs: Iterable[Any], source: str) -> Iterable[tuple[int, dict[str, Any]]]:
    n = 0
    for doc in docs:
        if doc is None:
            continue
        if not isinstance(doc, dict):
            raise ParseError(
                f"document {n + 1} is not a mapping",
                source=source,
                expected="a Kubernetes object or List",
            )
        if doc.get("kind") == "List" or (
            str(doc.get("kind", "")).endswith("List") and "items" in doc
        ):
            items = doc.get("items") or []
            if not isinstance(items, list):
                raise ParseError("items is not a list", source=source, expected="a List")
            for item in items:
                if not isinstance(item, dict):
                    raise ParseError(f"List item {n + 1} is not a mapping", source=source)
                n += 1
                yield n, item
        else:
            n += 1
            yield n, doc


def load_manifests(text: str | bytes, source: str = "<manifests>") -> Inventory:
    """Read Services and their endpoints from YAML or JSON manifest text."""
    try:
        docs = list(yaml.safe_load_all(text))
    except RecursionError:
        raise ParseError("nesting too deep", source=source, expected="YAML") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ParseError(
            str(getattr(exc, "problem", None) or exc).strip(),
            source=source,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            expected="YAML",
        ) from None
    services: list[Service] = []
    endpoints: list[Endpoint] = []
    for i, obj in _objects(docs, source):
        r = _Reader(source, obj, i)
        kind = obj.get("kind")
        if kind == "Service":
            services.append(_service(r))
        elif kind == "Endpoints":
            endpoints += _endpoints(r)
        elif kind == "EndpointSlice":
            endpoints += _endpoint_slice(r)
    return Inventory(tuple(services), tuple(endpoints))


def merge(inventories: Iterable[Inventory]) -> Inventory:
    svcs: list[Service] = []
    eps: list[Endpoint] = []
    for inv in inventories:
        svcs += inv.services
        eps += inv.endpoints
    return Inventory(tuple(svcs), tuple(eps))
