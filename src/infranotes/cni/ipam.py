"""host-local IPAM: which address is next (pure), and ADD, DEL, CHECK, GC, STATUS on a store.

The allocation order ports the reference's ``allocator.go`` ``RangeIter``: round-robin over a
range set, resuming after ``last_reserved_ip.N`` when that address is still inside the set
(else at the first ``rangeStart``), skipping each range's gateway, wrapping at the end, and
giving up after one full turn. ``main.go`` ``cmdAdd`` allocates from every range set in
order, releasing what it took if any set fails. GC and STATUS (CNI 1.1.0) go beyond the
reference host-local.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from pathlib import Path

from infranotes.cni.store import DiskStore, ip_key
from infranotes.cni.types import (
    ERR_INTERNAL,
    IP,
    CNIError,
    IPAMConfig,
    IPConfig,
    RangeSet,
    Result,
)

ERR_PLUGIN_UNAVAILABLE = 50  # SPEC 1.1.0 STATUS: the plugin cannot service ADD requests


def candidates(rs: RangeSet, last_reserved: IP | None) -> Iterator[tuple[IP, int]]:
    """Addresses in the order the reference tries them, with the index of their range."""
    ranges = rs.ranges
    if last_reserved is not None and rs.contains(last_reserved):
        idx = next(i for i, r in enumerate(ranges) if r.contains(last_reserved))
        cur: IP | None = last_reserved
        start: IP | None = None
    else:
        idx, cur, start = 0, None, None
    while True:
        r = ranges[idx]
        if cur is None:  # the first call without a last reserved address: rangeStart itself
            cur = start = r.range_start
        else:
            if cur == r.range_end:
                idx = (idx + 1) % len(ranges)
                r = ranges[idx]
                cur = r.range_start
            else:
                cur = cur + 1
            if start is None:
                start = cur
            elif cur == start:
                return
        if cur != r.gateway:
            yield cur, idx


def next_free(rs: RangeSet, last_reserved: IP | None, taken: set[IP]) -> tuple[IP, int] | None:
    """The address the reference would reserve next, or None when the set is exhausted."""
    return next(((ip, i) for ip, i in candidates(rs, last_reserved) if ip not in taken), None)


def parse_resolv_conf(path: str) -> dict[str, object]:
    """host-local's ``parseResolvConf``: nameserver, domain, search, options into the DNS field."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise CNIError(ERR_INTERNAL, f"open {path}: {exc.strerror.lower()}") from None
    ns: list[str] = []
    domain = ""
    search: list[str] = []
    options: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        f = line.split()
        if len(f) < 2:
            continue
        if f[0] == "nameserver":
            ns.append(f[1])
        elif f[0] == "domain":
            domain = f[1]
        elif f[0] == "search":
            search += f[1:]
        elif f[0] == "options":
            options += f[1:]
    out: dict[str, object] = {}
    for key, value in (
        ("nameservers", ns),
        ("domain", domain),
        ("search", search),
        ("options", options),
    ):
        if value:
            out[key] = value
    return out


def _get(
    store: DiskStore, rs: RangeSet, idx: int, cid: str, ifname: str, requested: IP | None
) -> IPConfig:
    """allocator.go ``Get`` for one range set (the caller holds the lock)."""
    if requested is not None:
        r = rs.range_for(requested)
        if r is None:
            raise CNIError(ERR_INTERNAL, f"{requested} not in range set {rs}")
        if requested == r.gateway:
            raise CNIError(ERR_INTERNAL, f"requested ip {requested} is subnet's gateway")
        if not store.reserve(cid, ifname, requested, idx):
            raise CNIError(
                ERR_INTERNAL, f"requested IP address {requested} is not available in range set {rs}"
            )
        return IPConfig(_iface(requested, r.subnet.prefixlen), r.gateway)
    for ip in store.get_by_id(cid, ifname):
        if rs.contains(ip):
            raise CNIError(
                ERR_INTERNAL,
                f"{ip} has been allocated to {cid}, duplicate allocation is not allowed",
            )
    taken = set(store.reservations())
    for ip, ridx in candidates(rs, store.last_reserved(idx)):
        if ip in taken:
            continue
        if store.reserve(cid, ifname, ip, idx):
            r = rs.ranges[ridx]
            return IPConfig(_iface(ip, r.subnet.prefixlen), r.gateway)
    raise CNIError(ERR_INTERNAL, f"no IP addresses available in range set: {rs}")


def _iface(ip: IP, prefix: int) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface:
    return ipaddress.ip_interface(f"{ip}/{prefix}")


def add(conf: IPAMConfig, cid: str, ifname: str) -> Result:
    """``cmdAdd``: one address from each range set, all or nothing."""
    dns = parse_resolv_conf(conf.resolv_conf) if conf.resolv_conf else {}
    store = DiskStore(conf.data_dir, conf.name)
    requested = list(conf.requested)
    ips: list[IPConfig] = []
    with store.locked():
        for idx, rs in enumerate(conf.range_sets):
            want = next((ip for ip in requested if rs.contains(ip)), None)
            if want is not None:
                requested.remove(want)
            try:
                ips.append(_get(store, rs, idx, cid, ifname, want))
            except CNIError as exc:
                if ips:
                    store.release_by_id(cid, ifname)
                raise CNIError(exc.code, f"failed to allocate for range {idx}: {exc.msg}") from None
        if requested:
            store.release_by_id(cid, ifname)
            raise CNIError(
                ERR_INTERNAL,
                "failed to allocate all requested IPs: " + " ".join(str(ip) for ip in requested),
            )
    return Result(tuple(ips), conf.routes, dns=dns)


def delete(conf: IPAMConfig, cid: str, ifname: str) -> list[IP]:
    """``cmdDel``: release every address of (container, ifname); idempotent."""
    store = DiskStore(conf.data_dir, conf.name)
    with store.locked():
        return store.release_by_id(cid, ifname)


def check(conf: IPAMConfig, cid: str, ifname: str) -> None:
    """``cmdCheck``: at least one address is reserved for the container."""
    store = DiskStore(conf.data_dir, conf.name)
    with store.locked():
        found = bool(store.get_by_id(cid, ifname))
    if not found:
        raise CNIError(ERR_INTERNAL, f"host-local: Failed to find address added by container {cid}")


def gc(conf: IPAMConfig, valid: set[tuple[str, str]]) -> list[IP]:
    """CNI 1.1.0 GC: release every reservation whose (container ID, ifname) is not in
    ``cni.dev/valid-attachments``. Old ID-only files count as valid when the ID is."""
    store = DiskStore(conf.data_dir, conf.name)
    ids = {cid for cid, _ in valid}
    released = []
    with store.locked():
        for ip, (cid, ifname) in store.reservations().items():
            keep = (cid, ifname) in valid if ifname else cid in ids
            if not keep:
                store.release(ip)
                released.append(ip)
    return sorted(released, key=ip_key)


def status(conf: IPAMConfig) -> None:
    """CNI 1.1.0 STATUS: error 50 when some range set has no free address left (an ADD would
    fail), or when the store cannot be written."""
    try:
        store = DiskStore(conf.data_dir, conf.name)
    except OSError as exc:
        raise CNIError(ERR_PLUGIN_UNAVAILABLE, f"store not writable: {exc}") from None
    with store.locked():
        taken = set(store.reservations())
        for idx, rs in enumerate(conf.range_sets):
            if next_free(rs, store.last_reserved(idx), taken) is None:
                raise CNIError(
                    ERR_PLUGIN_UNAVAILABLE, f"no IP addresses available in range set: {rs}"
                )
