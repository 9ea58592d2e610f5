"""The reliability notebook's tables and summaries, in English (unchanged) and Chinese.

The English expected here is what notebooks/08 printed before its outputs became bilingual,
computed from the same seeded inputs; the Chinese must carry the same data values under
Chinese headers and labels.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from infranotes.i18n import Bilingual, bilingual
from infranotes.reliability import chapter, fanout, faults, faultsim, lab, latency, operators
from infranotes.table import Table

NOTEBOOK = (
    Path(__file__).resolve().parents[2] / "notebooks" / "08-reliability-and-tail-latency.ipynb"
)


def text(s: str) -> str:
    return "\n".join(line.strip() for line in s.strip().splitlines())


def has_chinese(s: object) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in str(s))


def assert_same_data(en: Table, zh: Table, label_columns: int = 1) -> None:
    """The two tables differ only in words: the same shape, the same numbers."""
    assert len(en.header) == len(zh.header) and len(en.rows) == len(zh.rows)
    for a, b in zip(en.rows, zh.rows, strict=True):
        assert list(a[label_columns:]) == list(b[label_columns:])


def numbers(s: str) -> list[str]:
    return re.findall(r"\d(?:[\d.e+-]|,(?=\d))*%?", s)


# ------------------------------------------------------------------ section 0


@pytest.fixture(scope="module")
def crash_outcomes() -> tuple[faultsim.Outcome, faultsim.Outcome]:
    return faultsim.correlated_versus_independent()


def test_fault_sources_table(crash_outcomes) -> None:
    en = chapter.fault_sources_table(*crash_outcomes)
    assert repr(en) == text("""
        fault source                replica crashes  time with no replica up  failed requests
        --------------------------  ---------------  -----------------------  ---------------
        hardware (independent)      26               0 s                      0.00%
        software (poison requests)  39               386 s                    10.65%
    """)
    zh = chapter.fault_sources_table(*crash_outcomes, lang="zh")
    assert zh.header == ("故障来源", "副本崩溃次数", "没有副本在线的时长", "失败的请求")
    assert [r[0] for r in zh.rows] == ["硬件（相互独立）", "软件（毒请求）"]
    assert_same_data(en, zh)


def test_interfaces_table_translates_names_only_when_rendering() -> None:
    results = operators.compare()
    en = chapter.interfaces_table(results)
    assert repr(en) == text("""
        interface                       mistakes  caught by the plan  outage (fleet-minutes)
        ------------------------------  --------  ------------------  ----------------------
        apply directly                  18        0                   540.0
        dry-run plan first              18        11                  210.0
        plan + 5 % canary for 10 min    18        11                  143.5
        plan + 5 % canary for 30 min    18        11                  10.5
        plan + canary + 5-min rollback  18        11                  1.8
    """)
    zh = chapter.interfaces_table(results, lang="zh")
    assert zh.header == ("变更方式", "错误次数", "被计划拦下", "停机（机群·分钟）")
    names = [r[0] for r in zh.rows]
    assert names[0] == "直接应用" and all(has_chinese(n) for n in names)
    assert "10 min" in names[2] and "30 min" in names[3] and "回滚" in names[4]
    assert_same_data(en, zh)
    # the model's names are data: rendering in Chinese leaves them English
    assert [r.interface for r in results] == [i.name for i in operators.INTERFACES]
    assert chapter.interface_name("my own process", lang="zh") == "my own process"


def test_chaos_table() -> None:
    runs = [
        lab.ChaosRun("buggy", 0.0, 200, 0, ((200, 200),)),
        lab.ChaosRun("buggy", 0.05, 200, 4, ((200, 77), (502, 4), (503, 119))),
        lab.ChaosRun("fixed", 0.0, 200, 0, ((200, 200),)),
        lab.ChaosRun("fixed", 0.05, 200, 14, ((200, 186), (502, 14))),
    ]
    en = chapter.chaos_table(runs)
    assert repr(en) == text("""
        service  dependency faults  requests  injected  200  502  503
        -------  -----------------  --------  --------  ---  ---  ---
        buggy    0%                 200       0         200  0    0
        buggy    5%                 200       4         77   4    119
        fixed    0%                 200       0         200  0    0
        fixed    5%                 200       14        186  14   0
    """)
    zh = chapter.chaos_table(runs, lang="zh")
    assert zh.header == ("服务", "依赖故障比例", "请求数", "注入的故障", "200", "502", "503")
    assert [r[0] for r in zh.rows] == ["有 bug", "有 bug", "已修复", "已修复"]
    assert_same_data(en, zh)
    assert runs[0].service == "buggy"  # the data word stays what the code compares


# ------------------------------------------------------------------ section 1


def test_fleet_and_nines_tables() -> None:
    fleets = [faults.fleet(y, 10_000) for y in (10, 27.4, 50)]
    en = chapter.fleet_table(fleets)
    assert repr(en) == text("""
        MTTF (years)  disks  failures per day  one every (hours)
        ------------  -----  ----------------  -----------------
        10            10000  2.74              8.8
        27.4          10000  1.00              24.0
        50            10000  0.55              43.8
    """)
    zh = chapter.fleet_table(fleets, lang="zh")
    assert zh.header == ("MTTF（年）", "磁盘数", "每天失效次数", "平均间隔（小时）")
    assert_same_data(en, zh, label_columns=0)

    downtimes = [faults.downtime(a) for a in (0.99, 0.999, 0.9999, 0.99999)]
    en = chapter.nines_table(downtimes)
    assert repr(en) == text("""
        availability  nines  per year  per month  per day
        ------------  -----  --------  ---------  -------
        0.99          2      87.66 h   438.3 min  864.0 s
        0.999         3      8.77 h    43.8 min   86.4 s
        0.9999        4      0.88 h    4.4 min    8.6 s
        0.99999       5      0.09 h    0.4 min    0.9 s
    """)
    zh = chapter.nines_table(downtimes, lang="zh")
    assert zh.header == ("可用性", "几个九", "每年", "每月", "每天")
    assert_same_data(en, zh, label_columns=0)


def test_data_loss_lines() -> None:
    events = {c: faults.loss_events_per_year(10_000, 3, 10, 24, correlated=c) for c in (0.0, 0.001)}
    en = chapter.data_loss(events)
    assert en == (
        "correlated   0.0: 2.25e-04 loss events a year, P(any loss in a year) = 0.02%\n"
        "correlated 0.001: 3.00e+00 loss events a year, P(any loss in a year) = 95.01%"
    )
    zh = chapter.data_loss(events, lang="zh")
    assert zh.splitlines()[0].startswith("相关失效概率   0.0：") and "次数据丢失" in zh
    assert [numbers(line) for line in zh.splitlines()] == [
        ["0.0", "2.25e-04", "0.02%"],
        ["0.001", "3.00e+00", "95.01%"],
    ]
    assert numbers(en) == numbers(zh)


# ------------------------------------------------------------------ sections 3 and 4


def test_hdr_table() -> None:
    rng = random.Random(42)
    samples = [max(1, round(rng.lognormvariate(9, 1.2))) for _ in range(200_000)]
    exact, hdr = sorted(samples), latency.hdr_percentiles(samples, (50, 95, 99, 99.9))
    en = chapter.hdr_table(exact, hdr)
    assert repr(en) == text("""
        percentile  exact (µs)  HdrHistogram (µs)  difference
        ----------  ----------  -----------------  ----------
        50          8106        8107               0.0123%
        95          58340       58367              0.0463%
        99          130167      130175             0.0061%
        99.9        321771      321791             0.0062%
    """)
    zh = chapter.hdr_table(exact, hdr, lang="zh")
    assert zh.header == ("百分位", "精确值（µs）", "HdrHistogram 估计值（µs）", "相对差异")
    assert_same_data(en, zh, label_columns=0)


def test_slow_requests_lines_align_in_both_languages() -> None:
    closed = [latency.fanout_tail(0.01, 100), latency.fanout_tail(1e-4, 2000)]
    simulated = latency.FanOutTail(
        0.01, 100, latency.simulate_fanout(0.01, 100, 20_000, random.Random(1))
    )
    en = chapter.slow_requests(closed, [simulated])
    assert en == (
        "1 in 100, fan-out 100:      63.4%\n"
        "1 in 10,000, fan-out 2,000: 18.1%\n"
        "simulated, 1 in 100 x 100:  63.3%"
    )
    zh = chapter.slow_requests(closed, [simulated], lang="zh")
    lines = zh.splitlines()
    assert lines[1].startswith("后端 10,000 次中慢 1 次，扇出 2,000：")
    assert lines[2].startswith("模拟：")
    assert [line.split()[-1] for line in lines] == ["63.4%", "18.1%", "63.3%"]
    # the values start in the same display column (a CJK character is two columns wide)
    starts = {chapter.width(line[: line.rindex(" ") + 1]) for line in lines}
    assert len(starts) == 1


def test_width_counts_cjk_as_two_columns() -> None:
    assert chapter.width("ab") == 2 and chapter.width("扇出：") == 6
    assert chapter.aligned([("a", "1"), ("扇出", "2")]) == "a    1\n扇出 2"


def test_hedging_table() -> None:
    m = latency.Mixture(fast_ms=10, p_slow=0.01, slow_ms=1000)
    delay = m.quantile(0.95)
    lat, extra = latency.simulate_hedged(m, delay, 200_000, random.Random(5))
    en = chapter.hedging_table(m, delay, lat, extra)
    assert repr(en) == (  # the first column has no header
        "                                   p50 (ms)  p99 (ms)  p99.9 (ms)  extra requests\n"
        "---------------------------------  --------  --------  ----------  --------------\n"
        "no hedging                         7.0       372.6     1000.0      0 %\n"
        "hedge after 32.1 ms (closed form)  7.0       41.6      58.8        -\n"
        "hedged, simulated                  7.0       41.6      58.3        5.1%"
    )
    zh = chapter.hedging_table(m, delay, lat, extra, lang="zh")
    assert zh.header[-1] == "额外请求" and zh.header[1:4] == en.header[1:4]
    assert [r[0] for r in zh.rows] == ["不对冲", "32.1 ms 后对冲（闭式解）", "对冲（模拟）"]
    assert_same_data(en, zh)


# ------------------------------------------------------------------ section 5


@pytest.fixture(scope="module")
def follower_counts() -> list[int]:
    return fanout.followers(200_000, random.Random(1))


def test_timeline_load(follower_counts) -> None:
    en = chapter.timeline_load(follower_counts)
    assert en == (
        "mean followers 75.0, largest 836,149\n"
        "fan-out on write: 345,010 writes/s (900,000 at the 12k/s peak)\n"
        "fan-out on read:  22,500,000 lookups/s\n"
        "one tweet to 30M followers at 345k writes/s: 87 s"
    )
    zh = chapter.timeline_load(follower_counts, lang="zh")
    assert zh.splitlines()[1].startswith("写时扇出：345,010 次写入/s")
    assert zh.splitlines()[2] == "读时扇出：22,500,000 次查找/s"
    assert sorted(numbers(en)) == sorted(numbers(zh))


def test_celebrity_table(follower_counts) -> None:
    en = chapter.celebrity_table(follower_counts)
    assert repr(en) == text("""
        threshold  celebrities  writes/s  read-time lookups/s
        ---------  -----------  --------  -------------------
        1,000      1163         177,569   10,920,094
        10,000     101          239,737   6,865,664
        100,000    8            285,433   3,885,489
    """)
    zh = chapter.celebrity_table(follower_counts, lang="zh")
    assert zh.header == ("阈值", "名人数", "写入次数/s", "读时查找次数/s")
    assert_same_data(en, zh, label_columns=0)


# ------------------------------------------------------------------ the notebook


def test_bilingual_keeps_the_english_text_and_adds_the_chinese(follower_counts) -> None:
    both = bilingual(chapter.celebrity_table, follower_counts)
    assert isinstance(both, Bilingual)
    assert repr(both) == repr(chapter.celebrity_table(follower_counts))
    assert "<th>名人数</th>" in both._repr_html_()


def test_notebook_shows_every_table_and_summary_in_both_languages() -> None:
    """Only the figures (English by decision) and the CLI's JSON stay monolingual."""
    cells = [c for c in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]]
    bilingual_outputs, english_only = 0, []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/png" in data:
                continue
            if 'class="infranotes-bilingual"' in "".join(data.get("text/html", "")):
                bilingual_outputs += 1
                continue
            if out["output_type"] == "stream" and "from infranotes.cli import main" in source:
                continue
            english_only.append(source)
    assert not english_only
    assert bilingual_outputs == 12


