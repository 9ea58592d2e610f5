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


# Issue 17: cases written for the matches the tracer learned (conntrack beyond --ctstate,
# iprange, helper, hashlimit, policy, rpfilter, NETMAP/TCPMSS), each run against the kernel.
FWD_DROP = "DROP"
DNAT_7_7 = (
    "-A PREROUTING -d 10.96.7.7/32 -p tcp -m tcp --dport 80 "
    "-j DNAT --to-destination 10.244.1.2:8080"
)
NOTRACK_53 = "-A PREROUTING -p udp -m udp --dport 53 -j CT --notrack"
NF_CASES_17 = (
    NFCase(
        "ct-origsrc-negated",
        small(
            filt="""-A FORWARD -m conntrack ! --ctorigsrc 10.0.0.0/24 -j DROP
                -A FORWARD -m conntrack --ctorigsrc 10.0.0.0/24 -j ACCEPT""",
            fwd_policy=FWD_DROP,
        ),
        "tcp 10.0.0.5:41001 > 10.244.1.2:80 iif eth0",
    ),
    NFCase(
        "ct-replsrc-after-dnat",
        small(
            nat=DNAT_7_7,
            filt="""-A FORWARD -m conntrack --ctreplsrc 10.96.7.7 -j DROP
                -A FORWARD -m conntrack --ctreplsrc 10.244.1.2 --ctreplsrcport 8080 -j ACCEPT""",
            fwd_policy=FWD_DROP,
        ),
        "tcp 10.0.0.5:41002 > 10.96.7.7:80 iif eth0",
    ),
    NFCase(
        "ct-repldst-and-port",
        small(
            filt="""-A FORWARD -m conntrack --ctrepldst 10.0.0.6 -j DROP
                -A FORWARD -m conntrack --ctrepldst 10.0.0.5 \
--ctrepldstport 41000:41100 -j ACCEPT""",
            fwd_policy=FWD_DROP,
        ),
        "tcp 10.0.0.5:41003 > 10.244.1.2:80 iif eth0",
    ),
    NFCase(
        "ct-orig-ports-survive-dnat",
        small(
            nat=DNAT_7_7,
            filt="""-A FORWARD -m conntrack --ctorigdstport 8080 -j DROP
                -A FORWARD -m conntrack --ctorigdstport 80 --ctorigsrcport 1024:65535 -j ACCEPT""",
            fwd_policy=FWD_DROP,
        ),
        "tcp 10.0.0.5:41004 > 10.96.7.7:80 iif eth0",
    ),
    NFCase(
        "ct-orig-dst-negated-after-dnat",
        small(
            nat=DNAT_7_7,
            filt="""-A FORWARD -m conntrack ! --ctorigdst 10.96.7.7 -j DROP
                -A FORWARD -m conntrack ! --ctreplsrcport 80 -j ACCEPT""",
            fwd_policy=FWD_DROP,
        ),
        "tcp 10.0.0.5:41005 > 10.96.7.7:80 iif eth0",
    ),
    NFCase(
        "ct-status-of-a-new-connection",
        small(
            filt="""-A FORWARD -m conntrack --ctstatus CONFIRMED -j DROP
                -A FORWARD -m conntrack --ctstatus NONE -j DROP
                -A FORWARD -m conntrack --ctstatus EXPECTED,SEEN_REPLY -j DROP
                -A FORWARD -m conntrack ! --ctstatus ASSURED -j ACCEPT""",
            fwd_policy=FWD_DROP,
        ),
        "tcp 10.0.0.5:41006 > 10.244.1.2:80 iif eth0",
    ),
    NFCase(
        "ct-dir",
        small(
            filt="""-A FORWARD -m conntrack --ctdir REPLY -j DROP
                -A FORWARD -m conntrack --ctdir ORIGINAL -j ACCEPT""",
            fwd_policy=FWD_DROP,
        ),
        "udp 10.0.0.5:41007 > 10.244.1.2:5353 iif eth0",
    ),
    NFCase(
        "ct-untracked-state-test-decides-alone",
        small(
            raw=NOTRACK_53,
            filt="-A FORWARD -m conntrack --ctstate UNTRACKED --ctorigdst 203.0.113.9 -j ACCEPT",
            fwd_policy=FWD_DROP,
        ),
        "udp 10.0.0.5:41008 > 10.244.1.2:53 iif eth0",
    ),
    NFCase(
        "ct-untracked-without-state-never-matches",
        small(
            raw=NOTRACK_53,
            filt="""-A FORWARD -m conntrack ! --ctorigdst 203.0.113.9 -j DROP
                -A FORWARD -m conntrack --ctstate UNTRACKED -j ACCEPT""",
            fwd_policy=FWD_DROP,
        ),
        "udp 10.0.0.5:41009 > 10.244.1.2:53 iif eth0",
    ),
    NFCase(
        "iprange-src",
        small(
            filt="""-A FORWARD -m iprange --src-range 10.0.0.6-10.0.0.9 -j DROP
                -A FORWARD -m iprange --src-range 10.0.0.1-10.0.0.5 -j ACCEPT""",
            fwd_policy=FWD_DROP,
        ),
        "tcp 10.0.0.5:41010 > 10.244.1.2:80 iif eth0",
    ),
    NFCase(
        "iprange-dst-negated-and-single",
        small(
            filt="""-A FORWARD -m iprange ! --dst-range 10.244.1.0-10.244.1.255 -j DROP
                -A FORWARD -m iprange --src-range 10.0.0.5 --dst-range 10.244.1.2 -j ACCEPT""",
            fwd_policy=FWD_DROP,
        ),
        "tcp 10.0.0.5:41011 > 10.244.1.2:80 iif eth0",
    ),
    NFCase(
        "iprange-in-nat",
        small(
            nat="""-A PREROUTING -p tcp -m iprange --dst-range 10.96.0.60-10.96.0.69 -j RETURN
                -A PREROUTING -p tcp -m iprange --dst-range 10.96.0.1-10.96.0.50 \
-j DNAT --to-destination 10.244.1.3:80"""
        ),
        "tcp 10.0.0.5:41012 > 10.96.0.33:80 iif eth0",
    ),
    NFCase(
        "helper-none-attached",
        small(
            filt="""-A FORWARD -m helper --helper ftp -j DROP
                -A FORWARD -m helper ! --helper sip -j ACCEPT""",
            fwd_policy=FWD_DROP,
        ),
        "tcp 10.0.0.5:41013 > 10.244.1.2:21 iif eth0",
    ),
    NFCase(
        "hashlimit-first-packet",
        small(
            filt="""-A FORWARD -m hashlimit --hashlimit-above 1/sec --hashlimit-burst 1 \
--hashlimit-mode srcip --hashlimit-name inf1 -j DROP
                -A FORWARD -m hashlimit --hashlimit-upto 5/sec --hashlimit-name inf2 -j ACCEPT""",
            fwd_policy=FWD_DROP,
        ),
        "tcp 10.0.0.5:41014 > 10.244.1.2:80 iif eth0",
    ),
    NFCase(
        "policy-no-ipsec",
        small(
            filt="""-A FORWARD -m policy --dir in --pol ipsec -j DROP
                -A FORWARD -m policy --dir in --pol none -j ACCEPT""",
            fwd_policy=FWD_DROP,
        ),
        "tcp 10.0.0.5:41015 > 10.244.1.2:80 iif eth0",
    ),
    NFCase(
        "rpfilter-strict",
        small(
            raw="-A PREROUTING -m rpfilter --invert -j DROP",
            mangle="-A PREROUTING -m rpfilter -j MARK --set-xmark 0x1/0x1",
            filt="-A FORWARD -m mark --mark 0x1/0x1 -j ACCEPT",
            fwd_policy=FWD_DROP,
        ),
        "tcp 10.0.0.5:41016 > 10.244.1.2:80 iif eth0",
    ),
    NFCase(
        "netmap-and-tcpmss",
        small(
            nat="-A PREROUTING -d 10.96.9.0/24 -j NETMAP --to 10.244.1.0/24",
            mangle="-A FORWARD -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu",
        ),
        "tcp 10.0.0.5:41017 > 10.96.9.7:80 iif eth0",
    ),
    NFCase(
        "sctp-port-unknown-proto",
        small(filt="-A FORWARD -p sctp -m sctp --dport 80 -j DROP", fwd_policy="ACCEPT"),
        "tcp 10.0.0.5:41018 > 10.244.1.2:80 iif eth0",
    ),
)

