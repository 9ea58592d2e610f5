"""The real robfig/cron v3 beside the model: a Go probe built against Debian's package.

Kubernetes pins ``github.com/robfig/cron/v3 v3.0.1``; Debian's ``golang-github-robfig-cron-dev``
is that release. :func:`robfig_next` asks it for the next activations of many schedules in
one process, so a test or a notebook cell can put the library's answers beside the model's.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass

from infranotes.lab.probes import build_go_probe


@dataclass(frozen=True)
class Query:
    spec: str
    start: int  # UT seconds
    n: int = 5
    loc: str = "UTC"  # the location of the start time (the controller's zone)


@dataclass(frozen=True)
class Answer:
    times: tuple[int, ...] = ()
    zero: bool = False  # Next returned the zero time: nothing within five years
    error: str | None = None


def robfig_next(queries: list[Query]) -> list[Answer]:
    """The library's answers, in order; LabUnavailable when Go or the package is missing."""
    exe = build_go_probe(
        "cronnext",
        "github.com/robfig/cron/v3",
        "github.com/robfig/cron",
        "golang-github-robfig-cron-dev",
    )
    lines = "".join(
        json.dumps({"spec": q.spec, "from": q.start, "n": q.n, "loc": q.loc}) + "\n"
        for q in queries
    )
    out = subprocess.run([str(exe)], input=lines, capture_output=True, text=True, check=True)
    answers = []
    for line in out.stdout.splitlines():
        d = json.loads(line)
        answers.append(Answer(tuple(d.get("times") or ()), bool(d.get("zero")), d.get("error")))
    return answers
