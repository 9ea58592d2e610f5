"""Tables and the hook diagram for the netfilter notebook."""

from __future__ import annotations

import textwrap

from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from infranotes.netfilter import messages
from infranotes.netfilter.hooks import HOOK_ORDER
from infranotes.netfilter.messages import tr
from infranotes.netfilter.trace import Branch, Step, Trace
from infranotes.plotting import PALETTE, figure
from infranotes.table import Table


def steps_table(
    steps: tuple[Step, ...] | list[Step], caption: str = "", *, lang: str = "en"
) -> Table:
    """One row per rule a branch met; ``caption`` as given (see :func:`branch_table`)."""
    rows = [
        (
            s.hook,
            s.table,
            s.chain,
            s.rule if s.rule is not None else "policy",
            s.verdict + (f" {s.target}" if s.target else ""),
        )
        for s in steps
    ]
    header = (
        tr(lang, "hook"),
        tr(lang, "table"),
        tr(lang, "chain"),
        tr(lang, "rule"),
        tr(lang, "verdict"),
    )
    return Table(header, rows, caption=caption)


def branch_table(
    branch: Branch, caption: str = "events", *, probability: bool = False, lang: str = "en"
) -> Table:
    """:func:`steps_table` of ``branch`` captioned with its events (``caption="events"``) or
    its fate (``"fate"``), after ``p = ...: `` when ``probability``; all in ``lang``."""
    if caption == "fate":
        text = messages.fate(branch.fate, lang)
    else:
        text = messages.events(branch.events, lang)
    if probability:
        text = f"p = {branch.probability}: {text}"
    return steps_table(branch.steps, caption=text, lang=lang)


def hook_order_table(*, lang: str = "en") -> Table:
    """Each hook's stages (tables and conntrack steps) in the kernel's order, with priorities."""
    confirm = tr(lang, "conntrack confirm")
    rows = [
        (hook, ", ".join(f"{s} ({p})" if s != "confirm" else confirm for s, p in stages))
        for hook, stages in HOOK_ORDER.items()
    ]
    return Table((tr(lang, "hook"), tr(lang, "stages in order (priority)")), rows)


def branches_table(trace: Trace) -> Table:
    rows = [(f"{b.probability:.3f}", b.destination, b.packet.src, b.fate) for b in trace.branches]
    return Table(
        ("probability", "destination after NAT", "source after NAT", "fate"),
        rows,
        caption=trace.packet.describe(),
    )


def compare_table(model: Branch, kernel: tuple[Step, ...], *, lang: str = "en") -> Table:
    """Model and kernel side by side, one row per step."""
    n = max(len(model.steps), len(kernel))
    rows = []
    for i in range(n):
        m = model.steps[i] if i < len(model.steps) else None
        k = kernel[i] if i < len(kernel) else None

        def fmt(s: Step | None) -> str:
            if s is None:
                return "-"
            rule = f"#{s.rule}" if s.rule is not None else "policy"
            return f"{s.hook} {s.table} {s.chain} {rule} {s.verdict}"

        same = (
            m is not None
            and k is not None
            and (m.hook, m.table, m.chain, m.rule, m.verdict)
            == (k.hook, k.table, k.chain, k.rule, k.verdict)
        )
        rows.append((i + 1, fmt(m), fmt(k), "=" if same else tr(lang, "DIFFERENT")))
    header = ("#", tr(lang, "model"), tr(lang, "kernel (xtables-monitor --trace)"), "")
    return Table(header, rows)


# Where each hook box sits in the diagram (x, y), and the arrows between them.
_POS = {
    "PREROUTING": (0.0, 1.0),
    "INPUT": (1.0, 2.0),
    "FORWARD": (1.0, 1.0),
    "OUTPUT": (2.0, 2.0),
    "POSTROUTING": (2.0, 1.0),
}
_EDGES = (
    ("PREROUTING", "INPUT"),
    ("PREROUTING", "FORWARD"),
    ("FORWARD", "POSTROUTING"),
    ("OUTPUT", "POSTROUTING"),
)


