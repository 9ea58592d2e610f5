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
import unicodedata
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
    """libcni ``utils.ValidateContainerID``: present, alphanumeric first, then alphanumerics,
    ``_``, ``.``, ``-`` (so never ``/``), with its error codes and texts."""
    if not cid:
        raise CNIError(ERR_UNKNOWN_CONTAINER, "missing containerID")
    if not _NAME.match(cid):
        raise CNIError(ERR_INVALID_ENV, "invalid characters in containerID", cid)


def validate_network_name(name: str) -> None:
    """libcni ``utils.ValidateNetworkName``: the same character rule as container IDs."""
    if not name:
        raise CNIError(ERR_INVALID_NETWORK_CONFIG, "missing network name:")
    if not _NAME.match(name):
        raise CNIError(ERR_INVALID_NETWORK_CONFIG, "invalid characters found in network name", name)


MAX_IFNAME = 15  # IFNAMSIZ - 1 (linux net/core/dev.c dev_valid_name)
# Go's unicode.IsSpace: these Latin-1 characters, and the Unicode separators (Zs, Zl, Zp)
_GO_LATIN1_SPACE = frozenset("\t\n\v\f\r \x85\xa0")


def _go_is_space(ch: str) -> bool:
    return ch in _GO_LATIN1_SPACE or unicodedata.category(ch) in ("Zs", "Zl", "Zp")


def validate_interface_name(ifname: str) -> None:
    """libcni ``utils.ValidateInterfaceName``, the kernel's ``dev_valid_name``: not empty,
    at most 15 bytes, not ``.`` or ``..``, no ``/``, ``:`` or whitespace. A runtime builds its
    cache file name from it, so ``x/../../FILE`` must never get that far."""
    if not ifname:
        raise CNIError(ERR_INVALID_ENV, "interface name is empty")
    if len(ifname.encode("utf-8", "surrogateescape")) > MAX_IFNAME:
        raise CNIError(
            ERR_INVALID_ENV,
            "interface name is too long",
            f"interface name should be less than {MAX_IFNAME + 1} characters",
        )
    if ifname in (".", ".."):
        raise CNIError(ERR_INVALID_ENV, "interface name is . or ..")
    if any(ch in "/:" or _go_is_space(ch) for ch in ifname):
        raise CNIError(ERR_INVALID_ENV, "interface name contains / or : or whitespace characters")


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
def go_parse_ip(text: str) -> IP | None:
    """Go's ``net.ParseIP`` followed by the plugins' ``canonicalizeIP``, or None.

    Go refuses IPv6 zones (``fe80::1%eth0``), which Python's ipaddress accepts; an
    IPv4-mapped IPv6 address (``::ffff:10.0.0.1``) is the IPv4 address to Go (``To4()``),
    so it is allocated and printed as such (range.go ``canonicalizeIP``).
    """
    if "%" in text:
        return None
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    return addr


def _ip(text: object, what: str = "") -> IP:
    """Go's net.IP.UnmarshalText: the error names the text (``what`` is for our callers)."""
    addr = go_parse_ip(str(text))
    if addr is None:
        raise CNIError(ERR_INTERNAL, f"invalid IP address: {text}")
    return addr


def _cidr(text: object) -> tuple[IP, Net]:
    """Go's net.ParseCIDR: the address as written and its network."""
    try:
        if "/" not in str(text) or "%" in str(text):
            raise ValueError
        iface = ipaddress.ip_interface(str(text))
    except ValueError:
        raise CNIError(ERR_INTERNAL, f"invalid CIDR address: {text}") from None
    return iface.ip, iface.network


