"""Our server against NSD (Debian's authoritative server) on the same generated zones.

For every name in the zones, every common type, and a list of names that must not exist
(empty non-terminals, names below leaves and CNAMEs, wildcard matches and their blockers),
both servers must give the same rcode, the same answer records and the same AA flag.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dns.flags
import dns.message
import dns.query
import dns.rcode
import pytest

from infranotes import lab
from infranotes.dns.manifests import load_manifests, merge
from infranotes.dns.records import generate, zone_file, zones
from infranotes.dns.server import DNSServer
from infranotes.dns.zone import Zone, parse_zone
from infranotes.errors import LabUnavailable
from tests.labs import lab_skip

pytestmark = pytest.mark.oracle
DATA = Path(__file__).resolve().parents[1] / "data"
TYPES = ("A", "AAAA", "SRV", "PTR", "TXT", "CNAME", "SOA", "NS")
UPSTREAM = """\
$ORIGIN ichenfu.com.
@            60 IN SOA ns.ichenfu.com. hostmaster.ichenfu.com. 1 7200 1800 86400 60
@            60 IN NS  ns.ichenfu.com.
ns           60 IN A   192.0.2.53
*            60 IN A   1.2.3.4
*.c1         60 IN TXT "wildcard below c1"
deep.ent.a   60 IN A   192.0.2.7
"""
MISSING = (
    "nope.default.svc.cluster.local.",
    "svc.cluster.local.",
    "default.svc.cluster.local.",
    "pod.cluster.local.",
    "10-3-0-1.default.pod.cluster.local.",
    "x.my-pet.headless.default.svc.cluster.local.",
    "_tcp.headless.default.svc.cluster.local.",
    "_udp.headless.default.svc.cluster.local.",
    "x.foo.default.svc.cluster.local.",
    "shop.svc.cluster.local.",
    "_tcp.redis.shop.svc.cluster.local.",
    "redis-2.redis.shop.svc.cluster.local.",
    "9.9.9.9.in-addr.arpa.",
    "3.10.in-addr.arpa.",
    "login.example.com.default.svc.c1.ichenfu.com.",
    "x.c1.ichenfu.com.",
    "a.ichenfu.com.",
    "ent.a.ichenfu.com.",
    "x.ent.a.ichenfu.com.",
    "*.ichenfu.com.",
    "x.deep.ent.a.ichenfu.com.",
)

NSD_CONF = """\
server:
    ip-address: 127.0.0.1
    port: {port}
    username: ""
    chroot: ""
    zonesdir: "{dir}"
    database: ""
    zonelistfile: "{dir}/zone.list"
    xfrdfile: "{dir}/xfrd.state"
    xfrdir: "{dir}"
    pidfile: "{dir}/nsd.pid"
    logfile: "{dir}/nsd.log"
    server-count: 1
    hide-version: yes
    verbosity: 1
remote-control:
    control-enable: no
