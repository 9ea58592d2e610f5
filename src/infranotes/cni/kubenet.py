"""kubenet: how kubelet (Kubernetes up to 1.23, with dockershim) used the bridge and
host-local plugins, as data.

kubenet was not a CNI plugin of its own but a small driver inside kubelet
(``pkg/kubelet/dockershim/network/kubenet/kubenet_linux.go``). It needed three reference
plugins (``requiredCNIPlugins``: bridge, host-local, loopback) and, once the node had a
``podCIDR``, rendered one network configuration from ``NET_CONFIG_TEMPLATE``: the bridge
plugin on ``cbr0`` as the Pods' gateway (``isGateway``), **without** ``ipMasq`` (kubenet
installs one MASQUERADE rule for everything leaving the non-masquerade CIDR itself), hairpin
mode when kubelet runs with ``--hairpin-mode=hairpin-veth``, and host-local allocating from
the node's podCIDR(s). For each Pod it then:

1. set ``net.ipv6.conf.default.dad_transmits=0`` in the Pod's namespace (no DAD delay),
2. ran ADD of a loopback network (``kubenet-loopback``) for ``lo``,
3. ran ADD of the ``kubenet`` network for ``eth0``,
4. with ``--hairpin-mode=promiscuous-bridge``, put cbr0 in promiscuous mode (plus ebtables
   rules dropping the duplicates that causes).

:func:`network_config` renders step 3's configuration the way ``Event`` and
``getRangesConfig``/``getRoutesConfig`` did after Kubernetes PR 85993 (1.18): one range per
podCIDR holding only its ``subnet``, the gateway left to host-local (the subnet's first
address), and a default route per family. In 1.16 the ``subnet`` was written as the gateway
address with the prefix length (``10.47.128.1/24``), which host-local rejects — Kubernetes
issue 84541; :data:`BROKEN_1_16_RANGE` keeps that form for the test that shows the
reference host-local refusing it.
"""

from __future__ import annotations

import ipaddress
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infranotes.cni.runtime import NetworkConfig, run_network

SOURCE = (
    "https://github.com/kubernetes/kubernetes/blob/v1.23.0/"
    "pkg/kubelet/dockershim/network/kubenet/kubenet_linux.go"
)
BRIDGE_NAME = "cbr0"  # kubenet's BridgeName
DEFAULT_INTERFACE = "eth0"  # network.DefaultInterfaceName
FALLBACK_MTU = 1460  # used when no interface's MTU can be found (findMinMTU)
REQUIRED_PLUGINS = ("bridge", "host-local", "loopback")
HAIRPIN_MODES = ("hairpin-veth", "promiscuous-bridge", "none")  # kubelet --hairpin-mode

LOOPBACK_CONFIG: dict[str, Any] = {
    "cniVersion": "0.1.0",
    "name": "kubenet-loopback",
    "type": "loopback",
}


def network_config(
    pod_cidrs: str, mtu: int = FALLBACK_MTU, hairpin_mode: str = "hairpin-veth"
) -> dict[str, Any]:
    """The ``kubenet`` network for a node whose podCIDR(s) are ``pod_cidrs`` (comma-
    separated, as in the POD_CIDR_CHANGE event; dual stack gives two). ValueError for an
    unknown hairpin mode or a CIDR with host bits set, as ``net.ParseCIDR`` would not
    give kubenet one either."""
    if hairpin_mode not in HAIRPIN_MODES:
        raise ValueError(f"hairpin mode {hairpin_mode!r}: expected one of {HAIRPIN_MODES}")
    nets = [ipaddress.ip_network(c.strip()) for c in pod_cidrs.split(",")]
    return {
        "cniVersion": "0.1.0",
        "name": "kubenet",
        "type": "bridge",
        "bridge": BRIDGE_NAME,
        "mtu": mtu,
        "addIf": DEFAULT_INTERFACE,  # not a bridge plugin field: ignored by it
        "isGateway": True,
        "ipMasq": False,
        "hairpinMode": hairpin_mode == "hairpin-veth",
        "ipam": {
            "type": "host-local",
            "ranges": [[{"subnet": str(n)}] for n in nets],
            "routes": [
                {"dst": dst}
                for version, dst in ((4, "0.0.0.0/0"), (6, "::/0"))
                if any(n.version == version for n in nets)
            ],
        },
    }


def broken_1_16_range(pod_cidr: str) -> dict[str, str]:
    """The range Kubernetes 1.16 wrote (issue 84541): the gateway address as the subnet."""
    net = ipaddress.ip_network(pod_cidr)
    gw = net.network_address + 1
    return {"subnet": f"{gw}/{net.prefixlen}", "gateway": str(gw)}


@dataclass(frozen=True)
class PodSetup:
    """What kubenet's ``setup`` got back for one Pod: both ADD results."""

    loopback: dict[str, Any] | None
    network: dict[str, Any] | None


def setup_pod(
    netns: str,
    container_id: str,
    conf: dict[str, Any],
    cni_path: str,
    cache_dir: Path,
) -> PodSetup:
    """kubenet's ``setup`` for one Pod, through our runtime: DAD off by default in the Pod's
    namespace, then ADD of the loopback network on ``lo`` and of ``conf`` on ``eth0``.
    Run it with the calling thread in the node's network namespace (the plugins it starts
    inherit it); ``netns`` is the Pod's namespace path."""
    subprocess.run(
        ["nsenter", f"--net={netns}", "sysctl", "-q", "-w",
         "net/ipv6/conf/default/dad_transmits=0"],
        capture_output=True,
    )  # fmt: skip
    lo = run_network("ADD", _net(LOOPBACK_CONFIG), netns, container_id, "lo", cni_path, cache_dir)
    eth0 = run_network(
        "ADD", _net(conf), netns, container_id, DEFAULT_INTERFACE, cni_path, cache_dir
    )
    return PodSetup(lo, eth0)


def teardown_pod(
    netns: str, container_id: str, conf: dict[str, Any], cni_path: str, cache_dir: Path
) -> None:
    """kubenet's ``teardown``: DEL of the loopback network, then of ``conf``."""
    run_network("DEL", _net(LOOPBACK_CONFIG), netns, container_id, "lo", cni_path, cache_dir)
    run_network("DEL", _net(conf), netns, container_id, DEFAULT_INTERFACE, cni_path, cache_dir)


def _net(conf: dict[str, Any]) -> NetworkConfig:
    return NetworkConfig(conf["name"], conf["cniVersion"], (conf,))
