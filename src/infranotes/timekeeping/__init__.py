"""Linux time: TZif files, POSIX TZ strings, how a process picks its zone, the RTC."""

from infranotes.timekeeping.posixtz import PosixTZ, parse_posix_tz
from infranotes.timekeeping.tzif import TZif, parse_tzif

__all__ = ["PosixTZ", "TZif", "parse_posix_tz", "parse_tzif"]
