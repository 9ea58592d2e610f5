"""The Kubernetes CronJob controller: robfig/cron schedules, v1.10 and current sync logic."""

from infranotes.cronjob.controller import CronJobSpec, Decision, Status, decide
from infranotes.cronjob.manifest import load_cronjobs, validate
from infranotes.cronjob.schedule import (
    Schedule,
    ScheduleError,
    describe,
    next_times,
    parse_schedule,
)
from infranotes.cronjob.simulate import simulate, timeline

__all__ = [
    "CronJobSpec",
    "Decision",
    "Schedule",
    "ScheduleError",
    "Status",
    "decide",
    "describe",
    "load_cronjobs",
    "next_times",
    "parse_schedule",
    "simulate",
    "timeline",
    "validate",
]
