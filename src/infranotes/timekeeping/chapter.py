"""What the time notebook prints, in English or Chinese (``lang``), built from the modules' data.

Each helper renders values the cell has already measured or computed, so
``bilingual(helper, ...)`` shows the same numbers in both languages without measuring twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo

from infranotes.table import Table
from infranotes.timekeeping.chrony import ChronyRun
from infranotes.timekeeping.clock import Clocksource, Timex
from infranotes.timekeeping.messages import say, tr
from infranotes.timekeeping.posixtz import parse_posix_tz
from infranotes.timekeeping.rtc import RTC, Adjtime, dual_boot


def rtc_report(rtcs: Sequence[RTC], adjtime: Adjtime, lang: str = "en") -> str:
    """The RTC devices found (or that there are none), then what ``/etc/adjtime`` means."""
    found = str(rtcs) if rtcs else tr(lang, "no RTC device in /sys/class/rtc on this machine")
    return f"{found}\n{adjtime.explain(lang=lang)}"


def clock_report(source: Clocksource | None, timex: Timex, lang: str = "en") -> str:
    """The clocksource and the kernel's NTP state, as two lines."""
    state = tr(
        lang,
        "adjtimex: {state}, flags {flags}; synchronised: {synchronised}",
        state=timex.state,
        flags=", ".join(timex.status),
        synchronised=timex.synchronised,
    )
    return f"{source}\n{state}"


def _would(would: str, lang: str) -> str:
    """chronyd's decision, which the data keeps as ``slew`` or ``step``, in ``lang``."""
    words = {"slew": tr(lang, "slew"), "step": tr(lang, "step")}
    return words.get(would, would)


def chrony_table(runs: Sequence[ChronyRun], lang: str = "en") -> Table:
    """Each simulated server offset: what the client measured, and whether it slews or steps."""
    header = (
        tr(lang, "server offset (s)"),
        tr(lang, "client measured (s)"),
        tr(lang, "chronyd would"),
        tr(lang, "slewing it takes"),
    )
    rows = [
        (
            r.offset_s,
            f"{r.measured_offset_s:+.3f}",
            _would(r.would, lang),
            f"{r.slew_seconds:.1f} s",
        )
        for r in runs
    ]
    return Table(header, rows)


def dual_boot_table(true_epoch: int, zone: tzinfo, lang: str = "en") -> Table:
    """:func:`~infranotes.timekeeping.rtc.dual_boot`: what the RTC holds, what each OS shows."""
    header = ("", tr(lang, "RTC holds"), tr(lang, "Linux shows"), tr(lang, "Windows shows"))
    rows = [
        (say(s.step, lang), s.rtc, s.linux_shows, s.windows_shows)
        for s in dual_boot(true_epoch, zone)
    ]
    return Table(header, rows)


def _state(off: int, dst: bool, abbr: str, lang: str) -> str:
    offset = f"{off / 3600:+g}"
    if dst:
        return tr(lang, "{abbr} {offset}h DST", abbr=abbr, offset=offset)
    return f"{abbr} {offset}h"


def posix_tz_table(texts: Sequence[str], instants: Sequence[int], lang: str = "en") -> Table:
    """Each POSIX TZ string evaluated at each instant: abbreviation, UTC offset, DST."""
    header = ("TZ", *(datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%MZ") for t in instants))
    rows = []
    for text in texts:
        tz = parse_posix_tz(text)
        rows.append((text, *(_state(*tz.evaluate(t), lang) for t in instants)))
    return Table(header, rows)
