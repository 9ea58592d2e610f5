"""The timelines of Go's server and client timeouts (the seed's two diagrams) and the
tables of measurements, all drawn from :mod:`infranotes.httptimeouts.model`."""

from __future__ import annotations

from collections.abc import Sequence

from infranotes.httptimeouts import model
from infranotes.httptimeouts.scenarios import GO_STACKS, Measurement
from infranotes.plotting import PALETTE, figure
from infranotes.table import Table


def timeline(stacks: Sequence[str], side: str):
    """One bar per timeout over the phases it covers: solid for a deadline, hatched for a
    per-operation timeout (restarted by every read or write).

    5.4 in wide with 10 pt text (each label on two lines: stack, then setting), so that shown
    358 px wide on a phone no label is smaller than about 9 px."""
    phases = model.SERVER_PHASES if side == "server" else model.CLIENT_PHASES
    rows = [t for s in stacks for t in model.timeouts(s) if t.side == side]
    fig, ax = figure(figsize=(5.4, 0.62 * len(rows) + 2.0))
    for y, t in enumerate(reversed(rows)):
        idx = [phases.index(p) for p in t.covers]
        colour = PALETTE[list(dict.fromkeys(r.stack for r in rows)).index(t.stack) % 6]
        hatch = "///" if t.kind == "per-operation" else None
        for start, end in _runs(idx):  # httpx's write skips "wait for 100": two segments
            ax.barh(
                y,
                end - start,
                left=start,
                height=0.6,
                color=colour if hatch is None else "white",
                edgecolor=colour,
                hatch=hatch,
            )
    ax.set_xticks(
        [i + 0.5 for i in range(len(phases))], phases, rotation=40, ha="right", fontsize=10
    )
    ax.grid(False, axis="x")
    for i in range(len(phases) + 1):
        ax.axvline(i, color="#cccccc", lw=0.6, zorder=0)
    ax.set_xlim(0, len(phases))
    ax.set_yticks(range(len(rows)), [f"{t.stack}\n{t.name}" for t in reversed(rows)], fontsize=10)
    ax.set_title(f"{side} side: which timeout\ncovers which phase", fontsize=11)
    return fig


def _runs(idx: list[int]) -> list[tuple[int, int]]:
    """Contiguous runs of phase indexes as (start, end) spans."""
    runs: list[tuple[int, int]] = []
    for i in idx:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def _conf(m: Measurement) -> str:
    return ", ".join(f"{k}={v:g}s" for k, v in m.scenario.configured) or "none set"


def _seconds(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def measurements_table(ms: Sequence[Measurement]) -> Table:
    """Every scenario: configured timeouts, the model's prediction and what was measured."""
    rows = []
    for m in ms:
        pred = m.predicted.fired or "nothing (hangs)"
        seen = m.fired or "nothing (held / hung)"
        rows.append(
            [
                m.scenario.stack,
                m.scenario.misbehaviour,
                _conf(m),
                f"{pred} @ {_seconds(m.predicted.after)}",
                f"{seen} @ {_seconds(m.after)}",
                ("yes" if m.agrees else "NO") + (" (2nd run)" if m.first_try else ""),
                (m.error or "")[:90],
            ]
        )
    header = ["stack", "misbehaviour", "configured", "model", "measured", "agree", "error / reply"]
    return Table(header, rows)


def summary_table(ms: Sequence[Measurement]) -> Table:
    """ "This misbehaviour → this timeout", for Go and for Python, filled by measurement:
    each cell names the settings that ended the stall in a run, with the measured time, or
    says which settings did not."""
    cells: dict[tuple[str, str], list[str]] = {}
    for m in ms:
        lang = "Go" if m.scenario.stack in GO_STACKS else "Python"
        conf = _conf(m)
        if m.fired is None and m.error and m.error[:3].isdigit():
            text = f"{m.scenario.stack} {conf}: answered, nothing had to fire"
        elif m.fired is None:
            text = f"{m.scenario.stack} {conf}: no"
        else:
            name = m.predicted.fired or m.fired
            text = f"{m.scenario.stack} {name}: {m.after:.2f}s"
        cells.setdefault((m.scenario.misbehaviour, lang), []).append(text)
    rows = []
    for mb in model.MISBEHAVIOURS:
        go = "; ".join(cells.get((mb.name, "Go"), [])) or "—"
        py = "; ".join(cells.get((mb.name, "Python"), [])) or "—"
        if go == "—" and py == "—":
            continue
        rows.append([mb.name, mb.description, go, py])
    return Table(["misbehaviour", "what the peer does", "Go (measured)", "Python (measured)"], rows)


def timeouts_table(stacks: Sequence[str]) -> Table:
    """The model as a table: each timeout, what it covers, how it counts, its default."""
    rows = [
        [
            t.stack,
            t.name,
            ", ".join(t.covers),
            t.kind,
            "none" if t.default is None else f"{t.default:g} s",
            t.note,
        ]
        for s in stacks
        for t in model.timeouts(s)
    ]
    return Table(["stack", "timeout", "covers", "counts", "default", "note"], rows)


def traps_table() -> Table:
    return Table(
        ["trap", "stack", "what happens", "source"],
        [[t.title, t.stack, t.detail, t.source] for t in model.TRAPS],
    )
