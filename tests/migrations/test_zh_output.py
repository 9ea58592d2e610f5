"""Notebook 10's outputs in both editions (infranotes.migrations.chapter).

The English must be exactly what the notebook printed before it became bilingual (the
literals below are its stored outputs); the Chinese must have Chinese words around the same
values: revisions, table, column, index and setting names, SQL and JSON stay as they are.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from infranotes.migrations import chapter, harborcfg, runner, schema
from infranotes.migrations.runner import DriftError, Status, Verification
from infranotes.migrations.walkthrough import HalfwayFailure
from infranotes.table import Table

CJK = re.compile(r"[\u4e00-\u9fff]")

# The notebook's harbor.cfg of section 8.
OLD_CFG = """
hostname = registry.example.internal
ui_url_protocol = https
email_server = smtp.example.internal
email_from = Harbor <harbor@example.internal>
harbor_admin_password = Change-Me-0
auth_mode = ldap_auth
ldap_url = ldaps://ldap.example.internal
ldap_basedn = ou=people,dc=example,dc=internal
ldap_uid = uid
ldap_scope = 3
db_password = db-secret
self_registration = off
use_compressed_js = on
max_job_workers = 3
verify_remote_cert = off
customize_crt = on
crt_country = DE
project_creation_restriction = adminonly
"""

INJECTED = (
    "upgrade failed in revision 1.3.0: injected failure in 1.3.0, after filling "
    "project_metadata, before dropping project.public; the database is recorded at 1.2.0"
)


def lines(text: str) -> list[str]:
    return text.splitlines()


# ------------------------------------------------------------------ the chain and its counts


def test_chain_table_english_is_the_docstrings_and_chinese_translates_every_revision() -> None:
    revs = runner.chain()
    before = Table(
        ["revision", "revises", "what changes"],
        [
            (r.revision, r.down_revision or "—", " ".join(r.doc.split("\n\n", 1)[-1].split()))
            for r in revs
        ],
    )
    # the notebook's own expression, with its `` → ` replacement
    before = Table(before.header, [(a, b, c.replace("``", "`")) for a, b, c in before.rows])
    assert repr(chapter.chain_table()) == repr(before)
    zh = chapter.chain_table(lang="zh")
    assert list(zh.header) == ["修订", "上一修订", "改动内容"]
    assert [row[:2] for row in zh.rows] == [row[:2] for row in before.rows]
    for (rev, _, en), (_, _, text) in zip(before.rows, zh.rows, strict=True):
        assert text != en and CJK.search(text), f"{rev} has no Chinese"
        # every code span of the docstring comes through
        assert sorted(re.findall(r"`[^`]+`", text)) == sorted(re.findall(r"`[^`]+`", en))
    assert "注入一次失效" in zh.rows[2][2]
    assert '`{"kind":"Immediate"}`' in zh.rows[3][2]


def test_every_revision_summary_has_chinese() -> None:
    for r in runner.chain():
        assert chapter.summary(r.summary) == r.summary
        zh = chapter.summary(r.summary, "zh")
        assert zh.startswith(f"{r.revision}：") and CJK.search(zh)
    assert chapter.summary("not a summary", "zh") == "not a summary"


def test_counts_table_translates_only_its_first_header() -> None:
    history = [("0.4.0", {t: 3 for t in chapter.figures.COUNTED} | {"project_metadata": None})]
    history.append(("1.3.0", {t: 5_000 for t in chapter.figures.COUNTED}))
    en = chapter.counts_table(history)
    assert repr(en) == repr(chapter.figures.counts_table(history))
    assert lines(repr(en))[0].split() == ["table", "0.4.0", "1.3.0"]
    assert "project_metadata  —      5,000" in repr(en)
    zh = chapter.counts_table(history, "zh")
    assert list(zh.header) == ["表", "0.4.0", "1.3.0"] and zh.rows == en.rows


# ------------------------------------------------------------------ servers, failures, drift


def test_socket_check_and_upgraded_on() -> None:
    error = "(2003, \"Can't connect to MySQL server on '127.0.0.1' ([Errno 2] No such file)\")"
    assert lines(chapter.socket_check(error)) == [
        "host and port only:           connected",
        f"with Harbor's unix_socket:    {error}",
    ]
    zh = chapter.socket_check(error, "zh")
    assert "已连接" in zh and "unix_socket" in zh and zh.endswith(error)  # the driver's words
    assert (
        chapter.upgraded_on("MariaDB")
        == "MariaDB: 0.4.0 → 1.5.0, every row checked, counts equal to SQLite's"
    )
    assert chapter.upgraded_on("PostgreSQL", "zh") == (
        "PostgreSQL：0.4.0 → 1.5.0，逐行核对无误，各表行数与 SQLite 相同"
    )


@pytest.mark.parametrize(
    ("drift", "last_en", "last_zh"),
    [
        (
            ["unexpected table project_metadata"],
            "drift:  ['unexpected table project_metadata']",
            "结构漂移：['多出的表 project_metadata']",
        ),
        (
            [],
            "drift:  none: the schema is exactly 1.2.0's",
            "结构漂移：无：表结构与 1.2.0 的完全一致",
        ),
    ],
)
def test_halfway_failure(drift: list[str], last_en: str, last_zh: str) -> None:
    status = Status("1.2.0", "1.5.0", ("1.3.0", "1.4.0", "1.5.0"))
    failure = HalfwayFailure("sqlite://", None, INJECTED, status, drift)  # type: ignore[arg-type]
    json_ = "{'current': '1.2.0', 'head': '1.5.0', 'pending': ['1.3.0', '1.4.0', '1.5.0']}"
    assert lines(chapter.halfway(failure)) == [f"error:  {INJECTED}", f"status: {json_}", last_en]
    zh = lines(chapter.halfway(failure, "zh"))
    assert zh[0] == (
        "错误：升级在修订 1.3.0 中失败：在 1.3.0 中注入的失效，发生在填充 project_metadata 之后、"
        "删除 project.public 之前；数据库记录的修订是 1.2.0"
    )
    assert zh[1] == f"状态：{json_}"  # JSON stays
    assert zh[2] == last_zh


def test_error_keeps_a_database_reason_and_unknown_messages() -> None:
    db = "upgrade failed in revision 1.2.0: (1060, \"Duplicate column name 'username'\"); "
    message = db + "the database is recorded at no revision"
    assert chapter.error(message) == message
    zh = chapter.error(message, "zh")
    assert "(1060, \"Duplicate column name 'username'\")" in zh and zh.endswith("无修订")
    assert chapter.error("cannot connect to x", "zh") == "cannot connect to x"


@pytest.mark.parametrize("n", [1, 2])
def test_refused_is_the_drift_errors_message(n: int) -> None:
    diffs = ("unexpected table project_metadata", "access_log: missing index pid_optime (x)")[:n]
    v = Verification("1.2.0", 14, diffs)
    assert chapter.refused(v) == f"retry:   {DriftError(v)}"
    zh = chapter.refused(v, "zh")
    assert zh.startswith("重试：拒绝升级：无法确认数据库处于 1.2.0（")
    assert f"{n} 处差异：多出的表 project_metadata" in zh
    if n == 1:  # the notebook's case, word for word
        assert chapter.refused(v) == (
            "retry:   refusing to upgrade: the database is not verifiably at 1.2.0 "
            "(1 difference: unexpected table project_metadata)"
        )
    empty = chapter.refused(Verification(None, 3, diffs), "zh")
    assert "空库状态" in empty


def test_after_the_repair() -> None:
    assert chapter.drift_after_repair([]) == "drift after the repair: none"
    assert chapter.drift_after_repair([], "zh") == "修复后的结构漂移：无"
    assert (
        chapter.drift_after_repair(["missing table user"], "zh")
        == "修复后的结构漂移：['缺少表 user']"
    )
    applied = ("1.3.0", "1.4.0", "1.5.0")
    assert (
        chapter.finished(applied)
        == "upgrade: ('1.3.0', '1.4.0', '1.5.0') - every row checked: nothing lost"
    )
    assert chapter.finished(applied, "zh") == (
        "升级：('1.3.0', '1.4.0', '1.5.0')——逐行核对：没有丢失任何数据"
    )


@pytest.mark.parametrize(
    ("line", "zh"),
    [
        ("missing table user", "缺少表 user"),
        ("unexpected table project_metadata", "多出的表 project_metadata"),
        ("user: missing column salt", "user：缺少列 salt"),
        ("user: unexpected column extra", "user：多出的列 extra"),
        (
            "access_log: missing index pid_optime (project_id, op_time)",
            "access_log：缺少索引 pid_optime（project_id, op_time）",
        ),
        (
            "replication_job: unexpected index poid_status (policy_id, status)",
            "replication_job：多出的索引 poid_status（policy_id, status）",
        ),
        # forms not translated here stay English in both editions
        ("user.realname: is VARCHAR(20), expected VARCHAR(255)", None),
        ("no revision recorded, yet table user exists", None),
    ],
)
def test_difference(line: str, zh: str | None) -> None:
    assert chapter.difference(line) == line
    assert chapter.difference(line, "zh") == (zh or line)


def test_real_drift_lines_read_in_chinese(tmp_path: Path) -> None:
    """The notebook's section 7 on a real SQLite database: the two lines it prints."""
    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path / 'plan.db'}"
    runner.upgrade(url, "1.2.0")
    with runner.connect(url) as conn:
        conn.execute(sa.text("CREATE TABLE project_metadata (id INTEGER PRIMARY KEY)"))
        conn.execute(sa.text("DROP INDEX pid_optime"))
        conn.commit()
    with pytest.raises(DriftError) as exc:
        runner.upgrade(url)
    diffs = exc.value.verification.differences
    assert lines(chapter.differences(diffs)) == [
        "unexpected table project_metadata",
        "access_log: missing index pid_optime (project_id, op_time)",
    ]
    assert lines(chapter.differences(diffs, "zh")) == [
        "多出的表 project_metadata",
        "access_log：缺少索引 pid_optime（project_id, op_time）",
    ]


