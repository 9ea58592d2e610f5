"""Chapter 07 in Chinese: the doctor and the tables say the same things in both languages.

The Chinese edition shows ``lang="zh"`` renderings (infranotes.i18n.bilingual). What must not
change between languages: the commands, their order, the states, check codes and counts; what
must: every sentence the doctor writes, every header. The translation tables in
ceph/messages.py must cover their English sources completely.
"""

from __future__ import annotations

import ast
import json
import re
from importlib import resources
from pathlib import Path

import pytest

from infranotes.ceph import chapter, doctor
from infranotes.ceph.checks import CHECKS
from infranotes.ceph.glossary import STATES
from infranotes.ceph.messages import PHRASES_ZH, SEVERITY_ZH, STAGES_ZH, STATE_WHY_ZH, STEPS_ZH
from infranotes.ceph.snapshot import parse_recorded
from tests.i18n.catalogs import literals, missing_terms, read_terms

CJK = re.compile(r"[\u4e00-\u9fff]")
RECORDED = sorted(
    p.name.removesuffix(".json")
    for p in resources.files("infranotes.ceph").joinpath("recorded").iterdir()
    if p.name.endswith(".json") and "health_detail" in json.loads(p.read_text())
)


def test_translation_tables_cover_their_sources() -> None:
    whys = {why for c in CHECKS.values() for why, *_ in c.steps}
    assert set(STEPS_ZH) == whys
    assert set(PHRASES_ZH) == set(doctor.PHRASES)
    assert set(SEVERITY_ZH) == {s.severity for s in STATES.values()}
    # the states whose check the doctor turns into steps (doctor.explain)
    acted = {s.name for s in STATES.values() if s.severity == "action" and s.check}
    assert set(STATE_WHY_ZH) == acted - {"inconsistent"}
    lab = Path(doctor.__file__).with_name("lab.py").read_text(encoding="utf-8")
    stages = {
        n.args[0].value
        for n in ast.walk(ast.parse(lab))
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr == "until"
        and n.args
        and isinstance(n.args[0], ast.Constant)
    }
    assert len(stages) == 16 and set(STAGES_ZH) == stages


