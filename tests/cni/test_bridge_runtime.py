"""The bridge plan (no root needed to build it) and the runtime's CLI on a host-local network."""

from __future__ import annotations

import ipaddress
import json
import re
from pathlib import Path

import pytest

from infranotes.cli import main
from infranotes.cni.bridge import (
    chain_comment,
    chain_name,
    gateway_routes,
    load_conf,
    plan_addresses,
    plan_links,
)
from infranotes.cni.lab import BRIDGE_CONF, our_plugin
from infranotes.cni.runtime import load_network_config
from infranotes.cni.types import CNIError, IPConfig, Result, Route
from infranotes.errors import ParseError


def test_chain_name_and_comment_match_the_reference() -> None:
    # the names iptables-save showed for the reference bridge (tests/oracles/test_cni_oracle.py)
    assert chain_name("brnet", "pod-a") == "CNI-179eac47a8a7fb1465efd9fe"
    assert chain_name("brnet", "pod-b") == "CNI-560abac4652c62e0b03c1847"
    assert chain_comment("brnet", "pod-a") == 'name: "brnet" id: "pod-a"'


def test_plan_in_cmdadd_order() -> None:
    c = load_conf(dict(BRIDGE_CONF, mtu=1400, hairpinMode=True))
    links = plan_links(c, "/var/run/netns/pod", "eth0", "veth0a1b2c3d")
    # the bridge (add, accept_ra, up), the pair, the rename; the container end stays down
    # until ConfigureIface has given it its addresses
    assert [s.where for s in links] == ["host"] * 5 + ["container"] + ["host"] * 3
    assert links[0].argv == ("ip", "link", "add", "name", "cnibr0", "mtu", "1400", "type", "bridge")
    assert links[1].argv[-1] == "net/ipv6/conf/cnibr0/accept_ra=0" and links[1].ignore_errors
    assert links[5].argv == ("ip", "link", "set", "tmp0a1b2c3d", "name", "eth0")
    assert "hairpin" in links[7].argv and links[7].argv[-1] == "on"
    result = Result(
        (IPConfig(ipaddress.ip_interface("10.22.1.2/24"), ipaddress.ip_address("10.22.1.1")),),
        (Route(ipaddress.ip_network("0.0.0.0/0")),),
    )
    addrs = [" ".join(s.argv) for s in plan_addresses(c, "pod-a", "eth0", result)]
    assert addrs[:8] == [
        "sysctl -q -w net/ipv6/conf/eth0/accept_dad=0",
        "sysctl -q -w net/ipv4/conf/eth0/arp_notify=1",
        "ip addr add 10.22.1.2/24 dev eth0",
        "ip link set eth0 up",
        "ip route add default via 10.22.1.1 dev eth0",
        "ip addr add 10.22.1.1/24 dev cnibr0",
        "ip link set cnibr0 address $BRIDGE_MAC",
        "sysctl -q -w net.ipv4.ip_forward=1",
    ]
    assert addrs[-1].startswith(
        "iptables -t nat -A POSTROUTING -s 10.22.1.2 -j CNI-179eac47a8a7fb1465efd9fe"
    )
    assert str(links[0]).startswith("[host] ip link add name cnibr0")


def test_default_gateway_and_conflicting_modes() -> None:
    c = load_conf(dict(BRIDGE_CONF, isDefaultGateway=True))
    r = gateway_routes(
        c,
        Result(
            (IPConfig(ipaddress.ip_interface("10.0.0.2/24"), ipaddress.ip_address("10.0.0.1")),)
        ),
    )
    assert [(str(x.dst), str(x.gw)) for x in r.routes] == [("0.0.0.0/0", "10.0.0.1")]
    with pytest.raises(CNIError, match="hairpin mode and promiscuous mode"):
        load_conf(dict(BRIDGE_CONF, hairpinMode=True, promiscMode=True))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not JSON"),
        ("[]", "not a JSON object"),
        ('{"cniVersion":"1.0.0","name":"x","plugins":[]}', "plugins is empty"),
        ('{"cniVersion":"1.0.0","name":"x","plugins":[{}]}', "plugins[0] has no type"),
        ('{"cniVersion":"7.0.0","name":"x","type":"bridge"}', "incompatible CNI versions"),
        ('{"cniVersion":"1.0.0","name":"a/b","type":"bridge"}', "invalid characters"),
    ],
)
def test_network_config_errors(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=re.escape(message)):
        load_network_config(text, "net.conf")


