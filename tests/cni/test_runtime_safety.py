"""The runtime validates names as libcni does before building a path, survives a corrupt
cache, and a failed bridge ADD leaves no veth behind."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from infranotes.cni.lab import our_plugin
from infranotes.cni.runtime import load_network_config, run_network, validate_runtime_args
from infranotes.cni.types import (
    ERR_INVALID_ENV,
    ERR_INVALID_NETWORK_CONFIG,
    ERR_UNKNOWN_CONTAINER,
    CNIError,
    validate_interface_name,
)
from tests.labs import lab_skip

# libcni pkg/utils/utils.go: each case, its error code and message
IFNAMES = [
    ("", ERR_INVALID_ENV, "interface name is empty"),
    ("a" * 16, ERR_INVALID_ENV, "interface name is too long"),
    ("é" * 8, ERR_INVALID_ENV, "interface name is too long"),  # 16 bytes, as Go counts
    (".", ERR_INVALID_ENV, "interface name is . or .."),
    ("..", ERR_INVALID_ENV, "interface name is . or .."),
    ("x/../../FILE", ERR_INVALID_ENV, "interface name contains / or : or whitespace characters"),
    ("eth0:1", ERR_INVALID_ENV, "interface name contains / or : or whitespace characters"),
    ("eth 0", ERR_INVALID_ENV, "interface name contains / or : or whitespace characters"),
    ("eth\u00a00", ERR_INVALID_ENV, "interface name contains / or : or whitespace characters"),
    ("eth\u20280", ERR_INVALID_ENV, "interface name contains / or : or whitespace characters"),
]


@pytest.mark.parametrize(("ifname", "code", "msg"), IFNAMES)
def test_interface_names_rejected_like_libcni(ifname: str, code: int, msg: str) -> None:
    with pytest.raises(CNIError) as exc:
        validate_interface_name(ifname)
    assert (exc.value.code, exc.value.msg) == (code, msg)


@pytest.mark.parametrize("ifname", ["eth0", "a" * 15, "net1.100", "-x", "é" * 7])
def test_interface_names_accepted(ifname: str) -> None:
    validate_interface_name(ifname)


@pytest.mark.parametrize(
    ("net", "cid", "code", "msg"),
    [
        ("n", "", ERR_UNKNOWN_CONTAINER, "missing containerID"),
        ("n", "../x", ERR_INVALID_ENV, "invalid characters in containerID"),
        ("n", "-x", ERR_INVALID_ENV, "invalid characters in containerID"),
        ("", "c", ERR_INVALID_NETWORK_CONFIG, "missing network name:"),
        ("a/b", "c", ERR_INVALID_NETWORK_CONFIG, "invalid characters found in network name"),
    ],
)
def test_container_id_and_network_name(net: str, cid: str, code: int, msg: str) -> None:
    with pytest.raises(CNIError) as exc:
        validate_runtime_args(net, cid, "eth0")
    assert (exc.value.code, exc.value.msg) == (code, msg)


@pytest.fixture
def hostlocal(tmp_path: Path):
    """A host-local-only network config and a CNI_PATH holding our plugin."""
    path = tmp_path / "bin"
    path.mkdir()
    (path / "host-local").symlink_to(our_plugin("host-local"))
    doc = {
        "cniVersion": "1.0.0",
        "name": "hl",
        "type": "host-local",
        "ipam": {
            "type": "host-local",
            "dataDir": str(tmp_path / "d"),
            "ranges": [[{"subnet": "10.30.0.0/29"}]],
        },
    }
    return load_network_config(json.dumps(doc), "hl.conf"), str(path)


def test_traversal_in_ifname_writes_and_deletes_nothing(tmp_path: Path, hostlocal) -> None:
    net, cni_path = hostlocal
    cache = tmp_path / "a" / "cache"
    target = tmp_path / "a" / "FILE"  # where cache/"hl-pod1-x/../../FILE" points
    for command in ("ADD", "CHECK", "DEL"):
        with pytest.raises(CNIError, match="interface name contains /"):
            run_network(command, net, "pod1", "pod1", "x/../../FILE", cni_path, cache)
        assert not target.exists() and not (tmp_path / "d").exists()  # no plugin ran
    target.parent.mkdir(parents=True)
    target.write_text("precious")
    with pytest.raises(CNIError):
        run_network("DEL", net, "pod1", "pod1", "x/../../FILE", cni_path, cache)
    assert target.read_text() == "precious"


def test_traversal_through_the_cli(tmp_path: Path, hostlocal, capsys) -> None:
    from infranotes.cli import main

    _, cni_path = hostlocal
    conf = tmp_path / "hl.conf"
    conf.write_text(json.dumps({"cniVersion": "1.0.0", "name": "hl", "type": "host-local"}))
    cache = tmp_path / "a" / "cache"
    argv = ["--conf", str(conf), "--netns", "p", "--cni-path", cni_path, "--cache-dir", str(cache)]
    assert main(["cni", "add", *argv, "--ifname", "x/../../FILE"]) != 0
    err = capsys.readouterr().err
    assert "interface name contains / or : or whitespace characters" in err
    assert err.count("\n") == 1 and not (tmp_path / "a" / "FILE").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", 'failed to unmarshal cached network "hl" config'),
        (b"\xff\xfe", 'failed to unmarshal cached network "hl" config'),
        (b"[1, 2]", "config has wrong kind: list"),
        (b'{"kind": "other"}', "config has wrong kind: other"),
        (b'{"kind": "cniCacheV1", "result": 7}', "result is not an object"),
        (b"[" * 100_000 + b"]" * 100_000, "failed to unmarshal cached network"),
    ],
)
def test_corrupt_cache_check_fails_cleanly_and_del_goes_on(
    tmp_path: Path, hostlocal, content: bytes, message: str
) -> None:
    net, cni_path = hostlocal
    cache = tmp_path / "cache"
    run_network("ADD", net, "pod1", "pod1", "eth0", cni_path, cache)
    f = cache / "hl-pod1-eth0"
    f.write_bytes(content)
    with pytest.raises(CNIError) as exc:
        run_network("CHECK", net, "pod1", "pod1", "eth0", cni_path, cache)
    assert message in str(exc.value) and "\n" not in str(exc.value)
    # libcni's DelNetworkList drops an unreadable cache and runs DEL without prevResult
    assert run_network("DEL", net, "pod1", "pod1", "eth0", cni_path, cache) is None
    assert not f.exists()
    assert not list((tmp_path / "d" / "hl").glob("10.*"))  # the address was released


def test_cache_directory_in_place_of_the_file(tmp_path: Path, hostlocal) -> None:
    net, cni_path = hostlocal
    (tmp_path / "cache" / "hl-pod1-eth0").mkdir(parents=True)
    with pytest.raises(CNIError, match="failed to read cached network"):
        run_network("CHECK", net, "pod1", "pod1", "eth0", cni_path, tmp_path / "cache")


# --------------------------------------------------------------- failing ADD, live
def _links(ns: str) -> list[str]:
    out = subprocess.run(
        ["ip", "-n", ns, "-j", "link", "show"], capture_output=True, text=True, check=True
    ).stdout
    return sorted(link["ifname"] for link in json.loads(out))


@pytest.mark.oracle
@pytest.mark.parametrize("failure", ["interface name taken", "IPAM plugin missing"])
def test_failed_bridge_add_leaves_no_veth(tmp_path: Path, failure: str) -> None:
    from infranotes.cni.lab import BridgeLab
    from infranotes.lab import unavailable_reason

    reason = unavailable_reason("ip", "nsenter", "iptables", netns=True)
    if reason:
        lab_skip(reason)
    with BridgeLab("ours", tmp_path / "data") as lab:
        conf = json.loads(json.dumps(lab.conf))
        if failure == "interface name taken":
            # (no dummy module here: a veth pair inside the Pod holds the name)
            subprocess.run(
                ["ip", "-n", lab.pod_a, "link", "add", "eth0", "type", "veth", "peer", "eth1"],
                check=True,
            )
        else:
            conf["ipam"]["type"] = "no-such-ipam"
        before = (_links(lab.host), _links(lab.pod_a))
        run = lab.call("ADD", "pod-a", lab.pod_a, conf)
        assert run.rc != 0
        host, pod = _links(lab.host), _links(lab.pod_a)
        assert not [n for n in host if n.startswith("veth")], host
        assert pod == before[1]  # what was there before; no tmp end left
        assert set(host) - set(before[0]) <= {"cnibr0"}  # only the shared bridge stays
        assert not list((tmp_path / "data").glob("*/10.*"))  # no address kept
