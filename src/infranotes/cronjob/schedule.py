"""Cron schedules with the semantics Kubernetes uses: robfig/cron v3.0.1, ``cron.ParseStandard``.

Five fields (minute, hour, day of month, month, day of week), lists, ranges, steps, names,
``?``, the ``@yearly``…``@hourly`` descriptors, ``@every <duration>`` and a ``TZ=``/``CRON_TZ=``
prefix. The two day fields follow robfig's rule (``spec.go`` ``dayMatches``): if either field
holds a ``*`` or ``?`` (``*/n`` with n > 1 does not count), both must match; otherwise either
may. :func:`spec_next` ports ``SpecSchedule.Next`` step by step, including how Go's
``time.Date`` resolves local times in DST gaps and overlaps, so answers across a DST change
are the library's; ``tests/oracles/test_cron_oracle.py`` holds it against the real library.

We wrote the parser instead of using croniter: run over the schedule table in the tests
(2026-11-25, by hand; croniter is not a dependency), croniter 7.0.0 disagreed on 16 of 93
cases. It has no ``@every``; where 02:30 does not exist (DST) it fires at 03:00 instead of
skipping the day; it accepts ``7`` for Sunday, six fields, ``L`` and reversed ranges, which
Kubernetes rejects; it rejects ``?`` in every field and empty list items, which Kubernetes
accepts; and ``*/1`` in a day field switches it to the OR rule.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo

from infranotes.cronjob import gostd
from infranotes.cronjob.messages import clause_separator, full_stop, list_separator, tidy, tr
from infranotes.errors import ParseError

EPOCH = dt.date(1970, 1, 1).toordinal()
STAR_BIT = 1 << 63
MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DOW_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
MONTHS = {m: i for i, m in enumerate(MONTH_NAMES, 1)}
DOWS = {d: i for i, d in enumerate(DOW_NAMES)}
# (min, max, names) for minute, hour, day of month, month, day of week (robfig spec.go bounds)
BOUNDS: tuple[tuple[int, int, dict[str, int]], ...] = (
    (0, 59, {}),
    (0, 23, {}),
    (1, 31, {}),
    (1, 12, MONTHS),
    (0, 6, DOWS),
)
DESCRIPTORS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_INT64_MAX = (1 << 63) - 1
_YEAR_LIMIT = 5  # robfig gives up (returns the zero time) after five years


class ScheduleError(ParseError):
    """An invalid schedule, with the message robfig/cron gives (which the API server shows)."""

    def __init__(self, message: str, *, source: str = "spec.schedule") -> None:
        super().__init__(message, source=source)

    def __str__(self) -> str:
        return self.message


def _atoi(expr: str) -> int:
    """robfig ``mustParseInt``: Go's ``strconv.Atoi`` (optional sign, decimal), then >= 0."""
    if not re.fullmatch(r"[+-]?[0-9]+", expr):
        raise ScheduleError(
            f"failed to parse int from {expr}: strconv.Atoi: parsing {gostd.strconv_quote(expr)}: "
            "invalid syntax"
        )
    n = int(expr)
    if not -_INT64_MAX - 1 <= n <= _INT64_MAX:
        raise ScheduleError(
            f"failed to parse int from {expr}: strconv.Atoi: parsing "
            f"{gostd.strconv_quote(expr)}: value out of range"
        )
    if n < 0:
        raise ScheduleError(f"negative number ({n}) not allowed: {expr}")
    return n


def _int_or_name(expr: str, names: dict[str, int]) -> int:
    # parser.go parseIntOrName (l. 323): names[strings.ToLower(expr)], Go's simple case mapping
    if names and gostd.to_lower(expr) in names:
        return names[gostd.to_lower(expr)]
    return _atoi(expr)


