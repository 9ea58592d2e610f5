"""The ``infranotes-host-local`` plugin: host-local IPAM behind the exec protocol."""

from __future__ import annotations

from typing import Any

from infranotes.cni import ipam
from infranotes.cni.protocol import CmdArgs, main_for
from infranotes.cni.types import ERR_DECODE, CNIError, load_ipam_config


def _add(a: CmdArgs) -> dict[str, Any]:
    conf = load_ipam_config(dict(a.conf), a.args)
    return ipam.add(conf, a.container_id, a.ifname).to_json(conf.cni_version)


def _del(a: CmdArgs) -> None:
    ipam.delete(load_ipam_config(dict(a.conf), a.args), a.container_id, a.ifname)


def _check(a: CmdArgs) -> None:
    ipam.check(load_ipam_config(dict(a.conf), a.args), a.container_id, a.ifname)


def _gc(a: CmdArgs) -> None:
    raw = a.conf.get("cni.dev/valid-attachments") or []
    if not isinstance(raw, list) or not all(isinstance(v, dict) for v in raw):
        raise CNIError(ERR_DECODE, "cni.dev/valid-attachments must be a list of objects")
    valid = {(str(v.get("containerID", "")), str(v.get("ifname", ""))) for v in raw}
    ipam.gc(load_ipam_config(dict(a.conf), a.args), valid)


def _status(a: CmdArgs) -> None:
    ipam.status(load_ipam_config(dict(a.conf), a.args))


HANDLERS = {"ADD": _add, "DEL": _del, "CHECK": _check, "GC": _gc, "STATUS": _status}
main = main_for("host-local", HANDLERS)
