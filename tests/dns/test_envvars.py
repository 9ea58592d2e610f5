"""Service environment variables as kubelet writes them (pkg/kubelet/envvars/envvars.go)."""

from __future__ import annotations

from infranotes.dns.envvars import service_env, stale, variable_name
from infranotes.dns.manifests import load_manifests

MANIFESTS = """
apiVersion: v1
kind: Service
metadata: {name: kubernetes, namespace: default}
spec:
  clusterIP: 10.96.0.1
  ports: [{name: https, port: 443, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: nginx-service, namespace: web}
spec:
  clusterIP: 10.96.117.78
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: dns, namespace: web}
spec:
  clusterIP: fd00::a
  ports: [{name: dns-udp, port: 53, protocol: UDP}, {name: metrics, port: 9153, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: headless, namespace: web}
spec:
  clusterIP: None
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: elsewhere, namespace: other}
spec:
  clusterIP: 10.96.9.9
  ports: [{port: 1}]
"""


def _services(text: str = MANIFESTS):
    return load_manifests(text, "test").services


def test_names_like_make_env_variable_name() -> None:
    assert variable_name("nginx-service") == "NGINX_SERVICE"
    assert variable_name("a.b-c") == "A.B_C"  # dots stay: a DNS-1035 Service name has none


def test_the_variables_of_one_namespace() -> None:
    env = service_env(_services(), "web").as_dict()
    assert env["NGINX_SERVICE_SERVICE_HOST"] == "10.96.117.78"
    assert env["NGINX_SERVICE_SERVICE_PORT"] == "80"
    assert env["NGINX_SERVICE_PORT"] == "tcp://10.96.117.78:80"
    assert env["NGINX_SERVICE_PORT_80_TCP"] == "tcp://10.96.117.78:80"
    assert env["NGINX_SERVICE_PORT_80_TCP_PROTO"] == "tcp"
    assert env["NGINX_SERVICE_PORT_80_TCP_PORT"] == "80"
    assert env["NGINX_SERVICE_PORT_80_TCP_ADDR"] == "10.96.117.78"
    # named ports get _SERVICE_PORT_<NAME>; IPv6 in brackets in the URLs (net.JoinHostPort)
    assert env["DNS_SERVICE_PORT_DNS_UDP"] == "53" and env["DNS_SERVICE_PORT_METRICS"] == "9153"
    assert env["DNS_PORT"] == "udp://[fd00::a]:53"
    assert env["DNS_PORT_9153_TCP_ADDR"] == "fd00::a"
    # the API server's Service is always there; headless and other namespaces never
    assert env["KUBERNETES_SERVICE_PORT_HTTPS"] == "443"
    assert not any(k.startswith(("HEADLESS_", "ELSEWHERE_")) for k in env)
    assert len(env) == 7 + 13 + 8  # nginx-service, dns (two ports), kubernetes


def test_enable_service_links_false_keeps_only_kubernetes() -> None:
    env = service_env(_services(), "web", enable_service_links=False)
    assert env.services == ("default/kubernetes",)
    assert {k.split("_")[0] for k in env.as_dict()} == {"KUBERNETES"}


def test_variables_are_fixed_when_the_container_starts() -> None:
    started = service_env(_services(), "web")
    later = MANIFESTS.replace("10.96.117.78", "10.96.200.1") + (
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: cache, namespace: web}\n"
        "spec: {clusterIP: 10.96.3.3, ports: [{port: 6379}]}\n"
    )
    diff = stale(started, service_env(_services(later), "web"))
    changed = {k: (old, new) for k, old, new in diff}
    assert changed["NGINX_SERVICE_SERVICE_HOST"] == ("10.96.117.78", "10.96.200.1")
    assert changed["CACHE_SERVICE_HOST"] == (None, "10.96.3.3")  # created after the Pod
    assert all(k.startswith(("NGINX_SERVICE_", "CACHE_")) for k in changed)