# Rules shaped like the survey's writers (Calico, flannel, Docker, firewalld), against the kernel.
NF_CASES_SURVEY = (
    NFCase(
        "calico-mark-clear-and-connmark-masks",
        small(
            mangle="""-A PREROUTING -m mark --mark 0x0/0x10000 \
-j MARK --set-xmark 0x11234/0xffffffff
                  -A PREROUTING -j CONNMARK --save-mark --nfmask 0xff --ctmask 0xf0
                  -A FORWARD -j CONNMARK --restore-mark --nfmask 0xf00 --ctmask 0xf0""",
            filt="""-A FORWARD -m connmark ! --mark 0x34/0xff -j DROP
                -A FORWARD -m mark --mark 0x11034/0xffffffff -j ACCEPT""",
            fwd_policy=FWD_DROP,
        ),
        "tcp 10.0.0.5:41040 > 10.244.1.2:80 iif eth0",
    ),
    NFCase(
        "calico-multiport-source-ports-and-limit",
        small(
            filt="""-A FORWARD -p tcp -m multiport --source-ports 1:1024 -j DROP
                -A FORWARD -p tcp -m multiport --source-ports 5,41000:41100 \
-m limit --limit 5/sec --limit-burst 5 -j ACCEPT""",
            fwd_policy=FWD_DROP,
        ),
        "tcp 10.0.0.5:41041 > 10.244.1.2:80 iif eth0",
    ),
    NFCase(
        "flannel-masquerade-random-fully",
        small(
            nat="""-A POSTROUTING -s 10.0.0.0/24 -d 10.244.0.0/16 -o cni0 -j RETURN
                -A POSTROUTING -s 10.0.0.0/24 ! -d 224.0.0.0/4 -j MASQUERADE --random-fully"""
        ),
        "tcp 10.0.0.5:41042 > 10.244.1.2:80 iif eth0",
    ),
    NFCase(
        "calico-addrtype-limit-iface-out",
        small(
            nat="""-A POSTROUTING -m addrtype --src-type LOCAL --limit-iface-out -j RETURN
                -A POSTROUTING -o eth0 -m addrtype ! --src-type LOCAL --limit-iface-out \
-j MASQUERADE"""
        ),
        "tcp 10.0.0.5:41043 > 10.244.1.2:80 iif eth0",
    ),
    NFCase(
        "docker-published-port",
        small(
            nat="""-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
                -A DOCKER -i cni0 -j RETURN
                -A DOCKER ! -i cni0 -p tcp -m tcp --dport 8080 \
-j DNAT --to-destination 10.244.1.30:80""",
            filt="""-A FORWARD -j DOCKER-USER
                -A FORWARD -o cni0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                -A FORWARD -o cni0 -j DOCKER
                -A DOCKER -d 10.244.1.30/32 ! -i cni0 -o cni0 -p tcp -m tcp --dport 80 -j ACCEPT
                -A DOCKER-USER -j RETURN""",
            fwd_policy=FWD_DROP,
            chains={"nat": "DOCKER", "filter": "DOCKER DOCKER-USER"},
        ),
        "tcp 10.0.0.5:41044 > 192.0.2.1:8080 iif eth0",
    ),
    NFCase(
        "firewalld-default-reject",
        small(
            raw="-A PREROUTING -m rpfilter --invert -j DROP",
            filt="""-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -j ACCEPT
                -A FORWARD -i lo -j ACCEPT
                -A FORWARD -m conntrack --ctstate INVALID -j DROP
                -A FORWARD -m limit --limit 1/min -j LOG --log-prefix "FINAL_REJECT: "
                -A FORWARD -j REJECT --reject-with icmp-host-prohibited""",
        ),
        "tcp 10.0.0.5:41045 > 10.244.1.2:80 iif eth0",
    ),
    NFCase(
        "firewalld-ct-helper-then-helper-match",
        small(
            raw="-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp",
            filt="""-A FORWARD -m helper --helper sip -j DROP
                -A FORWARD -m helper --helper ftp -j ACCEPT""",
            fwd_policy=FWD_DROP,
        ),
        "tcp 10.0.0.5:41046 > 10.244.1.2:21 iif eth0",
    ),
)

