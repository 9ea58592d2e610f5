"""The timelines of Go's server and client timeouts (the seed's two diagrams), drawn from
:mod:`infranotes.httptimeouts.model`; the chapter's tables are in :mod:`.chapter`."""

from __future__ import annotations

from collections.abc import Sequence

from infranotes.httptimeouts import model
from infranotes.plotting import PALETTE, figure


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
