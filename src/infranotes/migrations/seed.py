"""A realistic Harbor 0.5-era dataset (users, projects, members, repositories, replication
and access logs) of a chosen size, seeded so that every run writes the same rows; and the
row-level check that an upgrade lost or changed nothing it should not have."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy as sa

EPOCH = dt.datetime(2017, 1, 3, 9, 0, 0)  # Harbor 0.5.0 was released in December 2016
OPERATIONS = (("pull", 70), ("push", 20), ("create", 6), ("delete", 4))
CHUNK = 20_000


@dataclass(frozen=True)
class Size:
    """How many rows of each kind; ``access_logs`` dominates, as on a real registry."""

    users: int = 40
    projects: int = 12
    repositories: int = 120
    access_logs: int = 5_000
    targets: int = 2
    policies: int = 4
    jobs: int = 30

    @classmethod
    def scaled(cls, access_logs: int) -> Size:
        return cls(access_logs=access_logs)


def _tables(conn: sa.Connection) -> dict[str, sa.Table]:
    md = sa.MetaData()
    md.reflect(conn)
    return dict(md.tables)


def _at(seconds: int) -> dt.datetime:
    return EPOCH + dt.timedelta(seconds=seconds)


def seed(conn: sa.Connection, size: Size = Size(), seed: int = 5) -> dict[str, int]:
    """Fill a database at revision 0.4.0; returns the number of rows written per table."""
    rng = random.Random(seed)
    t = _tables(conn)
    users = [
        {
            "user_id": i,
            "username": "admin" if i == 1 else f"user{i:05d}",
            "email": "admin@example.com" if i == 1 else f"user{i:05d}@example.com",
            "password": f"{rng.getrandbits(128):032x}",
            "realname": "system admin" if i == 1 else f"User {i}"[:20],
            "comment": "admin user" if i == 1 else None,
            "deleted": i % 37 == 0,
            "salt": f"{rng.getrandbits(64):016x}",
            "sysadmin_flag": i == 1,
            "creation_time": _at(i * 600),
            "update_time": _at(i * 600),
        }
        for i in range(1, size.users + 1)
    ]
    projects = [
        {
            "project_id": p,
            "owner_id": 1 if p == 1 else rng.randint(1, size.users),
            "name": "library" if p == 1 else f"team-{p:04d}",
            "creation_time": _at(p * 3600),
            "update_time": _at(p * 3600),
            "deleted": False,
            "public": p == 1 or rng.random() < 0.3,
        }
        for p in range(1, size.projects + 1)
    ]
    members = []
    for p in projects:
        chosen = {p["owner_id"]: 1}
        for u in rng.sample(range(1, size.users + 1), min(4, size.users)):
            chosen.setdefault(u, rng.choice((2, 3)))
        for u, role in sorted(chosen.items()):
            members.append(
                {
                    "project_id": p["project_id"],
                    "user_id": u,
                    "role": role,
                    "creation_time": p["creation_time"],
                    "update_time": p["update_time"],
                }
            )
    repos = []
    for r in range(1, size.repositories + 1):
        p = projects[(r - 1) % size.projects]
        repos.append(
            {
                "repository_id": r,
                "name": f"{p['name']}/app-{r:05d}",
                "project_id": p["project_id"],
                "owner_id": p["owner_id"],
                "description": None if r % 3 else f"service {r}",
                "pull_count": rng.randint(0, 5000),
                "star_count": rng.randint(0, 20),
                "creation_time": _at(86400 + r * 60),
                "update_time": _at(86400 + r * 60),
            }
        )
    targets = [
        {
            "id": i,
            "name": f"dr-site-{i}",
            "url": f"https://registry-{i}.example.com",
            "username": "replicator",
            "password": f"{rng.getrandbits(256):064x}",
            "target_type": 0,
            "creation_time": _at(7200 + i),
            "update_time": _at(7200 + i),
        }
        for i in range(1, size.targets + 1)
    ]
    policies = [
        {
            "id": i,
            "name": f"to-dr-{i}",
            "project_id": projects[i % size.projects]["project_id"],
            "target_id": 1 + i % size.targets,
            "enabled": i % 4 != 0,
            "description": None,
            "deleted": False,
            "cron_str": "",
            "start_time": _at(9000 + i),
            "creation_time": _at(9000 + i),
            "update_time": _at(9000 + i),
        }
        for i in range(1, size.policies + 1)
    ]
    jobs = [
        {
            "id": i,
            "status": rng.choice(("finished", "finished", "error", "stopped")),
            "policy_id": 1 + i % size.policies,
            "repository": repos[i % size.repositories]["name"],
            "operation": "transfer",
            "tags": "latest,v1.0",
            "creation_time": _at(10_000 + i * 30),
            "update_time": _at(10_000 + i * 30 + 12),
        }
        for i in range(1, size.jobs + 1)
    ]
    props = [
        {"k": "auth_mode", "v": "db_auth"},
        {"k": "self_registration", "v": "false"},
        {"k": "project_creation_restriction", "v": "everyone"},
    ]
    counts: dict[str, int] = {}
    for name, rows in (
        ("user", users),
        ("project", projects),
        ("project_member", members),
        ("repository", repos),
        ("replication_target", targets),
        ("replication_policy", policies),
        ("replication_job", jobs),
        ("properties", props),
    ):
        conn.execute(t[name].insert(), rows)
        counts[name] = len(rows)
    n = 0
    for chunk in _access_logs(rng, size, repos, members):
        conn.execute(t["access_log"].insert(), chunk)
        n += len(chunk)
    counts["access_log"] = n
    conn.commit()
    return counts


def _access_logs(
    rng: random.Random, size: Size, repos: list[dict], members: list[dict]
) -> Iterator[list[dict[str, object]]]:
    by_project: dict[int, list[int]] = {}
    for m in members:
        by_project.setdefault(m["project_id"], []).append(m["user_id"])
    ops = [o for o, _ in OPERATIONS]
    weights = [w for _, w in OPERATIONS]
    chunk: list[dict[str, object]] = []
    for i in range(1, size.access_logs + 1):
        repo = repos[rng.randrange(len(repos))]
        chunk.append(
            {
                "log_id": i,
                "user_id": rng.choice(by_project[repo["project_id"]]),
                "project_id": repo["project_id"],
                "repo_name": repo["name"],
                "repo_tag": f"v1.{rng.randrange(40)}",
                "GUID": None,
                "operation": rng.choices(ops, weights)[0],
                "op_time": _at(2 * 86400 + i * 7),
            }
        )
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --------------------------------------------------------------------------- preservation
def _norm(v: object) -> object:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, dt.datetime):
        return v.replace(tzinfo=None, microsecond=0).isoformat(sep=" ")
    return v


def rows(conn: sa.Connection, table: str, columns: list[str]) -> list[tuple]:
    """The rows of ``table`` as normalized tuples of ``columns``, sorted."""
    t = sa.table(table, *(sa.column(c) for c in columns))
    result = conn.execute(sa.select(*t.c))
    out = sorted(tuple(_norm(v) for v in r) for r in result)
    conn.rollback()
    return out


KEPT = {  # columns that every revision keeps as they are
    "user": ["user_id", "username", "email", "password", "realname", "comment", "deleted",
             "salt", "sysadmin_flag", "creation_time", "update_time"],
    "project": ["project_id", "owner_id", "name", "creation_time", "update_time", "deleted"],
    "repository": ["repository_id", "name", "project_id", "description", "pull_count",
                   "star_count", "creation_time", "update_time"],
    "replication_target": ["id", "name", "url", "username", "password", "target_type"],
    "replication_policy": ["id", "name", "project_id", "target_id", "description", "deleted"],
    "replication_job": ["id", "status", "policy_id", "repository", "operation", "tags"],
}  # fmt: skip


@dataclass(frozen=True)
class Before:
    """What a 0.4.0 database holds, and what each row must become at the head."""

    kept: dict[str, list[tuple]]
    metadata: list[tuple]
    members: list[tuple]
    access_log: list[tuple]
    properties: list[tuple]
    policies: list[tuple]
    triggers: list[tuple]


def before(conn: sa.Connection) -> Before:
    """Snapshot a 0.4.0 database, with the expected 1.5.0 form of its moved rows."""
    kept = {t: rows(conn, t, cols) for t, cols in KEPT.items()}
    users = dict(rows(conn, "user", ["user_id", "username"]))
    meta = [
        (p, "public", "true" if pub else "false")
        for p, pub in rows(conn, "project", ["project_id", "public"])
    ]
    pm = rows(conn, "project_member", ["project_id", "user_id", "role"])
    members = [(p, u, "u", r) for p, u, r in pm]
    log_cols = ["log_id", "user_id", "project_id", "repo_name", "repo_tag", "operation", "op_time"]
    logs = [
        (i, users[u], p, name, tag, op, t)
        for i, u, p, name, tag, op, t in rows(conn, "access_log", log_cols)
    ]
    # 1.4.0 moves every policy to the trigger model: enabled ones become immediate, with a
    # trigger on their project (push and deletion); disabled ones become enabled, manual.
    names = dict(rows(conn, "project", ["project_id", "name"]))
    policy_rows = rows(conn, "replication_policy", ["id", "project_id", "enabled"])
    policies = [
        (i, 1, '{"kind":"Immediate"}' if on else '{"kind":"Manual"}') for i, _, on in policy_rows
    ]
    triggers = [(i, names[p], 1, 1) for i, p, on in policy_rows if on]
    props = rows(conn, "properties", ["k", "v"])
    return Before(kept, meta, members, logs, props, policies, triggers)


def lost_or_changed(snapshot: Before, conn: sa.Connection) -> list[str]:
    """Compare a database at 1.5.0 with the snapshot taken at 0.4.0; empty when every row
    is where the migrations put it."""
    problems = []
    checks = [(t, snapshot.kept[t], rows(conn, t, cols)) for t, cols in KEPT.items()]
    checks += [
        ("project_metadata", snapshot.metadata,
         rows(conn, "project_metadata", ["project_id", "name", "value"])),
        ("project_member", snapshot.members,
         rows(conn, "project_member", ["project_id", "entity_id", "entity_type", "role"])),
        ("access_log", snapshot.access_log,
         rows(conn, "access_log", ["log_id", "username", "project_id", "repo_name", "repo_tag",
                                   "operation", "op_time"])),
        ("properties", snapshot.properties, rows(conn, "properties", ["k", "v"])),
        ("replication_policy", snapshot.policies,
         rows(conn, "replication_policy", ["id", "enabled", "cron_str"])),
        ("replication_immediate_trigger", snapshot.triggers,
         rows(conn, "replication_immediate_trigger",
              ["policy_id", "namespace", "on_push", "on_deletion"])),
    ]  # fmt: skip
    for table, want, got in checks:
        if want != got:
            missing = len(set(want) - set(got))
            extra = len(set(got) - set(want))
            problems.append(
                f"{table}: {len(want)} rows expected, {len(got)} found "
                f"({missing} missing or changed, {extra} unexpected)"
            )
    return problems
