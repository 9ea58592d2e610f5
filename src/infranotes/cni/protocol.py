"""The CNI exec protocol (SPEC.md "Execution protocol"), as the reference ``skel`` package runs it.

A plugin reads ``CNI_COMMAND``, ``CNI_CONTAINERID``, ``CNI_NETNS``, ``CNI_IFNAME``,
``CNI_ARGS`` and ``CNI_PATH`` from its environment and the network configuration from stdin;
it prints the result (ADD) or nothing (DEL, CHECK, GC, STATUS) and exits 0, or prints the
error object and exits 1. Output formats match the reference byte for byte: results and
errors indented by four spaces without a final newline, VERSION compact with one.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO, TextIO

from infranotes.cni.types import (
    ERR_INCOMPATIBLE_VERSION,
    ERR_INTERNAL,
    ERR_INVALID_ENV,
    SUPPORTED_VERSIONS,
    CNIError,
    parse_netconf,
    validate_container_id,
    validate_interface_name,
    version_tuple,
)

PLUGIN_VERSIONS = SUPPORTED_VERSIONS
COMMANDS = ("ADD", "DEL", "CHECK", "VERSION", "GC", "STATUS")
# skel.go: which variables each command needs (CNI_ARGS is never required)
_REQUIRED = {
    "ADD": ("CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_PATH"),
    "CHECK": ("CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_PATH"),
    "DEL": ("CNI_CONTAINERID", "CNI_IFNAME", "CNI_PATH"),
    "GC": ("CNI_PATH",),
    "STATUS": ("CNI_PATH",),
    "VERSION": (),
}


@dataclass(frozen=True)
class CmdArgs:
    """What a plugin gets: ``skel.CmdArgs``."""

    command: str
    container_id: str
    netns: str
    ifname: str
    args: str
    path: str
    stdin: bytes
    conf: Mapping[str, Any]


Handler = Callable[[CmdArgs], dict[str, Any] | None]


def dump(obj: object) -> str:
    """Go's json.MarshalIndent(obj, "", "    ")."""
    return json.dumps(obj, indent=4, ensure_ascii=False)


def _version_doc() -> dict[str, object]:
    return {"cniVersion": "1.0.0", "supportedVersions": list(PLUGIN_VERSIONS)}


def run_plugin(
    name: str,
    handlers: Mapping[str, Handler],
    env: Mapping[str, str],
    stdin: BinaryIO,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """One plugin invocation: parse, dispatch, print; returns the exit status."""
    command = env.get("CNI_COMMAND", "")
    if not command:
        stderr.write(
            f"CNI {name} plugin version unknown\nCNI protocol versions supported: "
            + ", ".join(PLUGIN_VERSIONS)
            + "\n"
        )
        return 0
    try:
        if command not in COMMANDS:
            raise CNIError(ERR_INVALID_ENV, f"unknown CNI_COMMAND: {command}")
        if command == "VERSION":
            stdout.write(json.dumps(_version_doc(), separators=(",", ":")) + "\n")
            return 0
        missing = [v for v in _REQUIRED[command] if not env.get(v)]
        if missing:
            raise CNIError(ERR_INVALID_ENV, f"required env variables [{' '.join(missing)}] missing")
        if env.get("CNI_CONTAINERID"):
            validate_container_id(env["CNI_CONTAINERID"])
        if env.get("CNI_IFNAME"):  # skel.go pluginMain validates it next (ValidateInterfaceName)
            validate_interface_name(env["CNI_IFNAME"])
        data = stdin.read()
        conf = parse_netconf(data)
        version = conf.get("cniVersion") or "0.1.0"
        if command == "CHECK" and version_tuple(version) < (0, 4, 0):
            raise CNIError(ERR_INCOMPATIBLE_VERSION, "config version does not allow CHECK")
        if command in ("GC", "STATUS") and version_tuple(version) < (1, 1, 0):
            raise CNIError(ERR_INCOMPATIBLE_VERSION, f"config version does not allow {command}")
        args = CmdArgs(
            command,
            env.get("CNI_CONTAINERID", ""),
            env.get("CNI_NETNS", ""),
            env.get("CNI_IFNAME", ""),
            env.get("CNI_ARGS", ""),
            env.get("CNI_PATH", ""),
            data,
            conf,
        )
        handler = handlers.get(command)
        if handler is None:
            raise CNIError(ERR_INTERNAL, f"{name} does not implement {command}")
        out = handler(args)
        if out is not None:
            stdout.write(dump(out))
        return 0
    except CNIError as exc:
        stdout.write(dump(exc.to_json()))
        return 1
    except OSError as exc:  # the store or a namespace: the spec's I/O failure
        stdout.write(dump(CNIError(5, f"{exc.strerror or exc}: {exc.filename or ''}").to_json()))
        return 1
    except Exception as exc:  # a runtime reads the error object, never a traceback
        stdout.write(dump(CNIError(ERR_INTERNAL, f"{name}: {type(exc).__name__}: {exc}").to_json()))
        return 1


def main_for(name: str, handlers: Mapping[str, Handler]) -> Callable[[], None]:
    """A console-script entry point for a plugin."""

    def main() -> None:
        import os

        code = run_plugin(name, handlers, os.environ, sys.stdin.buffer, sys.stdout, sys.stderr)
        sys.stdout.flush()
        raise SystemExit(code)

    return main
