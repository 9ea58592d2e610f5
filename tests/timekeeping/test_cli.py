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


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_doctor_speaks_chinese_with_the_same_data(tmp_path: Path, capsys) -> None:
    copy = build_root(Setup("copy", f"copy:{ZI}/Asia/Tokyo", timezone="Asia/Shanghai"), tmp_path)
    base = ["tz", "doctor", "--root", str(copy), "--at", "2024-01-15T12:00:00Z"]
    docs = {}
    for lang in ("en", "zh"):
        assert main([*base, "--json", "--lang", lang]) == 1
        docs[lang] = json.loads(capsys.readouterr().out)
    en, zh = docs["en"], docs["zh"]
    prose = {"source", "warnings"}
    assert {k: v for k, v in en.items() if k not in prose} == {
        k: v for k, v in zh.items() if k not in prose
    }
    assert en["zone"] == "Asia/Tokyo" and en["source"] == "/etc/localtime (a copy)"
    assert zh["source"] == "/etc/localtime（副本）"
    assert len(en["warnings"]) == len(zh["warnings"]) == 2
    assert all(_has_chinese(w) for w in zh["warnings"])
    assert "Asia/Tokyo" in zh["warnings"][0] and "'Asia/Shanghai'" in zh["warnings"][1]

    assert main(base) == 1
    default = capsys.readouterr()
    assert default.out == (
        "glibc: zone Asia/Tokyo from /etc/localtime (a copy): JST UTC+09:00 "
        "at 2024-01-15 12:00:00 UT\n"
    )
    assert default.err.splitlines() == [f"warning: {w}" for w in en["warnings"]]
    assert main([*base, "--lang", "en"]) == 1
    assert capsys.readouterr() == default
    assert main([*base, "--lang", "zh"]) == 1
    out, err = capsys.readouterr()
    assert out == (
        "glibc：时区 Asia/Tokyo，来自 /etc/localtime（副本）：2024-01-15 12:00:00 UT 时为 "
        "JST UTC+09:00\n"
    )
    assert err.splitlines() == [f"警告：{w}" for w in zh["warnings"]]

    assert main([*base, "--lang", "fr"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "invalid choice: 'fr'" in err
