"""What the DNS chapters print reads the same in English as before and in Chinese in the zh edition.

The English texts below are what notebooks 01 and 02 stored before their outputs became
bilingual; the Chinese renderings must carry the same data (names, addresses, counts, statuses)
under Chinese headers and explanations.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from infranotes.dns import envvars, incident, kubelet, records
from infranotes.dns.chapter import generation_warnings
from infranotes.dns.client import Reply
from infranotes.dns.differences import DIFFERENCES, differences, differences_table
from infranotes.dns.manifests import load_manifests
from infranotes.dns.messages import step_reason
from infranotes.dns.search import glibc_encode_problem, musl_encode_problem

DATA = Path(__file__).resolve().parents[1] / "data"
CLUSTERIP = """
apiVersion: v1
kind: Service
metadata: {name: kubernetes, namespace: default}
spec:
  clusterIPs: [10.3.0.1, "2001:db8::1"]
  ports: [{name: https, port: 443, protocol: TCP}, {port: 6443}]
"""


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def lines(table: object) -> list[str]:
    return repr(table).splitlines()


@pytest.fixture(scope="module")
def pod_text() -> str:
    return kubelet.pod_resolv_conf(
        incident.WRONG, "default", node_resolv_conf=incident.NODE_RESOLV_CONF
    ).text


@pytest.fixture(scope="module")
def predicted() -> dict:
    zones = incident.incident_zones()
    scenario = incident.scenarios()[0]
    return {libc: incident.model(scenario, libc, zones) for libc in ("glibc", "musl")}


# ------------------------------------------------------------------ notebook 01


def test_candidate_table(pod_text: str) -> None:
    en = incident.candidate_table("login.example.com", pod_text)
    zh = incident.candidate_table("login.example.com", pod_text, lang="zh")
    assert lines(en)[0] == "#  glibc                                          musl"
    assert lines(en)[2] == (
        "1  login.example.com.default.svc.c1.ichenfu.com.  "
        "login.example.com.default.svc.c1.ichenfu.com."
    )
    assert tuple(zh.header) == ("序号", "glibc", "musl") and zh.rows == en.rows


def test_predictions_text(predicted: dict) -> None:
    assert incident.predictions_text(predicted) == (
        "glibc: ok, 1.2.3.4 from login.example.com.default.svc.c1.ichenfu.com.\n"
        "musl: ok, 1.2.3.4 from login.example.com.default.svc.c1.ichenfu.com."
    )
    assert incident.predictions_text(predicted, lang="zh") == (
        "glibc：ok，1.2.3.4，应答来自 login.example.com.default.svc.c1.ichenfu.com.\n"
        "musl：ok，1.2.3.4，应答来自 login.example.com.default.svc.c1.ichenfu.com."
    )


def test_lookup_table(predicted: dict) -> None:
    en = incident.lookup_table(predicted)
    zh = incident.lookup_table(predicted, lang="zh")
    assert tuple(en.header) == ("client", "qname", "type", "rcode", "answer")
    assert tuple(zh.header) == ("客户端", "qname", "类型", "rcode", "应答")
    assert zh.rows == en.rows
    assert en.rows[0] == (
        "glibc",
        "login.example.com.default.svc.c1.ichenfu.com.",
        "A",
        "NOERROR",
        "1.2.3.4",
    )


def test_scenario_table_model_only() -> None:
    runs = incident.run_scenarios(incident.incident_zones(), live=False)
    en, zh = incident.scenario_table(runs), incident.scenario_table(runs, lang="zh")
    assert lines(en)[0].split() == ["scenario", "client", "name", "model", "real", "agree"]
    assert lines(en)[2].split("  ")[0] == "incident: clusterDomain c1"
    assert [r[0] for r in en.rows[::2]] == [
        "incident: clusterDomain c1",
        "fix 1: clusterDomain c2",
        "fix 2: trailing dot",
        "fix 3: dnsConfig ndots:2",
    ]
    assert en.rows[2][3:] == ("5 name(s) -> 93.184.216.34", "(not run)", "yes")
    assert tuple(zh.header) == ("场景", "客户端", "名字", "模型", "实测", "一致")
    assert [r[0] for r in zh.rows[::2]] == [
        "事故：clusterDomain c1",
        "修复 1：clusterDomain c2",
        "修复 2：末尾加点",
        "修复 3：dnsConfig ndots:2",
    ]
    assert zh.rows[2][3:] == ("5 个名字 -> 93.184.216.34", "（未运行）", "是")
    # the data columns do not depend on the language
    assert [r[1:3] for r in zh.rows] == [r[1:3] for r in en.rows]


def test_scenarios_differ_only_in_title() -> None:
    for en, zh in zip(incident.scenarios(), incident.scenarios("zh"), strict=True):
        assert (en.resolv_conf, en.name) == (zh.resolv_conf, zh.name)
        assert has_chinese(zh.title) and not has_chinese(en.title)


def test_cost_table() -> None:
    search = ("default.svc.cluster.local", "svc.cluster.local", "cluster.local")
    cost = incident.cost_rows(search, ndots_values=(5, 2))
    en = incident.cost_table(cost, "missing")
    assert lines(en)[:3] == [
        "queries (A + AAAA) per lookup for a name that exists nowhere",
        "dots  glibc ndots:5  musl ndots:5  glibc ndots:2  musl ndots:2",
        "----  -------------  ------------  -------------  ------------",
    ]
    assert lines(en)[-1] == "6     8              2             8              2"
    zh = incident.cost_table(cost, "missing", lang="zh")
    assert zh.caption == "对一个哪里都不存在的名字，每次查找发出的查询数（A + AAAA）"
    assert zh.header[0] == "点数" and tuple(zh.header)[1:] == tuple(en.header)[1:]
    assert zh.rows == en.rows
    exists = incident.cost_table(cost, lang="zh").caption
    assert exists.startswith("对一个存在于集群之外的名字")


def test_differences_table_english_is_unchanged() -> None:
    en = lines(differences_table())
    assert en[0].split("  ")[0] == "behaviour"
    row = {line.split("  ")[0]: line for line in en[2:]}
    assert (
        "no.thing → no.thing.s1.test → no.thing.s2.test → no.thing.s3.test ⇒ EAI_NONAME"
        in (row["dots >= ndots, name missing"])
    )
    assert (
        "✗ cccccccccc…(256 chars) skipped: longer than musl's 256-byte buffer → "
        "cccccccccc…(251 chars) → cccccccccc…(243 chars) ⇒ EAI_NONAME"
    ) in row["a 256-character candidate, then s1.test"]
    assert "intranet.s1.test → intranet (malformed) ⇒ EAI_AGAIN" in row["`search s1.test .`"]
    assert "glibc-aborts-defdname-cut" in row["a 2nd search domain of 249 characters"]
    assert (
        "nosuch.aaa…(76 chars) unencodable: a label of 64 octets (at most 63)"
        in (row["a 64-octet label in the 2nd search domain"])
    )


def test_differences_table_in_chinese() -> None:
    en, zh = differences_table(), differences_table(lang="zh")
    assert tuple(zh.header) == ("行为", "名字", "glibc 2.36", "musl 1.2.3", "oracle 用例")
    by_case = {r[4]: r for r in zh.rows}
    assert [r[4] for r in zh.rows] == [r[4] for r in en.rows]
    assert by_case["nodata-at-position-1"][:4] == (
        "第一个搜索域返回 NODATA",
        "svc",
        "svc.s1.test → svc.s2.test ⇒ ok",
        "svc.s1.test ⇒ EAI_NONAME",
    )
    assert by_case["candidate-256-chars-musl-skips"][3] == (
        "✗ cccccccccc…（256 个字符） skipped: 超出 musl 的 256 字节缓冲区 → "
        "cccccccccc…（251 个字符） → cccccccccc…（243 个字符） ⇒ EAI_NONAME"
    )
    assert (
        "nosuch.aaa…（76 个字符） unencodable: 标签长 64 字节（最多 63）"
        in (by_case["label64-second-domain"][2])
    )
    assert "intranet（格式错误） ⇒ EAI_AGAIN" in by_case["search-with-root"][3]
    assert "… 另有 7 个 …" in by_case["search-line-416-chars"][2]
    assert by_case["glibc-aborts-defdname-cut"][2] == "尚未发出任何查询就 SIGABRT ⇒ abort"
    # a behaviour that is only code reads the same; every other one is Chinese
    for e, z in zip(en.rows, zh.rows, strict=True):
        assert z[0] == e[0] if e[0].startswith("`") and e[0].endswith("`") else has_chinese(z[0])


def test_differences_are_the_same_cases_in_both_languages() -> None:
    assert differences() == DIFFERENCES
    for en, zh in zip(DIFFERENCES, differences("zh"), strict=True):
        assert (en.resolv_conf, en.name, en.answers, en.oracle_case, en.env) == (
            zh.resolv_conf,
            zh.name,
            zh.answers,
            zh.oracle_case,
            zh.env,
        )


@pytest.mark.parametrize(
    ("reason", "zh"),
    [
        (glibc_encode_problem("x", "a" * 64 + ".test"), "标签长 64 字节（最多 63）"),
        (glibc_encode_problem(".".join(["c" * 63] * 4), None), "报文中占 257 字节（最多 255）"),
        (
            musl_encode_problem(".".join(["c" * 63] * 4)),
            "去掉末尾的点后有 255 个字符（musl 的上限是 253）",
        ),
        (
            glibc_encode_problem("x", "a" * 1100),
            "名字加域共 1102 个字符，glibc 的 MAXDNAME 是 1025",
        ),
        (glibc_encode_problem("a..b", None), "空标签"),
        ("longer than musl's 256-byte buffer", "超出 musl 的 256 字节缓冲区"),
        ("an empty label: search ends", "空标签：搜索结束"),
        ("an empty label: lookup ends", "空标签：查找结束"),
        ("something new", "something new"),
    ],
    ids=[
        "label",
        "wire",
        "musl-length",
        "maxdname",
        "empty",
        "buffer",
        "glibc-ends",
        "musl-ends",
        "unknown-stays",
    ],
)
def test_every_reason_the_search_engine_gives_reads_in_chinese(reason: str, zh: str) -> None:
    assert step_reason(reason, "en") == reason
    assert step_reason(reason, "zh") == zh


# ------------------------------------------------------------------ notebook 02

SOA = "ns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 5"


def test_reply_table() -> None:
    answer = Reply(
        "booting.headless.default.svc.cluster.local.",
        "A",
        "NXDOMAIN",
        True,
        (),
        (("cluster.local.", 5, "SOA", SOA),),
    )
    assert lines(answer.table()) == [
        "booting.headless.default.svc.cluster.local. A: NXDOMAIN, flags aa",
        "section    name            ttl  type  data",
        "---------  --------------  ---  ----  " + "-" * len(SOA),
        f"authority  cluster.local.  5    SOA   {SOA}",
    ]
    zh = answer.table(lang="zh")
    assert zh.caption == "booting.headless.default.svc.cluster.local. A：NXDOMAIN，标志 aa"
    assert tuple(zh.header) == ("区段", "名字", "ttl", "类型", "数据")
    assert zh.rows == [("授权", "cluster.local.", 5, "SOA", SOA)]
    plain = Reply("x.", "A", "NOERROR", False, (("x.", 5, "A", "10.0.0.1"),), ())
    assert plain.table().caption == "x. A: NOERROR, flags -"
    assert plain.table(lang="zh").rows == [("应答", "x.", 5, "A", "10.0.0.1")]


def test_records_table() -> None:
    rs = records.generate(load_manifests(CLUSTERIP), "cluster.local")
    en = records.records_table(rs, "2.3")
    assert lines(en)[0].split() == ["name", "ttl", "type", "data", "spec"]
    assert lines(en)[-1].split() == [
        "kubernetes.default.svc.cluster.local.",
        "5",
        "AAAA",
        "2001:db8::1",
        "§2.3.1",
    ]
    zh = records.records_table(rs, "2.3", lang="zh")
    assert tuple(zh.header) == ("名字", "ttl", "类型", "数据", "规范") and zh.rows == en.rows


def test_version_changes_table() -> None:
    en = records.version_changes_table()
    assert tuple(en.header) == ("", "1.0.1", "1.1.0")
    assert en.rows[1] == (
        "§2.1 ready",
        "listed in addresses, or the tolerate-unready-endpoints annotation",
        "listed in addresses, or spec.publishNotReadyAddresses: true",
    )
    assert en.rows[4] == (
        "§2.3.2 / §2.4.2 SRV format",
        "<weight> <priority>: reversed against RFC 2782 (erratum)",
        "<priority> <weight>, as on the wire",
    )
    assert tuple(en.rows) == records.VERSION_CHANGES
    zh = records.version_changes_table(lang="zh")
    assert zh.rows[1] == (
        "§2.1 就绪",
        "列在 addresses 中，或带有 tolerate-unready-endpoints 注解",
        "列在 addresses 中，或 spec.publishNotReadyAddresses: true",
    )
    assert zh.rows[0] == ("§1 schema 版本", "1.0.1", "1.1.0")
    assert zh.rows[5] == ("§2.3.3 / §2.4.3 PTR", "只有 in-addr.arpa", "in-addr.arpa 和 ip6.arpa")
    assert zh.rows[6][2] == "已移除"


def test_spec_sections_table() -> None:
    en = records.spec_sections_table()
    assert tuple(en.header) == ("§", "records", "notebook section", "tests")
    assert tuple(en.rows) == records.SPEC_SECTIONS
    assert en.rows[0] == (
        "2.2",
        "Record for Schema Version",
        "1. Schema version",
        "test_records.py::test_spec_example[*2.2*]",
    )
    zh = records.spec_sections_table(lang="zh")
    assert tuple(zh.header) == ("§", "记录", "本章小节", "测试")
    assert zh.rows[0][1:3] == ("Schema 版本记录", "第 1 节：Schema 版本")
    assert zh.rows[-1][:3] == ("否定应答", "NXDOMAIN 与 NODATA", "第 5 节：否定应答")
    # the tests column names test functions: the same in both languages
    assert [r[3] for r in zh.rows] == [r[3] for r in en.rows]


def test_generation_warnings() -> None:
    assert generation_warnings(CLUSTERIP, version="1.0.1") == (
        "('Service default/kubernetes: 2001:db8::1 is IPv6; schema 1.0.1 defines no AAAA records',)"
    )
    assert generation_warnings(CLUSTERIP, version="1.0.1", lang="zh") == (
        "('Service default/kubernetes：2001:db8::1 是 IPv6 地址；schema 1.0.1 没有定义 AAAA 记录',)"
    )
    assert generation_warnings(CLUSTERIP) == "()"


def test_endpoint_warning_in_both_languages() -> None:
    headless = """
