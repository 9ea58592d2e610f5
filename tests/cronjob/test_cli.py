"""`infranotes cron next` and `cron explain`: JSON shapes, exit codes, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infranotes.cli import main

CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: backup
  namespace: prod
  creationTimestamp: "2024-05-01T00:00:00Z"
spec:
  schedule: "0 2 * * *"
  timeZone: Asia/Shanghai
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 600
status:
  lastScheduleTime: "2024-05-09T18:00:00Z"
"""


def test_next_json(capsys) -> None:
    argv = ["cron", "next", "0 0 13 * 5", "--from", "2023-10-01T00:00:00Z", "-n", "3", "--json"]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out) == [
        "2023-10-06T00:00:00+00:00",
        "2023-10-13T00:00:00+00:00",
        "2023-10-20T00:00:00+00:00",
    ]


def test_next_in_a_zone_runs_twice_on_fall_back(capsys) -> None:
    argv = [
        "cron",
        "next",
        "30 1 * * *",
        "--tz",
        "Europe/London",
        "--from",
        "2024-10-26T12:00:00Z",
        "-n",
        "3",
    ]
    assert main(argv) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "# At 01:30.",
        "2024-10-27T01:30:00+01:00",
        "2024-10-27T01:30:00+00:00",
        "2024-10-28T01:30:00+00:00",
    ]


def test_next_with_tz_prefix_warns(capsys) -> None:
    assert (
        main(["cron", "next", "TZ=Asia/Tokyo 0 9 * * *", "--from", "2024-04-30T12:00Z", "--json"])
        == 0
    )
    out, err = capsys.readouterr()
    assert json.loads(out)[0] == "2024-05-01T09:00:00+09:00" and "spec.timeZone" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["cron", "next", "59 23 31 2 *"], "never fires"),
        (
            ["cron", "next", "0 0 * * 7"],
            'spec.schedule: Invalid value: "0 0 * * 7": end of range (7) above maximum (6): 7',
        ),
        (["cron", "next", "* * * * *", "--tz", "Mars/Base"], "unknown time zone"),
        (["cron", "next", "* * * * *", "--from", "yesterday"], "not an ISO-8601 time"),
        (["cron", "next", "* * * * *", "-n", "0"], "positive"),
        (["cron", "explain", "--cronjob", "/nonexistent"], "cannot read"),
    ],
    ids=["never", "sunday-7", "bad-tz", "bad-from", "bad-n", "no-file"],
)
def test_errors(argv: list[str], message: str, capsys) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith("infranotes: ") and err.count("\n") == 1


def _explain(tmp_path: Path, text: str, *extra: str) -> list[str]:
    f = tmp_path / "cj.yaml"
    f.write_text(text)
    return ["cron", "explain", "--cronjob", str(f), *extra]


def test_explain_start(tmp_path: Path, capsys) -> None:
    argv = _explain(tmp_path, CRONJOB, "--now", "2024-05-10T18:00:05Z", "--json")
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    assert list(doc)[:7] == [
        "cronjob",
        "controller",
        "now",
        "action",
        "scheduled_time",
        "reason",
        "next",
    ]
    assert doc["action"] == "start" and doc["scheduled_time"] == "2024-05-10T18:00:00Z"
    assert doc["next"] == "2024-05-11T18:00:00Z" and doc["job_name"] == "backup-28589400"


def test_explain_forbid_is_a_problem(tmp_path: Path, capsys) -> None:
    argv = _explain(tmp_path, CRONJOB, "--now", "2024-05-10T18:00:05Z", "--active", "backup-1")
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert "skip" in out and "concurrency policy is Forbid" in out


def test_explain_v110_ignores_time_zone_and_gets_stuck(tmp_path: Path, capsys) -> None:
    text = CRONJOB.replace('"0 2 * * *"', '"* * * * *"').replace(
        "  startingDeadlineSeconds: 600\n", ""
    )
    argv = _explain(
        tmp_path, text, "--now", "2024-05-10T18:00:05Z", "--controller", "v1.10", "--json"
    )
    assert main(argv) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["action"] == "error" and "Too many missed start time (> 100)" in doc["reason"]


