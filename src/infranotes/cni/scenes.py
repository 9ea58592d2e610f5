"""What notebook 04 shows: the bridge walk-through observed live, the plan, the store, a leak.

:func:`observe_bridge` wires two Pods with our plugins or the reference, looks at everything a
reader would check (results, store, addresses, routes, pings, MASQUERADE rules, CHECK, DEL)
and returns it with the random parts blanked, so the two can be compared key by key; the
oracle test holds them equal.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any

from infranotes.cni.bridge import load_conf, plan_addresses, plan_links
from infranotes.cni.lab import BRIDGE_CONF, BridgeLab, Run, exec_plugin, our_plugin, store_files
from infranotes.cni.types import IPConfig, Result, Route
from infranotes.table import Table


def normalized(run: Run) -> tuple[int, Any]:
    """A plugin's exit status and output with the random parts (MACs, veth, netns) blanked."""
    doc = run.doc
    if isinstance(doc, dict):
        for i in doc.get("interfaces", []):
            i["mac"] = "MAC"
            if i["name"].startswith("veth"):
                i["name"] = "vethXXXXXXXX"
            if "sandbox" in i:
                i["sandbox"] = "NETNS"
    return run.rc, doc if doc is not None else run.raw


def observe_bridge(which: str, data: Path) -> dict[str, Any]:
    """ADD two Pods, look around, CHECK, DEL; every observation by name."""
    seen: dict[str, Any] = {}
    with BridgeLab(which, data) as lab:
        a = lab.call("ADD", "pod-a", lab.pod_a)
        seen["add-a"] = normalized(a)
        seen["add-b"] = normalized(lab.call("ADD", "pod-b", lab.pod_b))
        seen["store-after-add"] = store_files(data, "brnet")
        seen["addr-a"] = lab.sh(lab.pod_a, "ip", "-br", "-4", "addr", "show", "eth0").split()[1:]
        seen["routes-a"] = lab.sh(lab.pod_a, "ip", "route").splitlines()
        seen["bridge-addr"] = lab.sh(lab.host, "ip", "-br", "-4", "addr", "show", "cnibr0").split()[
            2:
        ]
        seen["forward"] = lab.sh(lab.host, "sysctl", "-n", "net.ipv4.ip_forward").strip()
        seen["ping-a-b"] = lab.ping(lab.pod_a, "10.22.1.3")
        seen["ping-a-gw"] = lab.ping(lab.pod_a, "10.22.1.1")
        seen["nat"] = lab.nat_rules()
        prev = dict(lab.conf, prevResult=a.doc)
        seen["check"] = normalized(lab.call("CHECK", "pod-a", lab.pod_a, prev))
        seen["check-no-prev"] = normalized(lab.call("CHECK", "pod-a", lab.pod_a))
        lab.sh(lab.pod_a, "ip", "addr", "del", "10.22.1.2/24", "dev", "eth0")
        seen["check-addr-gone"] = normalized(lab.call("CHECK", "pod-a", lab.pod_a, prev))
        seen["del-a"] = normalized(lab.call("DEL", "pod-a", lab.pod_a))
        seen["del-a-again"] = normalized(lab.call("DEL", "pod-a", lab.pod_a))
        ghost = exec_plugin(
            lab.cni_path / "bridge",
            "DEL",
            lab.conf,
            cid="ghost",
            netns="/var/run/netns/no-such-ns",
            cni_path=str(lab.cni_path),
            wrap=("ip", "netns", "exec", lab.host),
        )
        seen["del-missing-netns"] = (ghost.rc, ghost.raw)
        seen["nat-after-del-a"] = lab.nat_rules()
        seen["del-b"] = normalized(lab.call("DEL", "pod-b", lab.pod_b))
        seen["nat-after-del-b"] = lab.nat_rules()
        seen["links-a-after-del"] = lab.sh(lab.pod_a, "ip", "-br", "link").split()[:1]
        seen["store-after-del"] = store_files(data, "brnet")
    return seen


def compare(ours: dict[str, Any], ref: dict[str, Any]) -> Table:
    """Each observation: equal or not, and what it was."""
    rows = [(k, "same" if ours[k] == ref.get(k) else "DIFFERENT", str(ours[k])[:70]) for k in ours]
    return Table(("observation", "ours vs reference", "ours"), rows)


def plan_table(ifname: str = "eth0", netns: str = "/var/run/netns/pod-a") -> Table:
    """The whole ADD plan for the book's configuration, with a sample IPAM result."""
    c = load_conf(dict(BRIDGE_CONF))
    result = Result(
        (IPConfig(ipaddress.ip_interface("10.22.1.2/24"), ipaddress.ip_address("10.22.1.1")),),
        (Route(ipaddress.ip_network("0.0.0.0/0")),),
    )
    steps = [
        *plan_links(c, netns, ifname, "veth0a1b2c3d"),
        None,
        *plan_addresses(c, "pod-a", ifname, result),
    ]
    rows = [
        ("", "exec host-local ADD (CNI_PATH)", "run IPAM with the same config")
        if s is None
        else (s.where, " ".join(s.argv), s.why)
        for s in steps
    ]
    return Table(("where", "command", "why (bridge.go cmdAdd)"), rows)


def store_table(data: Path, network: str) -> Table:
    rows = [
        (name, mode, repr(content)) for name, (mode, content) in store_files(data, network).items()
    ]
    return Table(("file", "mode", "content"), rows)


def leak(n_sandboxes: int = 6, data: Path | None = None) -> tuple[Table, Table, Path]:
    """A crash-looping Pod: each new sandbox ADDs, nobody DELs the old ones. Returns the ADD
    outcomes, the GC outcome, and the dataDir (``data``, or a scratch directory removed
    when the process exits)."""
    from infranotes.lab import scratch_dir

    data = data if data is not None else scratch_dir("cni-leak-")
    plugin = our_plugin("host-local")
    conf = {
        "cniVersion": "1.1.0",
        "name": "podnet",
        "type": "host-local",
        "ipam": {
            "type": "host-local",
            "dataDir": str(data),
            "ranges": [[{"subnet": "10.22.0.0/29"}]],
        },
    }
    rows = []
    for i in range(1, n_sandboxes + 1):
        r = exec_plugin(plugin, "ADD", conf, cid=f"sandbox{i}")
        doc = r.doc or {}
        rows.append(
            (f"sandbox{i}", r.rc, doc["ips"][0]["address"] if r.rc == 0 else doc.get("msg", r.raw))
        )
    valid = dict(
        conf, **{"cni.dev/valid-attachments": [{"containerID": "sandbox5", "ifname": "eth0"}]}
    )
    gc = exec_plugin(plugin, "GC", valid, cid="", ifname="")
    after = exec_plugin(plugin, "ADD", conf, cid="sandbox6")
    tail = [
        ("GC (valid: sandbox5)", gc.rc, gc.raw or "released the others"),
        ("sandbox6 again", after.rc, (after.doc or {}).get("ips", [{}])[0].get("address")),
    ]
    return (
        Table(("ADD", "exit", "address or error"), rows),
        Table(("step", "exit", "result"), tail),
        data,
    )
