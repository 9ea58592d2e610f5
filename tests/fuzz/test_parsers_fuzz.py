"""Any input to a parser gives a result or a ParseError, never another exception."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from infranotes.dns.kubelet import DNSConfig, KubeletDNS, pod_resolv_conf
from infranotes.dns.resolvconf import parse_resolv_conf
from infranotes.dns.search import candidates, check_name
from infranotes.dns.zone import parse_zone
from infranotes.errors import ParseError

WORDS = st.sampled_from(
    [
        "nameserver",
        "search",
        "domain",
        "options",
        "ndots:",
        "timeout:",
        "attempts:",
        "rotate",
        "127.0.0.1",
        "::1",
        "a.test",
        "#",
        ";",
        " ",
        "\t",
        "\n",
        ".",
        "5",
        "99",
        "-1",
        "fe80::1%eth0",
        "single-request",
    ]
)
RESOLV_TEXT = st.one_of(st.text(), st.lists(WORDS, max_size=40).map("".join))


@settings(max_examples=400, deadline=None)
@given(RESOLV_TEXT, st.sampled_from(["glibc", "musl"]), st.booleans())
def test_resolv_conf_text(text: str, libc: str, strict: bool) -> None:
    try:
        conf = parse_resolv_conf(text, libc, strict=strict)  # type: ignore[arg-type]
    except ParseError:
        return
    assert 1 <= len(conf.nameservers) <= 3
    assert 0 <= conf.options.ndots <= 15


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_resolv_conf_bytes(data: bytes) -> None:
    with contextlib.suppress(ParseError):
        parse_resolv_conf(data, "musl")


@settings(max_examples=300, deadline=None)
@given(RESOLV_TEXT, st.text(alphabet="ab.-1", max_size=30))
def test_candidates_from_any_conf(text: str, name: str) -> None:
    try:
        conf = parse_resolv_conf(text, "glibc")
        check_name(name)
    except ParseError:
        return
    out = candidates(name, conf)
    assert out and all(c.endswith(".") for c in out)


ZONE_WORDS = st.sampled_from(
    [
        "a.test.",
        "*.test.",
        "60",
        "IN",
        "A",
        "AAAA",
        "CNAME",
        "TXT",
        "1.2.3.4",
        "::1",
        '"x"',
        "(",
        ")",
        ";",
        "$ORIGIN",
        "$TTL",
        " ",
        "\n",
        "@",
        "SOA",
        "x.",
        "b",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(ZONE_WORDS, max_size=30).map(" ".join)))
def test_zone_text(text: str) -> None:
    try:
        zone = parse_zone(text)
    except ParseError:
        return
    for rec in zone.records:
        zone.lookup(rec.owner, "A")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.text(max_size=200))
def test_dns_config_and_node_file(json_text: str, node: str) -> None:
    try:
        cfg = DNSConfig.from_json(json_text)
    except ParseError:
        cfg = None
    pod_resolv_conf(KubeletDNS(), "ns", dns_config=cfg, node_resolv_conf=node)


MANIFEST_WORDS = st.sampled_from(
    [
        "kind: Service\n",
        "kind: Endpoints\n",
        "kind: EndpointSlice\n",
        "kind: List\n",
        "items:\n",
        "metadata: {name: a, namespace: b}\n",
        "spec:\n",
        "  clusterIP: None\n",
        "  clusterIP: 10.0.0.1\n",
        "  type: ExternalName\n",
        "  externalName: x.y\n",
        "  ports: [{name: h, port: 80}]\n",
        "subsets: [{addresses: [{ip: 10.0.0.2}]}]\n",
        "endpoints: [{addresses: [1.2.3.4]}]\n",
        "---\n",
        "- ",
        "  ",
        "{",
        "}",
        "[",
        "]",
        ": ",
        "null\n",
        "7\n",
        "metadata: {labels: {kubernetes.io/service-name: a}}\n",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(MANIFEST_WORDS, max_size=25).map("".join)))
def test_manifest_loader(text: str) -> None:
    from infranotes.dns.manifests import load_manifests
    from infranotes.dns.records import generate

    try:
        inv = load_manifests(text)
    except ParseError:
        return
    generate(inv, "cluster.local")


IPT_WORDS = st.sampled_from(
    [
        "*filter\n",
        "*nat\n",
        "*raw\n",
        "COMMIT\n",
        ":INPUT ACCEPT [0:0]\n",
        ":FORWARD DROP [1:2]\n",
        ":X - [0:0]\n",
        "-A INPUT",
        "-A X",
        "-A FORWARD",
        " -s 10.0.0.0/8",
        " ! -d 1.2.3.4",
        " -p tcp",
        " -m tcp --dport 80",
        " -m statistic --mode random --probability 0.5",
        ' -m comment --comment "a b"',
        " -m conntrack --ctstate NEW",
        " -j ACCEPT",
        " -j X",
        " -g X",
        " -j DNAT --to-destination 1.2.3.4:5",
        " -j MARK --set-xmark 0x1/0x1",
        " !",
        " -m",
        " --dport",
        "\n",
        "[3:4] ",
        "# c\n",
        " -j RETURN",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(IPT_WORDS, max_size=40).map("".join)))
def test_iptables_save_parser_and_tracer(text: str) -> None:
    from infranotes.netfilter import Tracer, parse_iptables_save, parse_packet

    try:
        rs = parse_iptables_save(text)
    except ParseError:
        return
    t = Tracer(rs).trace(parse_packet("tcp 10.0.0.5:1 > 10.96.0.10:80 iif eth0"))
    assert t.branches and abs(sum(b.probability for b in t.branches) - 1.0) < 1e-9


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_packet_parser(text: str) -> None:
    from infranotes.netfilter import parse_packet

    with contextlib.suppress(ParseError):
        parse_packet(text)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=300), st.binary(max_size=200).map(lambda b: b"TZif2" + b"\0" * 15 + b)
    )
)
def test_tzif_reader(data: bytes) -> None:
    from infranotes.timekeeping.tzif import parse_tzif

    try:
        z = parse_tzif(data)
    except ParseError:
        return
    z.at(0)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(st.text(max_size=40), st.text(alphabet="ESTD<>+-0123456789,.:/JM", max_size=40)),
    st.integers(min_value=-(2**40), max_value=2**40),
)
def test_posix_tz(text: str, t: int) -> None:
    from infranotes.timekeeping.posixtz import parse_posix_tz

    try:
        tz = parse_posix_tz(text)
    except ParseError:
        return
    off, _, abbr = tz.evaluate(t)
    assert -200000 < off < 200000 and abbr


CRON_WORDS = st.sampled_from(
    [
        "*",
        "?",
        "/",
        "-",
        ",",
        " ",
        "0",
        "1",
        "5",
        "7",
        "12",
        "23",
        "31",
        "59",
        "60",
        "mon",
        "JAN",
        "sun",
        "@every ",
        "@daily",
        "@",
        "TZ=",
        "CRON_TZ=",
        "UTC",
        "Asia/Tokyo",
        "h",
        "m",
        "1.5",
        "L",
        "W",
        "#",
        "\t",
        "9" * 25,
    ]
)


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(st.text(max_size=60), st.lists(CRON_WORDS, max_size=14).map("".join)),
    st.integers(min_value=0, max_value=4_000_000_000),
    st.sampled_from(["UTC", "America/Sao_Paulo", "Australia/Lord_Howe"]),
)
def test_cron_schedule(spec: str, t: int, zone: str) -> None:
    from zoneinfo import ZoneInfo

    from infranotes.cronjob.schedule import describe, parse_schedule

    try:
        s = parse_schedule(spec)
    except ParseError:
        return
    nxt = s.next(t, ZoneInfo(zone))
    assert nxt is None or nxt > t
    assert describe(s).endswith(".")


CRONJOB_WORDS = st.sampled_from(
    [
        "kind: CronJob\n",
        "metadata:\n",
        "  name: x\n",
        "  creationTimestamp: ",
        "2024-05-01\n",
        "spec:\n",
        "  schedule: ",
        '"* * * * *"\n',
        "  suspend: ",
        "yes\n",
        "  timeZone: 3\n",
        "status:\n",
        "  lastScheduleTime: ",
        "bad\n",
        "  active: [1]\n",
        "kind: List\nitems:\n",
        "- ",
        "{",
        "}",
        ": ",
        "\n",
        "  startingDeadlineSeconds: ",
        "-5\n",
        "  concurrencyPolicy: ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(CRONJOB_WORDS, max_size=25).map("".join)))
def test_cronjob_loader(text: str) -> None:
    from infranotes.cronjob.controller import decide
    from infranotes.cronjob.manifest import load_cronjobs, validate

    try:
        found = load_cronjobs(text, "fuzz.yaml", now=1_714_521_600)
    except ParseError:
        return
    for spec, status in found:
        if not validate(spec, allow_tz_in_schedule=True):
            assert decide(spec, status, 1_714_608_000).action in ("start", "skip", "wait", "error")


CNI_WORDS = st.sampled_from(
    [
        '{"cniVersion":"1.0.0","name":"n","ipam":{',
        '"ranges":[[',
        '{"subnet":"10.0.0.0/24"}',
        '{"subnet":"fd00::/64"}',
        '"rangeStart":"10.0.0.5"',
        '"gateway":"x"',
        '"routes":[{"dst":',
        '"0.0.0.0/0"}]',
        "]]",
        "}",
        "}}",
        ",",
        '"subnet":"10.1.0.0/16"',
        '"cniVersion":"0.2.0"',
        "null",
        "[",
        '"dataDir":"/nonexistent"',
        '"rangeEnd":"10.0.0.1"',
        '"subnet":"1.2.3.4/33"',
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.binary(max_size=120), st.lists(CNI_WORDS, max_size=16).map("".join)),
    st.text(max_size=30),
)
def test_cni_config(data: bytes | str, cni_args: str) -> None:
    from infranotes.cni.types import CNIError, load_ipam_config, parse_netconf

    try:
        load_ipam_config(parse_netconf(data), cni_args)
    except CNIError as exc:
        assert exc.to_json()["code"] in (1, 4, 6, 7, 999)


CEPH_WORDS = st.sampled_from(
    [
        '{"pgmap":',
        '{"pgs_by_state":[',
        '{"state_name":"active+clean","count":3}',
        "]}",
        "}",
        '"health":{"status":"HEALTH_OK","checks":{}}',
        ",",
        '{"pg_stats":[',
        '{"pgid":"1.a",',
        '"state":"down"}',
        "[",
        '{"checks":{"X":{"detail":[{"message":"pg 1.2 is stale"}]}},',
        '"status":"HEALTH_ERR"}',
        "32 pgs: 3 active+clean; 1 KiB data",
        "null",
        '"pg_map":',
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=150), st.lists(CEPH_WORDS, max_size=14).map("".join)))
def test_ceph_snapshot(text: str) -> None:
    from infranotes.ceph.doctor import explain
    from infranotes.ceph.snapshot import parse

    try:
        snap = parse(text, "fuzz.json")
    except ParseError:
        return
    explain(snap).to_json()


CEPH_KEYS = st.sampled_from(
    ["pgmap", "health", "checks", "status", "pgs_by_state", "state_name", "count", "osdmap",
     "pg_map", "pg_stats", "pgid", "state", "acting", "up", "detail", "message", "summary",
     "severity", "num_pg_by_state", "pg_summary", "name", "num", "degraded_objects"]
)  # fmt: skip
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 40) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(CEPH_KEYS, inner, max_size=5),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(CEPH_KEYS, JSON_VALUES, max_size=6))
def test_ceph_snapshot_of_any_json_shape(doc: dict) -> None:
    """Ceph JSON with every field of any type: a snapshot or a ParseError, never a crash."""
    import json

    from infranotes.ceph.doctor import explain
    from infranotes.ceph.snapshot import parse

    try:
        snap = parse(json.dumps(doc), "fuzz.json")
    except ParseError:
        return
    explain(snap).to_json()