def test_explain_overrides_and_created(tmp_path: Path, capsys) -> None:
    text = "kind: CronJob\nmetadata: {name: hourly}\nspec: {schedule: '0 * * * *'}\n"
    argv = _explain(tmp_path, text, "--now", "2024-05-01T10:00:30Z", "--json")
    assert main(argv) == 2 and "creationTimestamp" in capsys.readouterr().err
    argv += ["--created", "2024-05-01T09:30:00Z"]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["scheduled_time"] == "2024-05-01T10:00:00Z"
    assert main([*argv, "--last-schedule", "2024-05-01T10:00:00Z"]) == 0
    assert json.loads(capsys.readouterr().out)["action"] == "wait"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            CRONJOB.replace('"0 2 * * *"', '"61 2 * * *"'),
            'The CronJob "backup" is invalid: spec.schedule: Invalid value: "61 2 * * *": end of '
            "range (61) above maximum (59): 61",
        ),
        (
            CRONJOB.replace("Asia/Shanghai", "Asia/Shanghia").replace("Forbid", "Sometimes"),
            'The CronJob "backup" is invalid: [spec.timeZone: Invalid value: "Asia/Shanghia": '
            "unknown time zone Asia/Shanghia, spec.concurrencyPolicy: Unsupported value: "
            '"Sometimes": supported values: "Allow", "Forbid", "Replace"]',
        ),
        (
            CRONJOB.replace("600", "-1"),
            "spec.startingDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0",
        ),
        (
            CRONJOB.replace('"0 2 * * *"', '"TZ=UTC 0 2 * * *"'),
            "cannot use both timeZone field and TZ or CRON_TZ in schedule",
        ),
        (
            CRONJOB.replace("600", "soon"),
            "spec.startingDeadlineSeconds is 'soon' (expected an integer)",
        ),
        (CRONJOB.replace("kind: CronJob", "kind: Job"), "no CronJob in this file"),
        ("kind: CronJob\nmetadata: {name: x}\nspec: {}\n", 'CronJob "x": spec.schedule is missing'),
        ("kind: [", "not YAML"),
        (CRONJOB + "---\n" + CRONJOB.replace("name: backup", "name: other"), "choose one with"),
    ],
    ids=[
        "bad-schedule",
        "two-errors",
        "negative-deadline",
        "tz-twice",
        "wrong-type",
        "no-cronjob",
        "no-schedule",
        "not-yaml",
        "ambiguous",
    ],
)
def test_explain_bad_input(tmp_path: Path, text: str, message: str, capsys) -> None:
    assert main([*_explain(tmp_path, text), "--now", "2024-05-10T18:00:05Z"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_explain_picks_by_name_from_a_list(tmp_path: Path, capsys) -> None:
    items = "\n".join(
        "- " + line if i == 0 else "  " + line for i, line in enumerate(CRONJOB.splitlines())
    )
    text = f"apiVersion: v1\nkind: List\nitems:\n{items}\n"
    assert (
        main([*_explain(tmp_path, text, "--name", "backup"), "--now", "2024-05-10T18:00:05Z"]) == 0
    )
    assert main([*_explain(tmp_path, text, "--name", "nope")]) == 2


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _lines(capsys, argv: list[str], code: int) -> list[str]:
    assert main(argv) == code
    return capsys.readouterr().out.splitlines()


def test_explain_speaks_chinese_with_the_same_data(tmp_path: Path, capsys) -> None:
    f = tmp_path / "cj.yaml"
    f.write_text(CRONJOB)
    base = ["cron", "explain", "--cronjob", str(f), "--now", "2024-05-10T18:03:00Z"]
    busy = [*base, "--active", "backup-1"]
    default = _lines(capsys, busy, 1)
    assert default == [
        "backup (current controller) at 2024-05-10T18:03:00Z: skip",
        "  scheduled time 2024-05-10T18:00:00Z, job backup-28589400",
        "  why: Not starting job because prior execution is still running and concurrency "
        "policy is Forbid",
        "  looks again: 2024-05-11T18:00:00Z",
        "  event: Normal JobAlreadyActive Not starting job because prior execution is running "
        "and concurrency policy is Forbid",
    ]
    assert _lines(capsys, [*busy, "--lang", "en"], 1) == default
    assert _lines(capsys, [*busy, "--lang", "zh"], 1) == [
        "backup（current 控制器）在 2024-05-10T18:03:00Z：skip",
        "  调度时间 2024-05-10T18:00:00Z，Job backup-28589400",
        "  原因：上一次执行仍在运行，且并发策略为 Forbid，不启动 Job",
        "  下次查看：2024-05-11T18:00:00Z",
        # the event is the one Kubernetes records, word for word
        "  事件：Normal JobAlreadyActive Not starting job because prior execution is running "
        "and concurrency policy is Forbid",
    ]
    for now in ("2024-05-10T18:03:00Z", "2024-05-10T18:13:00Z"):
        argv = [*base[:-1], now, "--json"]
        en = json.loads("\n".join(_lines(capsys, argv, 0)))
        zh = json.loads("\n".join(_lines(capsys, [*argv, "--lang", "zh"], 0)))
        assert list(en) == list(zh)
        assert {k: v for k, v in en.items() if k != "reason"} == {
            k: v for k, v in zh.items() if k != "reason"
        }
        assert not _has_chinese(en["reason"]) and _has_chinese(zh["reason"])
    assert main([*base, "--lang", "fr"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "invalid choice: 'fr'" in err


def test_next_describes_the_schedule_in_chinese(capsys) -> None:
    argv = ["cron", "next", "TZ=Asia/Tokyo 0 0 13 * 5", "-n", "2", "--from", "2023-10-01T00:00:00Z"]
    assert main(argv) == 0
    default = capsys.readouterr()
    assert default.out.splitlines() == [
        "# At 00:00 on day-of-month 13 or on Fri (Asia/Tokyo).",
        "2023-10-06T00:00:00+09:00",
        "2023-10-13T00:00:00+09:00",
    ]
    assert default.err.startswith("warning: Kubernetes rejects TZ= or CRON_TZ=")
    assert main([*argv, "--lang", "en"]) == 0
    assert capsys.readouterr() == default
    assert main([*argv, "--lang", "zh"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "# 在 00:00，每月 13 日或每周五（时区 Asia/Tokyo）。",
        *default.out.splitlines()[1:],
    ]
    assert err.startswith("警告：Kubernetes 拒绝") and "spec.timeZone" in err
    assert main([*argv, "--json", "--lang", "zh"]) == 0
    zh = capsys.readouterr().out
    assert main([*argv, "--json"]) == 0
    assert capsys.readouterr().out == zh  # the times only: nothing to translate
    assert main([*argv, "--lang", "fr"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "invalid choice: 'fr'" in err
