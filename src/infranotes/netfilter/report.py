"""Tables and the hook diagram for the netfilter notebook."""

from __future__ import annotations

from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from infranotes.netfilter.hooks import HOOK_ORDER
from infranotes.netfilter.trace import Branch, Step, Trace
from infranotes.plotting import PALETTE, figure
from infranotes.table import Table


def steps_table(steps: tuple[Step, ...] | list[Step], caption: str = "") -> Table:
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
    return Table(("hook", "table", "chain", "rule", "verdict"), rows, caption=caption)


def branches_table(trace: Trace) -> Table:
    rows = [(f"{b.probability:.3f}", b.destination, b.packet.src, b.fate) for b in trace.branches]
    return Table(
        ("probability", "destination after NAT", "source after NAT", "fate"),
        rows,
        caption=trace.packet.describe(),
    )


def compare_table(model: Branch, kernel: tuple[Step, ...]) -> Table:
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
        rows.append((i + 1, fmt(m), fmt(k), "=" if same else "DIFFERENT"))
    return Table(("#", "model", "kernel (xtables-monitor --trace)", ""), rows)


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
    """The five hooks with their tables in the kernel's order; ``branch``'s path in colour."""
    fig, ax = figure(figsize=(8.5, 4.6))
    ax.set_xlim(-0.6, 2.6)
    ax.set_ylim(0.35, 2.75)
    ax.axis("off")
    ax.grid(False)
    visited = _path(branch)
    used = {(s.hook, s.table) for s in branch.steps} if branch else set()
    hot, cold = PALETTE[1], "#b0b0b0"
    for a, b in _EDGES:
        (x0, y0), (x1, y1) = _POS[a], _POS[b]
        color = hot if a in visited and b in visited else cold
        ax.add_patch(
            FancyArrowPatch(
                (x0 + 0.32, y0),
                (x1 - 0.32, y1),
                arrowstyle="-|>",
                mutation_scale=14,
                color=color,
                lw=2,
            )
        )
    for hook, (x, y) in _POS.items():
        stages = [s for s, _ in HOOK_ORDER[hook]]
        edge = hot if hook in visited else cold
        ax.add_patch(
            FancyBboxPatch(
                (x - 0.3, y - 0.34), 0.6, 0.68, boxstyle="round,pad=0.02", fc="white", ec=edge, lw=2
            )
        )
        ax.text(x, y + 0.25, hook, ha="center", va="center", fontsize=9, weight="bold")
        for i, st in enumerate(stages):
            plain = "#555555" if st not in ("conntrack", "confirm") else "#999999"
            color = PALETTE[0] if (hook, st) in used else plain
            weight = "bold" if (hook, st) in used else "normal"
            ax.text(
                x,
                y + 0.1 - i * 0.085,
                st,
                ha="center",
                va="center",
                fontsize=7.5,
                color=color,
                weight=weight,
            )
    ax.text(0.5, 1.52, "routing\ndecision", ha="center", fontsize=8, style="italic")
    ax.text(-0.55, 1.0, "in", ha="left", va="center", fontsize=9)
    ax.text(2.55, 1.0, "out", ha="right", va="center", fontsize=9)
    ax.text(1.0, 2.5, "local process", ha="center", fontsize=9, style="italic")
    ax.add_patch(
        FancyArrowPatch(
            (1.3, 2.0), (1.7, 2.0), arrowstyle="-|>", mutation_scale=14, color=cold, lw=1, ls="--"
        )
    )
    if title:
        ax.set_title(title, fontsize=10)
    return fig
