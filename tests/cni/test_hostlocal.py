"""host-local: configuration, allocation order, the store, the protocol, and reliability."""

from __future__ import annotations

import io
import ipaddress
import json
import os
import random
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from infranotes.cni import ipam
from infranotes.cni.hostlocal import HANDLERS
from infranotes.cni.lab import exec_plugin, our_plugin, store_files
from infranotes.cni.protocol import run_plugin
from infranotes.cni.types import (
    CNIError,
    canonical_range_set,
    go_quote,
    load_ipam_config,
    parse_env_args,
)
from tests.cni.cases import conf

A = ipaddress.ip_address


def _rs(*ranges: dict):
    return canonical_range_set(list(ranges))


def test_canonical_defaults() -> None:
    (r,) = _rs({"subnet": "10.0.0.0/29"}).ranges
    assert (str(r.range_start), str(r.range_end), str(r.gateway)) == (
        "10.0.0.1",
        "10.0.0.6",
        "10.0.0.1",
    )
    (r6,) = _rs({"subnet": "fd00::/126"}).ranges
    assert str(r6.range_end) == "fd00::3"  # IPv6 has no broadcast to leave out


@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        ([{"subnet": "10.0.0.0/31"}], "Network 10.0.0.0/31 too small to allocate from"),
        (
            [{"subnet": "10.0.0.5/24"}],
            "Network has host bits set. For a subnet mask of length 24 "
            "the network address is 10.0.0.0",
        ),
        (
            [{"subnet": "10.0.0.0/24", "rangeEnd": "10.0.1.9"}],
            "RangeEnd 10.0.1.9 not in network 10.0.0.0/24",
        ),
        (
            [{"subnet": "10.0.0.0/24"}, {"subnet": "10.0.0.128/25"}],
            "subnets 10.0.0.1-10.0.0.254 and 10.0.0.129-10.0.0.254 overlap",
        ),
        ([], "empty range set"),
        (
            [{"subnet": "10.0.0.0/24", "rangeStart": "10.0.0.9", "rangeEnd": "10.0.0.5"}],
            "RangeStart 10.0.0.9 not in network 10.0.0.0/24",  # checked against rangeEnd
        ),
        (
            [{"subnet": "10.0.0.0/24", "rangeEnd": "10.0.0.0"}],
            "RangeEnd 10.0.0.0 not in network 10.0.0.0/24",  # before the default start .1
        ),
        ([{"subnet": "::ffff:10.0.0.0/120"}], "IPNet IP and Mask version mismatch"),
        (
            [{"subnet": "10.0.0.0/24"}, {"subnet": "fd00::/64"}, {"subnet": "10.1.0.0/31"}],
            "mixed address families",  # found before the third range is looked at
        ),
    ],
)
def test_range_set_errors(ranges: list, message: str) -> None:
    with pytest.raises(CNIError) as err:
        canonical_range_set(ranges)
    assert err.value.msg == message and err.value.code == 999 and isinstance(err.value, ValueError)


