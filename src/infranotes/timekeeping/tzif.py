"""TZif files (RFC 8536, versions 1 to 4): the binary zone files under /usr/share/zoneinfo.

A file is a v1 header and data block (32-bit times), then for version 2 and later a second
header and data block (64-bit times) and a footer holding a POSIX TZ string for instants
after the last transition (RFC 8536 §3). Validation is strict and every ParseError names the
field that is inconsistent.
"""

from __future__ import annotations

import bisect
import datetime as dt
import struct
from dataclasses import dataclass

from infranotes.errors import ParseError
from infranotes.timekeeping.posixtz import PosixTZ, parse_posix_tz

MAGIC = b"TZif"
HEADER = struct.Struct(">4sc15x6l")  # magic, version, reserved, six counts (RFC 8536 §3.1)
COUNTS = ("isutcnt", "isstdcnt", "leapcnt", "timecnt", "typecnt", "charcnt")


@dataclass(frozen=True)
class LocalTimeType:
    utoff: int  # seconds east of UT
    isdst: bool
    abbr: str


@dataclass(frozen=True)
class LeapSecond:
    occurrence: int  # UT seconds since the epoch, counting earlier leap seconds
    correction: int  # total correction after this leap second


@dataclass(frozen=True)
class TZif:
    version: int  # 1..4
    transitions: tuple[int, ...]  # UT seconds since 1970, ascending
    indices: tuple[int, ...]  # local time type of each transition
    types: tuple[LocalTimeType, ...]
    leaps: tuple[LeapSecond, ...]
    isstd: tuple[bool, ...]  # transition times were standard (not wall) time
    isut: tuple[bool, ...]  # transition times were UT (not local) time
    footer: str | None  # v2+: POSIX TZ string for after the last transition ("" = none)
    source: str = "<tzif>"

    def footer_tz(self) -> PosixTZ | None:
        return parse_posix_tz(self.footer, source=f"{self.source} footer") if self.footer else None

    def first_type(self) -> LocalTimeType:
        """The type for instants before the first transition: type 0 (RFC 8536 §3.2)."""
        return self.types[0]

    def at(self, t: int) -> LocalTimeType:
        """The local time type in effect at UT second ``t``."""
        if not self.transitions:
            # RFC 8536 §3.2: with no transitions the footer, if any, governs every instant
            tz = self.footer_tz()
            if tz is None:
                return self.first_type()
            utoff, isdst, abbr = tz.evaluate(t)
            return LocalTimeType(utoff, isdst, abbr)
        if t < self.transitions[0]:
            return self.first_type()
        i = bisect.bisect_right(self.transitions, t) - 1
        if i == len(self.transitions) - 1 and self.footer:
            tz = self.footer_tz()
            assert tz is not None
            utoff, isdst, abbr = tz.evaluate(t)
            return LocalTimeType(utoff, isdst, abbr)
        return self.types[self.indices[i]]

    def to_json(self) -> dict[str, object]:
        """The shape ``infranotes tz inspect --json`` prints: every type, transition (with its
        UTC time as text) and leap second, and the footer."""
        return {
            "file": self.source,
            "version": self.version,
            "types": [{"utoff": t.utoff, "isdst": t.isdst, "abbr": t.abbr} for t in self.types],
            "transitions": [
                {
                    "at": t,
                    "utc": utc_text(t),
                    "utoff": self.types[i].utoff,
                    "isdst": self.types[i].isdst,
                    "abbr": self.types[i].abbr,
                }
                for t, i in zip(self.transitions, self.indices, strict=True)
            ],
            "leap_seconds": [
                {"occurrence": x.occurrence, "correction": x.correction} for x in self.leaps
            ],
            "footer": self.footer,
        }


