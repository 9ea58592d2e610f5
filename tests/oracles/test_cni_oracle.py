"""Our host-local against the reference plugin (Debian's containernetworking-plugins).

Every configuration runs the same command sequence through both plugins, each on its own
temporary dataDir: stdout (byte for byte), exit status and the store files (names, modes,
contents) must be equal. Then each plugin reads a store the other wrote.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from infranotes.cni.lab import REFERENCE_DIR, exec_plugin, our_plugin, store_files
from tests.cni.cases import HOSTLOCAL, HOSTLOCAL_EDGES, conf

from .conftest import require

pytestmark = pytest.mark.oracle
REF = REFERENCE_DIR / "host-local"


@pytest.fixture(scope="module", autouse=True)
def _reference() -> None:
    if not REF.exists():
        pytest.skip(f"{REF} missing (Debian package containernetworking-plugins)")


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
