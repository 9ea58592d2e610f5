"""host-local configurations and command sequences run by our plugin and the reference alike."""

from __future__ import annotations

from typing import Any


def conf(ipam: dict[str, Any], version: str = "1.0.0", name: str = "net") -> dict[str, Any]:
    return {
        "cniVersion": version,
        "name": name,
        "type": "host-local",
        "ipam": {"type": "host-local", **ipam},
    }


# (id, config, steps); a step is (command, container ID[, CNI_ARGS])
HOSTLOCAL: list[tuple[str, dict[str, Any], list[tuple[str, ...]]]] = [
    (
        "single-range-wraps-and-exhausts",
        conf({"ranges": [[{"subnet": "10.22.0.0/29"}]], "routes": [{"dst": "0.0.0.0/0"}]}),
        [
            ("ADD", "a"),
            ("ADD", "b"),
            ("CHECK", "a"),
            ("ADD", "a"),
            ("DEL", "a"),
            ("DEL", "a"),
            ("DEL", "unknown"),
            ("ADD", "c"),
            ("ADD", "d"),
            ("ADD", "e"),
            ("ADD", "f"),
            ("ADD", "g"),
            ("CHECK", "nosuch"),
        ],
    ),
    (
        "dual-stack",
        conf({"ranges": [[{"subnet": "10.22.3.0/24"}], [{"subnet": "fd00:22::/64"}]]}),
        [("ADD", "a"), ("ADD", "b"), ("DEL", "a"), ("ADD", "c")],
    ),
    (
        "result-0.2.0",
        conf(
            {"ranges": [[{"subnet": "10.22.4.0/24"}]], "routes": [{"dst": "10.0.0.0/8"}]}, "0.2.0"
        ),
        [("ADD", "a")],
    ),
    (
        "result-0.3.1",
        conf({"ranges": [[{"subnet": "10.22.4.0/24"}]]}, "0.3.1"),
        [("ADD", "a"), ("CHECK", "a")],
    ),
    (
        "result-0.4.0",
        conf({"ranges": [[{"subnet": "10.22.4.0/24"}]]}, "0.4.0"),
        [("ADD", "a"), ("CHECK", "a")],
    ),
    (
        "two-ranges-in-a-set",
        conf({"ranges": [[{"subnet": "10.22.5.0/30"}, {"subnet": "10.22.6.0/30"}]]}),
        [("ADD", "a"), ("ADD", "b"), ("ADD", "c"), ("DEL", "a"), ("ADD", "d")],
    ),
    (
        "range-start-end-custom-gateway",
        conf(
            {
                "ranges": [
                    [
                        {
                            "subnet": "10.22.7.0/28",
                            "rangeStart": "10.22.7.5",
                            "rangeEnd": "10.22.7.7",
                            "gateway": "10.22.7.6",
                        }
                    ]
                ]
            }
        ),
        [("ADD", "a"), ("ADD", "b"), ("ADD", "c")],
    ),
    (
        "old-style-subnet-and-routes",
        conf(
            {
                "subnet": "10.22.8.0/24",
                "rangeStart": "10.22.8.100",
                "gateway": "10.22.8.254",
                "routes": [{"dst": "0.0.0.0/0", "gw": "10.22.8.254"}],
            },
            "0.3.1",
        ),
        [("ADD", "a")],
    ),
    (
        "ipv6-range-end-is-the-last-address",
        conf({"ranges": [[{"subnet": "fd00:9::/126"}]]}),
        [("ADD", "a"), ("ADD", "b"), ("ADD", "c")],
    ),
    (
        "requested-ips",
        conf({"ranges": [[{"subnet": "10.22.9.0/24"}]]}),
        [
            ("ADD", "a", "IP=10.22.9.50"),
            ("ADD", "b", "IP=10.22.9.50"),
            ("ADD", "c", "IP=10.22.9.1"),
            ("ADD", "d", "IP=10.99.0.1"),
            ("ADD", "e"),
        ],
    ),
    (
        "re-add-after-del",
        conf({"ranges": [[{"subnet": "10.22.11.0/30"}]]}),
        [("ADD", "a"), ("DEL", "a"), ("ADD", "a"), ("ADD", "b")],
    ),
    (
        "other-ifname",
        conf({"ranges": [[{"subnet": "10.22.12.0/29"}]]}),
        [("ADD", "a"), ("ADD", "a", "", "net1"), ("DEL", "a"), ("CHECK", "a", "", "net1")],
    ),
    ("bad-cidr", conf({"ranges": [[{"subnet": "10.22.0.0/33"}]]}), [("ADD", "a")]),
    (
        "bad-ip",
        conf({"ranges": [[{"subnet": "10.22.0.0/24", "gateway": "10.22.0.x"}]]}),
        [("ADD", "a")],
    ),
    ("no-ranges", conf({}), [("ADD", "a")]),
    (
        "overlapping-ranges",
        conf({"ranges": [[{"subnet": "10.22.0.0/24"}, {"subnet": "10.22.0.0/25"}]]}),
        [("ADD", "a")],
    ),
    (
        "overlapping-range-sets",
        conf({"ranges": [[{"subnet": "10.22.0.0/24"}], [{"subnet": "10.22.0.0/25"}]]}),
        [("ADD", "a")],
    ),
    (
        "range-start-outside",
        conf({"ranges": [[{"subnet": "10.22.0.0/24", "rangeStart": "10.23.0.5"}]]}),
        [("ADD", "a")],
    ),
    ("host-bits-set", conf({"ranges": [[{"subnet": "10.22.0.1/24"}]]}), [("ADD", "a")]),
    ("network-too-small", conf({"ranges": [[{"subnet": "10.22.0.0/31"}]]}), [("ADD", "a")]),
    (
        "mixed-families",
        conf({"ranges": [[{"subnet": "10.22.0.0/24"}, {"subnet": "fd00::/64"}]]}),
        [("ADD", "a")],
    ),
    (
        "incompatible-version",
        conf({"ranges": [[{"subnet": "10.22.0.0/24"}]]}, "9.9.9"),
        [("ADD", "a")],
    ),
    (
        "check-needs-0.4.0",
        conf({"ranges": [[{"subnet": "10.22.0.0/24"}]]}, "0.3.1"),
        [("CHECK", "a")],
    ),
    ("missing-ipam", {"cniVersion": "1.0.0", "name": "net", "type": "host-local"}, [("ADD", "a")]),
    (
        "container-id-escaping",
        conf({"ranges": [[{"subnet": "10.22.0.0/24"}]]}),
        [("ADD", "../etc"), ("ADD", "a/b")],
    ),
    (
        "network-name-escaping",
        conf({"ranges": [[{"subnet": "10.22.0.0/24"}]]}, name="../x"),
        [("ADD", "a")],
    ),
    (
        "resolv-conf",
        conf({"ranges": [[{"subnet": "10.22.10.0/24"}]], "resolvConf": "RESOLV"}),
        [("ADD", "a")],
    ),
]


