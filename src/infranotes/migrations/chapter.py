"""What notebook 10 shows, in English or Chinese: its tables and its printed explanations.

Every helper takes ``lang`` (``"en"`` or ``"zh"``) and is shown with
:func:`infranotes.i18n.bilingual`; the English is exactly what the notebook printed before.
The runner, the schema comparison and the ``harbor.cfg`` converter keep producing English
(the CLI and the JSON speak English): their words are translated here, at rendering time,
by matching the English they produce. SQL, alembic's log, JSON, driver errors and the
values themselves (revisions, table and setting names) stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from infranotes.migrations import figures, runner, schema
from infranotes.migrations.harborcfg import Conversion
from infranotes.migrations.messages import tr
from infranotes.migrations.runner import Plan, Verification
from infranotes.migrations.walkthrough import HalfwayFailure, History
from infranotes.table import Table


def _lookup(phrases: Callable[[str], list[str]], text: str, lang: str) -> str:
    """``text`` (one of ``phrases("en")``) in ``lang``; any other text stays as it is."""
    return dict(zip(phrases("en"), phrases(lang), strict=True)).get(text, text)


# ------------------------------------------------------------------ the revision chain


def _summaries(lang: str) -> list[str]:
    """The first line of each revision's docstring (:attr:`runner.Revision.summary`)."""
    return [
        tr(lang, "0.4.0: the schema of Harbor 0.4 and 0.5 (the oldest revision of this chain)."),
        tr(
            lang,
            "1.2.0: access logs keep the username instead of a user id; longer names; "
            "image scanning.",
        ),
        tr(
            lang,
            "1.3.0: project metadata replaces ``project.public``; insecure replication targets.",
        ),
        tr(
            lang,
            "1.4.0: replication filters and triggers; ``properties`` gets an id; longer project "
            "names.",
        ),
        tr(lang, "1.5.0: labels, user groups, and project members that can be users or groups."),
    ]


def _what_changes(lang: str) -> list[str]:
    """Each revision's docstring after its first paragraph, on one line, single backticks."""
    return [
        tr(
            lang,
            "Harbor 0.5.0 shipped schema 0.4.0 unchanged: this revision re-expresses its MySQL "
            "`registry.sql` (the version that records `alembic_version` 0.4.0) table by table — "
            "types (`char(1)`, `tinyint(1)`, `timestamp`, `varchar(16384)`), defaults, keys and "
            "indexes, with foreign keys given the names MySQL gives Harbor's unnamed ones "
            "(`access_log_ibfk_1`…), so that a later revision can drop them on a real Harbor "
            "database too.",
        ),
        tr(
            lang,
            "As Harbor's `migration_harbor/versions/1_2_0.py` and changelog.md 1.2.0: widen "
            "`user.realname` (20 → 255), `user.username` (32 → 255) and "
            "`replication_target.username` (40 → 255); drop `access_log`'s two foreign keys; add "
            "`access_log.username varchar(255) NOT NULL`, filled with each row's user's name "
            "(`''` where the user no longer exists, as Harbor's `\"\"` initialisation leaves "
            "it); drop `access_log.user_id` and `repository.owner_id`; create `img_scan_job`, "
            "`img_scan_overview` and `clair_vuln_timestamp`.",
        ),
        tr(
            lang,
            "As Harbor's `migration_harbor/versions/1_3_0.py` and changelog.md 1.3.0: create "
            "`project_metadata` and fill it with one `public` row per project (`'true'` or "
            "`'false'`, from `project.public`), drop `project.public`, add "
            "`replication_target.insecure tinyint(1) NOT NULL DEFAULT 0`. (Harbor's revision "
            "also widens `user.username` for databases made by 1.2.0-rc1; our 1.2.0 already "
            "did.) The runner can inject a failure between filling the new table and dropping "
            "the old column, to show what a failure halfway leaves behind.",
        ),
        tr(
            lang,
            "As Harbor's `migration_harbor/versions/1_4_0.py` and changelog.md 1.4.0: widen "
            "`project.name` to 255 characters (the changelog says 256; the revision and 1.5's "
            "`registry.sql` say 255); add `replication_policy.filters` and "
            "`replicate_deletion`; create `replication_immediate_trigger`; move every policy to "
            'the new trigger model — an enabled policy becomes `{{"kind":"Immediate"}}` with '
            "one immediate trigger on its project (on push and on deletion), a disabled one "
            'becomes an enabled `{{"kind":"Manual"}}` policy; give `properties` an `id` '
            "primary key with `k` kept unique (`uq_properties_k`), rebuilt here as a new table "
            "the rows are copied into in `k` order, the order InnoDB numbers them in when "
            "Harbor adds the `AUTO_INCREMENT` column to a table keyed on `k`.",
        ),
        tr(
            lang,
            "As Harbor's `migration_harbor/versions/1_5_0.py` and changelog.md 1.5.0, with the "
            "tables in the form 1.5's `registry.sql` creates them: create `harbor_label`, "
            "`harbor_resource_label` and `user_group`; `project_member` loses its composite key "
            "and its three foreign keys, gets an `id` primary key, `entity_id` in place of "
            "`user_id` and `entity_type char(1)` (`u` for a user, `g` for a group; every "
            "existing row is a user), unique per (project, entity, type) — rebuilt here as a "
            "new table the rows are copied into; add `job_uuid` to `replication_job` and "
            "`img_scan_job`; add the indexes Harbor's revision adds (`poid_status`, "
            "`idx_status`, `idx_digest`, `idx_uuid`, `idx_repository_tag`), which 1.5's "
            "`registry.sql` does not create.",
        ),
    ]


