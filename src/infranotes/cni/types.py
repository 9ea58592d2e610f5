"""CNI spec types: the error object, network configuration, host-local's ranges, results.

Follows the CNI specification 1.0.0 (``SPEC.md``: "Network configuration", "Result", "Error")
and, for host-local's configuration, the reference plugin's ``allocator/config.go``,
``range.go`` and ``range_set.go`` (containernetworking/plugins), with their error texts, so a
user sees the messages they would get from ``/usr/lib/cni/host-local``.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass, field
from typing import Any

from infranotes.errors import InfranotesError

# The reference 1.1.1 plugins stop at 1.0.0; ours add 1.1.0 for GC and STATUS.
SUPPORTED_VERSIONS = ("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0")
CURRENT = "1.0.0"

# SPEC.md "Error": well-known codes (and 999, what the reference Go library uses for the rest)
ERR_INCOMPATIBLE_VERSION = 1
ERR_UNSUPPORTED_FIELD = 2
ERR_UNKNOWN_CONTAINER = 3
ERR_INVALID_ENV = 4
ERR_IO = 5
ERR_DECODE = 6
ERR_INVALID_NETWORK_CONFIG = 7
ERR_TRY_AGAIN = 11
ERR_INTERNAL = 999
# SPEC.md "Network configuration": names and container IDs
_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.\-]*$")

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
Net = ipaddress.IPv4Network | ipaddress.IPv6Network


class CNIError(InfranotesError, ValueError):
    """The spec's error object; printed on stdout by a plugin that fails (exit status 1)."""

    def __init__(self, code: int, msg: str, details: str = "") -> None:
        self.code, self.msg, self.details = code, msg, details
        super().__init__(f"{msg}: {details}" if details else msg)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"code": self.code, "msg": self.msg}
        if self.details:
            out["details"] = self.details
        return out


def validate_container_id(cid: str) -> None:
    """SPEC.md: alphanumeric first, then alphanumerics, ``_``, ``.``, ``-`` (no ``/``)."""
    if not _NAME.match(cid):
        raise CNIError(ERR_INVALID_ENV, "invalid characters in containerID", cid)


def validate_network_name(name: str) -> None:
    if not name:
        raise CNIError(ERR_INVALID_NETWORK_CONFIG, "missing network name")
    if not _NAME.match(name):
        raise CNIError(ERR_INVALID_NETWORK_CONFIG, "invalid characters found in network name", name)


def parse_netconf(data: bytes | str) -> dict[str, Any]:
    """The JSON object on a plugin's stdin; the spec's decode error (code 6) otherwise."""
    try:
        conf = json.loads(data)
    except RecursionError:
        raise CNIError(ERR_DECODE, "error unmarshall network config: nesting too deep") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        # Go's decoder says "unexpected end of JSON input" when the text stops too early
        ended = isinstance(exc, json.JSONDecodeError) and exc.pos >= len(exc.doc.rstrip())
        pos = getattr(exc, "pos", getattr(exc, "start", 0))
        what = "unexpected end of JSON input" if ended else f"invalid character at offset {pos}"
        raise CNIError(ERR_DECODE, f"error unmarshall network config: {what}") from None
    if not isinstance(conf, dict):
        raise CNIError(ERR_DECODE, "error unmarshall network config: not a JSON object")
    version = conf.get("cniVersion", "0.1.0") or "0.1.0"
    if not isinstance(version, str) or version not in SUPPORTED_VERSIONS:
        supported = " ".join(f'"{v}"' for v in SUPPORTED_VERSIONS)
        raise CNIError(
            ERR_INCOMPATIBLE_VERSION,
            "incompatible CNI versions",
            f'config is "{version}", plugin supports [{supported}]',
        )
    validate_network_name(conf.get("name") if isinstance(conf.get("name"), str) else "")
    return conf


def version_tuple(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in v.split("."))


# --------------------------------------------------------------------------- ranges
def _ip(text: object, what: str = "") -> IP:
    """Go's net.IP.UnmarshalText: the error names the text (``what`` is for our callers)."""
    try:
        return ipaddress.ip_address(str(text))
    except ValueError:
        raise CNIError(ERR_INTERNAL, f"invalid IP address: {text}") from None


def _cidr(text: object) -> tuple[IP, Net]:
    """Go's net.ParseCIDR: the address as written and its network."""
    try:
        iface = ipaddress.ip_interface(str(text))
        if "/" not in str(text):
            raise ValueError
    except ValueError:
        raise CNIError(ERR_INTERNAL, f"invalid CIDR address: {text}") from None
    return iface.ip, iface.network


@dataclass(frozen=True)
class Range:
    """One ``ranges`` entry after ``Canonicalize`` (range.go): every field filled in."""

    subnet: Net
    range_start: IP
    range_end: IP
    gateway: IP

    def contains(self, addr: IP) -> bool:
        return (
            addr.version == self.subnet.version
            and addr in self.subnet
            and self.range_start <= addr <= self.range_end
        )

    def overlaps(self, other: Range) -> bool:
        if self.subnet.version != other.subnet.version:
            return False
        return (
            self.contains(other.range_start)
            or self.contains(other.range_end)
            or other.contains(self.range_start)
            or other.contains(self.range_end)
        )

    def __str__(self) -> str:
        return f"{self.range_start}-{self.range_end}"