def test_cli_runs_a_host_local_network(tmp_path: Path, capsys) -> None:
    path = tmp_path / "bin"
    path.mkdir()
    (path / "host-local").symlink_to(our_plugin("host-local"))
    conf = tmp_path / "hl.conf"
    conf.write_text(
        json.dumps(
            {
                "cniVersion": "1.0.0",
                "name": "hl",
                "type": "host-local",
                "ipam": {
                    "type": "host-local",
                    "dataDir": str(tmp_path / "d"),
                    "ranges": [[{"subnet": "10.30.0.0/29"}]],
                },
            }
        )
    )
    base = [
        "--conf",
        str(conf),
        "--netns",
        "pod1",
        "--cni-path",
        str(path),
        "--cache-dir",
        str(tmp_path / "cache"),
    ]
    assert main(["cni", "add", *base, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ips"][0]["address"] == "10.30.0.2/29"
    assert (tmp_path / "cache" / "hl-pod1-eth0").exists()
    assert main(["cni", "check", *base]) == 0
    assert main(["cni", "add", *base]) == 1
    assert "duplicate allocation is not allowed" in capsys.readouterr().err
    assert main(["cni", "del", *base]) == 0
    assert not (tmp_path / "cache" / "hl-pod1-eth0").exists()
    assert main(["cni", "check", *base]) == 1  # nothing cached any more
    assert (
        main(["cni", "add", "--conf", str(conf), "--netns", "p", "--cni-path", "/nonexistent"]) == 1
    )
    assert 'failed to find plugin "host-local"' in capsys.readouterr().err


def test_leak_and_gc_scene(tmp_path: Path) -> None:
    from infranotes.cni import scenes

    leaked = scenes.leak(data=tmp_path)
    adds, gc = scenes.leak_adds_table(leaked), scenes.leak_gc_table(leaked)
    assert [r[1] for r in adds.rows] == [0, 0, 0, 0, 0, 1]
    assert adds.rows[-1][2] == (
        "failed to allocate for range 0: no IP addresses available in "
        "range set: 10.22.0.1-10.22.0.6"
    )
    assert gc.rows == [
        ("GC (valid: sandbox5)", 0, "released the others"),
        ("sandbox6 again", 0, "10.22.0.2/29"),
    ]
    assert [r[0] for r in scenes.store_table(leaked.data, "podnet").rows] == [
        "10.22.0.2",
        "10.22.0.6",
        "last_reserved_ip.0",
        "lock",
    ]


def test_plan_table_lists_ipam_between_links_and_addresses() -> None:
    from infranotes.cni import scenes

    rows = scenes.plan_table().rows
    assert rows[9] == ("", "exec host-local ADD (CNI_PATH)", "run IPAM with the same config")
    assert len(rows) == 22


def test_a_0_1_0_ipam_result_is_converted_like_libcni() -> None:
    """kubenet's network is cniVersion 0.1.0, so host-local answers with ip4/ip6."""
    from infranotes.cni.types import result_from_json

    r = result_from_json(
        {
            "cniVersion": "0.1.0",
            "ip4": {
                "ip": "10.244.1.2/24",
                "gateway": "10.244.1.1",
                "routes": [{"dst": "0.0.0.0/0"}],
            },
            "ip6": {"ip": "fd00::2/64", "routes": [{"dst": "::/0", "gw": "fd00::1"}]},
            "dns": {},
        }
    )
    assert [(str(i.address), i.gateway and str(i.gateway)) for i in r.ips] == [
        ("10.244.1.2/24", "10.244.1.1"),
        ("fd00::2/64", None),
    ]
    assert [(str(x.dst), x.gw and str(x.gw)) for x in r.routes] == [
        ("0.0.0.0/0", None),
        ("::/0", "fd00::1"),
    ]
