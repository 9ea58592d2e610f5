"""What notebook 04 shows: the bridge walk-through observed live, the plan, the store, a leak.

:func:`observe_bridge` wires two Pods with our plugins or the reference, looks at everything a
reader would check (results, store, addresses, routes, pings, MASQUERADE rules, CHECK, DEL)
and returns it with the random parts blanked, so the two can be compared key by key; the
oracle test holds them equal.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import subprocess
from pathlib import Path
from typing import Any

from infranotes.cni.bridge import load_conf, plan_addresses, plan_links
from infranotes.cni.lab import (
    BRIDGE_CONF,
    REFERENCE_DIR,
    BridgeLab,
    Run,
    exec_plugin,
    our_plugin,
    store_files,
)
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


KERNEL_CONF = {
    "cniVersion": "1.0.0",
    "name": "kdnet",
    "type": "bridge",
    "bridge": "kdbr0",
    "isGateway": True,
    "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "10.23.1.0/24"}], [{"subnet": "fd00:23::/64"}]],
    },
}
# Pod -> changes to KERNEL_CONF. "l2 bridge" is a second network on a bridge of its own
# without a gateway address, so nothing pins that bridge's MAC.
KERNEL_VARIANTS: dict[str, dict[str, Any]] = {
    "plain": {},
    "enabledad": {"enabledad": True},
    "hairpin": {"hairpinMode": True},
    "l2 bridge": {
        "name": "kdl2",
        "bridge": "kdbr1",
        "isGateway": False,
        "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.23.2.0/24"}]]},
    },
}
ETH_P_ALL, ETH_P_ARP = 0x0003, 0x0806


class FrameCapture:
    """Every frame seen by the interfaces of a network namespace, recorded by a raw
    AF_PACKET socket (opened inside the namespace) on a background thread while the
    ``with`` block runs: a packet capture without tcpdump."""

    def __init__(self, netns: str) -> None:
        self.netns = netns
        self.frames: list[tuple[str, bytes]] = []  # (interface, frame)

    def __enter__(self) -> FrameCapture:
        import socket
        import threading

        from infranotes.lab.netns import NetNS

        with NetNS.entered_by_name(self.netns):
            self._sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self._sock.settimeout(0.1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                frame, addr = self._sock.recvfrom(2048)
            except TimeoutError:
                continue
            self.frames.append((addr[0], frame))

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sock.close()

    def gratuitous_arps(self) -> list[tuple[str, str]]:
        """(sender IP, target MAC) of each gratuitous ARP: a broadcast ARP request whose
        sender and target IP are the same address (what ``arp_send`` builds in
        ``inetdev_send_gratuitous_arp``, target MAC zero)."""
        out = set()
        for _dev, f in self.frames:
            if len(f) < 42 or int.from_bytes(f[12:14], "big") != ETH_P_ARP:
                continue
            op, spa, tha, tpa = int.from_bytes(f[20:22], "big"), f[28:32], f[32:38], f[38:42]
            if f[0:6] == b"\xff" * 6 and op == 1 and spa == tpa:
                out.add((str(ipaddress.IPv4Address(spa)), tha.hex(":")))
        return sorted(out)


def _link(lab: BridgeLab, ns: str, dev: str) -> dict[str, Any]:
    out = lab.sh(ns, "ip", "-j", "link", "show", "dev", dev)
    return json.loads(out)[0] if out.strip() else {}


def observe_kernel_details(which: str, data: Path) -> dict[str, Any]:
    """IPv6 DAD, the gratuitous ARP and the bridge's MAC, for four Pods (KERNEL_VARIANTS).

    Each Pod namespace first gets ``default/enhanced_dad=0``, so that what the plugin sets
    on eth0 shows. Both bridges exist before the first Pod (as ``ip link add`` makes them,
    with a random MAC) so that their MAC can be compared before and after. A
    :class:`FrameCapture` in the node namespace records the ARP frames meanwhile."""
    import time

    from infranotes.lab.netns import NetNS

    seen: dict[str, Any] = {}
    keys = ("ipv6/conf/eth0/accept_dad", "ipv6/conf/eth0/enhanced_dad", "ipv4/conf/eth0/arp_notify")
    with BridgeLab(which, data, KERNEL_CONF) as lab, contextlib.ExitStack() as stack:
        pods = {v: stack.enter_context(NetNS("kd")).name for v in KERNEL_VARIANTS}
        before = {}
        for br in ("kdbr0", "kdbr1"):
            lab.sh(lab.host, "ip", "link", "add", br, "type", "bridge")
            before[br] = _link(lab, lab.host, br).get("address")
        with FrameCapture(lab.host) as cap:
            for v, pod in pods.items():
                conf = json.loads(json.dumps(dict(lab.conf, **KERNEL_VARIANTS[v])))
                conf["ipam"]["dataDir"] = str(data)
                lab.sh(pod, "sysctl", "-q", "-w", "net/ipv6/conf/default/enhanced_dad=0")
                run = lab.call("ADD", "kd-" + v.replace(" ", "-"), pod, conf)
                seen[f"{v}: exit"] = run.rc
                addrs = json.loads(lab.sh(pod, "ip", "-j", "addr", "show", "dev", "eth0") or "[{}]")
                seen[f"{v}: addresses still tentative after ADD"] = sorted(
                    a["local"] for a in addrs[0].get("addr_info", []) if a.get("tentative")
                )
                seen[f"{v}: accept_dad, enhanced_dad, arp_notify"] = [
                    lab.sh(pod, "sysctl", "-n", f"net/{k}").strip() for k in keys
                ]
                br, veth, eth0 = (run.doc or {}).get("interfaces", [{}, {}, {}])
                live = (
                    _link(lab, lab.host, br["name"]),
                    _link(lab, lab.host, veth["name"]),
                    _link(lab, pod, "eth0"),
                )
                seen[f"{v}: result MACs are the live ones"] = [
                    i["mac"] == x.get("address")
                    for i, x in zip((br, veth, eth0), live, strict=True)
                ]
                if br["name"] in before:  # the first Pod on this bridge
                    seen[f"{v}: bridge MAC kept / became the veth's / set explicitly"] = [
                        live[0]["address"] == before.pop(br["name"]),
                        live[0]["address"] == live[1]["address"],
                        lab.sh(
                            lab.host, "cat", f"/sys/class/net/{br['name']}/addr_assign_type"
                        ).strip()
                        == "3",
                    ]
            time.sleep(0.5)
        seen["gratuitous ARPs"] = cap.gratuitous_arps()
        seen["bridge accept_ra"] = lab.sh(
            lab.host, "sysctl", "-n", "net/ipv6/conf/kdbr0/accept_ra"
        ).strip()
    return seen


def garp_on_link_up(arp_notify: bool) -> list[tuple[str, str]]:
    """The kernel side alone, without a plugin: a veth pair between two namespaces, the
    address added while the container end is down, then the link brought up, with
    ``arp_notify`` on or off. Returns the gratuitous ARPs seen on the other end
    (``inetdev_event``: NETDEV_UP announces the addresses only when arp_notify is set)."""
    import time

    from infranotes.lab.netns import NetNS

    with NetNS("garph") as node, NetNS("garpc") as pod:
        run = ["ip", "-n", pod.name]
        subprocess.run(
            [
                *run,
                "link",
                "add",
                "eth0",
                "type",
                "veth",
                "peer",
                "name",
                "veth0",
                "netns",
                node.name,
            ],
            check=True,
        )
        subprocess.run(["ip", "-n", node.name, "link", "set", "veth0", "up"], check=True)
        subprocess.run(
            ["ip", "netns", "exec", pod.name, "sysctl", "-q", "-w",
             f"net/ipv4/conf/eth0/arp_notify={int(arp_notify)}"],
            check=True,
        )  # fmt: skip
        subprocess.run([*run, "addr", "add", "10.25.0.2/24", "dev", "eth0"], check=True)
        with FrameCapture(node.name) as cap:
            subprocess.run([*run, "link", "set", "eth0", "up"], check=True)
            time.sleep(0.3)
    return cap.gratuitous_arps()


def dad_through_bridge(hairpin: bool, enhanced_dad: bool) -> str:
    """Why the plugin turns DAD off: a Pod on a bridge port, DAD on (``accept_dad=1``), an
    IPv6 address added; returns its state once DAD is over: ``ok``, ``dadfailed`` or
    ``tentative``. With hairpin on the port the bridge floods the Pod's own neighbour
    solicitation back to it; plain DAD counts that as another owner of the address, while
    enhanced DAD recognises the nonce it put in the probe (RFC 7527) and ignores it.
    The kernel adds the nonce when ``all`` *or* the interface has ``enhanced_dad=1``, and
    ``all`` defaults to 1, so both are set here."""
    import time

    from infranotes.lab.netns import NetNS

    with NetNS("dadn") as node, NetNS("dadp") as pod:
        n, p = ["ip", "-n", node.name], ["ip", "-n", pod.name]
        for argv in (
            [*n, "link", "add", "br0", "type", "bridge"],
            [*n, "link", "set", "br0", "up"],
            [*n, "link", "add", "veth0", "type", "veth", "peer", "name", "eth0", "netns", pod.name],
            [*n, "link", "set", "veth0", "master", "br0"],
            [*n, "link", "set", "veth0", "type", "bridge_slave", "hairpin", ("off", "on")[hairpin]],
            [*n, "link", "set", "veth0", "up"],
            ["ip", "netns", "exec", pod.name, "sysctl", "-q", "-w",
             "net/ipv6/conf/eth0/accept_dad=1",
             f"net/ipv6/conf/eth0/enhanced_dad={int(enhanced_dad)}",
             f"net/ipv6/conf/all/enhanced_dad={int(enhanced_dad)}"],
            [*p, "link", "set", "eth0", "up"],
            [*p, "addr", "add", "fd00:26::2/64", "dev", "eth0"],
        ):  # fmt: skip
            subprocess.run(argv, check=True, capture_output=True)
        state = "tentative"
        deadline = time.monotonic() + 4
        while time.monotonic() < deadline:
            out = subprocess.run(
                [*p, "-j", "addr", "show", "dev", "eth0"], capture_output=True, text=True
            ).stdout
            info = next(
                (a for a in json.loads(out)[0]["addr_info"] if a["local"] == "fd00:26::2"), {}
            )
            if info.get("dadfailed"):
                return "dadfailed"
            if not info.get("tentative"):
                return "ok"
            time.sleep(0.1)
    return state


def kubenet_pod(which: str, data: Path, pod_cidr: str = "10.244.1.0/24") -> dict[str, Any]:
    """One Pod set up the way kubenet did (:mod:`infranotes.cni.kubenet`), through our
    runtime, with the reference plugins (``which="reference"``) or ours for bridge and
    host-local beside the reference loopback. Returns what a reader would check, then
    tears the Pod down."""
    import tempfile

    from infranotes.cni import kubenet
    from infranotes.lab.netns import NetNS

    conf = kubenet.network_config(pod_cidr)
    conf["ipam"]["dataDir"] = str(data / "networks")  # kubenet used /var/lib/cni/networks
    seen: dict[str, Any] = {}
    with (
        NetNS("kubenode") as node,
        NetNS("kubepod") as pod,
        tempfile.TemporaryDirectory(prefix="cnipath-") as tmp,
    ):
        path = Path(tmp)
        for name in kubenet.REQUIRED_PLUGINS:
            ours = which == "ours" and name != "loopback"
            (path / name).symlink_to(our_plugin(name) if ours else REFERENCE_DIR / name)
        netns = f"/var/run/netns/{pod.name}"
        with node.entered():
            res = kubenet.setup_pod(netns, "kubenet-pod", conf, str(path), data / "results")
        seen["result"] = normalized(Run(0, json.dumps(res.network), ""))[1]
        seen["lo"] = pod.exec(["ip", "-br", "addr", "show", "lo"]).stdout.split()[1:3]
        seen["eth0"] = pod.exec(["ip", "-br", "-4", "addr", "show", "eth0"]).stdout.split()[2:]
        seen["routes"] = pod.exec(["ip", "route"]).stdout.splitlines()
        seen["dad_transmits"] = pod.exec(
            ["sysctl", "-n", "net/ipv6/conf/default/dad_transmits"]
        ).stdout.strip()
        seen["cbr0"] = node.exec(["ip", "-br", "-4", "addr", "show", "cbr0"]).stdout.split()[2:]
        ports = json.loads(node.exec(["ip", "-d", "-j", "link", "show", "master", "cbr0"]).stdout)
        seen["hairpin on the port"] = [p["linkinfo"]["info_slave_data"]["hairpin"] for p in ports]
        gw = str(ipaddress.ip_network(pod_cidr).network_address + 1)
        seen["ping gateway"] = pod.exec(["ping", "-c", "1", "-W", "2", gw]).returncode == 0
        seen["nat rules"] = [
            r for r in node.exec(["iptables-save", "-t", "nat"]).stdout.splitlines() if "-A" in r
        ]
        with node.entered():
            kubenet.teardown_pod(netns, "kubenet-pod", conf, str(path), data / "results")
        seen["links after teardown"] = pod.exec(["ip", "-br", "link"]).stdout.split()[:1]
        seen["store after teardown"] = sorted(store_files(data / "networks", "kubenet"))
    return seen
