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
