"""kubelet's Pod resolv.conf: policies, dnsConfig merging, host file parsing and limits."""

from __future__ import annotations

import pytest

from infranotes.dns.kubelet import DNSConfig, DNSOption, KubeletDNS, pod_resolv_conf
from infranotes.errors import ParseError

NODE = (
    "# node\nnameserver 10.0.0.2\nnameserver 10.0.0.3\nsearch localdomain.\ndomain corp\n"
    "options timeout:2\n"
)
WRONG = KubeletDNS(cluster_domain="c1.ichenfu.com", cluster_dns=("10.254.0.2",))


def test_incident_resolv_conf() -> None:
    r = pod_resolv_conf(WRONG, "default", node_resolv_conf=NODE)
    assert r.text == (
        "search default.svc.c1.ichenfu.com svc.c1.ichenfu.com c1.ichenfu.com localdomain\n"
        "nameserver 10.254.0.2\noptions ndots:5\n"
    )
    assert r.warnings == ()


def test_default_policy_uses_node_file() -> None:
    r = pod_resolv_conf(WRONG, "default", dns_policy="Default", node_resolv_conf=NODE)
    assert r.nameservers == ("10.0.0.2", "10.0.0.3")
    assert r.searches == ("localdomain",) and r.options == ("timeout:2",)


def test_cluster_first_with_host_network_falls_back() -> None:
    r = pod_resolv_conf(WRONG, "ns", host_network=True, node_resolv_conf=NODE)
    assert r.nameservers == ("10.0.0.2", "10.0.0.3")
    r2 = pod_resolv_conf(WRONG, "ns", dns_policy="ClusterFirstWithHostNet", host_network=True)
    assert r2.nameservers == ("10.254.0.2",)


def test_none_policy_needs_dns_config() -> None:
    with pytest.raises(ParseError):
        pod_resolv_conf(WRONG, "ns", dns_policy="None")
    cfg = DNSConfig(("1.1.1.1",), ("a.test",), (DNSOption("ndots", "2"),))
    r = pod_resolv_conf(WRONG, "ns", dns_policy="None", dns_config=cfg, node_resolv_conf=NODE)
    assert (r.nameservers, r.searches, r.options) == (("1.1.1.1",), ("a.test",), ("ndots:2",))


def test_dns_config_merges_and_dedups() -> None:
    cfg = DNSConfig(
        ("10.254.0.2", "8.8.8.8"),
        ("svc.c1.ichenfu.com", "extra.test"),
        (DNSOption("ndots", "2"), DNSOption("edns0")),
    )
    r = pod_resolv_conf(WRONG, "default", dns_config=cfg)
    assert r.nameservers == ("10.254.0.2", "8.8.8.8")
    assert r.searches[-1] == "extra.test" and r.searches.count("svc.c1.ichenfu.com") == 1
    assert r.options == ("edns0", "ndots:2")


def test_nameserver_limit_warning() -> None:
    cfg = DNSConfig(("1.1.1.1", "2.2.2.2", "3.3.3.3"))
    r = pod_resolv_conf(WRONG, "ns", dns_config=cfg)
    assert r.nameservers == ("10.254.0.2", "1.1.1.1", "2.2.2.2")
    assert "Nameserver limits were exceeded" in r.warnings[0]


@pytest.mark.parametrize(("expanded", "kept"), [(True, 32), (False, 6)])
def test_search_path_limits(expanded: bool, kept: int) -> None:
    cfg = DNSConfig(searches=tuple(f"s{i}.test" for i in range(40)))
    k = KubeletDNS(cluster_domain="cluster.local", expanded_dns_config=expanded)
    r = pod_resolv_conf(k, "ns", dns_config=cfg)
    assert len(r.searches) == kept
    assert "Search Line limits were exceeded" in r.warnings[-1]


def test_search_char_limit_cuts_from_the_end() -> None:
    long = tuple(f"{'a' * 60}{i}.test" for i in range(4))
    k = KubeletDNS(cluster_domain="c.l", expanded_dns_config=False)
    r = pod_resolv_conf(k, "ns", dns_config=DNSConfig(searches=long))
    assert len(" ".join(r.searches)) <= 256 and r.searches[:3] == ("ns.svc.c.l", "svc.c.l", "c.l")


def test_missing_cluster_dns_falls_back_to_default() -> None:
    k = KubeletDNS(cluster_domain="cluster.local", cluster_dns=())
    r = pod_resolv_conf(k, "ns", node_resolv_conf=NODE)
    assert r.nameservers == ("10.0.0.2", "10.0.0.3") and "MissingClusterDNS" in r.warnings[0]


def test_dns_config_from_json() -> None:
    cfg = DNSConfig.from_json(
        '{"spec": {"dnsConfig": {"options": [{"name": "ndots", "value": "2"}]}}}'
    )
    assert cfg.options == (DNSOption("ndots", "2"),)
    with pytest.raises(ParseError) as err:
        DNSConfig.from_json('{"nameservers": [1]}', source="p.json")
    assert "p.json" in str(err.value)
    with pytest.raises(ParseError) as err2:
        DNSConfig.from_json("{\n  bad", source="p.json")
    assert err2.value.line == 2
