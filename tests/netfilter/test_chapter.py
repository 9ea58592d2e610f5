"""The notebook's IPVS and Calico tables (model side; the live side is in tests/oracles)."""

from __future__ import annotations

from infranotes.netfilter import chapter


def test_ipvs_tables() -> None:
    assert len(chapter.ipvs_entries_table().rows) == 6
    steps = chapter.clusterip_path_table().rows
    assert [r[0] for r in steps] == [1, 2, 3, 4, 5] and steps[2][2] == "ip_vs_remote_request4"
    fates = {r[0]: r[1] for r in chapter.ipvs_mode_table().rows}
    assert fates["client to ClusterIP:80"] == "delivered to a local process"
    assert fates["client to ClusterIP:80, no kube-ipvs0"].startswith("forwarded")
    assert fates["client to ClusterIP:22"].startswith("rejected")


def test_calico_table_masquerades_only_pool_traffic_leaving_the_pools() -> None:
    rows = chapter.calico_table().rows
    masq = [r[0] for r in rows if r[3] == "MASQUERADE"]
    assert masq == ["Pod to outside"]
    assert rows[0][2] == "192.0.2.1"  # the lab node's eth0 address
