"""The ``infranotes-bridge`` plugin: the reference ``bridge`` cmdAdd as an explicit plan.

``plan_bridge``, ``plan_veth`` and ``plan_addresses`` list the steps of
``plugins/main/bridge/bridge.go`` ``cmdAdd`` in its order — ensure the bridge (its MTU,
``accept_ra`` off), create the veth pair, move one end into the container's netns and rename
it, attach the other to the bridge (hairpin), run the IPAM plugin, then in the container the
DAD and ``arp_notify`` sysctls and ``ConfigureIface`` (addresses, link up — which is when the
kernel sends the gratuitous ARP —, ``SettleAddresses``, routes), and on the host the gateway
address on the bridge (``isGateway``) with its MAC pinned, ``ip_forward`` and the ``ipMasq``
chain — as ``ip``/``nsenter``/``sysctl``/``iptables`` commands, so they can be shown before
they run. ``apply`` runs them; cmdAdd then waits for the bridge port to be up and reads the
MACs back. DEL and CHECK follow the reference's ``cmdDel`` and ``cmdCheck``. Reference:
Debian's containernetworking-plugins 1.1.1, compared in tests/oracles/test_cni_oracle.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import json
import os
import secrets
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infranotes.cni.protocol import CmdArgs, main_for
from infranotes.cni.types import (
    ERR_INTERNAL,
    ERR_INVALID_NETWORK_CONFIG,
    CNIError,
    Interface,
    IPConfig,
    Result,
    Route,
    result_from_json,
)

DEFAULT_BRIDGE = "cni0"
# Filled in by apply(): the bridge's MAC as read right after ensureBridge (bridge.go keeps
# that ``*netlink.Bridge`` and ensureAddr sets its stale HardwareAddr back on the bridge).
BRIDGE_MAC = "$BRIDGE_MAC"
PORT_RETRIES_MS = (0, 50, 500, 1000, 1000)  # cmdAdd: "check bridge port state"
MAX_CHAIN = 28  # iptables chain names: utils.MaxChainLength


@dataclass(frozen=True)
class BridgeConf:
    """The bridge plugin's fields (bridge.go ``NetConf``) that this plugin implements."""

    name: str
    cni_version: str
    bridge: str = DEFAULT_BRIDGE
    mtu: int = 0
    is_gateway: bool = False
    is_default_gateway: bool = False
    ip_masq: bool = False
    hairpin_mode: bool = False
    promisc_mode: bool = False
    enable_dad: bool = False
    ipam_type: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


def load_conf(conf: dict[str, Any]) -> BridgeConf:
    ipam = conf.get("ipam") if isinstance(conf.get("ipam"), dict) else {}
    bc = BridgeConf(
        name=conf["name"],
        cni_version=conf.get("cniVersion") or "0.1.0",
        bridge=conf.get("bridge") or DEFAULT_BRIDGE,
        mtu=int(conf.get("mtu") or 0),
        is_gateway=bool(conf.get("isGateway") or conf.get("isDefaultGateway")),
        is_default_gateway=bool(conf.get("isDefaultGateway")),
        ip_masq=bool(conf.get("ipMasq")),
        hairpin_mode=bool(conf.get("hairpinMode")),
        promisc_mode=bool(conf.get("promiscMode")),
        enable_dad=bool(conf.get("enabledad")),
        ipam_type=str(ipam.get("type") or ""),
        raw=conf,
    )
    if bc.hairpin_mode and bc.promisc_mode:
        raise CNIError(
            ERR_INVALID_NETWORK_CONFIG,
            "cannot set hairpin mode and promiscuous mode at the same time.",
        )
    return bc


def chain_name(network: str, cid: str) -> str:
    """utils.FormatChainName: "CNI-" and the SHA-512 of name+ID, cut to 28 characters."""
    return ("CNI-" + hashlib.sha512((network + cid).encode()).hexdigest())[:MAX_CHAIN]


def chain_comment(network: str, cid: str) -> str:
    """utils.FormatComment: ``name: "<network>" id: "<container ID>"``."""
    return f"name: {json.dumps(network)} id: {json.dumps(cid)}"


@dataclass(frozen=True)
class Step:
    """One command of the plan: where it runs (``host`` or ``container``) and why."""

    where: str
    argv: tuple[str, ...]
    why: str
    ok_if_exists: bool = False
    ignore_errors: bool = False  # the reference discards the error (``_, _ = sysctl.Sysctl``)
    settle_s: float = 0  # poll this ``ip -j addr show`` until no address is tentative

    def command(self, netns: str) -> list[str]:
        return (
            ["nsenter", f"--net={netns}", *self.argv]
            if self.where == "container"
            else list(self.argv)
        )

    def __str__(self) -> str:
        return f"[{self.where}] {' '.join(self.argv)}    # {self.why}"


