"""The container time-zone cases of the notebook, and tables comparing the doctor with libc."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from infranotes.plotting import PALETTE, figure
from infranotes.table import Table
from infranotes.timekeeping.lab import EPOCHS, Setup, build_root, run_live
from infranotes.timekeeping.messages import said, say, tr
from infranotes.timekeeping.resolve import ZoneState, diagnose

__all__ = [
    "CASES",
    "CaseResult",
    "build_root",
    "cases_table",
    "compare_cases",
    "offset_history",
    "run_cases",
    "stale_copy",
    "stale_state",
    "stale_table",
]
from infranotes.timekeeping.tzif import parse_tzif

ZI = "/usr/share/zoneinfo"

CASES = (
    (
        said(lambda lang: tr(lang, "image without tzdata, TZ=Asia/Shanghai")),
        Setup("no-tzdata", "missing", env={"TZ": "Asia/Shanghai"}, tzdata=False),
    ),
    (
        said(lambda lang: tr(lang, "TZ names a zone that does not exist")),
        Setup("tz-typo", env={"TZ": "Asia/Shangai"}),
    ),
    (
        said(
            lambda lang: tr(
                lang, "/etc/localtime copied, not linked (Asia/Tokyo); /etc/timezone says Shanghai"
            )
        ),
        Setup("copied", "copy:Asia/Tokyo", timezone="Asia/Shanghai\n"),
    ),
    (
        said(
            lambda lang: tr(
                lang, "host's /etc/localtime bind-mounted (a file inside the container)"
            )
        ),
        Setup("bind-mounted", "copy:Europe/Berlin"),
    ),
    (
        said(lambda lang: tr(lang, "the fix: a symlink, and tzdata in the image")),
        Setup("fixed", f"symlink:{ZI}/Asia/Shanghai", timezone="Asia/Shanghai\n"),
    ),
    (
        said(
            lambda lang: tr(
                lang, "TZ=CST6CDT: a zone file for glibc, a rule-less POSIX string for musl"
            )
        ),
        Setup("cst6cdt", env={"TZ": "CST6CDT"}),
    ),
    (
        said(lambda lang: tr(lang, "TZDIR pointing elsewhere: glibc follows it, musl ignores it")),
        Setup("tzdir", env={"TZ": "Asia/Shanghai", "TZDIR": "/opt/zoneinfo"}),
    ),
)


def _fmt(abbr: str, off: int) -> str:
    sign = "+" if off >= 0 else "-"
    h, m = divmod(abs(off) // 60, 60)
    return f"{abbr} {sign}{h:02d}{m:02d}"


@dataclass(frozen=True)
class CaseResult:
    """One case: the doctor's answer per libc and, when run live, what each libc printed."""

    title: str  # English; also in Chinese (a Said)
    predicted: dict[str, ZoneState]
    printed: dict[str, tuple[str, int]] | None  # libc -> (abbreviation, offset); None: not run


def run_cases(base: Path, live: bool) -> list[CaseResult]:
    """For each case: the doctor's prediction per libc (January 2024) and, when ``live``,
    what glibc's ``date`` and the musl probe print in a mount namespace built the same way."""
    results = []
    for title, setup in CASES:
        root = build_root(setup, base)
        pred = {libc: diagnose(root, setup.env, libc, EPOCHS[0]) for libc in ("glibc", "musl")}
        real = run_live(setup, root) if live else None
        printed = {libc: real[libc][0] for libc in ("glibc", "musl")} if real else None
        results.append(CaseResult(title, pred, printed))
    return results


def _warnings(state: ZoneState, lang: str) -> str:
    sep = "；" if lang == "zh" else "; "
    return sep.join(say(w, lang) for w in state.warnings)


def cases_table(results: list[CaseResult], lang: str = "en") -> Table:
    """The cases side by side: prediction, what libc printed, the zone's name, the warnings."""
    rows = []
    for r in results:
        for libc in ("glibc", "musl"):
            p = r.predicted[libc]
            got = _fmt(*r.printed[libc]) if r.printed else tr(lang, "(not run)")
            rows.append(
                (
                    say(r.title, lang) if libc == "glibc" else "",
                    libc,
                    _fmt(p.abbreviation, p.utc_offset_seconds),
                    got,
                    p.zone or "-",
                    _warnings(p, lang) or "-",
                )
            )
    header = (
        tr(lang, "case"),
        "libc",
        tr(lang, "doctor predicts"),
        tr(lang, "libc prints"),
        tr(lang, "zone name"),
        tr(lang, "warnings"),
    )
    return Table(header, rows)


def compare_cases(base: Path, live: bool, lang: str = "en") -> Table:
    """:func:`run_cases` as :func:`cases_table` shows it."""
    return cases_table(run_cases(base, live), lang=lang)


def stale_state(base: Path) -> ZoneState:
    """A copied /etc/localtime after tzdata is updated: the copy no longer matches any file."""
    root = build_root(Setup("stale", "missing"), base)
    # the image's tzdata is replaced by another release (the tzdata Python package's)
    shutil.rmtree(root / "usr/share/zoneinfo")
    newer = Path(str(resources.files("tzdata").joinpath("zoneinfo")))
    shutil.copytree(newer, root / "usr/share/zoneinfo")
    shutil.copyfile(f"{ZI}/America/Sao_Paulo", root / "etc/localtime")  # copied from the old one
    return diagnose(root, {}, "glibc", EPOCHS[0])


def stale_table(d: ZoneState, lang: str = "en") -> Table:
    """The doctor's answer for the stale copy, as one row."""
    header = (
        tr(lang, "zone name"),
        tr(lang, "source"),
        tr(lang, "state in January 2024"),
        tr(lang, "warnings"),
    )
    row = (d.zone or "-", say(d.source, lang), _fmt(d.abbreviation, d.utc_offset_seconds))
    return Table(header, [(*row, _warnings(d, lang))])


def stale_copy(base: Path, lang: str = "en") -> Table:
    """:func:`stale_state` as :func:`stale_table` shows it."""
    return stale_table(stale_state(base), lang=lang)


def offset_history(zones: tuple[str, ...], start: int = 1900, end: int = 2030):
    """UTC offset over time for ``zones``, read with our TZif reader (a step plot).

    5 in wide with 10 pt text and the legend below, legible on a phone (358 px wide).
    """
    fig, ax = figure(figsize=(5, 4.6))
    lo = int(dt.datetime(start, 1, 1, tzinfo=dt.UTC).timestamp())
    hi = int(dt.datetime(end, 1, 1, tzinfo=dt.UTC).timestamp())
    for color, name in zip(PALETTE, zones, strict=False):
        z = parse_tzif(Path(ZI, name).read_bytes(), name)
        times = [lo] + [t for t in z.transitions if lo < t < hi]
        # the footer's rules add transitions after the last one in the file
        step = 86400 * 7
        t = max(times[-1], z.transitions[-1] if z.transitions else lo)
        while t < hi and z.footer:
            t += step
            times.append(t)
        xs, ys = [], []
        for t in sorted(set(times)):
            xs.append(dt.datetime.fromtimestamp(t, dt.UTC))
            ys.append(z.at(t).utoff / 3600)
        ax.step(xs, ys, where="post", label=name, color=color, lw=1.2)
    ax.set_ylabel("UTC offset (hours)")
    ax.legend(fontsize=10, ncols=2, loc="upper center", bbox_to_anchor=(0.5, -0.1))
    return fig