def canonical_range(raw: object) -> Range:
    """range.go ``Canonicalize``: defaults for gateway, rangeStart and rangeEnd, checks."""
    if not isinstance(raw, dict) or "subnet" not in raw:
        raise CNIError(ERR_INTERNAL, "invalid CIDR address: ")
    addr, net = _cidr(raw["subnet"])
    if net.prefixlen > net.max_prefixlen - 2:
        raise CNIError(ERR_INTERNAL, f"Network {addr}/{net.prefixlen} too small to allocate from")
    if addr != net.network_address:
        raise CNIError(
            ERR_INTERNAL,
            f"Network has host bits set. For a subnet mask of length "
            f"{net.prefixlen} the network address is {net.network_address}",
        )
    first = net.network_address + 1
    gateway = _ip(raw["gateway"], "gateway") if raw.get("gateway") else first
    start = first
    if raw.get("rangeStart"):
        start = _ip(raw["rangeStart"], "rangeStart")
        if start.version != net.version or start not in net:
            raise CNIError(ERR_INTERNAL, f"RangeStart {start} not in network {net}")
    # lastIP(): the broadcast address is excluded for IPv4 only
    end = net.broadcast_address - 1 if net.version == 4 else net.broadcast_address
    if raw.get("rangeEnd"):
        end = _ip(raw["rangeEnd"], "rangeEnd")
        if end.version != net.version or end not in net:
            raise CNIError(ERR_INTERNAL, f"RangeEnd {end} not in network {net}")
    return Range(net, start, end, gateway)


@dataclass(frozen=True)
class RangeSet:
    """A list of ranges of one address family, tried in order (range_set.go)."""

    ranges: tuple[Range, ...]

    def contains(self, addr: IP) -> bool:
        return any(r.contains(addr) for r in self.ranges)

    def range_for(self, addr: IP) -> Range | None:
        return next((r for r in self.ranges if r.contains(addr)), None)

    def overlaps(self, other: RangeSet) -> bool:
        return any(a.overlaps(b) for a in self.ranges for b in other.ranges)

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.ranges)


def canonical_range_set(raw: object) -> RangeSet:
    if not isinstance(raw, list) or not raw:
        raise CNIError(ERR_INTERNAL, "empty range set")
    ranges = tuple(canonical_range(r) for r in raw)
    if len({r.subnet.version for r in ranges}) > 1:
        raise CNIError(ERR_INTERNAL, "mixed address families")
    for i, a in enumerate(ranges):
        for b in ranges[i + 1 :]:
            if a.overlaps(b):
                raise CNIError(ERR_INTERNAL, f"subnets {a} and {b} overlap")
    return RangeSet(ranges)


@dataclass(frozen=True)
class Route:
    dst: Net
    gw: IP | None = None

    def to_json(self) -> dict[str, str]:
        return {"dst": str(self.dst), **({"gw": str(self.gw)} if self.gw else {})}


@dataclass(frozen=True)
class IPAMConfig:
    """host-local's configuration after ``LoadIPAMConfig`` (allocator/config.go)."""

    name: str
    cni_version: str
    range_sets: tuple[RangeSet, ...]
    routes: tuple[Route, ...] = ()
    data_dir: str = "/var/lib/cni/networks"
    resolv_conf: str = ""
    requested: tuple[IP, ...] = ()