def _r(**fields: str) -> dict[str, Any]:
    """One range in 10.30.0.0/28 with the given fields."""
    return conf({"ranges": [[{"subnet": "10.30.0.0/28", **fields}]]})


# Issue 17: every validation and error string of host-local 1.1.1 that a configuration or
# CNI_ARGS can reach (range.go Canonicalize/Contains, range_set.go, config.go
# LoadIPAMConfig, cni pkg/types/args.go LoadArgs, pkg/ip ParseIP), each followed, where it
# matters, by the command that shows what the failure left behind.
HOSTLOCAL_EDGES: list[tuple[str, dict[str, Any], list[tuple[str, ...]]]] = [
    # rangeStart / rangeEnd: checked with Range.Contains against the other bound
    ("start-after-end", _r(rangeStart="10.30.0.9", rangeEnd="10.30.0.5"), [("ADD", "a")]),
    (
        "v6-start-after-end",
        conf(
            {
                "ranges": [
                    [
                        {
                            "subnet": "fd00:30::/120",
                            "rangeStart": "fd00:30::20",
                            "rangeEnd": "fd00:30::10",
                        }
                    ]
                ]
            }
        ),
        [("ADD", "a")],
    ),
    ("end-outside-subnet", _r(rangeEnd="10.30.1.5"), [("ADD", "a")]),
    ("end-before-default-start", _r(rangeEnd="10.30.0.0"), [("ADD", "a")]),
    ("start-v6-in-v4-subnet", _r(rangeStart="fd00::5"), [("ADD", "a")]),
    ("end-v6-in-v4-subnet", _r(rangeStart="10.30.0.5", rangeEnd="fd00::5"), [("ADD", "a")]),
    (
        "start-equals-end",
        _r(rangeStart="10.30.0.7", rangeEnd="10.30.0.7"),
        [("ADD", "a"), ("ADD", "b"), ("DEL", "a"), ("ADD", "b")],
    ),
    (
        "network-and-broadcast-allowed",
        _r(rangeStart="10.30.0.0", rangeEnd="10.30.0.15"),
        [("ADD", "a"), ("ADD", "b", "IP=10.30.0.15")],
    ),
    ("gateway-outside-accepted", _r(gateway="10.31.0.1"), [("ADD", "a")]),
    ("ipv4-mapped-range-start", _r(rangeStart="::ffff:10.30.0.5"), [("ADD", "a")]),
    (
        "ipv4-mapped-subnet",
        conf({"ranges": [[{"subnet": "::ffff:10.30.0.0/124"}]]}),
        [("ADD", "a")],
    ),
    ("zone-in-gateway", _r(gateway="fd00::1%eth0"), [("ADD", "a")]),
    ("zone-in-subnet", conf({"ranges": [[{"subnet": "fd00::%eth0/64"}]]}), [("ADD", "a")]),
    (
        "mixed-family-before-later-range",
        conf(
            {
                "ranges": [
                    [
                        {"subnet": "10.30.0.0/28"},
                        {"subnet": "fd00::/64"},
                        {"subnet": "10.30.1.0/31"},
                    ]
                ]
            }
        ),
        [("ADD", "a")],
    ),
    # CNI_ARGS: LoadArgs
    ("args-unknown-key", _r(), [("ADD", "a", "FOO=bar"), ("ADD", "b")]),
    ("args-unknown-keys-listed", _r(), [("ADD", "a", "K8S_POD_NAME=p;FOO=bar;IP=10.30.0.9")]),
    ("args-ignore-unknown", _r(), [("ADD", "a", "IgnoreUnknown=1;K8S_POD_NAME=p;IP=10.30.0.9")]),
    ("args-ignore-unknown-upper", _r(), [("ADD", "a", "FOO=1;IgnoreUnknown=TRUE")]),
    (
        "args-ignore-unknown-last-wins",
        _r(),
        [("ADD", "a", "IgnoreUnknown=1;FOO=1;IgnoreUnknown=0")],
    ),
    ("args-ignore-unknown-yes", _r(), [("ADD", "a", "IgnoreUnknown=yes;FOO=x")]),
    ("args-invalid-pair", _r(), [("ADD", "a", "IP"), ("ADD", "a", "IP=1=2")]),
    ("args-empty-pair", _r(), [("ADD", "a", "IgnoreUnknown=1;;IP=10.30.0.9")]),
    ("args-key-is-case-sensitive", _r(), [("ADD", "a", "ip=10.30.0.9")]),
    ("args-embedded-struct-key", _r(), [("ADD", "a", "CommonArgs=x")]),
    ("args-quoting", _r(), [("ADD", "a", 'K\tX=1;Q"=2;é=3')]),
    ("args-before-ranges", conf({}), [("ADD", "a", "FOO=1")]),
    (
        "args-before-range-check",
        _r(rangeStart="10.30.0.9", rangeEnd="10.30.0.5"),
        [("ADD", "a", "IP=x")],
    ),
    (
        "args-on-del-and-check",
        _r(),
        [
            ("ADD", "a"),
            ("DEL", "a", "FOO=1"),
            ("CHECK", "a", "FOO=1"),
            ("DEL", "a", "IgnoreUnknown=1;FOO=1"),
            ("ADD", "b"),
        ],
    ),
    # IP= values: pkg/ip ParseIP (an address, or an address with a prefix)
    ("args-ip-bad", _r(), [("ADD", "a", "IP=10.30.0.x"), ("ADD", "a", "IP=10.30.0.09")]),
    ("args-ip-list-refused", _r(), [("ADD", "a", "IP=10.30.0.9,10.30.0.10")]),
    (
        "args-ip-with-prefix",
        _r(),
        [("ADD", "a", "IP=10.30.0.9/28"), ("ADD", "b", "IP=10.30.0.9/33")],
    ),
    ("args-ip-empty", _r(), [("ADD", "a", "IP=")]),
    ("args-ip-ipv4-mapped", _r(), [("ADD", "a", "IP=::ffff:10.30.0.9")]),
    (
        "args-ip-zone",
        conf({"ranges": [[{"subnet": "fd00:30::/64"}]]}),
        [("ADD", "a", "IP=fd00:30::9%eth0")],
    ),
    ("args-ip-last-wins", _r(), [("ADD", "a", "IP=10.30.0.9;IP=10.30.0.10")]),
    ("args-ip-outside-leaves-last", _r(), [("ADD", "a", "IP=10.99.0.9"), ("ADD", "b")]),
    # args.cni.ips and runtimeConfig.ips: ip.IP, unmarshalled before anything else
    ("cni-ips-with-prefix", {**_r(), "args": {"cni": {"ips": ["10.30.0.9/28"]}}}, [("ADD", "a")]),
    ("cni-ips-bad", {**_r(), "args": {"cni": {"ips": ["10.30.0.x"]}}}, [("ADD", "a")]),
    (
        "runtime-ips-bad-before-ranges",
        {**conf({}), "runtimeConfig": {"ips": ["10.30.0.x"]}},
        [("ADD", "a")],
    ),
    (
        "same-ip-requested-twice",
        {**_r(), "args": {"cni": {"ips": ["10.30.0.9"]}}},
        [("ADD", "a", "IP=10.30.0.9")],
    ),
    (
        "dual-stack-check-and-re-add",
        conf({"ranges": [[{"subnet": "10.30.0.0/28"}], [{"subnet": "fd00:30::/124"}]]}),
        [("ADD", "a"), ("CHECK", "a"), ("ADD", "a"), ("DEL", "a"), ("CHECK", "a")],
    ),
    # the rest of config.go / range_set.go / dns.go that a configuration reaches
    ("empty-range-set", conf({"ranges": [[]]}), [("ADD", "a")]),
    (
        "two-ipv4-sets-on-0.2.0",
        conf({"ranges": [[{"subnet": "10.30.0.0/28"}], [{"subnet": "10.30.1.0/28"}]]}, "0.2.0"),
        [("ADD", "a")],
    ),
    (
        "resolv-conf-missing",
        conf({"ranges": [[{"subnet": "10.30.0.0/28"}]], "resolvConf": "/nonexistent/resolv.conf"}),
        [("ADD", "a"), ("ADD", "b")],
    ),
]