def utc_text(t: int) -> str:
    """A Unix time as UTC text, or the raw seconds outside datetime's range (TZif allows
    instants from −2**59 on, RFC 8536 §3.2)."""
    try:
        return dt.datetime.fromtimestamp(t, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UT")
    except (OverflowError, ValueError, OSError):
        return f"{t} s"


def _need(data: bytes, pos: int, n: int, what: str, source: str) -> None:
    if pos + n > len(data):
        raise ParseError(
            f"truncated: {what} needs {n} bytes at offset {pos}, file has {len(data) - pos} left",
            source=source,
            expected=what,
        )


def _header(data: bytes, pos: int, source: str) -> tuple[int, dict[str, int]]:
    _need(data, pos, HEADER.size, "a 44-byte TZif header", source)
    magic, ver, *counts = HEADER.unpack_from(data, pos)
    if magic != MAGIC:
        raise ParseError(
            f"magic is {magic!r} at offset {pos}, not b'TZif'",
            source=source,
            expected="a TZif file (RFC 8536)",
        )
    if ver == b"\0":
        version = 1
    elif ver in (b"2", b"3", b"4"):
        version = int(ver)
    else:
        raise ParseError(f"version byte {ver!r}", source=source, expected="NUL, '2', '3' or '4'")
    c = dict(zip(COUNTS, counts, strict=True))
    for name, value in c.items():
        if value < 0:
            raise ParseError(f"{name} is negative ({value})", source=source)
    if c["typecnt"] == 0:
        raise ParseError("typecnt is 0", source=source, expected="at least one local time type")
    if c["charcnt"] == 0:
        raise ParseError("charcnt is 0", source=source, expected="at least one designation byte")
    for name in ("isutcnt", "isstdcnt"):
        if c[name] not in (0, c["typecnt"]):
            raise ParseError(
                f"{name} is {c[name]}, typecnt is {c['typecnt']}",
                source=source,
                expected=f"{name} 0 or equal to typecnt",
            )
    return version, c


def _block(
    data: bytes, pos: int, c: dict[str, int], tsize: int, source: str, version: int
) -> tuple[int, tuple]:
    """Parse one data block (RFC 8536 §3.2) starting at ``pos``; returns the end offset."""
    tfmt = ">%dq" if tsize == 8 else ">%dl"
    n = c["timecnt"]
    size = (
        n * tsize
        + n
        + c["typecnt"] * 6
        + c["charcnt"]
        + c["leapcnt"] * (tsize + 4)
        + c["isstdcnt"]
        + c["isutcnt"]
    )
    _need(data, pos, size, f"a data block of {size} bytes", source)
    times = struct.unpack_from(tfmt % n, data, pos)
    pos += n * tsize
    idx = tuple(data[pos : pos + n])
    pos += n
    raw_types = [struct.unpack_from(">lBB", data, pos + 6 * i) for i in range(c["typecnt"])]
    pos += 6 * c["typecnt"]
    chars = data[pos : pos + c["charcnt"]]
    pos += c["charcnt"]
    leaps = []
    for _ in range(c["leapcnt"]):
        occ = struct.unpack_from(">q" if tsize == 8 else ">l", data, pos)[0]
        corr = struct.unpack_from(">l", data, pos + tsize)[0]
        leaps.append(LeapSecond(occ, corr))
        pos += tsize + 4
    isstd = tuple(bool(b) for b in data[pos : pos + c["isstdcnt"]])
    pos += c["isstdcnt"]
    isut = tuple(bool(b) for b in data[pos : pos + c["isutcnt"]])
    pos += c["isutcnt"]
    for i in range(1, n):
        if times[i] <= times[i - 1]:
            raise ParseError(
                f"transition {i} ({times[i]}) is not after transition {i - 1} ({times[i - 1]})",
                source=source,
                expected="ascending transition times",
            )
    for i, k in enumerate(idx):
        if k >= c["typecnt"]:
            raise ParseError(
                f"transition {i} uses type {k}, typecnt is {c['typecnt']}",
                source=source,
                expected="type indices below typecnt",
            )
    if chars[-1:] != b"\0":
        raise ParseError("time zone designations do not end with NUL", source=source)
    types = []
    for i, (utoff, isdst, desig) in enumerate(raw_types):
        if utoff == -(2**31):
            raise ParseError(
                f"type {i} utoff is -2**31",
                source=source,
                expected="utoff other than -2**31 (RFC 8536 §3.2)",
            )
        if not -89999 <= utoff <= 93599:
            raise ParseError(f"type {i} utoff {utoff} is outside -89999..93599", source=source)
        if isdst > 1:
            raise ParseError(f"type {i} isdst is {isdst}", source=source, expected="0 or 1")
        if desig >= c["charcnt"]:
            raise ParseError(
                f"type {i} desigidx {desig} is beyond charcnt {c['charcnt']}", source=source
            )
        end = chars.index(b"\0", desig)
        try:
            abbr = chars[desig:end].decode("ascii")
        except UnicodeDecodeError:
            raise ParseError(f"type {i} designation is not ASCII", source=source) from None
        types.append(LocalTimeType(utoff, bool(isdst), abbr))
    for i in range(1, len(leaps)):
        if leaps[i].occurrence <= leaps[i - 1].occurrence:
            raise ParseError(f"leap second {i} is not after leap second {i - 1}", source=source)
        if abs(leaps[i].correction - leaps[i - 1].correction) != 1:
            raise ParseError(
                f"leap second {i} changes the correction by "
                f"{leaps[i].correction - leaps[i - 1].correction}",
                source=source,
                expected="+1 or -1 per leap second",
            )
    if leaps and version < 4 and abs(leaps[0].correction) != 1:
        raise ParseError(
            f"first leap second correction is {leaps[0].correction}",
            source=source,
            expected="+1 or -1 before version 4",
        )
    for i, (s, u) in enumerate(zip(isstd, isut, strict=False)):
        if u and not s:
            raise ParseError(
                f"type {i} is UT but not standard",
                source=source,
                expected="isut only with isstd (RFC 8536 §3.2)",
            )
    return pos, (times, idx, tuple(types), tuple(leaps), isstd, isut)


def parse_tzif(data: bytes, source: str = "<tzif>") -> TZif:
    """Read a TZif file; for version 2+ the 64-bit block and the footer are used."""
    if not isinstance(data, bytes | bytearray):
        raise ParseError("TZif data must be bytes", source=source)
    version, c = _header(data, 0, source)
    pos, block = _block(data, HEADER.size, c, 4, source, version)
    footer: str | None = None
    if version >= 2:
        v2, c2 = _header(data, pos, source)
        if v2 != version:
            raise ParseError(
                f"second header says version {v2}, first says {version}", source=source
            )
        pos, block = _block(data, pos + HEADER.size, c2, 8, source, version)
        _need(data, pos, 2, "the footer (two newlines around a TZ string)", source)
        if data[pos : pos + 1] != b"\n":
            raise ParseError("footer does not start with a newline", source=source)
        end = data.find(b"\n", pos + 1)
        if end < 0:
            raise ParseError("footer has no closing newline", source=source)
        try:
            footer = data[pos + 1 : end].decode("ascii")
        except UnicodeDecodeError:
            raise ParseError("footer is not ASCII", source=source) from None
        if footer:
            parse_posix_tz(footer, source=f"{source} footer", extended=version >= 3)
    times, idx, types, leaps, isstd, isut = block
    return TZif(version, tuple(times), idx, types, leaps, isstd, isut, footer, source)