def go_quote(text: str) -> str:
    """Go's ``%q`` (strconv.Quote): Go escapes, printable characters kept as they are."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch in _GO_ESCAPES:
            out.append(_GO_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        elif code < 0x80:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


_GO_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
}


def parse_env_args(cni_args: str) -> IP | None:
    """``CNI_ARGS`` as host-local reads it: cni ``pkg/types/args.go`` ``LoadArgs`` into
    ``IPAMEnvArgs{types.CommonArgs; IP ip.IP}`` (allocator/config.go).

    ``K=V`` pairs split on ``;``; anything but exactly one ``=`` is an invalid pair; a key
    is matched to a struct field by exact name (``IP``, ``IgnoreUnknown``, and the embedded
    ``CommonArgs`` itself, which cannot take text); values are parsed in order, so a bad
    value fails before unknown keys are reported; unknown keys fail unless
    ``IgnoreUnknown`` is ``1``/``true`` (any case). ``IP`` takes one address, optionally
    with a prefix (pkg/ip ``ParseIP``); an empty value requests nothing.
    """
    if not cni_args:
        return None
    unknown: list[str] = []
    ignore = False
    requested: IP | None = None
    for pair in cni_args.split(";"):
        kv = pair.split("=")
        if len(kv) != 2:
            raise CNIError(ERR_INTERNAL, f"ARGS: invalid pair {go_quote(pair)}")
        key, value = kv
        if key == "IP":
            if not value:
                requested = None
                continue
            text = value.split("/", 1)[0] if "/" in value else value
            parsed = go_parse_ip(text)
            if parsed is not None and "/" in value:
                try:
                    ipaddress.ip_interface(value)  # net.ParseCIDR: a valid prefix length too
                except ValueError:
                    parsed = None
            if parsed is None:
                raise CNIError(
                    ERR_INTERNAL,
                    f"ARGS: error parsing value of pair {go_quote(pair)}: "
                    f"invalid IP address {value}",
                )
            requested = parsed
        elif key == "IgnoreUnknown":
            lowered = value.lower()
            if lowered not in ("1", "true", "0", "false"):
                raise CNIError(
                    ERR_INTERNAL,
                    f"ARGS: error parsing value of pair {go_quote(pair)}: "
                    f"boolean unmarshal error: invalid input {lowered}",
                )
            ignore = lowered in ("1", "true")
        elif key == "CommonArgs":
            raise CNIError(
                ERR_INTERNAL,
                "ARGS: cannot unmarshal into field 'CommonArgs' - type '*types.CommonArgs' "
                "does not implement encoding.TextUnmarshaler",
            )
        else:
            unknown.append(pair)
    if unknown and not ignore:
        raise CNIError(
            ERR_INTERNAL, "ARGS: unknown args [" + " ".join(go_quote(u) for u in unknown) + "]"
        )
    return requested


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
    if isinstance(net, ipaddress.IPv6Network) and net.network_address.ipv4_mapped is not None:
        # canonicalizeIP turns the IP into 4 bytes, the mask stays 16 (range.go)
        raise CNIError(ERR_INTERNAL, "IPNet IP and Mask version mismatch")
    first = net.network_address + 1
    gateway = _ip(raw["gateway"], "gateway") if raw.get("gateway") else first
    # range.go 1.1.1: rangeStart and rangeEnd are checked with Range.Contains, which compares
    # with the *other* bound as far as it is known: rangeStart against a rangeEnd from the
    # configuration (before its own check), rangeEnd against the final rangeStart. So a
    # rangeStart after rangeEnd fails as "RangeStart ... not in network ...".
    end_given = _ip(raw["rangeEnd"], "rangeEnd") if raw.get("rangeEnd") else None
    start = first
    if raw.get("rangeStart"):
        start = _ip(raw["rangeStart"], "rangeStart")
        if not _within(start, net, None, end_given):
            raise CNIError(ERR_INTERNAL, f"RangeStart {start} not in network {net}")
    # lastIP(): the broadcast address is excluded for IPv4 only
    end = net.broadcast_address - 1 if net.version == 4 else net.broadcast_address
    if end_given is not None:
        end = end_given
        if not _within(end, net, start, None):
            raise CNIError(ERR_INTERNAL, f"RangeEnd {end} not in network {net}")
    return Range(net, start, end, gateway)


def _within(addr: IP, net: Net, low: IP | None, high: IP | None) -> bool:
    """range.go ``Range.Contains`` while the range is being built (nil bounds ignored);
    ``ip.Cmp`` compares the addresses as numbers."""
    if addr.version != net.version or addr not in net:
        return False
    if low is not None and int(addr) < int(low):
        return False
    return not (high is not None and int(addr) > int(high))


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
    # range_set.go Canonicalize: each range in turn, the family compared right after it
    built: list[Range] = []
    for r in raw:
        built.append(canonical_range(r))
        if built[-1].range_start.version != built[0].range_start.version:
            raise CNIError(ERR_INTERNAL, "mixed address families")
    ranges = tuple(built)
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


def _ip_or_cidr(text: object) -> IP:
    """pkg/ip ``IP.UnmarshalText`` (``args.cni.ips``, ``runtimeConfig.ips``): an address with
    or without a prefix; its error has no colon, unlike net.IP's."""
    value = str(text)
    addr = go_parse_ip(value.split("/", 1)[0])
    if addr is not None and "/" in value:
        try:
            ipaddress.ip_interface(value)
        except ValueError:
            addr = None
    if addr is None:
        raise CNIError(ERR_INTERNAL, f"invalid IP address {value}")
    return addr


