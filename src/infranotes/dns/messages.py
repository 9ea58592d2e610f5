"""Chinese for what the DNS helpers print (see :mod:`infranotes.i18n`).

Grouped by the module that prints them. Record types, rcodes, statuses (``EAI_NONAME``, ``ok``),
resolv.conf keywords, names and addresses are data and stay as they are.
"""

import re

from infranotes.i18n import Messages, check_lang

tr = Messages(
    {
        # client.py: one reply
        "section": "区段",
        "name": "名字",
        "type": "类型",
        "data": "数据",
        "answer": "应答",
        "authority": "授权",
        "{qname} {qtype}: {rcode}, flags {flags}": "{qname} {qtype}：{rcode}，标志 {flags}",
        # differences.py: where glibc and musl part ways
        "behaviour": "行为",
        "oracle case": "oracle 用例",
        "dots >= ndots, name missing": "点数 >= ndots，名字不存在",
        "NODATA on the first search domain": "第一个搜索域返回 NODATA",
        "SERVFAIL on the first search domain": "第一个搜索域返回 SERVFAIL",
        "REFUSED on the first search domain": "第一个搜索域返回 REFUSED",
        "search line of 416 characters": "长 416 个字符的 search 行",
        "a 64-octet label in the 2nd search domain": "第 2 个搜索域中有一个 64 字节的标签",
        "a 256-character candidate, then s1.test": "一个 256 个字符的候选名，其后是 s1.test",
        "`LOCALDOMAIN=s3.test` in the environment": "环境变量中有 `LOCALDOMAIN=s3.test`",
        "a 2nd search domain of 249 characters": "第 2 个搜索域长 249 个字符",
        "{head}…({n} chars)": "{head}…（{n} 个字符）",
        "{name} (malformed)": "{name}（格式错误）",
        "SIGABRT before any query": "尚未发出任何查询就 SIGABRT",
        "… {n} more …": "… 另有 {n} 个 …",
        "a label of {n} octets (at most 63)": "标签长 {n} 字节（最多 63）",
        "{n} octets on the wire (at most 255)": "报文中占 {n} 字节（最多 255）",
        "name and domain are {n} characters, glibc's MAXDNAME is 1025": (
            "名字加域共 {n} 个字符，glibc 的 MAXDNAME 是 1025"
        ),
        "{n} characters after the trailing dot (musl's limit is 253)": (
            "去掉末尾的点后有 {n} 个字符（musl 的上限是 253）"
        ),
        "an empty label": "空标签",
        "longer than musl's 256-byte buffer": "超出 musl 的 256 字节缓冲区",
        "{reason}: search ends": "{reason}：搜索结束",
        "{reason}: lookup ends": "{reason}：查找结束",
        "search domain {n} does not fit _res.defdname after {used} bytes: glibc fails "
        "`assert (resolv_conf_matches (resp, conf))` (SIGABRT)": (
            "第 {n} 个搜索域在已用 {used} 字节之后放不进 _res.defdname：glibc 的 "
            "`assert (resolv_conf_matches (resp, conf))` 失败（SIGABRT）"
        ),
        # resolvconf.py: what a libc ignores, caps or reads differently in a resolv.conf
        "musl does not read {names}: ignored": "musl 不读取 {names}：已忽略",
        "leading whitespace before {word!r}: libc ignores the line": (
            "{word!r} 之前有空白：libc 忽略这一行"
        ),
        "unknown keyword {word!r}: ignored": "未知关键字 {word!r}：已忽略",
        "glibc reads only {word!r} from the domain line": "glibc 只从 domain 行读取 {word!r}",
        "not an IP address: {text!r}: line ignored": "不是 IP 地址：{text!r}：忽略这一行",
        "nameserver {addr} ignored: glibc uses only {n}": (
            "忽略 nameserver {addr}：glibc 只使用前 {n} 个"
        ),
        "glibc caps {key} at {cap}": "glibc 把 {key} 限制为 {cap}",
        "glibc's atoi() reads {i}, which passes the `i <= RES_MAXNDOTS` check and lands in "
        "the 4-bit _res.ndots as {value}": (
            "glibc 的 atoi() 读出 {i}，它能通过 `i <= RES_MAXNDOTS` 检查，"
            "存进 4 位的 _res.ndots 后成了 {value}"
        ),
        "glibc's atoi() reads {i} and stores it unchecked": (
            "glibc 的 atoi() 读出 {i}，不加检查就存了下来"
        ),
        "glibc's atoi() reads {i} (strtol's result cut to a 32-bit int)": (
            "glibc 的 atoi() 读出 {i}（strtol 的结果被截成 32 位 int）"
        ),
        "glibc's atoi() skips the blank and reads {i} from what follows": (
            "glibc 的 atoi() 跳过空白，从后面的内容读出 {i}"
        ),
        "glibc's atoi() reads {i}": "glibc 的 atoi() 读出 {i}",
        "{word!r} is read as {name!r} (prefix match)": "{word!r} 被读作 {name!r}（前缀匹配）",
        "unknown option {word!r}: glibc ignores it": "未知选项 {word!r}：glibc 忽略它",
        "line of {n} characters: musl ignores it": "这一行长 {n} 个字符：musl 忽略它",
        "{key}: not a number, musl ignores it": "{key}：不是数字，musl 忽略它",
        "{key}:{n}: musl caps {key} at {cap}": "{key}:{n}：musl 把 {key} 限制为 {cap}",
        "option {word!r}: musl does not implement it": "选项 {word!r}：musl 没有实现它",
        "unknown option {word!r}: musl ignores it": "未知选项 {word!r}：musl 忽略它",
        "nameserver ignored: musl uses only {n}": "忽略 nameserver：musl 只使用前 {n} 个",
        # cli/dns.py: dns search
        "# {libc}, ndots:{ndots}, {name} has {dots} dot(s); tried in this order until one "
        "answers:": "# {libc}，ndots:{ndots}，{name} 含 {dots} 个点；依次尝试，直到有一个应答：",
        "# ends with {status} when no name exists": "# 所有名字都不存在时，以 {status} 结束",
        "environment": "环境变量",
        "{name} is not modelled (only LOCALDOMAIN and RES_OPTIONS are)": (
            "{name} 未建模（只建模了 LOCALDOMAIN 和 RES_OPTIONS）"
        ),
        "warning: {warning}": "警告：{warning}",
        # incident.py: the clusterDomain incident and its fixes
        "#": "序号",
        "client": "客户端",
        "{libc}: {status}, {addresses} from {answered_by}": (
            "{libc}：{status}，{addresses}，应答来自 {answered_by}"
        ),
        "scenario": "场景",
        "model": "模型",
        "real": "实测",
        "agree": "一致",
        "yes": "是",
        "NO": "否",
        "(not run)": "（未运行）",
        "{n} name(s) -> {answer}": "{n} 个名字 -> {answer}",
        "incident: clusterDomain c1": "事故：clusterDomain c1",
        "fix 1: clusterDomain c2": "修复 1：clusterDomain c2",
        "fix 2: trailing dot": "修复 2：末尾加点",
        "fix 3: dnsConfig ndots:2": "修复 3：dnsConfig ndots:2",
        "dots": "点数",
        "queries (A + AAAA) per lookup for a name that exists outside the cluster": (
            "对一个存在于集群之外的名字，每次查找发出的查询数（A + AAAA）"
        ),
        "queries (A + AAAA) per lookup for a name that exists nowhere": (
            "对一个哪里都不存在的名字，每次查找发出的查询数（A + AAAA）"
        ),
        # records.py: the spec's record set
        "spec": "规范",
        "{owner}: longer than 253 octets, left out": "{owner}：超过 253 字节，已略去",
        "{what}: {ip} is IPv6; schema 1.0.1 defines no AAAA records": (
            "{what}：{ip} 是 IPv6 地址；schema 1.0.1 没有定义 AAAA 记录"
        ),
        "endpoint of {service}": "{service} 的端点",
        "§1 schema version": "§1 schema 版本",
        "§2.1 ready": "§2.1 就绪",
        "listed in addresses, or the tolerate-unready-endpoints annotation": (
            "列在 addresses 中，或带有 tolerate-unready-endpoints 注解"
        ),
        "listed in addresses, or spec.publishNotReadyAddresses: true": (
            "列在 addresses 中，或 spec.publishNotReadyAddresses: true"
        ),
        "§2.2 TXT example": "§2.2 TXT 示例",
        '"1.0.0": does not match the text\'s own version (erratum)': (
            '"1.0.0"：与规范文本自身的版本不符（勘误）'
        ),
        "§2.3.1 / §2.4.1 addresses": "§2.3.1 / §2.4.1 地址",
        "A records only": "只有 A 记录",
        "A for IPv4, AAAA for IPv6 addresses": "IPv4 地址用 A，IPv6 地址用 AAAA",
        "§2.3.2 / §2.4.2 SRV format": "§2.3.2 / §2.4.2 SRV 格式",
        "<weight> <priority>: reversed against RFC 2782 (erratum)": (
            "<weight> <priority>：与 RFC 2782 的顺序相反（勘误）"
        ),
        "<priority> <weight>, as on the wire": "<priority> <weight>，与报文中的顺序一致",
        "in-addr.arpa only": "只有 in-addr.arpa",
        "in-addr.arpa and ip6.arpa": "in-addr.arpa 和 ip6.arpa",
        "§2.6 deprecated records": "§2.6 已弃用的记录",
        "<a>-<b>-<c>-<d>.<ns>.pod.<zone> A records still required": (
            "仍要求 <a>-<b>-<c>-<d>.<ns>.pod.<zone> A 记录"
        ),
        "removed": "已移除",
        "records": "记录",
        "notebook section": "本章小节",
        "tests": "测试",
        "Record for Schema Version": "Schema 版本记录",
        "Deprecated pod records (1.0.1)": "已弃用的 Pod 记录（1.0.1）",
        "negative": "否定应答",
        "NXDOMAIN versus NODATA": "NXDOMAIN 与 NODATA",
        # The chapter's own headings, as its Chinese edition names them.
        "1. Schema version": "第 1 节：Schema 版本",
        "2. ClusterIP Services": "第 2 节：ClusterIP Service",
        "3. Headless Services": "第 3 节：Headless Service",
        "4. ExternalName Services": "第 4 节：ExternalName Service",
        "5. Negative answers": "第 5 节：否定应答",
        "6. 1.0.1 and 1.1.0": "第 6 节：1.0.1 与 1.1.0",
        # envvars.py: the Service environment variables
        "{n} variables from {services}": "{n} 个变量，来自 {services}",
        "variable": "变量",
        "value": "值",
        "the running container has": "运行中的容器持有",
        "a container starting now gets": "现在启动的容器得到",
        "(missing)": "（没有）",
        "(gone)": "（已消失）",
    }
)


