"""Which matches and targets the common iptables writers emit, and what the tracer does with each.

Read from their sources (issue 17): every ``-m MODULE`` and ``-j TARGET`` that kube-proxy
(iptables mode), Calico felix, Cilium (iptables mode), flannel, Docker (moby's bridge
driver) and firewalld's iptables backend write. Each is either *modelled* (the tracer
evaluates it) or *undecided* (the trace stops at the rule with an explicit "unsupported
match X in rule N" verdict, because the answer depends on something a packet trace does
not have: local sockets, a userspace queue, other connections). The example rule of each
entry is traced by the tests, so the table cannot drift from the code.
"""

from __future__ import annotations

from dataclasses import dataclass

K8S = "kubernetes pkg/proxy/iptables/proxier.go (syncProxyRules, writeServiceToEndpointRules)"
CALICO_M = "calico felix/iptables/match_builder.go (matchCriteria)"
CALICO_A = "calico felix/iptables/actions.go (ToFragment)"
CILIUM = "cilium pkg/datapath/iptables/iptables.go (InstallRules, inboundProxyRedirectRule)"
FLANNEL = "flannel pkg/trafficmngr/iptables/iptables.go (masqRules, forwardRules)"
DOCKER = "moby libnetwork/drivers/bridge (setup_ip_tables.go; iptablesdoc/generated/*.md)"
FIREWALLD = "firewalld src/firewall/core/ipXtables.py (build_default_rules, rich rules)"


@dataclass(frozen=True)
class SurveyEntry:
    """One match or target a project emits, an example rule, and the tracer's answer."""

    source: str
    kind: str  # "match" or "target"
    name: str  # "-m conntrack --ctstate" or "-j MASQUERADE --random-fully"
    example: str  # a rule (without -A CHAIN) in iptables-save form
    table: str  # where the example is valid
    status: str  # "modelled" or "undecided"
    note: str = ""


def _m(src: str, name: str, ex: str, status: str = "modelled", note: str = "", t: str = "filter"):
    return SurveyEntry(src, "match", name, ex, t, status, note)


def _t(src: str, name: str, ex: str, status: str = "modelled", note: str = "", t: str = "filter"):
    return SurveyEntry(src, "target", name, ex, t, status, note)


