"""Notebook 03's Services in both kube-proxy modes: every packet ends up in the same place."""

from __future__ import annotations

from infranotes.netfilter import scenarios
from infranotes.netfilter.nft import scenarios as nft_scenarios


def test_both_modes_agree_on_every_scenario() -> None:
    table = nft_scenarios.side_by_side()
    titles = {row[0] for row in table.rows}
    assert titles == set(scenarios.PACKETS)
    assert all(row[4] == "same" for row in table.rows), table.rows
    assert all(" vs " not in row[1] for row in table.rows)
    fates = {row[0]: row[6] for row in table.rows}
    assert fates["Service without endpoints"].startswith("rejected by ip kube-proxy reject-chain")
    assert fates["NodePort, Local policy, no local endpoint"].startswith(
        "dropped by ip kube-proxy nodeport-endpoints-check"
    )
