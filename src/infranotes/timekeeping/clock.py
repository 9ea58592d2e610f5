"""How the system clock advances after boot, and what NTP discipline the kernel reports.

After boot the kernel keeps time by counting a *clocksource* (on x86 usually the TSC, in a VM
often ``kvm-clock``; ``/sys/devices/system/clocksource/clocksource0/``), scaled by a
multiplier that NTP may nudge. An NTP daemon corrects the clock in two ways
(``adjtimex(2)``): it *slews* small offsets by running the clock slightly fast or slow, and
*steps* large ones by setting it outright. While the kernel considers itself synchronised
(``STA_UNSYNC`` clear), it also copies the system time into the RTC every 11 minutes
(``kernel/time/ntp.c``, ``sync_hw_clock``, with ``CONFIG_RTC_SYSTOHC``).

Reading is safe: ``adjtimex`` with ``modes = 0`` changes nothing and needs no privilege.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

CLOCKSOURCE = Path("/sys/devices/system/clocksource/clocksource0")

# include/uapi/linux/timex.h
STATUS_BITS = {
    0x0001: "STA_PLL",
    0x0002: "STA_PPSFREQ",
    0x0004: "STA_PPSTIME",
    0x0008: "STA_FLL",
    0x0010: "STA_INS",
    0x0020: "STA_DEL",
    0x0040: "STA_UNSYNC",
    0x0080: "STA_FREQHOLD",
    0x0100: "STA_PPSSIGNAL",
    0x0200: "STA_PPSJITTER",
    0x0400: "STA_PPSWANDER",
    0x0800: "STA_PPSERROR",
    0x1000: "STA_CLOCKERR",
    0x2000: "STA_NANO",
    0x4000: "STA_MODE",
    0x8000: "STA_CLK",
}
CLOCK_STATES = {0: "TIME_OK", 1: "TIME_INS", 2: "TIME_DEL", 3: "TIME_OOP", 4: "TIME_WAIT",
                5: "TIME_ERROR"}  # fmt: skip


@dataclass(frozen=True)
class Clocksource:
    """The clocksource the kernel counts, and the ones it could use."""

    current: str
    available: tuple[str, ...]


def read_clocksource(base: Path = CLOCKSOURCE) -> Clocksource | None:
    """The clocksource from sysfs, or None where sysfs does not show it."""
    try:
        current = (base / "current_clocksource").read_text().strip()
        available = tuple((base / "available_clocksource").read_text().split())
    except OSError:
        return None
    return Clocksource(current, available)


@dataclass(frozen=True)
class Timex:
    """The kernel's NTP state as ``adjtimex`` reports it (read only)."""

    state: str  # TIME_OK, TIME_ERROR (clock not synchronised), ...
    status: tuple[str, ...]  # the STA_* flags set
    offset_us: float  # the offset the kernel PLL is still slewing away
    frequency_ppm: float  # the frequency correction applied to the clocksource
    maxerror_us: int
    esterror_us: int
    tick_us: int  # microseconds added per timer tick (10000 at USER_HZ 100)

    @property
    def synchronised(self) -> bool:
        """Whether the kernel believes NTP keeps it in sync (and so writes the RTC every 11
        minutes)."""
        return "STA_UNSYNC" not in self.status

    def to_json(self) -> dict[str, object]:
        """A plain mapping for tables and JSON."""
        return {
            "state": self.state,
            "status": list(self.status),
            "synchronised": self.synchronised,
            "offset_us": self.offset_us,
            "frequency_ppm": round(self.frequency_ppm, 3),
            "maxerror_us": self.maxerror_us,
            "esterror_us": self.esterror_us,
            "tick_us": self.tick_us,
        }


class _Timeval(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_usec", ctypes.c_long)]


class _Timex(ctypes.Structure):  # struct timex, include/uapi/linux/timex.h
    _fields_ = [
        ("modes", ctypes.c_uint),
        ("offset", ctypes.c_long),
        ("freq", ctypes.c_long),
        ("maxerror", ctypes.c_long),
        ("esterror", ctypes.c_long),
        ("status", ctypes.c_int),
        ("constant", ctypes.c_long),
        ("precision", ctypes.c_long),
        ("tolerance", ctypes.c_long),
        ("time", _Timeval),
        ("tick", ctypes.c_long),
        ("ppsfreq", ctypes.c_long),
        ("jitter", ctypes.c_long),
        ("shift", ctypes.c_int),
        ("stabil", ctypes.c_long),
        ("jitcnt", ctypes.c_long),
        ("calcnt", ctypes.c_long),
        ("errcnt", ctypes.c_long),
        ("stbcnt", ctypes.c_long),
        ("tai", ctypes.c_int),
        ("_padding", ctypes.c_int * 11),
    ]


def decode_timex(state: int, status: int, offset: int, freq: int, maxerror: int,
                 esterror: int, tick: int) -> Timex:  # fmt: skip
    """The raw fields as the kernel returns them: ``freq`` in ppm scaled by 2**16, ``offset``
    in nanoseconds when ``STA_NANO`` is set, else microseconds."""
    flags = tuple(name for bit, name in STATUS_BITS.items() if status & bit)
    offset_us = offset / 1000 if status & 0x2000 else float(offset)
    return Timex(
        CLOCK_STATES.get(state, str(state)), flags, offset_us, freq / 65536, maxerror, esterror,
        tick,
    )  # fmt: skip


def read_timex() -> Timex:
    """``adjtimex`` with ``modes = 0``: the kernel's NTP state, changing nothing."""
    libc = ctypes.CDLL(None, use_errno=True)
    tx = _Timex()
    state = libc.adjtimex(ctypes.byref(tx))
    if state < 0:
        raise OSError(ctypes.get_errno(), "adjtimex failed")
    return decode_timex(state, tx.status, tx.offset, tx.freq, tx.maxerror, tx.esterror, tx.tick)