"""


def all_zones() -> tuple[Zone, ...]:
    inv = merge(
        [
            load_manifests((DATA / f).read_text(), f)
            for f in ("spec-examples.yaml", "realistic-namespace.yaml")
        ]
    )
    return (*zones(generate(inv, "cluster.local")), parse_zone(UPSTREAM, source="upstream"))


def ask(port: int, name: str, rtype: str) -> tuple[str, frozenset[tuple[str, str, str]], bool]:
    q = dns.message.make_query(name, rtype)
    try:
        r = dns.query.udp(q, "127.0.0.1", port=port, timeout=3)
    except dns.exception.Timeout:  # UDP: a stub resolver retries a lost datagram, so do we
        r = dns.query.udp(q, "127.0.0.1", port=port, timeout=3)
    answer = frozenset(
        (rr.name.to_text().lower(), dns.rdatatype.to_text(rr.rdtype), rd.to_text().lower())
        for rr in r.answer
        for rd in rr
    )
    return dns.rcode.to_text(r.rcode()), answer, bool(r.flags & dns.flags.AA)


@pytest.fixture(scope="module")
def nsd(tmp_path_factory) -> Iterator[int]:
    if lab.which("nsd") is None:  # /usr/sbin/nsd: found without root's PATH too
        lab_skip("nsd is not installed (make test installs Debian's nsd as root)")
    d = tmp_path_factory.mktemp("nsd")
    conf = NSD_CONF
    zone_conf = ""
    for z in all_zones():
        fname = (z.origin.rstrip(".") or "root") + ".zone"
        (d / fname).write_text(zone_file(z.records, z.origin))
        zone_conf += f'zone:\n    name: "{z.origin}"\n    zonefile: "{fname}"\n'

    def ready(port: int) -> bool:
        try:
            return ask(port, "cluster.local.", "SOA")[0] == "NOERROR"
        except dns.exception.Timeout:
            return False

    for _attempt in range(3):  # a released port can be taken again before NSD binds it
        port = lab.free_port()
        (d / "nsd.conf").write_text((conf + zone_conf).format(port=port, dir=d))
        try:
            proc = lab.start(
                ["nsd", "-d", "-c", str(d / "nsd.conf")],
                ready=lambda port=port: ready(port),
                what="nsd",
                log=d / "nsd.out",
                within=20,
            )
            break
        except LabUnavailable as exc:
            error = exc.reason + " " + (d / "nsd.log").read_text(errors="replace")[-500:]
    else:
        pytest.fail(f"nsd did not start: {error}")
    yield port
    lab.stop(proc, timeout=10)


@pytest.fixture(scope="module")
def ours() -> Iterator[int]:
    from infranotes.dns.zone import ZoneSet

    with DNSServer(ZoneSet(all_zones()), port=0) as srv:
        yield srv.port


def questions() -> list[tuple[str, str]]:
    names = sorted({r.owner for z in all_zones() for r in z.records} | set(MISSING))
    return [(n, t) for n in names for t in TYPES]


def test_same_answers_as_nsd(nsd: int, ours: int) -> None:
    diffs = []
    qs = questions()
    for name, rtype in qs:
        real, model = ask(nsd, name, rtype), ask(ours, name, rtype)
        if real != model:
            diffs.append(f"{name} {rtype}: nsd={real} ours={model}")
    assert len(qs) > 400
    assert not diffs, "\n".join(diffs[:20])
    seen = {(rcode, bool(answer), aa) for rcode, answer, aa in (ask(nsd, n, t) for n, t in qs)}
    # the comparison covered data, NODATA and NXDOMAIN answers, all authoritative
    assert {("NOERROR", True, True), ("NOERROR", False, True), ("NXDOMAIN", False, True)} <= seen
    assert ask(nsd, "x.c1.ichenfu.com.", "TXT")[1] == {
        ("x.c1.ichenfu.com.", "TXT", '"wildcard below c1"')
    }  # RFC 4592 synthesis, both sides
    assert ask(nsd, "ent.a.ichenfu.com.", "A")[:2] == ("NOERROR", frozenset())  # ENT blocks *


def _udp_reply(port: int, wire: bytes) -> str:
    """The rcode NSD or ours answers ``wire`` with over UDP, or "(no reply)"."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(0.5)
        s.sendto(wire, ("127.0.0.1", port))
        try:
            reply = s.recv(4096)
        except TimeoutError:
            return "(no reply)"
    return dns.rcode.to_text(reply[3] & 0xF) if len(reply) >= 12 else "(short reply)"


def test_bad_packets_sorted_like_nsd(nsd: int, ours: int) -> None:
    """Responses and runts dropped, other opcodes NOTIMP, the unparsable FORMERR: as NSD."""
    from tests.dns.test_server import BAD_PACKETS

    real = {k: _udp_reply(nsd, w) for k, w in BAD_PACKETS.items()}
    model = {k: _udp_reply(ours, w) for k, w in BAD_PACKETS.items()}
    assert model == real
    assert ask(nsd, "cluster.local.", "SOA")[0] == ask(ours, "cluster.local.", "SOA")[0]
