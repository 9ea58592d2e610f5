"""A CronJob from YAML or JSON (``kubectl get cronjob NAME -o yaml``, a manifest, a List), and
the API server's validation of the fields the controller reads.

Validation messages are the API server's (``pkg/apis/batch/validation/validation.go``
``validateScheduleFormat``, ``validateTimeZone``), in the form kubectl prints them:
``The CronJob "x" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range …``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from infranotes.cronjob import gostd
from infranotes.cronjob.controller import POLICIES, CronJobSpec, Status
from infranotes.cronjob.schedule import ScheduleError, parse_schedule
from infranotes.errors import ParseError

_WORDS = {
    str: "a string",
    int: "an integer",
    bool: "true or false",
    list: "a list",
    dt.datetime: "an RFC 3339 time",
}
# validation.go validTimeZoneCharacters: one path component of an IANA name
_TZ_PART = re.compile(r"^[A-Za-z.\-_0-9+]{1,14}$")


def parse_time(text: str, source: str) -> int:
    """RFC 3339 / ISO-8601 to UT seconds; a time without an offset is taken as UTC."""
    try:
        t = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ParseError(
            f"not an ISO-8601 time: {text!r}", source=source, expected="e.g. 2024-05-01T12:00:00Z"
        ) from None
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    return int(t.timestamp())


def _go_repr(v: object) -> str:
    return f'"{v}"' if isinstance(v, str) else str(v)


def validate(spec: CronJobSpec, allow_tz_in_schedule: bool = False) -> list[str]:
    """The API server's field errors for these fields; empty when it accepts them."""
    errs: list[str] = []
    path = "spec.schedule"
    try:
        parse_schedule(spec.schedule)
    except ScheduleError as exc:
        errs.append(f"{path}: Invalid value: {_go_repr(spec.schedule)}: {exc}")
    if "TZ" in spec.schedule:
        if not allow_tz_in_schedule:
            errs.append(
                f"{path}: Invalid value: {_go_repr(spec.schedule)}: cannot use TZ or "
                "CRON_TZ in schedule, use timeZone field instead"
            )
        elif spec.time_zone is not None:
            errs.append(
                f"{path}: Invalid value: {_go_repr(spec.schedule)}: cannot use both "
                "timeZone field and TZ or CRON_TZ in schedule"
            )
    if spec.time_zone is not None:
        errs += _validate_time_zone(spec.time_zone)
    if spec.concurrency_policy not in POLICIES:
        errs.append(
            f"spec.concurrencyPolicy: Unsupported value: "
            f"{_go_repr(spec.concurrency_policy)}: supported values: "
            + ", ".join(f'"{p}"' for p in POLICIES)
        )
    for name, value in (
        ("startingDeadlineSeconds", spec.starting_deadline_seconds),
        ("successfulJobsHistoryLimit", spec.successful_jobs_history_limit),
        ("failedJobsHistoryLimit", spec.failed_jobs_history_limit),
    ):
        if value is not None and value < 0:
            errs.append(f"spec.{name}: Invalid value: {value}: must be greater than or equal to 0")
    return errs


def _validate_time_zone(tz: str) -> list[str]:
    path = "spec.timeZone"
    if tz == "":
        return [f'{path}: Invalid value: "": timeZone must be nil or non-empty string']
    for part in tz.split("/"):
        if part in (".", "..") or part.startswith("-") or not _TZ_PART.match(part):
            return [f'{path}: Invalid value: "{tz}": unknown time zone {tz}']
    if tz.lower() == "local":
        return [
            f'{path}: Invalid value: "{tz}": timeZone must be an explicit time zone as '
            "defined in https://www.iana.org/time-zones"
        ]
    try:  # the message is LoadLocation's own ("is a directory", "unknown time zone X", ...)
        gostd.load_location(tz)
    except gostd.GoError as exc:
        return [f'{path}: Invalid value: "{tz}": {exc}']
    return []


