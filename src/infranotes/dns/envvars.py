"""The other discovery mechanism: the Service environment variables kubelet gives a container.

Before DNS, Kubernetes told a container where Services are through Docker-links-style
environment variables, and kubelet still writes them (``pkg/kubelet/envvars/envvars.go``,
``FromServices``; which Services, ``getServiceEnvVarMap`` in ``pkg/kubelet/kubelet_pods.go``):
every Service with a cluster IP in the Pod's namespace when ``enableServiceLinks`` is true (the
default), and always the ``kubernetes`` Service of the ``default`` namespace. They are computed
once, when the container starts: a Service created later is missing, and one re-created with a
new cluster IP leaves a stale address behind. DNS answers at lookup time, which is why the
Kubernetes docs prefer it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from infranotes.dns.manifests import Service
from infranotes.dns.messages import tr
from infranotes.table import Table

MASTER_NAMESPACE = "default"  # kubelet's masterServiceNamespace
MASTER_SERVICES = frozenset({"kubernetes"})


def variable_name(name: str) -> str:
    """``makeEnvVariableName``: upper case, ``-`` becomes ``_`` (dots and digits untouched)."""
    return name.replace("-", "_").upper()


def _host_port(ip: str, port: int) -> str:
    """Go's ``net.JoinHostPort``: IPv6 addresses in brackets."""
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def from_service(svc: Service) -> list[tuple[str, str]]:
    """``FromServices`` for one Service: the variables in kubelet's order."""
    if not svc.cluster_ips or not svc.ports:
        return []  # headless ("None") or ExternalName: no variables
    ip, prefix = svc.cluster_ips[0], variable_name(svc.name)
    out = [(f"{prefix}_SERVICE_HOST", ip), (f"{prefix}_SERVICE_PORT", str(svc.ports[0].port))]
    out += [
        (f"{prefix}_SERVICE_PORT_{variable_name(p.name)}", str(p.port)) for p in svc.ports if p.name
    ]
    for i, p in enumerate(svc.ports):  # makeLinkVariables: Docker's link variables
        proto = (p.protocol or "TCP").lower()
        url = f"{proto}://{_host_port(ip, p.port)}"
        if i == 0:
            out.append((f"{prefix}_PORT", url))
        base = f"{prefix}_PORT_{p.port}_{proto.upper()}"
        out += [
            (base, url),
            (f"{base}_PROTO", proto),
            (f"{base}_PORT", str(p.port)),
            (f"{base}_ADDR", ip),
        ]
    return out


@dataclass(frozen=True)
class ServiceEnv:
    """The variables a container starting now would get, and which Service each comes from."""

    variables: tuple[tuple[str, str], ...]
    services: tuple[str, ...]  # namespace/name, in the order kubelet's map yields after sorting

    def as_dict(self) -> dict[str, str]:
        """The variables as the container's environment would hold them."""
        return dict(self.variables)


def service_env(
    services: Iterable[Service], namespace: str, enable_service_links: bool = True
) -> ServiceEnv:
    """``getServiceEnvVarMap``: the Services a Pod in ``namespace`` sees, then their variables.

    The Pod's own namespace wins over ``default/kubernetes`` when both hold a Service of the
    same name. Kubelet iterates a map; variables are sorted by Service name here so the result
    is stable (the container sees a set of variables, not an order)."""
    chosen: dict[str, Service] = {}
    for svc in services:
        if not svc.cluster_ips:
            continue
        if svc.namespace == MASTER_NAMESPACE and svc.name in MASTER_SERVICES:
            chosen.setdefault(svc.name, svc)
        elif svc.namespace == namespace and enable_service_links:
            chosen[svc.name] = svc
    names = sorted(chosen)
    variables = tuple(v for n in names for v in from_service(chosen[n]))
    return ServiceEnv(variables, tuple(f"{chosen[n].namespace}/{n}" for n in names))


def stale(started: ServiceEnv, now: ServiceEnv) -> list[tuple[str, str | None, str | None]]:
    """What a running container's variables get wrong about the Services as they are now:
    (name, value the container holds, value a container starting now would get)."""
    old, new = started.as_dict(), now.as_dict()
    return [
        (k, old.get(k), new.get(k))
        for k in sorted(old.keys() | new.keys())
        if old.get(k) != new.get(k)
    ]


def summary(env: ServiceEnv, *, lang: str = "en") -> str:
    """How many variables a container gets, and from which Services."""
    return tr(
        lang,
        "{n} variables from {services}",
        n=len(env.variables),
        services=", ".join(env.services),
    )


def variables_table(env: ServiceEnv, prefix: str = "", *, lang: str = "en") -> Table:
    """The variables whose name starts with ``prefix``, in the order the container gets them."""
    return Table(
        (tr(lang, "variable"), tr(lang, "value")),
        [v for v in env.variables if v[0].startswith(prefix)],
    )


def stale_table(
    started: ServiceEnv, now: ServiceEnv, suffix: str = "", *, lang: str = "en"
) -> Table:
    """:func:`stale` for the variables whose name ends with ``suffix``."""
    return Table(
        (
            tr(lang, "variable"),
            tr(lang, "the running container has"),
            tr(lang, "a container starting now gets"),
        ),
        [
            (k, old or tr(lang, "(missing)"), new or tr(lang, "(gone)"))
            for k, old, new in stale(started, now)
            if k.endswith(suffix)
        ],
    )