@pytest.mark.parametrize(
    ("argv", "en", "zh"),
    [
        (
            ["tail", "--p-slow", "0.01", "--fanout", "100"],
            "63.40% of requests wait for at least one slow backend",
            "63.40% 的请求至少要等待一个慢后端",
        ),
        (
            ["nines", "--availability", "0.9995"],
            "3.30 nines: 4.38 h a year, 21.9 min a month, 43.2 s a day",
            "3.30 个九：每年 4.38 h，每月 21.9 min，每天 43.2 s",
        ),
        (
            ["fleet", "--mttf-years", "30", "--count", "10000"],
            "0.91 failures a day (one every 26.3 h)",
            "每天 0.91 次失效（平均每 26.3 h 一次）",
        ),
    ],
)
def test_cli_answers_in_chinese(argv: list[str], en: str, zh: str, capsys) -> None:
    """``--lang zh`` changes the sentence, not its numbers; the default and ``--lang en`` print
    what the verb always printed, and the JSON has no prose, so it is the same in both."""
    from infranotes.cli import main

    def run(*extra: str) -> str:
        assert main(["reliability", *argv, *extra]) == 0
        out, err = capsys.readouterr()
        assert not err
        return out

    assert run() == run("--lang", "en") == en + "\n"
    assert run("--lang", "zh") == zh + "\n"
    assert run("--json", "--lang", "zh") == run("--json")
    assert main(["reliability", *argv, "--lang", "fr"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "invalid choice: 'fr'" in err
