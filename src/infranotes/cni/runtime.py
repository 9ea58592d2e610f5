"""Running a network configuration the way a container runtime does (libcni, ``api.go``).

A ``.conf`` holds one plugin, a ``.conflist`` a ``plugins`` chain. ADD runs the chain in order,
each plugin getting the previous result as ``prevResult``; DEL runs it in reverse; CHECK
passes the cached ADD result. Each plugin is found by its ``type`` on ``CNI_PATH`` and run
with the exec protocol. The ADD result is cached, like libcni's
``/var/lib/cni/results/<network>-<container ID>-<ifname>``, for later CHECK and DEL.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infranotes.cni.lab import exec_plugin
from infranotes.cni.types import (
    ERR_INTERNAL,
    CNIError,
    parse_netconf,
    validate_container_id,
    validate_interface_name,
    validate_network_name,
)
from infranotes.errors import ParseError

DEFAULT_CNI_PATH = "/opt/cni/bin:/usr/lib/cni"
DEFAULT_CACHE = "/var/lib/cni/results"


@dataclass(frozen=True)
class NetworkConfig:
    name: str
    cni_version: str
    plugins: tuple[dict[str, Any], ...]


def load_network_config(text: str, source: str) -> NetworkConfig:
    """A .conf (one plugin) or .conflist (``plugins``), validated like libcni's loader."""
    try:
        doc = json.loads(text)
    except RecursionError:
        raise ParseError("nesting too deep", source=source, expected="a JSON object") from None
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"not JSON: {exc.msg}", source=source, line=exc.lineno, column=exc.colno
        ) from None
    if not isinstance(doc, dict):
        raise ParseError("not a JSON object", source=source, expected="a network configuration")
    try:
        if "plugins" in doc:
            plugins = doc["plugins"]
            if not isinstance(plugins, list) or not plugins:
                raise ParseError(
                    "plugins is empty", source=source, expected="a list of plugin configurations"
                )
            parse_netconf(
                json.dumps({"cniVersion": doc.get("cniVersion"), "name": doc.get("name")})
            )
            for i, p in enumerate(plugins):
                if not isinstance(p, dict) or not p.get("type"):
                    raise ParseError(
                        f"plugins[{i}] has no type",
                        source=source,
                        expected='"type": the plugin binary',
                    )
            return NetworkConfig(doc["name"], doc.get("cniVersion") or "0.1.0", tuple(plugins))
        parse_netconf(text)
        if not doc.get("type"):
            raise ParseError("no type", source=source, expected='"type": the plugin binary')
        return NetworkConfig(doc["name"], doc.get("cniVersion") or "0.1.0", (doc,))
    except CNIError as exc:
        raise ParseError(
            f"{exc.msg}{': ' + exc.details if exc.details else ''}", source=source
        ) from None


def find_plugin(kind: str, cni_path: str) -> Path:
    for d in cni_path.split(":"):
        p = Path(d) / kind
        if d and p.is_file() and os.access(p, os.X_OK):
            return p
    raise CNIError(ERR_INTERNAL, f'failed to find plugin "{kind}" in path [{cni_path}]')


def _netns_path(netns: str) -> str:
    return netns if "/" in netns else f"/var/run/netns/{netns}"


def validate_runtime_args(net_name: str, cid: str, ifname: str) -> None:
    """What libcni's ``addNetwork`` checks before it runs a plugin (``utils.ValidateContainerID``,
    ``ValidateNetworkName``, ``ValidateInterfaceName``), with its error codes and texts.
    Checked here for every command, before any path is built from the three."""
    validate_container_id(cid)
    validate_network_name(net_name)
    validate_interface_name(ifname)


def _cache_file(cache_dir: Path, net: str, cid: str, ifname: str) -> Path:
    validate_runtime_args(net, cid, ifname)
    return cache_dir / f"{net}-{cid}-{ifname}"


def read_cached_result(cache: Path, net_name: str) -> dict[str, Any] | None:
    """The ``result`` of a cache file written by ADD; None when there is no file. A file
    that cannot be read or is not a cniCacheV1 document raises a one-line CNIError,
    worded like libcni's ``getCachedConfig``."""
    try:
        data = cache.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CNIError(
            ERR_INTERNAL, f"failed to read cached network {json.dumps(net_name)} result",
            f"{cache}: {exc.strerror}",
        ) from None  # fmt: skip
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError
        what = exc.msg if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
        raise CNIError(
            ERR_INTERNAL, f"failed to unmarshal cached network {json.dumps(net_name)} config",
            f"{cache}: {what}",
        ) from None  # fmt: skip
    if not isinstance(doc, dict) or doc.get("kind") != "cniCacheV1":
        kind = doc.get("kind") if isinstance(doc, dict) else type(doc).__name__
        raise CNIError(
            ERR_INTERNAL,
            f"read cached network {json.dumps(net_name)} config has wrong kind: {kind}",
            str(cache),
        )
    result = doc.get("result")
    if result is not None and not isinstance(result, dict):
        raise CNIError(
            ERR_INTERNAL, f"cached network {json.dumps(net_name)} result is not an object",
            str(cache),
        )  # fmt: skip
    return result


def run_network(
    command: str,
    net: NetworkConfig,
    netns: str,
    cid: str,
    ifname: str = "eth0",
    cni_path: str = DEFAULT_CNI_PATH,
    cache_dir: Path = Path(DEFAULT_CACHE),
    args: str = "",
) -> dict[str, Any] | None:
    """ADD, CHECK or DEL of a whole network configuration; the final result for ADD.

    The container ID, network name and interface name are validated first (libcni's rules);
    a cache file that cannot be used fails CHECK with a one-line error, and on DEL is
    removed and ignored, as libcni's ``DelNetworkList`` does, so that DEL still cleans up."""
    cache = _cache_file(cache_dir, net.name, cid, ifname)
    prev: dict[str, Any] | None = None
    if command == "CHECK":
        prev = read_cached_result(cache, net.name)
    elif command == "DEL":
        try:
            prev = read_cached_result(cache, net.name)
        except CNIError:
            cache.unlink(missing_ok=True)
    if command == "CHECK" and prev is None:
        raise CNIError(ERR_INTERNAL, f"no cached result for {net.name} {cid} {ifname}: ADD first")
    chain = net.plugins if command != "DEL" else tuple(reversed(net.plugins))
    for plugin in chain:
        conf = {"cniVersion": net.cni_version, "name": net.name, **plugin}
        if prev is not None:
            conf["prevResult"] = prev
        run = exec_plugin(
            find_plugin(plugin["type"], cni_path),
            command,
            conf,
            cid=cid,
            ifname=ifname,
            netns=_netns_path(netns),
            args=args,
            cni_path=cni_path,
        )
        if run.rc != 0:
            doc = run.doc if isinstance(run.doc, dict) else {}
            raise CNIError(
                int(doc.get("code", ERR_INTERNAL)),
                f'plugin type="{plugin["type"]}" failed ({command.lower()}): '
                f"{doc.get('msg', run.raw.strip() or run.stderr.strip())}",
                str(doc.get("details", "")),
            )
        if command == "ADD":
            prev = run.doc
    if command == "ADD":
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(cache.name + ".tmp")  # not with_suffix: IDs may contain "."
        tmp.write_text(
            json.dumps(
                {
                    "kind": "cniCacheV1",
                    "containerId": cid,
                    "ifName": ifname,
                    "networkName": net.name,
                    "result": prev,
                }
            )
        )
        os.replace(tmp, cache)
        return prev
    if command == "DEL":
        cache.unlink(missing_ok=True)
    return None
