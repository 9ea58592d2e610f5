"""One look for every figure and table in the book, with byte-stable output.

Figures: fixed size and DPI, DejaVu Sans (shipped with matplotlib), a fixed ``svg.hashsalt``
and no metadata dates, so re-running a notebook gives the same bytes. Tables live in
:mod:`infranotes.table` (re-exported here), which does not import Matplotlib.
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt

from infranotes.table import Table as Table  # re-exported: notebooks import it from here

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