def load_ipam_config(conf: dict[str, Any], cni_args: str = "") -> IPAMConfig:
    """allocator/config.go ``LoadIPAMConfig``, step by step in the reference's order:
    json.Unmarshal (every IP and CIDR field), the ``ipam`` key, ``CNI_ARGS``, then the
    ranges (old-style single range first, runtime ``ipRanges`` before both)."""
    ipam = conf.get("ipam")
    runtime = conf.get("runtimeConfig") or {}
    raw_sets: list[Any] = []
    if isinstance(ipam, dict):
        raw_sets = list(ipam.get("ranges") or [])
        if ipam.get("subnet"):
            old = {k: ipam[k] for k in ("subnet", "rangeStart", "rangeEnd", "gateway") if k in ipam}
            raw_sets.insert(0, [old])
    if isinstance(runtime, dict) and runtime.get("ipRanges"):
        raw_sets = list(runtime["ipRanges"]) + raw_sets
    # json.Unmarshal into types.IPNet / net.IP / ip.IP fails before anything else
    for raw in raw_sets:
        for r in raw if isinstance(raw, list) else ():
            if isinstance(r, dict):
                if "subnet" in r:
                    _cidr(r["subnet"])
                for key in ("rangeStart", "rangeEnd", "gateway"):
                    if r.get(key):
                        _ip(r[key], key)
    args = conf.get("args")
    args_ips = ((args.get("cni") or {}).get("ips") if isinstance(args, dict) else None) or []
    cni_ips = [_ip_or_cidr(v) for v in args_ips]
    runtime_ips = [
        _ip_or_cidr(v) for v in (runtime.get("ips") if isinstance(runtime, dict) else None) or []
    ]
    if not isinstance(ipam, dict):
        raise CNIError(ERR_INTERNAL, "IPAM config missing 'ipam' key")
    env_ip = parse_env_args(cni_args)
    # main.go cmdAdd keys the requests by ip.String() in a map: one address asked twice is
    # one request. (Go's map order is random; we keep the order of first mention.)
    requested = list(dict.fromkeys([*([env_ip] if env_ip else []), *cni_ips, *runtime_ips]))
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
    """A result (what an IPAM plugin printed) back into the model: 0.3.0 and later as they
    are, 0.1.0/0.2.0 (``ip4``/``ip6``) converted as libcni's ``NewResultFromResult`` does
    (types/100 ``convertFrom020``: one address per family, no interface index, their
    routes appended v4 first)."""
    if "ips" not in doc and ("ip4" in doc or "ip6" in doc):
        fams = [doc[k] for k in ("ip4", "ip6") if isinstance(doc.get(k), dict)]
        doc = {
            "ips": [{"address": f["ip"], "gateway": f.get("gateway")} for f in fams],
            "routes": [r for f in fams for r in f.get("routes") or ()],
            "dns": doc.get("dns"),
        }
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