SURVEY: tuple[SurveyEntry, ...] = (
    # kube-proxy, iptables mode
    _m(K8S, "-s/-d/-p/-i/-o with !", "! -s 10.244.0.0/16 -d 10.96.0.10/32 -p tcp -j ACCEPT"),
    _m(K8S, "-m comment --comment", '-m comment --comment "ns/svc:port" -j ACCEPT'),
    _m(K8S, "-m tcp/-m udp/-m sctp --dport", "-p tcp -m tcp --dport 80 -j ACCEPT"),
    _m(K8S, "-m addrtype --dst-type LOCAL", "-m addrtype --dst-type LOCAL -j ACCEPT"),
    _m(K8S, "-m mark --mark 0x4000/0x4000", "-m mark ! --mark 0x4000/0x4000 -j RETURN"),
    _m(K8S, "-m conntrack --ctstate INVALID", "-m conntrack --ctstate INVALID -j DROP"),
    _m(
        K8S,
        "-m statistic --mode random --probability",
        "-m statistic --mode random --probability 0.33333333349 -j ACCEPT",
        note="exact fraction: the simplest one the kernel's 31-bit threshold cannot tell apart",
    ),
    _m(
        K8S,
        "-m recent --rcheck --seconds --reap / --set --rsource --mask",
        "-m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-X --mask 255.255.255.255 "
        "--rsource -j ACCEPT",
        note="state per list; first packet vs later ones (Tracer.sequence, --seen)",
        t="nat",
    ),
    _t(K8S, "-j KUBE-MARK-MASQ/MARK --or-mark", "-j MARK --or-mark 0x4000", t="nat"),
    _t(K8S, "-j MARK --xor-mark", "-j MARK --xor-mark 0x4000", t="nat"),
    _t(K8S, "-j MASQUERADE --random-fully", "-o eth0 -j MASQUERADE --random-fully", t="nat"),
    _t(K8S, "-j DNAT --to-destination", "-p tcp -j DNAT --to-destination 10.244.1.2:8080", t="nat"),
    _t(K8S, "-j REJECT --reject-with icmp-port-unreachable", "-j REJECT"),
    _t(K8S, "-j DROP / ACCEPT / RETURN", "-j RETURN"),
    # Calico felix
    _m(CALICO_M, "-m mark --mark 0/0x... (MarkClear)", "-m mark --mark 0x0/0x10000 -j ACCEPT"),
    _m(
        CALICO_M,
        "-m rpfilter --validmark [--accept-local]",
        "-m rpfilter --validmark -j ACCEPT",
        t="raw",
    ),
    _m(
        CALICO_M,
        "-m rpfilter --invert --validmark",
        "-m rpfilter --invert --validmark -j DROP",
        t="raw",
    ),
    _m(
        CALICO_M,
        "-m ipvs --ipvs",
        "-m ipvs --ipvs -j ACCEPT",
        "undecided",
        "reads IPVS state (kube-proxy IPVS mode only)",
    ),
    _m(
        CALICO_M,
        "-m addrtype ! --src-type --limit-iface-out",
        "-m addrtype ! --src-type LOCAL --limit-iface-out -j ACCEPT",
        t="nat",
    ),
    _m(
        CALICO_M,
        "-m set --match-set NAME src,dst",
        "-m set --match-set cali40s src -j ACCEPT",
        note="needs the set's contents (--ipset NAME=FILE), else undecided",
    ),
    _m(
        CALICO_M,
        "-m multiport --source-ports/--destination-ports",
        "-p tcp -m multiport --destination-ports 80,443:445 -j ACCEPT",
    ),
    _m(CALICO_M, "-m icmp --icmp-type T[/C]", "-p icmp -m icmp --icmp-type 8/0 -j ACCEPT"),
    _m(
        CALICO_M,
        "-m u32 --u32 (VXLANVNI)",
        '-p udp -m u32 --u32 "0>>22&0x3C@12>>8=0x1" -j DROP',
        "undecided",
        "reads raw packet bytes",
    ),
    _m(CALICO_A, "-m limit --limit N/sec --limit-burst B", "-m limit --limit 5/sec -j ACCEPT"),
    _m(
        CALICO_A,
        "-m connlimit --connlimit-above N",
        "-p tcp -m connlimit --connlimit-above 10 --connlimit-mask 0 -j REJECT",
        "undecided",
        "counts the other connections",
    ),
    _m(
        CALICO_A,
        "-m tcp --tcp-flags FIN,SYN,RST,ACK SYN",
        "-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT",
    ),
    _t(CALICO_A, "-j MARK --set-mark M/M", "-j MARK --set-mark 0x10000/0x10000", t="mangle"),
    _t(
        CALICO_A,
        "-j CONNMARK --save-mark/--restore-mark --mask",
        "-j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff",
        t="mangle",
    ),
    _t(CALICO_A, "-j CONNMARK --set-mark", "-j CONNMARK --set-xmark 0x1/0xffffffff", t="mangle"),
    _t(CALICO_A, "-j NOTRACK / -j CT --notrack", "-j CT --notrack", t="raw"),
    _t(CALICO_A, "-j LOG --log-prefix --log-level", '-j LOG --log-prefix "calico-drop: "'),
    _t(CALICO_A, "-j NFLOG --nflog-group --nflog-prefix", "-j NFLOG --nflog-group 1"),
    _t(
        CALICO_A,
        "-j SNAT --to-source --random-fully",
        "-o eth0 -j SNAT --to-source 192.0.2.9 --random-fully",
        t="nat",
    ),
    _t(CALICO_A, "-g CHAIN (goto)", "-g RETURN_HERE", note="goto: RETURN leaves the caller"),
    # Cilium, iptables mode
    _m(
        CILIUM,
        "-m socket --transparent --nowildcard",
        "-p tcp -m socket --transparent --nowildcard -j MARK --set-xmark 0x200/0xffffffff",
        "undecided",
        "looks for a local socket of the flow",
        t="mangle",
    ),
    _t(
        CILIUM,
        "-j TPROXY --tproxy-mark --on-port --on-ip",
        "-p tcp -j TPROXY --on-port 4000 --on-ip 127.0.0.1 --tproxy-mark 0x200/0xffffffff",
        "undecided",
        "diverts to a socket it must find first",
        t="mangle",
    ),
    _m(CILIUM, "! -o cilium_+ (interface wildcard)", "! -o cilium_+ -j ACCEPT"),
    _t(CILIUM, "-j MARK --set-xmark", "-j MARK --set-xmark 0xa00/0xf00", t="mangle"),
    _t(CILIUM, "-j NOTRACK", "-j NOTRACK", t="raw"),
    # flannel
    _m(FLANNEL, "-s CIDR ! -d 224.0.0.0/4", "-s 10.244.0.0/16 ! -d 224.0.0.0/4 -j ACCEPT"),
    _t(FLANNEL, "-j MASQUERADE --random-fully", "-j MASQUERADE --random-fully", t="nat"),
    # Docker
    _m(
        DOCKER,
        "-m addrtype --dst-type LOCAL (! -d 127.0.0.0/8)",
        "! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j RETURN",
        t="nat",
    ),
    _m(
        DOCKER,
        "-m conntrack --ctstate RELATED,ESTABLISHED",
        "-o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
    ),
    _m(
        DOCKER,
        "-m set --match-set docker-ext-bridges-v4 dst",
        "-m set --match-set docker-ext-bridges-v4 dst -j ACCEPT",
    ),
    _t(
        DOCKER,
        "-j DNAT --to-destination (published port)",
        "! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80",
        t="nat",
    ),
    # firewalld, iptables backend
    _m(
        FIREWALLD,
        "-m conntrack --ctstate RELATED,ESTABLISHED,DNAT",
        "-m conntrack --ctstate RELATED,ESTABLISHED,DNAT -j ACCEPT",
    ),
    _m(
        FIREWALLD,
        "-m conntrack --ctstate NEW,UNTRACKED",
        "-p tcp -m tcp --dport 22 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT",
    ),
    _m(FIREWALLD, "-m rpfilter --invert (raw PREROUTING)", "-m rpfilter --invert -j DROP", t="raw"),
    _m(
        FIREWALLD,
        "-m mac --mac-source",
        "-m mac --mac-source 00:11:22:33:44:55 -j ACCEPT",
        "undecided",
        "reads the Ethernet source",
    ),
    _m(FIREWALLD, "-m limit --limit (log rate)", "-m limit --limit 1/min -j LOG"),
    _t(
        FIREWALLD,
        "-j REJECT --reject-with icmp-host-prohibited",
        "-j REJECT --reject-with icmp-host-prohibited",
    ),
    _t(FIREWALLD, "-j CT --helper", "-p tcp -m tcp --dport 21 -j CT --helper ftp", t="raw"),
    _t(
        FIREWALLD,
        "-j TCPMSS --clamp-mss-to-pmtu",
        "-p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu",
        t="mangle",
    ),
    _t(
        FIREWALLD,
        "-j MARK --set-xmark (rich rule mark)",
        "-j MARK --set-xmark 0x1/0xffffffff",
        t="mangle",
    ),
    # issue 17's own list
    _m(
        "issue 17",
        "-m conntrack --ctorigsrc/--ctorigdst/--ctreplsrc/--ctrepldst",
        "-m conntrack ! --ctorigsrc 10.0.0.0/8 --ctrepldst 10.0.0.5 -j ACCEPT",
    ),
    _m(
        "issue 17",
        "-m conntrack --ct{orig,repl}{src,dst}port",
        "-m conntrack --ctorigdstport 80 --ctreplsrcport 8080 -j ACCEPT",
    ),
    _m(
        "issue 17",
        "-m conntrack --ctstatus / --ctdir",
        "-m conntrack ! --ctstatus ASSURED --ctdir ORIGINAL -j ACCEPT",
    ),
    _m(
        "issue 17",
        "-m iprange --src-range/--dst-range",
        "-m iprange ! --src-range 10.0.0.1-10.0.0.9 -j ACCEPT",
    ),
    _m(
        "issue 17",
        "-m statistic --mode nth --every --packet",
        "-m statistic --mode nth --every 3 --packet 1 -j ACCEPT",
        note="deterministic: a counter sequence per rule",
    ),
)


def rows() -> list[tuple[str, str, str, str, str]]:
    """The survey as table rows: source, kind, name, status, note."""
    return [(e.source.split(" (")[0], e.kind, e.name, e.status, e.note) for e in SURVEY]
