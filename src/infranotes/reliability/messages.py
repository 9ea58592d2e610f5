"""Chinese for what the reliability notebook shows (see :mod:`infranotes.i18n`).

Terms follow DDIA's Chinese translation as locales/terms.tsv records it: fault 故障,
failure 失效, replica 副本, percentile 百分位; the rest follows the chapter's catalog
(毒请求, 机群, 金丝雀, 写时扇出/读时扇出, 对冲).
"""

from infranotes.i18n import Messages

tr = Messages(
    {
        # the CLI's one-line answers (infranotes reliability tail|nines|fleet --lang zh)
        "{share} of requests wait for at least one slow backend": "{share} 的请求至少要等待一个慢后端",
        "{nines} nines: {hours} h a year, {minutes} min a month, {seconds} s a day": (
            "{nines} 个九：每年 {hours} h，每月 {minutes} min，每天 {seconds} s"
        ),
        "{per_day} failures a day (one every {hours} h)": "每天 {per_day} 次失效（平均每 {hours} h 一次）",
        # section 0: correlated faults, human error, the chaos experiment
        "fault source": "故障来源",
        "replica crashes": "副本崩溃次数",
        "time with no replica up": "没有副本在线的时长",
        "failed requests": "失败的请求",
        "hardware (independent)": "硬件（相互独立）",
        "software (poison requests)": "软件（毒请求）",
        "interface": "变更方式",
        "mistakes": "错误次数",
        "caught by the plan": "被计划拦下",
        "outage (fleet-minutes)": "停机（机群·分钟）",
        "apply directly": "直接应用",
        "dry-run plan first": "先 dry-run 看计划",
        "plan + 5 % canary for 10 min": "计划 + 5 % 金丝雀运行 10 min",
        "plan + 5 % canary for 30 min": "计划 + 5 % 金丝雀运行 30 min",
        "plan + canary + 5-min rollback": "计划 + 金丝雀 + 5 min 回滚",
        "service": "服务",
        "dependency faults": "依赖故障比例",
        "requests": "请求数",
        "injected": "注入的故障",
        "buggy": "有 bug",
        "fixed": "已修复",
        # section 1: hardware faults
        "MTTF (years)": "MTTF（年）",
        "disks": "磁盘数",
        "failures per day": "每天失效次数",
        "one every (hours)": "平均间隔（小时）",
        "availability": "可用性",
        "nines": "几个九",
        "per year": "每年",
        "per month": "每月",
        "per day": "每天",
        "correlated {correlated}: {events} loss events a year, "
        "P(any loss in a year) = {p_loss}": "相关失效概率 {correlated}：每年 {events} 次数据丢失，"
        "一年内至少丢失一次的概率 = {p_loss}",
        # sections 3 and 4: percentiles, tail latency, hedging
        "percentile": "百分位",
        "exact (µs)": "精确值（µs）",
        "HdrHistogram (µs)": "HdrHistogram 估计值（µs）",
        "difference": "相对差异",
        "1 in {one_in}, fan-out {fanout}:": "后端 {one_in} 次中慢 1 次，扇出 {fanout}：",
        "simulated, 1 in {one_in} x {fanout}:": "模拟：后端 {one_in} 次中慢 1 次，扇出 {fanout}：",
        "extra requests": "额外请求",
        "no hedging": "不对冲",
        "hedge after {delay} ms (closed form)": "{delay} ms 后对冲（闭式解）",
        "hedged, simulated": "对冲（模拟）",
        # section 5: Twitter's home timelines
        "mean followers {mean}, largest {largest}": (
            "平均关注者数 {mean}，最多的用户有 {largest} 个"
        ),
        "fan-out on write: {writes} writes/s ({peak} at the 12k/s peak)": (
            "写时扇出：{writes} 次写入/s（在 12k/s 的峰值下为 {peak}）"
        ),
        "fan-out on read:  {lookups} lookups/s": "读时扇出：{lookups} 次查找/s",
        "one tweet to 30M followers at 345k writes/s: {seconds} s": (
            "以 345k 次写入/s 把一条推文投递给 30M 个关注者：{seconds} s"
        ),
        "threshold": "阈值",
        "celebrities": "名人数",
        "writes/s": "写入次数/s",
        "read-time lookups/s": "读时查找次数/s",
    }
)