def plan_links(c: BridgeConf, netns: str, ifname: str, host_veth: str) -> list[Step]:
    """cmdAdd up to IPAM: the bridge, the veth pair, its two ends."""
    return [*plan_bridge(c), *plan_veth(c, netns, ifname, host_veth)]


def plan_bridge(c: BridgeConf) -> list[Step]:
    """ensureBridge: create it (or find it), promiscMode, accept_ra off, up."""
    mtu = ("mtu", str(c.mtu)) if c.mtu else ()
    steps = [
        Step(
            "host",
            ("ip", "link", "add", "name", c.bridge, *mtu, "type", "bridge"),
            "ensureBridge: create the bridge unless it exists",
            ok_if_exists=True,
        ),
    ]
    if c.promisc_mode:
        steps.append(Step("host", ("ip", "link", "set", c.bridge, "promisc", "on"), "promiscMode"))
    steps += [
        Step(
            "host",
            ("sysctl", "-q", "-w", f"net/ipv6/conf/{c.bridge}/accept_ra=0"),
            "ensureBridge: no router advertisements; the plugin owns this interface's routes",
            ignore_errors=True,
        ),
        Step("host", ("ip", "link", "set", c.bridge, "up"), "ensureBridge: bring it up"),
    ]
    return steps


def plan_veth(c: BridgeConf, netns: str, ifname: str, host_veth: str) -> list[Step]:
    """setupVeth: the pair, one end renamed in the container, the other on the bridge."""
    tmp = "tmp" + host_veth[4:]
    mtu = ("mtu", str(c.mtu)) if c.mtu else ()
    steps = [
        Step(
            "host",
            ("ip", "link", "add", host_veth, *mtu, "type", "veth", "peer", "name", tmp, *mtu),
            "setupVeth: the veth pair, host end named veth<8 hex>",
        ),
        Step(
            "host",
            ("ip", "link", "set", tmp, "netns", netns),
            "setupVeth: move the other end into the container's netns",
        ),
        Step(
            "container",
            ("ip", "link", "set", tmp, "name", ifname),
            f"setupVeth: rename it {ifname} (CNI_IFNAME)",
        ),
        Step(
            "host",
            ("ip", "link", "set", host_veth, "master", c.bridge),
            "setupVeth: attach the host end to the bridge",
        ),
        Step(
            "host",
            (
                "ip",
                "link",
                "set",
                host_veth,
                "type",
                "bridge_slave",
                "hairpin",
                "on" if c.hairpin_mode else "off",
            ),
            "hairpinMode",
        ),
        Step("host", ("ip", "link", "set", host_veth, "up"), "setupVeth: bring the host end up"),
    ]
    return steps


def gateway_routes(c: BridgeConf, result: Result) -> Result:
    """calcGateways: with isDefaultGateway, a default route via each family's gateway."""
    if not c.is_default_gateway:
        return result
    routes = list(result.routes)
    for fam, dst in ((4, "0.0.0.0/0"), (6, "::/0")):
        ip = next((i for i in result.ips if i.address.version == fam and i.gateway), None)
        if ip is not None and not any(r.dst == ipaddress.ip_network(dst) for r in routes):
            routes.append(Route(ipaddress.ip_network(dst), ip.gateway))
    return Result(result.ips, tuple(routes), result.interfaces, result.dns)


def plan_iface_sysctls(c: BridgeConf, ifname: str) -> list[Step]:
    """What cmdAdd sets in the container just before ConfigureIface (errors ignored, as the
    reference does: a kernel without IPv6 has no such files).

    IPv6 duplicate address detection is off unless ``enabledad``: with hairpin mode (or a
    promiscuous bridge) the bridge sends the container's own neighbour solicitations back
    to it, and plain DAD takes its own echo for another host owning the address. Enhanced
    DAD (RFC 7527) puts a nonce in the probe so the kernel can recognise its own echo.
    ``arp_notify`` makes the kernel announce the container's IPv4 addresses with a
    gratuitous ARP when the link comes up, so neighbours replace a cached MAC for an
    address that a previous Pod had."""
    v6 = f"net/ipv6/conf/{ifname}"
    if c.enable_dad:
        dad = [
            (f"{v6}/enhanced_dad=1", "enabledad: DAD probes carry a nonce (RFC 7527)"),
            (f"{v6}/accept_dad=1", "enabledad: run duplicate address detection"),
        ]
    else:
        dad = [(f"{v6}/accept_dad=0", "no IPv6 DAD: hairpin would echo its probes back")]
    notify = [(f"net/ipv4/conf/{ifname}/arp_notify=1", "gratuitous ARP when the link comes up")]
    return [
        Step("container", ("sysctl", "-q", "-w", kv), why, ignore_errors=True)
        for kv, why in dad + notify
    ]


