"""Benchmark: read every zone of the system tzdata with infranotes' TZif reader (target < 1 s).

Run by hand: ``.venv/bin/python benchmarks/tz_bench.py``.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from infranotes.timekeeping.tzif import parse_tzif


def main(base: Path = Path("/usr/share/zoneinfo")) -> dict[str, object]:
    files = []
    for d, _, names in os.walk(base):
        for n in names:
            p = Path(d) / n
            if p.is_file() and not p.is_symlink():
                files.append(p)
    best = None
    zones = 0
    for _ in range(3):
        t0 = time.perf_counter()
        zones = 0
        for p in files:
            data = p.read_bytes()
            if data[:4] == b"TZif":
                parse_tzif(data, str(p))
                zones += 1
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    return {"zones": zones, "files": len(files), "seconds": round(best or 0.0, 3)}


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
