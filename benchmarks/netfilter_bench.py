"""Benchmark: parse and trace a kube-proxy ruleset of 10,000 Services x 3 endpoints.

Not a timed test: run it by hand (``.venv/bin/python benchmarks/netfilter_bench.py``). It
reports the parse time, the trace time per packet, and, as root, the time of
``iptables-nft-restore --test`` on the same file inside a throwaway network namespace.
Targets (issue 4): parse within 2x of iptables-restore --test; a trace under 5 ms.
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

from infranotes.netfilter import Tracer, parse_iptables_save, parse_packet
from infranotes.netfilter.kubeproxy import kube_proxy_rules, synthetic_services


def best_of(n: int, fn) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(count: int = 10_000, endpoints: int = 3, packets: int = 2000) -> dict[str, object]:
    services = synthetic_services(count, endpoints)
    text = kube_proxy_rules(services)
    result: dict[str, object] = {
        "services": count,
        "endpoints_per_service": endpoints,
        "lines": text.count("\n"),
        "bytes": len(text),
    }
    result["parse_s"] = round(best_of(3, lambda: parse_iptables_save(text)), 3)
    rs = parse_iptables_save(text)
    result["rules"] = rs.rule_count()
    tracer = Tracer(rs)
    rng = random.Random(7)
    pkts = [
        parse_packet(f"tcp 10.0.0.5:{40000 + i % 20000} > {s.cluster_ip}:80 iif eth0")
        for i, s in enumerate(rng.choice(services) for _ in range(packets))
    ]
    tracer.trace(pkts[0])  # build the chain indexes once, as a long-lived tracer would
    per = []
    for p in pkts:
        t0 = time.perf_counter()
        t = tracer.trace(p)
        per.append(time.perf_counter() - t0)
        assert len(t.branches) == endpoints
    result["trace_ms_median"] = round(statistics.median(per) * 1000, 3)
    result["trace_ms_p99"] = round(sorted(per)[int(len(per) * 0.99)] * 1000, 3)
    if os.geteuid() == 0:
        with tempfile.NamedTemporaryFile("w", suffix=".rules", delete=False) as f:
            f.write(text)
        ns = f"infranotes-bench-{os.getpid()}"
        subprocess.run(["ip", "netns", "add", ns], check=True)
        try:

            def restore() -> None:
                with open(f.name) as fh:
                    subprocess.run(
                        ["ip", "netns", "exec", ns, "iptables-nft-restore", "--test"],
                        stdin=fh,
                        check=True,
                    )

            result["iptables_restore_test_s"] = round(best_of(3, restore), 3)
            result["parse_ratio"] = round(result["parse_s"] / result["iptables_restore_test_s"], 2)
        finally:
            subprocess.run(["ip", "netns", "del", ns], check=False)
            os.unlink(f.name)
    return result


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print(json.dumps(main(n), indent=2))
