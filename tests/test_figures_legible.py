"""Every figure of the book stays legible on a phone.

The site shows a figure 358 px wide on a 390 px screen. A text of ``s`` points in a PNG of
``w`` pixels (at the figure's dpi, cropped as the notebook's inline backend crops it) is then
``s * dpi / 72 * 358 / w`` px tall; none may be under 9 px (issue 15).
"""

from __future__ import annotations

import io

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.text import Text
from PIL import Image

SHOWN_PX = 358
MIN_PX = 8.95  # "about 9 px"


def _figures():
    from infranotes.ceph import figures as ceph
    from infranotes.cronjob import scenarios as cron
    from infranotes.dns import incident
    from infranotes.httptimeouts import figures as http
    from infranotes.httptimeouts import model
    from infranotes.migrations import figures as migrations
    from infranotes.netfilter import parse_packet, report
    from infranotes.netfilter import scenarios as nf
    from infranotes.reliability import figures as rel
    from infranotes.timekeeping import cases

    search = ("default.svc.cluster.local", "svc.cluster.local", "cluster.local")
    nodeport = nf.tracer().trace(parse_packet(nf.PACKETS["NodePort from outside (Cluster policy)"]))
    return {
        "01 ndots cost": lambda: incident.cost_figure(incident.cost_rows(search, (5, 2))),
        "03 hooks": lambda: report.hook_diagram(title="netfilter hooks and the tables at each"),
        "03 nodeport": lambda: report.hook_diagram(nodeport.branches[0], "NodePort 30080"),
        "05 outage": lambda: cron.compare_figure("outage"),
        "05 friday-13": lambda: cron.compare_figure("friday-13", ("current",)),
        "06 offsets": lambda: cases.offset_history(("America/New_York", "Pacific/Apia")),
        "07 states": lambda: ceph.stacked_states(ceph.recorded_points(), "the recorded run"),
        "08 faults": lambda: rel.faults_vs_failures(seconds=20),
        "08 response": rel.response_times,
        "08 tail": rel.tail_amplification,
        "08 twitter": lambda: rel.twitter_costs(users=20_000),
        "09 server": lambda: http.timeline([model.GO_SERVER, model.UVICORN], "server"),
        "09 client": lambda: http.timeline([model.GO_CLIENT, model.HTTPX], "client"),
        "10 chain": migrations.chain_figure,
    }


def _drawn_texts(fig) -> list[Text]:
    hidden = set()
    for ax in fig.axes:
        if not ax.axison:  # axis("off"): its tick labels are not drawn
            hidden.update(ax.get_xticklabels() + ax.get_yticklabels())
    return [
        t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and t not in hidden
    ]


@pytest.mark.parametrize("name", sorted(_figures()))
def test_no_text_under_9px_on_a_phone(name: str) -> None:
    fig = _figures()[name]()
    try:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", bbox_inches="tight", dpi=fig.dpi)
        width = Image.open(io.BytesIO(buf.getvalue())).size[0]
        scale = fig.dpi / 72 * SHOWN_PX / width
        smallest = min(_drawn_texts(fig), key=lambda t: t.get_fontsize())
        px = smallest.get_fontsize() * scale
        assert px >= MIN_PX, f"{name}: {smallest.get_text()!r} is {px:.1f} px at 358 px wide"
    finally:
        plt.close(fig)