def _routes(raw: object) -> tuple[Route, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise CNIError(ERR_DECODE, "error unmarshall network config: routes is not a list")
    out = []
    for r in raw:
        if not isinstance(r, dict):
            raise CNIError(ERR_DECODE, "error unmarshall network config: a route is not an object")
        _, dst = _cidr(r.get("dst"))
        out.append(Route(dst, _ip(r["gw"], "gw") if r.get("gw") else None))
    return tuple(out)


def load_ipam_config(conf: dict[str, Any], cni_args: str = "") -> IPAMConfig:
    """allocator/config.go ``LoadIPAMConfig``: old-style single range first, then ``ranges``."""
    ipam = conf.get("ipam")
    if not isinstance(ipam, dict):
        raise CNIError(ERR_INTERNAL, "IPAM config missing 'ipam' key")
    raw_sets = list(ipam.get("ranges") or [])
    if ipam.get("subnet"):
        old = {k: ipam[k] for k in ("subnet", "rangeStart", "rangeEnd", "gateway") if k in ipam}
        raw_sets.insert(0, [old])
    runtime = conf.get("runtimeConfig") or {}
    if isinstance(runtime, dict) and runtime.get("ipRanges"):
        raw_sets = list(runtime["ipRanges"]) + raw_sets
    # json.Unmarshal into types.IPNet / net.IP fails before any range is canonicalized
    for raw in raw_sets:
        for r in raw if isinstance(raw, list) else ():
            if isinstance(r, dict):
                if "subnet" in r:
                    _cidr(r["subnet"])
                for key in ("rangeStart", "rangeEnd", "gateway"):
                    if r.get(key):
                        _ip(r[key], key)
    if not raw_sets:
        raise CNIError(ERR_INTERNAL, "no IP ranges specified")
    sets = []
    for i, raw in enumerate(raw_sets):
        try:
            sets.append(canonical_range_set(raw))
        except CNIError as exc:
            raise CNIError(exc.code, f"invalid range set {i}: {exc.msg}") from None
    version = conf.get("cniVersion") or "0.1.0"
    per_family = [sum(1 for s in sets if s.ranges[0].subnet.version == v) for v in (4, 6)]
    if max(per_family) > 1 and version_tuple(version) < (0, 3, 0):
        raise CNIError(
            ERR_INTERNAL, f"CNI version {version} does not support more than 1 address per family"
        )
    for i, a in enumerate(sets):
        for j, b in enumerate(sets[i + 1 :], i + 1):
            if a.overlaps(b):
                raise CNIError(ERR_INTERNAL, f"range set {i} overlaps with {j}")
    requested: list[IP] = []
    for item in (cni_args or "").split(";"):
        key, _, value = item.partition("=")
        if key == "IP" and value:
            requested += [_ip(v.strip(), "CNI_ARGS IP") for v in value.split(",")]
    args_ips = (
        ((conf.get("args") or {}).get("cni") or {}).get("ips")
        if isinstance(conf.get("args"), dict)
        else None
    )
    requested += [_ip(v.split("/")[0], "args.cni.ips") for v in (args_ips or [])]
    if isinstance(runtime, dict):
        requested += [_ip(v.split("/")[0], "runtimeConfig.ips") for v in runtime.get("ips") or []]
    return IPAMConfig(
        name=conf["name"],
        cni_version=version,
        range_sets=tuple(sets),
        routes=_routes(ipam.get("routes")),
        data_dir=ipam.get("dataDir") or "/var/lib/cni/networks",
        resolv_conf=ipam.get("resolvConf") or "",
        requested=tuple(requested),
    )


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class IPConfig:
    address: ipaddress.IPv4Interface | ipaddress.IPv6Interface
    gateway: IP | None = None
    interface: int | None = None


@dataclass(frozen=True)
class Interface:
    name: str
    mac: str = ""
    sandbox: str = ""


@dataclass(frozen=True)
class Result:
    """A CNI result (the 1.0.0 model), printable in the shape of any supported version."""

    ips: tuple[IPConfig, ...] = ()
    routes: tuple[Route, ...] = ()
    interfaces: tuple[Interface, ...] = ()
    dns: dict[str, Any] = field(default_factory=dict)

    def to_json(self, version: str) -> dict[str, Any]:
        """types.PrintResult: the key order and fields of ``version``'s result type."""
        if version_tuple(version) < (0, 3, 0):
            return self._to_020(version)
        out: dict[str, Any] = {"cniVersion": version}
        if self.interfaces:
            out["interfaces"] = [
                {
                    "name": i.name,
                    **({"mac": i.mac} if i.mac else {}),
                    **({"sandbox": i.sandbox} if i.sandbox else {}),
                }
                for i in self.interfaces
            ]
        if self.ips:
            ips = []
            for ip in self.ips:
                d: dict[str, Any] = {}
                if version_tuple(version) < (1, 0, 0):
                    d["version"] = str(ip.address.version)
                if ip.interface is not None:
                    d["interface"] = ip.interface
                d["address"] = str(ip.address)
                if ip.gateway is not None:
                    d["gateway"] = str(ip.gateway)
                ips.append(d)
            out["ips"] = ips
        if self.routes:
            out["routes"] = [r.to_json() for r in self.routes]
        out["dns"] = dict(self.dns)
        return out

    def _to_020(self, version: str) -> dict[str, Any]:
        out: dict[str, Any] = {"cniVersion": version}
        for fam in (4, 6):
            ip = next((i for i in self.ips if i.address.version == fam), None)
            if ip is None:
                continue
            d: dict[str, Any] = {"ip": str(ip.address)}
            if ip.gateway is not None:
                d["gateway"] = str(ip.gateway)
            routes = [r.to_json() for r in self.routes if r.dst.version == fam]
            if routes:
                d["routes"] = routes
            out[f"ip{fam}"] = d
        out["dns"] = dict(self.dns)
        return out


def result_from_json(doc: dict[str, Any]) -> Result:
    """A 0.3.0+ result (what an IPAM plugin printed) back into the model."""
    ips = tuple(
        IPConfig(
            ipaddress.ip_interface(i["address"]),
            ipaddress.ip_address(i["gateway"]) if i.get("gateway") else None,
            i.get("interface"),
        )
        for i in doc.get("ips") or ()
    )
    routes = tuple(
        Route(
            ipaddress.ip_network(r["dst"], strict=False),
            ipaddress.ip_address(r["gw"]) if r.get("gw") else None,
        )
        for r in doc.get("routes") or ()
    )
    ifaces = tuple(
        Interface(i["name"], i.get("mac", ""), i.get("sandbox", ""))
        for i in doc.get("interfaces") or ()
    )
    return Result(ips, routes, ifaces, dict(doc.get("dns") or {}))
