"""The hardware clock: ``/etc/adjtime`` and the kernel's RTC devices.

The RTC holds a date and time with no zone. At boot the kernel (``CONFIG_RTC_HCTOSYS``) or
``hwclock --hctosys`` reads it and sets the system clock, which counts seconds since the
epoch in UTC; whether the RTC's reading *is* UTC or local time is the third line of
``/etc/adjtime`` (``hwclock(8)``): ``UTC`` (the default when the file is missing) or
``LOCAL``. Zones only enter when a process formats that count for humans.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from infranotes.errors import ParseError
from infranotes.timekeeping.messages import said, tr


@dataclass(frozen=True)
class Adjtime:
    drift_seconds_per_day: float
    last_adjust: int  # seconds since 1970 (0: never)
    last_calibration: int
    mode: str  # "UTC" or "LOCAL"

    def explain(self, lang: str = "en") -> str:
        if self.mode == "LOCAL":
            return tr(
                lang,
                "The RTC keeps local time: at boot hwclock converts it with the zone of "
                "/etc/localtime, so a wrong zone there shifts the system clock itself.",
            )
        return tr(
            lang,
            "The RTC keeps UTC: at boot it is copied to the system clock as is; the zone "
            "only changes how times are displayed.",
        )


def parse_adjtime(text: str, source: str = "/etc/adjtime") -> Adjtime:
    """Three lines: ``drift last_adjust 0``, ``last_calibration``, ``UTC|LOCAL``."""
    lines = text.splitlines()
    if len(lines) < 3:
        raise ParseError(
            f"{len(lines)} line(s)",
            source=source,
            line=len(lines) + 1,
            expected="3 lines: drift line, calibration line, UTC or LOCAL",
        )
    first = lines[0].split()
    if len(first) != 3:
        raise ParseError(
            f"first line has {len(first)} fields",
            source=source,
            line=1,
            expected="drift_factor last_adjust_time 0",
        )
    try:
        drift, last = float(first[0]), int(first[1])
    except ValueError as exc:
        raise ParseError(str(exc), source=source, line=1, expected="numbers") from None
    try:
        calib = int(lines[1].split()[0]) if lines[1].split() else 0
    except ValueError as exc:
        raise ParseError(str(exc), source=source, line=2, expected="a number") from None
    mode = lines[2].strip()
    if mode not in ("UTC", "LOCAL"):
        raise ParseError(f"third line is {mode!r}", source=source, line=3, expected="UTC or LOCAL")
    return Adjtime(drift, last, calib, mode)


@dataclass(frozen=True)
class RTC:
    name: str
    date: str
    time: str
    since_epoch: int | None
    hctosys: bool  # this RTC set the system clock at boot


def read_rtcs(sysfs: Path = Path("/sys/class/rtc")) -> list[RTC]:
    """The RTC devices the kernel exposes (none in many VMs and containers)."""
    out = []
    if not sysfs.is_dir():
        return out
    for dev in sorted(sysfs.iterdir()):

        def read(name: str, d: Path = dev) -> str:
            try:
                return (d / name).read_text().strip()
            except OSError:
                return ""

        epoch = read("since_epoch")
        out.append(
            RTC(
                dev.name,
                read("date"),
                read("time"),
                int(epoch) if epoch.isdigit() else None,
                read("hctosys") == "1",
            )
        )
    return out


def rtc_to_system(reading: datetime, mode: str, zone: tzinfo) -> int:
    """The system clock (seconds since the epoch) that ``hwclock --hctosys`` sets from an RTC
    reading: the reading is UTC or, with ``LOCAL`` in ``/etc/adjtime``, local time in ``zone``.

    A local reading in a DST gap or overlap is resolved as Python's ``fold=0`` does (the
    earlier offset); hwclock uses ``mktime``, which may pick either."""
    if reading.tzinfo is not None:
        raise ValueError("an RTC reading has no zone: pass a naive datetime")
    if mode not in ("UTC", "LOCAL"):
        raise ValueError(f"mode: expected UTC or LOCAL, got {mode!r}")
    aware = reading.replace(tzinfo=UTC if mode == "UTC" else zone)
    return int(aware.timestamp())


def system_to_rtc(epoch: int, mode: str, zone: tzinfo) -> datetime:
    """What ``hwclock --systohc`` (or the kernel's 11-minute sync, which always writes UTC)
    stores: the instant as a naive date and time in UTC or in ``zone``."""
    if mode not in ("UTC", "LOCAL"):
        raise ValueError(f"mode: expected UTC or LOCAL, got {mode!r}")
    moment = datetime.fromtimestamp(epoch, UTC if mode == "UTC" else zone)
    return moment.replace(tzinfo=None)


@dataclass(frozen=True)
class DualBootStep:
    """One step of the dual-boot story: who wrote the RTC, and what each system shows."""

    step: str  # in English; also in Chinese (a :class:`~infranotes.timekeeping.messages.Said`)
    rtc: str  # the RTC's naive reading
    linux_shows: str  # local time Linux displays after booting from this RTC
    windows_shows: str  # local time Windows displays after booting from this RTC


def dual_boot(true_epoch: int, zone: tzinfo) -> list[DualBootStep]:
    """Windows keeps the RTC in local time, Linux (``UTC`` in /etc/adjtime) in UTC.

    Each boots from the RTC the other wrote, and shows the wrong time until NTP corrects it;
    then it writes its own convention back (Linux: NTP + the kernel's 11-minute RTC sync)."""
    fmt = "%Y-%m-%d %H:%M"

    def shown(rtc_value: datetime, mode: str) -> str:
        return datetime.fromtimestamp(rtc_to_system(rtc_value, mode, zone), zone).strftime(fmt)

    by_windows = system_to_rtc(true_epoch, "LOCAL", zone)
    by_linux = system_to_rtc(true_epoch, "UTC", zone)
    truth = datetime.fromtimestamp(true_epoch, zone).strftime(fmt)
    return [
        DualBootStep(said(lambda lang: tr(lang, "the true local time")), "-", truth, truth),
        DualBootStep(
            said(lambda lang: tr(lang, "Windows shut down last (RTC in local time)")),
            by_windows.strftime(fmt),
            shown(by_windows, "UTC"),
            shown(by_windows, "LOCAL"),
        ),
        DualBootStep(
            said(lambda lang: tr(lang, "Linux synced by NTP and wrote the RTC (UTC)")),
            by_linux.strftime(fmt),
            shown(by_linux, "UTC"),
            shown(by_linux, "LOCAL"),
        ),
    ]