# ------------------------------------------------------------------ faithfulness and the plan


def test_kept_differences() -> None:
    assert chapter.kept_differences() == "\n".join(schema.KEPT_DIFFERENCES)
    zh = lines(chapter.kept_differences("zh"))
    assert zh[0] == "img_scan_job：多出的索引 idx_digest（digest）"
    assert len(zh) == len(schema.KEPT_DIFFERENCES) and all("多出的索引" in z for z in zh)


def test_differences_kept_table() -> None:
    en = chapter.differences_kept_table()
    assert repr(en) == repr(Table(["kept", "why"], schema.DIFFERENCES_KEPT))
    zh = chapter.differences_kept_table("zh")
    assert list(zh.header) == ["保留的差异", "原因"]
    assert len(zh.rows) == len(schema.DIFFERENCES_KEPT)
    for (kept, why), (zkept, zwhy) in zip(schema.DIFFERENCES_KEPT, zh.rows, strict=True):
        assert CJK.search(zkept) and CJK.search(zwhy), (kept, why)
    assert zh.rows[0][0] == (
        "五个任务索引（poid_status、idx_status、idx_digest、idx_uuid、idx_repository_tag）"
    )
    assert "迁移" in zh.rows[6][1]  # the book's term for migration


def test_plan_steps_translate_summaries_and_keep_the_sql(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plan.db'}"
    runner.upgrade(url, "1.2.0")
    plan = runner.plan(url)
    printed = [str(plan.verification.to_json())]  # what the notebook printed before
    for step in plan.steps:
        printed.append(step.summary)
        printed += [f"    {stmt}" for stmt in step.statements[:4]]
    en = chapter.plan_steps(plan)
    assert lines(en) == printed
    assert printed[0] == "{'verified': True, 'revision': '1.2.0', 'tables': 14, 'differences': []}"
    assert (
        printed[1]
        == "1.3.0: project metadata replaces ``project.public``; insecure replication targets."
    )
    zh = lines(chapter.plan_steps(plan, lang="zh"))
    assert len(zh) == len(printed) and zh[0] == printed[0]
    for e, z in zip(printed[1:], zh[1:], strict=True):
        if e.startswith("    "):
            assert z == e  # SQL stays
        else:
            assert z != e and z[:6] == e[:5] + "：" and CJK.search(z)
    assert zh[1] == "1.3.0：项目元数据取代 ``project.public``；可设为不安全（insecure）的复制目标。"


# ------------------------------------------------------------------ harbor.cfg


@pytest.fixture
def conv() -> harborcfg.Conversion:
    return harborcfg.convert(harborcfg.parse(OLD_CFG, "harbor.cfg"))


def test_conversion_summary(conv: harborcfg.Conversion) -> None:
    assert lines(chapter.conversion_summary(conv)) == [
        "carried 15, new with 1.5 defaults 38",
        "changed: (('ldap_scope', '3', '2', 'numbered 0-2 in 1.5, 1-3 in 0.5'),)",
    ]
    assert lines(chapter.conversion_summary(conv, "zh")) == [
        "沿用 15 项，按 1.5 默认值新增 38 项",
        "改动：(('ldap_scope', '3', '2', '1.5 中编号为 0-2，0.5 中为 1-3'),)",
    ]


def test_removed_table(conv: harborcfg.Conversion) -> None:
    en = chapter.removed_table(conv)
    assert repr(en) == repr(Table(["dropped", "value", "why"], conv.removed))
    assert lines(repr(en))[2] == "use_compressed_js   on     not in 1.5's harbor.cfg"
    zh = chapter.removed_table(conv, "zh")
    assert list(zh.header) == ["删除的设置", "值", "原因"]
    assert [r[:2] for r in zh.rows] == [r[:2] for r in conv.removed]
    assert zh.rows[1][2] == "自 1.3 起按复制目标分别设置（replication_target.insecure）"


def test_every_removed_reason_has_chinese() -> None:
    for key, why in harborcfg.REMOVED.items():
        zh = chapter._lookup(chapter._why_removed, why, "zh")
        assert zh != why and CJK.search(zh), key


def test_adminserver_and_new_settings(conv: harborcfg.Conversion) -> None:
    keys = ", ".join(conv.adminserver)
    assert chapter.adminserver(conv) == f"adminserver: {keys}"
    assert keys.startswith("email_server, email_from, harbor_admin_password")
    assert chapter.adminserver(conv, "zh") == f"adminserver 保管的设置：{keys}"
    en = chapter.new_settings_table(conv)
    before = Table(
        ["new setting", "1.5 default"],
        [
            (k, v or "(empty)")
            for k, v in conv.added
            if k.startswith(("db_", "clair_db", "registry_storage"))
        ],
    )
    assert repr(en) == repr(before)
    assert lines(repr(en))[-1] == "registry_storage_provider_config  (empty)"
    zh = chapter.new_settings_table(conv, lang="zh")
    assert list(zh.header) == ["新设置", "1.5 默认值"]
    assert zh.rows[-1] == ("registry_storage_provider_config", "（空）")
    assert zh.rows[:-1] == en.rows[:-1]  # names and values stay
