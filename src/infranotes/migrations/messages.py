"""Chinese for what notebook 10 prints (see :mod:`infranotes.i18n` and :mod:`.chapter`).

SQL, alembic's log, JSON, the CLI's output and the values themselves (revisions, table,
column and setting names) stay as they are.
"""

from infranotes.i18n import Messages

tr = Messages(
    {
        "revision": "修订",
        "revises": "上一修订",
        "what changes": "改动内容",
        "table": "表",
        "0.4.0: the schema of Harbor 0.4 and 0.5 (the oldest revision of this chain).": (
            "0.4.0：Harbor 0.4 与 0.5 的表结构（这条修订链中最早的修订）。"
        ),
        (
            "1.2.0: access logs keep the username instead of a user id; longer names; image "
            "scanning."
        ): ("1.2.0：访问日志改存用户名而不是用户 ID；名称加长；镜像扫描。"),
        "1.3.0: project metadata replaces ``project.public``; insecure replication targets.": (
            "1.3.0：项目元数据取代 ``project.public``；可设为不安全（insecure）的复制目标。"
        ),
        (
            "1.4.0: replication filters and triggers; ``properties`` gets an id; longer project "
            "names."
        ): ("1.4.0：复制过滤器和触发器；``properties`` 有了 id 列；项目名称加长。"),
        "1.5.0: labels, user groups, and project members that can be users or groups.": (
            "1.5.0：标签、用户组，以及既可以是用户也可以是用户组的项目成员。"
        ),
        (
            "Harbor 0.5.0 shipped schema 0.4.0 unchanged: this revision re-expresses its MySQL "
            "`registry.sql` (the version that records `alembic_version` 0.4.0) table by table — "
            "types (`char(1)`, `tinyint(1)`, `timestamp`, `varchar(16384)`), defaults, keys and "
            "indexes, with foreign keys given the names MySQL gives Harbor's unnamed ones "
            "(`access_log_ibfk_1`…), so that a later revision can drop them on a real Harbor "
            "database too."
        ): (
            "Harbor 0.5.0 原样沿用了表结构 0.4.0：本修订逐表重新表达它的 MySQL `registry.sql`（记"
            "录 `alembic_version` 0.4.0 的那一版）——类型（`char(1)`、`tinyint(1)`、`timestamp`、"
            "`varchar(16384)`）、默认值、键和索引；外键使用 MySQL 给 Harbor 那些未命名外键起的名字"
            "（`access_log_ibfk_1`…），这样后面的修订在真实的 Harbor 数据库上也能删除它们。"
        ),
        (
            "As Harbor's `migration_harbor/versions/1_2_0.py` and changelog.md 1.2.0: widen "
            "`user.realname` (20 → 255), `user.username` (32 → 255) and "
            "`replication_target.username` (40 → 255); drop `access_log`'s two foreign keys; add "
            "`access_log.username varchar(255) NOT NULL`, filled with each row's user's name (`''` "
            'where the user no longer exists, as Harbor\'s `""` initialisation leaves it); drop '
            "`access_log.user_id` and `repository.owner_id`; create `img_scan_job`, "
            "`img_scan_overview` and `clair_vuln_timestamp`."
        ): (
            "依照 Harbor 的 `migration_harbor/versions/1_2_0.py` 和 changelog.md 1.2.0：加宽 "
            "`user.realname`（20 → 255）、`user.username`（32 → 255）和 "
            "`replication_target.username`（40 → 255）；删除 `access_log` 的两个外键；新增 "
            "`access_log.username varchar(255) NOT NULL`，填入每行所属用户的用户名（用户已不存在时"
            "为 `''`，与 Harbor 用 `\"\"` 初始化留下的结果一致）；删除 `access_log.user_id` 和 "
            "`repository.owner_id`；创建 `img_scan_job`、`img_scan_overview` 和 "
            "`clair_vuln_timestamp`。"
        ),
        (
            "As Harbor's `migration_harbor/versions/1_3_0.py` and changelog.md 1.3.0: create "
            "`project_metadata` and fill it with one `public` row per project (`'true'` or "
            "`'false'`, from `project.public`), drop `project.public`, add "
            "`replication_target.insecure tinyint(1) NOT NULL DEFAULT 0`. (Harbor's revision also "
            "widens `user.username` for databases made by 1.2.0-rc1; our 1.2.0 already did.) The "
            "runner can inject a failure between filling the new table and dropping the old "
            "column, to show what a failure halfway leaves behind."
        ): (
            "依照 Harbor 的 `migration_harbor/versions/1_3_0.py` 和 changelog.md 1.3.0：创建 "
            "`project_metadata`，为每个项目填入一行 `public`（值为 `'true'` 或 `'false'`，取自 "
            "`project.public`），删除 `project.public`，新增 "
            "`replication_target.insecure tinyint(1) NOT NULL DEFAULT 0`。（Harbor 的这个修订还会"
            "为 1.2.0-rc1 建出的数据库加宽 `user.username`；我们的 1.2.0 已经做过了。）运行器可以在"
            "填好新表之后、删除旧列之前注入一次失效，用来展示半途失效会留下什么。"
        ),
        (
            "As Harbor's `migration_harbor/versions/1_4_0.py` and changelog.md 1.4.0: widen "
            "`project.name` to 255 characters (the changelog says 256; the revision and 1.5's "
            "`registry.sql` say 255); add `replication_policy.filters` and `replicate_deletion`; "
            "create `replication_immediate_trigger`; move every policy to the new trigger model — "
            'an enabled policy becomes `{{"kind":"Immediate"}}` with one immediate trigger on its '
            "project (on push and on deletion), a disabled one becomes an enabled "
            '`{{"kind":"Manual"}}` policy; give `properties` an `id` primary key with `k` kept '
            "unique (`uq_properties_k`), rebuilt here as a new table the rows are copied into in "
            "`k` order, the order InnoDB numbers them in when Harbor adds the `AUTO_INCREMENT` "
            "column to a table keyed on `k`."
        ): (
            "依照 Harbor 的 `migration_harbor/versions/1_4_0.py` 和 changelog.md 1.4.0：把 "
            "`project.name` 加宽到 255 个字符（changelog 写的是 256；该修订和 1.5 的 "
            "`registry.sql` 都是 255）；新增 `replication_policy.filters` 和 `replicate_deletion`；"
            "创建 `replication_immediate_trigger`；把每条策略迁到新的触发器模型——启用的策略变成 "
            '`{{"kind":"Immediate"}}`，并在其项目上带一个立即触发器（推送和删除时触发），停用的策略'
            '变成启用的 `{{"kind":"Manual"}}` 策略；给 `properties` 加上 `id` 主键，`k` 仍保持唯一'
            "（`uq_properties_k`）。这里用新表重建，各行按 `k` 的顺序复制进去，正是 Harbor 给以 "
            "`k` 为键的表加 `AUTO_INCREMENT` 列时 InnoDB 给各行编号的顺序。"
        ),
        (
            "As Harbor's `migration_harbor/versions/1_5_0.py` and changelog.md 1.5.0, with the "
            "tables in the form 1.5's `registry.sql` creates them: create `harbor_label`, "
            "`harbor_resource_label` and `user_group`; `project_member` loses its composite key "
            "and its three foreign keys, gets an `id` primary key, `entity_id` in place of "
            "`user_id` and `entity_type char(1)` (`u` for a user, `g` for a group; every existing "
            "row is a user), unique per (project, entity, type) — rebuilt here as a new table the "
            "rows are copied into; add `job_uuid` to `replication_job` and `img_scan_job`; add the "
            "indexes Harbor's revision adds (`poid_status`, `idx_status`, `idx_digest`, "
            "`idx_uuid`, `idx_repository_tag`), which 1.5's `registry.sql` does not create."
        ): (
            "依照 Harbor 的 `migration_harbor/versions/1_5_0.py` 和 changelog.md 1.5.0，表的形式与 "
            "1.5 的 `registry.sql` 创建的一致：创建 `harbor_label`、`harbor_resource_label` 和 "
            "`user_group`；`project_member` 去掉复合键和三个外键，加上 `id` 主键，用 `entity_id` 取"
            "代 `user_id`，并新增 `entity_type char(1)`（`u` 表示用户，`g` 表示用户组；现有各行都是"
            "用户），按（项目、实体、类型）唯一——这里用新表重建，把各行复制进去；给 "
            "`replication_job` 和 `img_scan_job` 新增 `job_uuid`；加上 Harbor 该修订添加的索引"
            "（`poid_status`、`idx_status`、`idx_digest`、`idx_uuid`、`idx_repository_tag`），而 "
            "1.5 的 `registry.sql` 并不创建它们。"
        ),
        "host and port only:           connected": "只用主机和端口：              已连接",
        "with Harbor's unix_socket:    {error}": "加上 Harbor 的 unix_socket：  {error}",
        "{server}: 0.4.0 → 1.5.0, every row checked, counts equal to SQLite's": (
            "{server}：0.4.0 → 1.5.0，逐行核对无误，各表行数与 SQLite 相同"
        ),
        "injected failure in {revision}, after filling {table}, before dropping {column}": (
            "在 {revision} 中注入的失效，发生在填充 {table} 之后、删除 {column} 之前"
        ),
        "upgrade failed in revision {failed}: {reason}; the database is recorded at {at}": (
            "升级在修订 {failed} 中失败：{reason}；数据库记录的修订是 {at}"
        ),
        "no revision": "无修订",
        "error:  {error}": "错误：{error}",
        "status: {status}": "状态：{status}",
        "drift:  {drift}": "结构漂移：{drift}",
        "none: the schema is exactly 1.2.0's": "无：表结构与 1.2.0 的完全一致",
        "an empty state": "空库状态",
        (
            "refusing to upgrade: the database is not verifiably at {revision} (1 difference: "
            "{first})"
        ): ("拒绝升级：无法确认数据库处于 {revision}（1 处差异：{first}）"),
        (
            "refusing to upgrade: the database is not verifiably at {revision} ({n} differences: "
            "{first}; …)"
        ): ("拒绝升级：无法确认数据库处于 {revision}（{n} 处差异：{first}；…）"),
        "retry:   {why}": "重试：{why}",
        "none": "无",
        "drift after the repair: {drift}": "修复后的结构漂移：{drift}",
        "upgrade: {applied} - every row checked: nothing lost": (
            "升级：{applied}——逐行核对：没有丢失任何数据"
        ),
        "missing table {table}": "缺少表 {table}",
        "unexpected table {table}": "多出的表 {table}",
        "{table}: missing column {column}": "{table}：缺少列 {column}",
        "{table}: unexpected column {column}": "{table}：多出的列 {column}",
        "{table}: missing index {index} ({columns})": "{table}：缺少索引 {index}（{columns}）",
        "{table}: unexpected index {index} ({columns})": "{table}：多出的索引 {index}（{columns}）",
        "kept": "保留的差异",
        "why": "原因",
        "five job indexes (poid_status, idx_status, idx_digest, idx_uuid, idx_repository_tag)": (
            "五个任务索引（poid_status、idx_status、idx_digest、idx_uuid、idx_repository_tag）"
        ),
        "no admin/anonymous users, library project or its membership in 0.4.0": (
            "0.4.0 中没有 admin/anonymous 用户、library 项目及其成员关系"
        ),
        "harbor_label unique on (name, scope), project_id nullable": (
            "harbor_label 在 (name, scope) 上唯一，project_id 可为空"
        ),
        "user_group.group_name varchar(255)": "user_group.group_name 为 varchar(255)",
        "clair_vuln_timestamp.last_update NOT NULL": "clair_vuln_timestamp.last_update 为 NOT NULL",
        "no harbor_label.deleted": "没有 harbor_label.deleted",
        "no WITH_ADMIRAL branch in 1.4.0": "1.4.0 中没有 WITH_ADMIRAL 分支",
        "update_time without ON UPDATE on PostgreSQL and SQLite": (
            "PostgreSQL 和 SQLite 上的 update_time 不带 ON UPDATE"
        ),
        "foreign keys named access_log_ibfk_1 etc. explicitly": (
            "外键显式命名为 access_log_ibfk_1 等"
        ),
        (
            "Harbor's 1.5.0 upgrade creates them, its fresh registry.sql does not; we follow the "
            "upgrade"
        ): ("Harbor 的 1.5.0 升级会创建它们，全新安装用的 registry.sql 不会；我们以升级为准"),
        (
            "an installation's data, which an upgraded database already has; the access and role "
            "reference rows are inserted"
        ): ("这些是安装时写入的数据，升级来的数据库本来就有；access 和 role 的参考数据行会插入"),
        "registry.sql's form; Harbor's upgrade models say (name, scope, project_id), NOT NULL": (
            "registry.sql 的写法；Harbor 的升级模型写的是 (name, scope, project_id)，且 NOT NULL"
        ),
        "registry.sql's length; the upgrade models say 128": (
            "registry.sql 的长度；升级模型写的是 128"
        ),
        "registry.sql's; the upgrade models leave it nullable": (
            "registry.sql 如此；升级模型允许为空"
        ),
        "not in 1.5's MySQL registry.sql (it appears in 1.6)": (
            "1.5 的 MySQL registry.sql 中没有（1.6 才出现）"
        ),
        "an Admiral deployment's policy migration, not reproduced": (
            "Admiral 部署下的策略迁移，未复现"
        ),
        "a MySQL clause; Harbor 1.5 supported MySQL only": (
            "这是 MySQL 的子句；Harbor 1.5 只支持 MySQL"
        ),
        "the names MySQL gives Harbor's unnamed ones, so 1.2.0 can drop them everywhere": (
            "即 MySQL 给 Harbor 未命名外键起的名字，这样 1.2.0 在哪种数据库上都能删除它们"
        ),
        "carried {carried}, new with 1.5 defaults {added}": (
            "沿用 {carried} 项，按 1.5 默认值新增 {added} 项"
        ),
        "changed: {changed}": "改动：{changed}",
        "numbered 0-2 in 1.5, 1-3 in 0.5": "1.5 中编号为 0-2，0.5 中为 1-3",
        "dropped": "删除的设置",
        "value": "值",
        "not in 1.5's harbor.cfg": "1.5 的 harbor.cfg 中没有",
        "per replication target since 1.3 (replication_target.insecure)": (
            "自 1.3 起按复制目标分别设置（replication_target.insecure）"
        ),
        "not in 1.5's harbor.cfg (the key is the file secretkey under secretkey_path)": (
            "1.5 的 harbor.cfg 中没有（密钥是 secretkey_path 下的 secretkey 文件）"
        ),
        "adminserver: {keys}": "adminserver 保管的设置：{keys}",
        "new setting": "新设置",
        "1.5 default": "1.5 默认值",
        "(empty)": "（空）",
    }
)