def test_allocation_order_round_robin_and_gateway() -> None:
    rs = _rs({"subnet": "10.0.0.0/29"}, {"subnet": "10.0.1.0/30"})
    order = [str(ip) for ip, _ in ipam.candidates(rs, None)]
    assert order == ["10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.1.2"]
    after = [str(ip) for ip, _ in ipam.candidates(rs, A("10.0.0.5"))]
    assert after == ["10.0.0.6", "10.0.1.2", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"]
    outside = [str(ip) for ip, _ in ipam.candidates(rs, A("192.0.2.1"))]
    assert outside == order  # a last reserved address outside the set: start over
    taken = {A("10.0.0.6"), A("10.0.1.2")}
    assert ipam.next_free(rs, A("10.0.0.5"), taken) == (A("10.0.0.2"), 0)


def test_store_format_and_old_id_only_files(tmp_path: Path) -> None:
    c = load_ipam_config(conf({"ranges": [[{"subnet": "10.0.0.0/29"}]], "dataDir": str(tmp_path)}))
    result = ipam.add(c, "ctr1", "eth0")
    assert result.to_json("1.0.0") == {
        "cniVersion": "1.0.0",
        "ips": [{"address": "10.0.0.2/29", "gateway": "10.0.0.1"}],
        "dns": {},
    }
    assert store_files(tmp_path, "net") == {
        "10.0.0.2": ("0644", "ctr1\r\neth0"),
        "last_reserved_ip.0": ("0644", "10.0.0.2"),
        "lock": ("0750", ""),
    }
    (tmp_path / "net" / "10.0.0.5").write_text("legacy")  # written by host-local before 0.7
    assert ipam.delete(c, "legacy", "eth0") == [A("10.0.0.5")]


def test_gc_releases_leaked_reservations(tmp_path: Path) -> None:
    c = load_ipam_config(conf({"ranges": [[{"subnet": "10.0.0.0/29"}]], "dataDir": str(tmp_path)}))
    for cid in ("a", "b", "c", "d", "e"):
        ipam.add(c, cid, "eth0")
    with pytest.raises(CNIError, match="no IP addresses available in range set"):
        ipam.add(c, "f", "eth0")
    with pytest.raises(CNIError) as err:
        ipam.status(c)
    assert err.value.code == 50
    assert ipam.gc(c, {("b", "eth0"), ("d", "eth0")}) == [
        A("10.0.0.2"),
        A("10.0.0.4"),
        A("10.0.0.6"),
    ]
    ipam.status(c)
    assert str(ipam.add(c, "f", "eth0").ips[0].address) == "10.0.0.2/29"


def _protocol(env: dict, stdin: bytes) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    rc = run_plugin("host-local", HANDLERS, env, io.BytesIO(stdin), out, err)
    return rc, out.getvalue(), err.getvalue()


ENV = {
    "CNI_COMMAND": "ADD",
    "CNI_CONTAINERID": "a",
    "CNI_NETNS": "/x",
    "CNI_IFNAME": "eth0",
    "CNI_PATH": "/x",
}


@pytest.mark.parametrize(
    ("env", "stdin", "code", "msg"),
    [
        (ENV, b"", 6, "error unmarshall network config: unexpected end of JSON input"),
        (
            ENV,
            b'{"cniVersion": "1.0.0", "name"',
            6,
            "error unmarshall network config: unexpected end of JSON input",
        ),
        (ENV, b"[1, 2]", 6, "error unmarshall network config: not a JSON object"),
        ({**ENV, "CNI_COMMAND": "FOO"}, b"{}", 4, "unknown CNI_COMMAND: FOO"),
        (
            {k: v for k, v in ENV.items() if k != "CNI_CONTAINERID"},
            b"{}",
            4,
            "required env variables [CNI_CONTAINERID] missing",
        ),
        (ENV, json.dumps(conf({}, "9.9.9")).encode(), 1, "incompatible CNI versions"),
        (
            {**ENV, "CNI_COMMAND": "GC"},
            json.dumps(conf({})).encode(),
            1,
            "config version does not allow GC",
        ),
    ],
    ids=["empty", "truncated", "not-object", "bad-command", "missing-env", "version", "gc-1.0"],
)
def test_protocol_errors(env: dict, stdin: bytes, code: int, msg: str) -> None:
    rc, out, _ = _protocol(env, stdin)
    doc = json.loads(out)
    assert rc == 1 and doc["code"] == code and doc["msg"] == msg


def test_version_and_no_command() -> None:
    rc, out, _ = _protocol({"CNI_COMMAND": "VERSION"}, b"")
    assert rc == 0 and json.loads(out)["supportedVersions"][-1] == "1.1.0"
    rc, out, err = _protocol({}, b"")
    assert rc == 0 and out == "" and err.startswith("CNI host-local plugin version unknown")


def test_gc_through_the_protocol(tmp_path: Path) -> None:
    c = conf({"ranges": [[{"subnet": "10.0.0.0/29"}]], "dataDir": str(tmp_path)}, "1.1.0")
    for cid in ("a", "b"):
        assert _protocol({**ENV, "CNI_CONTAINERID": cid}, json.dumps(c).encode())[0] == 0
    c["cni.dev/valid-attachments"] = [{"containerID": "b", "ifname": "eth0"}]
    rc, out, _ = _protocol({"CNI_COMMAND": "GC", "CNI_PATH": "/x"}, json.dumps(c).encode())
    assert (rc, out) == (0, "")
    assert set(store_files(tmp_path, "net")) == {"10.0.0.3", "last_reserved_ip.0", "lock"}


def test_fifty_concurrent_adds(tmp_path: Path) -> None:
    plugin = our_plugin("host-local")
    c = conf({"ranges": [[{"subnet": "10.40.0.0/24"}]], "dataDir": str(tmp_path)})
    with ThreadPoolExecutor(max_workers=16) as pool:
        runs = list(pool.map(lambda i: exec_plugin(plugin, "ADD", c, cid=f"c{i}"), range(50)))
    assert all(r.rc == 0 for r in runs), [r.raw for r in runs if r.rc]
    addrs = [r.doc["ips"][0]["address"] for r in runs]
    assert len(set(addrs)) == 50
    files = store_files(tmp_path, "net")
    owners = {name: content for name, (_, content) in files.items() if name.startswith("10.")}
    assert len(owners) == 50 and sorted(owners.values()) == sorted(
        f"c{i}\r\neth0" for i in range(50)
    )
    assert {a.split("/")[0] for a in addrs} == set(owners)


def test_sigkill_mid_add_leaves_no_stale_lock_or_half_file(tmp_path: Path) -> None:
    plugin = our_plugin("host-local")
    c = conf({"ranges": [[{"subnet": "10.41.0.0/24"}]], "dataDir": str(tmp_path)})
    env = {**os.environ, **ENV}
    rng = random.Random(3)
    for i in range(15):
        proc = subprocess.Popen(
            [str(plugin)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            env={**env, "CNI_CONTAINERID": f"k{i}"},
        )
        assert proc.stdin is not None
        proc.stdin.write(json.dumps(c).encode())
        proc.stdin.close()
        time.sleep(rng.uniform(0.0, 0.25))  # the interpreter starts in ~0.1 s: kill around ADD
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    t0 = time.monotonic()
    after = exec_plugin(plugin, "ADD", c, cid="survivor")
    assert after.rc == 0 and time.monotonic() - t0 < 5  # the flock died with its holders
    for name, (_, content) in store_files(tmp_path, "net").items():
        if name.startswith("10."):
            cid, sep, ifname = content.partition("\r\n")
            assert sep and cid and ifname == "eth0", (name, content)
        else:
            assert name in ("lock", "last_reserved_ip.0"), name  # no temporary files left


@pytest.mark.parametrize(
    ("cni_args", "expected"),
    [
        ("", None),
        ("IP=10.0.0.9", "10.0.0.9"),
        ("IP=10.0.0.9/24", "10.0.0.9"),  # pkg/ip ParseIP takes a prefix too
        ("IP=::ffff:10.0.0.9", "10.0.0.9"),  # canonicalizeIP: IPv4-mapped is IPv4
        ("IP=", None),
        ("IP=10.0.0.9;IP=10.0.0.10", "10.0.0.10"),
        ("IgnoreUnknown=1;K8S_POD_NAME=p;IP=10.0.0.9", "10.0.0.9"),
        ("FOO=1;IgnoreUnknown=True", None),
        ("FOO=bar", 'ARGS: unknown args ["FOO=bar"]'),
        ("A=1;IgnoreUnknown=1;B=2;IgnoreUnknown=0", 'ARGS: unknown args ["A=1" "B=2"]'),
        ("ip=10.0.0.9", 'ARGS: unknown args ["ip=10.0.0.9"]'),
        ("IP", 'ARGS: invalid pair "IP"'),
        ("IP=1=2", 'ARGS: invalid pair "IP=1=2"'),
        ("IgnoreUnknown=1;;IP=10.0.0.9", 'ARGS: invalid pair ""'),
        (
            "FOO=1;IP=10.0.0.x",  # values are parsed in order, unknown keys reported last
            'ARGS: error parsing value of pair "IP=10.0.0.x": invalid IP address 10.0.0.x',
        ),
        (
            "IP=10.0.0.9,10.0.0.10",
            'ARGS: error parsing value of pair "IP=10.0.0.9,10.0.0.10": '
            "invalid IP address 10.0.0.9,10.0.0.10",
        ),
        (
            "IP=fd00::9%eth0",
            'ARGS: error parsing value of pair "IP=fd00::9%eth0": invalid IP address fd00::9%eth0',
        ),
        (
            "IgnoreUnknown=Yes",
            'ARGS: error parsing value of pair "IgnoreUnknown=Yes": '
            "boolean unmarshal error: invalid input yes",
        ),
        (
            "CommonArgs=x",
            "ARGS: cannot unmarshal into field 'CommonArgs' - type '*types.CommonArgs' "
            "does not implement encoding.TextUnmarshaler",
        ),
    ],
)
def test_cni_args_as_load_args_reads_them(cni_args: str, expected: str | None) -> None:
    if expected is None or not expected.startswith("ARGS"):
        got = parse_env_args(cni_args)
        assert (str(got) if got else None) == expected
        return
    with pytest.raises(CNIError) as err:
        parse_env_args(cni_args)
    assert err.value.msg == expected and err.value.code == 999


def test_go_quote() -> None:
    assert go_quote('K\tX="1"\\é\x01\u200b') == '"K\\tX=\\"1\\"\\\\é\\x01\\u200b"'


def test_load_order_and_one_request_per_address() -> None:
    bad_range = conf(
        {"ranges": [[{"subnet": "10.0.0.0/24", "rangeStart": "10.0.0.9", "rangeEnd": "10.0.0.5"}]]}
    )
    with pytest.raises(CNIError, match=r"^ARGS: unknown args"):
        load_ipam_config(bad_range, "FOO=1")  # CNI_ARGS before the ranges
    with pytest.raises(CNIError, match=r"^invalid IP address 10\.0\.0\.x$"):
        load_ipam_config({**conf({}), "runtimeConfig": {"ips": ["10.0.0.x"]}})
    twice = {
        **conf({"ranges": [[{"subnet": "10.0.0.0/24"}]]}),
        "args": {"cni": {"ips": ["10.0.0.9/24"]}},
    }
    assert load_ipam_config(twice, "IP=10.0.0.9").requested == (A("10.0.0.9"),)


def test_dual_stack_container_can_be_checked_and_re_added(tmp_path: Path) -> None:
    c = load_ipam_config(
        conf(
            {
                "ranges": [[{"subnet": "10.0.0.0/28"}], [{"subnet": "fd00::/124"}]],
                "dataDir": str(tmp_path),
            }
        )
    )
    ipam.add(c, "a", "eth0")
    ipam.check(c, "a", "eth0")  # used to fail: sorted() of mixed IPv4/IPv6 addresses
    with pytest.raises(CNIError, match=r"10\.0\.0\.2 has been allocated to a"):
        ipam.add(c, "a", "eth0")
