"""Notebook 05's outputs in both editions: English exactly as the notebook stored it before the
Chinese edition existed (data/notebook05_en.json), Chinese with the same data values.

What must stay English in the Chinese rendering is checked too: schedules, job names, times,
robfig's and the API server's messages, and Kubernetes' own events and words (Forbid,
Replace, InvalidSchedule, TooManyMissedTimes).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from infranotes.cronjob import chapter, describe
from infranotes.cronjob import scenarios as sc
from infranotes.cronjob.controller import CronJobSpec, Status, decide
from infranotes.i18n import Bilingual, bilingual
from infranotes.table import Table

STORED = json.loads((Path(__file__).parent / "data" / "notebook05_en.json").read_text("utf-8"))
CJK = re.compile(r"[\u4e00-\u9fff]")

NEXT_SPECS = [
    "0 0 13 * 5",
    "0 0 1-7 * 1",
    "0 0 */2 * 0",
    "*/15 9-17 * * mon-fri",
    "@every 90m",
    "0 0 * * 7",
    "0 2 * * * *",
    "59 23 31 2 *",
]
REPORT = CronJobSpec("report", "30 10,11,12 * * 1-5", created=1_463_652_000)
REPORT_STATUS = Status(last_schedule_time=1_463_653_800)
FRIDAY_1630 = 1_463_761_800


def both(make, *args, **kwargs) -> tuple[object, object]:
    """The English and Chinese renderings, as the notebook's bilingual() stores them."""
    out = bilingual(make, *args, **kwargs)
    assert isinstance(out, Bilingual)
    return out.en, out.zh


def chinese(text: object) -> bool:
    return bool(CJK.search(str(text)))


# ------------------------------------------------------------------------- the next-runs table
def test_next_table_english_is_what_the_notebook_stored_and_chinese_keeps_the_data() -> None:
    en, zh = both(sc.next_table, NEXT_SPECS, sc.T0)
    assert isinstance(en, Table) and isinstance(zh, Table)
    assert repr(en) == STORED["next_table"]
    assert list(zh.header) == ["调度表达式", "含义", "2024-05-01T00:00:00Z 之后的 3 次触发（UTC）"]
    assert [r[0] for r in zh.rows] == NEXT_SPECS  # the schedules themselves are never translated
    rows = {r[0]: r for r in zh.rows}
    assert rows["0 0 13 * 5"][1:] == (
        "在 00:00，每月 13 日或每周五。",
        "周五 2024-05-03 00:00 UTC, 周五 2024-05-10 00:00 UTC, 周一 2024-05-13 00:00 UTC",
    )
    # robfig's message is what the API server says: it stays as written
    assert rows["0 0 * * 7"][1:] == (
        "被 API 服务器拒绝：end of range (7) above maximum (6): 7",
        "-",
    )
    assert rows["0 2 * * * *"][1] == (
        "被 API 服务器拒绝：expected exactly 5 fields, found 6: [0 2 * * * *]"
    )
    assert rows["59 23 31 2 *"][1:] == (
        "在 23:59，每月 31 日，仅在 2 月。",
        "永不触发（能通过校验；控制器报告 InvalidSchedule）",
    )
    # the times are the English ones with the weekday in Chinese
    timed = [(e[2], z[2]) for e, z in zip(en.rows, zh.rows, strict=True) if e[2][:1].isupper()]
    assert len(timed) == 5
    for en_times, zh_times in timed:
        assert re.sub(r"周.", "D", zh_times) == re.sub(r"\b[A-Z][a-z]{2}(?= \d{4})", "D", en_times)


def test_next_table_across_dst_changes() -> None:
    spring = both(sc.next_table, ["CRON_TZ=America/New_York 30 2 * * *"], 1_709_942_400, n=3)
    fall = both(sc.next_table, ["CRON_TZ=America/New_York 30 1 * * *"], 1_730_548_800, n=3)
    assert repr(spring[0]) == STORED["next_table_dst_spring"]
    assert repr(fall[0]) == STORED["next_table_dst_fall"]
    assert fall[1].rows[0][1:] == (
        "在 01:30（时区 America/New_York）。",
        "周日 2024-11-03 01:30 EDT, 周日 2024-11-03 01:30 EST, 周一 2024-11-04 01:30 EST",
    )


