"""What ``localtime()`` returns in glibc 2.36 and musl 1.2.3, step by step as their code does.

The zone doctor's ordinary answers come from RFC 8536 (:mod:`~infranotes.timekeeping.tzif`);
at the edges each C library does its own thing, and a program sees *that*. This module ports
the two code paths literally, so damaged files and odd ``TZ`` values give what the libraries
give (names and offsets included, empty or garbage), checked in chroot roots by
``tests/oracles/test_timezone_oracle.py``.

glibc 2.36 (``time/tzset.c``, ``time/tzfile.c``):

* ``tzset_internal``: ``TZ=""`` becomes ``"Universal"`` (a file under TZDIR, falling back to
  a POSIX name ``Universal`` at UTC+0); a leading ``:`` is dropped; unset means
  ``/etc/localtime``; if no file loads, ``/etc/localtime`` and ``""`` mean ``UTC``,
  anything else goes to ``__tzset_parse_tz``.
* ``__tzfile_read``: any non-NUL version byte means "skip to the 64-bit data"; the footer
  length is what is left of the file after the data (at least two bytes, or the whole file is
  refused); the footer is read as that many bytes minus one after a ``\\n`` (so a cut footer
  loses its last character), and an empty one is ignored.
* ``__tzfile_compute``: before the first transition, the first non-DST type; after the last,
  the footer parsed by ``__tzset_parse_tz`` (whatever prefix parses: a name without offset
  is that name at UTC+0, a bad rule leaves day 0 at 00:00).
* ``__tzset_parse_tz`` + ``__tzfile_default``: ``std offset dst [offset]`` with no rule
  takes its transitions from the root's ``posixrules`` file (TZDEFRULES), shifted by the
  difference in offsets, with the user's names — but after that file's last transition its
  footer (New York's ``EST5EDT,…``) applies, names and offsets included. Without posixrules,
  an empty rule means the US rules (``parse_rule``: M3.2.0 and M11.1.0).

musl 1.2.3 (``src/time/__tz.c`` ``do_tzset``, ``scan_trans``, ``__secs_to_zone``):

* ``TZ=""`` is ``"UTC"``; a value is a POSIX string only if it starts with letters (or
  ``<...>``) followed by a sign or digit, or those letters are ``UTC``/``GMT``
  (``posix_form``); anything else is a file: names are searched in ``/usr/share/zoneinfo/``,
  ``/share/zoneinfo/``, ``/etc/zoneinfo/`` (no ``.`` allowed), paths starting ``/`` or ``.``
  are opened as given, and a file that does not open means ``UTC``.
* A file is used if it is at least 44 bytes and starts with ``TZif`` — nothing else is
  checked. Any version byte other than ``'1'`` means "skip to the second header", so a v1
  file (version NUL) is read past its end: the mapping reads zeros there (a zero type, an
  empty name, UTC+0).
* The footer is the text between the last two ``\\n`` if the file ends with ``\\n``; an
  empty footer (the ``right/`` zones) makes everything after the last transition UTC with
  an empty name. A file not ending in ``\\n`` has no rules at all: after the last
  transition the first standard and first DST types apply with day-0 rules, which puts
  most of every year in DST; and a standard offset east of UT comes out as
  ``utoff - 2**32`` (``__timezone = -zi_read32(p)`` negates an unsigned value).
* ``getname`` takes any number of letters (even none) up to TZNAME_MAX (6), so ``TZ=A5``
  is a zone named ``A``; ``std offset dst`` with no rule is DST all year.
"""

from __future__ import annotations

import bisect
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass, field

from infranotes.timekeeping.messages import said, tr

Reader = Callable[[str], bytes | None]  # path inside the root -> bytes, None if unopenable
TZDEFAULT = "/etc/localtime"
TZDIR = "/usr/share/zoneinfo"
TZDEFRULES = "posixrules"
MUSL_SEARCH = ("/usr/share/zoneinfo/", "/share/zoneinfo/", "/etc/zoneinfo/")
MUSL_TZNAME_MAX = 6
PAGE = 4096
SECSPERDAY = 86400
_MON_YDAY = (
    (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365),
    (0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366),
)


@dataclass(frozen=True)
class Local:
    """What ``localtime_r`` puts in ``tm_zone``, ``tm_gmtoff`` and ``tm_isdst``, and how."""

    abbr: str
    gmtoff: int
    isdst: bool
    notes: tuple[str, ...] = ()  # which edge of the libc's code produced this
    crashed: bool = False  # the libc faults (SIGSEGV) before localtime returns


