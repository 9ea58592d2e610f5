"""Chinese for what the Ceph doctor and chapter 07 print (see :mod:`infranotes.i18n`).

``tr`` holds the templates the code writes itself. The data tables below translate English
that lives in data: the "why" of every step in :data:`~infranotes.ceph.checks.CHECKS`, the
doctor's one-phrase reading of each state, what to check for a state that needs an operator,
the severities, and the names of the lab's stages. tests/ceph/test_zh_output.py holds each of
them complete against its English source.
"""

from infranotes.i18n import Messages

tr = Messages(
    {
        # doctor: sentences it composes
        "{n} OSD(s)": "{n} 个 OSD",
        "noout is set with {osds} down: a down OSD is never marked out, so no recovery to other "
        "OSDs starts; the PGs stay undersized until it is back": "设置了 noout 且 {osds} 已停止："
        "停止的 OSD 永远不会被标记为 out，因此不会开始向其他 OSD 的恢复；在它回来之前，"
        "这些 PG 一直处于 undersized",
        "noout with {osds} down: which, on which host": "noout 且 {osds} 已停止：是哪些，在哪台主机上",
        "noout: clear it when the maintenance is done": "noout：维护结束后清除它",
        "{osds} down but not yet out: recovery onto other OSDs starts only once it is marked out "
        "(mon_osd_down_out_interval, 600 s by default), and only if enough OSDs remain in for "
        "the pool's size": "{osds} 已停止但尚未 out：只有在它被标记为 out 之后（"
        "mon_osd_down_out_interval，默认 600 s），并且剩下的 in 状态 OSD 足以满足存储池的 size 时，"
        "才会开始向其他 OSD 恢复",
        "the norecover flag suspends recovery": "norecover 标志暂停了恢复",
        "the nobackfill flag suspends backfill": "nobackfill 标志暂停了回填",
        "the pause flags stop all IO": "pause 标志停止了所有 IO",
        "the pauserd flag stops reads": "pauserd 标志停止了读",
        "the pausewr flag stops writes": "pausewr 标志停止了写",
        "{flag}: clear it when done": "{flag}：用完后清除它",
        "clear {flag} when its work is done": "{flag} 的工作完成后清除它",
        "OSDs are above the full ratio: recovery onto them waits": "OSD 超过了 full 比例：向它们的恢复只能等待",
        "OSDs are above the backfillfull ratio: backfill onto them waits": "OSD 超过了 backfillfull "
        "比例：向它们的回填只能等待",
        "{osds} marked out while up: CRUSH finds only {up} OSDs in for PGs that keep {copies} "
        "copies (pg {pgid}: up {up_set}, acting {acting_set}), fewer OSDs in than the pool's "
        "size, so {remapped} remapped PGs keep their old acting set (pg_temp) and the remap can "
        "never complete; nothing moves until it is marked in again (or OSDs are added)": "{osds} "
        "在运行时被标记为 out：对于保存 {copies} 份副本的 PG，CRUSH 只找到 {up} 个 in 状态的 OSD"
        "（pg {pgid}：up {up_set}，acting {acting_set}），少于存储池的 size，因此 {remapped} 个 "
        "remapped 的 PG 保留旧的 acting 集合（pg_temp），重映射永远无法完成；在它重新标记为 in"
        "（或加入新的 OSD）之前，数据不会移动",
        "{osds} out but up: which (REWEIGHT 0 in the tree); with fewer OSDs in than a pool's size "
        "its remap cannot complete": "{osds} 已 out 但仍在运行：是哪些（树中 REWEIGHT 为 0）；"
        "in 状态的 OSD 少于存储池的 size 时，重映射无法完成",
        "osd.{osd} out but up: mark it in again": "osd.{osd} 已 out 但仍在运行：把它重新标记为 in",
        "an OSD out but up: mark it in again": "某个 OSD 已 out 但仍在运行：把它重新标记为 in",
        "peered PGs: fewer copies than the pool's min_size, so no IO; size and min_size per pool": "peered 的 PG：副本数少于存储池的 min_size，因此没有 IO；查看每个存储池的 size 和 min_size",
        "peered PGs: bring back the missing OSDs": "peered 的 PG：把缺失的 OSD 找回来",
        "an OSD is down: which one, on which host": "有 OSD 停止了：是哪一个，在哪台主机上",
        "the PGs it held and their states": "它承载的 PG 及其状态",
        "which object and shard disagree": "哪个对象、哪个分片不一致",
        "rewrite the bad copy from the authoritative one": "用权威副本重写损坏的那一份",
        "PGs stuck for longer than mon_pg_stuck_threshold": "卡住超过 mon_pg_stuck_threshold 的 PG",
        "recovery and backfill progress": "恢复与回填的进度",
        "one PG in detail: its up and acting sets, recovery state, blockers": "详细查看一个 PG："
        "它的 up 与 acting 集合、恢复状态、阻塞原因",
        # chapter 07: tables
        "no PGs": "没有 PG",
        "{n} {state}": "{n} 个 {state}",
        "state": "状态",
        "meaning": "含义",
        "severity": "严重程度",
        "step": "步骤",
        "seconds": "秒",
        "health": "健康状态",
        "settled PG states": "稳定后的 PG 状态",
        "states seen on the way": "途中出现的状态数",
        "stage": "阶段",
        "health checks": "健康检查",
        "check": "检查",
        "raised by": "由谁发出",
        "raised as": "发出级别",
        "summary": "摘要（Ceph 原文）",
        "run": "执行",
        "why": "原因",
        "PGs": "PG 数",
        "in words": "含义",
        "doc only": "仅见于文档",
        "whole run {seconds:.0f} s, peak memory of the five daemons {mib:.0f} MiB": "整个运行 {seconds:.0f} s，五个守护进程的内存峰值 {mib:.0f} MiB",
        # cli/ceph.py: ceph explain --lang zh
        "(no health in this document)": "（该文档中没有健康状态）",
        "(not a Ceph 16 check code this tool knows)": "（不是本工具已知的 Ceph 16 检查代码）",
        "no recovery can start: {why}": "无法开始恢复：{why}",
    }
)

