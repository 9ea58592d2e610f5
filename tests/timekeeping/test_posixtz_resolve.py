"""POSIX TZ strings, and how glibc and musl pick a zone in a root directory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from infranotes.errors import ParseError
from infranotes.timekeeping.lab import Setup, build_root
from infranotes.timekeeping.posixtz import parse_posix_tz
from infranotes.timekeeping.resolve import diagnose, resolve_in_root, zone_name_from_link
from infranotes.timekeeping.rtc import parse_adjtime

JAN, JUL = 1705320000, 1721044800


def ts(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).timestamp())


@pytest.mark.parametrize(
    ("text", "t", "expected"),
    [
        ("CST-8", JAN, (28800, False, "CST")),
        ("CST8", JAN, (-28800, False, "CST")),
        ("<+0530>-5:30", JUL, (19800, False, "+0530")),
        ("EST5EDT,M3.2.0,M11.1.0", JAN, (-18000, False, "EST")),
        ("EST5EDT,M3.2.0,M11.1.0", JUL, (-14400, True, "EDT")),
        ("EST5EDT,M3.2.0,M11.1.0", ts("2024-03-10T06:59:59"), (-18000, False, "EST")),
        ("EST5EDT,M3.2.0,M11.1.0", ts("2024-03-10T07:00:00"), (-14400, True, "EDT")),
        ("EST5EDT,M3.2.0,M11.1.0", ts("2024-11-03T05:59:59"), (-14400, True, "EDT")),
        ("EST5EDT,M3.2.0,M11.1.0", ts("2024-11-03T06:00:00"), (-18000, False, "EST")),
        ("AEST-10AEDT,M10.1.0,M4.1.0/3", JAN, (39600, True, "AEDT")),  # southern summer
        ("AEST-10AEDT,M10.1.0,M4.1.0/3", JUL, (36000, False, "AEST")),
        (
            "XXX3YYY,J60/0,J300/0",
            ts("2024-03-01T03:00:00"),
            (-7200, True, "YYY"),
        ),  # J ignores Feb 29
        ("XXX3YYY,59/0,300/0", ts("2024-02-29T03:00:00"), (-7200, True, "YYY")),  # n counts it
        ("EST5EDT,0/0,J365/25", JUL, (-14400, True, "EDT")),  # DST all year (RFC 8536 §3.3.1)
        ("<-03>3<-02>,M3.5.0/-2,M10.5.0/-1", JUL, (-7200, True, "-02")),  # negative times
        ("<-03>3<-02>,M3.5.0/-2,M10.5.0/-1", ts("2024-03-31T00:59:59"), (-10800, False, "-03")),
        ("<-03>3<-02>,M3.5.0/-2,M10.5.0/-1", ts("2024-03-31T01:00:00"), (-7200, True, "-02")),
        ("IST-2IDT,M3.4.4/26,M10.5.0", JUL, (10800, True, "IDT")),  # hour 26
    ],
)
def test_posix_evaluation(text: str, t: int, expected: tuple) -> None:
    assert parse_posix_tz(text).evaluate(t) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "C",
        "CST",
        "CST-8X",
        "CST-99",
        "EST5EDT,M13.1.0,M1.1.0",
        "EST5EDT,J0,J365",
        "EST5EDT,M3.2.0",
        "EST5EDT,M3.2.0,M11.1.0/200",
        "EST5EDT,M3.2.0,M11.1.0x",
        "<+05",
    ],
)
def test_posix_errors(bad: str) -> None:
    with pytest.raises(ParseError):
        parse_posix_tz(bad)


def test_root_resolution_and_link_names(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a/f").write_text("x")
    (tmp_path / "l").symlink_to("/a/f")  # absolute: inside the root, not the host
    (tmp_path / "r").symlink_to("a/../a/f")
    assert resolve_in_root(tmp_path, "/l") == tmp_path / "a/f"
    assert resolve_in_root(tmp_path, "/r") == tmp_path / "a/f"
    assert resolve_in_root(tmp_path, "/../../etc/passwd") is None
    assert zone_name_from_link("../usr/share/zoneinfo/posix/Asia/Tokyo") == "Asia/Tokyo"
    assert zone_name_from_link("/etc/elsewhere") is None


@pytest.fixture(scope="module")
def roots(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("roots")
    setups = {
        "link": Setup(
            "link", "symlink:/usr/share/zoneinfo/Asia/Shanghai", timezone="Asia/Shanghai\n"
        ),
        "copy": Setup("copy", "copy:Asia/Tokyo", timezone="Asia/Shanghai\n"),
        "missing": Setup("missing", "missing"),
        "bare": Setup("bare", "missing", tzdata=False),
    }
    return {k: build_root(s, base) for k, s in setups.items()}


@pytest.mark.skipif(not Path("/usr/share/zoneinfo/Asia/Shanghai").exists(), reason="no tzdata")
def test_diagnose_branches(roots: dict[str, Path]) -> None:
    link = diagnose(roots["link"], {}, "glibc", JAN)
    assert (link.zone, link.abbreviation, link.utc_offset_seconds, link.warnings) == (
        "Asia/Shanghai",
        "CST",
        28800,
        (),
    )
    copy = diagnose(roots["copy"], {}, "glibc", JAN)
    assert copy.zone == "Asia/Tokyo" and copy.same_content_as == ("Asia/Tokyo",)
    assert any("a copy" in w for w in copy.warnings) and any(
        "/etc/timezone" in w for w in copy.warnings
    )
    missing = diagnose(roots["missing"], {}, "musl", JAN)
    assert (missing.abbreviation, missing.utc_offset_seconds, missing.source) == (
        "UTC",
        0,
        "default (UTC)",
    )
    g = diagnose(roots["bare"], {"TZ": "Asia/Shanghai"}, "glibc", JAN)
    m = diagnose(roots["bare"], {"TZ": "Asia/Shanghai"}, "musl", JAN)
    assert (g.abbreviation, g.utc_offset_seconds) == ("Asia", 0)  # glibc: a POSIX name, no offset
    assert (m.abbreviation, m.utc_offset_seconds) == ("UTC", 0)
    assert diagnose(roots["link"], {"TZ": ""}, "glibc", JAN).abbreviation == "UTC"
    cdt = diagnose(roots["link"], {"TZ": "CST6CDT"}, "musl", JAN)
    assert (cdt.abbreviation, cdt.isdst) == ("CDT", True) and cdt.warnings
    assert diagnose(roots["link"], {"TZ": "CST6CDT"}, "glibc", JAN).abbreviation == "CST"
    tzdir = diagnose(roots["link"], {"TZ": "Asia/Tokyo", "TZDIR": "/nope"}, "musl", JAN)
    assert tzdir.abbreviation == "JST" and "musl ignores TZDIR" in tzdir.warnings
    with pytest.raises(ParseError):
        diagnose(roots["link"], {}, "bionic", JAN)


def test_adjtime() -> None:
    a = parse_adjtime("0.000000 1700000000 0.000000\n1700000000\nLOCAL\n")
    assert a.mode == "LOCAL" and "local time" in a.explain()
    assert parse_adjtime("0 0 0\n0\nUTC\n").mode == "UTC"
    for bad, line in (
        ("0 0 0\n0\n", 3),
        ("x 0 0\n0\nUTC\n", 1),
        ("0 0 0\nx\nUTC\n", 2),
        ("0 0 0\n0\nGMT\n", 3),
        ("0 0\n0\nUTC\n", 1),
    ):
        with pytest.raises(ParseError) as err:
            parse_adjtime(bad)
        assert err.value.line == line