def what_changes(revision: runner.Revision) -> str:
    """A revision's docstring after its summary line, on one line, with single backticks."""
    return " ".join(revision.doc.split("\n\n", 1)[-1].split()).replace("``", "`")


def summary(text: str, lang: str = "en") -> str:
    """A revision's summary line in ``lang``."""
    return _lookup(_summaries, text, lang)


def chain_table(lang: str = "en") -> Table:
    """Each revision, the one it revises, and what it changes (from its docstring)."""
    rows = [
        (r.revision, r.down_revision or "—", _lookup(_what_changes, what_changes(r), lang))
        for r in runner.chain()
    ]
    return Table([tr(lang, "revision"), tr(lang, "revises"), tr(lang, "what changes")], rows)


def counts_table(history: History, lang: str = "en") -> Table:
    """:func:`figures.counts_table` with its first header in ``lang``."""
    table = figures.counts_table(history)
    return Table([tr(lang, "table"), *table.header[1:]], table.rows)


# ------------------------------------------------------------------ upgrades on real servers


def socket_check(error: str, lang: str = "en") -> str:
    """The connection with host and port only (it worked) and the one with Harbor's
    ``unix_socket`` query (``error``: the driver's message, which stays as it is)."""
    return "\n".join(
        [
            tr(lang, "host and port only:           connected"),
            tr(lang, "with Harbor's unix_socket:    {error}", error=error),
        ]
    )


def upgraded_on(server: str, lang: str = "en") -> str:
    """One server's step-by-step upgrade matched SQLite's, row for row."""
    return tr(
        lang,
        "{server}: 0.4.0 → 1.5.0, every row checked, counts equal to SQLite's",
        server=server,
    )


def failure_reason(reason: str, lang: str = "en") -> str:
    """The reason a revision failed: the injected failure's in ``lang``, a database's as is."""
    m = re.fullmatch(
        r"injected failure in (?P<revision>\S+), after filling (?P<table>\S+), "
        r"before dropping (?P<column>\S+)",
        reason,
    )
    if m:
        return tr(
            lang,
            "injected failure in {revision}, after filling {table}, before dropping {column}",
            **m.groupdict(),
        )
    return reason


def error(message: str, lang: str = "en") -> str:
    """A :class:`runner.MigrationError`'s message from a failed upgrade, in ``lang``."""
    m = re.fullmatch(
        r"upgrade failed in revision (?P<failed>\S+): (?P<reason>.*); "
        r"the database is recorded at (?P<at>.+)",
        message,
    )
    if not m:
        return message
    at = m["at"] if m["at"] != "no revision" else tr(lang, "no revision")
    return tr(
        lang,
        "upgrade failed in revision {failed}: {reason}; the database is recorded at {at}",
        failed=m["failed"],
        reason=failure_reason(m["reason"], lang),
        at=at,
    )


