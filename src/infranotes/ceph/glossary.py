"""Every placement-group state in the Ceph documentation, in English and Chinese.

Source: the Ceph docs, "Placement Group States" (``doc/rados/operations/pg-states.rst``,
Pacific to the current development release), and "Troubleshooting PGs" for what to check.
``severity``: ``healthy`` (the goal), ``transient`` (normal while the cluster changes; a
problem only if it lasts), ``action`` (needs an operator).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class State:
    name: str
    meaning_en: str
    meaning_zh: str
    severity: str  # healthy | transient | action
    check: str  # what to look at next, with a command


def _s(name: str, en: str, zh: str, severity: str, check: str) -> State:
    return State(name, en, zh, severity, check)


STATES: dict[str, State] = {
    s.name: s
    for s in (
        _s(
            "creating",
            "Ceph is still creating the placement group.",
            "Ceph 仍在创建该归置组。",
            "transient",
            "If it lasts, the PG cannot be placed: `ceph osd tree`, `ceph osd pool get POOL crush_rule`.",
        ),
        _s(
            "activating",
            "The placement group is peered but not yet active.",
            "归置组已完成对等（peering），但尚未激活。",
            "transient",
            "If it lasts, look at the acting set's OSDs: `ceph pg PGID query`.",
        ),
        _s(
            "active",
            "Ceph will process requests to the placement group.",
            "Ceph 会处理对该归置组的读写请求。",
            "healthy",
            "",
        ),
        _s(
            "clean",
            "Ceph replicated all objects in the placement group the correct number of times.",
            "归置组中所有对象都已按正确的副本数复制完成。",
            "healthy",
            "",
        ),
        _s(
            "down",
            "A replica with necessary data is down, so the placement group is offline.",
            "持有必要数据的副本所在的 OSD 已停止，归置组离线。",
            "action",
            'Bring the OSDs in `ceph pg PGID query` ("down_osds_we_would_probe") back: `ceph osd tree`.',
        ),
        _s(
            "laggy",
            "A replica is not acknowledging new leases from the primary in a timely "
            "fashion; IO is temporarily paused.",
            "某个副本未能及时确认主 OSD 发出的新租约，IO 暂停。",
            "transient",
            "If it repeats, check the network and that OSD's latency: `ceph osd perf`.",
        ),
        _s(
            "wait",
            "The set of OSDs for this PG has just changed and IO is temporarily paused "
            "until the previous interval's leases expire.",
            "该 PG 的 OSD 集合刚发生变化，IO 暂停，直到上一个区间的租约到期。",
            "transient",
            "",
        ),
        _s(
            "scrubbing",
            "Ceph is checking the placement group metadata for inconsistencies.",
            "Ceph 正在检查归置组元数据的一致性（浅层清洗）。",
            "transient",
            "",
        ),
        _s(
            "deep",
            "Ceph is checking the placement group data against stored checksums.",
            "Ceph 正在用存储的校验和核对归置组数据（深度清洗）。",
            "transient",
            "",
        ),
        _s(
            "degraded",
            "Ceph has not replicated some objects in the placement group the correct "
            "number of times yet.",
            "归置组中部分对象的副本数尚未达到要求（降级）。",
            "transient",
            "Which OSD is missing: `ceph health detail`, `ceph osd tree`; recovery should follow.",
        ),
        _s(
            "inconsistent",
            "Ceph detects inconsistencies in one or more replicas of an object in the "
            "placement group (e.g. objects are the wrong size, objects are missing from one replica "
            "after recovery finished, etc.).",
            "Ceph 发现归置组中某对象的一个或多个副本不一致（如大小错误、恢复后某副本缺失对象等）。",
            "action",
            "See which object and shard: `rados list-inconsistent-obj PGID --format=json-pretty`; "
            "check that OSD's disk; then `ceph pg repair PGID`.",
        ),
        _s(
            "peering",
            "The placement group is undergoing the peering process.",
            "归置组正在进行对等（peering），各副本就对象状态达成一致。",
            "transient",
            "If it lasts: `ceph pg PGID query` (recovery_state, blocked_by).",
        ),
        _s(
            "repair",
            "Ceph is checking the placement group and repairing any inconsistencies it "
            "finds (if possible).",
            "Ceph 正在检查归置组并修复发现的不一致（如可能）。",
            "transient",
            "",
        ),
        _s(
            "recovering",
            "Ceph is migrating/synchronizing objects and their replicas.",
            "Ceph 正在迁移/同步对象及其副本（恢复中）。",
            "transient",
            "Progress: `ceph -s` (recovery rate), `ceph pg dump pgs_brief`.",
        ),
        _s(
            "forced_recovery",
            "High recovery priority of that PG is enforced by user.",
            "用户强制提高了该 PG 的恢复优先级。",
            "transient",
            "",
        ),
        _s(
            "recovery_wait",
            "The placement group is waiting in line to start recover.",
            "归置组正在排队等待开始恢复。",
            "transient",
            "It waits for a reservation (`osd_recovery_max_active`); `ceph -s` shows the queue.",
        ),
        _s(
            "recovery_toofull",
            "A recovery operation is waiting because the destination OSD is over its full ratio.",
            "恢复操作在等待，因为目标 OSD 已超过 full 比例。",
            "action",
            "Free space or add capacity: `ceph osd df`, `ceph osd dump | grep ratio`.",
        ),
        _s(
            "recovery_unfound",
            "Recovery stopped due to unfound objects.",
            "由于存在未找到（unfound）的对象，恢复已停止。",
            "action",
            "`ceph pg PGID list_unfound`; bring back the OSDs that may hold them, last resort "
            "`ceph pg PGID mark_unfound_lost revert|delete`.",
        ),
        _s(
            "backfilling",
            "Ceph is scanning and synchronizing the entire contents of a placement "
            "group instead of inferring what contents need to be synchronized from the logs of recent "
            "operations. Backfill is a special case of recovery.",
            "Ceph 正在扫描并同步归置组的全部内容（回填），而不是根据近期操作日志推断需同步的内容；回填是恢复的一种特例。",
            "transient",
            "Progress: `ceph -s`; one backfill at a time per OSD (`osd_max_backfills`).",
        ),
        _s(
            "forced_backfill",
            "High backfill priority of that PG is enforced by user.",
            "用户强制提高了该 PG 的回填优先级。",
            "transient",
            "",
        ),
        _s(
            "backfill_wait",
            "The placement group is waiting in line to start backfill.",
            "归置组正在排队等待开始回填。",
            "transient",
            "It waits for a reservation on the target OSD (`osd_max_backfills`).",
        ),
        _s(
            "backfill_toofull",
            "A backfill operation is waiting because the destination OSD is over "
            "the backfillfull ratio.",
            "回填操作在等待，因为目标 OSD 已超过 backfillfull 比例。",
            "action",
            "Free space or add capacity: `ceph osd df`; rebalance with `ceph osd reweight`.",
        ),
        _s(
            "backfill_unfound",
            "Backfill stopped due to unfound objects.",
            "由于存在未找到（unfound）的对象，回填已停止。",
            "action",
            "`ceph pg PGID list_unfound`; bring back the OSDs that may hold them.",
        ),
        _s(
            "incomplete",
            "Ceph detects that a placement group is missing information about writes "
            "that may have occurred, or does not have any healthy copies. If you see this state, try "
            "to start any failed OSDs that may contain the needed information. In the case of an "
            "erasure coded pool temporarily reducing min_size may allow recovery.",
            "Ceph 发现归置组缺少可能已发生的写入的信息，或没有任何健康副本。请尝试启动可能持有所需信息的故障 OSD；"
            "纠删码池可临时降低 min_size 以便恢复。",
            "action",
            '`ceph pg PGID query` ("peering_blocked_by"); start the OSDs it names.',
        ),
        _s(
            "stale",
            "The placement group is in an unknown state - the monitors have not received "
            "an update for it since the placement group mapping changed.",
            "归置组状态未知：自归置组映射变化以来，监视器未收到它的更新（陈旧）。",
            "action",
            "The OSDs holding it are down or not reporting: `ceph osd tree`, `ceph pg dump_stuck stale`.",
        ),
        _s(
            "remapped",
            "The placement group is temporarily mapped to a different set of OSDs from "
            "what CRUSH specified.",
            "归置组暂时映射到与 CRUSH 计算结果不同的一组 OSD 上（重映射）。",
            "transient",
            "Normal during backfill (pg_temp); `ceph pg PGID query` shows up and acting sets.",
        ),
        _s(
            "undersized",
            "The placement group has fewer copies than the configured pool replication level.",
            "归置组的副本数少于存储池配置的副本数。",
            "transient",
            "An OSD of its acting set is down or out: `ceph osd tree`, `ceph health detail`.",
        ),
        _s(
            "peered",
            "The placement group has peered, but cannot serve client IO due to not having "
            "enough copies to reach the pool's configured min_size parameter. Recovery may occur in "
            "this state, so the pg may heal up to min_size eventually.",
            "归置组已完成对等，但副本数未达到存储池的 min_size，无法处理客户端 IO；此状态下仍可能进行恢复。",
            "action",
            "Bring OSDs back, or (carefully) `ceph osd pool set POOL min_size N`.",
        ),
        _s("snaptrim", "Trimming snaps.", "正在修剪快照。", "transient", ""),
        _s("snaptrim_wait", "Queued to trim snaps.", "正在排队等待修剪快照。", "transient", ""),
        _s(
            "snaptrim_error",
            "Error stopped trimming snaps.",
            "出错导致快照修剪停止。",
            "action",
            "`ceph pg PGID query`; the OSD log of the primary.",
        ),
        _s(
            "unknown",
            "The ceph-mgr hasn't yet received any information about the PG's state from "
            "an OSD since mgr started up.",
            "自 ceph-mgr 启动以来，尚未从任何 OSD 收到该 PG 的状态信息。",
            "transient",
            "If it lasts, no OSD reports this PG: `ceph osd tree`, `ceph pg map PGID`.",
        ),
        _s(
            "premerge",
            "The PG is in a quiesced-IO state due to an impending PG merge. That happens "
            "when pg_num_pending < pg_num, and applies to the PGs with pg_num_pending <= ps < pg_num "
            "as well as the corresponding peer PG that it is merging with.",
            "由于即将进行 PG 合并，该 PG 处于 IO 静默状态（pg_num_pending < pg_num 时出现）。",
            "transient",
            "",
        ),
        _s(
            "failed_repair",
            "Attempts to repair the PG have failed. Manual intervention is required.",
            "修复该 PG 的尝试已失败，需要人工干预。",
            "action",
            "`rados list-inconsistent-obj PGID`; check the disks of the shards it names.",
        ),
    )
}

SEVERITY_RANK = {"healthy": 0, "transient": 1, "action": 2}


def lookup(name: str) -> State | None:
    """A state by name; Ceph also prints ``backfill``/``recovery`` in older releases."""
    return STATES.get({"backfill": "backfilling"}.get(name, name))
