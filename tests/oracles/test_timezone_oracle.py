"""The zone doctor against glibc's `date` and a musl-built probe, in mount namespaces."""

from __future__ import annotations

from pathlib import Path

import pytest

from infranotes.timekeeping.lab import EPOCHS, Setup, build_root, run_live
from infranotes.timekeeping.resolve import diagnose

from .conftest import require

pytestmark = pytest.mark.oracle
ZI = "/usr/share/zoneinfo"

SETUPS = (
    Setup("unset-symlink-shanghai", f"symlink:{ZI}/Asia/Shanghai"),
    Setup("unset-relative-symlink", "symlink:../usr/share/zoneinfo/America/New_York"),
    Setup("unset-copy-tokyo", "copy:Asia/Tokyo", timezone="Asia/Shanghai\n"),
    Setup("unset-missing", "missing"),
    Setup("unset-missing-timezone-file", "missing", timezone="Europe/Berlin\n"),
    Setup("unset-dangling", f"symlink:{ZI}/Asia/Nowhere"),
    Setup("unset-garbage", "content:not a tzif file\n"),
    Setup("unset-posix-text-in-file", "content:CST-8\n"),
    Setup("tz-empty", f"symlink:{ZI}/Asia/Shanghai", env={"TZ": ""}),
    Setup("tz-colon", f"symlink:{ZI}/Asia/Shanghai", env={"TZ": ":"}),
    Setup("tz-colon-name", env={"TZ": ":Asia/Kolkata"}),
    Setup("tz-name", env={"TZ": "Europe/London"}),
    Setup("tz-absolute-path", env={"TZ": f"{ZI}/Australia/Sydney"}),
    Setup("tz-posix-cst-8", env={"TZ": "CST-8"}),
    Setup("tz-posix-wrong-sign", env={"TZ": "CST8"}),
    Setup("tz-posix-quoted", env={"TZ": "<+0530>-5:30"}),
    Setup("tz-posix-rules", env={"TZ": "EST5EDT,M3.2.0,M11.1.0"}),
    Setup("tz-posix-southern", env={"TZ": "AEST-10AEDT,M10.1.0,M4.1.0/3"}),
    Setup("tz-missing-zone", env={"TZ": "Asia/Nowhere"}),
    Setup("tz-wrong-case", env={"TZ": "asia/shanghai"}),
    Setup("tz-file-named-like-posix", env={"TZ": "CST6CDT"}),
    Setup("tz-rule-less-dst", env={"TZ": "ABC5DEF"}),
    Setup("tzdir-elsewhere", env={"TZ": "Asia/Shanghai", "TZDIR": "/nonexistent"}),
    Setup("no-tzdata-tz-set", "missing", env={"TZ": "Asia/Shanghai"}, tzdata=False),
    Setup("no-tzdata-copied-localtime", "copy:Asia/Shanghai", tzdata=False),
)


@pytest.mark.parametrize("setup", SETUPS, ids=[s.name for s in SETUPS])
def test_doctor_matches_libc(setup: Setup, tmp_path: Path) -> None:
    require("unshare", "mount", "date", "musl-gcc")
    root = build_root(setup, tmp_path)
    live = run_live(setup, root)
    for libc in ("glibc", "musl"):
        predicted = [
            (d.abbreviation, d.utc_offset_seconds)
            for d in (diagnose(root, setup.env, libc, at) for at in EPOCHS)
        ]
        assert predicted == live[libc], f"{setup.name} [{libc}]"
