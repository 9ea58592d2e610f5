"""A packet as netfilter sees it, and the node it crosses (addresses, interfaces, routes)."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field, replace

from infranotes.errors import ParseError

CT_STATES = ("NEW", "ESTABLISHED", "RELATED", "INVALID", "UNTRACKED")


@dataclass(frozen=True)
class Packet:
    """The fields the tracer reads; ``local`` means generated on the node (OUTPUT path)."""

    proto: str  # tcp, udp, icmp
    src: str
    dst: str
    sport: int = 0
    dport: int = 0
    iif: str | None = None
    oif: str | None = None
    mark: int = 0
    ctstate: str = "NEW"
    ctmark: int = 0
    local: bool = False
    icmp_type: int | None = None

    def with_(self, **kw: object) -> Packet:
        return replace(self, **kw)  # type: ignore[arg-type]

    def describe(self) -> str:
        where = f" iif {self.iif}" if self.iif else ""
        where += " (local)" if self.local else ""
        if self.proto in ("tcp", "udp"):
            return f"{self.proto} {self.src}:{self.sport} > {self.dst}:{self.dport}{where}"
        return f"{self.proto} {self.src} > {self.dst}{where}"

    def to_json(self) -> dict[str, object]:
        return {
            "proto": self.proto,
            "src": self.src,
            "sport": self.sport,
            "dst": self.dst,
            "dport": self.dport,
            "iif": self.iif,
            "oif": self.oif,
            "mark": hex(self.mark),
            "ctstate": self.ctstate,
            "local": self.local,
        }


_PACKET = re.compile(
    r"^\s*(?P<proto>tcp|udp|icmp)\s+(?P<src>[\d.]+)(?::(?P<sport>\d+))?\s*>\s*"
    r"(?P<dst>[\d.]+)(?::(?P<dport>\d+))?(?P<rest>.*)$"
)


def parse_packet(text: str, source: str = "--packet") -> Packet:
    """``"tcp 10.0.0.5:40000 > 10.96.0.10:53 iif eth0 [mark 0x4000] [state NEW] [local]"``."""
    m = _PACKET.match(text)
    if not m:
        raise ParseError(
            f"cannot read packet {text!r}",
            source=source,
            expected='"tcp SRC:PORT > DST:PORT [iif IF] [mark N] [state S] [local]"',
        )
    for key in ("src", "dst"):
        try:
            ipaddress.IPv4Address(m.group(key))
        except ValueError:
            raise ParseError(f"{m.group(key)!r} is not an IPv4 address", source=source) from None
    proto = m.group("proto")
    if proto in ("tcp", "udp") and not m.group("dport"):
        raise ParseError(
            f"{proto} packet needs a destination port", source=source, expected="DST:PORT"
        )
    kw: dict[str, object] = {}
    words = m.group("rest").split()
    i = 0
    while i < len(words):
        w = words[i]
        if w == "local":
            kw["local"] = True
            i += 1
            continue
        if i + 1 >= len(words):
            raise ParseError(f"{w!r} needs a value", source=source)
        v = words[i + 1]
        if w == "iif":
            kw["iif"] = v
        elif w == "oif":
            kw["oif"] = v
        elif w == "mark":
            kw["mark"] = int(v, 0) if re.fullmatch(r"0x[0-9a-fA-F]+|\d+", v) else _bad(v, source)
        elif w == "state":
            if v.upper() not in CT_STATES:
                raise ParseError(
                    f"unknown state {v!r}", source=source, expected=", ".join(CT_STATES)
                )
            kw["ctstate"] = v.upper()
        elif w == "icmp-type":
            kw["icmp_type"] = int(v)
        else:
            raise ParseError(
                f"unknown packet field {w!r}",
                source=source,
                expected="iif, oif, mark, state, icmp-type or local",
            )
        i += 2
    for port in ("sport", "dport"):
        value = int(m.group(port) or 0)
        if value > 65535:
            raise ParseError(f"port {value} out of range", source=source)
        kw[port] = value
    if proto == "icmp":
        kw.setdefault("icmp_type", 8)
    return Packet(proto, m.group("src"), m.group("dst"), **kw)  # type: ignore[arg-type]


def _bad(value: str, source: str) -> int:
    raise ParseError(f"bad mark {value!r}", source=source, expected="0x4000 or a number")


def parse_iface(spec: str, source: str = "--iface") -> tuple[str, ipaddress.IPv4Interface]:
    """``NAME=ADDR/PLEN`` (``eth1=172.16.0.4/24``): an interface of the node and its address."""
    name, sep, addr = spec.partition("=")
    if not sep or not name or "/" not in addr:
        raise ParseError(
            f"cannot read interface {spec!r}", source=source, expected="NAME=ADDR/PLEN"
        )
    try:
        return name, ipaddress.IPv4Interface(addr)
    except ValueError:
        raise ParseError(
            f"{addr!r} is not an IPv4 address with a prefix length",
            source=source,
            expected="NAME=ADDR/PLEN, e.g. eth1=172.16.0.4/24",
        ) from None


@dataclass(frozen=True)
class Route:
    dst: ipaddress.IPv4Network
    dev: str
    via: str | None = None


@dataclass(frozen=True)
class Node:
    """What the routing decision needs: the node's addresses per interface and its routes."""

    addresses: dict[str, tuple[str, ...]] = field(default_factory=dict)  # dev -> addresses
    routes: tuple[Route, ...] = ()
    forwarding: bool = True

    @classmethod
    def simple(
        cls,
        local: tuple[str, ...] = ("192.168.1.10",),
        dev: str = "eth0",
        pod_cidr: str = "10.244.0.0/16",
        pod_dev: str = "cni0",
        gateway: str = "192.168.1.1",
    ) -> Node:
        """A typical node: one uplink with a default route, pods behind a bridge."""
        return cls(
            {dev: local, "lo": ("127.0.0.1",)},
            (
                Route(ipaddress.IPv4Network(pod_cidr), pod_dev),
                Route(ipaddress.IPv4Network("0.0.0.0/0"), dev, gateway),
            ),
        )

    @classmethod
    def from_interfaces(
        cls,
        interfaces: list[tuple[str, ipaddress.IPv4Interface]],
        default_dev: str | None = None,
        routes: tuple[Route, ...] = (),
    ) -> Node:
        """A node from ``NAME=ADDR/PLEN`` interfaces: each address on its device, each prefix
        a connected route via it (as the kernel adds one for an address with a prefix), plus
        ``routes`` and a default route via ``default_dev``."""
        addresses: dict[str, tuple[str, ...]] = {}
        connected: list[Route] = []
        for name, iface in interfaces:
            addresses[name] = (*addresses.get(name, ()), str(iface.ip))
            if iface.network.prefixlen < 32:
                connected.append(Route(iface.network, name))
        addresses.setdefault("lo", ("127.0.0.1",))
        default = (Route(ipaddress.IPv4Network("0.0.0.0/0"), default_dev),) if default_dev else ()
        return cls(addresses, (*routes, *connected, *default))

    def local_addresses(self) -> set[str]:
        return {a for addrs in self.addresses.values() for a in addrs}

    def is_local(self, addr: str) -> bool:
        return addr in self.local_addresses() or addr.startswith("127.")

    def route(self, dst: str) -> Route | None:
        ip = ipaddress.IPv4Address(dst)
        best = [r for r in self.routes if ip in r.dst]
        return max(best, key=lambda r: r.dst.prefixlen, default=None)

    def address_of(self, dev: str) -> str | None:
        addrs = self.addresses.get(dev)
        return addrs[0] if addrs else None