# The tracer stops with UNDECIDED at these rules: the kernel's path must agree up to there.
NF_UNDECIDED_17 = (
    NFCase(
        "undecided-socket",
        small(
            mangle="""-A PREROUTING -p tcp -m tcp --dport 81 -j ACCEPT
                  -A PREROUTING -p tcp -m socket --transparent -j MARK --set-xmark 0x200/0x200"""
        ),
        "tcp 10.0.0.5:41030 > 10.244.1.2:80 iif eth0",
    ),
    NFCase(
        "undecided-connlimit",
        small(
            filt="""-A FORWARD -p tcp -m tcp --dport 80 -j LOG --log-prefix "seen "
                -A FORWARD -p tcp -m connlimit --connlimit-above 10 -j DROP"""
        ),
        "tcp 10.0.0.5:41031 > 10.244.1.2:80 iif eth0",
    ),
)


@dataclass(frozen=True)
class NFSequence:
    """New connections one after another; the kernel keeps recent lists and nth counters."""

    id: str
    rules: str
    packets: tuple[str, ...]


def _udp(n: int, first: int, dst: str) -> tuple[str, ...]:
    return tuple(f"udp 10.0.0.5:{first + i} > {dst} iif eth0" for i in range(n))


NTH = small(
    nat="""-A PREROUTING -d 10.96.5.5/32 -p udp -m udp --dport 53 -m statistic --mode nth \
--every 3 --packet 1 -j DNAT --to-destination 10.244.1.11:53
        -A PREROUTING -d 10.96.5.5/32 -p udp -m udp --dport 53 -m statistic --mode nth \
--every 2 --packet 0 -j DNAT --to-destination 10.244.1.12:53
        -A PREROUTING -d 10.96.5.5/32 -p udp -m udp --dport 53 -j DNAT \
--to-destination 10.244.1.13:53"""
)
NTH_INVERTED = small(
    nat="""-A PREROUTING -d 10.96.5.6/32 -p udp -m udp --dport 53 -m statistic --mode nth \
! --every 4 --packet 2 -j DNAT --to-destination 10.244.1.14:53
        -A PREROUTING -d 10.96.5.6/32 -p udp -m udp --dport 53 -j DNAT \
--to-destination 10.244.1.15:53"""
)
HITCOUNT = small(
    nat="""-A PREROUTING -d 10.96.5.7/32 -p udp -m recent --rcheck --hitcount 3 --name inf \
-j DNAT --to-destination 10.244.1.16:53
        -A PREROUTING -d 10.96.5.7/32 -p udp -m recent --set --name inf \
-j DNAT --to-destination 10.244.1.17:53"""
)
NF_SEQUENCES_17 = (
    NFSequence("nth-three-rules", NTH, _udp(7, 42000, "10.96.5.5:53")),
    NFSequence("nth-inverted", NTH_INVERTED, _udp(5, 42100, "10.96.5.6:53")),
    NFSequence("recent-hitcount", HITCOUNT, _udp(5, 42200, "10.96.5.7:53")),
    NFSequence(
        "kp-session-affinity-sticks",
        GENERATED,
        tuple(f"tcp 10.0.0.5:{42300 + i} > 10.96.0.24:80 iif eth0" for i in range(4)),
    ),
)