def _range(expr: str, lo: int, hi: int, names: dict[str, int]) -> int:
    """robfig ``getRange``: the bits of one comma-separated part of a field."""
    range_and_step = expr.split("/")
    low_high = range_and_step[0].split("-")
    single = len(low_high) == 1
    extra = 0
    if low_high[0] in ("*", "?"):
        start, end, extra = lo, hi, STAR_BIT
    else:
        start = _int_or_name(low_high[0], names)
        if len(low_high) == 1:
            end = start
        elif len(low_high) == 2:
            end = _int_or_name(low_high[1], names)
        else:
            raise ScheduleError(f"too many hyphens: {expr}")
    if len(range_and_step) == 1:
        step = 1
    elif len(range_and_step) == 2:
        step = _atoi(range_and_step[1])
        if single:
            end = hi  # "N/step" means "N-max/step"
        if step > 1:
            extra = 0  # "*/2" restricts the field: it is no longer a star for dayMatches
    else:
        raise ScheduleError(f"too many slashes: {expr}")
    if start < lo:
        raise ScheduleError(f"beginning of range ({start}) below minimum ({lo}): {expr}")
    if end > hi:
        raise ScheduleError(f"end of range ({end}) above maximum ({hi}): {expr}")
    if start > end:
        raise ScheduleError(f"beginning of range ({start}) beyond end of range ({end}): {expr}")
    if step == 0:
        raise ScheduleError(f"step of range should be a positive number: {expr}")
    bits = 0
    for v in range(start, end + 1, step):
        bits |= 1 << v
    return bits | extra


def _field(text: str, lo: int, hi: int, names: dict[str, int]) -> int:
    # strings.FieldsFunc(field, ','): empty items ("1,,2", ",") are skipped, not errors
    bits = 0
    for part in (p for p in text.split(",") if p):
        bits |= _range(part, lo, hi, names)
    return bits


def go_duration_ns(text: str) -> int:
    """Go's ``time.ParseDuration`` in nanoseconds, with Go's error messages (see gostd)."""
    try:
        return gostd.parse_duration(text)
    except gostd.GoError as exc:
        raise ScheduleError(str(exc)) from None


@dataclass(frozen=True)
class Schedule:
    """A parsed schedule: field bit sets, or ``every`` (seconds) for ``@every``."""

    text: str
    minute: int = 0
    hour: int = 0
    dom: int = 0
    month: int = 0
    dow: int = 0
    every: int | None = None  # seconds: robfig Every() rounds below 1 s up and truncates to s
    zone: str | None = None  # from a TZ= / CRON_TZ= prefix

    def day_matches(self, local: dt.datetime) -> bool:
        """robfig ``dayMatches``: AND if either day field is a star, OR if both are restricted."""
        dom = bool((1 << local.day) & self.dom)
        dow = bool((1 << (local.isoweekday() % 7)) & self.dow)
        if self.dom & STAR_BIT or self.dow & STAR_BIT:
            return dom and dow
        return dom or dow

    def next(self, t: int, tz: ZoneInfo) -> int | None:
        """The first activation strictly after UT second ``t``; None where robfig returns the
        zero time (nothing within five years). ``tz`` is the location of ``t``: the zone the
        controller runs in, used unless the schedule carries its own ``TZ=``."""
        if self.every is not None:
            return t + self.every  # ConstantDelaySchedule.Next ignores every location
        return spec_next(self, t, self.location() or tz)

    def location(self) -> ZoneInfo | None:
        """The ``TZ=`` zone as Go's ``time.LoadLocation`` loads it (None: no prefix)."""
        return gostd.load_location(self.zone) if self.zone else None


def _offset(u: int, tz: ZoneInfo) -> int:
    off = dt.datetime.fromtimestamp(u, tz).utcoffset()
    return int(off.total_seconds()) if off is not None else 0


def go_date(y: int, mo: int, d: int, h: int, mi: int, s: int, tz: ZoneInfo) -> int:
    """Go's ``time.Date(y, mo, d, h, mi, s, 0, loc)`` as UT seconds: fields are normalised,
    and a local time in a DST gap or overlap resolves as Go does (``time/time.go``: the
    offset in force at the wall time read as UTC, corrected once if that lands elsewhere)."""
    y += (mo - 1) // 12
    mo = (mo - 1) % 12 + 1
    days = dt.date(y, mo, 1).toordinal() + d - 1
    unix = (days - EPOCH) * 86400 + h * 3600 + mi * 60 + s
    first = _offset(unix, tz)
    return unix - _offset(unix - first, tz)


