"""The notebook's two procedures as tested functions: upgrade a seeded database one revision
at a time, and let a revision fail halfway and see what it leaves behind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from infranotes.migrations import figures, runner, seed

History = list[tuple[str, dict[str, int | None]]]


def step_by_step(url: str, logs: int = 5_000) -> tuple[History, list[str]]:
    """Create 0.4.0 at ``url``, seed it, upgrade one revision at a time. Returns the row
    counts after each revision and what :func:`seed.lost_or_changed` found (empty: nothing)."""
    runner.upgrade(url, "0.4.0")
    with runner.connect(url) as conn:
        seed.seed(conn, seed.Size(access_logs=logs))
        snapshot = seed.before(conn)
        history: History = [("0.4.0", figures.counts(conn))]
    for rev in runner.revisions()[1:]:
        runner.upgrade(url, rev)
        with runner.connect(url) as conn:
            history.append((rev, figures.counts(conn)))
    with runner.connect(url) as conn:
        return history, seed.lost_or_changed(snapshot, conn)


@dataclass(frozen=True)
class HalfwayFailure:
    """A database whose upgrade failed inside 1.3.0, and what was seen about it."""

    url: str
    snapshot: seed.Before
    error: str
    status: runner.Status
    drift: list[str]


def fail_halfway(url: str, scratch: Callable[[], str], logs: int = 500) -> HalfwayFailure:
    """Seed a 0.4.0 database at ``url`` and upgrade it with a failure injected into 1.3.0.
    ``scratch`` gives an empty database of the same engine for :func:`runner.drift`."""
    runner.upgrade(url, "0.4.0")
    with runner.connect(url) as conn:
        seed.seed(conn, seed.Size(access_logs=logs))
        snapshot = seed.before(conn)
    try:
        runner.upgrade(url, fail_in="1.3.0")
    except runner.MigrationError as exc:
        error = str(exc)
    else:
        raise AssertionError("the injected failure did not fail the upgrade")
    return HalfwayFailure(url, snapshot, error, runner.status(url), runner.drift(url, scratch()))


def finish(failure: HalfwayFailure) -> tuple[tuple[str, ...], list[str]]:
    """Upgrade the repaired database to head; the revisions applied and any lost rows."""
    applied = runner.upgrade(failure.url).applied
    with runner.connect(failure.url) as conn:
        return applied, seed.lost_or_changed(failure.snapshot, conn)
