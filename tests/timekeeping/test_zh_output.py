"""Notebook 06's outputs in both languages: the English exactly as the notebook stored it
before the Chinese edition, the Chinese with Chinese words around the same data values.

The zone doctor's warnings stay English data (the CLI, ``--json`` and the oracles read them);
each also carries its Chinese, which only the notebook's tables show.
"""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from infranotes.i18n import UnknownLanguage, bilingual
from infranotes.timekeeping import cases, chapter, rtc
from infranotes.timekeeping.chrony import ChronyRun, Tracking
from infranotes.timekeeping.chroot import build
from infranotes.timekeeping.clock import Clocksource, Timex
from infranotes.timekeeping.lab import Setup, build_root
from infranotes.timekeeping.libcsim import STATEFUL, UNPREDICTABLE, musl_localtime
from infranotes.timekeeping.messages import Said, say
from infranotes.timekeeping.resolve import diagnose
from tests.oracles.timezone_cases import EPOCHS, GROUPS

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks/06-linux-time-and-container-zones.ipynb"
JAN, JUL = 1705320000, 1721044800
HAS_TZDATA = Path("/usr/share/zoneinfo/Asia/Tokyo").exists()
CJK = re.compile(r"[\u4e00-\u9fff]")


def stored(marker: str) -> str:
    """The English text/plain the notebook stored for the code cell whose source has ``marker``."""
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if c["cell_type"] == "code" and marker in "".join(c["source"])]
    assert len(cells) == 1, marker
    (out,) = cells[0]["outputs"]
    return "".join(out["data"]["text/plain"])


def chinese(text: str) -> bool:
    return bool(CJK.search(text))


# ----------------------------------------------------------------------- Said and say


def test_said_is_the_english_string_and_keeps_its_chinese() -> None:
    s = Said("musl ignores TZDIR", "musl 忽略 TZDIR")
    assert s == "musl ignores TZDIR" and isinstance(s, str) and "TZDIR" in s
    assert json.dumps([s]) == '["musl ignores TZDIR"]'
    assert {s: 1} == {"musl ignores TZDIR": 1}
    back = pickle.loads(pickle.dumps(s))
    assert (back, back.zh) == ("musl ignores TZDIR", "musl 忽略 TZDIR")
    assert say(s, "en") == "musl ignores TZDIR" and say(s, "zh") == "musl 忽略 TZDIR"
    assert say("plain data", "zh") == "plain data"  # not a Said: shown as it is
    with pytest.raises(UnknownLanguage):
        say(s, "fr")


def test_libc_notes_are_english_with_chinese() -> None:
    assert STATEFUL.startswith("the footer names a DST zone without rules") and chinese(STATEFUL.zh)
    assert "__mon_yday[-1]" in UNPREDICTABLE.zh and chinese(UNPREDICTABLE.zh)
    note = musl_localtime("AB5", lambda path: None, JAN).notes[0]
    assert note == (
        "TZ='AB5': musl takes a standard-time name of 2 letters (POSIX asks for at least 3; "
        "glibc refuses it and uses UTC with an empty name)"
    )
    assert note.zh.startswith("TZ='AB5'：musl 接受只有 2 个字母") and "3" in note.zh


# --------------------------------------------------------------------- the zone doctor


@pytest.mark.skipif(not HAS_TZDATA, reason="no tzdata")
def test_doctor_warnings_stay_english_and_say_themselves_in_chinese(tmp_path: Path) -> None:
    root = build_root(Setup("copied", "copy:Asia/Tokyo", timezone="Asia/Shanghai\n"), tmp_path)
    d = diagnose(root, {}, "glibc", JAN)
    assert d.warnings == (
        "/etc/localtime is a copy, not a symlink: the zone name is lost (same content as "
        "Asia/Tokyo) and a tzdata update will not reach it",
        "/etc/timezone says 'Asia/Shanghai' but the C library uses Asia/Tokyo: libc never "
        "reads /etc/timezone (Debian's dpkg-reconfigure tzdata, some Java builds and "
        "Python's tzlocal do)",
    )
    assert d.source == "/etc/localtime (a copy)" and say(d.source, "zh") == "/etc/localtime（副本）"
    assert json.loads(json.dumps(d.to_json()))["warnings"] == list(d.warnings)
    copy, timezone = (say(w, "zh") for w in d.warnings)
    assert copy == (
        "/etc/localtime 是副本而不是符号链接：时区名已丢失（内容与 Asia/Tokyo 相同），"
        "tzdata 更新也不会作用到它"
    )
    assert timezone.startswith("/etc/timezone 写的是 'Asia/Shanghai'，但 C 库使用的是 Asia/Tokyo")

    # where the zone is unknown, the source it names is the Chinese one too
    missing = build_root(Setup("gone", "missing", timezone="Asia/Shanghai\n"), tmp_path)
    m = diagnose(missing, {}, "musl", JAN)
    assert say(m.warnings[-1], "zh").startswith(
        "/etc/timezone 写的是 'Asia/Shanghai'，但 C 库使用的是 默认（UTC）"
    )
    assert "the C library uses default (UTC)" in m.warnings[-1]