def _path(branch: Branch | None) -> set[str]:
    """The hooks a branch went through, including those where no rule matched."""
    if branch is None:
        return set()
    hooks = {s.hook for s in branch.steps}
    if branch.packet.local:
        return hooks | {"OUTPUT", "POSTROUTING"}
    if branch.fate == "delivered to a local process":
        return hooks | {"PREROUTING", "INPUT"}
    if branch.fate.startswith("forwarded"):
        return hooks | {"PREROUTING", "FORWARD", "POSTROUTING"}
    return hooks | {"PREROUTING"}


def hook_diagram(branch: Branch | None = None, title: str = ""):
    """The five hooks with their tables in the kernel's order; ``branch``'s path in colour.

    5.2 in wide with 10 pt text, so that on a phone (shown 358 px wide) no label is smaller
    than about 9 px; the boxes are tall enough for the longest list of stages (OUTPUT's).
    """
    fig, ax = figure(figsize=(5.2, 6.0))
    ax.set_xlim(-0.46, 2.46)
    ax.set_ylim(0.3, 2.95)
    ax.axis("off")
    ax.grid(False)
    visited = _path(branch)
    used = {(s.hook, s.table) for s in branch.steps} if branch else set()
    hot, cold = PALETTE[1], "#b0b0b0"
    half_w, half_h = 0.44, 0.36
    for a, b in _EDGES:
        (x0, y0), (x1, y1) = _POS[a], _POS[b]
        color = hot if a in visited and b in visited else cold
        if x0 == x1:  # OUTPUT down to POSTROUTING
            start, end = (x0, y0 - half_h), (x1, y1 + half_h)
        elif y0 == y1:  # along the forwarding row
            start, end = (x0 + half_w, y0), (x1 - half_w, y1)
        else:  # PREROUTING up to INPUT, after the routing decision
            start, end = (x0 + 0.3, y0 + half_h), (x1 - half_w, y1 - 0.1)
        ax.add_patch(
            FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, color=color, lw=2)
        )
    for hook, (x, y) in _POS.items():
        stages = [s for s, _ in HOOK_ORDER[hook]]
        edge = hot if hook in visited else cold
        ax.add_patch(
            FancyBboxPatch(
                (x - half_w, y - half_h),
                2 * half_w,
                2 * half_h,
                boxstyle="round,pad=0.02",
                fc="white",
                ec=edge,
                lw=2,
            )
        )
        ax.text(x, y + 0.27, hook, ha="center", va="center", fontsize=10, weight="bold")
        for i, st in enumerate(stages):
            plain = "#444444" if st not in ("conntrack", "confirm") else "#888888"
            color = PALETTE[0] if (hook, st) in used else plain
            weight = "bold" if (hook, st) in used else "normal"
            ax.text(
                x,
                y + 0.14 - i * 0.083,
                st,
                ha="center",
                va="center",
                fontsize=10,
                color=color,
                weight=weight,
            )
    ax.text(0.05, 1.55, "routing\ndecision", ha="center", va="center", fontsize=10, style="italic")
    ax.text(0.0, 0.5, "packet in", ha="center", va="center", fontsize=10)
    ax.text(2.0, 0.5, "packet out", ha="center", va="center", fontsize=10)
    ax.text(1.5, 2.78, "local process", ha="center", va="center", fontsize=10, style="italic")
    ax.add_patch(
        FancyArrowPatch(
            (1.0, 2.0 + half_h),
            (2.0, 2.0 + half_h),
            connectionstyle="arc3,rad=-0.35",
            arrowstyle="-|>",
            mutation_scale=14,
            color=cold,
            lw=1,
            ls="--",
        )
    )
    if title:
        ax.set_title(textwrap.fill(title, 46), fontsize=11)
    return fig