class _Fields:
    """Typed access to one CronJob object that names the field in every error."""

    def __init__(self, obj: dict[str, Any], source: str) -> None:
        self.obj, self.source = obj, source
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        self.name = str(meta.get("name") or "")

    def get(self, dotted: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
        cur: Any = self.obj
        for key in dotted.split("."):
            if not isinstance(cur, dict) or key not in cur or cur[key] is None:
                return default
            cur = cur[key]
        ok = isinstance(cur, kind) and not (kind is int and isinstance(cur, bool))
        if not ok:
            kinds = kind if isinstance(kind, tuple) else (kind,)
            raise ParseError(
                f'CronJob "{self.name}": {dotted} is {cur!r}',
                source=self.source,
                expected=" or ".join(_WORDS[k] for k in kinds),
            )
        return cur


def _cronjob(obj: dict[str, Any], source: str, now: int | None) -> tuple[CronJobSpec, Status]:
    f = _Fields(obj, source)
    if not f.name:
        raise ParseError("CronJob without metadata.name", source=source, expected="metadata.name")
    schedule = f.get("spec.schedule", str)
    if schedule is None:
        raise ParseError(
            f'CronJob "{f.name}": spec.schedule is missing', source=source, expected="spec.schedule"
        )
    created_text = f.get("metadata.creationTimestamp", (str, dt.datetime))
    last_text = f.get("status.lastScheduleTime", (str, dt.datetime))

    def when(v: str | dt.datetime | None, field: str) -> int | None:
        if v is None:
            return None
        if isinstance(v, dt.datetime):  # PyYAML reads unquoted timestamps itself
            return int((v if v.tzinfo else v.replace(tzinfo=dt.UTC)).timestamp())
        return parse_time(v, f"{source}: {field}")

    created = when(created_text, "metadata.creationTimestamp")
    last = when(last_text, "status.lastScheduleTime")
    if created is None:
        created = last if last is not None else now
    if created is None:
        raise ParseError(
            f'CronJob "{f.name}": metadata.creationTimestamp is missing',
            source=source,
            expected="metadata.creationTimestamp, or --created",
        )
    active_list = f.get("status.active", list, [])
    active = tuple(str(a.get("name")) for a in active_list if isinstance(a, dict))
    spec = CronJobSpec(
        name=f.name,
        schedule=schedule,
        created=created,
        starting_deadline_seconds=f.get("spec.startingDeadlineSeconds", int),
        concurrency_policy=f.get("spec.concurrencyPolicy", str, "Allow"),
        suspend=f.get("spec.suspend", bool, False),
        successful_jobs_history_limit=f.get("spec.successfulJobsHistoryLimit", int, 3),
        failed_jobs_history_limit=f.get("spec.failedJobsHistoryLimit", int, 1),
        time_zone=f.get("spec.timeZone", str),
    )
    return spec, Status(last, active)


def load_cronjobs(
    text: str, source: str = "<input>", now: int | None = None
) -> list[tuple[CronJobSpec, Status]]:
    """Every CronJob in a YAML/JSON text (single, multi-document, or ``kind: List``).

    ``now`` stands in for a missing ``creationTimestamp`` (a hand-written manifest)."""
    try:
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
    except RecursionError:
        raise ParseError("nesting too deep", source=source, expected="YAML or JSON") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ParseError(
            f"not YAML: {getattr(exc, 'problem', exc)}",
            source=source,
            line=mark.line + 1 if mark else None,
        ) from None
    objs: list[Any] = []
    for d in docs:
        if isinstance(d, dict) and d.get("kind") == "List":
            objs += d.get("items") or []
        else:
            objs.append(d)
    out = [
        _cronjob(o, source, now) for o in objs if isinstance(o, dict) and o.get("kind") == "CronJob"
    ]
    if not out:
        raise ParseError("no CronJob in this file", source=source, expected="kind: CronJob")
    return out