@pytest.mark.skipif(not HAS_TZDATA, reason="no tzdata")
def test_every_edge_case_warning_has_chinese(tmp_path: Path) -> None:
    """Every warning and source the oracle's edge cases produce reads in Chinese."""
    seen: set[str] = set()
    for group in GROUPS.values():
        for root in group:
            top = build(root, tmp_path)
            for libc in ("glibc", "musl"):
                d = diagnose(top, root.env, libc, EPOCHS[3])
                for text in (*d.warnings, d.source):
                    if text == "TZ=':' : UTC":  # no words to translate
                        continue
                    assert isinstance(text, Said), (root.name, libc, text)
                    assert chinese(text.zh), (root.name, libc, text)
                    seen.add(text)
    assert len(seen) >= 30  # the edge cases reach most of the doctor's messages


# ---------------------------------------------------------------------- the notebook


def test_rtc_report() -> None:
    utc = rtc.parse_adjtime("0.000000 1700000000 0.000000\n1700000000\nUTC\n")
    assert chapter.rtc_report([], utc) == (
        "no RTC device in /sys/class/rtc on this machine\n"
        "The RTC keeps UTC: at boot it is copied to the system clock as is; the zone only "
        "changes how times are displayed."
    )
    assert chapter.rtc_report([], utc, lang="zh") == (
        "这台机器的 /sys/class/rtc 中没有 RTC 设备\n"
        "RTC 保存的是 UTC：开机时它被原样复制到系统时钟；时区只影响时间如何显示。"
    )
    device = rtc.RTC("rtc0", "2024-01-15", "12:00:00", JAN, True)
    assert chapter.rtc_report([device], utc, lang="zh").startswith("[RTC(name='rtc0'")
    local = rtc.parse_adjtime("0 0 0\n0\nLOCAL\n")
    assert local.explain().startswith("The RTC keeps local time: at boot hwclock converts")
    assert local.explain("zh").startswith("RTC 保存的是本地时间") and "/etc/localtime" in (
        local.explain("zh")
    )


def test_clock_report() -> None:
    tx = Timex("TIME_ERROR", ("STA_UNSYNC",), 0.0, 0.0, 16000000, 16000000, 10000)
    source = Clocksource("tsc", ("tsc", "kvm-clock"))
    assert chapter.clock_report(source, tx) == (
        "Clocksource(current='tsc', available=('tsc', 'kvm-clock'))\n"
        "adjtimex: TIME_ERROR, flags STA_UNSYNC; synchronised: False"
    )
    assert chapter.clock_report(source, tx, lang="zh").splitlines()[1] == (
        "adjtimex：TIME_ERROR，标志 STA_UNSYNC；已同步：False"
    )


def _run(offset: float, measured: float, would: str, slew: float) -> ChronyRun:
    return ChronyRun(offset, Tracking("7F000001", 9, measured, 0.0, "Normal"), would, slew, ())


def test_chrony_table() -> None:
    runs = [
        _run(0.05, 0.05, "slew", 0.6),
        _run(0.5, 0.5, "slew", 6.0),
        _run(-5.0, -5.0, "step", 60),
    ]
    assert repr(chapter.chrony_table(runs)) == stored("chrony_table")
    zh = chapter.chrony_table(runs, lang="zh")
    assert zh.header == ("服务器偏差 (s)", "客户端测得 (s)", "chronyd 的做法", "渐调所需时间")
    assert [r[1:] for r in zh.rows] == [
        ("+0.050", "渐调", "0.6 s"),
        ("+0.500", "渐调", "6.0 s"),
        ("-5.000", "跳变", "60.0 s"),
    ]
    assert runs[2].would == "step"  # the data keeps chronyd's word


