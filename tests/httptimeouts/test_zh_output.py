"""Notebook 09's tables and lines in both editions: the English exactly as the notebook stored
it before they became bilingual (tests/httptimeouts/data/*.en.*), the Chinese with Chinese
words around the same data.

The live tables are rebuilt from the measurements the notebook showed (the same settings,
times, errors and replies), so no peer or server runs here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from infranotes.httptimeouts import chapter, model, scenarios
from infranotes.httptimeouts.keepalive import KeepAliveRun
from infranotes.httptimeouts.messages import data, tr
from infranotes.httptimeouts.peers import MODES
from infranotes.httptimeouts.scenarios import SCENARIOS, Measurement, Seen, note
from infranotes.i18n import UnknownLanguage, bilingual
from infranotes.table import Table

DATA = Path(__file__).parent / "data"
STACKS = [model.GO_SERVER, model.GO_CLIENT, model.HTTPX, model.UVICORN, model.STDLIB_SERVER]
CJK = re.compile(r"[\u4e00-\u9fff]")


def stored(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8").removesuffix("\n")


def text_of(table: Table) -> str:
    return repr(table)


def column(table: Table, i: int) -> list[str]:
    return [str(row[i]) for row in table.rows]


# ------------------------------------------------------------------ the model's tables


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("timeouts_table", lambda lang: chapter.timeouts_table(STACKS, lang=lang)),
        ("traps_table", lambda lang: chapter.traps_table(lang=lang)),
        ("modes_table", lambda lang: chapter.modes_table(lang=lang)),
    ],
)
def test_model_tables_in_english_are_what_the_notebook_stored(name, make) -> None:
    table = make("en")
    assert repr(table) == stored(f"{name}.en.txt")
    assert table._repr_html_() == stored(f"{name}.en.html")


def test_timeouts_table_in_chinese_keeps_names_and_values() -> None:
    en, zh = (chapter.timeouts_table(STACKS, lang=lang) for lang in ("en", "zh"))
    assert list(zh.header) == ["技术栈", "超时", "覆盖阶段", "计时方式", "默认值", "说明"]
    assert len(zh.rows) == len(en.rows) == len(model.TIMEOUTS)
    for i in (0, 1):  # stacks and setting names are data
        assert column(zh, i) == column(en, i)
    rht = zh.rows[0]
    assert rht[2] == "TLS 握手、请求头" and rht[3] == "截止时间" and rht[4] == "无"
    assert rht[5].startswith("从开始读取请求到请求头结束；为 0 时沿用 ReadTimeout。")
    httpx_read = next(r for r in zh.rows if r[0] == "httpx" and r[1] == "read")
    assert httpx_read[2:5] == ["响应头、响应体", "每次操作", "5 s"]
    assert all(CJK.search(r[2]) and CJK.search(r[5]) for r in zh.rows)


def test_traps_and_modes_in_chinese_keep_stacks_sources_and_names() -> None:
    en, zh = chapter.traps_table(lang="en"), chapter.traps_table(lang="zh")
    assert list(zh.header) == ["陷阱", "技术栈", "会发生什么", "出处"]
    assert column(zh, 1) == column(en, 1) and column(zh, 3) == column(en, 3)
    assert zh.rows[0][0] == "WriteTimeout 不会取消处理函数"
    assert "i/o timeout" in zh.rows[1][2] and "截止时间" in zh.rows[1][2]
    modes = chapter.modes_table(lang="zh")
    assert list(modes.header) == ["模式", "对端的行为"]
    assert column(modes, 0) == sorted(MODES)
    assert dict(modes.rows)["stall-body"] == "发送响应头和 1 MiB 响应体中的 1 KiB，然后停住"


def test_every_piece_of_the_models_prose_has_chinese() -> None:
    prose = [t.note for t in model.TIMEOUTS]
    prose += [t.title for t in model.TRAPS] + [t.detail for t in model.TRAPS]
    prose += [m.description for m in model.MISBEHAVIOURS] + list(MODES.values())
    missing = [p for p in prose if data("zh", p) == p or not CJK.search(data("zh", p))]
    assert not missing, f"not in httptimeouts/messages.py: {missing}"
    assert all(data("en", p) == p for p in prose)
    with pytest.raises(UnknownLanguage):
        data("fr", prose[0])


def test_every_phase_and_kind_has_chinese() -> None:
    for p in {*model.CLIENT_PHASES, *model.SERVER_PHASES}:
        assert chapter.phase(p) == p and CJK.search(chapter.phase(p, "zh")), p
    assert [chapter.kind(k, "zh") for k in ("deadline", "per-operation")] == [
        "截止时间",
        "每次操作",
    ]


# ------------------------------------------------------------------ the live tables

HELD = 1.5  # scenarios.HELD: the give-up time when nothing is predicted to fire

# What the notebook measured, scenario by scenario in the order of SCENARIOS: what fired,
# after how long, and the client's error or reply (clients) or what the server run saw.
HTTPX = [
    ("connect", 0.394, "ConnectTimeout"),
    ("connect", 0.314, "ConnectTimeout"),
    ("write", 0.321, "WriteTimeout"),
    (None, None, '200 {"body_after_seconds": 0.0, "body_bytes": 1000}'),
    ("read", 0.318, "ReadTimeout"),
    (None, None, None),
    ("total", 0.601, "TimeoutError: asyncio.timeout expired"),
    ("read", 0.310, "ReadTimeout"),
]
AWAITING = 'Get "http://127.0.0.1:{}/": net/http: timeout awaiting response headers'
GO_CLIENT = [
    (
        "Dialer.Timeout",
        0.310,
        'Get "http://127.0.0.1:40431/": dial tcp 127.0.0.1:40431: i/o timeout',
    ),
    (
        "TLSHandshakeTimeout",
        0.301,
        'Get "https://127.0.0.1:32905/": net/http: TLS handshake timeout',
    ),
    (None, None, None),
    (
        "Client.Timeout",
        0.301,
        'Post "http://127.0.0.1:44949/": context deadline exceeded '
        "(Client.Timeout exceeded while awaiting headers)",
    ),
    ("ExpectContinueTimeout", 0.300, '200 {"body_after_seconds": 0.301, "body_bytes": 1000}'),
    ("ResponseHeaderTimeout", 0.301, AWAITING.format(42519)),
    ("ResponseHeaderTimeout", 0.301, AWAITING.format(38723)),
    (None, None, None),
    (
        "Client.Timeout",
        0.301,
        "context deadline exceeded (Client.Timeout or context cancellation while reading body)",
    ),
]
I_O = "read tcp 127.0.0.1:35179->127.0.0.1:50112: i/o timeout"
SERVERS = [
    # go-server
    (None, None, Seen(None, held_for=HELD)),
    ("closed", 0.501, Seen(None)),
    (None, None, Seen(None, held_for=HELD)),
    ("closed", 0.501, Seen("HTTP/1.1 400 Bad Request")),
    ("closed", 0.501, Seen("HTTP/1.1 400 Bad Request")),
    (None, None, Seen(None, held_for=HELD, handler_error="unexpected EOF")),
    ("closed", 0.501, Seen("HTTP/1.1 408 Request Timeout", handler_error=I_O)),
    ("closed", 0.508, Seen("HTTP/1.1 200 OK")),
    ("closed", 0.601, Seen(None, handler_done=0.6, slow_handler=True)),
    # uvicorn
    (None, None, Seen(None, held_for=HELD)),
    (None, None, Seen(None, held_for=HELD)),
    (None, None, Seen(None, held_for=HELD)),
    ("closed", 0.504, Seen("HTTP/1.1 200 OK")),
    # http.server
    ("closed", 0.501, Seen(None)),
    (None, None, Seen(None, held_for=HELD)),
    ("closed", 0.501, Seen("HTTP/1.1 200 OK")),
]


def measured(stacks: tuple[str, ...], runs: list) -> list[Measurement]:
    ss = [s for s in SCENARIOS if s.stack in stacks]
    assert len(ss) == len(runs)
    out = []
    for s, (fired, after, said) in zip(ss, runs, strict=True):
        if isinstance(said, Seen):
            out.append(Measurement(s, s.prediction(), fired, after, note(said), seen=said))
        else:
            out.append(Measurement(s, s.prediction(), fired, after, said))
    return out


HTTPX_RUNS = measured((model.HTTPX,), HTTPX)
GO_CLIENT_RUNS = measured((model.GO_CLIENT,), GO_CLIENT)
SERVER_RUNS = measured((model.GO_SERVER,), SERVERS[:9]) + measured(
    (model.UVICORN, model.STDLIB_SERVER), SERVERS[9:]
)
ALL_RUNS = HTTPX_RUNS + GO_CLIENT_RUNS + SERVER_RUNS


def test_the_rebuilt_runs_agree_with_the_model_as_they_did_live() -> None:
    assert scenarios.HELD == HELD
    assert all(m.agrees for m in ALL_RUNS)


@pytest.mark.parametrize(
    ("name", "runs"),
    [
        ("measurements_httpx", HTTPX_RUNS),
        ("measurements_go_client", GO_CLIENT_RUNS),
        ("measurements_servers", SERVER_RUNS),
    ],
)
def test_measurements_in_english_are_what_the_notebook_stored(name, runs) -> None:
    assert text_of(chapter.measurements_table(runs)) == stored(f"{name}.en.txt")


def test_summary_in_english_is_what_the_notebook_stored() -> None:
    assert text_of(chapter.summary_table(ALL_RUNS)) == stored("summary.en.txt")


def test_measurements_in_chinese_quote_errors_and_replies_as_they_came() -> None:
    en = chapter.measurements_table(HTTPX_RUNS + GO_CLIENT_RUNS + SERVER_RUNS, lang="en")
    zh = chapter.measurements_table(HTTPX_RUNS + GO_CLIENT_RUNS + SERVER_RUNS, lang="zh")
    assert list(zh.header) == [
        "技术栈",
        "异常行为",
        "配置",
        "模型预测",
        "实测",
        "一致",
        "错误 / 回复",
    ]
    for i in (0, 1):  # stacks and misbehaviours are names
        assert column(zh, i) == column(en, i)
    clients = len(HTTPX_RUNS) + len(GO_CLIENT_RUNS)
    assert column(zh, 6)[:clients] == column(en, 6)[:clients]  # errors and replies: data
    assert column(zh, 5) == ["是"] * len(ALL_RUNS)
    rows = {(r[0], r[1], r[2]): r for r in zh.rows}
    assert rows["httpx", "slow-headers", "read=0.3s"][3:5] == [
        "无（一直挂起） @ —",
        "无（连接未断 / 挂起） @ —",
    ]
    assert rows["go-server", "silent-client", "未设置"][6] == "1.5 s 后仍未断开；无响应"
    assert rows["go-server", "slowloris", "ReadTimeout=0.5s"][6] == (
        "服务器回复 'HTTP/1.1 400 Bad Request'"
    )
    assert (
        rows["go-server", "slow-upload", "ReadTimeout=0.5s"][6]
        == (f"服务器回复 'HTTP/1.1 408 Request Timeout'；处理函数：{I_O}"[:90])
    )
    assert rows["go-server", "slow-upload", "ReadHeaderTimeout=0.5s"][6] == (
        "1.5 s 后仍未断开；无响应；处理函数：unexpected EOF"
    )
    assert (
        rows["go-server", "slow-handler", "WriteTimeout=0.3s"][6]
        == "响应：无；处理函数在 0.60 s 后结束"
    )
    assert rows["go-server", "slow-handler", "WriteTimeout=0.3s"][3:5] == [
        "WriteTimeout @ 0.600",
        "已关闭 @ 0.601",
    ]
    # a client's measured setting is a name; a server's close is said in Chinese
    assert rows["httpx", "no-accept", "connect=0.3s"][4] == "connect @ 0.394"
    assert column(zh, 4).count("已关闭 @ 0.501") == 6


def test_a_second_run_and_a_disagreement_are_said_in_both_languages() -> None:
    first = HTTPX_RUNS[0]
    late = Measurement(first.scenario, first.predicted, "connect", 0.9, "ConnectTimeout")
    retried = Measurement(
        first.scenario, first.predicted, "connect", 0.31, "ConnectTimeout", first_try=late
    )
    assert not late.agrees and retried.agrees
    assert column(chapter.measurements_table([late, retried]), 5) == ["NO", "yes (2nd run)"]
    zh = chapter.measurements_table([late, retried], lang="zh")
    assert column(zh, 5) == ["否", "是（第 2 次运行）"]


def test_summary_in_chinese() -> None:
    en, zh = chapter.summary_table(ALL_RUNS), chapter.summary_table(ALL_RUNS, lang="zh")
    assert list(zh.header) == ["异常行为", "对端的行为", "Go（实测）", "Python（实测）"]
    assert column(zh, 0) == column(en, 0)
    rows = {r[0]: r for r in zh.rows}
    assert rows["no-accept"][1:] == [
        "服务器的 accept 队列已满：SYN 被丢弃",
        "go-client Dialer.Timeout: 0.31s",
        "httpx connect: 0.39s",
    ]
    assert rows["ignore-expect"][3] == "httpx write=0.3s, read=0.3s：已应答，无须触发超时"
    assert rows["slowloris"][2] == (
        "go-server 未设置：无效；go-server ReadHeaderTimeout: 0.50s；go-server ReadTimeout: 0.50s"
    )
    assert rows["slow-handler"][3] == "—"


def test_server_notes_say_each_part_in_either_language() -> None:
    cases = [
        (Seen(None), "no response", "无响应"),
        (Seen("HTTP/1.1 200 OK"), "server said 'HTTP/1.1 200 OK'", "服务器回复 'HTTP/1.1 200 OK'"),
        (Seen(None, held_for=2.1), "still open after 2.1 s; no response",
         "2.1 s 后仍未断开；无响应"),
        (Seen(None, slow_handler=True), "response: none; handler finished",
         "响应：无；处理函数已结束"),
        (
            Seen("HTTP/1.1 200 OK", handler_done=1.234, slow_handler=True),
            "response: HTTP/1.1 200 OK; handler finished after 1.23 s",
            "响应：HTTP/1.1 200 OK；处理函数在 1.23 s 后结束",
        ),
    ]  # fmt: skip
    for seen, en, zh in cases:
        assert (note(seen), note(seen, "zh")) == (en, zh)


# ------------------------------------------------------------------ keep-alive and the CLI


def test_keepalive_tables_in_both_languages() -> None:
    sockets = {
        "0": {"keepalive": 1, "idle_s": 15, "interval_s": 15, "count": 9},
        "30s": {"keepalive": 1, "idle_s": 30, "interval_s": 30, "count": 9},
        "-1s": {"keepalive": 0, "idle_s": 7200, "interval_s": 75, "count": 9},
    }
    assert text_of(chapter.dialer_table(sockets)) == stored("keepalive_dialer.en.txt")
    zh = chapter.dialer_table(sockets, lang="zh")
    assert list(zh.header) == [
        "Dialer.KeepAlive",
        "SO_KEEPALIVE",
        "空闲时间 (s)",
        "探测间隔 (s)",
        "探测次数",
    ]
    assert zh.rows == chapter.dialer_table(sockets).rows

    runs = [
        KeepAliveRun("process hung", 1, 1, 3, 5, None, None),
        KeepAliveRun("host gone", 1, 1, 3, 3, 4.02, "ETIMEDOUT"),
    ]
    assert text_of(chapter.keepalive_table(runs)) == stored("keepalive_runs.en.txt")
    zh = chapter.keepalive_table(runs, lang="zh")
    assert list(zh.header) == ["对端", "已发探测", "连接结束于", "错误"]
    assert [list(r) for r in zh.rows] == [
        ["进程挂起", 5, "6 s 时仍未断开", "-"],
        ["主机消失", 3, "4.0 s", "ETIMEDOUT"],
    ]


def test_exit_status_line() -> None:
    both = bilingual(chapter.exit_status, 1)
    assert repr(both) == "exit 1"  # what print("exit", 1) showed
    assert both.zh.text == "退出状态 1"
    assert tr("zh", "exit {code}", code=2) == "退出状态 2"
