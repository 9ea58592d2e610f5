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