# ------------------------------------------------------------------- a schedule in words
@pytest.mark.parametrize(
    ("spec", "en", "zh"),
    [
        ("* * * * *", "Every minute.", "每分钟。"),
        ("@hourly", "At minute 0.", "在每小时的第 0 分钟。"),
        ("5,35 * * * *", "At minute 5 and 35.", "在每小时的第 5 和 35 分钟。"),
        (
            "0 */2 * * *",
            "At minute 0 past hour every 2nd from 0 through 22.",
            "在 0 到 22 点之间每隔 2 小时的第 0 分钟。",
        ),
        ("* 3 * * *", "At every minute past hour 3.", "在 3 点的每分钟。"),
        ("0 1,13 * * *", "At 01:00 and 13:00.", "在 01:00 和 13:00。"),
        (
            "0 0 1,15,20 * *",
            "At 00:00 on day-of-month 1, 15 and 20.",
            "在 00:00，每月 1、15 和 20 日。",
        ),
        (
            "0 0 */2 * 0",
            "At 00:00 on day-of-month every 2nd from 1 through 31 or on Sun.",
            "在 00:00，每月 1 到 31 日每隔 2 天或每周日。",
        ),
        (
            "*/15 9-17 * * mon-fri",
            "At minute every 15th from 0 through 45 past hour 9 through 17 on Mon through Fri.",
            "在 9 到 17 点的第 0 到 45 分钟每隔 15 分钟，每周一到周五。",
        ),
        (
            "0 0 * * 0-6/2",
            "At 00:00 on every 2nd from Sun through Sat.",
            "在 00:00，周日到周六每隔 2 天。",
        ),
        (
            "0 0 * 1-3,6 *",
            "At 00:00 in Jan through Mar and Jun.",
            "在 00:00，仅在 1 到 3 和 6 月。",
        ),
        (
            "0 0 * */3 *",
            "At 00:00 in every 3rd from Jan through Oct.",
            "在 00:00，仅在 1 到 10 月每隔 3 个月。",
        ),
        (
            "TZ=Europe/Berlin @every 1h",
            "Every 1:00:00 after the previous activation (Europe/Berlin is ignored by @every).",
            "从上一次触发起每隔 1:00:00 触发一次（@every 忽略 Europe/Berlin）。",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and not chinese(v) and len(v) < 25 else "",
)
def test_describe_in_both_languages(spec: str, en: str, zh: str) -> None:
    assert describe(spec) == describe(spec, "en") == en
    assert describe(spec, "zh") == zh


# ------------------------------------------------------------------------ the controller's why
def test_decisions_english_is_stored_and_chinese_translates_words_not_data() -> None:
    en, zh = both(sc.decisions, REPORT, REPORT_STATUS, [FRIDAY_1630])
    assert repr(en) == STORED["decisions"]
    assert list(zh.header) == ["当前时刻", "控制器", "动作", "调度时间", "原因", "下次查看"]
    assert zh.rows == [
        (
            "2016-05-20T16:30:00Z",
            "v1.10",
            "启动",
            "2016-05-20T12:30:00Z",
            "有未满足的启动时间；共 5 个，只启动最近的一个",
            "2016-05-20T16:30:10Z",
        ),
        (
            "2016-05-20T16:30:00Z",
            "当前版本",
            "等待",
            "-",
            "从估算的位置往后遍历，没有找到未满足的启动时间"
            "（估算错过了约 30 个，假设调度时间均匀分布）",
            "2016-05-23T10:30:00Z",
        ),
    ]


def test_reasons_stay_english_data_and_kubernetes_messages_stay_as_written() -> None:
    d = decide(REPORT, REPORT_STATUS, FRIDAY_1630, "v1.10")
    assert (
        d.reason
        == d.reason_in("en")
        == ("Unmet start time; 5 unmet start times, only the most recent is started")
    )
    assert d.to_json()["reason"] == d.reason  # the CLI's JSON is English
    assert d.action == "start"  # data words are not translated at the source
    # the same decision without its Chinese rendering compares equal
    assert d == decide(REPORT, REPORT_STATUS, FRIDAY_1630, "v1.10")
    # an unparseable schedule: the reason is Kubernetes' error message, the same in both
    bad = decide(CronJobSpec("x", "0 0 * * 7", 0), Status(), 60, "v1.10")
    assert bad.said is None and bad.reason_in("zh") == bad.reason
    assert bad.reason.startswith("Unparseable schedule: 0 0 * * 7 : end of range (7)")
    # v1.10 stuck on too many missed times: the error is Kubernetes', the explanation ours
    stuck = decide(CronJobSpec("x", "* * * * *", 0), Status(), 200 * 60, "v1.10")
    assert stuck.reason_in("zh").startswith(
        "Too many missed start time (> 100). Set or decrease .spec.startingDeadlineSeconds or "
        "check clock skew. lastScheduleTime 不会被更新"
    )
    assert all(not chinese(e) for e in stuck.events)


# --------------------------------------------------------------------- simulations' tables
def test_outage_summary() -> None:
    runs = [sc.run("outage", "v1.10"), sc.run("outage", "current")]
    en, zh = both(sc.summary, runs)
    assert repr(en) == STORED["summary_outage"]
    assert list(zh.header) == [
        "控制器",
        "调度时间数",
        "启动的 Job 数",
        "延迟 ≥ 1 分钟启动",
        "同步次数",
        "跳过、错误和警告",
    ]
    assert [r[1:5] for r in zh.rows] == [r[1:5] for r in en.rows]
    assert [r[0] for r in zh.rows] == ["v1.10", "当前版本"]
    # both problems are Kubernetes' own words (an error, a TooManyMissedTimes event)
    assert [r[5] for r in zh.rows] == [r[5] for r in en.rows]


def test_summary_of_skips_translates_the_reason_and_keeps_forbid() -> None:
    runs = [sc.run("short-deadline", "v1.10"), sc.run("short-deadline", "current")]
    assert repr(sc.summary(runs)) == STORED["summary_short_deadline"]
    en, zh = both(sc.summary, [sc.run("forbid")])
    assert en.rows[0][5] == (
        "Not starting job because prior execution is still running and concurre"  # cut at 70
    )
    assert zh.rows[0][5] == "上一次执行仍在运行，且并发策略为 Forbid，不启动 Job"
    assert zh.rows[0][1:5] == en.rows[0][1:5]


def test_forbid_events() -> None:
    en, zh = both(sc.events, sc.run("forbid"))
    assert repr(en) == STORED["events_forbid"]
    assert list(zh.header) == ["时间（UTC）", "事件", "详情"]
    assert [r[0] for r in zh.rows] == [r[0] for r in en.rows]
    assert [r[1] for r in zh.rows][:4] == ["已启动", "已跳过", "已跳过", "已启动"]
    assert zh.rows[0][2] == "report-28575370: 有一个未满足的启动时间"
    assert zh.rows[1][2] == "上一次执行仍在运行，且并发策略为 Forbid，不启动 Job"
    assert (
        zh.rows[3][2] == "report-28575390: 有未满足的启动时间；估算错过了约 2 个，只启动最近的一个"
    )


def test_replace_events() -> None:
    r = sc.run("replace")
    en, zh = both(sc.events, r, ("started", "replaced"))
    assert repr(en) == STORED["events_replace"]
    assert zh.rows[1] == ("2024-05-01T00:20:00Z", "已替换", "report-28575370 已删除（Replace）")
    assert len(zh.rows) == len(en.rows) == 11
    # the result itself holds English data: kinds and details
    assert {e.kind for e in r.events} >= {"started", "replaced"}
    assert all(not chinese(e.detail) for e in r.events)


# ------------------------------------------------------------------ the chapter's own outputs
def test_dst_table() -> None:
    en, zh = both(chapter.dst_table, ("dst-spring", "dst-fall"), "America/New_York")
    assert repr(en) == STORED["dst_table"]
    assert list(zh.header) == ["场景", "调度时间（UTC）", "纽约当地时间"]
    assert [r[1] for r in zh.rows] == [r[1] for r in en.rows]
    assert zh.rows[0] == (
        "30 2 * * *，America/New_York 时区，跨过夏令时开始（时钟拨快）的那一夜",
        "2024-03-09T07:30:00Z",
        "3 月 9 日 周六 02:30 EST",
    )
    assert [r[2] for r in zh.rows][3:5] == [
        "11 月 3 日 周日 01:30 EDT",
        "11 月 3 日 周日 01:30 EST",
    ]


def test_skew_table() -> None:
    en, zh = both(chapter.skew_table, (-90, 0, 90))
    assert repr(en) == STORED["skew_table"]
    assert list(zh.header) == ["控制器时钟", "Job 启动时间减去调度时间"]
    assert zh.rows == en.rows  # offsets and the unit symbol s read the same


def test_printed_lines() -> None:
    en, zh = both(chapter.robfig_agreement, 1000, 910, 0)
    assert en.text == STORED["robfig_agreement"]
    assert zh.text == (
        "1000 个调度表达式，910 个有效，90 个被拒绝并给出 robfig 的报错信息：与该库相比有 0 处不同"
    )
    en, zh = both(chapter.exit_status, 1)
    assert (en.text, zh.text) == (STORED["exit_status"], "退出状态 1")


def test_figures_keep_the_english_titles() -> None:
    assert (
        sc.SCENARIOS["outage"].title
        == sc.title("outage")
        == ("every minute, controller down 00:30-02:30, no startingDeadlineSeconds")
    )
    assert (
        sc.title("outage", "zh")
        == "每分钟一次，控制器在 00:30-02:30 停机，未设 startingDeadlineSeconds"
    )
