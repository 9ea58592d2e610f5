"""TZif reading (RFC 8536), checked against the RFC's examples, every zone, and bad input."""

from __future__ import annotations

import datetime as dt
import os
import struct
import zoneinfo
from importlib import resources
from pathlib import Path

import pytest

from infranotes.errors import ParseError
from infranotes.timekeeping.tzif import parse_tzif

ZI = Path("/usr/share/zoneinfo")


def ts(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).timestamp())


@pytest.mark.skipif(not (ZI / "Pacific/Honolulu").exists(), reason="no system tzdata")
def test_rfc8536_b2_pacific_honolulu() -> None:
    """RFC 8536 Appendix B.2: the transitions, types and footer of Pacific/Honolulu."""
    z = parse_tzif((ZI / "Pacific/Honolulu").read_bytes(), "Honolulu")
    assert z.version >= 2 and z.footer == "HST10"
    assert [
        (t, z.types[i].utoff, z.types[i].abbr, z.types[i].isdst)
        for t, i in zip(z.transitions, z.indices, strict=True)
    ] == [
        (ts("1896-01-13T22:31:26"), -37800, "HST", False),
        (ts("1933-04-30T12:30:00"), -34200, "HDT", True),
        (ts("1933-05-21T21:30:00"), -37800, "HST", False),
        (ts("1942-02-09T12:30:00"), -34200, "HWT", True),
        (ts("1945-08-14T23:00:00"), -34200, "HPT", True),
        (ts("1945-09-30T11:30:00"), -37800, "HST", False),
        (ts("1947-06-08T12:30:00"), -36000, "HST", False),
    ]
    assert z.types[0] == z.first_type() and z.first_type().abbr == "LMT"
    assert z.first_type().utoff == -37886  # -10:31:26
    assert z.at(ts("2024-07-01T00:00:00")).utoff == -36000  # from the footer


@pytest.mark.skipif(not (ZI / "right/UTC").exists(), reason="no right/ zones")
def test_rfc8536_b1_utc_with_leap_seconds() -> None:
    """RFC 8536 Appendix B.1: UTC with leap seconds, 27 of them up to 2017-01-01."""
    z = parse_tzif((ZI / "right/UTC").read_bytes(), "right/UTC")
    first = z.leaps[:27]
    assert [x.correction for x in first] == list(range(1, 28))
    assert first[0].occurrence == ts("1972-07-01T00:00:00")  # 78796800
    assert first[-1].occurrence == ts("2017-01-01T00:00:00") + 26
    assert z.types[0].abbr == "UTC" and z.types[0].utoff == 0


def build(
    version: bytes = b"2",
    types=((0, 0, 0),),
    chars=b"UTC\0",
    times=(),
    idx=(),
    leaps=(),
    footer=b"\nUTC0\n",
    isstd=None,
    isut=None,
) -> bytes:
    isstd = isstd if isstd is not None else b""
    isut = isut if isut is not None else b""

    def block(tfmt: str) -> bytes:
        out = struct.pack(f">{len(times)}{tfmt}", *times) + bytes(idx)
        out += b"".join(struct.pack(">lBB", *t) for t in types) + chars
        out += b"".join(struct.pack(f">{tfmt}l", o, c) for o, c in leaps)
        return out + isstd + isut

    def header() -> bytes:
        return struct.pack(
            ">4sc15x6l",
            b"TZif",
            version,
            len(isut),
            len(isstd),
            len(leaps),
            len(times),
            len(types),
            len(chars),
        )

    data = header() + block("l")
    if version != b"\0":
        data += header() + block("q") + footer
    return data


def test_minimal_files_round_trip() -> None:
    v1 = parse_tzif(build(b"\0"))
    assert v1.version == 1 and v1.footer is None
    v3 = parse_tzif(build(b"3", footer=b"\n<+05>-5\n"))
    assert v3.at(0).utoff == 18000


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"TZiX" + b"\0" * 40, "magic"),
        (build(b"5"), "version byte"),
        (build()[:50], "truncated"),
        (build(types=()), "typecnt is 0"),
        (build(chars=b""), "charcnt is 0"),
        (build(isstd=b"\x01\x00"), "isstdcnt is 2"),
        (build(times=(10, 5), idx=(0, 0)), "transition 1"),
        (build(times=(10,), idx=(3,)), "uses type 3"),
        (build(types=((-(2**31), 0, 0),)), "-2**31"),
        (build(types=((100000, 0, 0),)), "outside -89999..93599"),
        (build(types=((0, 2, 0),)), "isdst is 2"),
        (build(types=((0, 0, 9),)), "desigidx 9"),
        (build(chars=b"UTC"), "do not end with NUL"),
        (build(leaps=((100, 1), (50, 2))), "leap second 1 is not after"),
        (build(leaps=((100, 1), (200, 3))), "changes the correction by 2"),
        (build(leaps=((100, 2),)), "first leap second correction"),
        (build(isstd=b"\x00", isut=b"\x01"), "UT but not standard"),
        (build(footer=b"UTC0\n"), "footer does not start"),
        (build(footer=b"\nUTC0"), "no closing newline"),
        (build(footer=b"\nnot a tz\n"), "footer"),
    ],
    ids=[
        "magic",
        "version",
        "truncated",
        "typecnt",
        "charcnt",
        "isstdcnt",
        "order",
        "index",
        "utoff-min",
        "utoff-range",
        "isdst",
        "desigidx",
        "nul",
        "leap-order",
        "leap-step",
        "leap-first",
        "isut",
        "footer-start",
        "footer-end",
        "footer-tz",
    ],
)
def test_validation_names_the_field(data: bytes, message: str) -> None:
    with pytest.raises(ParseError) as err:
        parse_tzif(data, "bad.tzif")
    assert message in str(err.value) and str(err.value).startswith("bad.tzif")


def zone_files(base: Path) -> list[Path]:
    out = []
    for d, dirs, files in os.walk(base):
        dirs[:] = [x for x in dirs if x not in ("right", "posix")]
        for f in files:
            p = Path(d) / f
            if not p.is_symlink() and p.read_bytes()[:4] == b"TZif":
                out.append(p)
    return sorted(out)


SAMPLES = [ts(f"{y}-{m:02d}-15T12:00:00") for y in range(1900, 2101, 3) for m in (1, 4, 7, 10)]


def compare_all(files: list[Path]) -> tuple[int, int]:
    checks = 0
    for p in files:
        data = p.read_bytes()
        z = parse_tzif(data, str(p))
        ref = zoneinfo.ZoneInfo.from_file(p.open("rb"))
        for t in (*z.transitions, *SAMPLES):
            try:
                d = dt.datetime.fromtimestamp(t, tz=ref)
            except (OverflowError, ValueError, OSError):
                continue
            lt = z.at(t)
            assert (lt.utoff, lt.abbr) == (int(d.utcoffset().total_seconds()), d.tzname()), (p, t)
            checks += 1
    return len(files), checks


@pytest.mark.skipif(not ZI.is_dir(), reason="no system tzdata")
def test_every_system_zone_agrees_with_zoneinfo() -> None:
    zones, checks = compare_all(zone_files(ZI))
    assert zones > 300 and checks > 50000


def test_every_tzdata_package_zone_agrees_with_zoneinfo() -> None:
    base = Path(str(resources.files("tzdata").joinpath("zoneinfo")))
    zones, checks = compare_all(zone_files(base))
    assert zones > 300 and checks > 50000
