"""The hardware clock: ``/etc/adjtime`` and the kernel's RTC devices.

The RTC holds a date and time with no zone. At boot the kernel (``CONFIG_RTC_HCTOSYS``) or
``hwclock --hctosys`` reads it and sets the system clock, which counts seconds since the
epoch in UTC; whether the RTC's reading *is* UTC or local time is the third line of
``/etc/adjtime`` (``hwclock(8)``): ``UTC`` (the default when the file is missing) or
``LOCAL``. Zones only enter when a process formats that count for humans.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from infranotes.errors import ParseError


@dataclass(frozen=True)
class Adjtime:
    drift_seconds_per_day: float
    last_adjust: int  # seconds since 1970 (0: never)
    last_calibration: int
    mode: str  # "UTC" or "LOCAL"

    def explain(self) -> str:
        if self.mode == "LOCAL":
            return (
                "The RTC keeps local time: at boot hwclock converts it with the zone of "
                "/etc/localtime, so a wrong zone there shifts the system clock itself."
            )
        return (
            "The RTC keeps UTC: at boot it is copied to the system clock as is; the zone "
            "only changes how times are displayed."
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