kind: Service
metadata: {name: h, namespace: ns}
spec: {clusterIP: None}
---
kind: Endpoints
metadata: {name: h, namespace: ns}
subsets:
- addresses: [{ip: "2001:db8::5"}]
"""
    inv = load_manifests(headless)
    en = records.generate(inv, version="1.0.1").warnings
    zh = records.generate(inv, version="1.0.1", lang="zh").warnings
    assert en == ("endpoint of ns/h: 2001:db8::5 is IPv6; schema 1.0.1 defines no AAAA records",)
    assert zh == ("ns/h 的端点：2001:db8::5 是 IPv6 地址；schema 1.0.1 没有定义 AAAA 记录",)
    assert records.generate(inv, version="1.0.1", lang="zh").records == (
        records.generate(inv, version="1.0.1").records
    )


@pytest.fixture(scope="module")
def shop_env() -> envvars.ServiceEnv:
    shop = (DATA / "realistic-namespace.yaml").read_text()
    return envvars.service_env(load_manifests(shop, "realistic-namespace.yaml").services, "shop")


def test_service_env_summary_and_table(shop_env: envvars.ServiceEnv) -> None:
    assert envvars.summary(shop_env) == "26 variables from shop/api, shop/web"
    assert envvars.summary(shop_env, lang="zh") == "26 个变量，来自 shop/api, shop/web"
    en = envvars.variables_table(shop_env, "API_")
    assert lines(en)[:3] == [
        "variable                    value",
        "--------------------------  -----------------------",
        "API_SERVICE_HOST            10.96.12.41",
    ]
    assert len(en.rows) == 13
    zh = envvars.variables_table(shop_env, "API_", lang="zh")
    assert tuple(zh.header) == ("变量", "值") and zh.rows == en.rows


def test_stale_table(shop_env: envvars.ServiceEnv) -> None:
    shop = (DATA / "realistic-namespace.yaml").read_text()
    later = (
        shop.replace("10.96.12.40", "10.96.99.7")
        + """
  - apiVersion: v1
    kind: Service
    metadata: {name: cache, namespace: shop}
    spec: {clusterIP: 10.96.12.50, ports: [{port: 6379}]}