#: The doctor's short reading of each state component (doctor.PHRASES), in Chinese.
PHRASES_ZH = {
    "active": "正在处理读写",
    "clean": "副本完整",
    "undersized": "副本数少于存储池的 size",
    "degraded": "部分对象未达到完整冗余（降级）",
    "peering": "其 OSD 正在就它的历史达成一致",
    "activating": "即将变为 active",
    "creating": "正在创建",
    "stale": "最近没有收到其 OSD 的报告",
    "remapped": "暂时放在其他 OSD 上",
    "recovery_wait": "排队等待恢复",
    "recovering": "正在根据日志恢复对象",
    "backfill_wait": "排队等待回填",
    "backfilling": "正在整体复制（回填）",
    "scrubbing": "正在清洗",
    "deep": "正在用校验和核对（深度清洗）",
    "inconsistent": "副本之间不一致",
    "repair": "正在修复",
    "down": "离线：持有所需数据的 OSD 已停止",
    "incomplete": "历史缺失，离线",
    "unknown": "尚未向 mgr 报告",
    "peered": "已完成 peering 但低于 min_size，没有 IO",
}

#: Severities of the PG state glossary (glossary.State.severity).
SEVERITY_ZH = {"healthy": "健康", "transient": "暂时", "action": "需处理"}

