"""Chapter 07's tables and sentences, each in English or Chinese (``lang``).

The notebook shows them with :func:`infranotes.i18n.bilingual`, so the Chinese edition reads
them in Chinese. State names, check codes, Ceph's own summaries and commands stay as Ceph
prints them in both languages: they are what a reader greps for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import TYPE_CHECKING

from infranotes.ceph.checks import CHECKS
from infranotes.ceph.doctor import explain, in_words
from infranotes.ceph.glossary import STATES
from infranotes.ceph.messages import SEVERITY_ZH, STAGES_ZH, tr
from infranotes.ceph.snapshot import Snapshot, parse_recorded
from infranotes.i18n import check_lang
from infranotes.table import Table

if TYPE_CHECKING:
    from infranotes.ceph.lab import Stage

HEALTH_STAGES = (
    "health_01_nearfull_ratio_lowered",
    "health_02_full_ratios_lowered",
    "health_03_pool_quota_94_warn_threshold_80",
    "health_04_pool_quota_reached",
    "health_05_noout_osd_2_stopped",
    "health_06_min_size_3_size_osd_2_down",
    "health_07_osd_2_back_noout_unset",
    "health_08_osd_1_out_still_up",
)


def recorded_snapshot(stage: str) -> dict:
    """One recorded stage of the mini-cluster (``ceph/recorded/<stage>.json``)."""
    return json.loads(
        resources.files("infranotes.ceph").joinpath("recorded", f"{stage}.json").read_text()
    )


def _stage(name: str, lang: str) -> str:
    return STAGES_ZH.get(name, name) if lang == "zh" else name


def glossary_table(*, lang: str = "en") -> Table:
    """Every PG state of the docs; the English edition shows both languages' meanings."""
    if check_lang(lang) == "zh":
        return Table(
            (tr(lang, "state"), tr(lang, "meaning"), tr(lang, "severity")),
            [(s.name, s.meaning_zh, SEVERITY_ZH[s.severity]) for s in STATES.values()],
        )
    return Table(
        ("state", "meaning", "含义", "severity"),
        [(s.name, s.meaning_en, s.meaning_zh, s.severity) for s in STATES.values()],
    )


def counts_phrase(counts: Mapping[str, int], *, lang: str = "en") -> str:
    """PG counts as a reader says them: ``28 active+undersized+degraded, 4 active+undersized``.

    Largest count first (ties by state), so the settled state of a stage reads first; an
    empty mapping (no PG reported) is ``no PGs``. The notebook shows this instead of the dict.
    """
    if not counts:
        return tr(lang, "no PGs")
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    sep = "，" if check_lang(lang) == "zh" else ", "
    return sep.join(tr(lang, "{n} {state}", n=n, state=state) for state, n in ordered)


def stages_table(stages: Iterable[Stage], *, lang: str = "en") -> Table:
    """One row per step of the live scenario: time taken, health, settled states in words."""
    return Table(
        (
            tr(lang, "step"),
            tr(lang, "seconds"),
            tr(lang, "health"),
            tr(lang, "settled PG states"),
            tr(lang, "states seen on the way"),
        ),
        [
            (
                _stage(s.name, lang),
                s.seconds,
                s.snapshot.health if s.snapshot else "—",
                counts_phrase(s.snapshot.pgs_by_state, lang=lang) if s.snapshot else "—",
                len(s.seen),
            )
            for s in stages
        ],
    )


def health_stages_table(*, lang: str = "en") -> Table:
    """The recorded health stages (``MiniCluster.health_scenario``): what each one raised."""
    rows = []
    for name in HEALTH_STAGES:
        doc = recorded_snapshot(name)
        s = parse_recorded(doc, name)
        rows.append(
            (
                _stage(doc["stage"], lang),
                s.health,
                counts_phrase(s.pgs_by_state, lang=lang),
                ", ".join(c.name for c in s.checks) or "-",
            )
        )
    header = (
        tr(lang, "stage"),
        tr(lang, "health"),
        tr(lang, "settled PG states"),
        tr(lang, "health checks"),
    )
    return Table(header, rows)


def health_glossary_table(*, lang: str = "en") -> Table:
    """Every Ceph 16 health check code (``checks.CHECKS``) in both languages."""
    if check_lang(lang) == "zh":
        return Table(
            (tr(lang, "check"), tr(lang, "raised by"), tr(lang, "severity"), tr(lang, "meaning")),
            [
                (
                    c.code,
                    tr(lang, "doc only") if c.origin == "doc only" else c.origin,
                    c.severity,
                    c.meaning_zh,
                )
                for c in CHECKS.values()
            ],
        )
    return Table(
        ("check", "raised by", "severity", "meaning", "含义"),
        [(c.code, c.origin, c.severity, c.meaning_en, c.meaning_zh) for c in CHECKS.values()],
    )


def combinations_table(s: Snapshot, *, lang: str = "en") -> Table:
    """The snapshot's state combinations, most PGs first, each read as a sentence."""
    return Table(
        (tr(lang, "PGs"), tr(lang, "state"), tr(lang, "in words")),
        [(n, st, in_words(st, lang)) for st, n, _ in explain(s).combinations],
    )


def checks_table(s: Snapshot, *, lang: str = "en") -> Table:
    """The snapshot's health checks as raised, and what they mean."""
    report = explain(s)
    if check_lang(lang) == "zh":
        return Table(
            (tr(lang, "check"), tr(lang, "raised as"), tr(lang, "summary"), tr(lang, "meaning")),
            [
                (
                    e.raised.name,
                    e.raised.severity,
                    e.raised.summary,
                    e.glossary.meaning_zh if e.glossary else "?",
                )
                for e in report.check_explanations
            ],
        )
    return Table(
        ("check", "raised as", "summary", "meaning", "含义"),
        [
            (
                e.raised.name,
                e.raised.severity,
                e.raised.summary,
                e.glossary.meaning_en if e.glossary else "?",
                e.glossary.meaning_zh if e.glossary else "?",
            )
            for e in report.check_explanations
        ],
    )


def steps_table(s: Snapshot, *, lang: str = "en") -> Table:
    """The doctor's next steps for the snapshot, most urgent first."""
    steps = explain(s, lang).next_steps
    return Table(
        ("#", tr(lang, "run"), tr(lang, "why")),
        [(i, st.command, st.why) for i, st in enumerate(steps, 1)],
    )


def blocked_text(s: Snapshot, *, lang: str = "en") -> str:
    """Why no recovery can start in ``s``, one reason per line (empty when nothing blocks)."""
    return "\n".join(explain(s, lang).recovery_blocked)


def run_summary(seconds: float, peak_kib: int, *, lang: str = "en") -> str:
    """The live run's one-line summary: how long it took and the daemons' peak memory."""
    return tr(
        lang,
        "whole run {seconds:.0f} s, peak memory of the five daemons {mib:.0f} MiB",
        seconds=seconds,
        mib=peak_kib / 1024,
    )
