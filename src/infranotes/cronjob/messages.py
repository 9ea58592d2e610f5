"""Chinese for what the CronJob chapter prints (see :mod:`infranotes.i18n`).

What stays English in both languages: schedules, field and flag names, the reasons and
messages Kubernetes itself writes (event reasons such as ``MissedSchedule``, policies such as
``Forbid``, the events and errors the controller and the API server record), and robfig's
error messages.
"""

import re

from infranotes.i18n import Messages, check_lang

tr = Messages(
    {
        # schedule.py: a schedule in words
        "Sun": "周日",
        "Mon": "周一",
        "Tue": "周二",
        "Wed": "周三",
        "Thu": "周四",
        "Fri": "周五",
        "Sat": "周六",
        "{items} and {last}": "{items} 和 {last}",
        "{first} through {last}": "{first} 到 {last}",
        "every minute": "每分钟",
        "minute {minutes}": "第 {minutes} 分钟",
        "minute every {step} from {first} through {last}": (
            "第 {first} 到 {last} 分钟每隔 {step} 分钟"
        ),
        "At {times}": "在 {times}",
        "Every minute": "每分钟",
        "At {minute}": "在每小时的{minute}",
        "At {minute} past hour {hours}": "在 {hours} 点的{minute}",
        "At {minute} past hour every {step} from {first} through {last}": (
            "在 {first} 到 {last} 点之间每隔 {step} 小时的{minute}"
        ),
        "on day-of-month {days}": "每月 {days} 日",
        "on day-of-month every {step} from {first} through {last}": (
            "每月 {first} 到 {last} 日每隔 {step} 天"
        ),
        "on {days}": "每{days}",
        "on every {step} from {first} through {last}": "{first} 到 {last} 每隔 {step} 天",
        "every day": "每天",
        "{days_of_month} or {days_of_week}": "{days_of_month}或{days_of_week}",
        "in {months}": "仅在 {months} 月",
        "in every {step} from {first} through {last}": (
            "仅在 {first} 到 {last} 月每隔 {step} 个月"
        ),
        " ({zone})": "（时区 {zone}）",
        "Every {every} after the previous activation.": "从上一次触发起每隔 {every} 触发一次。",
        "Every {every} after the previous activation ({zone} is ignored by @every).": (
            "从上一次触发起每隔 {every} 触发一次（@every 忽略 {zone}）。"
        ),
        # controller.py: why the controller does what it does (its events stay English)
        (
            "Not starting job because prior execution is still running and concurrency "
            "policy is Forbid"
        ): ("上一次执行仍在运行，且并发策略为 Forbid，不启动 Job"),
        "Missed starting window": "错过了启动窗口",
        "Not starting job because it is suspended": "CronJob 已暂停（suspend），不启动 Job",
        (
            "{error} lastScheduleTime is not updated, so every later sync fails the same way: "
            "the CronJob never starts again until startingDeadlineSeconds narrows the window"
        ): (
            "{error} lastScheduleTime 不会被更新，之后每次同步都以同样的方式失败："
            "在 startingDeadlineSeconds 缩小窗口之前，这个 CronJob 再也不会启动"
        ),
        "No unmet start times": "没有未满足的启动时间",
        "Unmet start time": "有一个未满足的启动时间",
        "Unmet start time; {count} unmet start times, only the most recent is started": (
            "有未满足的启动时间；共 {count} 个，只启动最近的一个"
        ),
        "Not starting job because timeZone is invalid: {error}": (
            "timeZone 无效，不启动 Job：{error}"
        ),
        "Not starting job because the cron is suspended": "CronJob 已暂停（suspend），不启动 Job",
        (
            "No unmet start times found walking from the estimate (about {missed} missed, "
            "assuming evenly spaced schedule times)"
        ): (
            "从估算的位置往后遍历，没有找到未满足的启动时间"
            "（估算错过了约 {missed} 个，假设调度时间均匀分布）"
        ),
        "Not starting job because the scheduled time is already processed": (
            "这个调度时间已经处理过，不启动 Job"
        ),
        "Unmet start time; about {missed} missed, only the most recent is started": (
            "有未满足的启动时间；估算错过了约 {missed} 个，只启动最近的一个"
        ),
        # simulate.py
        "{job} deleted (Replace)": "{job} 已删除（Replace）",
        # scenarios.py: the scenarios, and the tables of the chapter
        "every minute, controller down 00:30-02:30, no startingDeadlineSeconds": (
            "每分钟一次，控制器在 00:30-02:30 停机，未设 startingDeadlineSeconds"
        ),
        "every 10 minutes, Forbid, Jobs run 25 minutes": (
            "每 10 分钟一次，Forbid，Job 运行 25 分钟"
        ),
        "every 10 minutes, Replace, Jobs would run 25 minutes": (
            "每 10 分钟一次，Replace，Job 本应运行 25 分钟"
        ),
        "every minute, startingDeadlineSeconds 5, the controller's sync at :07 past each 10 s": (
            "每分钟一次，startingDeadlineSeconds 为 5，控制器在每 10 s 的第 :07 秒同步"
        ),
        "0 0 13 * 5: Fridays and the 13th": "0 0 13 * 5：每个星期五以及每月 13 日",
        "30 2 * * * in America/New_York across the spring-forward night": (
            "30 2 * * *，America/New_York 时区，跨过夏令时开始（时钟拨快）的那一夜"
        ),
        "30 1 * * * in America/New_York across the fall-back night": (
            "30 1 * * *，America/New_York 时区，跨过夏令时结束（时钟拨回）的那一夜"
        ),
        "current": "当前版本",
        "controller": "控制器",
        "schedule times": "调度时间数",
        "Jobs started": "启动的 Job 数",
        "started ≥ 1 min late": "延迟 ≥ 1 分钟启动",
        "syncs": "同步次数",
        "skips, errors and warnings": "跳过、错误和警告",
        "started": "已启动",
        "skipped": "已跳过",
        "error": "错误",
        "warning": "警告",
        "replaced": "已替换",
        "succeeded": "成功",
        "deleted": "已删除",
        "time (UTC)": "时间（UTC）",
        "event": "事件",
        "detail": "详情",
        "{weekday} {day} {month} {time}": "{month} 月 {day} 日 {weekday} {time}",
        "rejected by the API server: {error}": "被 API 服务器拒绝：{error}",
        "never (accepted; the controller reports InvalidSchedule)": (
            "永不触发（能通过校验；控制器报告 InvalidSchedule）"
        ),
        "schedule": "调度表达式",
        "in words": "含义",
        "next {n} after {start} ({zone})": "{start} 之后的 {n} 次触发（{zone}）",
        "start": "启动",
        "skip": "跳过",
        "wait": "等待",
        "on change": "有变化时",
        "now": "当前时刻",
        "action": "动作",
        "scheduled time": "调度时间",
        "why": "原因",
        "looks again": "下次查看",
        # cli/cron.py: cron next and cron explain
        (
            "warning: Kubernetes rejects TZ= or CRON_TZ= in spec.schedule of a new CronJob; "
            "use spec.timeZone"
        ): (
            "警告：Kubernetes 拒绝新建的 CronJob 在 spec.schedule 中使用 TZ= 或 CRON_TZ=；"
            "请改用 spec.timeZone"
        ),
        "{name} ({controller} controller) at {now}: {action}": (
            "{name}（{controller} 控制器）在 {now}：{action}"
        ),
        "scheduled time {time}, job {job}": "调度时间 {time}，Job {job}",
        "scheduled time {time}": "调度时间 {time}",
        "why: {reason}": "原因：{reason}",
        "replaces: {jobs}": "替换：{jobs}",
        "looks again: {when}": "下次查看：{when}",
        "only when it changes": "仅在它变化时",
        "event: {event}": "事件：{event}",
        # chapter.py
        (
            "{schedules} schedules, {valid} valid and {rejected} rejected with robfig's message: "
            "{differences} differences from the library"
        ): (
            "{schedules} 个调度表达式，{valid} 个有效，{rejected} 个被拒绝"
            "并给出 robfig 的报错信息：与该库相比有 {differences} 处不同"
        ),
        "scenario": "场景",
        "scheduled (UTC)": "调度时间（UTC）",
        "in New York": "纽约当地时间",
        "controller clock": "控制器时钟",
        "Job start minus schedule time": "Job 启动时间减去调度时间",
        "exit status {code}": "退出状态 {code}",
    }
)

_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")


def list_separator(lang: str) -> str:
    """Between the items of a list: ", " in English, "、" in Chinese."""
    return "、" if check_lang(lang) == "zh" else ", "


def clause_separator(lang: str) -> str:
    """Between two clauses of one sentence: a space in English, "，" in Chinese."""
    return "，" if check_lang(lang) == "zh" else " "


def full_stop(lang: str) -> str:
    return "。" if check_lang(lang) == "zh" else "."


def tidy(text: str, lang: str) -> str:
    """Chinese text assembled from pieces loses the spaces between two Chinese characters
    (周一 到 周五 -> 周一到周五); spaces beside digits and Latin words stay. English unchanged."""
    return _CJK_SPACE.sub("", text) if check_lang(lang) == "zh" else text
