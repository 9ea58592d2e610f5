"""Generated filter chains of conntrack and iprange matches (with ``!``), against the kernel.

Hypothesis writes FORWARD chains of conntrack tuple/port/status/direction and iprange tests,
each negated or not, behind a DNAT; the kernel's trace (xtables-monitor) and the tracer's
path must be the same, step for step. One namespace lab serves every example (the ruleset
is reloaded); derandomized, so the examples are the same on every run.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infranotes.netfilter import Tracer, parse_iptables_save, parse_packet
from infranotes.netfilter.lab import NetfilterLab

from .conftest import require
from .netfilter_cases import small

pytestmark = pytest.mark.oracle

DNAT = (
    "-A PREROUTING -d 10.96.7.7/32 -p tcp -m tcp --dport 80 "
    "-j DNAT --to-destination 10.244.1.2:8080"
)
ADDRS = ["10.0.0.5", "10.0.0.0/24", "10.0.1.0/24", "10.96.7.7", "10.244.1.2", "10.244.0.0/16"]
PORTS = ["80", "8080", "1024:65535", "1:1023", "42000:42999"]
CT_VALUES = {
    "ctorigsrc": ADDRS,
    "ctorigdst": ADDRS,
    "ctreplsrc": ADDRS,
    "ctrepldst": ADDRS,
    "ctorigsrcport": PORTS,
    "ctorigdstport": PORTS,
    "ctreplsrcport": PORTS,
    "ctrepldstport": PORTS,
    "ctstatus": ["CONFIRMED", "SEEN_REPLY", "ASSURED", "EXPECTED", "NONE", "SEEN_REPLY,ASSURED"],
    "ctstate": ["NEW", "DNAT", "ESTABLISHED", "NEW,RELATED", "SNAT"],
}
RANGES = ["10.0.0.1-10.0.0.9", "10.0.0.6-10.0.0.9", "10.244.1.2", "10.96.7.0-10.96.7.255"]


@st.composite
def match(draw) -> str:
    if draw(st.integers(0, 3)) == 0:
        opts = []
        for name in draw(
            st.lists(
                st.sampled_from(["src-range", "dst-range"]), min_size=1, max_size=2, unique=True
            )
        ):
            neg = "! " if draw(st.booleans()) else ""
            opts.append(f"{neg}--{name} {draw(st.sampled_from(RANGES))}")
        return "-m iprange " + " ".join(opts)
    names = draw(
        st.lists(
            st.sampled_from([*sorted(CT_VALUES), "ctdir"]), min_size=1, max_size=3, unique=True
        )
    )
    opts = []
    for name in names:
        if name == "ctdir":  # iptables refuses "! --ctdir"
            opts.append(f"--ctdir {draw(st.sampled_from(['ORIGINAL', 'REPLY']))}")
            continue
        neg = "! " if draw(st.booleans()) else ""
        opts.append(f"{neg}--{name} {draw(st.sampled_from(CT_VALUES[name]))}")
    return "-m conntrack " + " ".join(opts)


@st.composite
def chain(draw) -> str:
    rules = []
    for _ in range(draw(st.integers(2, 4))):
        target = draw(st.sampled_from(["ACCEPT", "DROP", 'LOG --log-prefix "gen "']))
        rules.append(f"-A FORWARD {draw(match())} -j {target}")
    return "\n".join(rules)


@pytest.fixture(scope="module")
def lab():
    require("ip", "iptables-nft-restore", "xtables-monitor", "nft", "conntrack", "stdbuf")
    with NetfilterLab(small(nat=DNAT, filt="-A FORWARD -j ACCEPT")) as lab:
        yield lab


PORT = itertools.count(43000)


@settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(filt=chain(), policy=st.sampled_from(["ACCEPT", "DROP"]), via_service=st.booleans())
def test_generated_conntrack_and_iprange_chains(lab, filt: str, policy: str, via_service) -> None:
    rules = small(nat=DNAT, filt=filt, fwd_policy=policy)
    dst = "10.96.7.7:80" if via_service else "10.244.1.2:80"
    packet = parse_packet(f"tcp 10.0.0.5:{next(PORT)} > {dst} iif eth0")
    lab.reload(rules)
    kernel = lab.send(packet)
    (branch,) = Tracer(parse_iptables_save(rules), lab.node()).trace(packet).branches
    k = [(s.hook, s.table, s.chain, s.rule, s.verdict) for s in kernel.steps]
    m = [(s.hook, s.table, s.chain, s.rule, s.verdict) for s in branch.steps]
    assert not branch.undecided, branch.fate
    assert k == m, f"{rules}\nkernel: {k}\nmodel:  {m}"
