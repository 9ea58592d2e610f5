"""The glibc and musl ports on in-memory roots, pinned to what the real libraries printed in
the chroot oracle (tests/oracles/test_timezone_chroot_oracle.py); no root needed here."""

from __future__ import annotations

from pathlib import Path

import pytest

from infranotes.timekeeping.chroot import cut, v1_only, with_footer
from infranotes.timekeeping.libcsim import glibc_localtime, musl_localtime

ZI = "/usr/share/zoneinfo"
JAN24, JAN41 = 1705320000, 2240524800
NY = "America/New_York"
pytestmark = pytest.mark.skipif(not Path(ZI, NY).exists(), reason="no tzdata")


def reader(files: dict[str, bytes]):
    return files.get


def host(zone: str) -> bytes:
    return Path(ZI, zone).read_bytes()


def row(local) -> tuple[str, int, bool]:
    return local.abbr, local.gmtoff, local.isdst


def test_glibc_posixrules_shifts_then_uses_its_footer() -> None:
    read = reader({f"{ZI}/posixrules": host(NY)})
    assert row(glibc_localtime("AAA3BBB", read, JAN24)) == ("AAA", -10800, False)
    assert row(glibc_localtime("AAA3BBB", read, JAN41)) == ("EST", -18000, False)
    assert row(musl_localtime("AAA3BBB", read, JAN24)) == ("BBB", -7200, True)
    # without posixrules: parse_rule's US default (M3.2.0, M11.1.0)
    assert row(glibc_localtime("AAA3BBB", reader({}), JAN24)) == ("AAA", -10800, False)


def test_empty_tz_is_the_universal_file_for_glibc_only() -> None:
    read = reader({f"{ZI}/Universal": host("Asia/Tokyo")})
    assert row(glibc_localtime("", read, JAN24)) == ("JST", 32400, False)
    assert row(musl_localtime("", read, JAN24)) == ("UTC", 0, False)
    assert row(glibc_localtime("", reader({}), JAN24)) == ("Universal", 0, False)


def test_damaged_footers_keep_the_transitions() -> None:
    read = reader({"/z": cut(NY, 5)})
    assert row(glibc_localtime("/z", read, JAN24)) == ("EST", -18000, False)
    assert row(musl_localtime("/z", read, JAN24)) == ("EST", -18000, False)
    assert row(glibc_localtime("/z", read, JAN41)) == ("EDT", -14400, True)  # "...,M1"
    garbage = reader({"/z": with_footer(NY, b"\nGARBAGE!!\n")})
    assert row(glibc_localtime("/z", garbage, JAN41)) == ("GARBAGE", 0, False)
    assert row(musl_localtime("/z", garbage, JAN41)) == ("GARBAG", 0, False)  # TZNAME_MAX 6
    nofooter = reader({"/z": with_footer(NY, b"")})
    assert row(glibc_localtime("/z", nofooter, JAN24)) == ("", 0, False)  # file refused
    assert row(musl_localtime("/z", nofooter, JAN41)) == ("EDT", -14400, True)


def test_musl_quirks() -> None:
    v1 = reader({"/z": v1_only(NY)})
    assert row(musl_localtime("/z", v1, JAN24)) == ("", 0, False)
    assert row(glibc_localtime("/z", v1, JAN24)) == ("EST", -18000, False)
    right = reader({f"{ZI}/right/UTC": host("right/UTC")})
    assert row(musl_localtime("right/UTC", right, JAN24)) == ("", 0, False)
    assert row(musl_localtime("A5", reader({}), JAN24)) == ("A", -18000, False)
    assert row(glibc_localtime("A5", reader({}), JAN24)) == ("", 0, False)
    sydney = reader({"/z": cut("Australia/Sydney", 3)})
    assert row(musl_localtime("/z", sydney, JAN41)) == ("LMT", 36292 - 2**32, False)
    short = musl_localtime("/z", reader({"/z": host(NY)[:43]}), JAN24)
    assert row(short) == ("UTC", 0, False)