"""
    )
    now = envvars.service_env(load_manifests(later, "later.yaml").services, "shop")
    assert lines(envvars.stale_table(shop_env, now, "_SERVICE_HOST")) == [
        "variable            the running container has  a container starting now gets",
        "------------------  -------------------------  -----------------------------",
        "CACHE_SERVICE_HOST  (missing)                  10.96.12.50",
        "WEB_SERVICE_HOST    10.96.12.40                10.96.99.7",
    ]
    zh = envvars.stale_table(shop_env, now, "_SERVICE_HOST", lang="zh")
    assert tuple(zh.header) == ("变量", "运行中的容器持有", "现在启动的容器得到")
    assert zh.rows == [
        ("CACHE_SERVICE_HOST", "（没有）", "10.96.12.50"),
        ("WEB_SERVICE_HOST", "10.96.12.40", "10.96.99.7"),
    ]
    gone = envvars.stale_table(now, shop_env, "CACHE_SERVICE_HOST", lang="zh")
    assert gone.rows == [("CACHE_SERVICE_HOST", "10.96.12.50", "（已消失）")]


@pytest.mark.parametrize("libc", ["glibc", "musl"])
def test_every_resolv_conf_warning_reads_in_chinese(libc: str) -> None:
    from infranotes.dns.resolvconf import parse_resolv_conf

    text = (
        "domain a b\n"
        + "".join(f"nameserver 10.0.0.{i}\n" for i in range(1, 6))
        + "nameserver nope\n domain x\nfoo bar\n"
        + "options ndots:99 rotat inet6x timeout:x attempts: timeout:99999999999\n"
        + "search "
        + "x" * 300
        + "\n"
    )
    env = {"RES_OPTIONS": "ndots:-1 ndots:3x ndots: 2", "LOCALDOMAIN": "q.test"}
    warnings = parse_resolv_conf(text, libc, env=env).warnings
    assert len(warnings) >= 10
    for w in warnings:
        assert w.message_in("en") == w.message
        zh = w.message_in("zh")
        assert zh != w.message and any("\u4e00" <= ch <= "\u9fff" for ch in zh), w.message
    # each keeps its own fields, not the last ones of the loop that wrote it
    servers = [w.message_in("zh") for w in warnings if "nameserver 10." in w.message]
    assert len(set(servers)) == len(servers)
