"""``ceph health detail`` lines, one per shape Ceph 16.2.15 writes (see ceph/detail.py)."""

from __future__ import annotations

import json

import pytest

from infranotes.ceph.detail import parse_detail
from infranotes.ceph.snapshot import parse

CASES = [
    (
        "pg 1.f is stuck inactive for 10m, current state undersized+peered, last acting [0,1]",
        {"shape": "pg stuck", "pgid": "1.f", "state": "undersized+peered", "stuck": "inactive"},
        {"since": "10m", "acting": (0, 1)},
    ),
    (
        "pg 2.1a is stuck stale since forever, current state stale+active+clean, last acting [2]",
        {"shape": "pg stuck", "pgid": "2.1a", "state": "stale+active+clean", "stuck": "stale"},
        {"since": "forever", "acting": (2,)},
    ),
    (
        "pg 1.0 is stuck undersized for 7s, current state active+undersized+degraded, "
        "last acting [1,0]",
        {"shape": "pg stuck", "state": "active+undersized+degraded", "stuck": "undersized"},
        {"since": "7s"},
    ),
    (
        "pg 1.1 is active+clean+inconsistent, acting [2,0,1]",
        {"shape": "pg state", "pgid": "1.1", "state": "active+clean+inconsistent"},
        {"acting": (2, 0, 1), "stuck": None},
    ),
    (
        "pg 3.7 is active+recovery_unfound+degraded, acting [0,2], 2 unfound",
        {"shape": "pg state", "state": "active+recovery_unfound+degraded"},
        {"unfound": 2},
    ),
    (
        "pg 4.2 is incomplete, acting [1,2] (reducing pool rbd min_size from 2 may help; "
        "search ceph.com/docs for 'incomplete')",
        {"shape": "pg state", "state": "incomplete", "pool": "rbd"},
        {"acting": (1, 2)},
    ),
    (
        "pg 1.3 not deep-scrubbed since 2024-03-01T10:00:00.000000+0000",
        {"shape": "pg not scrubbed", "pgid": "1.3", "what": "deep-scrubbed"},
        {"state": None},
    ),
    ("pg 1.4 not scrubbed since 2024-03-01", {"shape": "pg not scrubbed", "what": "scrubbed"}, {}),
    ("pg 5.1 has 3 unfound objects", {"shape": "pg unfound", "pgid": "5.1"}, {"unfound": 3}),
    ("snap trim queue for pg 2.3 at 40000", {"shape": "pg snap trim", "pgid": "2.3"}, {}),
    (
        "osd.2 (root=default,host=vm) is down",
        {"shape": "osd down", "osd": 2, "what": "root=default,host=vm"},
        {},
    ),
    ("host vm (root=default) (3 osds) is down", {"shape": "subtree down", "what": "host vm"}, {}),
    ("osd.0 is near full", {"shape": "osd fullness", "osd": 0, "what": "near full"}, {}),
    ("osd.1 is backfill full", {"shape": "osd fullness", "what": "backfill full"}, {}),
    ("osd.1 is full", {"shape": "osd fullness", "what": "full"}, {}),
    ("osd.1 has flags noout", {"shape": "osd flags", "osd": 1, "what": "noout"}, {}),
    ("osd.3 had 12 reads repaired", {"shape": "osd repaired", "osd": 3}, {}),
    (
        "pool 'demo' is full (running out of quota)",
        {"shape": "pool full", "pool": "demo", "what": "running out of quota"},
        {},
    ),
    ("pool 'demo' is full (no space)", {"shape": "pool full", "what": "no space"}, {}),
    ("pool 'demo' is nearfull", {"shape": "pool fullness", "what": "nearfull"}, {}),
    ("pool 'demo' has 95 objects (max 100)", {"shape": "pool quota", "pool": "demo"}, {}),
    ("pool grow pg_num 16 > pgp_num 8", {"shape": "pool pgp_num", "pool": "grow"}, {}),
    (
        "mon.b (rank 1) addr [v2:127.0.0.1:3301/0] is down (out of quorum)",
        {"shape": "mon down"},
        {},
    ),
    (
        "Search the cluster log for 'Large omap object found' for more details.",
        {"shape": "other"},
        {},
    ),
]


@pytest.mark.parametrize(("line", "want", "also"), CASES, ids=[c[1]["shape"] for c in CASES])
def test_each_detail_shape(line: str, want: dict, also: dict) -> None:
    d = parse_detail(line)
    for key, value in {**want, **also}.items():
        assert getattr(d, key) == value, key
    assert d.text == line and d.to_json()["text"] == line


def test_stuck_lines_give_the_current_state_not_stuck() -> None:
    """The issue's example: the PG is undersized+peered; "stuck inactive" is how long."""
    doc = {
        "status": "HEALTH_WARN",
        "checks": {
            "PG_AVAILABILITY": {
                "severity": "HEALTH_WARN",
                "summary": {"message": "Reduced data availability: 2 pgs inactive"},
                "detail": [
                    {
                        "message": "pg 1.f is stuck inactive for 10m, current state "
                        "undersized+peered, last acting [0,1]"
                    },
                    {
                        "message": "pg 1.e is stuck inactive since forever, current state "
                        "undersized+degraded+peered, last acting [1,0]"
                    },
                ],
            },
            "PG_DEGRADED": {
                "severity": "HEALTH_WARN",
                "summary": {"message": "Degraded data redundancy: 1 pg degraded"},
                "detail": [{"message": "pg 1.e is undersized+degraded+peered, acting [1,0]"}],
            },
        },
    }
    s = parse(json.dumps(doc), "health.json")
    assert s.pgs_by_state == {"undersized+peered": 1, "undersized+degraded+peered": 1}
    assert "stuck" not in "".join(s.pgs_by_state)
    assert {pg.pgid: pg.acting for pg in s.pgs} == {"1.f": (0, 1), "1.e": (1, 0)}
