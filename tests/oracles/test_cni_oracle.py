"""Our host-local against the reference plugin (Debian's containernetworking-plugins).

Every configuration runs the same command sequence through both plugins, each on its own
temporary dataDir: stdout (byte for byte), exit status and the store files (names, modes,
contents) must be equal. Then each plugin reads a store the other wrote.
"""

from __future__ import annotations

import copy
import io
import ipaddress
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infranotes.cni.hostlocal import HANDLERS
from infranotes.cni.lab import REFERENCE_DIR, exec_plugin, our_plugin, store_files
from infranotes.cni.protocol import run_plugin
from tests.cni.cases import HOSTLOCAL, HOSTLOCAL_EDGES, conf
from tests.labs import lab_skip

from .conftest import require

pytestmark = pytest.mark.oracle
REF = REFERENCE_DIR / "host-local"


@pytest.fixture(scope="module", autouse=True)
def _reference() -> None:
    if not REF.exists():
        lab_skip(f"{REF} missing (Debian package containernetworking-plugins)")


def _run(plugin: Path, config: dict, steps: list, data: Path, resolv: Path) -> list[tuple]:
    c = copy.deepcopy(config)
    if "ipam" in c:
        c["ipam"]["dataDir"] = str(data)
        if c["ipam"].get("resolvConf") == "RESOLV":
            c["ipam"]["resolvConf"] = str(resolv)
    out = []
    for step in steps:
        cmd, cid, args, ifname = (*step, "", "eth0")[:4]
        r = exec_plugin(plugin, cmd, c, cid=cid, args=args, ifname=ifname or "eth0")
        out.append((cmd, cid, r.rc, r.raw))
    return out


ALL = HOSTLOCAL + HOSTLOCAL_EDGES


@pytest.mark.parametrize("case", ALL, ids=[c[0] for c in ALL])
def test_same_results_and_store(case, tmp_path: Path) -> None:
    _, config, steps = case
    resolv = tmp_path / "resolv.conf"
    resolv.write_text(
        "nameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local"
        "\noptions ndots:5\n# comment\ndomain cluster.local\n"
    )
    ours = _run(our_plugin("host-local"), config, steps, tmp_path / "ours", resolv)
    ref = _run(REF, config, steps, tmp_path / "ref", resolv)
    if case[0] == "incompatible-version":  # deliberate: we also support 1.1.0 (GC, STATUS)
        ours = [(*o[:3], o[3].replace(' \\"1.0.0\\" \\"1.1.0\\"]', ' \\"1.0.0\\"]')) for o in ours]
    assert ours == ref
    name = config.get("name", "")
    assert store_files(tmp_path / "ours", name) == store_files(tmp_path / "ref", name)


@pytest.mark.parametrize("writer", ["ours", "reference"])
def test_a_store_written_by_one_is_read_by_the_other(writer: str, tmp_path: Path) -> None:
    first, second = (
        (our_plugin("host-local"), REF) if writer == "ours" else (REF, our_plugin("host-local"))
    )
    c = conf({"ranges": [[{"subnet": "10.23.0.0/29"}]], "dataDir": str(tmp_path)})
    assert exec_plugin(first, "ADD", c, cid="a").rc == 0
    assert exec_plugin(first, "ADD", c, cid="b").rc == 0
    assert exec_plugin(second, "CHECK", c, cid="a").rc == 0
    dup = exec_plugin(second, "ADD", c, cid="a")  # the other plugin sees a's reservation
    assert dup.rc == 1 and "10.23.0.2 has been allocated to a" in dup.raw
    assert exec_plugin(second, "DEL", c, cid="a").rc == 0
    nxt = exec_plugin(second, "ADD", c, cid="c")  # continues after last_reserved_ip.0 (.3)
    assert nxt.rc == 0 and nxt.doc["ips"][0]["address"] == "10.23.0.4/29"
    assert set(store_files(tmp_path, "net")) == {
        "10.23.0.3",
        "10.23.0.4",
        "last_reserved_ip.0",
        "lock",
    }