def test_dual_boot_table() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    assert repr(chapter.dual_boot_table(JAN, shanghai)) == stored("dual_boot_table")
    zh = chapter.dual_boot_table(JAN, shanghai, lang="zh")
    assert zh.header == ("", "RTC 中的值", "Linux 显示", "Windows 显示")
    assert zh.rows[1] == (
        "最后关机的是 Windows（RTC 为本地时间）",
        "2024-01-15 20:00",
        "2024-01-16 04:00",
        "2024-01-15 20:00",
    )
    assert rtc.dual_boot(JAN, shanghai)[0].step == "the true local time"


def test_posix_tz_table() -> None:
    texts = ["CST-8", "CST8", "<+0530>-5:30", "EST5EDT,M3.2.0,M11.1.0"]
    texts += ["AEST-10AEDT,M10.1.0,M4.1.0/3", "<-02>2<-01>,M3.5.0/-1,M10.5.0/0"]
    en = chapter.posix_tz_table(texts, (JAN, JUL))
    assert repr(en) == stored("posix_tz_table")
    assert en.rows[3] == ("EST5EDT,M3.2.0,M11.1.0", "EST -5h", "EDT -4h DST")
    zh = chapter.posix_tz_table(texts, (JAN, JUL), lang="zh")
    assert zh.header == ("TZ", "2024-01-15 12:00Z", "2024-07-15 12:00Z")
    assert zh.rows[3] == ("EST5EDT,M3.2.0,M11.1.0", "EST -5h", "EDT -4h 夏令时")
    assert zh.rows[4][1:] == ("AEDT +11h 夏令时", "AEST +10h")
    assert zh.rows[:3] == en.rows[:3]  # no DST: nothing to translate


@pytest.mark.skipif(not HAS_TZDATA, reason="no tzdata")
def test_cases_table_matches_the_notebook_and_reads_in_chinese(tmp_path: Path) -> None:
    results = cases.run_cases(tmp_path, live=False)
    # the notebook ran them live and asserted libc printed what the doctor predicted
    printed = [
        cases.CaseResult(
            r.title,
            r.predicted,
            {libc: (p.abbreviation, p.utc_offset_seconds) for libc, p in r.predicted.items()},
        )
        for r in results
    ]
    assert repr(cases.cases_table(printed)) == stored("cases.cases_table")
    again = cases.compare_cases(tmp_path / "again", live=False)
    assert repr(again) == repr(cases.cases_table(results))
    assert cases.cases_table(results).rows[0][3] == "(not run)"

    zh = cases.cases_table(results, lang="zh")
    assert zh.header == ("情形", "libc", "诊断器预测", "libc 实际打印", "时区名", "警告")
    en_rows = cases.cases_table(results).rows
    for en_row, zh_row in zip(en_rows, zh.rows, strict=True):
        assert zh_row[1:3] == en_row[1:3] and zh_row[4] == en_row[4]  # the data, unchanged
        assert zh_row[3] == "（未运行）"
        assert (zh_row[0] == "") == (en_row[0] == "")
        assert zh_row[0] == "" or chinese(zh_row[0])
        assert zh_row[5] == "-" or chinese(zh_row[5])
    glibc_typo = zh.rows[2]
    assert glibc_typo[0] == "TZ 指定了一个不存在的时区"
    assert glibc_typo[5] == (
        "TZ=Asia/Shangai：没有时区文件 /usr/share/zoneinfo/Asia/Shangai；glibc 把它当作 "
        "POSIX TZ 字符串读取，于是时区成了 'Asia'，偏移 UTC+0000"
    )
    tzdir = zh.rows[12]
    assert tzdir[5].startswith("TZDIR=/opt/zoneinfo：glibc 在那里查找时区（musl 不会）；TZ=")
    assert zh.rows[13][5] == "musl 忽略 TZDIR"


@pytest.mark.skipif(not HAS_TZDATA, reason="no tzdata")
def test_stale_table(tmp_path: Path) -> None:
    pytest.importorskip("tzdata")
    state = cases.stale_state(tmp_path)
    assert repr(cases.stale_table(state)) == stored("cases.stale_table")
    zh = cases.stale_table(state, lang="zh")
    assert zh.header == ("时区名", "来源", "2024 年一月的状态", "警告")
    assert zh.rows == [
        (
            "-",
            "/etc/localtime（副本）",
            "-03 -0300",
            "/etc/localtime 是副本，且与这里的任何时区文件都不一致：tzdata 更新后它已过时，"
            "或者它来自另一个 tzdata 版本",
        )
    ]


def test_bilingual_keeps_the_english_as_the_plain_text() -> None:
    both = bilingual(chapter.dual_boot_table, JAN, ZoneInfo("Asia/Shanghai"))
    assert repr(both) == stored("dual_boot_table")
    assert "<th>RTC 中的值</th>" in both._repr_html_()
