"""Every health check code Ceph 16 (Pacific) can raise, in English and Chinese, with what to do.

Survey: ``doc/rados/operations/health-checks.rst`` on the Pacific branch (ceph/ceph commit
8105b2eb, the page docs.ceph.com/en/pacific serves), cross-checked against what the 16.2.15
build on this machine can actually raise: the code strings in ``ceph-mon``, ``ceph-mgr``,
``libceph-common.so.2`` and the mgr modules under ``/usr/share/ceph/mgr``
(tests/oracles/test_ceph_oracle.py holds that cross-check). The two disagree in both
directions, and ``origin`` says which:

- ``mon`` / ``mgr`` / ``osd`` / ``osdmap`` / ``mgr/<module>``: raised by that 16.2.15 component (OSDMap
  checks run in the monitor; ``osdmap`` codes are compiled into ``libceph-common``).
- ``doc only``: on the Pacific doc page but in no 16.2.15 binary or module here (added to the
  page for later releases: OSD_FILESTORE, BLUEFS_*_SPACE, BLUESTORE_FRAGMENTATION,
  RECENT_MGR_MODULE_CRASH).
- Codes 16.2.15 raises that the page never lists (POOL_NEARFULL, POOL_BACKFILLFULL,
  POOL_NO_REDUNDANCY, OSD_SLOW_PING_TIME_*, OSD_UPGRADE_FINISHED, POOL_SCRUB_FLAGS, the
  stretch-mode and legacy REQUEST_* checks) are here too, from the source that raises them.
  The page's "POOL_NEAR_FULL" is the quota check in ``src/mon/PGMap.cc``; the OSDMap's
  fullness check is spelt POOL_NEARFULL (``src/osd/OSDMap.cc``, ``OSDMap::check_health``).

Out of scope: the CephFS MDS checks (``doc/cephfs/health-messages.rst``: MDS_*, FS_*) and
the optional mgr modules' own alerts (influx, zabbix, alerts, insights).

``severity``: what Ceph raises it as (``HEALTH_WARN`` or ``HEALTH_ERR``; a few are either).
``urgency``: the doctor's order, 0 first: 0 data unavailable, unwritable or damaged; 1
redundancy reduced or its cause; 2 a limit approaching; 3 configuration and housekeeping.
``steps``: what to do, in order, each ``(why, command)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    code: str
    origin: str
    severity: str
    urgency: int
    meaning_en: str
    meaning_zh: str
    steps: tuple[tuple[str, str], ...]


def _c(code: str, origin: str, severity: str, urgency: int, en: str, zh: str, *steps: str) -> Check:
    """``steps`` as ``"why | command"``."""
    pairs = tuple(tuple(s.split(" | ", 1)) for s in steps)
    return Check(code, origin, severity, urgency, en, zh, pairs)  # type: ignore[arg-type]


W, E, WE = "HEALTH_WARN", "HEALTH_ERR", "HEALTH_WARN|HEALTH_ERR"
_FULLNESS = (
    "usage per OSD, fullest first | ceph osd df",
    "usage per pool | ceph df",
    "the ratios now (defaults nearfull 0.85, backfillfull 0.90, full 0.95) | ceph osd dump | grep ratio",
)
_FOR_GOOD = (
    "for good, add capacity: a new OSD on a free device | ceph-volume lvm create --data /dev/DEVICE",
    "or delete data no longer needed, biggest pools first | ceph df detail",
)

CHECKS: dict[str, Check] = {
    c.code: c
    for c in (
        # ------------------------------------------------------------------ monitor
        _c(
            "DAEMON_OLD_VERSION",
            "mon",
            WE,
            3,
            "Daemons run different Ceph versions, and have for longer than "
            "mon_warn_older_version_delay (a week): an upgrade was left half done.",
            "守护进程运行着不同版本的 Ceph，且已超过 mon_warn_older_version_delay（一周）：升级没有完成。",
            "which daemon runs which version | ceph versions",
            "while an upgrade is paused on purpose | ceph health mute DAEMON_OLD_VERSION --sticky",
        ),
        _c(
            "MON_DOWN",
            "mon",
            W,
            1,
            "A monitor is down or out of quorum; losing one more may lose the majority the "
            "cluster needs to work at all.",
            "有监视器（mon）宕机或不在仲裁中；再失去一个就可能失去集群运行所需的多数。",
            "which monitor, and the quorum | ceph mon stat",
            "restart it on its host | systemctl start ceph-mon@ID",
        ),
        _c(
            "MON_CLOCK_SKEW",
            "mon",
            W,
            2,
            "The monitors' clocks differ by more than mon_clock_drift_allowed.",
            "各监视器主机的时钟偏差超过了 mon_clock_drift_allowed。",
            "the skew per monitor | ceph time-sync-status",
            "synchronise the hosts' clocks (chrony or ntpd) | chronyc tracking",
        ),
        _c(
            "MON_MSGR2_NOT_ENABLED",
            "mon",
            W,
            3,
            "ms_bind_msgr2 is on but a monitor has no v2 address in the monmap, so msgr2 "
            "features (such as encryption) are missing on some connections.",
            "已启用 ms_bind_msgr2，但某个监视器在 monmap 中没有 v2 地址，部分连接缺少 msgr2 功能（如加密）。",
            "add v2 addresses to monitors on the default port | ceph mon enable-msgr2",
        ),
        _c(
            "MON_DISK_LOW",
            "mon",
            W,
            2,
            "The file system holding a monitor's database has less free space than "
            "mon_data_avail_warn (30 %).",
            "存放监视器数据库的文件系统可用空间低于 mon_data_avail_warn（30%）。",
            "free space where the mon data lives | df -h /var/lib/ceph/mon",
            "the database size | du -sh /var/lib/ceph/mon/*",
        ),
        _c(
            "MON_DISK_CRIT",
            "mon",
            E,
            0,
            "The file system holding a monitor's database has less free space than "
            "mon_data_avail_crit (5 %); the monitor will stop when it runs out.",
            "存放监视器数据库的文件系统可用空间低于 mon_data_avail_crit（5%），耗尽时监视器会停止。",
            "free space where the mon data lives | df -h /var/lib/ceph/mon",
        ),
        _c(
            "MON_DISK_BIG",
            "mon",
            W,
            3,
            "A monitor's database is larger than mon_data_size_warn (15 GiB), often because "
            "PGs have not been active+clean for a long time.",
            "监视器数据库大于 mon_data_size_warn（15 GiB），常见原因是 PG 长时间未达到 active+clean。",
            "compact the database | ceph tell mon.ID compact",
        ),
        _c(
            "AUTH_INSECURE_GLOBAL_ID_RECLAIM",
            "mon",
            W,
            3,
            "Connected clients reclaim their global_id the insecure way (CVE-2021-20288); "
            "they need a patched Ceph client.",
            "已连接的客户端以不安全的方式回收其 global_id（CVE-2021-20288），需要升级客户端。",
            "which clients (global_id_status reclaim_insecure) | ceph tell mon.* sessions",
        ),
        _c(
            "AUTH_INSECURE_GLOBAL_ID_RECLAIM_ALLOWED",
            "mon",
            W,
            3,
            "The monitors still allow insecure global_id reclaim "
            "(auth_allow_insecure_global_id_reclaim is true).",
            "监视器仍允许不安全的 global_id 回收（auth_allow_insecure_global_id_reclaim 为 true）。",
            "once every client is patched | ceph config set mon auth_allow_insecure_global_id_reclaim false",
        ),
        # ------------------------------------------------------------------ manager
        _c(
            "MGR_DOWN",
            "mon",
            W,
            1,
            "No manager daemon is active: IO and recovery go on, but statistics, `ceph -s` "
            "PG data and the mgr modules stop.",
            "没有活动的管理器（mgr）：IO 和恢复照常，但统计、`ceph -s` 的 PG 数据和 mgr 模块都停止。",
            "the mgr map | ceph mgr stat",
            "restart it on its host | systemctl start ceph-mgr@ID",
        ),
        _c(
            "MGR_MODULE_DEPENDENCY",
            "mgr",
            W,
            3,
            "An enabled mgr module fails its dependency check (a package is missing).",
            "某个已启用的 mgr 模块未通过依赖检查（缺少软件包）。",
            "which module and why | ceph mgr module ls",
        ),
        _c(
            "MGR_MODULE_ERROR",
            "mgr",
            E,
            2,
            "A mgr module raised an unhandled exception and stopped working.",
            "某个 mgr 模块抛出了未处理的异常并停止工作。",
            "the error | ceph health detail",
            "fail over to a standby mgr (restarts the modules) | ceph mgr fail",
        ),
        # ------------------------------------------------------------------ OSDs
        _c(
            "OSD_DOWN",
            "osdmap",
            W,
            1,
            "OSDs are marked down: their daemon stopped or crashed, or peers cannot reach it. "
            "Their PGs run with fewer copies until they return or are marked out.",
            "有 OSD 被标记为 down：守护进程停止或崩溃，或对端无法连通它。其 PG 以较少副本运行，直到它恢复或被标记为 out。",
            "which OSDs, on which hosts | ceph osd tree down",
            "why the daemon stopped | journalctl -u ceph-osd@ID",
        ),
        _c(
            "OSD_<crush type>_DOWN",
            "osdmap",
            W,
            1,
            "Every OSD under one CRUSH bucket (a host, a rack, the root...) is down, e.g. "
            "OSD_HOST_DOWN: usually the host or its network is down, not the disks.",
            "某个 CRUSH 桶（主机、机架、根……）下的所有 OSD 都已 down，例如 OSD_HOST_DOWN：通常是主机或其网络故障，而非磁盘。",
            "which bucket | ceph osd tree down",
        ),
        _c(
            "OSD_ORPHAN",
            "osdmap",
            W,
            3,
            "The CRUSH map names an OSD that does not exist.",
            "CRUSH 映射中引用了一个不存在的 OSD。",
            "remove it from CRUSH | ceph osd crush rm osd.ID",
        ),
        _c(
            "OSD_OUT_OF_ORDER_FULL",
            "osdmap",
            E,
            0,
            "The fullness ratios are not ascending (nearfull < backfillfull < full < "
            "failsafe_full), so the warnings come in the wrong order or not at all.",
            "容量阈值不是递增的（应为 nearfull < backfillfull < full < failsafe_full），告警顺序会错乱或缺失。",
            "the ratios now | ceph osd dump | grep ratio",
            "put them in order, e.g. the defaults | ceph osd set-nearfull-ratio 0.85",
            "put them in order, e.g. the defaults | ceph osd set-backfillfull-ratio 0.90",
            "put them in order, e.g. the defaults | ceph osd set-full-ratio 0.95",
        ),
        _c(
            "OSD_FULL",
            "osdmap",
            E,
            0,
            "OSDs are above the full ratio: the cluster refuses writes to the pools on them.",
            "有 OSD 超过了 full 比例：集群拒绝向其上的存储池写入。",
            *_FULLNESS,
            "if the ratio was lowered, the default again | ceph osd set-full-ratio 0.95",
            "only to unblock writes briefly, a little higher | ceph osd set-full-ratio 0.96",
            *_FOR_GOOD,
        ),
        _c(
            "OSD_BACKFILLFULL",
            "osdmap",
            W,
            1,
            "OSDs are above the backfillfull ratio: no data will be backfilled onto them, "
            "so rebalancing and recovery towards them stall.",
            "有 OSD 超过了 backfillfull 比例：不会再向其回填数据，指向它们的再平衡和恢复会停滞。",
            *_FULLNESS,
            "if the ratio was lowered, the default again | ceph osd set-backfillfull-ratio 0.90",
            *_FOR_GOOD,
        ),
        _c(
            "OSD_NEARFULL",
            "osdmap",
            W,
            2,
            "OSDs are above the nearfull ratio: an early warning that they are filling up.",
            "有 OSD 超过了 nearfull 比例：这是容量即将用满的早期警告。",
            *_FULLNESS,
            "if the ratio was lowered, the default again | ceph osd set-nearfull-ratio 0.85",
            *_FOR_GOOD,
        ),
        _c(
            "OSDMAP_FLAGS",
            "osdmap",
            W,
            1,
            "Cluster-wide flags are set that change normal behaviour: full, pauserd/pausewr "
            "(IO paused), noup, nodown, noin, noout (down OSDs are never marked out, so no "
            "recovery starts), nobackfill/norecover/norebalance, noscrub/nodeep-scrub.",
            "设置了改变正常行为的集群标志：full、pauserd/pausewr（暂停 IO）、noup、nodown、noin、"
            "noout（down 的 OSD 不会被标记为 out，因此不会开始恢复）、nobackfill/norecover/norebalance、noscrub/nodeep-scrub。",
            "which flags | ceph osd dump | grep flags",
            "clear a flag when its maintenance is done | ceph osd unset FLAG",
        ),
        _c(
            "OSD_FLAGS",
            "osdmap",
            W,
            1,
            "Some OSDs, CRUSH buckets or device classes carry noup, nodown, noin or noout.",
            "部分 OSD、CRUSH 桶或设备类带有 noup、nodown、noin 或 noout 标志。",
            "which ones | ceph health detail",
            "clear them when done | ceph osd unset-group FLAGS WHO",
        ),
        _c(
            "OLD_CRUSH_TUNABLES",
            "osdmap",
            W,
            3,
            "The CRUSH tunables are older than mon_crush_min_required_version.",
            "CRUSH 可调参数旧于 mon_crush_min_required_version。",
            "the tunables | ceph osd crush show-tunables",
        ),
        _c(
            "OLD_CRUSH_STRAW_CALC_VERSION",
            "osdmap",
            W,
            3,
            "CRUSH uses the old straw_calc_version 0 for straw buckets.",
            "CRUSH 对 straw 桶仍使用旧的 straw_calc_version 0。",
            "the tunables | ceph osd crush show-tunables",
        ),
        _c(
            "CACHE_POOL_NO_HIT_SET",
            "osdmap",
            W,
            3,
            "A cache-tier pool has no hit set, so the tiering agent cannot tell cold objects.",
            "某个缓存层存储池没有配置 hit set，分层代理无法识别冷对象。",
            "configure one | ceph osd pool set POOL hit_set_type bloom",
        ),
        _c(
            "OSD_NO_SORTBITWISE",
            "osdmap",
            W,
            3,
            "The sortbitwise flag is not set although no pre-Luminous OSD runs.",
            "虽然没有 Luminous 之前的 OSD 在运行，但未设置 sortbitwise 标志。",
            "set it | ceph osd set sortbitwise",
        ),
        _c(
            "OSD_FILESTORE",
            "doc only",
            W,
            3,
            "OSDs run the deprecated FileStore back end (must move to BlueStore before Reef).",
            "有 OSD 使用已弃用的 FileStore 后端（升级到 Reef 前须迁移到 BlueStore）。",
            "which OSDs | ceph osd count-metadata osd_objectstore",
        ),
        _c(
            "OSD_UPGRADE_FINISHED",
            "osdmap",
            W,
            3,
            "All OSDs run the new release but require_osd_release still names the old one.",
            "所有 OSD 已运行新版本，但 require_osd_release 仍是旧版本。",
            "finish the upgrade | ceph osd require-osd-release pacific",
        ),
        _c(
            "OSD_SLOW_PING_TIME_BACK",
            "mgr",
            W,
            2,
            "Heartbeats between OSDs on the cluster (back) network take longer than "
            "mon_warn_on_slow_ping_time: a slow or lossy network.",
            "OSD 之间在集群（back）网络上的心跳耗时超过 mon_warn_on_slow_ping_time：网络慢或丢包。",
            "the slow pairs | ceph daemon mgr.ID dump_osd_network",
        ),
        _c(
            "OSD_SLOW_PING_TIME_FRONT",
            "mgr",
            W,
            2,
            "Heartbeats between OSDs on the public (front) network take longer than "
            "mon_warn_on_slow_ping_time.",
            "OSD 之间在公共（front）网络上的心跳耗时超过 mon_warn_on_slow_ping_time。",
            "the slow pairs | ceph daemon mgr.ID dump_osd_network",
        ),
        _c(
            "BLUEFS_SPILLOVER",
            "osd",
            W,
            3,
            "BlueStore metadata outgrew the fast DB device and spilled onto the slow one.",
            "BlueStore 元数据超出了快速 DB 设备的容量，溢出到了慢速设备上。",
            "which OSDs | ceph health detail",
        ),
        _c(
            "BLUEFS_AVAILABLE_SPACE",
            "doc only",
            W,
            3,
            "How much space BlueFS has free and can still take from BlueStore.",
            "BlueFS 的可用空间以及还能从 BlueStore 获得的空间。",
            "the free space | ceph daemon osd.ID bluestore bluefs available",
        ),
        _c(
            "BLUEFS_LOW_SPACE",
            "doc only",
            W,
            3,
            "BlueFS is low on free space and BlueStore has little left to give it.",
            "BlueFS 可用空间不足，且 BlueStore 能提供的空间也很少。",
            "the free space | ceph daemon osd.ID bluestore bluefs available",
        ),
        _c(
            "BLUESTORE_FRAGMENTATION",
            "doc only",
            W,
            3,
            "BlueStore's free space is badly fragmented, which slows allocation.",
            "BlueStore 的空闲空间碎片化严重，分配变慢。",
            "the score, 0 to 1 | ceph daemon osd.ID bluestore allocator score block",
        ),
        _c(
            "BLUESTORE_LEGACY_STATFS",
            "osd",
            W,
            3,
            "OSDs created before Nautilus do not track usage per pool, so `ceph df` is off.",
            "Nautilus 之前创建的 OSD 不按存储池统计用量，`ceph df` 不准确。",
            "convert, one stopped OSD at a time | ceph-bluestore-tool repair --path /var/lib/ceph/osd/ceph-ID",
        ),
        _c(
            "BLUESTORE_NO_PER_POOL_OMAP",
            "osd",
            W,
            3,
            "OSDs created before Octopus do not track omap usage per pool.",
            "Octopus 之前创建的 OSD 不按存储池统计 omap 用量。",
            "convert, one stopped OSD at a time | ceph-bluestore-tool repair --path /var/lib/ceph/osd/ceph-ID",
        ),
        _c(
            "BLUESTORE_NO_PER_PG_OMAP",
            "osd",
            W,
            3,
            "OSDs created before Pacific do not track omap usage per PG (slower PG removal).",
            "Pacific 之前创建的 OSD 不按 PG 统计 omap 用量（删除 PG 较慢）。",
            "convert, one stopped OSD at a time | ceph-bluestore-tool repair --path /var/lib/ceph/osd/ceph-ID",
        ),
        _c(
            "BLUESTORE_DISK_SIZE_MISMATCH",
            "osd",
            W,
            2,
            "A BlueStore OSD's recorded device size differs from the real one; it may crash later.",
            "BlueStore OSD 记录的设备大小与实际不符，之后可能崩溃。",
            "drain it, then redeploy it | ceph osd out osd.ID",
            "wait until it is safe | ceph osd safe-to-destroy osd.ID",
        ),
        _c(
            "BLUESTORE_NO_COMPRESSION",
            "osd",
            W,
            3,
            "An OSD cannot load its BlueStore compression plugin (broken install or not restarted).",
            "某个 OSD 无法加载 BlueStore 压缩插件（安装损坏或升级后未重启）。",
            "check the packages, then restart it | systemctl restart ceph-osd@ID",
        ),
        _c(
            "BLUESTORE_SPURIOUS_READ_ERRORS",
            "osd",
            W,
            2,
            "BlueStore had to retry reads on the main device: possibly failing hardware.",
            "BlueStore 不得不重试主设备上的读取：硬件可能有问题。",
            "the host's kernel log | dmesg -T",
        ),
        # ------------------------------------------------------------------ device health
        _c(
            "DEVICE_HEALTH",
            "mgr/devicehealth",
            W,
            1,
            "A device of an in OSD is predicted to fail soon.",
            "某个处于 in 状态的 OSD 的设备预计即将故障。",
            "the prediction | ceph device ls",
            "move the data off it | ceph osd out osd.ID",
        ),
        _c(
            "DEVICE_HEALTH_IN_USE",
            "mgr/devicehealth",
            W,
            1,
            "A failing device was marked out but its OSD still holds PGs (migration is "
            "running, or cannot finish).",
            "即将故障的设备已被标记为 out，但其 OSD 上仍有 PG（迁移进行中或无法完成）。",
            "what still maps there | ceph pg ls-by-osd osd.ID",
        ),
        _c(
            "DEVICE_HEALTH_TOOMANY",
            "mgr/devicehealth",
            W,
            1,
            "So many devices are predicted to fail that marking them all out would go below "
            "mon_osd_min_in_ratio.",
            "预计故障的设备过多，全部标记为 out 会低于 mon_osd_min_in_ratio。",
            "the predictions | ceph device ls",
            "add healthy OSDs before more devices fail | ceph-volume lvm create --data /dev/DEVICE",
        ),
        # ------------------------------------------------------------------ data health
        _c(
            "PG_AVAILABILITY",
            "mgr",
            W,
            0,
            "Some PGs cannot serve IO (inactive, peering, stale, down or incomplete for "
            "longer than mon_pg_stuck_threshold): clients block on their objects.",
            "部分 PG 无法处理 IO（inactive、peering、stale、down 或 incomplete 超过 mon_pg_stuck_threshold）："
            "客户端访问其对象时会阻塞。",
            "which PGs and their current states | ceph health detail",
            "usually an OSD is down | ceph osd tree down",
            "one PG: what blocks it | ceph pg PGID query",
        ),
        _c(
            "PG_DEGRADED",
            "mgr",
            W,
            1,
            "Some data has fewer copies than the pool's size (PGs degraded or undersized, "
            "or not clean for too long).",
            "部分数据的副本数少于存储池的 size（PG 处于 degraded 或 undersized，或长时间不 clean）。",
            "which PGs and their current states | ceph health detail",
            "usually an OSD is down | ceph osd tree down",
        ),
        _c(
            "PG_RECOVERY_FULL",
            "mgr",
            E,
            0,
            "Recovery is blocked (recovery_toofull) because target OSDs are above the full ratio.",
            "由于目标 OSD 超过 full 比例，恢复被阻塞（recovery_toofull）。",
            *_FULLNESS,
        ),
        _c(
            "PG_BACKFILL_FULL",
            "mgr",
            W,
            1,
            "Backfill is blocked (backfill_toofull) because target OSDs are above the "
            "backfillfull ratio.",
            "由于目标 OSD 超过 backfillfull 比例，回填被阻塞（backfill_toofull）。",
            *_FULLNESS,
        ),
        _c(
            "PG_DAMAGED",
            "mgr",
            E,
            0,
            "Scrub found inconsistent copies (or a snaptrim error, or unfound objects after "
            "recovery) in some PGs, or a repair is running.",
            "清洗发现部分 PG 的副本不一致（或快照修剪出错、恢复后有未找到的对象），或正在修复。",
            "which PGs | ceph health detail",
            "which object and shard | rados list-inconsistent-obj PGID --format=json-pretty",
            "rewrite the bad copy from the good one | ceph pg repair PGID",
        ),
        _c(
            "OSD_SCRUB_ERRORS",
            "mgr",
            E,
            0,
            "Scrubs found errors (counted over all PGs); it comes with PG_DAMAGED.",
            "清洗发现了错误（所有 PG 的总数），通常与 PG_DAMAGED 同时出现。",
            "which PGs are inconsistent | ceph health detail",
        ),
        _c(
            "OSD_TOO_MANY_REPAIRS",
            "mgr",
            W,
            2,
            "An OSD repaired more reads than mon_osd_warn_num_repaired (10): its disk may be failing.",
            "某个 OSD 修复的读取次数超过 mon_osd_warn_num_repaired（10）：其磁盘可能正在损坏。",
            "the host's kernel log | dmesg -T",
        ),
        _c(
            "LARGE_OMAP_OBJECTS",
            "mgr",
            W,
            3,
            "Deep scrub found objects with very many omap keys or bytes (often RGW bucket "
            "indexes without resharding).",
            "深度清洗发现了 omap 键或字节数过多的对象（常见于未重新分片的 RGW 桶索引）。",
            "which objects: the cluster log | grep 'Large omap object found' /var/log/ceph/ceph.log",
        ),
        _c(
            "CACHE_POOL_NEAR_FULL",
            "mgr",
            W,
            2,
            "A cache-tier pool is near its target_max_bytes or target_max_objects.",
            "某个缓存层存储池接近其 target_max_bytes 或 target_max_objects。",
            "raise the target | ceph osd pool set POOL target_max_bytes BYTES",
        ),
        _c(
            "TOO_FEW_PGS",
            "mgr",
            W,
            3,
            "Fewer PGs per in OSD than mon_pg_warn_min_per_osd: data spreads unevenly.",
            "每个 in 的 OSD 上的 PG 数少于 mon_pg_warn_min_per_osd：数据分布不均。",
            "pg_num per pool | ceph osd pool ls detail",
        ),
        _c(
            "POOL_PG_NUM_NOT_POWER_OF_TWO",
            "osdmap",
            W,
            3,
            "A pool's pg_num is not a power of two, so some PGs hold twice as much data.",
            "某个存储池的 pg_num 不是 2 的幂，部分 PG 的数据量是其他的两倍。",
            "set a nearby power of two | ceph osd pool set POOL pg_num N",
        ),
        _c(
            "POOL_TOO_FEW_PGS",
            "mgr/pg_autoscaler",
            W,
            3,
            "The autoscaler (mode warn) thinks a pool needs more PGs for its data.",
            "自动伸缩器（warn 模式）认为某个存储池的数据量需要更多 PG。",
            "the recommendation | ceph osd pool autoscale-status",
            "let it act | ceph osd pool set POOL pg_autoscale_mode on",
        ),
        _c(
            "TOO_MANY_PGS",
            "mgr",
            W,
            3,
            "More PGs per in OSD than mon_max_pg_per_osd: new pools and pg_num increases are refused.",
            "每个 in 的 OSD 上的 PG 数超过 mon_max_pg_per_osd：新建存储池和增加 pg_num 会被拒绝。",
            "out OSDs that could come back in | ceph osd tree",
            "add OSDs, or mark out OSDs in | ceph osd in ID",
        ),
        _c(
            "POOL_TOO_MANY_PGS",
            "mgr/pg_autoscaler",
            W,
            3,
            "The autoscaler (mode warn) thinks a pool has more PGs than its data needs.",
            "自动伸缩器（warn 模式）认为某个存储池的 PG 多于其数据所需。",
            "the recommendation | ceph osd pool autoscale-status",
        ),
        _c(
            "POOL_TARGET_SIZE_BYTES_OVERCOMMITTED",
            "mgr/pg_autoscaler",
            W,
            3,
            "Pools' target_size_bytes add up to more than the cluster's capacity.",
            "各存储池的 target_size_bytes 之和超过了集群容量。",
            "lower or clear it | ceph osd pool set POOL target_size_bytes 0",
        ),
        _c(
            "POOL_HAS_TARGET_SIZE_BYTES_AND_RATIO",
            "mgr/pg_autoscaler",
            W,
            3,
            "A pool has both target_size_bytes and target_size_ratio; the ratio wins.",
            "某个存储池同时设置了 target_size_bytes 和 target_size_ratio，以比例为准。",
            "clear the bytes | ceph osd pool set POOL target_size_bytes 0",
        ),
        _c(
            "TOO_FEW_OSDS",
            "mgr",
            W,
            1,
            "Fewer OSDs exist than osd_pool_default_size: new pools cannot get all their copies.",
            "OSD 数量少于 osd_pool_default_size：新建的存储池无法放下所有副本。",
            "the OSDs | ceph osd tree",
        ),
        _c(
            "SMALLER_PGP_NUM",
            "mgr",
            W,
            3,
            "A pool's pgp_num is below its pg_num: PGs were split but not yet placed apart.",
            "某个存储池的 pgp_num 小于 pg_num：PG 已分裂但尚未重新放置。",
            "match it | ceph osd pool set POOL pgp_num N",
        ),
        _c(
            "MANY_OBJECTS_PER_PG",
            "mgr",
            W,
            3,
            "A pool has many more objects per PG than the cluster average "
            "(mon_pg_warn_max_object_skew): it needs more PGs.",
            "某个存储池每个 PG 的对象数远高于集群平均值（mon_pg_warn_max_object_skew）：需要更多 PG。",
            "pg_num per pool | ceph osd pool ls detail",
        ),
        _c(
            "POOL_APP_NOT_ENABLED",
            "mgr",
            W,
            3,
            "A pool holds objects but no application (rbd, rgw, cephfs...) is enabled on it.",
            "某个存储池中有对象，但未启用任何应用（rbd、rgw、cephfs……）。",
            "tag it | ceph osd pool application enable POOL APP",
        ),
        _c(
            "POOL_FULL",
            "osdmap",
            WE,
            0,
            'A pool accepts no more writes: it reached its quota ("running out of quota") or '
            'its OSDs are full ("no space"), both a warning from the OSDMap; the PGMap raises '
            "it as an error when usage passes mon_pool_quota_crit_threshold of the quota.",
            "某个存储池不再接受写入：已达到配额（running out of quota）或其 OSD 已满（no space），"
            "两者都由 OSDMap 以警告报告；用量超过配额的 mon_pool_quota_crit_threshold 时 PGMap 以错误报告。",
            "its quota and usage | ceph osd pool get-quota POOL",
            "raise or remove (0) the quota | ceph osd pool set-quota POOL max_objects N",
            "the same for a byte quota | ceph osd pool set-quota POOL max_bytes BYTES",
            "or delete data from it: its objects | rados -p POOL ls",
        ),
        _c(
            "POOL_NEAR_FULL",
            "mgr",
            W,
            2,
            "A pool is close to its quota (mon_pool_quota_warn_threshold); at "
            "mon_pool_quota_crit_threshold it is reported as POOL_FULL.",
            "某个存储池接近其配额（mon_pool_quota_warn_threshold）；达到 mon_pool_quota_crit_threshold 时报告为 POOL_FULL。",
            "its quota and usage | ceph osd pool get-quota POOL",
            "raise the quota | ceph osd pool set-quota POOL max_bytes BYTES",
        ),
        _c(
            "POOL_NEARFULL",
            "osdmap",
            W,
            2,
            "A pool lives on OSDs above the nearfull ratio.",
            "某个存储池所在的 OSD 超过了 nearfull 比例。",
            *_FULLNESS,
        ),
        _c(
            "POOL_BACKFILLFULL",
            "osdmap",
            W,
            1,
            "A pool lives on OSDs above the backfillfull ratio.",
            "某个存储池所在的 OSD 超过了 backfillfull 比例。",
            *_FULLNESS,
        ),
        _c(
            "POOL_NO_REDUNDANCY",
            "osdmap",
            W,
            2,
            "A pool has size 1: one lost OSD loses its data.",
            "某个存储池的 size 为 1：丢失一个 OSD 就会丢失其数据。",
            "give it copies | ceph osd pool set POOL size 3",
        ),
        _c(
            "POOL_SCRUB_FLAGS",
            "osdmap",
            W,
            3,
            "A pool has noscrub or nodeep-scrub set, so errors in it go unnoticed.",
            "某个存储池设置了 noscrub 或 nodeep-scrub，其中的错误不会被发现。",
            "clear it (and nodeep-scrub likewise) | ceph osd pool set POOL noscrub false",
        ),
        _c(
            "OBJECT_MISPLACED",
            "mgr",
            W,
            2,
            "Objects are not yet where CRUSH wants them (after a map change); all copies still "
            "exist, backfill moves them.",
            "部分对象尚未位于 CRUSH 期望的位置（映射变化后）；所有副本仍存在，回填会移动它们。",
            "progress | ceph -s",
        ),
        _c(
            "OBJECT_UNFOUND",
            "mgr",
            W,
            0,
            "The OSDs know a newer version of some objects exists but no up OSD has it; IO "
            "to those objects blocks.",
            "OSD 知道某些对象存在更新的版本，但没有任何 up 的 OSD 持有它；访问这些对象的 IO 会阻塞。",
            "which objects | ceph pg PGID list_unfound",
            "which down OSDs might have them | ceph pg PGID query",
            "last resort, loses writes | ceph pg PGID mark_unfound_lost revert",
        ),
        _c(
            "SLOW_OPS",
            "mgr",
            W,
            1,
            "Requests to an OSD or monitor have been blocked longer than "
            "osd_op_complaint_time (30 s): overload, a slow disk, or a stuck peer.",
            "发往 OSD 或监视器的请求阻塞时间超过 osd_op_complaint_time（30 秒）：过载、磁盘慢或对端卡住。",
            "the blocked requests, on the daemon's host | ceph daemon osd.ID ops",
            "the slowest recent ones | ceph daemon osd.ID dump_historic_ops",
        ),
        _c(
            "REQUEST_SLOW",
            "mgr",
            W,
            1,
            "(Legacy, pre-Octopus OSDs) requests blocked longer than osd_op_complaint_time.",
            "（旧版，Octopus 之前的 OSD）请求阻塞时间超过 osd_op_complaint_time。",
            "the blocked requests | ceph daemon osd.ID ops",
        ),
        _c(
            "REQUEST_STUCK",
            "mgr",
            E,
            0,
            "(Legacy, pre-Octopus OSDs) requests blocked far longer (mon_osd_blocked_op_age "
            "times osd_op_complaint_time).",
            "（旧版，Octopus 之前的 OSD）请求阻塞时间极长（mon_osd_blocked_op_age 倍的 osd_op_complaint_time）。",
            "the blocked requests | ceph daemon osd.ID ops",
        ),
        _c(
            "PG_NOT_SCRUBBED",
            "mgr",
            W,
            3,
            "PGs have not been scrubbed within osd_scrub_max_interval (plus "
            "mon_warn_pg_not_scrubbed_ratio); only clean PGs scrub.",
            "部分 PG 未在 osd_scrub_max_interval（加 mon_warn_pg_not_scrubbed_ratio）内完成清洗；只有 clean 的 PG 才会清洗。",
            "scrub one now | ceph pg scrub PGID",
        ),
        _c(
            "PG_NOT_DEEP_SCRUBBED",
            "mgr",
            W,
            3,
            "PGs have not been deep-scrubbed within osd_deep_scrub_interval (plus "
            "mon_warn_pg_not_deep_scrubbed_ratio).",
            "部分 PG 未在 osd_deep_scrub_interval（加 mon_warn_pg_not_deep_scrubbed_ratio）内完成深度清洗。",
            "deep-scrub one now | ceph pg deep-scrub PGID",
        ),
        _c(
            "PG_SLOW_SNAP_TRIMMING",
            "mgr",
            W,
            2,
            "A PG's snapshot trim queue is longer than mon_osd_snap_trim_queue_warn_on (32768).",
            "某个 PG 的快照修剪队列长于 mon_osd_snap_trim_queue_warn_on（32768）。",
            "the queue lengths (snaptrimq_len) | ceph pg ls -f json-detail",
        ),
        # ------------------------------------------------------------------ stretch mode
        _c(
            "INCORRECT_NUM_BUCKETS_STRETCH_MODE",
            "osdmap",
            W,
            1,
            "Stretch mode is on but there are not exactly two dividing buckets with OSDs.",
            "已启用延伸模式（stretch mode），但含 OSD 的划分桶不是恰好两个。",
            "the buckets | ceph osd tree",
        ),
        _c(
            "UNEVEN_WEIGHTS_STRETCH_MODE",
            "osdmap",
            W,
            2,
            "Stretch mode is on but its two dividing buckets have different weights.",
            "已启用延伸模式，但两个划分桶的权重不同。",
            "the weights | ceph osd tree",
        ),
        _c(
            "MON_LOCATION_NOT_SET",
            "osdmap",
            W,
            2,
            "Stretch mode is on but a monitor has no location (crush_location) set.",
            "已启用延伸模式，但某个监视器未设置位置（crush_location）。",
            "set it | ceph mon set_location ID datacenter=SITE",
        ),
        _c(
            "DEGRADED_STRETCH_MODE",
            "osdmap",
            W,
            1,
            "Stretch mode lost one site and runs degraded (fewer copies, min_size lowered).",
            "延伸模式失去了一个站点，正以降级方式运行（副本较少，min_size 已降低）。",
            "the down site | ceph osd tree down",
        ),
        _c(
            "RECOVERING_STRETCH_MODE",
            "osdmap",
            W,
            2,
            "Stretch mode got its lost site back and is recovering onto it.",
            "延伸模式的失联站点已恢复，正在向其恢复数据。",
            "progress | ceph -s",
        ),
        # ------------------------------------------------------------------ miscellaneous
        _c(
            "RECENT_CRASH",
            "mgr/crash",
            W,
            2,
            "A daemon crashed recently (mgr/crash/warn_recent_interval, two weeks) and the "
            "crash is not archived.",
            "有守护进程最近崩溃过（mgr/crash/warn_recent_interval，两周内），且该崩溃尚未归档。",
            "the new crashes | ceph crash ls-new",
            "one crash | ceph crash info CRASH_ID",
            "acknowledge it once understood | ceph crash archive CRASH_ID",
        ),
        _c(
            "RECENT_MGR_MODULE_CRASH",
            "doc only",
            W,
            2,
            "A mgr module crashed recently and the crash is not archived.",
            "某个 mgr 模块最近崩溃过，且该崩溃尚未归档。",
            "the new crashes | ceph crash ls-new",
        ),
        _c(
            "TELEMETRY_CHANGED",
            "mgr/telemetry",
            W,
            3,
            "The telemetry report gained new fields since it was enabled; it is not sent "
            "until re-enabled.",
            "遥测报告自启用以来新增了字段；在重新启用前不会发送。",
            "review it | ceph telemetry show",
            "re-enable (or `ceph telemetry off`) | ceph telemetry on",
        ),
        _c(
            "AUTH_BAD_CAPS",
            "mon",
            E,
            0,
            "A user's capabilities cannot be parsed, so it may be refused by some daemons.",
            "某个用户的权限（caps）无法解析，部分守护进程可能拒绝它。",
            "the user's caps | ceph auth get ENTITY",
            "fix them | ceph auth caps ENTITY mon 'allow r'",
        ),
        _c(
            "OSD_NO_DOWN_OUT_INTERVAL",
            "mon",
            W,
            2,
            "mon_osd_down_out_interval is 0: down OSDs are never marked out, so no recovery "
            "starts by itself.",
            "mon_osd_down_out_interval 为 0：down 的 OSD 永远不会被标记为 out，恢复不会自动开始。",
            "set a delay again (600 s is the default) | ceph config set mon mon_osd_down_out_interval 600",
        ),
        _c(
            "DASHBOARD_DEBUG",
            "mgr/dashboard",
            W,
            3,
            "The dashboard's debug mode is on: error replies carry Python tracebacks.",
            "仪表板（dashboard）的调试模式已开启：错误响应中包含 Python 回溯信息。",
            "turn it off | ceph dashboard debug disable",
        ),
    )
}

# OSDMap::check_health raises OSD_<TYPE>_DOWN for every CRUSH type (host, rack, root...).
_SUBTREE_DOWN = re.compile(r"^OSD_[A-Z0-9]+_DOWN$")


def lookup_check(code: str) -> Check | None:
    """A health check by code; ``OSD_HOST_DOWN``, ``OSD_RACK_DOWN``… map to the subtree entry."""
    if code in CHECKS:
        return CHECKS[code]
    return CHECKS["OSD_<crush type>_DOWN"] if _SUBTREE_DOWN.match(code) else None