def test_bridge_plugin_against_the_reference(tmp_path: Path) -> None:
    """Two Pods wired by our plugins and by the reference: same results (but for random MACs
    and veth names), same routes, bridge address, forwarding, MASQUERADE rules, CHECK and DEL
    behaviour and store; and the Pods ping each other."""
    from infranotes.cni.scenes import observe_bridge

    require("ip", "nsenter", "iptables", "ping")
    ours = observe_bridge("ours", tmp_path / "ours")
    ref = observe_bridge("reference", tmp_path / "ref")
    assert ours["ping-a-b"] is True and ours["ping-a-gw"] is True
    assert len(ours["nat"]) == 8
    # DEL tears the MASQUERADE chain down only for the addresses it still finds on the
    # container's interface (DelLinkByNameAddr): pod-a's were removed first, so its chain
    # stays, in the reference as in ours; pod-b's chain goes.
    assert ours["nat-after-del-a"] == ours["nat"]
    assert ours["nat-after-del-b"] and all(
        "pod-b" not in r and "560abac" not in r for r in ours["nat-after-del-b"]
    )
    assert ours == ref


# ----------------------------------------------------------------- random range sets
V4_POOL = ("10.40.0.0/28", "10.40.0.16/29", "10.40.0.16/28", "10.40.1.0/30", "10.40.2.0/28")
V6_POOL = ("fd00:40::/124", "fd00:40::10/126", "fd00:40::/123", "fd00:41::/125")


def _address(i: int, version: int) -> str:
    return str(ipaddress.IPv4Address(i % 2**32) if version == 4 else ipaddress.IPv6Address(i))


@st.composite
def range_sets(draw: st.DrawFn) -> list[list[dict[str, str]]]:
    """1-2 range sets of 1-3 ranges; bounds and gateways mostly inside the subnet, sometimes
    on or beyond its edges, so that both allocations and every range error come up."""
    sets = []
    for _ in range(draw(st.integers(1, 2))):
        pool = draw(st.sampled_from([V4_POOL, V6_POOL]))
        ranges = []
        for subnet in draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True)):
            net = ipaddress.ip_network(subnet)
            first, last = int(net.network_address), int(net.broadcast_address)
            inside = st.integers(first + 1, last - 1)
            edge = st.integers(first - 2, last + 2)
            r = {"subnet": subnet}
            for key in ("rangeStart", "rangeEnd", "gateway"):
                if draw(st.booleans()):
                    r[key] = _address(draw(st.one_of(inside, inside, inside, edge)), net.version)
            ranges.append(r)
        sets.append(ranges)
    return sets


def _ours_in_process(config: dict, cmd: str, cid: str, args: str) -> tuple[int, str]:
    """Our plugin through the same exec-protocol code, without an interpreter start."""
    env = {
        "CNI_COMMAND": cmd,
        "CNI_CONTAINERID": cid,
        "CNI_NETNS": "/var/run/netns/none",
        "CNI_IFNAME": "eth0",
        "CNI_ARGS": args,
        "CNI_PATH": "/usr/lib/cni",
    }
    out = io.StringIO()
    rc = run_plugin(
        "host-local", HANDLERS, env, io.BytesIO(json.dumps(config).encode()), out, io.StringIO()
    )
    return rc, out.getvalue()


@given(
    range_sets(),
    st.lists(
        st.tuples(
            st.sampled_from(["ADD", "ADD", "ADD", "DEL", "CHECK"]),
            st.sampled_from(["a", "b", "c", "d"]),
            st.sampled_from(
                [
                    "",
                    "",
                    "IgnoreUnknown=1;K8S_POD_NAME=x",
                    "FOO=1",
                    "IP=10.40.0.5",
                    "IP=fd00:40::5",
                    "IP=10.40.0.18/28",
                ]
            ),
        ),
        min_size=1,
        max_size=6,
    ),
)
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_random_range_sets_against_the_reference(sets: list, steps: list) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        for who in ("ours", "ref"):
            c = conf({"ranges": sets, "dataDir": str(data / who)})
            seen = []
            for cmd, cid, args in steps:
                if who == "ours":
                    seen.append(_ours_in_process(c, cmd, cid, args))
                else:
                    r = exec_plugin(REF, cmd, c, cid=cid, args=args)
                    seen.append((r.rc, r.raw))
            if who == "ours":
                ours = seen
            else:
                assert ours == seen, (sets, steps)
        assert store_files(data / "ours", "net") == store_files(data / "ref", "net")


