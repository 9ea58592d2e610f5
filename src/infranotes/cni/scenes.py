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
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infranotes.cni.bridge import BRIDGE_MAC, Step, load_conf, plan_addresses, plan_links
from infranotes.cni.lab import (
    BRIDGE_CONF,
    REFERENCE_DIR,
    BridgeLab,
    Run,
    exec_plugin,
    our_plugin,
    store_files,
)
from infranotes.cni.messages import tr
from infranotes.cni.types import IPConfig, Result, Route
from infranotes.table import Table


def exit_and_output(run: Run, *, lang: str = "en") -> str:
    """A plugin run as ``print`` showed it: the exit status, then its stdout as it came."""
    return tr(lang, "exit {rc}", rc=run.rc) + "\n" + run.raw


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


def observation_name(key: str, *, lang: str = "en") -> str:
    """An observation's name as a reader sees it. Keys like ``add-a`` name themselves (the
    prose refers to them); the kernel-detail keys are ``<variant>: <what>`` phrases and the
    kubenet ones plain words, which are translated here, never in the observations."""
    variant, sep, what = key.rpartition(": ")
    if sep:
        colon = "：" if lang == "zh" else ": "
        return observation_name(variant, lang=lang) + colon + observation_name(what, lang=lang)
    names = {
        "plain": tr(lang, "plain"),
        "l2 bridge": tr(lang, "l2 bridge"),
        "exit": tr(lang, "exit"),
        "addresses still tentative after ADD": tr(lang, "addresses still tentative after ADD"),
        "result MACs are the live ones": tr(lang, "result MACs are the live ones"),
        "bridge MAC kept / became the veth's / set explicitly": tr(
            lang, "bridge MAC kept / became the veth's / set explicitly"
        ),
        "gratuitous ARPs": tr(lang, "gratuitous ARPs"),
        "result": tr(lang, "result"),
        "routes": tr(lang, "routes"),
        "hairpin on the port": tr(lang, "hairpin on the port"),
        "ping gateway": tr(lang, "ping gateway"),
        "nat rules": tr(lang, "nat rules"),
        "links after teardown": tr(lang, "links after teardown"),
        "store after teardown": tr(lang, "store after teardown"),
    }
    return names.get(key, key)


def compare(ours: dict[str, Any], ref: dict[str, Any], *, lang: str = "en") -> Table:
    """Each observation: equal or not, and what it was."""
    rows = [
        (
            observation_name(k, lang=lang),
            tr(lang, "same") if ours[k] == ref.get(k) else tr(lang, "DIFFERENT"),
            str(ours[k])[:70],
        )
        for k in ours
    ]
    return Table((tr(lang, "observation"), tr(lang, "ours vs reference"), tr(lang, "ours")), rows)


def check_and_del_text(seen: dict[str, Any], *, lang: str = "en") -> str:
    """CHECK and DEL outcomes as the plugin returned them, then what is left in the store."""
    keys = (
        "check",
        "check-no-prev",
        "check-addr-gone",
        "del-a",
        "del-a-again",
        "del-missing-netns",
    )
    lines = [f"{key:18} {seen[key]}" for key in keys]
    lines.append(tr(lang, "store after DEL: {files}", files=sorted(seen["store-after-del"])))
    return "\n".join(lines)


def where_name(where: str, *, lang: str = "en") -> str:
    """A plan step's ``where`` (``host``, ``container``, or empty) in ``lang``."""
    return {"host": tr(lang, "host"), "container": tr(lang, "container")}.get(where, where)