def _local(t: int, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.fromtimestamp(t, tz)


@lru_cache(maxsize=1 << 16)
def spec_next(s: Schedule, t: int, tz: ZoneInfo) -> int | None:
    """robfig/cron v3 ``SpecSchedule.Next`` from UT second ``t``, in ``tz`` (spec.go)."""
    t += 1  # "Start at the earliest possible time (the upcoming second)."
    added = False
    year_limit = _local(t, tz).year + _YEAR_LIMIT
    while True:  # the WRAP label
        lt = _local(t, tz)
        if lt.year > year_limit:
            return None
        wrapped = False
        while not (1 << lt.month) & s.month:
            if not added:
                added = True
                t = go_date(lt.year, lt.month, 1, 0, 0, 0, tz)
                lt = _local(t, tz)
            t = go_date(lt.year, lt.month + 1, lt.day, lt.hour, lt.minute, lt.second, tz)
            lt = _local(t, tz)
            if lt.month == 1:
                wrapped = True
                break
        if wrapped:
            continue
        while not s.day_matches(lt):
            if not added:
                added = True
                t = go_date(lt.year, lt.month, lt.day, 0, 0, 0, tz)
                lt = _local(t, tz)
            t = go_date(lt.year, lt.month, lt.day + 1, lt.hour, lt.minute, lt.second, tz)
            lt = _local(t, tz)
            if lt.hour != 0:  # midnight did not exist (DST): back to the day's first hour
                t += (24 - lt.hour) * 3600 if lt.hour > 12 else -lt.hour * 3600
                lt = _local(t, tz)
            if lt.day == 1:
                wrapped = True
                break
        if wrapped:
            continue
        while not (1 << lt.hour) & s.hour:
            if not added:
                added = True
                t = go_date(lt.year, lt.month, lt.day, lt.hour, 0, 0, tz)
            t += 3600
            lt = _local(t, tz)
            if lt.hour == 0:
                wrapped = True
                break
        if wrapped:
            continue
        while not (1 << lt.minute) & s.minute:
            if not added:
                added = True
                t -= t % 60
            t += 60
            lt = _local(t, tz)
            if lt.minute == 0:
                wrapped = True
                break
        if wrapped:
            continue
        if lt.second != 0:  # the standard parser's seconds field is "0": on to :00, then WRAP
            added = True
            t += 60 - lt.second
            continue
        return t


def find_zone(name: str) -> ZoneInfo | None:
    """The zone Go's ``time.LoadLocation`` loads for ``name``; None where it fails (and for
    "Local", which names the process's zone rather than one in tzdata)."""
    try:
        return gostd.load_location(name)
    except gostd.GoError:
        return None


def _load_zone(name: str) -> str | None:
    """Go's ``time.LoadLocation``: "" and "UTC" are UTC, "Local" the process zone (None);
    the error text is Go's (parser.go l. 99-100 wraps it as "provided bad location")."""
    if name in ("", "UTC"):
        return "UTC"
    if name == "Local":
        return None
    try:
        gostd.load_location(name)
    except gostd.GoError as exc:
        raise ScheduleError(f"provided bad location {name}: {exc}") from None
    return name


def parse_schedule(spec: str) -> Schedule:
    """robfig/cron ``ParseStandard``: five fields or a descriptor, optional TZ=/CRON_TZ=."""
    text = spec
    if not spec:
        raise ScheduleError("empty spec string")
    zone = None
    if spec.startswith(("TZ=", "CRON_TZ=")):
        if " " not in spec:
            # spec[eq+1:i] with i == -1: robfig panics (slice bounds out of range)
            raise ScheduleError(f"no schedule after the time zone prefix: {spec}")
        # parser.go l. 97-102: i = the first ASCII space, then strings.TrimSpace(spec[i:])
        head, _, rest = spec.partition(" ")
        zone = _load_zone(head.split("=", 1)[1])
        spec = gostd.trim_space(rest)
    if spec.startswith("@"):
        if spec.startswith("@every "):
            try:
                ns = go_duration_ns(spec[len("@every ") :])
            except ScheduleError as exc:
                raise ScheduleError(f"failed to parse duration {spec}: {exc.message}") from None
            ns = max(ns, 1_000_000_000)  # Every(): below one second means one second
            return Schedule(text, every=ns // 1_000_000_000, zone=zone)
        if spec not in DESCRIPTORS:
            raise ScheduleError(f"unrecognized descriptor: {spec}")
        spec = DESCRIPTORS[spec]
    fields = gostd.fields(spec)  # parser.go l. 114 strings.Fields: unicode.IsSpace only
    if len(fields) != 5:
        raise ScheduleError(f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]")
    bits = [_field(f, lo, hi, names) for f, (lo, hi, names) in zip(fields, BOUNDS, strict=True)]
    return Schedule(text, *bits, zone=zone)


class OutOfRange(ScheduleError):
    """The next activation lies past what Python's datetime represents (year 9999)."""


def next_times(spec: str | Schedule, start: int, n: int, tz: ZoneInfo) -> list[int]:
    """The next ``n`` activations after UT second ``start``; ScheduleError if it never fires."""
    s = parse_schedule(spec) if isinstance(spec, str) else spec
    out: list[int] = []
    t = start
    for _ in range(n):
        try:
            nxt = s.next(t, tz)
        except (ValueError, OverflowError):  # Python's datetime ends with year 9999
            if not out:
                raise OutOfRange(
                    f"{s.text!r}: no activation before the year 10000, the last year this tool "
                    "can represent (Go's time goes on)"
                ) from None
            break
        if nxt is None:
            if not out:
                raise ScheduleError(
                    f"{s.text!r} never fires: no matching time within {_YEAR_LIMIT} years "
                    "(robfig's Next returns the zero time)"
                )
            break
        out.append(nxt)
        t = nxt
    return out


# --------------------------------------------------------------------------- describe
def _values(bits: int, lo: int, hi: int) -> list[int]:
    return [v for v in range(lo, hi + 1) if bits & (1 << v)]


def _runs(vals: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for v in vals:
        if runs and runs[-1][1] == v - 1:
            runs[-1] = (runs[-1][0], v)
        else:
            runs.append((v, v))
    return runs


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def day_name(day: int, lang: str = "en") -> str:
    """The day of the week (0 is Sunday) as robfig's names read: Sun, Mon... (周日, 周一...)."""
    return (
        tr(lang, "Sun"),
        tr(lang, "Mon"),
        tr(lang, "Tue"),
        tr(lang, "Wed"),
        tr(lang, "Thu"),
        tr(lang, "Fri"),
        tr(lang, "Sat"),
    )[day]


def _and(items: list[str], lang: str) -> str:
    """``a``, ``a and b``, ``a, b and c`` (Chinese: 、 and 和); nothing for no items."""
    if len(items) <= 1:
        return "".join(items)
    return tr(
        lang, "{items} and {last}", items=list_separator(lang).join(items[:-1]), last=items[-1]
    )


def _step(bits: int, lo: int, hi: int) -> tuple[int, int, int] | None:
    """(first, last, step) when the field's values are evenly spaced by more than one."""
    vals = _values(bits, lo, hi)
    if len(vals) > 2:
        step = vals[1] - vals[0]
        if step > 1 and all(b - a == step for a, b in pairwise(vals)):
            return vals[0], vals[-1], step
    return None


def _list(bits: int, lo: int, hi: int, lang: str, name: Callable[[int], str] = str) -> str:
    """The values of a field that are not evenly stepped: runs as ranges, joined."""
    parts = [
        name(a) if a == b else tr(lang, "{first} through {last}", first=name(a), last=name(b))
        for a, b in _runs(_values(bits, lo, hi))
    ]
    return _and(parts, lang)


def _phrase(
    bits: int,
    lo: int,
    hi: int,
    lang: str,
    listed: Callable[[str], str],
    stepped: Callable[[str, str, str], str],
    name: Callable[[int], str] = str,
) -> str:
    """One field in words: ``stepped(first, last, step)`` for evenly stepped values (the step
    an English ordinal, "2nd"), else ``listed(values)``."""
    spaced = _step(bits, lo, hi)
    if spaced is None:
        return listed(_list(bits, lo, hi, lang, name))
    first, last, step = spaced
    return stepped(name(first), name(last), _ordinal(step) if lang == "en" else str(step))


def _minutes(s: Schedule, lang: str) -> str:
    if len(_values(s.minute, 0, 59)) == 60:
        return tr(lang, "every minute")
    return _phrase(
        s.minute,
        0,
        59,
        lang,
        lambda v: tr(lang, "minute {minutes}", minutes=v),
        lambda a, b, n: tr(
            lang, "minute every {step} from {first} through {last}", step=n, first=a, last=b
        ),
    )


def _when(s: Schedule, lang: str) -> str:
    """The time of day: fixed times, or minutes (past some hours)."""
    minutes = _values(s.minute, 0, 59)
    hours = _values(s.hour, 0, 23)
    if len(minutes) == 1 and len(hours) <= 4:
        times = [f"{h:02d}:{minutes[0]:02d}" for h in hours]
        joined = times[0]
        for t in times[1:]:
            joined = tr(lang, "{items} and {last}", items=joined, last=t)
        return tr(lang, "At {times}", times=joined)
    minute = _minutes(s, lang)
    if len(hours) == 24:
        if len(minutes) == 60:
            return tr(lang, "Every minute")
        return tr(lang, "At {minute}", minute=minute)
    return _phrase(
        s.hour,
        0,
        23,
        lang,
        lambda v: tr(lang, "At {minute} past hour {hours}", minute=minute, hours=v),
        lambda a, b, n: tr(
            lang,
            "At {minute} past hour every {step} from {first} through {last}",
            minute=minute,
            step=n,
            first=a,
            last=b,
        ),
    )


def _days(s: Schedule, lang: str) -> str:
    """The days, with robfig's rule: AND if either day field is a star, OR if both are not."""
    dom_star, dow_star = bool(s.dom & STAR_BIT), bool(s.dow & STAR_BIT)
    dom_all = len(_values(s.dom, 1, 31)) == 31
    dow_all = len(_values(s.dow, 0, 6)) == 7
    dom_txt = _phrase(
        s.dom,
        1,
        31,
        lang,
        lambda v: tr(lang, "on day-of-month {days}", days=v),
        lambda a, b, n: tr(
            lang,
            "on day-of-month every {step} from {first} through {last}",
            step=n,
            first=a,
            last=b,
        ),
    )
    dow_txt = _phrase(
        s.dow,
        0,
        6,
        lang,
        lambda v: tr(lang, "on {days}", days=v),
        lambda a, b, n: tr(
            lang, "on every {step} from {first} through {last}", step=n, first=a, last=b
        ),
        lambda d: day_name(d, lang),
    )
    if dom_star or dow_star:
        # both must match; a star matches everything
        return _and([t for t, full in ((dom_txt, dom_all), (dow_txt, dow_all)) if not full], lang)
    if dom_all or dow_all:
        return tr(lang, "every day")
    return tr(
        lang, "{days_of_month} or {days_of_week}", days_of_month=dom_txt, days_of_week=dow_txt
    )


def _months(s: Schedule, lang: str) -> str:
    if len(_values(s.month, 1, 12)) == 12:
        return ""
    # English names the months (Jan); Chinese numbers them (1 月)
    return _phrase(
        s.month,
        1,
        12,
        lang,
        lambda v: tr(lang, "in {months}", months=v),
        lambda a, b, n: tr(
            lang, "in every {step} from {first} through {last}", step=n, first=a, last=b
        ),
        (lambda m: MONTH_NAMES[m - 1].capitalize()) if lang == "en" else str,
    )


def describe(spec: str | Schedule, lang: str = "en") -> str:
    """One sentence for a schedule, crontab.guru style, with robfig's day rule."""
    s = parse_schedule(spec) if isinstance(spec, str) else spec
    if s.every is not None:
        every = dt.timedelta(seconds=s.every)
        if s.zone:
            return tr(
                lang,
                "Every {every} after the previous activation ({zone} is ignored by @every).",
                every=every,
                zone=s.zone,
            )
        return tr(lang, "Every {every} after the previous activation.", every=every)
    tail = clause_separator(lang).join(p for p in (_days(s, lang), _months(s, lang)) if p)
    zone = tr(lang, " ({zone})", zone=s.zone) if s.zone else ""
    text = f"{_when(s, lang)}{clause_separator(lang) + tail if tail else ''}{zone}{full_stop(lang)}"
    return tidy(text, lang)
