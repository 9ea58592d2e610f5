"""Benchmark: parse and trace a kube-proxy nftables-mode ruleset of 10,000 Services x 3 endpoints.

Not a timed test: run it by hand (``.venv/bin/python benchmarks/nft_bench.py [SERVICES]``).
It reports the parse time of the ``nft -j`` document, the trace time per packet (the first
trace, which builds the set indexes, separately), and, as root, the time of ``nft -c -j -f``
on the same file inside a throwaway network namespace. Targets (issue 22): parse within 2x of
``nft -c -f``; a trace under 5 ms. ``tests/netfilter/nft/test_nft_bench.py`` runs it scaled down.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

from infranotes.netfilter.kubeproxy import synthetic_services
from infranotes.netfilter.nft import NftTracer, parse_nft_json
from infranotes.netfilter.nft.kubeproxy import kube_proxy_nft
from infranotes.netfilter.packet import parse_packet


def best_of(n: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def nft_check_seconds(text: str, repeat: int = 3) -> float:
    """``nft -c -j -f FILE`` (validate against the kernel, commit nothing) in a fresh netns."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        f.write(text)
    ns = f"infranotes-nftbench-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        cmd = ["ip", "netns", "exec", ns, "nft", "-c", "-j", "-f", f.name]
        return best_of(repeat, lambda: subprocess.run(cmd, check=True))
    finally:
        subprocess.run(["ip", "netns", "del", ns], check=False)
        os.unlink(f.name)


def main(count: int = 10_000, endpoints: int = 3, packets: int = 2000) -> dict[str, object]:
    services = synthetic_services(count, endpoints)
    text = kube_proxy_nft(services)
    result: dict[str, object] = {
        "services": count,
        "endpoints_per_service": endpoints,
        "bytes": len(text),
    }
    result["parse_s"] = round(best_of(3, lambda: parse_nft_json(text)), 3)
    rs = parse_nft_json(text)
    result["rules"] = rs.rule_count()
    tracer = NftTracer(rs)
    rng = random.Random(7)
    pkts = [
        parse_packet(f"tcp 10.0.0.5:{40000 + i % 20000} > {s.cluster_ip}:80 iif eth0")
        for i, s in enumerate(rng.choice(services) for _ in range(packets))
    ]
    t0 = time.perf_counter()
    tracer.trace(pkts[0])  # builds the service-ips index once, as a long-lived tracer would
    result["first_trace_ms"] = round((time.perf_counter() - t0) * 1000, 3)
    per = []
    for p in pkts:
        t0 = time.perf_counter()
        t = tracer.trace(p)
        per.append(time.perf_counter() - t0)
        assert len(t.branches) == endpoints, [b.fate for b in t.branches]
    result["trace_ms_median"] = round(statistics.median(per) * 1000, 3)
    result["trace_ms_p99"] = round(sorted(per)[int(len(per) * 0.99)] * 1000, 3)
    if os.geteuid() == 0:
        result["nft_check_s"] = round(nft_check_seconds(text), 3)
        result["parse_ratio"] = round(result["parse_s"] / result["nft_check_s"], 2)
    return result


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print(json.dumps(main(n), indent=2))
