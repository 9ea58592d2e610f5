"""The book's table: code spans become <code>, never raw backticks; no Matplotlib import."""

from __future__ import annotations

import subprocess
import sys

import pytest

from infranotes.table import Table, cell_html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("`ndots:5`", "<code>ndots:5</code>"),
        ("a `b` and `c<d>`", "a <code>b</code> and <code>c&lt;d&gt;</code>"),
        ("``x ` y``", "<code>x ` y</code>"),
        ("no code", "no code"),
        ("unpaired ` tick", "unpaired ` tick"),
        ("<script>", "&lt;script&gt;"),
    ],
    ids=["whole", "two-spans-escaped", "double-backticks", "plain", "unpaired", "escaped"],
)
def test_cell_html(text: str, html: str) -> None:
    assert cell_html(text) == html


def test_table_html_has_no_backticks_and_text_keeps_them() -> None:
    t = Table(("option", "meaning"), [("`ndots:5`", "dots before `absolute`")], caption="`x`")
    assert "`" not in t._repr_html_()
    assert t._repr_html_().count("<code>") == 3
    assert "`ndots:5`" in repr(t)


def test_table_does_not_import_matplotlib() -> None:
    code = "import sys, infranotes.table; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_text_form_lines_up_chinese_cells() -> None:
    """Wide characters take two terminal columns, so the columns after them still line up."""
    from infranotes.table import width

    t = Table(("状态", "n"), [("降级", 28), ("active+clean", 4)])
    lines = repr(t).splitlines()
    assert width("降级") == 4 and width("active") == 6
    assert [width(ln[: ln.rindex(" ") + 1]) for ln in lines] == [14, 14, 14, 14]
    assert lines == [
        "状态" + " " * 10 + "n",
        "-" * 12 + "  --",
        "降级" + " " * 10 + "28",
        "active+clean  4",
    ]


def test_a_data_table_says_so_in_its_html() -> None:
    assert (
        '<table class="infranotes infranotes-data">'
        in Table(("id",), [(1,)], data=True)._repr_html_()
    )
    assert '<table class="infranotes">' in Table(("id",), [(1,)])._repr_html_()