def difference(line: str, lang: str = "en") -> str:
    """One line of :func:`schema.diff` (a drift) in ``lang``; a form not known here stays."""
    patterns: list[tuple[str, Callable[..., str]]] = [
        (r"missing table (?P<table>\S+)", lambda **f: tr(lang, "missing table {table}", **f)),
        (
            r"unexpected table (?P<table>\S+)",
            lambda **f: tr(lang, "unexpected table {table}", **f),
        ),
        (
            r"(?P<table>\w+): missing column (?P<column>\S+)",
            lambda **f: tr(lang, "{table}: missing column {column}", **f),
        ),
        (
            r"(?P<table>\w+): unexpected column (?P<column>\S+)",
            lambda **f: tr(lang, "{table}: unexpected column {column}", **f),
        ),
        (
            r"(?P<table>\w+): missing index (?P<index>\S+) \((?P<columns>[^()]*)\)",
            lambda **f: tr(lang, "{table}: missing index {index} ({columns})", **f),
        ),
        (
            r"(?P<table>\w+): unexpected index (?P<index>\S+) \((?P<columns>[^()]*)\)",
            lambda **f: tr(lang, "{table}: unexpected index {index} ({columns})", **f),
        ),
    ]
    for pattern, render in patterns:
        m = re.fullmatch(pattern, line)
        if m:
            return render(**m.groupdict())
    return line


def differences(lines: Sequence[str], lang: str = "en") -> str:
    """Drift lines, one per line, in ``lang``."""
    return "\n".join(difference(line, lang) for line in lines)


def _drift(drift: Sequence[str], lang: str) -> str:
    return str([difference(line, lang) for line in drift])


def halfway(failure: HalfwayFailure, lang: str = "en") -> str:
    """What an upgrade that failed inside 1.3.0 left: the error, the status, the drift."""
    drift = (
        _drift(failure.drift, lang)
        if failure.drift
        else tr(lang, "none: the schema is exactly 1.2.0's")
    )
    return "\n".join(
        [
            tr(lang, "error:  {error}", error=error(failure.error, lang)),
            tr(lang, "status: {status}", status=failure.status.to_json()),
            tr(lang, "drift:  {drift}", drift=drift),
        ]
    )


def refused(verification: Verification, lang: str = "en") -> str:
    """A retry that :class:`runner.DriftError` refused, as its message's first part."""
    diffs = verification.differences
    revision = verification.revision or tr(lang, "an empty state")
    first = difference(diffs[0], lang)
    if len(diffs) == 1:
        why = tr(
            lang,
            "refusing to upgrade: the database is not verifiably at {revision} "
            "(1 difference: {first})",
            revision=revision,
            first=first,
        )
    else:
        why = tr(
            lang,
            "refusing to upgrade: the database is not verifiably at {revision} "
            "({n} differences: {first}; …)",
            revision=revision,
            n=len(diffs),
            first=first,
        )
    return tr(lang, "retry:   {why}", why=why)


def drift_after_repair(drift: Sequence[str], lang: str = "en") -> str:
    """The drift left once the half-made table is dropped (none: the schema is 1.2.0's)."""
    found = _drift(drift, lang) if drift else tr(lang, "none")
    return tr(lang, "drift after the repair: {drift}", drift=found)


def finished(applied: tuple[str, ...], lang: str = "en") -> str:
    """The upgrade to head after the repair, with every seeded row found."""
    return tr(lang, "upgrade: {applied} - every row checked: nothing lost", applied=applied)


# ------------------------------------------------------------------ faithfulness and planning


def kept_differences(lang: str = "en") -> str:
    """:data:`schema.KEPT_DIFFERENCES`, one per line, in ``lang``."""
    return differences(schema.KEPT_DIFFERENCES, lang)


def _kept(lang: str) -> list[str]:
    """The first column of :data:`schema.DIFFERENCES_KEPT`, in order."""
    return [
        tr(
            lang,
            "five job indexes (poid_status, idx_status, idx_digest, idx_uuid, idx_repository_tag)",
        ),
        tr(lang, "no admin/anonymous users, library project or its membership in 0.4.0"),
        tr(lang, "harbor_label unique on (name, scope), project_id nullable"),
        tr(lang, "user_group.group_name varchar(255)"),
        tr(lang, "clair_vuln_timestamp.last_update NOT NULL"),
        tr(lang, "no harbor_label.deleted"),
        tr(lang, "no WITH_ADMIRAL branch in 1.4.0"),
        tr(lang, "update_time without ON UPDATE on PostgreSQL and SQLite"),
        tr(lang, "foreign keys named access_log_ibfk_1 etc. explicitly"),
    ]


