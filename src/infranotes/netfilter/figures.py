"""Figures of the netfilter topic that are drawn from data in :mod:`infranotes.netfilter.ipvs`.

(The older hook diagram, :func:`infranotes.netfilter.report.hook_diagram`, stays where the
notebook imports it.)
"""

from __future__ import annotations

from matplotlib.patches import FancyBboxPatch

from infranotes.netfilter.hooks import HOOKS
from infranotes.netfilter.ipvs import clusterip_path, hook_entries
from infranotes.plotting import PALETTE, figure

FONT = 10  # points: 9.6 px when the 5.2 in figure is shown 358 px wide


def _prio(p: int) -> str:
    return "INT_MAX" if p == 2**31 - 1 else str(p)


def ipvs_hooks():
    """The five hooks, one box each, with every entry at its priority: the iptables tables
    (grey), conntrack (light grey) and IPVS's functions (orange). The entries that act on a
    new connection to a ClusterIP in kube-proxy's IPVS mode carry a step number (blue), the
    ``what`` of :func:`~infranotes.netfilter.ipvs.clusterip_path`: PREROUTING, INPUT up to
    IPVS, then the re-sent packet through OUTPUT and POSTROUTING.
    Tall and narrow so it stays legible on a phone."""
    path = clusterip_path()
    marked = [s for s in path if s.what]
    numbered = {(s.hook, s.entry.name, s.entry.priority): i + 1 for i, s in enumerate(marked)}
    per_hook = {hook: hook_entries(hook) for hook in HOOKS}
    gap = 0.9  # rows between boxes
    total = sum(len(v) + 1 + gap for v in per_hook.values())
    fig, ax = figure(figsize=(5.2, 0.235 * (total + 2.2)))
    ax.axis("off")
    ax.grid(False)
    ax.set_xlim(0, 1)
    ax.set_ylim(total, -2.0)
    colours = {"IPVS": PALETTE[1], "iptables": "#333333", "conntrack": "#8a8a8a"}
    y = 0.0
    for hook, entries in per_hook.items():
        ax.add_patch(
            FancyBboxPatch(
                (0.01, y - 0.5),
                0.98,
                len(entries) + 1.0,
                boxstyle="round,pad=0.01",
                fc="white",
                ec="#999999",
                lw=1,
            )
        )
        ax.text(0.03, y, hook, fontsize=FONT, weight="bold", va="center")
        for i, e in enumerate(entries, start=1):
            colour = colours[e.owner]
            weight = "bold" if e.owner == "IPVS" else "normal"
            ax.text(0.05, y + i, _prio(e.priority), fontsize=FONT, color=colour, va="center")
            label = f"{e.name} table" if e.owner == "iptables" else e.name
            ax.text(0.24, y + i, label, fontsize=FONT, color=colour, weight=weight, va="center")
            step = numbered.get((hook, e.name, e.priority))
            if step is not None:
                ax.text(
                    0.95,
                    y + i,
                    str(step),
                    fontsize=FONT,
                    color="white",
                    ha="center",
                    va="center",
                    bbox={"boxstyle": "circle,pad=0.15", "fc": PALETTE[0], "ec": "none"},
                )
        y += len(entries) + 1 + gap
    ax.text(
        0.01,
        -1.3,
        "priority  entry (IPVS in orange)\n"
        f"1-{len(marked)}: a new ClusterIP connection in IPVS mode",
        fontsize=FONT,
        va="center",
    )
    return fig