# What the search engine gives as a step's reason (search.py), read back to be shown in ``lang``.
_REASONS = (
    (
        re.compile(r"a label of (?P<n>\d+) octets \(at most 63\)"),
        lambda lang, n: tr(lang, "a label of {n} octets (at most 63)", n=n),
    ),
    (
        re.compile(r"(?P<n>\d+) octets on the wire \(at most 255\)"),
        lambda lang, n: tr(lang, "{n} octets on the wire (at most 255)", n=n),
    ),
    (
        re.compile(r"name and domain are (?P<n>\d+) characters, glibc's MAXDNAME is 1025"),
        lambda lang, n: tr(
            lang, "name and domain are {n} characters, glibc's MAXDNAME is 1025", n=n
        ),
    ),
    (
        re.compile(r"(?P<n>\d+) characters after the trailing dot \(musl's limit is 253\)"),
        lambda lang, n: tr(
            lang, "{n} characters after the trailing dot (musl's limit is 253)", n=n
        ),
    ),
    (re.compile(r"an empty label"), lambda lang: tr(lang, "an empty label")),
    (
        re.compile(r"longer than musl's 256-byte buffer"),
        lambda lang: tr(lang, "longer than musl's 256-byte buffer"),
    ),
    (
        # resolvconf.py glibc_legacy_search_abort: the reason of an "abort" step
        re.compile(
            r"search domain (?P<n>\d+) does not fit _res\.defdname after (?P<used>\d+) bytes: "
            r"glibc fails `assert \(resolv_conf_matches \(resp, conf\)\)` \(SIGABRT\)"
        ),
        lambda lang, n, used: tr(
            lang,
            "search domain {n} does not fit _res.defdname after {used} bytes: glibc fails "
            "`assert (resolv_conf_matches (resp, conf))` (SIGABRT)",
            n=n,
            used=used,
        ),
    ),
)

# How a glibc search walk (the list is abandoned) and a musl lookup (it fails) end at a
# candidate that cannot be encoded (search.py).
_ENDS = (
    (": search ends", lambda lang, reason: tr(lang, "{reason}: search ends", reason=reason)),
    (": lookup ends", lambda lang, reason: tr(lang, "{reason}: lookup ends", reason=reason)),
)


def step_reason(text: str, lang: str) -> str:
    """The reason of a search step (why a candidate was skipped, not encoded or aborted) in
    ``lang``; a text the search engine did not write comes back unchanged."""
    if check_lang(lang) == "en":
        return text
    for suffix, say in _ENDS:
        if text.endswith(suffix):
            return say(lang, step_reason(text.removesuffix(suffix), lang))
    for pattern, say in _REASONS:
        m = pattern.fullmatch(text)
        if m:
            return say(lang, **m.groupdict())
    return text
