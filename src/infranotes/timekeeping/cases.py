"""The container time-zone cases of the notebook, and tables comparing the doctor with libc."""

from __future__ import annotations

import datetime as dt
import shutil
from importlib import resources
from pathlib import Path

from infranotes.plotting import PALETTE, figure
from infranotes.table import Table
from infranotes.timekeeping.lab import EPOCHS, Setup, build_root, run_live

__all__ = ["CASES", "build_root", "compare_cases", "offset_history", "stale_copy"]
from infranotes.timekeeping.resolve import diagnose
from infranotes.timekeeping.tzif import parse_tzif

ZI = "/usr/share/zoneinfo"

CASES = (
    (
        "image without tzdata, TZ=Asia/Shanghai",
        Setup("no-tzdata", "missing", env={"TZ": "Asia/Shanghai"}, tzdata=False),
    ),
    ("TZ names a zone that does not exist", Setup("tz-typo", env={"TZ": "Asia/Shangai"})),
    (
        "/etc/localtime copied, not linked (Asia/Tokyo); /etc/timezone says Shanghai",
        Setup("copied", "copy:Asia/Tokyo", timezone="Asia/Shanghai\n"),
    ),
    (
        "host's /etc/localtime bind-mounted (a file inside the container)",
        Setup("bind-mounted", "copy:Europe/Berlin"),
    ),
    (
        "the fix: a symlink, and tzdata in the image",
        Setup("fixed", f"symlink:{ZI}/Asia/Shanghai", timezone="Asia/Shanghai\n"),
    ),
    (
        "TZ=CST6CDT: a zone file for glibc, a rule-less POSIX string for musl",
        Setup("cst6cdt", env={"TZ": "CST6CDT"}),
    ),
    (
        "TZDIR pointing elsewhere: glibc follows it, musl ignores it",
        Setup("tzdir", env={"TZ": "Asia/Shanghai", "TZDIR": "/opt/zoneinfo"}),
    ),
)


def _fmt(abbr: str, off: int) -> str:
    sign = "+" if off >= 0 else "-"
    h, m = divmod(abs(off) // 60, 60)
    return f"{abbr} {sign}{h:02d}{m:02d}"


def compare_cases(base: Path, live: bool) -> Table:
    """For each case: the doctor's prediction per libc (January 2024) and, when ``live``,
    what glibc's ``date`` and the musl probe print in a mount namespace built the same way."""
    rows = []
    for title, setup in CASES:
        root = build_root(setup, base)
        pred = {libc: diagnose(root, setup.env, libc, EPOCHS[0]) for libc in ("glibc", "musl")}
        real = run_live(setup, root) if live else None
        for libc in ("glibc", "musl"):
            p = pred[libc]
            got = _fmt(*real[libc][0]) if real else "(not run)"
            rows.append(
                (
                    title if libc == "glibc" else "",
                    libc,
                    _fmt(p.abbreviation, p.utc_offset_seconds),
                    got,
                    p.zone or "-",
                    "; ".join(p.warnings) or "-",
                )
            )
    return Table(("case", "libc", "doctor predicts", "libc prints", "zone name", "warnings"), rows)


def stale_copy(base: Path) -> Table:
    """A copied /etc/localtime after tzdata is updated: the copy no longer matches any file."""
    root = build_root(Setup("stale", "missing"), base)
    # the image's tzdata is replaced by another release (the tzdata Python package's)
    shutil.rmtree(root / "usr/share/zoneinfo")
    newer = Path(str(resources.files("tzdata").joinpath("zoneinfo")))
    shutil.copytree(newer, root / "usr/share/zoneinfo")
    shutil.copyfile(f"{ZI}/America/Sao_Paulo", root / "etc/localtime")  # copied from the old one
    d = diagnose(root, {}, "glibc", EPOCHS[0])
    return Table(
        ("zone name", "source", "state in January 2024", "warnings"),
        [
            (
                d.zone or "-",
                d.source,
                _fmt(d.abbreviation, d.utc_offset_seconds),
                "; ".join(d.warnings),
            )
        ],
    )


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