def why_text(why: str, *, lang: str = "en") -> str:
    """A plan step's ``why`` in ``lang``. The steps carry English (bridge.py reads like the
    reference's cmdAdd); the Chinese is looked up here. ``promiscMode`` and ``hairpinMode``
    are configuration keys and read the same in both."""
    rename = re.fullmatch(r"setupVeth: rename it (\S+) \(CNI_IFNAME\)", why)
    if rename:
        return tr(lang, "setupVeth: rename it {ifname} (CNI_IFNAME)", ifname=rename[1])
    whys = {
        "ensureBridge: create the bridge unless it exists": tr(
            lang, "ensureBridge: create the bridge unless it exists"
        ),
        "ensureBridge: no router advertisements; the plugin owns this interface's routes": tr(
            lang, "ensureBridge: no router advertisements; the plugin owns this interface's routes"
        ),
        "ensureBridge: bring it up": tr(lang, "ensureBridge: bring it up"),
        "setupVeth: the veth pair, host end named veth<8 hex>": tr(
            lang, "setupVeth: the veth pair, host end named veth<8 hex>"
        ),
        "setupVeth: move the other end into the container's netns": tr(
            lang, "setupVeth: move the other end into the container's netns"
        ),
        "setupVeth: attach the host end to the bridge": tr(
            lang, "setupVeth: attach the host end to the bridge"
        ),
        "setupVeth: bring the host end up": tr(lang, "setupVeth: bring the host end up"),
        "enabledad: DAD probes carry a nonce (RFC 7527)": tr(
            lang, "enabledad: DAD probes carry a nonce (RFC 7527)"
        ),
        "enabledad: run duplicate address detection": tr(
            lang, "enabledad: run duplicate address detection"
        ),
        "no IPv6 DAD: hairpin would echo its probes back": tr(
            lang, "no IPv6 DAD: hairpin would echo its probes back"
        ),
        "gratuitous ARP when the link comes up": tr(lang, "gratuitous ARP when the link comes up"),
        "ConfigureIface: the address IPAM chose": tr(
            lang, "ConfigureIface: the address IPAM chose"
        ),
        "ConfigureIface: up only now, with its addresses: with arp_notify the kernel announces "
        "them in a gratuitous ARP as the link comes up": tr(
            lang,
            "ConfigureIface: up only now, with its addresses: with arp_notify the kernel "
            "announces them in a gratuitous ARP as the link comes up",
        ),
        "SettleAddresses: with an IPv6 gateway, wait (50 ms polls, 10 s at most) until no "
        "address is tentative, i.e. DAD, if on, has finished": tr(
            lang,
            "SettleAddresses: with an IPv6 gateway, wait (50 ms polls, 10 s at most) until no "
            "address is tentative, i.e. DAD, if on, has finished",
        ),
        "ConfigureIface: a route from the IPAM result": tr(
            lang, "ConfigureIface: a route from the IPAM result"
        ),
        "isGateway: the gateway address on the bridge": tr(
            lang, "isGateway: the gateway address on the bridge"
        ),
        "ensureAddr: pin the bridge's MAC (the one read after ensureBridge), else it follows "
        "the lowest port MAC as Pods come and go": tr(
            lang,
            "ensureAddr: pin the bridge's MAC (the one read after ensureBridge), else it follows "
            "the lowest port MAC as Pods come and go",
        ),
        "enableIPForward: route between the bridge and the host": tr(
            lang, "enableIPForward: route between the bridge and the host"
        ),
        "SetupIPMasq: the per-Pod chain": tr(lang, "SetupIPMasq: the per-Pod chain"),
        "SetupIPMasq: traffic to the Pod network stays unchanged": tr(
            lang, "SetupIPMasq: traffic to the Pod network stays unchanged"
        ),
        "SetupIPMasq: everything else is masqueraded": tr(
            lang, "SetupIPMasq: everything else is masqueraded"
        ),
        "SetupIPMasq: the Pod's packets enter its chain": tr(
            lang, "SetupIPMasq: the Pod's packets enter its chain"
        ),
    }
    return whys.get(why, why)


def plan_steps(ifname: str = "eth0", netns: str = "/var/run/netns/pod-a") -> list[Step | None]:
    """The whole ADD plan for the book's configuration, with a sample IPAM result; ``None``
    where the IPAM plugin runs."""
    c = load_conf(dict(BRIDGE_CONF))
    result = Result(
        (IPConfig(ipaddress.ip_interface("10.22.1.2/24"), ipaddress.ip_address("10.22.1.1")),),
        (Route(ipaddress.ip_network("0.0.0.0/0")),),
    )
    return [
        *plan_links(c, netns, ifname, "veth0a1b2c3d"),
        None,
        *plan_addresses(c, "pod-a", ifname, result),
    ]


def _plan_table(steps: list[Step | None], lang: str) -> Table:
    rows = [
        ("", "exec host-local ADD (CNI_PATH)", tr(lang, "run IPAM with the same config"))
        if s is None
        else (where_name(s.where, lang=lang), " ".join(s.argv), why_text(s.why, lang=lang))
        for s in steps
    ]
    return Table((tr(lang, "where"), tr(lang, "command"), tr(lang, "why (bridge.go cmdAdd)")), rows)


def plan_table(
    ifname: str = "eth0", netns: str = "/var/run/netns/pod-a", *, lang: str = "en"
) -> Table:
    """The whole ADD plan (:func:`plan_steps`): where each command runs, and why."""
    return _plan_table(plan_steps(ifname, netns), lang)