def plan_addresses(c: BridgeConf, cid: str, ifname: str, result: Result) -> list[Step]:
    """cmdAdd after IPAM: the sysctls and ConfigureIface in the container, then the host
    side. The bridge MAC step carries :data:`BRIDGE_MAC`, which ``apply`` fills in."""
    steps = plan_iface_sysctls(c, ifname) + [
        Step(
            "container",
            ("ip", "addr", "add", str(ip.address), "dev", ifname),
            "ConfigureIface: the address IPAM chose",
        )
        for ip in result.ips
    ]
    steps.append(
        Step(
            "container",
            ("ip", "link", "set", ifname, "up"),
            "ConfigureIface: up only now, with its addresses: with arp_notify the kernel "
            "announces them in a gratuitous ARP as the link comes up",
        )
    )
    if any(ip.gateway is not None and ip.gateway.version == 6 for ip in result.ips):
        steps.append(
            Step(
                "container",
                ("ip", "-j", "addr", "show", "dev", ifname),
                "SettleAddresses: with an IPv6 gateway, wait (50 ms polls, 10 s at most) "
                "until no address is tentative, i.e. DAD, if on, has finished",
                settle_s=10,
            )
        )
    for r in result.routes:
        gw = r.gw or next(
            (i.gateway for i in result.ips if i.address.version == r.dst.version and i.gateway),
            None,
        )
        via = ("via", str(gw)) if gw else ()
        dst = "default" if r.dst.prefixlen == 0 else str(r.dst)
        fam = ("-6",) if r.dst.version == 6 else ()
        steps.append(
            Step(
                "container",
                ("ip", *fam, "route", "add", dst, *via, "dev", ifname),
                "ConfigureIface: a route from the IPAM result",
            )
        )
    if c.is_gateway:
        for ip in result.ips:
            if ip.gateway is not None:
                gw = f"{ip.gateway}/{ip.address.network.prefixlen}"
                steps.append(
                    Step(
                        "host",
                        ("ip", "addr", "add", gw, "dev", c.bridge),
                        "isGateway: the gateway address on the bridge",
                        ok_if_exists=True,
                    )
                )
                steps.append(
                    Step(
                        "host",
                        ("ip", "link", "set", c.bridge, "address", BRIDGE_MAC),
                        "ensureAddr: pin the bridge's MAC (the one read after ensureBridge), "
                        "else it follows the lowest port MAC as Pods come and go",
                    )
                )
        for fam in sorted({ip.address.version for ip in result.ips}):
            key = "net.ipv4.ip_forward" if fam == 4 else "net.ipv6.conf.all.forwarding"
            steps.append(
                Step(
                    "host",
                    ("sysctl", "-q", "-w", f"{key}=1"),
                    "enableIPForward: route between the bridge and the host",
                )
            )
    if c.ip_masq:
        chain, comment = chain_name(c.name, cid), chain_comment(c.name, cid)
        for ip in result.ips:
            tool = "iptables" if ip.address.version == 4 else "ip6tables"
            multicast = "224.0.0.0/4" if ip.address.version == 4 else "ff00::/8"
            cmt = ("-m", "comment", "--comment", comment)

            def nat(*args: str, tool: str = tool) -> tuple[str, ...]:
                return (tool, "-t", "nat", *args)

            steps += [
                Step("host", nat("-N", chain), "SetupIPMasq: the per-Pod chain", ok_if_exists=True),
                Step(
                    "host",
                    nat("-A", chain, "-d", str(ip.address.network), "-j", "ACCEPT", *cmt),
                    "SetupIPMasq: traffic to the Pod network stays unchanged",
                ),
                Step(
                    "host",
                    nat("-A", chain, "!", "-d", multicast, "-j", "MASQUERADE", *cmt),
                    "SetupIPMasq: everything else is masqueraded",
                ),
                Step(
                    "host",
                    nat("-A", "POSTROUTING", "-s", str(ip.address.ip), "-j", chain, *cmt),
                    "SetupIPMasq: the Pod's packets enter its chain",
                ),
            ]
    return steps