def _why_kept(lang: str) -> list[str]:
    """The second column of :data:`schema.DIFFERENCES_KEPT`, in order."""
    return [
        tr(
            lang,
            "Harbor's 1.5.0 upgrade creates them, its fresh registry.sql does not; we follow "
            "the upgrade",
        ),
        tr(
            lang,
            "an installation's data, which an upgraded database already has; the access and "
            "role reference rows are inserted",
        ),
        tr(
            lang,
            "registry.sql's form; Harbor's upgrade models say (name, scope, project_id), NOT NULL",
        ),
        tr(lang, "registry.sql's length; the upgrade models say 128"),
        tr(lang, "registry.sql's; the upgrade models leave it nullable"),
        tr(lang, "not in 1.5's MySQL registry.sql (it appears in 1.6)"),
        tr(lang, "an Admiral deployment's policy migration, not reproduced"),
        tr(lang, "a MySQL clause; Harbor 1.5 supported MySQL only"),
        tr(lang, "the names MySQL gives Harbor's unnamed ones, so 1.2.0 can drop them everywhere"),
    ]


def differences_kept_table(lang: str = "en") -> Table:
    """Every difference from Harbor's own chain kept on purpose, and why."""
    rows = [
        (_lookup(_kept, kept, lang), _lookup(_why_kept, why, lang))
        for kept, why in schema.DIFFERENCES_KEPT
    ]
    return Table([tr(lang, "kept"), tr(lang, "why")], rows)


def plan_steps(plan: Plan, statements: int = 4, lang: str = "en") -> str:
    """The plan's verification (as JSON), then each step's summary and first statements."""
    lines = [str(plan.verification.to_json())]
    for step in plan.steps:
        lines.append(summary(step.summary, lang))
        lines += [f"    {stmt}" for stmt in step.statements[:statements]]
    return "\n".join(lines)


# ------------------------------------------------------------------ harbor.cfg


def _why_removed(lang: str) -> list[str]:
    """The reasons of :data:`harborcfg.REMOVED`, each once."""
    return [
        tr(lang, "not in 1.5's harbor.cfg"),
        tr(lang, "per replication target since 1.3 (replication_target.insecure)"),
        tr(lang, "not in 1.5's harbor.cfg (the key is the file secretkey under secretkey_path)"),
    ]


def _why_changed(lang: str) -> list[str]:
    """The reasons :func:`harborcfg.convert` gives for a changed value."""
    return [tr(lang, "numbered 0-2 in 1.5, 1-3 in 0.5")]


def conversion_summary(conv: Conversion, lang: str = "en") -> str:
    """How many settings were carried over and added, and the values changed (and why)."""
    changed = tuple((k, o, n, _lookup(_why_changed, w, lang)) for k, o, n, w in conv.changed)
    return "\n".join(
        [
            tr(
                lang,
                "carried {carried}, new with 1.5 defaults {added}",
                carried=len(conv.carried),
                added=len(conv.added),
            ),
            tr(lang, "changed: {changed}", changed=changed),
        ]
    )


def removed_table(conv: Conversion, lang: str = "en") -> Table:
    """The 0.5 settings 1.5 no longer has, their values and why they went."""
    rows = [(k, v, _lookup(_why_removed, why, lang)) for k, v, why in conv.removed]
    return Table([tr(lang, "dropped"), tr(lang, "value"), tr(lang, "why")], rows)


def adminserver(conv: Conversion, lang: str = "en") -> str:
    """The settings the adminserver keeps after its first start."""
    return tr(lang, "adminserver: {keys}", keys=", ".join(conv.adminserver))


# The new settings the notebook shows: where the databases and the registry's storage are.
NEW_SHOWN = ("db_", "clair_db", "registry_storage")


def new_settings_table(
    conv: Conversion, prefixes: tuple[str, ...] = NEW_SHOWN, lang: str = "en"
) -> Table:
    """The settings new in 1.5 whose names start with ``prefixes``, with their defaults."""
    rows = [(k, v or tr(lang, "(empty)")) for k, v in conv.added if k.startswith(prefixes)]
    return Table([tr(lang, "new setting"), tr(lang, "1.5 default")], rows)
