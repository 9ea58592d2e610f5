"""Rulesets and packets the tracer is held to against the kernel (tests/oracles)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from infranotes.netfilter import scenarios

DATA = Path(__file__).resolve().parents[1] / "data" / "netfilter"
SAMPLE = (DATA / "kube-proxy-sample.rules").read_text()
DNS3 = (DATA / "dns-3-endpoints-udp.rules").read_text()

GENERATED = scenarios.RULES  # the notebook's cluster: every kube-proxy path it shows


def small(
    nat: str = "",
    filt: str = "",
    raw: str = "",
    mangle: str = "",
    fwd_policy: str = "ACCEPT",
    chains: dict[str, str] | None = None,
) -> str:
    """A ruleset with the given rule lines per table (user chains declared from ``chains``)."""
    chains = chains or {}
    out = []
    for table, base, rules in (
        ("raw", ("PREROUTING", "OUTPUT"), raw),
        ("mangle", ("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"), mangle),
        ("nat", ("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"), nat),
        ("filter", ("INPUT", "FORWARD", "OUTPUT"), filt),
    ):
        if not rules and table not in ("filter",):
            continue
        out.append(f"*{table}")
        for b in base:
            pol = fwd_policy if (table, b) == ("filter", "FORWARD") else "ACCEPT"
            out.append(f":{b} {pol} [0:0]")
        for c in chains.get(table, "").split():
            out.append(f":{c} - [0:0]")
        out += [line.strip() for line in rules.strip().splitlines() if line.strip()]
        out.append("COMMIT")
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class NFCase:
    id: str
    rules: str
    packet: str


NF_CASES = (
    NFCase("sample-clusterip-from-outside", SAMPLE, "tcp 10.0.0.5:40001 > 10.96.0.10:80 iif eth0"),
    NFCase("sample-clusterip-from-node", SAMPLE, "tcp 192.0.2.1:40002 > 10.96.0.10:80 local"),
    NFCase("sample-direct-to-pod-dropped", SAMPLE, "tcp 10.0.0.5:40003 > 10.244.1.2:8080 iif eth0"),
    NFCase("sample-to-the-node-itself", SAMPLE, "tcp 10.0.0.5:40004 > 192.0.2.1:22 iif eth0"),
    NFCase("sample-other-port-no-nat", SAMPLE, "tcp 10.0.0.5:40005 > 10.96.0.10:81 iif eth0"),
    NFCase("dns-udp-three-endpoints", DNS3, "udp 10.0.0.5:40006 > 10.96.0.10:53 iif eth0"),
    NFCase("dns-udp-other-port", DNS3, "udp 10.0.0.5:40007 > 10.96.0.10:54 iif eth0"),
    NFCase("kp-clusterip", GENERATED, "tcp 10.0.0.5:40010 > 10.96.0.20:80 iif eth0"),
    NFCase("kp-clusterip-from-pod", GENERATED, "tcp 10.244.1.5:40011 > 10.96.0.20:80 iif cni0"),
    NFCase("kp-hairpin", GENERATED, "tcp 10.244.1.5:40012 > 10.96.0.21:443 iif cni0"),
    NFCase(
        "kp-nodeport-cluster-policy", GENERATED, "tcp 10.0.0.5:40013 > 192.0.2.1:30080 iif eth0"
    ),
    NFCase(
        "kp-nodeport-local-with-endpoint",
        GENERATED,
        "tcp 10.0.0.5:40014 > 192.0.2.1:30443 iif eth0",
    ),
    NFCase(
        "kp-nodeport-local-no-endpoint", GENERATED, "tcp 10.0.0.5:40015 > 192.0.2.1:30900 iif eth0"
    ),
    NFCase("kp-no-endpoints-rejected", GENERATED, "tcp 10.0.0.5:40016 > 10.96.0.23:80 iif eth0"),
    NFCase("kp-session-affinity", GENERATED, "tcp 10.0.0.5:40017 > 10.96.0.24:80 iif eth0"),
    NFCase("kp-dns-udp-from-node", GENERATED, "udp 192.0.2.1:40018 > 10.96.0.10:53 local"),
    NFCase("kp-nodeport-from-node", GENERATED, "tcp 192.0.2.1:40019 > 192.0.2.1:30080 local"),
    NFCase(
        "raw-notrack-skips-nat",
        small(
            raw="-A PREROUTING -p udp -m udp --dport 53 -j CT --notrack",
            nat="-A PREROUTING -p udp -m udp --dport 53 -j DNAT --to-destination 10.244.1.2:53",
            filt="-A FORWARD -m conntrack --ctstate UNTRACKED -j ACCEPT",
        ),
        "udp 10.0.0.5:40020 > 10.96.0.99:53 iif eth0",
    ),
    NFCase(
        "mangle-mark-then-filter-drop",
        small(
            mangle="-A PREROUTING -p tcp -m multiport --dports 25,465,587 "
            "-j MARK --set-xmark 0x7/0xff",
            filt="-A FORWARD -m mark --mark 0x7/0xff -j DROP",
        ),
        "tcp 10.0.0.5:40021 > 10.244.1.2:587 iif eth0",
    ),
    NFCase(
        "goto-and-return",
        small(
            filt="""-A FORWARD -i eth+ -g CHECK
                -A FORWARD -j ACCEPT
                -A CHECK -s 10.0.0.0/8 -j RETURN
                -A CHECK -j DROP""",
            fwd_policy="DROP",
            chains={"filter": "CHECK"},
        ),
        "tcp 10.0.0.5:40022 > 10.244.1.2:80 iif eth0",
    ),
    NFCase(
        "ctstate-dnat-in-forward",
        small(
            nat="-A PREROUTING -d 10.96.7.7/32 -p tcp -m tcp --dport 80 "
            "-j DNAT --to-destination 10.244.1.2:8080",
            filt="""-A FORWARD -m conntrack --ctstate DNAT -m conntrack --ctorigdst 10.96.7.7 \
                -j LOG --log-prefix "dnat "
                -A FORWARD -m conntrack --ctstate DNAT -j ACCEPT""",
            fwd_policy="DROP",
        ),
        "tcp 10.0.0.5:40023 > 10.96.7.7:80 iif eth0",
    ),
    NFCase(
        "redirect-to-local-port",
        small(
            nat="-A PREROUTING -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 8080",
            filt="-A INPUT -p tcp -m tcp --dport 8080 -j ACCEPT",
        ),
        "tcp 10.0.0.5:40024 > 10.244.9.9:80 iif eth0",
    ),
    NFCase(
        "snat-to-source",
        small(nat="-A POSTROUTING -s 10.0.0.0/24 -o cni0 -j SNAT --to-source 192.0.2.2"),
        "tcp 10.0.0.5:40025 > 10.244.1.2:80 iif eth0",
    ),
    NFCase(
        "icmp-echo-filtered",
        small(
            filt="""-A FORWARD -p icmp -m icmp --icmp-type 0 -j ACCEPT
                -A FORWARD -p icmp -m icmp --icmp-type echo-request -j DROP"""
        ),
        "icmp 10.0.0.5 > 10.244.1.2 iif eth0",
    ),
    NFCase(
        "negation-and-addrtype",
        small(
            nat="-A PREROUTING -m addrtype ! --dst-type LOCAL -j RETURN",
            filt="""-A INPUT ! -s 10.0.0.0/8 -j DROP
                -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT""",
        ),
        "tcp 10.0.0.5:40026 > 192.0.2.1:22 iif eth0",
    ),
    NFCase(
        "connmark-save-restore",
        small(
            mangle="""-A PREROUTING -j CONNMARK --restore-mark
                  -A PREROUTING -p tcp -m tcp --dport 443 -j MARK --set-xmark 0x2/0xffffffff
                  -A PREROUTING -j CONNMARK --save-mark
                  -A FORWARD -m connmark --mark 0x2 -j ACCEPT"""
        ),
        "tcp 10.0.0.5:40027 > 10.244.1.2:443 iif eth0",
    ),
)
