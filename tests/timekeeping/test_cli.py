"""`infranotes tz inspect` and `tz doctor`: JSON shapes, exit codes and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infranotes.cli import main
from infranotes.timekeeping.lab import Setup, build_root

ZI = Path("/usr/share/zoneinfo")
pytestmark = pytest.mark.skipif(not (ZI / "Asia/Tokyo").exists(), reason="no system tzdata")


def test_inspect_json(capsys) -> None:
    assert main(["tz", "inspect", str(ZI / "Asia/Tokyo"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"file", "version", "types", "transitions", "leap_seconds", "footer"}
    assert doc["footer"] == "JST-9" and doc["transitions"][-1]["abbr"] == "JST"


def test_doctor_json_and_exit_codes(tmp_path: Path, capsys) -> None:
    good = build_root(Setup("good", f"symlink:{ZI}/Asia/Tokyo"), tmp_path)
    assert (
        main(["tz", "doctor", "--root", str(good), "--at", "2024-01-15T12:00:00Z", "--json"]) == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert {k: doc[k] for k in ("zone", "abbreviation", "utc_offset_seconds")} == {
        "zone": "Asia/Tokyo",
        "abbreviation": "JST",
        "utc_offset_seconds": 32400,
    }
    assert {"zone", "source", "abbreviation", "utc_offset_seconds", "warnings"} <= set(doc)
    bad = build_root(Setup("bad", "missing"), tmp_path)
    code = main(
        [
            "tz",
            "doctor",
            "--root",
            str(bad),
            "--env",
            "TZ=Asia/Nowhere",
            "--libc",
            "musl",
            "--at",
            "2024-01-15T12:00:00",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 1 and "UTC+00:00" in out and "musl found no zone file" in err


@pytest.mark.parametrize(
    "args",
    [
        ["tz", "inspect", "/nonexistent"],
        ["tz", "inspect", "/etc/hostname"],
        ["tz", "doctor", "--root", "/nonexistent"],
        ["tz", "doctor", "--root", "/", "--env", "LANG=C"],
        ["tz", "doctor", "--root", "/", "--at", "yesterday"],
    ],
    ids=["missing", "not-tzif", "no-root", "bad-env", "bad-at"],
)
def test_errors(args: list[str], capsys) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("infranotes: ") and err.count("\n") == 1
