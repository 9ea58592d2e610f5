"""The resolver oracle table: resolv.conf, zone faults and a name, run through glibc and musl."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    env: dict[str, str] = field(default_factory=dict)


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


# -- the edges: candidates that cannot be encoded, ndots values atoi() accepts, the
#    environment, repeated domains (issue 17). Lengths are of the text without its final dot.
N243 = ".".join(["c" * 59] * 4) + ".ccc"  # 243 characters, 4 dots: searched under ndots:9
L64 = "a" * 64
D249 = ".".join(["b" * 63] * 3) + "." + "b" * 57  # a 249-character search domain
D247 = D249[2:]  # "s1.test" (8 bytes with its NUL) + 248 fills _res.defdname exactly
D200 = D249[49:]
Q = "options timeout:1 attempts:1\n"


def _n9(search: str) -> str:
    return NS + f"search {search}\noptions ndots:9 timeout:1 attempts:1\n"


EDGE_CASES: tuple[Case, ...] = (
    Case("label64-second-domain", NS + f"search s1.test {L64}.test s2.test\n" + Q, "nosuch"),
    Case("label64-dotted-name-as-is-first", NS + f"search s1.test {L64}.t s3.test\n" + Q, "svc3.x"),
    Case(
        "label64-first-no-tld-query",
        NS + f"search {L64}.t s1.test\noptions no-tld-query timeout:1 attempts:1\n",
        "svc1",
    ),
    Case("root-then-label64", NS + f"search . {L64}.t\n" + Q, "nosuch"),
    Case("candidate-253-chars-sent", _n9("s2.test.a s1.test"), N243),
    Case("candidate-254-chars", _n9("s2.test.ab s1.test"), N243),
    Case("candidate-255-chars", _n9("s2.test.abc s1.test"), N243),
    Case("candidate-256-chars-musl-skips", _n9("s2.test.abcd s1.test"), N243),
    Case("candidate-253-plus-final-dot", _n9("s2.test.a. s1.test"), N243),
    Case("candidate-254-plus-final-dot", _n9("s2.test.ab. s1.test"), N243),
    Case("empty-label-in-domain", NS + "search s1..test s2.test\n" + Q, "svc1"),
    Case("leading-dot-domain", NS + "search .s2.test s1.test\n" + Q, "svc1"),
    Case("two-final-dots-domain", NS + "search s2.test.. s1.test\n" + Q, "svc1"),
    Case(
        "ndots-minus-1",
        NS + "search s1.test\noptions ndots:-1 timeout:1 attempts:1\n",
        "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o",
    ),
    Case("ndots-minus-16", NS + "search s1.test\noptions ndots:-16 timeout:1 attempts:1\n", "svc1"),
    Case(
        "ndots-minus-3",
        NS + "search s1.test\noptions ndots:-3 timeout:1 attempts:1\n",
        "x.y.s1.test.q.r.s.t.u.v.w.x.y",
    ),
    Case("ndots-2-pow-32-plus-1", NS + "search s1.test\noptions ndots:4294967297 " + Q[8:], "x.y"),
    Case(
        "ndots-beyond-long",
        NS + "search s1.test\noptions ndots:99999999999999999999 " + Q[8:],
        "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o",
    ),
    Case(
        "ndots-blank-then-value",
        NS + "search s1.test\noptions ndots: 3 timeout:1 attempts:1\n",
        "x.y",
    ),
    Case("res-options-ndots", NS + "search s1.test\n" + Q, "x.y", env={"RES_OPTIONS": "ndots:2"}),
    Case(
        "res-options-after-file",
        NS + "search s1.test\noptions ndots:5 timeout:1 attempts:1\n",
        "x.y",
        env={"RES_OPTIONS": "ndots:1"},
    ),
    Case(
        "localdomain-replaces-search",
        NS + "search s1.test\n" + Q,
        "svc1",
        env={"LOCALDOMAIN": "s3.test s2.test"},
    ),
    Case("localdomain-empty-is-root", NS + "search s1.test\n" + Q, "svc1", env={"LOCALDOMAIN": ""}),
    Case(
        "localdomain-leading-blank",
        NS + "search s1.test\n" + Q,
        "svc1",
        env={"LOCALDOMAIN": " s2.test"},
    ),
    Case("repeated-domain-all-miss", NS + "search s1.test s1.test s2.test s1.test\n" + Q, "nosuch"),
    Case("repeated-domain-hit-after", NS + "search s2.test s2.test s3.test\n" + Q, "svc3"),
    Case("repeated-domain-nodata", NS + "search s1.test s1.test s2.test\n" + Q, "txtonly"),
    Case("glibc-aborts-defdname-cut", NS + f"search s1.test {D249}\n" + Q, "svc1"),
    Case("glibc-aborts-localdomain", NS + Q, "svc1", env={"LOCALDOMAIN": f"s1.test {D249}"}),
    Case("no-abort-after-56-bytes", NS + f"search s1.test {'e' * 45}.test {D200}\n" + Q, "svc3"),
    Case("defdname-exactly-full", NS + f"search s1.test {D247}\n" + Q, "svc3"),
)
