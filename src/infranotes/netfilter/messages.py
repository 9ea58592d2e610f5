"""Chinese for what the netfilter helpers print (see :mod:`infranotes.i18n`).

Two kinds of English are translated here. Words the helpers write themselves (table headers,
captions) go through :data:`tr` where they are written. Words the model keeps as *data* —
a branch's fate and events, a scenario's title, a hook entry's role — stay English in the
trace (the tests compare them with the kernel's and the CLI prints them), so they are
translated only when a table shows them: :class:`Phrases` recognises such a text by the
English template that wrote it and renders the same fields in the other language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from infranotes.i18n import Messages, check_lang

tr = Messages(
    {
        # ------------------------------------------- the CLI's iptables trace and nft trace
        "packet: {packet}": "数据包：{packet}",
        "branch {n}": "分支 {n}",
        "{n} new connections, one after another": "{n} 个新连接，一个接一个",
        "history {n}": "历程 {n}",
        "packet {n}": "数据包 {n}",
        "state: recent lists as given by --seen, nth counters as loaded": (
            "状态：recent 列表取自 --seen，nth 计数器为规则集加载时的值"
        ),
        "state: a freshly loaded ruleset (empty recent lists, nth counters as loaded)": (
            "状态：刚加载的规则集（recent 列表为空，nth 计数器为加载时的值）"
        ),
        "as listed; add/update statements are events, not applied": (
            "按列出的内容；add/update 语句记为事件，并不实际生效"
        ),
        # --------------------------------------------------------------- table headers
        "hook": "钩子",
        "table": "表",
        "chain": "链",
        "rule": "规则",
        "verdict": "裁决",
        "handle": "句柄",
        "stages in order (priority)": "依次经过的阶段（优先级）",
        "conntrack confirm": "conntrack 确认",
        "packet": "数据包",
        "nat rules met": "经过的 nat 规则数",
        "destination": "目的地址",
        "fate": "去向",
        "scenario": "场景",
        "source after NAT": "NAT 后的源地址",
        "model": "模型",
        "kernel (xtables-monitor --trace)": "内核（xtables-monitor --trace）",
        "DIFFERENT": "不同",
        "same": "相同",
        "step": "步骤",
        "query goes to": "查询发往",
        "(no packet)": "（没有数据包）",
        "new connection": "新连接",
        "result": "结果",
        "note": "说明",
        "entries": "条目数",
        "dropped": "已丢弃",  # a table column and a fate: one word for both
        "flow {n} (sport {sport})": "流 {n}（sport {sport}）",
        "early_drop evicted an unassured entry": "early_drop 逐出了一条未确认（unassured）的条目",
        "priority": "优先级",
        "function (v5.15)": "函数（v5.15）",
        "what it does": "作用",
        "ip_vs_ops4[] (IPv4); from v5.16 the functions are ip_vs_out_hook/ip_vs_in_hook": (
            "ip_vs_ops4[]（IPv4）；从 v5.16 起这些函数改为 ip_vs_out_hook/ip_vs_in_hook"
        ),
        "entry": "入口",
        "what happens": "发生了什么",
        "fate (model)": "去向（模型）",
        "mark": "标记",
        "0x4000 (masquerade)": "0x4000（要做伪装）",
        "kernel steps": "内核步骤数",
        "model's steps": "模型的步骤",
        "addresses": "地址",
        "leaves with source": "离开时的源地址",
        "source": "源地址",
        "kept": "不变",
        "steps": "步骤",
        "source (kernel)": "源地址（内核）",
        "source (model)": "源地址（模型）",
        "iptables mode": "iptables 模式",
        "rules met (iptables / nft)": "经过的规则数（iptables / nft）",
        "fate (nftables mode)": "去向（nftables 模式）",
        "iptables: {destination} from {source}": "iptables：{destination}，源地址 {source}",
        "{lines} lines, {rules} rules": "{lines} 行，{rules} 条规则",
        "the kernel's path (nft monitor trace) is the model's branch with p = {p}; kernel: "
        "{kernel_dst} from {kernel_src}, model: {model_dst} from {model_src}": (
            "内核走的路径（nft monitor trace）就是模型中 p = {p} 的那个分支；内核：{kernel_dst}，"
            "源地址 {kernel_src}；模型：{model_dst}，源地址 {model_src}"
        ),
        # ------------------------------------------------- the notebook's scenario titles
        "ClusterIP from a client outside the cluster": "集群外的客户端访问 ClusterIP",
        "ClusterIP from a Pod on this node": "本节点上的 Pod 访问 ClusterIP",
        "hairpin: a Pod to its own Service": "回环（hairpin）：Pod 访问自己所在的 Service",
        "NodePort from outside (Cluster policy)": "从外部访问 NodePort（Cluster 策略）",
        "NodePort, Local policy, local endpoint": "NodePort，Local 策略，有本地端点",
        "NodePort, Local policy, no local endpoint": "NodePort，Local 策略，没有本地端点",
        "Service without endpoints": "没有端点的 Service",
        "first packet": "第一个包",
        "next packet, same connection": "同一连接的下一个包",
        "with NOTRACK in raw": "raw 表里有 NOTRACK",
        "first query: kube-dns has one endpoint, 10.244.1.11": (
            "第一次查询：kube-dns 只有一个端点 10.244.1.11"
        ),
        "that Pod is deleted; kube-proxy now sends DNS to 10.244.1.12": (
            "这个 Pod 被删除；kube-proxy 现在把 DNS 发往 10.244.1.12"
        ),
        "the client retries from the same port (the same 5-tuple)": (
            "客户端从同一端口重试（同一个 5 元组）"
        ),
        "after `conntrack -D` for the old endpoint (what kube-proxy does)": (
            "对旧端点执行 `conntrack -D` 之后（kube-proxy 就是这么做的）"
        ),
        "client to ClusterIP:80": "客户端访问 ClusterIP:80",
        "Pod to ClusterIP:80": "Pod 访问 ClusterIP:80",
        "client to ClusterIP:22": "客户端访问 ClusterIP:22",
        "client to ClusterIP:80, no kube-ipvs0": "客户端访问 ClusterIP:80，没有 kube-ipvs0",
        "Pod to outside": "Pod 访问外部",
        "Pod to a Pod on another node": "Pod 访问另一节点上的 Pod",
        "Pod to the pool without natOutgoing": "Pod 访问没有 natOutgoing 的地址池",
        "Pod of that pool to outside": "该地址池的 Pod 访问外部",
        "outside to a Pod": "外部访问 Pod",
        "the node to outside": "节点访问外部",
        # ------------------------------------------------------------- IPVS hook entries
        "VS/NAT replies: source back to the virtual IP": "VS/NAT 的回复：源地址改回虚拟 IP",
        "schedule a request: pick a real server, DNAT, send": (
            "调度请求：选一个真实服务器，DNAT，发出"
        ),
        "VS/NAT replies of local real servers": "本机真实服务器的 VS/NAT 回复",
        "schedule requests of local clients": "调度本机客户端的请求",
        "ICMP errors about IPVS connections": "与 IPVS 连接有关的 ICMP 错误",
        "VS/NAT replies routed through the director": "经调度器（director）路由的 VS/NAT 回复",
        "KUBE-SERVICES: mark for SNAT, ACCEPT (no DNAT)": (
            "KUBE-SERVICES：打上 SNAT 标记，ACCEPT（不做 DNAT）"
        ),
        "KUBE-IPVS-FILTER: Service ports pass": "KUBE-IPVS-FILTER：放行 Service 端口",
        "IPVS: pick a Pod, DNAT, re-send": "IPVS：选一个 Pod，DNAT，重新发送",
        "re-sent packet passes OUTPUT": "重新发送的包通过 OUTPUT",
        "KUBE-POSTROUTING: MASQUERADE if marked": "KUBE-POSTROUTING：有标记就 MASQUERADE",
        # ------------------------------------------------------------ a branch's fate
        "forwarded via {oif}": "经 {oif} 转发",
        "sent out via {oif}": "经 {oif} 发出",
        "delivered to a local process": "交给本机进程",
        "dropped by the policy of {table} {chain}": "被 {table} 表 {chain} 链的默认策略丢弃",
        "dropped by {table} {chain} rule {rule}": "被 {table} 表 {chain} 链的规则 {rule} 丢弃",
        "rejected by {table} {chain} rule {rule}": "被 {table} 表 {chain} 链的规则 {rule} 拒绝",
        "dropped by {table} {chain} handle {handle}": (
            "被 {table} 表 {chain} 链句柄为 {handle} 的规则丢弃"
        ),
        "rejected by {table} {chain} handle {handle}": (
            "被 {table} 表 {chain} 链句柄为 {handle} 的规则拒绝"
        ),
        "dropped: forwarding is off (net.ipv4.ip_forward=0)": (
            "被丢弃：转发已关闭（net.ipv4.ip_forward=0）"
        ),
        "no route to {dst}": "没有到 {dst} 的路由",
        "undecided: unsupported target {what} in rule {rule} of {table} {chain}; the trace "
        "cannot decide what it does to the packet": (
            "无法判定：{table} 表 {chain} 链的规则 {rule} 用了不支持的目标 {what}；"
            "追踪无法判定它对数据包做了什么"
        ),
        "undecided: unsupported match {what} in rule {rule} of {table} {chain}; the trace "
        "cannot decide whether the rule matches": (
            "无法判定：{table} 表 {chain} 链的规则 {rule} 用了不支持的匹配 {what}；"
            "追踪无法判定这条规则是否匹配"
        ),
        "undecided: chains nested deeper than {depth}": "无法判定：链的嵌套深度超过 {depth}",
        "unsupported: {verdict} to a chain {target} not in the ruleset": (
            "不支持：{verdict} 到规则集中没有的链 {target}"
        ),
        "unsupported: chains nested deeper than {depth} (the jump stack)": (
            "不支持：链的嵌套深度超过 {depth}（跳转栈）"
        ),
        "unsupported expression {what} in chain {chain} handle {handle}: the trace cannot "
        "decide": "不支持 {chain} 链句柄为 {handle} 的规则中的表达式 {what}：追踪无法判定",
        # ------------------------------------------------------------ a branch's events
        "routing: forward {dst} via {oif}": "路由：经 {oif} 转发 {dst}",
        "routing: {dst} is local, to INPUT": "路由：{dst} 是本机地址，进入 INPUT",
        "routing: {dst} is local, to input": "路由：{dst} 是本机地址，进入 input",
        "re-routed after DNAT: out via {oif}": "DNAT 之后重新路由：经 {oif} 发出",
        "MASQUERADE {src} -> {to} (address of {oif})": "MASQUERADE {src} -> {to}（{oif} 的地址）",
        "REDIRECT to {to}": "REDIRECT 到 {to}",
        "mark set to {mark} ({hook} {table} {chain} #{rule})": (
            "mark 设为 {mark}（{hook} {table} {chain} #{rule}）"
        ),
        "meta mark set to {mark}": "meta mark 设为 {mark}",
        "ct mark set to {mark}": "ct mark 设为 {mark}",
        "conntrack: NOTRACK, the packet is untracked (no NAT)": (
            "conntrack：NOTRACK，数据包不被跟踪（不做 NAT）"
        ),
        "notrack: the packet is untracked (no NAT)": "notrack：数据包不被跟踪（不做 NAT）",
        "conntrack helper {helper} attached (CT --helper)": (
            "挂上了 conntrack helper {helper}（CT --helper）"
        ),
        "nat {hook} not consulted: no rule enables conntrack here": (
            "没有查 nat {hook}：这里没有规则启用 conntrack"
        ),
        "nat {hook} skipped: conntrack state {state}": "跳过 nat {hook}：conntrack 状态为 {state}",
        "nat {hook} not consulted: conntrack state {state}": (
            "没有查 nat {hook}：conntrack 状态为 {state}"
        ),
        "{name}: this one packet is within it (a fresh ruleset)": (
            "{name}：这一个包在限额之内（刚加载的规则集）"
        ),
        "{op} {set}: the set learns this packet": "{op} {set}：集合记下了这个包",
    }
)

Render = Callable[..., str]
# Fields that may hold spaces: a table of nftables ("ip kube-proxy"), a description. Every
# other field (a chain, an address, a handle) is one word.
_SPACED = {"table", "what"}
_FIELD = {True: r".+?", False: r"\S+"}


def _pattern(render: Render) -> re.Pattern[str]:
    """The English text ``render`` writes, as a regex whose named groups are its fields.

    The fields are found by asking: a missing one raises ``KeyError`` with its name.
    """
    fields: dict[str, str] = {}
    while True:
        try:
            text = render("en", **fields)
            break
        except KeyError as missing:
            name = str(missing.args[0])
            fields[name] = f"\0{name}\0"
    parts = re.split(r"\0(\w+)\0", text)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>{_FIELD[part in _SPACED]})"
        for i, part in enumerate(parts)
    )
    return re.compile(regex, re.S)


class Phrases:
    """English phrases kept as data, recognised by the template that wrote them.

    Each ``render`` is ``lambda lang, **f: tr(lang, "English {field}", **f)``; the first whose
    English fullmatches a text renders that text's fields in ``lang``. A text no template
    wrote comes back unchanged (``DNAT a -> b`` reads the same in both languages).
    """

    def __init__(self, *renders: Render) -> None:
        self._rules = [(_pattern(r), r) for r in renders]

    def recognises(self, text: str) -> bool:
        return any(p.fullmatch(text) for p, _ in self._rules)

    def __call__(self, text: str, lang: str) -> str:
        if check_lang(lang) == "en":
            return text
        for pattern, render in self._rules:
            m = pattern.fullmatch(text)
            if m:
                return render(lang, **m.groupdict())
        return text


# Most specific first: "dropped by the policy of ..." before "dropped by {table} ...".
fate = Phrases(
    lambda lang, **f: tr(lang, "forwarded via {oif}", **f),
    lambda lang, **f: tr(lang, "sent out via {oif}", **f),
    lambda lang, **f: tr(lang, "delivered to a local process", **f),
    lambda lang, **f: tr(lang, "dropped by the policy of {table} {chain}", **f),
    lambda lang, **f: tr(lang, "dropped by {table} {chain} rule {rule}", **f),
    lambda lang, **f: tr(lang, "rejected by {table} {chain} rule {rule}", **f),
    lambda lang, **f: tr(lang, "dropped by {table} {chain} handle {handle}", **f),
    lambda lang, **f: tr(lang, "rejected by {table} {chain} handle {handle}", **f),
    lambda lang, **f: tr(lang, "dropped: forwarding is off (net.ipv4.ip_forward=0)", **f),
    lambda lang, **f: tr(lang, "dropped", **f),
    lambda lang, **f: tr(lang, "no route to {dst}", **f),
    # iptables stopped at a rule it cannot model; the match or target (e.g. ``-m owner``) stays
    lambda lang, **f: tr(
        lang,
        "undecided: unsupported target {what} in rule {rule} of {table} {chain}; the trace "
        "cannot decide what it does to the packet",
        **f,
    ),
    lambda lang, **f: tr(
        lang,
        "undecided: unsupported match {what} in rule {rule} of {table} {chain}; the trace "
        "cannot decide whether the rule matches",
        **f,
    ),
    lambda lang, **f: tr(lang, "undecided: chains nested deeper than {depth}", **f),
    lambda lang, **f: tr(
        lang, "unsupported: chains nested deeper than {depth} (the jump stack)", **f
    ),
    lambda lang, **f: tr(
        lang, "unsupported: {verdict} to a chain {target} not in the ruleset", **f
    ),
    lambda lang, **f: tr(
        lang,
        "unsupported expression {what} in chain {chain} handle {handle}: the trace cannot decide",
        **f,
    ),
)

event = Phrases(
    lambda lang, **f: tr(lang, "routing: forward {dst} via {oif}", **f),
    lambda lang, **f: tr(lang, "routing: {dst} is local, to INPUT", **f),
    lambda lang, **f: tr(lang, "routing: {dst} is local, to input", **f),
    lambda lang, **f: tr(lang, "re-routed after DNAT: out via {oif}", **f),
    lambda lang, **f: tr(lang, "MASQUERADE {src} -> {to} (address of {oif})", **f),
    lambda lang, **f: tr(lang, "REDIRECT to {to}", **f),
    lambda lang, **f: tr(lang, "meta mark set to {mark}", **f),
    lambda lang, **f: tr(lang, "ct mark set to {mark}", **f),
    lambda lang, **f: tr(lang, "mark set to {mark} ({hook} {table} {chain} #{rule})", **f),
    lambda lang, **f: tr(lang, "conntrack: NOTRACK, the packet is untracked (no NAT)", **f),
    lambda lang, **f: tr(lang, "notrack: the packet is untracked (no NAT)", **f),
    lambda lang, **f: tr(lang, "conntrack helper {helper} attached (CT --helper)", **f),
    lambda lang, **f: tr(lang, "nat {hook} not consulted: no rule enables conntrack here", **f),
    lambda lang, **f: tr(lang, "nat {hook} skipped: conntrack state {state}", **f),
    lambda lang, **f: tr(lang, "nat {hook} not consulted: conntrack state {state}", **f),
    lambda lang, **f: tr(lang, "{name}: this one packet is within it (a fresh ruleset)", **f),
    lambda lang, **f: tr(lang, "{op} {set}: the set learns this packet", **f),
)

# The names the notebook's data gives its cases (dict keys and labels the code compares).
label = Phrases(
    lambda lang, **f: tr(lang, "ClusterIP from a client outside the cluster", **f),
    lambda lang, **f: tr(lang, "ClusterIP from a Pod on this node", **f),
    lambda lang, **f: tr(lang, "hairpin: a Pod to its own Service", **f),
    lambda lang, **f: tr(lang, "NodePort from outside (Cluster policy)", **f),
    lambda lang, **f: tr(lang, "NodePort, Local policy, local endpoint", **f),
    lambda lang, **f: tr(lang, "NodePort, Local policy, no local endpoint", **f),
    lambda lang, **f: tr(lang, "Service without endpoints", **f),
    lambda lang, **f: tr(lang, "first packet", **f),
    lambda lang, **f: tr(lang, "next packet, same connection", **f),
    lambda lang, **f: tr(lang, "with NOTRACK in raw", **f),
    lambda lang, **f: tr(lang, "first query: kube-dns has one endpoint, 10.244.1.11", **f),
    lambda lang, **f: tr(lang, "that Pod is deleted; kube-proxy now sends DNS to 10.244.1.12", **f),
    lambda lang, **f: tr(lang, "the client retries from the same port (the same 5-tuple)", **f),
    lambda lang, **f: tr(
        lang, "after `conntrack -D` for the old endpoint (what kube-proxy does)", **f
    ),
    lambda lang, **f: tr(lang, "(no packet)", **f),
    lambda lang, **f: tr(lang, "client to ClusterIP:80", **f),
    lambda lang, **f: tr(lang, "Pod to ClusterIP:80", **f),
    lambda lang, **f: tr(lang, "client to ClusterIP:22", **f),
    lambda lang, **f: tr(lang, "client to ClusterIP:80, no kube-ipvs0", **f),
    lambda lang, **f: tr(lang, "Pod to outside", **f),
    lambda lang, **f: tr(lang, "Pod to a Pod on another node", **f),
    lambda lang, **f: tr(lang, "Pod to the pool without natOutgoing", **f),
    lambda lang, **f: tr(lang, "Pod of that pool to outside", **f),
    lambda lang, **f: tr(lang, "outside to a Pod", **f),
    lambda lang, **f: tr(lang, "the node to outside", **f),
    lambda lang, **f: tr(lang, "VS/NAT replies: source back to the virtual IP", **f),
    lambda lang, **f: tr(lang, "schedule a request: pick a real server, DNAT, send", **f),
    lambda lang, **f: tr(lang, "VS/NAT replies of local real servers", **f),
    lambda lang, **f: tr(lang, "schedule requests of local clients", **f),
    lambda lang, **f: tr(lang, "ICMP errors about IPVS connections", **f),
    lambda lang, **f: tr(lang, "VS/NAT replies routed through the director", **f),
    lambda lang, **f: tr(lang, "KUBE-SERVICES: mark for SNAT, ACCEPT (no DNAT)", **f),
    lambda lang, **f: tr(lang, "KUBE-IPVS-FILTER: Service ports pass", **f),
    lambda lang, **f: tr(lang, "IPVS: pick a Pod, DNAT, re-send", **f),
    lambda lang, **f: tr(lang, "re-sent packet passes OUTPUT", **f),
    lambda lang, **f: tr(lang, "KUBE-POSTROUTING: MASQUERADE if marked", **f),
    lambda lang, **f: tr(lang, "same", **f),
    lambda lang, **f: tr(lang, "DIFFERENT", **f),
    lambda lang, **f: tr(lang, "kept", **f),
)


def joined(parts: Iterable[str], lang: str) -> str:
    """``parts`` joined by "; " (English) or a full-width "；" (Chinese)."""
    return ("; " if check_lang(lang) == "en" else "；").join(parts)


def events(items: Iterable[str], lang: str) -> str:
    """A branch's events joined as the notebook shows them, each in ``lang``."""
    return joined((event(e, lang) for e in items), lang)
