"""Chroot roots for the zone doctor's edge cases, in four groups (see test_timezone_oracle)."""

from __future__ import annotations

from infranotes.timekeeping.chroot import ZI, Root, cut, v1_only, with_footer, with_version

NY = "America/New_York"
NYF = f"{ZI}/{NY}"
# 1890, 1938, 2001, 2024-01-15, 2024-07-15, 2041-01-01, 2041-07-15
EPOCHS = (-2_500_000_000, -1_000_000_000, 1_000_000_000, 1705320000, 1721044800)
EPOCHS += (2240524800, 2257545600)


def _posixrules(name: str, tz: str, rules: str | bytes | None, **env: str) -> Root:
    files: dict[str, str | bytes] = {NYF: f"copy:{NY}"}
    if rules is not None:
        files[f"{ZI}/posixrules"] = rules
    return Root(f"posixrules-{name}", files, {"TZ": tz, **env})


POSIXRULES = (
    _posixrules("ny-aaa5bbb", "AAA5BBB", f"link:{NY}"),
    _posixrules("ny-aaa3bbb", "AAA3BBB", f"link:{NY}"),
    _posixrules("ny-est5edt-no-file", "EST5EDT", f"link:{NY}"),
    _posixrules("ny-aaa-1bbb", "AAA-1BBB", f"link:{NY}"),
    _posixrules("ny-quoted", "<+03>-3<+04>", f"link:{NY}"),
    _posixrules("ny-dst-offset", "AAA5BBB3", f"link:{NY}"),
    _posixrules("ny-trailing-comma", "AAA5BBB,", f"link:{NY}"),
    _posixrules("ny-colon", ":AAA5BBB", f"link:{NY}"),
    _posixrules("ny-with-rules", "AAA5BBB,M4.1.0,M10.1.0", f"link:{NY}"),
    _posixrules("berlin-aaa-1bbb", "AAA-1BBB", "copy:Europe/Berlin"),
    _posixrules("berlin-aaa5bbb", "AAA5BBB", "copy:Europe/Berlin"),
    _posixrules("sydney", "AAA-10BBB", "copy:Australia/Sydney"),
    _posixrules("tokyo", "AAA5BBB", "copy:Asia/Tokyo"),
    _posixrules("missing-us-rules", "AAA5BBB", None),
    _posixrules("one-type-utc", "AAA5BBB", "copy:Etc/UTC"),
    _posixrules("garbage", "AAA5BBB", b"not a zone file\n"),
    _posixrules("v1-only", "AAA5BBB", v1_only(NY)),
    Root(
        "posixrules-tzdir",
        {"/opt/zi/posixrules": "copy:Europe/Berlin", NYF: f"copy:{NY}"},
        {"TZ": "AAA5BBB", "TZDIR": "/opt/zi"},
    ),
)


def _universal(
    name: str, spec: str | bytes | None, tz: str = "", localtime: str | None = None
) -> Root:
    files: dict[str, str | bytes] = {f"{ZI}/Etc/UTC": "copy:Etc/UTC"}
    if spec is not None:
        files[f"{ZI}/Universal"] = spec
    if localtime is not None:
        files["/etc/localtime"] = localtime
    return Root(f"empty-tz-{name}", files, {"TZ": tz})


EMPTY_TZ = (
    _universal("link-etc-utc", "link:Etc/UTC"),
    _universal("tokyo", "copy:Asia/Tokyo"),
    _universal("missing", None),
    _universal("garbage", b"UTC0\n"),
    _universal("v1-paris", v1_only("Europe/Paris")),
    _universal("ny-beats-localtime", f"copy:{NY}", localtime="copy:Asia/Tokyo"),
    _universal("cut-tokyo", cut("Asia/Tokyo", 3)),
    _universal("right-utc", "copy:right/UTC"),
    _universal("colon-only", "copy:Asia/Tokyo", ":"),
    _universal("colon-universal", "copy:Asia/Tokyo", ":Universal"),
    _universal("named-missing", None, "Universal"),
    Root("empty-tz-utc-file-tokyo", {f"{ZI}/UTC": "copy:Asia/Tokyo"}, {"TZ": "UTC"}),
    Root("empty-tz-gmt-file-tokyo", {f"{ZI}/GMT": "copy:Asia/Tokyo"}, {"TZ": "GMT"}),
    Root("empty-tz-no-zoneinfo", {"/etc/localtime": "copy:Asia/Tokyo"}, {"TZ": ""}),
    Root(
        "empty-tz-tzdir",
        {"/opt/zi/Universal": "copy:Asia/Kolkata", f"{ZI}/Universal": "copy:Europe/London"},
        {"TZ": "", "TZDIR": "/opt/zi"},
    ),
    Root(
        "empty-tz-tzdir-without",
        {f"{ZI}/Universal": "copy:Asia/Tokyo"},
        {"TZ": "", "TZDIR": "/x"},
    ),
)