def _digit(c: str) -> bool:
    """C's ``isdigit`` in the C locale (and ``c - '0' < 10U``): ASCII digits only, where
    Python's ``str.isdigit`` also takes '¹' (a Latin-1 byte 0xB9 read as a character)."""
    return len(c) == 1 and "0" <= c <= "9"


def _isleap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def _cstr(buf: bytes, i: int) -> str:
    end = buf.find(b"\0", i)
    return buf[i : end if end >= 0 else len(buf)].decode("latin-1")


# --------------------------------------------------------------------------- glibc
@dataclass
class _Rule:
    """glibc ``tz_rule`` (tzset.c): name, offset (east), type J0/J1/M, m, n, d, secs."""

    name: str = ""
    offset: int = 0
    type: str = "J0"  # memset(0) gives J0, the first enumerator
    m: int = 0
    n: int = 0
    d: int = 0
    secs: int = 0

    def change(self, year: int) -> int:
        """``compute_change``: UT second of this rule's transition in ``year``."""
        t = 0
        if year > 1970:
            t = (
                (year - 1970) * 365
                + ((year - 1) // 4 - 1970 // 4)
                - ((year - 1) // 100 - 1970 // 100)
                + ((year - 1) // 400 - 1970 // 400)
            ) * SECSPERDAY
        if self.type == "J1":
            t += (self.d - 1) * SECSPERDAY
            if self.d >= 60 and _isleap(year):
                t += SECSPERDAY
        elif self.type == "J0":
            t += self.d * SECSPERDAY
        else:
            myday = _MON_YDAY[_isleap(year)]
            t += myday[self.m - 1] * SECSPERDAY
            m1 = (self.m + 9) % 12 + 1
            yy0 = year - 1 if self.m <= 2 else year
            yy1, yy2 = int(yy0 / 100), yy0 % 100  # C division: year > 0 here
            dow = int((26 * m1 - 2) / 10) + 1 + yy2 + yy2 // 4 + yy1 // 4 - 2 * yy1
            dow = dow - int(dow / 7) * 7  # C remainder keeps the sign
            if dow < 0:
                dow += 7
            d = self.d - dow
            if d < 0:
                d += 7
            for _ in range(1, self.n):
                if d + 7 >= myday[self.m] - myday[self.m - 1]:
                    break
                d += 7
            t += d * SECSPERDAY
        return t - self.offset + self.secs


def _scan_hu(s: str, i: int) -> tuple[list[int], int]:
    """``sscanf(s, "%hu%n:%hu%n:%hu%n")``: the numbers read and the last %n position."""
    nums: list[int] = []
    consumed = 0
    pos = i
    for k in range(3):
        if k:
            if s[pos : pos + 1] != ":":
                break
            pos += 1
        m = re.compile(r"\s*([+-]?)([0-9]+)", re.ASCII).match(s, pos)
        if not m:
            break
        v = int(m.group(2)) & 0xFFFF
        nums.append((-v & 0xFFFF) if m.group(1) == "-" else v)
        pos = m.end()
        consumed = pos - i
    return nums, consumed


@dataclass
class _GlibcTZ:
    """The state ``__tzset_parse_tz`` leaves: two rules, and whether a file took over."""

    rules: list[_Rule] = field(default_factory=lambda: [_Rule(), _Rule()])


def _parse_tzname(s: str, pos: int, rule: _Rule) -> int | None:
    p = pos
    while p < len(s) and ("a" <= s[p] <= "z" or "A" <= s[p] <= "Z"):
        p += 1
    start, length = pos, p - pos
    if length < 3:
        p = pos
        if s[p : p + 1] != "<":
            return None
        p += 1
        start = p
        while p < len(s) and (s[p].isascii() and (s[p].isalnum() or s[p] in "+-")):
            p += 1
        length = p - start
        if s[p : p + 1] != ">" or length < 3:
            return None
        rule.name = s[start : start + length]
        return p + 1
    rule.name = s[start : start + length]
    return p


def _parse_offset(s: str, pos: int, which: int, rules: list[_Rule]) -> int | None:
    c = s[pos : pos + 1]
    if which == 0 and (c == "" or (c not in "+-" and not _digit(c))):
        return None
    sign = -1
    if c in ("+", "-"):
        sign = 1 if c == "-" else -1
        pos += 1
    nums, consumed = _scan_hu(s, pos)
    if nums:
        hh, mm, ss = [*nums, 0, 0][:3]
        rules[which].offset = sign * (min(ss, 59) + min(mm, 59) * 60 + min(hh, 24) * 3600)
    elif which == 0:
        rules[0].offset = 0
        return None
    else:
        rules[1].offset = rules[0].offset + 3600
    return pos + consumed


def _parse_rule(s: str, pos: int, which: int, rule: _Rule) -> int | None:
    if s[pos : pos + 1] == ",":
        pos += 1
    c = s[pos : pos + 1]
    if c == "J" or _digit(c):
        rule.type = "J1" if c == "J" else "J0"
        if c == "J":
            pos += 1
            if not _digit(s[pos : pos + 1]):
                return None
        m = re.compile(r"\s*\+?([0-9]+)", re.ASCII).match(s, pos)
        if not m or int(m.group(1)) > 365 or (rule.type == "J1" and int(m.group(1)) == 0):
            return None
        rule.d, pos = int(m.group(1)), m.end()
    elif c == "M":
        rule.type = "M"
        # sscanf("M%hu.%hu.%hu%n"): the fields matched before a mismatch are stored
        got = re.compile(r"M(?:\s*([0-9]+)(?:\.\s*([0-9]+)(?:\.\s*([0-9]+))?)?)?", re.ASCII).match(
            s, pos
        )
        assert got is not None
        vals = [int(g) & 0xFFFF for g in got.groups() if g is not None]
        for attr, v in zip(("m", "n", "d"), vals, strict=False):
            setattr(rule, attr, v)
        if len(vals) != 3 or not (1 <= rule.m <= 12 and 1 <= rule.n <= 5 and rule.d <= 6):
            return None
        pos = got.end()
    elif c == "":
        rule.type = "M"
        rule.m, rule.n, rule.d = (3, 2, 0) if which == 0 else (11, 1, 0)
    else:
        return None
    c = s[pos : pos + 1]
    if c not in ("", "/", ","):
        return None
    if c == "/":
        pos += 1
        if pos >= len(s):
            return None
        negative = s[pos] == "-"
        pos += negative
        nums, consumed = _scan_hu(s, pos)
        hh, mm, ss = (nums + [2, 0, 0][len(nums) :])[:3] if nums else (2, 0, 0)
        pos += consumed
        rule.secs = (-1 if negative else 1) * (hh * 3600 + mm * 60 + ss)
    else:
        rule.secs = 7200
    return pos


def _glibc_parse_tz(s: str, default: Callable[[_GlibcTZ], _GlibcFile | None] | None):
    """``__tzset_parse_tz``: rules from whatever prefix of ``s`` parses; a rule-less DST zone
    asks ``default`` (``__tzfile_default``) for a file first. Returns rules or that file."""
    st = _GlibcTZ()
    r = st.rules
    pos = _parse_tzname(s, 0, r[0])
    if pos is not None and (pos := _parse_offset(s, pos, 0, r)) is not None:
        if pos < len(s):
            p2 = _parse_tzname(s, pos, r[1])
            if p2 is not None:
                pos = p2
                p3 = _parse_offset(s, pos, 1, r)
                pos = p3 if p3 is not None else pos
                rest = s[pos:]
                if (rest == "" or rest == ",") and default is not None:
                    f = default(st)
                    if f is not None:
                        return f
            p4 = _parse_rule(s, pos, 0, r[0])
            if p4 is not None:
                _parse_rule(s, p4, 1, r[1])
        else:
            r[1].name, r[1].offset = r[0].name, r[0].offset
    return st


def _tz_compute(st: _GlibcTZ, t: int) -> tuple[str, int, bool]:
    """``__tz_compute``: DST by the two rules' changes in the UT year of ``t``."""
    year = _utc_year(t)
    c0, c1 = st.rules[0].change(year), st.rules[1].change(year)
    isdst = (t < c1 or t >= c0) if c0 > c1 else (c0 <= t < c1)
    r = st.rules[int(isdst)]
    return r.name, r.offset, isdst


@dataclass
class _GlibcFile:
    """What ``__tzfile_read`` keeps: transitions, types (offset, isdst, idx, isstd, isgmt),
    the designations, the footer, and the rule offsets of the last transitions."""

    transitions: list[int]
    idxs: list[int]
    types: list[list[int]]
    names: bytes
    tzspec: str | None
    rule_stdoff: int
    rule_dstoff: int
    default_names: tuple[str, str] | None = None
    notes: list[str] = field(default_factory=list)
    # __tzfile_default for a rule-less footer (set by glibc_localtime: it needs the root)
    posixrules: Callable[[_GlibcTZ], _GlibcFile | None] | None = None

    def name(self, idx: int) -> str:
        # __tzstring(&zone_names[idx]): without a NUL the string runs on through the
        # buffer that follows the designations (no leap records here: the footer text)
        if b"\0" not in self.names[idx:] and self.tzspec is not None:
            return _cstr(self.names + self.tzspec.encode("latin-1") + b"\0", idx)
        return _cstr(self.names, idx)


def _glibc_read(data: bytes | None) -> _GlibcFile | None:
    """``__tzfile_read`` on the file's bytes; None where glibc gives up (``goto lose``)."""
    if data is None:
        return None
    notes: list[str] = []
    pos, width = 0, 4
    while True:
        if len(data) - pos < 44 or data[pos : pos + 4] != b"TZif":
            return None
        isgmt, isstd, leaps, ntrans, ntypes, chars = struct.unpack_from(">6L", data, pos + 20)
        version = data[pos + 4]
        pos += 44
        if isstd > ntypes or isgmt > ntypes:
            return None
        if width == 4 and version != 0:
            width = 8
            pos += ntrans * 5 + ntypes * 6 + chars + leaps * 8 + isstd + isgmt
            continue
        break
    tzspec_len = 0
    if width == 8:
        rem = len(data) - pos
        need = ntrans * 9 + ntypes * 6 + chars
        if rem < need:
            return None
        tzspec_len = rem - need
        if tzspec_len < leaps * 12:
            return None
        tzspec_len -= leaps * 12
        if tzspec_len < isstd:
            return None
        tzspec_len -= isstd
        if tzspec_len == 0 or tzspec_len - 1 < isgmt:
            return None
        tzspec_len -= isgmt + 1
        if tzspec_len == 0:
            return None
    tfmt = ">q" if width == 8 else ">l"
    if len(data) < pos + ntrans * (width + 1):
        return None
    transitions = [struct.unpack_from(tfmt, data, pos + i * width)[0] for i in range(ntrans)]
    pos += ntrans * width
    idxs = list(data[pos : pos + ntrans])
    pos += ntrans
    if any(i >= ntypes for i in idxs):
        return None
    types = []
    for _ in range(ntypes):
        if len(data) < pos + 6:
            return None
        off, isdst, idx = struct.unpack_from(">lBB", data, pos)
        pos += 6
        if isdst > 1 or idx > chars:
            return None
        types.append([off, isdst, idx, 0, 0])
    if len(data) < pos + chars:
        return None
    names = data[pos : pos + chars]
    pos += chars + leaps * (width + 4)
    if len(data) < pos + isstd + isgmt:
        return None
    for i in range(isstd):
        types[i][3] = int(data[pos + i] != 0)
    pos += isstd
    for i in range(isgmt):
        types[i][4] = int(data[pos + i] != 0)
    pos += isgmt
    tzspec: str | None = None
    if width == 8:
        if data[pos : pos + 1] == b"\n" and len(data) >= pos + tzspec_len:
            raw = data[pos + 1 : pos + tzspec_len]
            tzspec = _cstr(raw + b"\0", 0)
            if data[pos + tzspec_len : pos + tzspec_len + 1] != b"\n":
                notes.append(
                    said(
                        lambda lang: tr(
                            lang,
                            "the footer has no closing newline: glibc read it as {tzspec!r} "
                            "(the file size minus the data, less one byte)",
                            tzspec=tzspec,
                        )
                    )
                )
        else:
            notes.append(
                said(
                    lambda lang: tr(
                        lang, "the footer does not start with a newline: glibc ignores it"
                    )
                )
            )
        if tzspec == "":
            tzspec = None
    if ntrans == 0:
        stdoff = dstoff = types[0][0]
    else:
        std_set = dst_set = False
        stdoff = dstoff = 0
        for i in range(ntrans - 1, -1, -1):
            ty = types[idxs[i]]
            if not std_set and not ty[1]:
                std_set, stdoff = True, ty[0]
            elif not dst_set and ty[1]:
                dst_set, dstoff = True, ty[0]
            if std_set and dst_set:
                break
        if not dst_set:
            dstoff = stdoff
    return _GlibcFile(transitions, idxs, types, names, tzspec, stdoff, dstoff, notes=notes)


def _glibc_default(read: Reader, tzdir: str, st: _GlibcTZ) -> _GlibcFile | None:
    """``__tzfile_default``: posixrules' transitions with the user's names and offsets."""
    f = _glibc_read(read(f"{tzdir}/{TZDEFRULES}"))
    if f is None or len(f.types) < 2:
        return None
    std, dst = st.rules
    isdst = 0
    for i, ti in enumerate(f.idxs):
        ty = f.types[ti]
        f.idxs[i] = ty[1]
        if ty[4]:
            pass
        elif isdst and not ty[3]:
            f.transitions[i] += dst.offset - f.rule_dstoff
        else:
            f.transitions[i] += std.offset - f.rule_stdoff
        isdst = ty[1]
    f.rule_stdoff, f.rule_dstoff = std.offset, dst.offset
    names = std.name.encode("latin-1") + b"\0" + dst.name.encode("latin-1") + b"\0"
    f.types = [[std.offset, 0, 0, 0, 0], [dst.offset, 1, len(std.name) + 1, 0, 0]]
    f.names = names
    f.default_names = (std.name, dst.name)
    f.notes.append(
        said(
            lambda lang: tr(
                lang,
                "no rule in TZ: glibc took the transitions from {tzdir}/{rules} (TZDEFRULES), "
                "shifted to the given offsets; after its last transition its own footer "
                "{tzspec!r} applies, names and offsets included",
                tzdir=tzdir,
                rules=TZDEFRULES,
                tzspec=f.tzspec,
            )
        )
    )
    return f


def _glibc_compute(f: _GlibcFile, t: int) -> tuple[str, int, bool]:
    """``__tzfile_compute`` for ``localtime``: (tm_zone, tm_gmtoff, tm_isdst)."""
    if not f.transitions or t < f.transitions[0]:
        i = 0
        while i < len(f.types) and f.types[i][1]:
            i += 1
        if i == len(f.types):
            i = 0
        ty = f.types[i]
        return f.name(ty[2]), ty[0], bool(ty[1])
    if t >= f.transitions[-1] and f.tzspec is not None:
        st = _glibc_parse_tz(f.tzspec, f.posixrules)
        if isinstance(st, _GlibcFile):
            # __tzfile_default ran from inside __tzfile_compute: the process's zone state is
            # now posixrules; this call still uses the footer's names and offsets with the
            # zeroed rules (parse_rule never ran), later calls use the new state.
            f.notes.append(STATEFUL)
            st = _GlibcTZ(
                [
                    _Rule(n, o)
                    for n, o in zip(
                        st.default_names or ("", ""), (st.rule_stdoff, st.rule_dstoff), strict=True
                    )
                ]
            )
        if _unpredictable(st):
            f.notes.append(UNPREDICTABLE)
        return _tz_compute(st, t)
    i = bisect.bisect_right(f.transitions, t)
    ty = f.types[f.idxs[i - 1]]
    return f.name(ty[2]), ty[0], bool(ty[1])


def glibc_localtime(tz: str | None, read: Reader, at: int, tzdir_env: str | None = None) -> Local:
    """glibc 2.36's ``localtime`` at UT second ``at`` for this ``TZ`` (None: unset)."""
    notes: list[str] = []
    if tz == "":
        tz = "Universal"
        notes.append(
            said(lambda lang: tr(lang, "TZ is empty: glibc reads the file 'Universal' (tzset.c)"))
        )
    if tz is not None and tz.startswith(":"):
        tz = tz[1:]
    if tz is None:
        tz = TZDEFAULT
    tzdir = tzdir_env or TZDIR
    f = None
    if tz:
        path = tz if tz.startswith("/") else f"{tzdir}/{tz}"
        f = _glibc_read(read(path))
    if f is not None:
        f.posixrules = lambda s: _glibc_default(read, tzdir, s)
        abbr, off, dst = _glibc_compute(f, at)
        return Local(abbr, off, dst, tuple(notes + f.notes))
    if tz in ("", TZDEFAULT):
        return Local("UTC", 0, False, tuple(notes))
    st = _glibc_parse_tz(tz, lambda s: _glibc_default(read, tzdir, s))
    if isinstance(st, _GlibcFile):
        abbr, off, dst = _glibc_compute(st, at)
        return Local(abbr, off, dst, tuple(notes + st.notes))
    if _unpredictable(st):
        notes.append(UNPREDICTABLE)
    abbr, off, dst = _tz_compute(st, at)
    return Local(abbr, off, dst, tuple(notes))


STATEFUL = said(
    lambda lang: tr(
        lang,
        "the footer names a DST zone without rules: glibc loads posixrules in the middle of "
        "localtime and keeps it, so the answer after the last transition depends on earlier "
        "calls in the same process (this is the first call's)",
    )
)
UNPREDICTABLE = said(
    lambda lang: tr(
        lang,
        "a rule 'M' with no month number: glibc's compute_change reads __mon_yday[-1], "
        "memory before its month table, so when DST starts or ends is unpredictable",
    )
)


def _unpredictable(st: _GlibcTZ) -> bool:
    """A failed ``Mm.w.d`` left month 0 (sscanf matched nothing): undefined behaviour."""
    return any(r.type == "M" and r.m == 0 for r in st.rules)


# --------------------------------------------------------------------------- musl
class _Crash(Exception):
    """musl touched memory outside the mapped file's pages: SIGSEGV in a real process."""


class _Map:
    """A file mapped by ``__map_file``: reads past the end see zeros up to the page end."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.limit = -(-len(data) // PAGE) * PAGE
        self.overrun = False

    def byte(self, i: int) -> int:
        if 0 <= i < len(self.data):
            return self.data[i]
        if not 0 <= i < self.limit:
            raise _Crash(f"reading offset {i} of a {len(self.data)}-byte file")
        self.overrun = True
        return 0

    def u32(self, i: int) -> int:
        return int.from_bytes(bytes(self.byte(i + k) for k in range(4)), "big")

    def s32(self, i: int) -> int:
        v = self.u32(i)
        return v - (1 << 32) if v & 0x80000000 else v

    def cstr(self, i: int) -> str:
        out = bytearray()
        while (b := self.byte(i)) != 0 and i < self.limit:
            out.append(b)
            i += 1
        return out.decode("latin-1")


def _musl_getint(s: str, p: int) -> tuple[int, int]:
    x = 0
    while p < len(s) and "0" <= s[p] <= "9":
        x = (ord(s[p]) - 48 + 10 * x) & 0xFFFFFFFF
        p += 1
    return x, p


def _musl_getoff(s: str, p: int) -> tuple[int, int]:
    neg = False
    if s[p : p + 1] == "-":
        p, neg = p + 1, True
    elif s[p : p + 1] == "+":
        p += 1
    h, p = _musl_getint(s, p)
    off = 3600 * h
    if s[p : p + 1] == ":":
        m, p = _musl_getint(s, p + 1)
        off += 60 * m
        if s[p : p + 1] == ":":
            sec, p = _musl_getint(s, p + 1)
            off += sec
    return (-off if neg else off), p


def _musl_getrule(s: str, p: int) -> tuple[list[int], int]:
    c = s[p : p + 1]
    rule = [ord(c) if c else 0, 0, 0, 0, 0]
    if c != "M":
        if c == "J":
            p += 1
        else:
            rule[0] = 0
        rule[1], p = _musl_getint(s, p)
    else:
        rule[1], p = _musl_getint(s, p + 1)
        rule[2], p = _musl_getint(s, p + 1)
        rule[3], p = _musl_getint(s, p + 1)
    if s[p : p + 1] == "/":
        rule[4], p = _musl_getoff(s, p + 1)
    else:
        rule[4] = 7200
    return rule, p


def _musl_getname(s: str, p: int) -> tuple[str, int]:
    """``getname``: ``<...>`` or letters, any length (even none), kept up to TZNAME_MAX."""
    i = 0
    if s[p : p + 1] == "<":
        p += 1
        while p + i < len(s) and s[p + i] != ">":
            i += 1
        name = s[p : p + min(i, MUSL_TZNAME_MAX)]
        if p + i < len(s):
            p += 1
    else:
        while p + i < len(s) and 0 <= (ord(s[p + i]) | 32) - 97 < 26:
            i += 1
        name = s[p : p + min(i, MUSL_TZNAME_MAX)]
    return name, p + i


def _ctrunc(a: int, b: int) -> int:
    """C integer division (toward zero)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def _cmod(a: int, b: int) -> int:
    """C ``%``: the remainder takes the sign of the dividend."""
    return a - _ctrunc(a, b) * b


def _days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date, for any year (no datetime limits)."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _utc_year(t: int) -> int:
    """The UT calendar year of second ``t`` (what ``__offtime`` puts in ``tm_year + 1900``)."""
    y = 1970 + t // 31556952
    while _days_from_civil(y, 1, 1) * SECSPERDAY > t:
        y -= 1
    while _days_from_civil(y + 1, 1, 1) * SECSPERDAY <= t:
        y += 1
    return y


def _year_to_secs(y: int) -> tuple[int, bool]:
    return _days_from_civil(y, 1, 1) * SECSPERDAY, _isleap(y)


def _musl_rule_to_secs(rule: list[int], year: int) -> int:
    t, leap = _year_to_secs(year)
    if rule[0] != ord("M"):
        x = rule[1]
        if rule[0] == ord("J") and (x < 60 or not leap):
            x -= 1
        t += SECSPERDAY * x
    else:
        m, n, d = rule[1], rule[2], rule[3]
        if not 1 <= m <= 12:
            m = 1  # out of range in musl too: __month_to_secs would index outside its table
        t += _MON_YDAY[leap][m - 1] * SECSPERDAY
        wday = _ctrunc(_cmod(t + 4 * SECSPERDAY, 7 * SECSPERDAY), SECSPERDAY)
        days = d - wday
        if days < 0:
            days += 7
        dim = 28 + leap if m == 2 else 30 + ((0xAD5 >> (m - 1)) & 1)
        if n == 5 and days + 28 >= dim:
            n = 4
        t += SECSPERDAY * (days + 7 * (n - 1))
    return t + rule[4]


def glibc_reads(data: bytes) -> bool:
    """Whether glibc's ``__tzfile_read`` accepts these bytes (else it falls back to POSIX)."""
    return _glibc_read(data) is not None


def musl_reads(data: bytes) -> bool:
    """Whether musl maps these bytes as a zone file: at least 44 bytes and the magic."""
    return len(data) >= 44 and data[:4] == b"TZif"


def musl_posix_form(s: str) -> bool:
    """``do_tzset``'s ``posix_form``: letters (or ``<...>``) then a sign or digit, or the
    letters are UTC or GMT; a value starting with ``:`` never is."""
    if s.startswith(":"):
        return False
    name, p = _musl_getname(s, 0)
    nxt = s[p : p + 1]
    return p != 0 and (nxt in ("+", "-") or _digit(nxt) or name in ("UTC", "GMT"))


def musl_localtime(tz: str | None, read: Reader, at: int) -> Local:
    """musl 1.2.3's ``localtime`` at UT second ``at`` for this ``TZ`` (None: unset)."""
    notes: list[str] = []
    try:
        return _musl_localtime(tz, read, at, notes)
    except _Crash as exc:
        where = str(exc)
        notes.append(
            said(
                lambda lang: tr(
                    lang,
                    "musl reads outside the mapped file ({exc}): the process is killed by "
                    "SIGSEGV, or reads whatever memory lies there (only the size >= 44 and the "
                    "magic are checked before the counts are trusted)",
                    exc=where,
                )
            )
        )
        return Local("", 0, False, tuple(dict.fromkeys(notes)), crashed=True)


def _musl_localtime(tz: str | None, read: Reader, at: int, notes: list[str]) -> Local:
    """The body of :func:`musl_localtime`; raises _Crash where musl would fault."""
    s = TZDEFAULT if tz is None else (tz or "UTC")
    zi: _Map | None = None
    # posix_form: a name of letters followed by an offset sign or digit, or named UTC/GMT
    posix_form = musl_posix_form(s)
    if not posix_form:
        if s.startswith(":"):
            s = s[1:]
        data = None
        if s.startswith(("/", ".")):
            data = read(s)
        elif len(s.encode()) <= 255 and "." not in s:
            for base in MUSL_SEARCH:
                data = read(base + s)
                if data is not None:
                    break
        if data is None:
            s = "UTC"
        else:
            zi = _Map(data)
    if zi is not None and (len(zi.data) < 44 or zi.data[:4] != b"TZif"):
        zi, s = None, "UTC"
    daylight = timezone = dst_off = 0
    names = ["", ""]
    r0 = [0, 0, 0, 0, 0]
    r1 = [0, 0, 0, 0, 0]
    rules_text: str | None = s
    if zi is not None:
        scale = 2
        if zi.byte(4) != ord("1"):
            skip = sum(zi.u32(20 + 4 * k) * w for k, w in enumerate((1, 1, 8, 5, 6, 1)))
            trans = skip + 88
            scale = 3
            if zi.byte(4) == 0:
                notes.append(
                    said(
                        lambda lang: tr(
                            lang,
                            "a version-1 file (version byte NUL): musl takes any byte but '1' "
                            "as version 2+ and reads a second header past the v1 data",
                        )
                    )
                )
        else:
            trans = 44
        ntrans = zi.u32(trans - 12)
        index = trans + (ntrans << scale)
        types = index + ntrans
        abbrevs = types + 6 * zi.u32(trans - 8)
        data = zi.data
        if data[-1:] == b"\n":
            k = len(data) - 2
            while data[k : k + 1] != b"\n":
                k -= 1
                if k < 0:
                    raise _Crash("looking for the footer's opening newline")
            rules_text = data[k + 1 : -1].decode("latin-1") + "\n"
            if rules_text == "\n":
                notes.append(
                    said(
                        lambda lang: tr(
                            lang,
                            "the footer is empty: after the last transition musl has no zone, "
                            "so UTC with an empty name",
                        )
                    )
                )
        else:
            rules_text = None
            notes.append(
                said(
                    lambda lang: tr(
                        lang,
                        "the file does not end with a newline: musl has no footer rules, so "
                        "after the last transition it uses the first standard and DST types "
                        "with day-0 rules",
                    )
                )
            )
            name0 = name1 = None
            for p in range(types, abbrevs, 6):
                # __timezone (a long) = -zi_read32(p), a negated uint32_t: east of UT it
                # wraps to 2**32 - utoff; dst_off is an int, so it wraps back to -utoff.
                neg = -zi.u32(p) & 0xFFFFFFFF
                if not zi.byte(p + 4) and name0 is None:
                    name0 = zi.cstr(abbrevs + zi.byte(p + 5))
                    timezone = neg
                if zi.byte(p + 4) and name1 is None:
                    name1 = zi.cstr(abbrevs + zi.byte(p + 5))
                    dst_off = neg - (1 << 32) if neg >> 31 else neg
                    daylight = 1
            if name0 is None:
                name0 = name1
            if name0 is None:
                name0 = "UTC"
            if not daylight:
                name1, dst_off = name0, timezone
            names = [name0, name1 or ""]
        # scan_trans(t, local=0)
        n = (index - trans) >> scale

        def trans_at(m: int) -> int:
            x = (zi.u32(trans + (m << scale)) << 32) | zi.u32(trans + (m << scale) + 4)
            if scale == 3:
                return x - (1 << 64) if x >> 63 else x
            return zi.s32(trans + (m << scale))

        i: int | None
        if n == 0:
            i = 0
        else:
            a, cnt = 0, n
            while cnt > 1:
                m = a + cnt // 2
                if at < trans_at(m):
                    cnt //= 2
                else:
                    a, cnt = m, cnt - cnt // 2
            i = None
            if a != n - 1:
                i = zi.byte(index + a)
                if a == 0 and at < trans_at(0):
                    # "Find the lowest non-DST type, or 0 if none."
                    ntypes = (abbrevs - types) // 6
                    i = next((j for j in range(ntypes) if not zi.byte(types + 6 * j + 4)), 0)
        if i is not None:
            p = types + 6 * i
            local = Local(zi.cstr(abbrevs + zi.byte(p + 5)), zi.s32(p), bool(zi.byte(p + 4)))
            return _musl_done(local, zi, notes)
        if rules_text is None:
            return _musl_rules(at, names, timezone, dst_off, daylight, r0, r1, zi, notes)
    text = rules_text or "UTC"
    std, p = _musl_getname(text, 0)
    timezone, p = _musl_getoff(text, p)
    dst, p = _musl_getname(text, p)
    if dst:
        daylight = 1
        if text[p : p + 1] in ("+", "-") or _digit(text[p : p + 1]):
            dst_off, p = _musl_getoff(text, p)
        else:
            dst_off = timezone - 3600
    else:
        daylight, dst_off = 0, timezone
    if text[p : p + 1] == ",":
        r0, p = _musl_getrule(text, p + 1)
    if text[p : p + 1] == ",":
        r1, p = _musl_getrule(text, p + 1)
    if zi is None and tz and posix_form and len(std) < 3:
        notes.append(
            said(
                lambda lang: tr(
                    lang,
                    "TZ={tz!r}: musl takes a standard-time name of {n} letters (POSIX asks for "
                    "at least 3; glibc refuses it and uses UTC with an empty name)",
                    tz=tz,
                    n=len(std),
                )
            )
        )
    return _musl_rules(at, [std, dst], timezone, dst_off, daylight, r0, r1, zi, notes)


def _musl_rules(
    at: int,
    names: list[str],
    timezone: int,
    dst_off: int,
    daylight: int,
    r0: list[int],
    r1: list[int],
    zi: _Map | None,
    notes: list[str],
) -> Local:
    """The rule half of ``__secs_to_zone`` (not local): std or dst by r0/r1 in ``at``'s year."""
    if daylight:
        q = abs(at) // 31556952  # C division truncates toward zero
        y = (q if at >= 0 else -q) + 70 + 1900
        while _year_to_secs(y)[0] > at:
            y -= 1
        while _year_to_secs(y + 1)[0] < at:
            y += 1
        t0 = _musl_rule_to_secs(r0, y) + timezone
        t1 = _musl_rule_to_secs(r1, y) + dst_off
        dst = (t0 <= at < t1) if t0 < t1 else not (t1 <= at < t0)
        if dst:
            return _musl_done(Local(names[1], -dst_off, True), zi, notes)
    return _musl_done(Local(names[0], -timezone, False), zi, notes)


def _musl_done(local: Local, zi: _Map | None, notes: list[str]) -> Local:
    if zi is not None and zi.overrun:
        notes.append(
            said(
                lambda lang: tr(
                    lang,
                    "musl read past the end of the file (only its size >= 44 and the magic "
                    "are checked): the values are zeros from the rest of the mapped page",
                )
            )
        )
    return Local(local.abbr, local.gmtoff, local.isdst, tuple(dict.fromkeys(notes)))