def apply(steps: Sequence[Step], netns: str, values: dict[str, str] | None = None) -> None:
    """Run the steps in order, placeholders (:data:`BRIDGE_MAC`) replaced from ``values``;
    the first failure is the plugin's error, but for steps the reference lets fail."""
    for s in steps:
        argv = [(values or {}).get(a, a) for a in s.command(netns)]
        if s.settle_s:
            settle(argv, s.settle_s)
            continue
        proc = subprocess.run(argv, capture_output=True, text=True)
        if proc.returncode != 0 and not s.ignore_errors:
            err = proc.stderr.strip()
            if s.ok_if_exists and any(
                m in err for m in ("File exists", "already exists", "already assigned")
            ):
                continue
            raise CNIError(ERR_INTERNAL, f"{' '.join(s.argv)}: {err}")


def _ip_json(netns: str | None, *argv: str) -> dict[str, Any]:
    """The first object of ``ip -j ARGV`` (in ``netns`` when given); {} when there is none."""
    cmd = ["ip", "-j", *argv]
    if netns:
        cmd = ["nsenter", f"--net={netns}", *cmd]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    try:
        return json.loads(proc.stdout)[0]
    except (json.JSONDecodeError, IndexError):
        return {}


def _mac(netns: str | None, name: str) -> str:
    return _ip_json(netns, "link", "show", "dev", name).get("address", "")


def settle(argv: Sequence[str], timeout_s: float, interval_s: float = 0.05) -> bool:
    """ip.SettleAddresses: poll the addresses ``argv`` lists until none is tentative or
    dadfailed; False after ``timeout_s``. The outcome is not an error: the reference binary
    has SettleAddresses' own message but not the "failed to settle addresses" that newer
    plugins wrap it in, so an unsettled address does not fail its ADD."""
    deadline = time.monotonic() + timeout_s
    while True:
        out = subprocess.run(list(argv), capture_output=True, text=True).stdout
        try:
            infos = [a for link in json.loads(out) for a in link.get("addr_info", [])]
        except (json.JSONDecodeError, AttributeError):
            infos = []
        if not any(a.get("tentative") or a.get("dadfailed") for a in infos):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(interval_s)


def wait_port_up(host_veth: str, retries_ms: Sequence[int] = PORT_RETRIES_MS) -> None:
    """cmdAdd's "check bridge port state": the host veth's operstate must become UP,
    polled after 0, 50, 500, 1000 and 1000 ms."""
    state = ""
    for ms in retries_ms:
        time.sleep(ms / 1000)
        state = _ip_json(None, "link", "show", "dev", host_veth).get("operstate", "")
        if state == "UP":
            return
    raise CNIError(ERR_INTERNAL, f"bridge port in error state: {state.lower()}")


def exec_ipam(a: CmdArgs, ipam_type: str, command: str) -> dict[str, Any] | None:
    """Run the IPAM plugin found on CNI_PATH with the same config and environment (libcni's
    ``ipam.ExecAdd``/``ExecDel``); its error becomes ours."""
    plugin = next(
        (Path(d) / ipam_type for d in a.path.split(":") if (Path(d) / ipam_type).is_file()), None
    )
    if plugin is None:
        raise CNIError(ERR_INTERNAL, f'failed to find plugin "{ipam_type}" in path [{a.path}]')
    env = {**os.environ, "CNI_COMMAND": command}
    proc = subprocess.run([str(plugin)], input=a.stdin, env=env, capture_output=True)
    out = proc.stdout.decode()
    doc = json.loads(out) if out.strip() else None
    if proc.returncode != 0:
        if isinstance(doc, dict) and "code" in doc:
            raise CNIError(int(doc["code"]), str(doc.get("msg", "")), str(doc.get("details", "")))
        raise CNIError(ERR_INTERNAL, f"{ipam_type} failed: {proc.stderr.decode().strip()}")
    return doc


def _netns_exists(netns: str) -> bool:
    return bool(netns) and Path(netns).exists()


