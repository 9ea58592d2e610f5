"""A small table for notebooks and terminals, with no Matplotlib import.

Renders as HTML in Jupyter (so the book shows a real table) and as aligned text elsewhere.
Cells may hold Markdown-style code spans (`` `ndots:5` ``): the HTML shows them as
``<code>``, never as raw backticks; the text form keeps them as typed.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# A code span as CommonMark writes the simple case: a run of backticks, text, the same run.
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)


def cell_html(text: str) -> str:
    """One cell's text as HTML: escaped, with each `` `code` `` span as ``<code>``."""
    out: list[str] = []
    pos = 0
    for m in _CODE_SPAN.finditer(text):
        out.append(html.escape(text[pos : m.start()]))
        out.append(f"<code>{html.escape(m.group(2).strip() or m.group(2))}</code>")
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: East Asian wide and fullwidth characters take two
    (UAX #11), so a table with Chinese cells still lines up in its text form."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    """``text`` padded with spaces to ``columns`` terminal columns (:func:`width`)."""
    return text + " " * (columns - width(text))


@dataclass(frozen=True)
class Table:
    """Rows under a header; HTML in Jupyter, aligned text in a terminal or a test.

    ``data=True`` marks a table with no words of its own to translate (rows of a database
    table under its column names): the Chinese edition shows it as it is
    (tests/site/test_zh_site.py lets such a table stand without a Chinese rendering).
    """

    header: Sequence[str]
    rows: Sequence[Sequence[object]]
    caption: str = ""
    data: bool = False

    def _cells(self) -> list[list[str]]:
        return [[str(c) for c in row] for row in self.rows]

    def __repr__(self) -> str:
        cells = [list(map(str, self.header)), *self._cells()]
        widths = [max(width(r[i]) for r in cells) for i in range(len(self.header))]
        lines = [
            "  ".join(pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(([self.caption] if self.caption else []) + lines)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{cell_html(str(h))}</th>" for h in self.header)
        body = "".join(
            "<tr>" + "".join(f"<td>{cell_html(c)}</td>" for c in row) + "</tr>"
            for row in self._cells()
        )
        cap = f"<caption>{cell_html(self.caption)}</caption>" if self.caption else ""
        head = f"<thead><tr>{head}</tr></thead>"
        cls = "infranotes infranotes-data" if self.data else "infranotes"
        return f'<table class="{cls}">{cap}{head}<tbody>{body}</tbody></table>'