#: For a state that needs an operator, what the doctor says before the commands it names
#: (the part of glossary.State.check before the first colon), by state.
STATE_WHY_ZH = {
    "down": "让 ceph pg PGID query 中列出的 OSD（down_osds_we_would_probe）恢复运行",
    "recovery_toofull": "释放空间或增加容量",
    "recovery_unfound": "ceph pg PGID list_unfound；找回可能持有这些对象的 OSD，"
    "最后手段 ceph pg PGID mark_unfound_lost revert|delete。",
    "backfill_toofull": "释放空间或增加容量",
    "backfill_unfound": "ceph pg PGID list_unfound；找回可能持有这些对象的 OSD。",
    "incomplete": "ceph pg PGID query（peering_blocked_by）；启动其中列出的 OSD。",
    "stale": "持有它的 OSD 已停止或没有报告",
    "peered": "让 OSD 恢复运行，或（谨慎地）ceph osd pool set POOL min_size N。",
    "snaptrim_error": "ceph pg PGID query；主 OSD 的日志。",
    "failed_repair": "rados list-inconsistent-obj PGID；检查它列出的分片所在的磁盘。",
}

#: The lab's stage names (lab.MiniCluster.scenario and health_scenario).
STAGES_ZH = {
    "pool created": "创建存储池",
    "objects written": "写入对象",
    "osd.2 stopped": "停止 osd.2",
    "written while degraded": "降级时写入",
    "osd.2 restarted": "重启 osd.2",
    "replica corrupted offline": "离线损坏一个副本",
    "deep scrub": "深度清洗",
    "repair": "修复",
    "nearfull ratio lowered": "调低 nearfull 比例",
    "full ratios lowered": "调低 full 比例",
    "pool quota 94 %, warn threshold 80 %": "存储池配额用到 94 %，告警阈值 80 %",
    "pool quota reached": "存储池配额已满",
    "noout, osd.2 stopped": "设置 noout，停止 osd.2",
    "min_size 3 = size, osd.2 down": "min_size 3 = size，osd.2 停止",
    "osd.2 back, noout unset": "osd.2 恢复，清除 noout",
    "osd.1 out, still up": "osd.1 标记为 out，仍在运行",
}