def test_bridge_kernel_details_against_the_reference(tmp_path: Path) -> None:
    """IPv6 DAD, arp_notify and the bridge MAC, observation by observation, for four Pods:
    plain, enabledad, hairpinMode, and one on a bridge without a gateway address. The
    container's accept_dad/enhanced_dad/arp_notify, the gratuitous ARPs captured in the
    node namespace, the result's MACs against the live links, the bridge MAC before and
    after its first veth, and accept_ra on the bridge."""
    from infranotes.cni.scenes import observe_kernel_details

    require("ip", "nsenter", "sysctl")
    ours = observe_kernel_details("ours", tmp_path / "ours")
    ref = observe_kernel_details("reference", tmp_path / "ref")
    dad = "accept_dad, enhanced_dad, arp_notify"
    assert ref[f"plain: {dad}"] == ["0", "0", "1"]  # DAD off, arp_notify on
    assert ref[f"hairpin: {dad}"] == ["0", "0", "1"]  # off whatever the hairpin mode
    assert ref[f"enabledad: {dad}"] == ["1", "1", "1"]  # DAD on, with the nonce
    # one gratuitous ARP per Pod address, built by the kernel (target MAC zero)
    assert ref["gratuitous ARPs"] == [
        (ip, "00:00:00:00:00:00") for ip in ("10.23.1.2", "10.23.1.3", "10.23.1.4", "10.23.2.2")
    ]
    mac = "bridge MAC kept / became the veth's / set explicitly"
    assert ref[f"plain: {mac}"] == [True, False, True]  # ensureAddr pinned the old MAC
    assert ref[f"l2 bridge: {mac}"] == [False, True, False]  # the port's MAC, reported
    assert all(all(v) for k, v in ref.items() if k.endswith("live ones"))
    assert ref["bridge accept_ra"] == "0"
    # SettleAddresses: with enabledad the ADD returns only once DAD has finished
    assert all(v == [] for k, v in ref.items() if k.endswith("tentative after ADD"))
    assert ours == ref


@pytest.mark.parametrize("arp_notify", [True, False])
def test_the_kernel_sends_the_gratuitous_arp_only_with_arp_notify(arp_notify: bool) -> None:
    """No plugin: a veth whose address is there before the link comes up."""
    from infranotes.cni.scenes import garp_on_link_up

    require("ip", "sysctl")
    expected = [("10.25.0.2", "00:00:00:00:00:00")] if arp_notify else []
    assert garp_on_link_up(arp_notify) == expected


@pytest.mark.parametrize(
    ("hairpin", "enhanced", "state"),
    [(False, False, "ok"), (True, False, "dadfailed"), (True, True, "ok")],
)
def test_hairpin_echo_fails_plain_dad_but_not_enhanced_dad(
    hairpin: bool, enhanced: bool, state: str
) -> None:
    """Why the bridge plugin turns DAD off (bridge.go, and Kubernetes issue 32291)."""
    from infranotes.cni.scenes import dad_through_bridge

    require("ip", "sysctl")
    assert dad_through_bridge(hairpin, enhanced) == state


def test_kubenet_pod_through_our_runtime(tmp_path: Path) -> None:
    """kubenet's two networks for one Pod (loopback on lo, bridge + host-local on eth0 from
    the node's podCIDR), run by our runtime: with the reference plugins, and with ours for
    bridge and host-local; the same observations, then a clean teardown."""
    from infranotes.cni.scenes import kubenet_pod

    require("ip", "nsenter", "sysctl", "ping", "iptables-save")
    ref = kubenet_pod("reference", tmp_path / "ref")
    assert ref["eth0"] == ["10.244.1.2/24"] and ref["cbr0"] == ["10.244.1.1/24"]
    assert ref["routes"][0].split()[:3] == ["default", "via", "10.244.1.1"]
    assert ref["lo"] == ["UNKNOWN", "127.0.0.1/8"] and ref["dad_transmits"] == "0"
    assert ref["hairpin on the port"] == [True] and ref["ping gateway"] is True
    assert ref["nat rules"] == []  # ipMasq false: kubenet masquerades by itself
    assert ref["links after teardown"] == ["lo"]
    assert ref["store after teardown"] == ["last_reserved_ip.0", "lock"]
    assert kubenet_pod("ours", tmp_path / "ours") == ref


def test_the_1_16_kubenet_range_is_refused_by_host_local(tmp_path: Path) -> None:
    """Kubernetes issue 84541: the subnet written as the gateway address."""
    from infranotes.cni import kubenet

    c = kubenet.network_config("10.47.128.0/24")
    c["ipam"]["ranges"] = [[kubenet.broken_1_16_range("10.47.128.0/24")]]
    c["ipam"]["dataDir"] = str(tmp_path)
    ref = exec_plugin(REF, "ADD", c, cid="a")
    assert ref.rc == 1 and "Network has host bits set" in ref.doc["msg"]
    assert exec_plugin(our_plugin("host-local"), "ADD", c, cid="a") == ref
