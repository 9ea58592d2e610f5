"""The pieces of Go's standard library (go1.19, Debian's golang-1.19) that robfig/cron v3.0.1
leans on, reproduced where Python's nearest equivalent answers differently.

Each function names the Go source it follows (paths under ``/usr/lib/go-1.19/src``):

* :func:`parse_duration` — ``time/format.go`` ``ParseDuration`` (l. 1522), ``leadingInt``
  (l. 1455), ``leadingFraction`` (l. 1478), ``quote`` (l. 800). The fraction is scaled in
  float64 (``v += uint64(float64(f) * (float64(unit) / scale))``), so a long fraction rounds
  as binary floating point rounds, not as the decimal says; the sum is held in a uint64 that
  may reach 2**63, so ``-9223372036854775808ns`` parses and ``9223372036854775808ns`` does not.
* :func:`to_lower` — ``strings.ToLower`` (``strings/strings.go``) maps rune by rune with
  ``unicode.ToLower``, the *simple* mapping: ``'İ'`` (U+0130) becomes ``'i'``, where Python's
  ``str.lower()`` uses the full mapping and gives ``'i̇'`` (i + U+0307).
* :func:`fields`, :func:`trim_space` — ``strings.Fields`` / ``strings.TrimSpace`` split and
  trim on ``unicode.IsSpace`` (``unicode/graphic.go``): the Unicode White_Space set. Python's
  ``str.split()`` and ``str.strip()`` also treat U+001C..U+001F as whitespace; Go does not.
* :func:`load_location` — ``time/zoneinfo.go`` ``LoadLocation`` (l. 641): "" and "UTC" are
  UTC, "Local" the process zone; a name containing ``..`` anywhere (``containsDotDot``,
  l. 677) or starting with ``/`` or ``\\`` is refused ("time: invalid location name");
  anything else is *opened as a path* under ``$ZONEINFO`` and then each of
  ``/usr/share/zoneinfo/``, ``/usr/share/lib/zoneinfo/``, ``/usr/lib/locale/TZ/``
  (``time/zoneinfo_unix.go`` l. 20; ``loadTzinfoFromDirOrZip`` l. 365 joins ``dir + "/" +
  name``). So ``Asia/./Shanghai``, ``Asia//Shanghai`` and ``./UTC`` load — the kernel
  resolves ``.`` and ``//`` — while Python's ``zoneinfo`` refuses any key that is not a
  normalised path. The first error other than ENOENT wins (``loadLocation``, l. 529):
  ``Asia`` fails with "is a directory", ``UTC/x`` with "not a directory", ``zone.tab``
  with "malformed time zone information".
"""

from __future__ import annotations

import errno
import os
import struct
from functools import lru_cache
from io import BytesIO
from zoneinfo import ZoneInfo

_INT64_MAX = (1 << 63) - 1
# time/format.go unitMap
UNITS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,  # U+00B5 micro sign
    "μs": 1_000,  # U+03BC Greek mu
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}
# unicode.IsSpace: the Latin-1 cases listed in unicode/graphic.go, then the White_Space table
# (unicode/tables.go, Unicode 13.0 in go1.19).
GO_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)
# unicode.ToLower is the simple mapping (UnicodeData.txt); str.lower() applies the full one
# (SpecialCasing.txt). The only unconditional full lower-case mapping longer than one
# character is U+0130's.
_SIMPLE_LOWER = {"\u0130": "i"}
ZONE_SOURCES = ("/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/", "/usr/lib/locale/TZ/")
_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_ESCAPES["\v"] = "\\v"


class GoError(ValueError):
    """A Go ``error`` value: ``str()`` is exactly its ``Error()`` text."""


def time_quote(s: str) -> str:
    """``time.quote`` (time/format.go l. 800): bytes below 0x20 and every byte of a non-ASCII
    character as ``\\xNN``; ``"`` and ``\\`` backslashed."""
    out = ['"']
    for ch in s:
        if ch >= "\x80" or ch < " ":
            out.extend(f"\\x{b:02x}" for b in ch.encode("utf-8", "surrogatepass"))
        else:
            out.append("\\" + ch if ch in '"\\' else ch)
    return "".join(out) + '"'


def strconv_quote(s: str) -> str:
    """``strconv.Quote`` (strconv/quote.go ``appendQuotedWith``): printable runes as they are
    (``str.isprintable`` and ``strconv.IsPrint`` agree: letters, marks, numbers, punctuation,
    symbols and U+0020), the C escapes, ``\\xNN`` below 0x80, ``\\uNNNN``, ``\\UNNNNNNNN``."""
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch < "\x80":
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "".join(out) + '"'


def _leading_int(s: str) -> tuple[int, str]:
    """``leadingInt``: the leading digits as a uint64; OverflowError past 2**63."""
    x, i = 0, 0
    while i < len(s) and "0" <= s[i] <= "9":
        if x > (1 << 63) // 10:
            raise OverflowError
        x = x * 10 + ord(s[i]) - 48
        if x > 1 << 63:
            raise OverflowError
        i += 1
    return x, s[i:]


def _leading_fraction(s: str) -> tuple[int, float, str]:
    """``leadingFraction``: digits after the point; past uint64 precision they are skipped."""
    x, scale, i, overflow = 0, 1.0, 0, False
    while i < len(s) and "0" <= s[i] <= "9":
        if not overflow:
            if x > _INT64_MAX // 10:
                overflow = True
            else:
                y = x * 10 + ord(s[i]) - 48
                if y > 1 << 63:
                    overflow = True
                else:
                    x, scale = y, scale * 10  # float64 multiplication, as in Go
        i += 1
    return x, scale, s[i:]