def kernel_steps_table(*, lang: str = "en") -> Table:
    """The steps of the plan that are about the kernel: accept_ra, DAD, arp_notify, the link
    coming up, settling, the bridge's MAC."""
    kernel = ("sysctl -q -w net/ipv", "ip link set eth0 up", "ip -j addr")
    steps = [
        s
        for s in plan_steps()
        if s is not None and (" ".join(s.argv).startswith(kernel) or BRIDGE_MAC in s.argv)
    ]
    return _plan_table(steps, lang)


def store_table(data: Path, network: str, *, lang: str = "en") -> Table:
    rows = [
        (name, mode, repr(content)) for name, (mode, content) in store_files(data, network).items()
    ]
    return Table((tr(lang, "file"), tr(lang, "mode"), tr(lang, "content")), rows)


@dataclass(frozen=True)
class Leak:
    """What :func:`leak` saw: each ADD (sandbox, exit, address or the plugin's error), the GC
    (exit, stdout), the ADD after it (exit, address), and the dataDir."""

    adds: list[tuple[str, int, str]]
    gc: tuple[int, str]
    after_gc: tuple[int, str | None]
    data: Path


def leak(n_sandboxes: int = 6, data: Path | None = None) -> Leak:
    """A crash-looping Pod: each new sandbox ADDs, nobody DELs the old ones; then a GC that
    keeps only sandbox5, and sandbox6 again. ``data`` is the dataDir (a scratch directory
    removed when the process exits if not given)."""
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
    adds = []
    for i in range(1, n_sandboxes + 1):
        r = exec_plugin(plugin, "ADD", conf, cid=f"sandbox{i}")
        doc = r.doc or {}
        adds.append(
            (f"sandbox{i}", r.rc, doc["ips"][0]["address"] if r.rc == 0 else doc.get("msg", r.raw))
        )
    valid = dict(
        conf, **{"cni.dev/valid-attachments": [{"containerID": "sandbox5", "ifname": "eth0"}]}
    )
    gc = exec_plugin(plugin, "GC", valid, cid="", ifname="")
    after = exec_plugin(plugin, "ADD", conf, cid="sandbox6")
    address = (after.doc or {}).get("ips", [{}])[0].get("address")
    return Leak(adds, (gc.rc, gc.raw), (after.rc, address), data)


def leak_adds_table(leak: Leak, *, lang: str = "en") -> Table:
    """Each sandbox's ADD: its address, or host-local's error as the plugin wrote it."""
    return Table(("ADD", tr(lang, "exit"), tr(lang, "address or error")), leak.adds)


def leak_gc_table(leak: Leak, *, lang: str = "en") -> Table:
    """The GC that keeps sandbox5, and sandbox6's ADD after it."""
    rc, out = leak.gc
    rows = [
        (tr(lang, "GC (valid: sandbox5)"), rc, out or tr(lang, "released the others")),
        (tr(lang, "sandbox6 again"), *leak.after_gc),
    ]
    return Table((tr(lang, "step"), tr(lang, "exit"), tr(lang, "result")), rows)


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


def dad_table(cases: list[tuple[bool, bool]], states: list[str], *, lang: str = "en") -> Table:
    """(hairpin, enhanced DAD) and the state :func:`dad_through_bridge` found for each."""
    return Table(
        (
            tr(lang, "hairpin on the port"),
            tr(lang, "enhanced DAD"),
            tr(lang, "the new address after DAD"),
        ),
        [(*c, s) for c, s in zip(cases, states, strict=True)],
    )


def garp_table(garps: dict[bool, list[tuple[str, str]]], *, lang: str = "en") -> Table:
    """arp_notify on and off, and the gratuitous ARPs :func:`garp_on_link_up` saw."""
    rows = [
        (
            notify,
            ("；" if lang == "zh" else ", ").join(
                tr(lang, "{ip}, target {mac}", ip=ip, mac=mac) for ip, mac in seen
            )
            or tr(lang, "none"),
        )
        for notify, seen in garps.items()
    ]
    return Table(("arp_notify", tr(lang, "gratuitous ARPs seen (sender IP, target MAC)")), rows)


def kubenet_table(pod: dict[str, Any], *, lang: str = "en") -> Table:
    """What :func:`kubenet_pod` saw, one observation a row, values cut at 90 characters."""
    rows = [(observation_name(k, lang=lang), str(v)[:90]) for k, v in pod.items()]
    return Table((tr(lang, "observation"), tr(lang, "value")), rows)
