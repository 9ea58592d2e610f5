"""One look for every figure and table in the book, with byte-stable output.

Figures: fixed size and DPI, DejaVu Sans (shipped with matplotlib), a fixed ``svg.hashsalt``
and no metadata dates, so re-running a notebook gives the same bytes. Tables: a small
object that renders as HTML in notebooks and as aligned text elsewhere.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib
import matplotlib.pyplot as plt

PALETTE = ("#1f5f8b", "#d9822b", "#3a8d5c", "#b03a48", "#6b5b95", "#7f7f7f")

STYLE = {
    "figure.figsize": (7.0, 3.6),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "svg.hashsalt": "infranotes",
    "legend.frameon": False,
}


def use_book_style() -> None:
    """Apply the book's matplotlib style to the current process."""
    matplotlib.rcParams.update(STYLE)


def figure(nrows: int = 1, ncols: int = 1, **kw: object) -> tuple[plt.Figure, object]:
    """A new figure in the book style (``plt.subplots`` arguments pass through)."""
    use_book_style()
    return plt.subplots(nrows, ncols, layout="constrained", **kw)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Table:
    """Rows under a header; HTML in Jupyter, aligned text in a terminal or a test."""

    header: Sequence[str]
    rows: Sequence[Sequence[object]]
    caption: str = ""

    def _cells(self) -> list[list[str]]:
        return [[str(c) for c in row] for row in self.rows]

    def __repr__(self) -> str:
        cells = [list(map(str, self.header)), *self._cells()]
        widths = [max(len(r[i]) for r in cells) for i in range(len(self.header))]
        lines = [
            "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(([self.caption] if self.caption else []) + lines)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(str(h))}</th>" for h in self.header)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
            for row in self._cells()
        )
        cap = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        head = f"<thead><tr>{head}</tr></thead>"
        return f'<table class="infranotes">{cap}{head}<tbody>{body}</tbody></table>'
