"""POSIX TZ strings: ``std offset [dst [offset] [,start[/time],end[/time]]]``.

POSIX.1-2017 §8.3 with the extensions of RFC 8536 §3.3.1 (transition times with hours from
−167 to 167, so a rule can name a time on an adjacent day). Offsets are west-positive in the
string (``CST-8`` is UTC+8); :meth:`PosixTZ.evaluate` returns seconds *east* of UT, like
``tm_gmtoff``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from infranotes.errors import ParseError

EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_NAME = re.compile(r"<([A-Za-z0-9+-]{3,})>|([A-Za-z]{3,})")
_TIME = re.compile(r"([+-]?)(\d{1,3})(?::(\d{1,2}))?(?::(\d{1,2}))?")


@dataclass(frozen=True)
class Rule:
    """A transition date: ``J`` (1..365, no Feb 29), ``n`` (0..365), or ``M`` month/week/day."""

    kind: str  # "J", "n" or "M"
    day: int = 0  # J/n: the day number; M: weekday 0 (Sunday)..6
    month: int = 0
    week: int = 0  # 1..5, 5 = the last such weekday of the month
    time: int = 7200  # seconds after local midnight (default 02:00:00)

    def ordinal(self, year: int) -> int:
        """The proleptic Gregorian ordinal of the rule's day in ``year``."""
        jan1 = dt.date(year, 1, 1).toordinal()
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        if self.kind == "J":
            return jan1 + self.day - 1 + (1 if leap and self.day >= 60 else 0)
        if self.kind == "n":
            return jan1 + self.day
        first = dt.date(year, self.month, 1)
        delta = (self.day - (first.isoweekday() % 7)) % 7
        day = 1 + delta + (self.week - 1) * 7
        nxt = dt.date(year + (self.month == 12), self.month % 12 + 1, 1)
        days_in_month = (nxt - first).days
        while day > days_in_month:
            day -= 7
        return first.toordinal() + day - 1


@dataclass(frozen=True)
class PosixTZ:
    text: str
    std: str
    std_offset: int  # seconds EAST of UT (the string's value negated)
    dst: str | None = None
    dst_offset: int | None = None
    start: Rule | None = None
    end: Rule | None = None

    def _transitions(self, year: int) -> list[tuple[int, int]]:
        """(UT second, 1 = DST starts / 0 = ends) for ``year``."""
        assert self.start and self.end and self.dst_offset is not None
        s = (self.start.ordinal(year) - EPOCH_ORDINAL) * 86400 + self.start.time - self.std_offset
        e = (self.end.ordinal(year) - EPOCH_ORDINAL) * 86400 + self.end.time - self.dst_offset
        return [(e, 0), (s, 1)]

    def evaluate(self, t: int) -> tuple[int, bool, str]:
        """(seconds east of UT, DST?, abbreviation) at UT second ``t``."""
        if self.dst is None or self.dst_offset is None:
            return self.std_offset, False, self.std
        if self.start is None or self.end is None:
            return self.dst_offset, True, self.dst  # no rule: treated as DST all year (musl)
        year = dt.date.fromordinal(EPOCH_ORDINAL + (t + self.std_offset) // 86400).year
        events = sorted(ev for y in (year - 1, year, year + 1) for ev in self._transitions(y))
        state = None
        for when, kind in events:
            if when <= t:
                state = kind
        if state:
            return self.dst_offset, True, self.dst
        return self.std_offset, False, self.std


def _fail(text: str, source: str, what: str, at: int) -> ParseError:
    return ParseError(
        f"{what} at position {at + 1} of {text!r}",
        source=source,
        column=at + 1,
        expected="std offset [dst [offset] [,start[/time],end[/time]]]",
    )


def _time(
    text: str, pos: int, source: str, max_hours: int, what: str, signed: bool = True
) -> tuple[int, int]:
    m = _TIME.match(text, pos)
    if not m or (m.group(1) and not signed):
        raise _fail(text, source, f"expected {what}", pos)
    sign, hh, mm, ss = m.groups()
    h, mi, se = int(hh), int(mm or 0), int(ss or 0)
    if h > max_hours or mi > 59 or se > 59:
        raise _fail(text, source, f"{what} {m.group(0)!r} out of range", pos)
    value = h * 3600 + mi * 60 + se
    return (-value if sign == "-" else value), m.end()


def _rule(text: str, pos: int, source: str, extended: bool) -> tuple[Rule, int]:
    c = text[pos : pos + 1]
    if c == "J":
        m = re.compile(r"\d{1,3}").match(text, pos + 1)
        if not m or not 1 <= int(m.group()) <= 365:
            raise _fail(text, source, "Jn needs n from 1 to 365", pos)
        rule, pos = Rule("J", int(m.group())), m.end()
    elif c == "M":
        m = re.compile(r"(\d{1,2})\.(\d)\.(\d)").match(text, pos + 1)
        if not m:
            raise _fail(text, source, "expected Mm.w.d", pos)
        mo, wk, wd = map(int, m.groups())
        if not (1 <= mo <= 12 and 1 <= wk <= 5 and 0 <= wd <= 6):
            raise _fail(text, source, f"M{mo}.{wk}.{wd} out of range", pos)
        rule, pos = Rule("M", wd, mo, wk), m.end()
    elif c.isdigit():
        m = re.compile(r"\d{1,3}").match(text, pos)
        assert m is not None
        if int(m.group()) > 365:
            raise _fail(text, source, "n must be 0 to 365", pos)
        rule, pos = Rule("n", int(m.group())), m.end()
    else:
        raise _fail(text, source, "expected a rule (Jn, n or Mm.w.d)", pos)
    if text[pos : pos + 1] == "/":
        # RFC 8536 §3.3.1: hours -167..167; plain POSIX: 0..24 (glibc accepts more)
        secs, pos = _time(
            text, pos + 1, source, 167 if extended else 24, "a transition time", signed=extended
        )
        rule = Rule(rule.kind, rule.day, rule.month, rule.week, secs)
    return rule, pos


def parse_posix_tz(text: str, source: str = "TZ", extended: bool = True) -> PosixTZ:
    """Parse a POSIX TZ string (without a leading ':'); ParseError names the position."""
    if not isinstance(text, str) or not text:
        raise ParseError("empty TZ string", source=source, expected="std offset ...")
    m = _NAME.match(text)
    if not m:
        raise _fail(text, source, "expected a zone abbreviation of 3+ letters or <...>", 0)
    std = m.group(1) or m.group(2)
    std_off, pos = _time(text, m.end(), source, 24, "a UTC offset")
    tz = PosixTZ(text, std, -std_off)
    if pos == len(text):
        return tz
    m = _NAME.match(text, pos)
    if not m:
        raise _fail(text, source, "expected a DST abbreviation", pos)
    dst = m.group(1) or m.group(2)
    pos = m.end()
    dst_off = -std_off + 3600  # default: one hour ahead of standard time
    if pos < len(text) and text[pos] != ",":
        off, pos = _time(text, pos, source, 24, "a DST offset")
        dst_off = -off
    start = end = None
    if pos < len(text):
        if text[pos] != ",":
            raise _fail(text, source, "expected ',' before the rules", pos)
        start, pos = _rule(text, pos + 1, source, extended)
        if text[pos : pos + 1] != ",":
            raise _fail(text, source, "expected ',' between the rules", pos)
        end, pos = _rule(text, pos + 1, source, extended)
        if pos != len(text):
            raise _fail(text, source, "unexpected text after the rules", pos)
    return PosixTZ(text, std, -std_off, dst, dst_off, start, end)
