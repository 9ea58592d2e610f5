"""What every topic's verbs share: the usage error, bounded file reads, numbers, JSON out."""

from __future__ import annotations

import argparse
import json
import math
import os
import stat
import sys
from typing import Any, NoReturn

from infranotes.errors import InfranotesError

KIB = 1024
MIB = 1024 * KIB

# How much of each kind of input a verb reads before it refuses the file. Generous for real
# data (a 10,000-Service iptables-save is about 20 MiB, a large `ceph pg dump` JSON tens of
# MiB), small enough that /dev/zero or a mistaken path is refused in bounded time and memory.
LIMITS = {
    "resolv.conf": 1 * MIB,
    "zone file": 64 * MIB,
    "manifest": 64 * MIB,
    "dnsConfig": 1 * MIB,
    "iptables-save": 256 * MIB,
    "ipset list": 64 * MIB,
    "nft ruleset": 256 * MIB,
    "TZif file": 10 * MIB,
    "CronJob": 16 * MIB,
    "CNI configuration": 1 * MIB,
    "Ceph JSON": 256 * MIB,
    "PEM file": 16 * MIB,
    "harbor.cfg": 1 * MIB,
}


class UsageError(InfranotesError):
    """Bad arguments or an unusable input file: reported like any other input error (exit 2)."""


class Parser(argparse.ArgumentParser):
    """An argparse parser whose errors become :class:`UsageError` (one line, exit 2)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def json_parent() -> argparse.ArgumentParser:
    """The parent parser every verb shares: ``--json`` prints exactly one JSON document."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--json", action="store_true", help="print one JSON document")
    return parent


def add_lang(parser: argparse.ArgumentParser, keeps: str) -> None:
    """``--lang {en,zh}``: the language of a verb's prose (English, the default, or Chinese);
    ``keeps`` names what stays as it is in both (states, codes, commands...)."""
    parser.add_argument(
        "--lang",
        choices=("en", "zh"),
        default="en",
        help=f"language of the explanations (zh: Chinese); {keeps} stay",
    )


def read_bytes(path: str, kind: str, flag: str = "") -> bytes:
    """The file's bytes, refusing directories and anything larger than ``LIMITS[kind]``.

    Reads at most the limit plus one byte, so ``/dev/zero``, a FIFO or a huge file ends in
    bounded time and memory. A FIFO with no writer reads as empty instead of blocking.
    """
    limit = LIMITS[kind]
    where = f"{flag} {path}" if flag else path
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UsageError(f"cannot read {where}: {exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise UsageError(f"cannot read {where}: is a directory, expected a {kind}")
        if not stat.S_ISREG(mode):  # pipes and devices: blocking reads, still bounded by size
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            try:
                chunk = os.read(fd, min(MIB, limit + 1 - size))
            except BlockingIOError:
                break
            except OSError as exc:
                raise UsageError(f"cannot read {where}: {exc.strerror}") from None
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise UsageError(
                f"{where}: larger than {limit // MIB} MiB; expected a {kind}, refusing to read it"
            )
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: str, kind: str, flag: str = "") -> str:
    """:func:`read_bytes` decoded as UTF-8 (undecodable bytes kept as surrogates)."""
    return read_bytes(path, kind, flag).decode("utf-8", errors="surrogateescape")


def number(
    text: str, flag: str, kind: type = float, *, lo: float | None = None, hi: float | None = None
) -> Any:
    """A finite number from a flag, within ``[lo, hi]`` when given."""
    try:
        value = kind(text)
    except (ValueError, OverflowError):
        raise UsageError(f"{flag} {text!r}: expected a number") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise UsageError(f"{flag} {text!r}: expected a finite number")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        bounds = (
            f"{lo:g}..{hi:g}"
            if lo is not None and hi is not None
            else (f">= {lo:g}" if lo is not None else f"<= {hi:g}")
        )
        raise UsageError(f"{flag} {text!r}: expected a number in {bounds}")
    return value


def port(value: int | str, flag: str) -> int:
    """A TCP/UDP port number (0 picks a free one)."""
    return int(number(str(value), flag, int, lo=0, hi=65535))


def ip_address(text: str, flag: str, *, version: int | None = 4) -> str:
    """An IP address given on the command line (IPv4 unless ``version`` is None)."""
    import ipaddress

    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        raise UsageError(f"{flag} {text!r}: expected an IP address") from None
    if version is not None and addr.version != version:
        raise UsageError(f"{flag} {text!r}: expected an IPv{version} address")
    return str(addr)


def ip_network(text: str, flag: str) -> Any:
    """An IPv4 network in CIDR notation (host bits allowed, as ``ip route`` does)."""
    import ipaddress

    try:
        return ipaddress.IPv4Network(text, strict=False)
    except ValueError:
        raise UsageError(f"{flag} {text!r}: expected an IPv4 CIDR like 10.244.0.0/16") from None


def emit(obj: object) -> None:
    """Print one JSON document; NaN and infinities are a bug, never output."""
    sys.stdout.write(json.dumps(obj, indent=2, allow_nan=False))
    sys.stdout.write("\n")


def emit_line(obj: object) -> None:
    """One JSON line of a streaming verb, flushed at once."""
    sys.stdout.write(json.dumps(obj, allow_nan=False) + "\n")
    sys.stdout.flush()


def one_line(text: str) -> str:
    """A library's multi-line message folded into one line."""
    parts = [p.strip() for p in str(text).splitlines() if p.strip()]
    return "; ".join(parts) if parts else str(text).strip()
