"""kubenet's CNI configuration, against the template kubelet filled in (Kubernetes 1.23,
pkg/kubelet/dockershim/network/kubenet/kubenet_linux.go: NET_CONFIG_TEMPLATE,
getRangesConfig, getRoutesConfig)."""

from __future__ import annotations

import json
import re

import pytest

from infranotes.cni import kubenet

# The upstream template, as test data (Go fmt verbs in the order Event passes them:
# BridgeName, mtu, DefaultInterfaceName, setHairpin, ranges, routes).
NET_CONFIG_TEMPLATE = """{
  "cniVersion": "0.1.0",
  "name": "kubenet",
  "type": "bridge",
  "bridge": "%s",
  "mtu": %d,
  "addIf": "%s",
  "isGateway": true,
  "ipMasq": false,
  "hairpinMode": %t,
  "ipam": {
    "type": "host-local",
    "ranges": [%s],
    "routes": [%s]
  }
}"""
RANGE_TEMPLATE = '\n[{\n"subnet": "%s"\n}]'  # getRangesConfig's createRange, after PR 85993


def go_sprintf(template: str, *args: object) -> str:
    """Enough of Go's fmt.Sprintf for these templates: %s, %d, %t in order."""
    it = iter(args)

    def one(m: re.Match[str]) -> str:
        v = next(it)
        return str(v).lower() if m.group(0) == "%t" else str(v)

    return re.sub(r"%[sdt]", one, template)


def upstream(pod_cidrs: list[str], mtu: int, hairpin: bool) -> dict:
    ranges = ",".join(go_sprintf(RANGE_TEMPLATE, c) for c in pod_cidrs)
    # getRoutesConfig: one default route per family present
    has4 = any(":" not in c for c in pod_cidrs)
    has6 = any(":" in c for c in pod_cidrs)
    routes = ",".join(
        [*(['{"dst": "0.0.0.0/0"}'] if has4 else []), *(['{"dst": "::/0"}'] if has6 else [])]
    )
    text = go_sprintf(NET_CONFIG_TEMPLATE, "cbr0", mtu, "eth0", hairpin, ranges, routes)
    return json.loads(text)


@pytest.mark.parametrize(
    ("cidrs", "mtu", "mode"),
    [
        (["10.244.1.0/24"], 1460, "hairpin-veth"),
        (["10.244.1.0/24"], 1500, "promiscuous-bridge"),
        (["10.244.1.0/24", "fd00:10:244:1::/64"], 1460, "none"),
        (["fd00:10:244:1::/64"], 9000, "hairpin-veth"),
    ],
)
def test_network_config_is_the_upstream_template_filled_in(cidrs, mtu, mode) -> None:
    ours = kubenet.network_config(",".join(cidrs), mtu=mtu, hairpin_mode=mode)
    assert ours == upstream(cidrs, mtu, mode == "hairpin-veth")


def test_defaults_and_the_other_plugins() -> None:
    c = kubenet.network_config("10.244.1.0/24")
    assert (c["mtu"], c["hairpinMode"], c["isGateway"], c["ipMasq"]) == (1460, True, True, False)
    assert kubenet.REQUIRED_PLUGINS == ("bridge", "host-local", "loopback")
    assert kubenet.LOOPBACK_CONFIG == {
        "cniVersion": "0.1.0",
        "name": "kubenet-loopback",
        "type": "loopback",
    }


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="hairpin mode"):
        kubenet.network_config("10.244.1.0/24", hairpin_mode="hairpin")
    with pytest.raises(ValueError, match="host bits"):
        kubenet.network_config("10.244.1.1/24")


def test_the_1_16_range_put_the_gateway_in_the_subnet() -> None:
    assert kubenet.broken_1_16_range("10.47.128.0/24") == {
        "subnet": "10.47.128.1/24",
        "gateway": "10.47.128.1",
    }