def _damaged(name: str, data: bytes, via_localtime: bool = False) -> Root:
    if via_localtime:
        return Root(f"damaged-{name}", {"/etc/localtime": data}, {})
    return Root(f"damaged-{name}", {"/zone": data}, {"TZ": "/zone"})


DAMAGED = (
    _damaged("cut-1", cut(NY, 1)),
    _damaged("cut-5", cut(NY, 5)),
    _damaged("cut-20", cut(NY, 20)),
    _damaged("footer-newline-only", with_footer(NY, b"\n")),
    _damaged("no-footer", with_footer(NY, b"")),
    _damaged("footer-garbage", with_footer(NY, b"\nGARBAGE!!\n")),
    _damaged("footer-one-rule", with_footer(NY, b"\nEST5EDT,M3.2.0\n")),
    _damaged("footer-name-only", with_footer(NY, b"\nXYZ\n")),
    _damaged("footer-other-zone", with_footer(NY, b"\n<+03>-3\n")),
    _damaged("footer-no-leading-newline", with_footer(NY, b"EST5EDT,M3.2.0,M11.1.0\n")),
    _damaged("footer-no-closing-newline", with_footer(NY, b"\nEST5EDT,M3.2.0,M11.1.0")),
    _damaged("footer-extra-newline", with_footer(NY, b"\nEST5EDT,M3.2.0,M11.1.0\n\n")),
    _damaged(
        "berlin-footer-junk", with_footer("Europe/Berlin", b"\nCET-1CEST,M3.5.0,M10.5.0/3x\n")
    ),
    _damaged("sydney-cut-3", cut("Australia/Sydney", 3)),
    _damaged("localtime-cut-5", cut(NY, 5), via_localtime=True),
    _damaged("localtime-footer-garbage", with_footer(NY, b"\n!!\n"), via_localtime=True),
)

MUSL = (
    Root("musl-v1-ny", {"/zone": v1_only(NY)}, {"TZ": "/zone"}),
    Root("musl-v1-tokyo", {"/zone": v1_only("Asia/Tokyo")}, {"TZ": "/zone"}),
    Root("musl-v1-utc", {"/zone": v1_only("Etc/UTC")}, {"TZ": "/zone"}),
    Root("musl-v1-localtime", {"/etc/localtime": v1_only("Europe/Paris")}, {}),
    Root("musl-version-3", {"/zone": with_version(NY, b"3")}, {"TZ": "/zone"}),
    Root("musl-version-4", {"/zone": with_version(NY, b"4")}, {"TZ": "/zone"}),
    Root("musl-version-1", {"/zone": with_version(NY, b"1")}, {"TZ": "/zone"}),
    Root("musl-right-utc", {f"{ZI}/right/UTC": "copy:right/UTC"}, {"TZ": "right/UTC"}),
    Root(
        "musl-right-paris",
        {f"{ZI}/right/Europe/Paris": "copy:right/Europe/Paris"},
        {"TZ": "right/Europe/Paris"},
    ),
    Root("musl-short-43", {"/zone": with_version(NY, b"2")[:43]}, {"TZ": "/zone"}),
    Root("musl-short-44", {"/zone": v1_only(NY)[:44]}, {"TZ": "/zone"}),
    Root("musl-short-60", {"/zone": with_version(NY, b"2")[:60]}, {"TZ": "/zone"}),
    Root("musl-short-200", {"/zone": with_version(NY, b"2")[:200]}, {"TZ": "/zone"}),
    Root("musl-name-a5", {}, {"TZ": "A5"}),
    Root("musl-name-ab-3cd", {}, {"TZ": "AB-3CD"}),
    Root("musl-name-quoted-2", {}, {"TZ": "<AB>3"}),
    Root("musl-name-x0y", {}, {"TZ": "X0Y,M3.2.0,M11.1.0"}),
    Root("musl-name-digits-only", {}, {"TZ": "5"}),
    Root("musl-japan-is-a-file", {f"{ZI}/Japan": "copy:Japan"}, {"TZ": "Japan"}),
)

GROUPS = {"posixrules": POSIXRULES, "empty-tz": EMPTY_TZ, "damaged": DAMAGED, "musl": MUSL}
