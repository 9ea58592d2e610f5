"""The revision chain as a figure, and row counts and sample rows per revision as tables."""

from __future__ import annotations

import textwrap

import sqlalchemy as sa
from matplotlib.patches import FancyBboxPatch

from infranotes.migrations import runner
from infranotes.plotting import PALETTE, figure
from infranotes.table import Table

COUNTED = ("user", "project", "project_member", "project_metadata", "repository",
           "access_log", "properties", "replication_job")  # fmt: skip


def chain_figure():
    """One box per revision, oldest at the top, with the changelog's summary beside it.

    Vertical and 5 in wide with 10 pt text, so that on a phone (358 px wide) it stays legible.
    """
    revs = runner.chain()
    step = 1.25
    fig, ax = figure(figsize=(5, step * 0.9 * len(revs) + 0.7))
    for i, r in enumerate(revs):
        y = (len(revs) - 1 - i) * step
        ax.add_patch(
            FancyBboxPatch(
                (0, y - 0.35), 1.2, 0.7, boxstyle="round,pad=0.05",
                facecolor=PALETTE[0] if i else PALETTE[1], edgecolor="none",
            )
        )  # fmt: skip
        ax.text(0.6, y, r.revision, ha="center", va="center", color="white",
                fontsize=11, weight="bold")  # fmt: skip
        summary = r.summary.split(": ", 1)[-1].replace("``", "")
        ax.text(1.45, y, textwrap.fill(summary, 36), ha="left", va="center", fontsize=10)
        if i:
            ax.annotate("", xy=(0.6, y + 0.42), xytext=(0.6, y + step - 0.42),
                        arrowprops={"arrowstyle": "->", "color": "#555555"})  # fmt: skip
    ax.set_xlim(-0.1, 5.2)
    ax.set_ylim(-0.55, (len(revs) - 1) * step + 0.55)
    ax.axis("off")
    ax.set_title(
        "alembic revisions (Harbor schema versions);\ndowngrades are disabled", fontsize=11
    )
    return fig


def counts(conn: sa.Connection) -> dict[str, int | None]:
    """Rows per table (None: the table does not exist at this revision)."""
    present = set(sa.inspect(conn).get_table_names())
    out: dict[str, int | None] = {}
    for t in COUNTED:
        if t in present:
            out[t] = conn.execute(sa.select(sa.func.count()).select_from(sa.table(t))).scalar()
        else:
            out[t] = None
    conn.rollback()
    return out


def counts_table(history: list[tuple[str, dict[str, int | None]]]) -> Table:
    """Rows per table after each revision: the columns are the revisions."""
    header = ["table", *[rev for rev, _ in history]]
    rows = [[t, *["—" if c[t] is None else f"{c[t]:,}" for _, c in history]] for t in COUNTED]
    return Table(header, rows)


def sample(
    conn: sa.Connection, table: str, order_by: str, n: int = 2, columns: list[str] | None = None
) -> Table:
    """The first ``n`` rows of ``table``, all columns (or ``columns``), as the database
    returns them."""
    cols = ", ".join(_quote(conn, c) for c in columns) if columns else "*"
    result = conn.execute(sa.text(f"SELECT {cols} FROM {_quote(conn, table)} ORDER BY {order_by}"))
    rows = [list(r) for r in result.fetchmany(n)]
    header = list(result.keys())
    conn.rollback()
    return Table(header, rows, caption=table, data=True)


def _quote(conn: sa.Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)
