"""Outputs only the CronJob chapter shows, in English or Chinese (``lang``).

The robfig/cron comparison's one-line result, the daylight-saving and clock-skew tables, and
the CLI's exit status: small, but built here so that notebook cells only call and show them.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from infranotes.cronjob.controller import CronJobSpec, iso
from infranotes.cronjob.messages import tr
from infranotes.cronjob.scenarios import T0, local_time, run, title
from infranotes.cronjob.simulate import simulate
from infranotes.table import Table


def robfig_agreement(schedules: int, valid: int, differences: int, lang: str = "en") -> str:
    """How the model's answers compared with robfig/cron's over random schedules."""
    return tr(
        lang,
        "{schedules} schedules, {valid} valid and {rejected} rejected with robfig's message: "
        "{differences} differences from the library",
        schedules=schedules,
        valid=valid,
        rejected=schedules - valid,
        differences=differences,
    )


def dst_table(
    names: tuple[str, ...] = ("dst-spring", "dst-fall"),
    zone: str = "America/New_York",
    lang: str = "en",
) -> Table:
    """Each Job of the daylight-saving scenarios: when it was scheduled, in UTC and locally."""
    tz = ZoneInfo(zone)
    rows = [
        (title(name, lang), iso(j.scheduled), local_time(j.scheduled, tz, lang, with_year=False))
        for name in names
        for j in run(name).jobs
    ]
    return Table((tr(lang, "scenario"), tr(lang, "scheduled (UTC)"), tr(lang, "in New York")), rows)


def skew_table(skews: tuple[int, ...] = (-90, 0, 90), hours: int = 3, lang: str = "en") -> Table:
    """An hourly CronJob under the current controller with its clock off by each skew:
    how far each Job's start is from its schedule time, by the Jobs' clock."""
    hourly = CronJobSpec("hourly", "0 * * * *", T0)
    rows = []
    for skew in skews:
        r = simulate(hourly, T0, T0 + hours * 3600 + 100, 30, "current", skew=skew)
        rows.append((f"{skew:+d} s", ", ".join(f"{j.start - j.scheduled:+d} s" for j in r.jobs)))
    return Table((tr(lang, "controller clock"), tr(lang, "Job start minus schedule time")), rows)


def exit_status(code: int, lang: str = "en") -> str:
    """The CLI's exit status, as the chapter prints it after a run."""
    return tr(lang, "exit status {code}", code=code)