def cmd_add(a: CmdArgs) -> dict[str, Any]:
    """cmdAdd. On any failure it undoes what it did before returning the error: the
    addresses go back to IPAM (as the reference's deferred ``ipam.ExecDel``), and — beyond the
    reference, which leaves that to the runtime's DEL — the masquerade chain and the veth
    pair it created are removed, so a failed ADD leaves no link behind. The bridge stays:
    it is shared with the node's other Pods, as ``ensureBridge`` found or made it."""
    c = load_conf(dict(a.conf))
    if not _netns_exists(a.netns):
        raise CNIError(ERR_INTERNAL, f'failed to open netns "{a.netns}": no such file')
    host_veth = "veth" + secrets.token_hex(4)
    ipam_added = False
    result: Result | None = None
    try:
        apply(plan_bridge(c), a.netns)
        bridge_mac = _mac(None, c.bridge)  # before any veth joins: see BRIDGE_MAC
        apply(plan_veth(c, a.netns, a.ifname, host_veth), a.netns)
        doc = exec_ipam(a, c.ipam_type, "ADD")
        ipam_added = True
        if doc is None:
            raise CNIError(ERR_INTERNAL, "IPAM plugin returned missing IP config")
        result = gateway_routes(c, result_from_json(doc))
        if not result.ips:
            raise CNIError(ERR_INTERNAL, "IPAM plugin returned missing IP config")
        plan = plan_addresses(c, a.container_id, a.ifname, result)
        apply(plan, a.netns, {BRIDGE_MAC: bridge_mac})
        wait_port_up(host_veth)
    except BaseException:
        _undo_add(a, c, host_veth, ipam_added, result)
        raise
    # Read the MACs now, as the reference re-reads them at the end: the host veth's "may
    # change", and the bridge's changes when the first veth joins unless ensureAddr pinned it.
    ifaces = (
        Interface(c.bridge, _mac(None, c.bridge)),
        Interface(host_veth, _mac(None, host_veth)),
        Interface(a.ifname, _mac(a.netns, a.ifname), a.netns),
    )
    ips = tuple(IPConfig(i.address, i.gateway, 2) for i in result.ips)
    return Result(ips, result.routes, ifaces, result.dns).to_json(c.cni_version)


def _undo_add(
    a: CmdArgs, c: BridgeConf, host_veth: str, ipam_added: bool, result: Result | None
) -> None:
    """Best effort, in reverse order; the ADD's own error is the one reported."""
    if result is not None and c.ip_masq:
        _teardown_masq(c, a.container_id, [str(ip.address) for ip in result.ips])
    if ipam_added:
        with contextlib.suppress(CNIError, ValueError):
            exec_ipam(a, c.ipam_type, "DEL")
    # Deleting one end of a veth pair deletes both, wherever the other end has gone.
    subprocess.run(["ip", "link", "del", host_veth], capture_output=True)


def _teardown_masq(c: BridgeConf, cid: str, addrs: Sequence[str]) -> None:
    """TeardownIPMasq for each address: the POSTROUTING jump, then the per-Pod chain."""
    chain, comment = chain_name(c.name, cid), chain_comment(c.name, cid)
    for addr in addrs:
        ip = ipaddress.ip_interface(addr).ip
        tool = "iptables" if ip.version == 4 else "ip6tables"
        jump = ("-s", str(ip), "-j", chain, "-m", "comment", "--comment", comment)
        for argv in (
            (tool, "-t", "nat", "-D", "POSTROUTING", *jump),
            (tool, "-t", "nat", "-F", chain),
            (tool, "-t", "nat", "-X", chain),
        ):
            subprocess.run(argv, capture_output=True)


def _container_addrs(netns: str, ifname: str) -> list[str]:
    info = _ip_json(netns, "addr", "show", "dev", ifname)
    return [
        f"{a['local']}/{a['prefixlen']}"
        for a in info.get("addr_info", [])
        if a.get("scope") == "global"
    ]


def cmd_del(a: CmdArgs) -> None:
    c = load_conf(dict(a.conf))
    exec_ipam(a, c.ipam_type, "DEL")
    if not _netns_exists(a.netns):
        return  # the container is gone: nothing left to clean up inside it
    addrs = _container_addrs(a.netns, a.ifname)
    subprocess.run(
        ["nsenter", f"--net={a.netns}", "ip", "link", "del", a.ifname], capture_output=True
    )
    if c.ip_masq:
        _teardown_masq(c, a.container_id, addrs)


def cmd_check(a: CmdArgs) -> None:
    c = load_conf(dict(a.conf))
    prev = a.conf.get("prevResult")
    if not isinstance(prev, dict):
        raise CNIError(ERR_INTERNAL, "Required prevResult missing")
    exec_ipam(a, c.ipam_type, "CHECK")
    have = set(_container_addrs(a.netns, a.ifname))
    for ip in result_from_json(prev).ips:
        if str(ip.address) not in have:
            raise CNIError(
                ERR_INTERNAL, f"Failed to match addr {ip.address} on interface {a.ifname}"
            )


HANDLERS = {"ADD": cmd_add, "DEL": cmd_del, "CHECK": cmd_check}
main = main_for("bridge", HANDLERS)
