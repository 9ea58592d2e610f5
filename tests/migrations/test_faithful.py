"""Oracle: the chain against Harbor's own schema, on real MariaDB (the engine Harbor 1.5 ran
on). Harbor's MySQL ``registry.sql`` of 0.4.0 (Harbor 0.5) and of the 1.5 line are recorded
as DDL facts in ``tests/data/harbor/``; each is loaded fresh into its own database and
compared by reflection with what the chain builds. One server for the whole module."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from infranotes.errors import LabUnavailable
from infranotes.migrations import runner, schema, seed
from infranotes.migrations.servers import MariaDB

pytestmark = pytest.mark.oracle
DATA = Path(__file__).parent.parent / "data" / "harbor"


@pytest.fixture(scope="module")
def maria() -> Iterator[MariaDB]:
    try:
        with MariaDB() as s:
            yield s
    except LabUnavailable as exc:
        pytest.skip(exc.reason)


def _type(spelling: str) -> sa.types.TypeEngine:
    m = re.fullmatch(r"(\w+)(?:\((\d+)\))?", spelling)
    assert m, spelling
    name, n = m.group(1), int(m.group(2) or 0)
    return {
        "int": lambda: sa.Integer(),
        "char": lambda: sa.CHAR(n),
        "varchar": lambda: sa.String(n),
        "text": lambda: sa.Text(),
        "tinyint": lambda: mysql.TINYINT(display_width=n),
        "timestamp": lambda: sa.TIMESTAMP(),
    }[name]()


def load(name: str) -> sa.MetaData:
    """Our DDL notes of a Harbor ``registry.sql`` as tables to create."""
    doc = json.loads((DATA / name).read_text())
    md = sa.MetaData()
    for table, t in doc["tables"].items():
        items: list[object] = []
        for c in t["columns"]:
            for col, spelling, nullable, default in doc["TIMES"] if c == "TIMES" else [c]:
                items.append(
                    sa.Column(
                        col,
                        _type(spelling),
                        primary_key=col in t["pk"],
                        nullable=nullable,
                        server_default=sa.text(default) if default is not None else None,
                    )
                )
        items += [sa.UniqueConstraint(*cols) for cols in t.get("unique", [])]
        items += [sa.Index(ix, *cols) for ix, cols in t.get("indexes", {}).items()]
        items += [
            sa.ForeignKeyConstraint(cols, [f"{ref}.{r}" for r in refs])
            for cols, ref, refs in t.get("foreign_keys", [])
        ]
        sa.Table(table, md, *items)
    return md


def _fresh(maria: MariaDB, name: str, notes: str) -> str:
    url = maria.create_database(name)
    engine = sa.create_engine(url)
    load(notes).create_all(engine)
    engine.dispose()
    return url


def _reflect(url: str) -> schema.Reflection:
    with runner.connect(url) as conn:
        return schema.reflect(conn)


def test_oldest_revision_is_harbor_0_5s_schema(maria: MariaDB) -> None:
    harbor = _reflect(_fresh(maria, "harbor04", "registry-0.4.json"))
    ours = maria.create_database("ours04")
    runner.upgrade(ours, "0.4.0")
    assert len(harbor) == 11
    assert schema.diff(_reflect(ours), harbor) == []


def test_head_is_harbor_1_5s_schema_but_for_the_kept_differences(maria: MariaDB) -> None:
    harbor = _reflect(_fresh(maria, "harbor15", "registry-1.5.json"))
    ours = maria.create_database("ours15")
    runner.upgrade(ours, "0.4.0")
    with runner.connect(ours) as conn:
        seed.seed(conn, seed.Size(access_logs=200))
    runner.upgrade(ours)
    assert len(harbor) == 19
    assert schema.diff(_reflect(ours), harbor) == schema.KEPT_DIFFERENCES
    # and the head written out in schema.py is the same as the upgraded database
    engine = sa.create_engine(maria.create_database("head15"))
    schema.head("mysql").create_all(engine)
    engine.dispose()
    assert schema.diff(_reflect(ours), _reflect(maria.url("head15"))) == []


def test_a_harbor_0_5_database_is_verified_and_upgraded(maria: MariaDB) -> None:
    """A database made by Harbor's own 0.4.0 DDL (MySQL's generated constraint names, not
    ours) passes the check, upgrades, keeps its rows, and ends as our head."""
    url = _fresh(maria, "harbor05", "registry-0.4.json")
    runner.stamp(url, "0.4.0")  # Harbor's registry.sql records alembic_version 0.4.0
    with runner.connect(url) as conn:  # and inserts the access codes and the three roles
        conn.execute(
            sa.text("INSERT INTO access (access_code, comment) VALUES (:c, :t)"),
            [{"c": c, "t": f"{c} access for project"} for c in "MRWDS"],
        )
        conn.execute(
            sa.text("INSERT INTO role (role_code, name) VALUES (:c, :n)"),
            [{"c": "MDRWS", "n": "projectAdmin"}, {"c": "RWS", "n": "developer"},
             {"c": "RS", "n": "guest"}],
        )  # fmt: skip
        seed.seed(conn, seed.Size(access_logs=300))
        snap = seed.before(conn)
    assert runner.verify(url).ok
    r = runner.upgrade(url)
    assert r.applied == ("1.2.0", "1.3.0", "1.4.0", "1.5.0")
    with runner.connect(url) as conn:
        assert seed.lost_or_changed(snap, conn) == []
    assert runner.verify(url).to_json() == {
        "verified": True,
        "revision": "1.5.0",
        "tables": 19,
        "differences": [],
    }