#: The "why" of each step in checks.CHECKS (the text before " | " in its step strings).
STEPS_ZH = {
    "which daemon runs which version": "哪个守护进程运行哪个版本",
    "while an upgrade is paused on purpose": "在有意暂停升级期间",
    "which monitor, and the quorum": "哪个 monitor，以及仲裁（quorum）状态",
    "restart it on its host": "在它所在的主机上重启它",
    "the skew per monitor": "每个 monitor 的时钟偏差",
    "synchronise the hosts' clocks (chrony or ntpd)": "同步各主机的时钟（chrony 或 ntpd）",
    "add v2 addresses to monitors on the default port": "在默认端口上为 monitor 添加 v2 地址",
    "free space where the mon data lives": "释放 mon 数据所在位置的空间",
    "the database size": "数据库的大小",
    "compact the database": "压缩数据库",
    "which clients (global_id_status reclaim_insecure)": "哪些客户端（global_id_status "
    "reclaim_insecure）",
    "once every client is patched": "所有客户端都已打补丁之后",
    "the mgr map": "查看 mgr map",
    "which module and why": "哪个模块，为什么",
    "the error": "错误信息",
    "fail over to a standby mgr (restarts the modules)": "切换到备用 mgr（会重启各模块）",
    "which OSDs, on which hosts": "哪些 OSD，在哪些主机上",
    "why the daemon stopped": "守护进程为什么停止",
    "which bucket": "哪个 bucket",
    "remove it from CRUSH": "把它从 CRUSH 中移除",
    "the ratios now": "当前的比例",
    "put them in order, e.g. the defaults": "把它们调回正确的顺序，例如默认值",
    "usage per OSD, fullest first": "每个 OSD 的用量，最满的在前",
    "usage per pool": "每个存储池的用量",
    "the ratios now (defaults nearfull 0.85, backfillfull 0.90, full 0.95)": "当前的比例（默认 "
    "nearfull 0.85、backfillfull 0.90、full 0.95）",
    "if the ratio was lowered, the default again": "如果比例被调低过，改回默认值",
    "only to unblock writes briefly, a little higher": "仅为短时间解除写入阻塞，稍微调高一点",
    "for good, add capacity: a new OSD on a free device": "长久之计是增加容量：在空闲设备上新建 OSD",
    "or delete data no longer needed, biggest pools first": "或删除不再需要的数据，从最大的存储池开始",
    "which flags": "哪些标志",
    "clear a flag when its maintenance is done": "维护结束后清除对应标志",
    "which ones": "是哪些",
    "clear them when done": "完成后清除它们",
    "the tunables": "CRUSH 可调参数（tunables）",
    "configure one": "配置一个",
    "set it": "设置它",
    "which OSDs": "哪些 OSD",
    "finish the upgrade": "完成升级",
    "the slow pairs": "慢的那些 OSD 对",
    "the free space": "剩余空间",
    "the score, 0 to 1": "评分，0 到 1",
    "convert, one stopped OSD at a time": "转换，每次一个已停止的 OSD",
    "drain it, then redeploy it": "先把它排空，再重新部署",
    "wait until it is safe": "等到安全为止",
    "check the packages, then restart it": "检查软件包，然后重启它",
    "the host's kernel log": "主机的内核日志",
    "the prediction": "预测结果",
    "move the data off it": "把数据迁出它",
    "what still maps there": "还有哪些数据映射在那里",
    "the predictions": "各项预测结果",
    "add healthy OSDs before more devices fail": "在更多设备失效之前加入健康的 OSD",
    "which PGs and their current states": "哪些 PG，以及它们当前的状态",
    "usually an OSD is down": "通常是有 OSD 停止了",
    "one PG: what blocks it": "一个 PG：是什么阻塞了它",
    "which PGs": "哪些 PG",
    "which object and shard": "哪个对象、哪个分片",
    "rewrite the bad copy from the good one": "用好的副本重写损坏的那一份",
    "which PGs are inconsistent": "哪些 PG 不一致",
    "which objects: the cluster log": "哪些对象：看集群日志",
    "raise the target": "调高目标值",
    "pg_num per pool": "每个存储池的 pg_num",
    "set a nearby power of two": "设为附近的二的幂",
    "the recommendation": "建议值",
    "let it act": "让它自动调整",
    "out OSDs that could come back in": "可以重新 in 的 out 状态 OSD",
    "add OSDs, or mark out OSDs in": "加入 OSD，或把 out 的 OSD 重新标记为 in",
    "lower or clear it": "调低或清除它",
    "clear the bytes": "清除字节数设置",
    "the OSDs": "这些 OSD",
    "match it": "与之一致",
    "tag it": "给它打标签",
    "its quota and usage": "它的配额和用量",
    "raise or remove (0) the quota": "调高或取消（设为 0）配额",
    "the same for a byte quota": "字节配额同理",
    "or delete data from it: its objects": "或从中删除数据：它的对象",
    "raise the quota": "调高配额",
    "give it copies": "给它加上副本",
    "clear it (and nodeep-scrub likewise)": "清除它（nodeep-scrub 同理）",
    "progress": "进度",
    "which objects": "哪些对象",
    "which down OSDs might have them": "哪些已停止的 OSD 可能持有它们",
    "last resort, loses writes": "最后手段，会丢失写入",
    "the blocked requests, on the daemon's host": "被阻塞的请求，在该守护进程所在的主机上查看",
    "the slowest recent ones": "最近最慢的那些",
    "the blocked requests": "被阻塞的请求",
    "scrub one now": "立即清洗一个",
    "deep-scrub one now": "立即深度清洗一个",
    "the queue lengths (snaptrimq_len)": "队列长度（snaptrimq_len）",
    "the buckets": "各个 bucket",
    "the weights": "各项权重",
    "the down site": "停止的站点",
    "the new crashes": "新的崩溃记录",
    "one crash": "一条崩溃记录",
    "acknowledge it once understood": "弄清原因后确认（归档）它",
    "review it": "审阅它",
    "re-enable (or `ceph telemetry off`)": "重新启用（或 `ceph telemetry off`）",
    "the user's caps": "该用户的权限（caps）",
    "fix them": "修正它们",
    "set a delay again (600 s is the default)": "重新设置延迟（默认 600 s）",
    "turn it off": "关闭它",
}