def parse_duration(text: str) -> int:
    """``time.ParseDuration`` in nanoseconds (an int64), or GoError with Go's message."""
    orig, s = text, text
    invalid = GoError("time: invalid duration " + time_quote(orig))
    neg = False
    if s[:1] in ("-", "+"):
        neg, s = s[0] == "-", s[1:]
    if s == "0":
        return 0
    if s == "":
        raise invalid
    d = 0
    while s:
        f, scale = 0, 1.0
        if not (s[0] == "." or "0" <= s[0] <= "9"):
            raise invalid
        before = len(s)
        try:
            v, s = _leading_int(s)
        except OverflowError:
            raise invalid from None
        pre = before != len(s)
        post = False
        if s[:1] == ".":
            s = s[1:]
            before = len(s)
            f, scale, s = _leading_fraction(s)
            post = before != len(s)
        if not pre and not post:
            raise invalid
        i = 0
        while i < len(s) and not (s[i] == "." or "0" <= s[i] <= "9"):
            i += 1
        if i == 0:
            raise GoError("time: missing unit in duration " + time_quote(orig))
        u, s = s[:i], s[i:]
        if u not in UNITS:
            raise GoError(f"time: unknown unit {time_quote(u)} in duration {time_quote(orig)}")
        unit = UNITS[u]
        if v > (1 << 63) // unit:
            raise invalid
        v *= unit
        if f > 0:
            # float64(f) * (float64(unit) / scale), converted to uint64 by truncation
            v += int(float(f) * (float(unit) / scale))
            if v > 1 << 63:
                raise invalid
        d += v
        if d > 1 << 63:
            raise invalid
    if neg:
        return -d  # -Duration(1<<63) wraps to itself: -2**63, the one asymmetric value
    if d > _INT64_MAX:
        raise invalid
    return d


def to_lower(s: str) -> str:
    """``strings.ToLower``: ``unicode.ToLower`` rune by rune (the simple mapping)."""
    if s.isascii():
        return s.lower()
    out = []
    for ch in s:
        low = ch.lower()
        out.append(low if len(low) == 1 else _SIMPLE_LOWER.get(ch, ch))
    return "".join(out)


def fields(s: str) -> list[str]:
    """``strings.Fields``: runs of non-space runes, space being ``unicode.IsSpace``."""
    out: list[str] = []
    cur: list[str] = []
    for ch in s:
        if ch in GO_SPACE:
            if cur:
                out.append("".join(cur))
                cur = []
        else:
            cur.append(ch)
    if cur:
        out.append("".join(cur))
    return out


def trim_space(s: str) -> str:
    """``strings.TrimSpace``: leading and trailing ``unicode.IsSpace`` runes removed."""
    a, b = 0, len(s)
    while a < b and s[a] in GO_SPACE:
        a += 1
    while b > a and s[b - 1] in GO_SPACE:
        b -= 1
    return s[a:b]


def _tzif_ok(data: bytes) -> bool:
    """Whether ``LoadLocationFromTZData`` (time/zoneinfo_read.go l. 116) takes the bytes: the
    magic, a known version, and data blocks the counts fit in (its ``badData`` checks)."""
    if len(data) < 44 or data[:4] != b"TZif" or data[4:5] not in (b"\0", b"2", b"3", b"4"):
        return False
    isut, isstd, leap, time, typ, char = struct.unpack_from(">6l", data, 20)
    need = 44 + time * 5 + typ * 6 + char + leap * 8 + isstd + isut
    if min(isut, isstd, leap, time, typ, char) < 0 or typ == 0 or len(data) < need:
        return False
    try:
        ZoneInfo.from_file(BytesIO(data))
    except ValueError:
        return False
    return True


def _errno_text(code: int) -> str:
    """Go's ``syscall.Errno.Error()`` strings are glibc's ``strerror`` texts, lower-cased."""
    text = os.strerror(code)
    return text[:1].lower() + text[1:]


def _read(path: str) -> bytes:
    """Go's ``readFile`` (time/zoneinfo_read.go l. 573): open and read; EISDIR on a directory."""
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(fd, 4096):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


@lru_cache(maxsize=256)
def load_location(name: str) -> ZoneInfo | None:
    """``time.LoadLocation``: a ZoneInfo, None for "Local", or GoError with Go's message."""
    if name in ("", "UTC"):
        return ZoneInfo("UTC")
    if name == "Local":
        return None
    if ".." in name or name[0] in "/\\":
        raise GoError("time: invalid location name")
    sources = [d for d in (os.environ.get("ZONEINFO", ""),) if d] + list(ZONE_SOURCES)
    first: str | None = None
    for source in sources:
        if source.endswith(".zip"):
            continue  # an uncompressed zip of zone files: not modelled (none on Debian)
        if "\0" in name:  # syscall.ByteSliceFromString refuses a NUL: EINVAL
            first = first or _errno_text(errno.EINVAL)
            continue
        try:
            data = _read(f"{source}/{name}")
        except OSError as exc:
            if exc.errno != errno.ENOENT and first is None:
                first = _errno_text(exc.errno or 0)
            continue
        if _tzif_ok(data):
            return ZoneInfo.from_file(BytesIO(data), key=name)
        if first is None:
            first = "malformed time zone information"
    raise GoError(first or f"unknown time zone {name}")