@pytest.mark.parametrize("table", ["STEPS_ZH", "PHRASES_ZH", "STAGES_ZH"], ids=lambda t: t.lower())
def test_translations_keep_code_numbers_and_terms(table: str) -> None:
    import infranotes.ceph.messages as m

    terms = read_terms()
    bad = []
    for en, zh in getattr(m, table).items():
        a, b = literals(en), literals(zh)
        if (a.code, a.numbers) != (b.code, b.numbers):
            bad.append(f"{en!r} -> {zh!r}")
        bad += [f"{t} in {zh!r}" for t in missing_terms(en, zh, terms)]
        if not CJK.search(zh):
            bad.append(f"no Chinese in {zh!r}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("stage", RECORDED)
def test_the_doctor_says_the_same_in_chinese(stage: str) -> None:
    s = parse_recorded(chapter.recorded_snapshot(stage), stage)
    en, zh = doctor.explain(s), doctor.explain(s, "zh")
    assert [st.command for st in zh.next_steps] == [st.command for st in en.next_steps]
    assert zh.to_json()["pgs_by_state"] == en.to_json()["pgs_by_state"]
    assert [(st, n) for st, n, _ in zh.combinations] == [(st, n) for st, n, _ in en.combinations]
    assert len(zh.recovery_blocked) == len(en.recovery_blocked)
    for a, b in zip(en.next_steps, zh.next_steps, strict=True):
        assert CJK.search(b.why), b
        code = a.why.split(":")[0]
        if re.fullmatch(r"[A-Z_]+", code):  # a check code leads the reason in both
            assert b.why.startswith(code + ": ")
    for words in (w for _, _, w in zh.combinations):
        assert CJK.search(words) and not re.search(r"[a-z]{4,} [a-z]{3,}", words), words


def test_the_noout_stage_in_chinese() -> None:
    s = parse_recorded(chapter.recorded_snapshot("health_05_noout_osd_2_stopped"))
    assert chapter.blocked_text(s) == (
        "noout is set with osd.2 down: a down OSD is never marked out, so no recovery to other "
        "OSDs starts; the PGs stay undersized until it is back"
    )
    assert chapter.blocked_text(s, lang="zh") == (
        "设置了 noout 且 osd.2 已停止：停止的 OSD 永远不会被标记为 out，因此不会开始向其他 OSD "
        "的恢复；在它回来之前，这些 PG 一直处于 undersized"
    )
    en, zh = chapter.steps_table(s), chapter.steps_table(s, lang="zh")
    assert en.header == ("#", "run", "why") and zh.header == ("#", "执行", "原因")
    assert zh.rows[0] == (1, "ceph osd tree down", "noout 且 osd.2 已停止：是哪些，在哪台主机上")


def test_the_tables_keep_english_and_read_chinese() -> None:
    en, zh = chapter.glossary_table(), chapter.glossary_table(lang="zh")
    assert en.header == ("state", "meaning", "含义", "severity")
    assert zh.header == ("状态", "含义", "严重程度") and len(zh.rows) == len(en.rows) == len(STATES)
    assert ("undersized", STATES["undersized"].meaning_zh, "暂时") in zh.rows
    assert chapter.counts_phrase({"active+undersized": 4, "active+undersized+degraded": 28}) == (
        "28 active+undersized+degraded, 4 active+undersized"
    )
    assert chapter.counts_phrase({"active+clean": 32}, lang="zh") == "32 个 active+clean"
    assert chapter.counts_phrase({}, lang="zh") == "没有 PG"
    h_en, h_zh = chapter.health_stages_table(), chapter.health_stages_table(lang="zh")
    assert [(r[1], r[3]) for r in h_zh.rows] == [(r[1], r[3]) for r in h_en.rows]
    assert h_zh.rows[4][0] == "设置 noout，停止 osd.2" and h_en.rows[4][0] == "noout, osd.2 stopped"
    g = chapter.health_glossary_table(lang="zh")
    assert len(g.rows) == len(CHECKS) and ("仅见于文档" in {r[1] for r in g.rows})
    snap = parse_recorded(chapter.recorded_snapshot("05_osd_down_undersized_degraded"))
    combo = chapter.combinations_table(snap, lang="zh")
    assert combo.header == ("PG 数", "状态", "含义")
    assert combo.rows[0][:2] == (28, "active+undersized+degraded")
    assert (
        combo.rows[0][2] == "正在处理读写，副本数少于存储池的 size，部分对象未达到完整冗余（降级）"
    )


def test_the_cli_explains_in_chinese(tmp_path: Path, capsys) -> None:
    from infranotes.cli import main

    doc = chapter.recorded_snapshot("health_05_noout_osd_2_stopped")["health_detail"]
    status = tmp_path / "status.json"
    status.write_text(json.dumps(doc))
    assert main(["ceph", "explain", str(status)]) == 1
    english = capsys.readouterr().out
    assert main(["ceph", "explain", "--lang", "zh", str(status)]) == 1
    chinese = capsys.readouterr().out
    assert "  no recovery can start: noout is set with osd.2 down" in english
    assert "  无法开始恢复：设置了 noout 且 osd.2 已停止" in chinese
    assert "检查 OSD_DOWN (HEALTH_WARN): 1 osds down" in chinese
    commands = [
        ln.split("#")[0].split(". ", 1)[1].strip()
        for ln in english.splitlines()
        if re.match(r"  \d+\. ", ln)
    ]
    assert commands[:2] == ["ceph osd tree down", "ceph osd unset noout"]
    assert commands == [
        ln.split("#")[0].split(". ", 1)[1].strip()
        for ln in chinese.splitlines()
        if re.match(r"  \d+\. ", ln)
    ]
    assert main(["ceph", "explain", "--lang", "fr", str(status)]) == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err
