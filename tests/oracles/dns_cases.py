"""The resolver oracle table: resolv.conf, zone faults and a name, run through glibc and musl."""

from __future__ import annotations

from dataclasses import dataclass

NS = "nameserver 127.0.0.1\n"
K8S = "search default.svc.cluster.local svc.cluster.local cluster.local\n"
SIX = "search s1.test s2.test s3.test s4.test s5.test s6.test\n"

UNIVERSE = """\
*.wild.test.                    60 IN A     1.2.3.4
host.example.com.               60 IN A     5.6.7.8
host.example.com.               60 IN AAAA  2001:db8::8
a.b.c.d.example.com.            60 IN A     9.9.9.9
svc1.s1.test.                   60 IN A     10.0.0.1
svc1.s2.test.                   60 IN A     10.0.0.2
svc3.s3.test.                   60 IN A     10.0.0.3
deep.s6.test.                   60 IN A     10.0.0.6
v6only.s1.test.                 60 IN AAAA  2001:db8::1
txtonly.s1.test.                60 IN TXT   "no address here"
txtonly.s2.test.                60 IN A     10.0.0.22
kubernetes.default.svc.cluster.local. 60 IN A 10.96.0.1
web.svc.cluster.local.          60 IN A     10.0.0.9
web.svc.                        60 IN A     10.0.0.99
intranet.                       60 IN A     10.2.2.2
x.y.s1.test.                    60 IN A     10.0.1.1
"""


@dataclass(frozen=True)
class Case:
    id: str
    resolv_conf: str
    name: str
    servfail: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    clients: tuple[str, ...] = ("getent", "glibc", "musl")


def _o(ndots: int, extra: str = "") -> str:
    return f"options ndots:{ndots} timeout:1 attempts:1{extra}\n"


CASES: tuple[Case, ...] = (
    # The incident shape: a k8s search list, ndots:5, names with 0..4 dots.
    Case("k8s-ndots5-0dots-hit-first", NS + K8S + _o(5), "kubernetes.default"),
    Case("k8s-ndots5-1dot-hit-second", NS + K8S + _o(5), "web.svc"),
    Case("k8s-ndots5-single-label-miss", NS + K8S + _o(5), "nosuch"),
    Case("k8s-ndots5-2dots-external", NS + K8S + _o(5), "host.example.com"),
    Case("k8s-ndots5-4dots-external", NS + K8S + _o(5), "a.b.c.d.example.com"),
    Case("k8s-ndots5-trailing-dot", NS + K8S + _o(5), "host.example.com."),
    Case("k8s-ndots5-nxdomain-everywhere", NS + K8S + _o(5), "no.such.name"),
    # ndots 1..4 around the dot count of the name
    Case("ndots1-2dots-as-is-first", NS + K8S + _o(1), "host.example.com"),
    Case("ndots1-1dot-as-is-then-search", NS + K8S + _o(1), "web.svc"),
    Case("ndots2-1dot-search-first", NS + K8S + _o(2), "web.svc"),
    Case("ndots2-missing-1dot", NS + K8S + _o(2), "no.thing"),
    Case("ndots3-2dots-search-first", NS + K8S + _o(3), "host.example.com"),
    Case("ndots3-3dots-as-is-miss", NS + K8S + _o(3), "no.such.name.x"),
    Case("ndots4-4dots-as-is-hit", NS + K8S + _o(4), "a.b.c.d.example.com"),
    Case("ndots1-0dots-bare-tld", NS + K8S + _o(1), "intranet"),
    Case("ndots1-x.y-as-is-miss-then-search", NS + "search s1.test\n" + _o(1), "x.y"),
    # 0..6 search domains; the answer at several positions
    Case("no-search-single-label", NS + _o(1), "intranet"),
    Case("no-search-miss", NS + _o(1), "nosuch"),
    Case("one-search-domain-hit", NS + "search s1.test\n" + _o(1), "svc1"),
    Case("six-search-hit-position-1", NS + SIX + _o(1), "svc1"),
    Case("six-search-hit-position-3", NS + SIX + _o(1), "svc3"),
    Case("six-search-hit-position-6", NS + SIX + _o(1), "deep"),
    Case("six-search-all-miss", NS + SIX + _o(1), "nosuch"),
    Case("six-search-ndots5-external", NS + SIX + _o(5), "host.example.com"),
    # answers other than data/NXDOMAIN on a search candidate
    Case("nodata-at-position-1", NS + SIX + _o(1), "txtonly"),
    Case("aaaa-only-at-position-1", NS + SIX + _o(1), "v6only"),
    Case(
        "wildcard-catches-search-candidate",
        NS + "search dev.wild.test\n" + _o(5),
        "host.example.com",
    ),
    Case("servfail-position-1", NS + SIX + _o(1), "svc3", servfail=("s1.test",)),
    Case(
        "servfail-all-search",
        NS + "search s1.test s2.test\n" + _o(1),
        "intranet",
        servfail=("s1.test", "s2.test"),
    ),
    Case("refused-position-1", NS + SIX + _o(1), "svc3", refused=("s1.test",)),
    Case("timeout-position-2", NS + SIX + _o(1), "svc3", drop=("s2.test",)),
    Case(
        "servfail-absolute-first", NS + K8S + _o(1), "host.example.com", servfail=("example.com",)
    ),
    Case("aaaa-servfail-a-ok", NS + _o(1), "host.example.com.", servfail=("./AAAA",)),
    # option spellings and limits that change the walk
    Case(
        "ndots20-capped-15",
        NS + "search s1.test\noptions ndots:20\n",
        "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p",
    ),
    Case("domain-then-search-last-wins", NS + "domain s1.test\nsearch s2.test\n" + _o(1), "svc1"),
    Case("search-then-domain-last-wins", NS + "search s2.test\ndomain s1.test\n" + _o(1), "svc1"),
    Case("domain-with-two-words", NS + "domain s3.test s1.test\n" + _o(1), "svc1"),
    Case("no-tld-query", NS + "search s1.test\n" + _o(1, " no-tld-query"), "intranet"),
    Case("search-with-root", NS + "search s1.test .\n" + _o(1), "intranet"),
    # resolv.conf parsing differences, visible in what is asked
    Case("ndots-repeated-first-or-last", NS + "search s1.test\noptions ndots:1 ndots:3\n", "x.y"),
    Case("ndots-not-a-number", NS + "search s1.test\noptions ndots:abc\n", "svc1"),
    Case("leading-blank-options-ignored", NS + "search s1.test\n  options ndots:3\n", "x.y"),
    Case(
        "search-line-416-chars",
        NS + "search " + " ".join(f"d{i}.{'a' * 40}.example" for i in range(1, 9)) + "\n" + _o(1),
        "nosuch",
    ),
)
