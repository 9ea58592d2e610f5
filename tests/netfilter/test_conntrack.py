"""The conntrack model: stored translations, timeouts, early_drop and table-full drops."""

from __future__ import annotations

from infranotes.netfilter import scenarios
from infranotes.netfilter.conntrack import ConntrackTable, send
from infranotes.netfilter.packet import parse_packet

DNS = parse_packet(scenarios.DNS_PACKET)


def test_established_flow_keeps_its_translation_until_deleted() -> None:
    table = ConntrackTable()
    first = send(scenarios.tracer(scenarios.dns_rules("10.244.1.11")), table, DNS, 0)
    assert (first.state, first.destination) == ("NEW", "10.244.1.11:53")
    moved = scenarios.tracer(scenarios.dns_rules("10.244.1.12"))
    again = send(moved, table, DNS, 1)
    assert (again.state, again.destination) == ("ESTABLISHED", "10.244.1.11:53")
    assert not any(s.table == "nat" for s in again.branch.steps)
    assert table.delete(dst="10.244.1.11") == 1
    assert send(moved, table, DNS, 2).destination == "10.244.1.12:53"


def test_udp_timeouts() -> None:
    table = ConntrackTable()
    tr = scenarios.tracer(scenarios.dns_rules("10.244.1.11"))
    send(tr, table, DNS, 0)
    assert table.lookup(DNS, 29.9) is not None and table.lookup(DNS, 30.0) is None
    send(tr, table, DNS, 100)
    table.reply(DNS, 101)
    assert table.lookup(DNS, 220.9) is not None  # replied: the 120 s stream timeout


def test_table_full_early_drop_then_drop() -> None:
    rows = scenarios.table_full_model(4).rows
    assert [r[1] for r in rows] == ["NEW", "NEW", "NEW", "NEW", "NEW", "DROPPED", "DROPPED"]
    assert rows[4][2].startswith("early_drop") and rows[-1][4] == 2


def test_statistic_pick_is_explicit() -> None:
    tr = scenarios.tracer(scenarios.dns_rules("10.244.1.11", "10.244.1.12"))
    assert send(tr, ConntrackTable(), DNS, 0, pick=1).destination == "10.244.1.12:53"
