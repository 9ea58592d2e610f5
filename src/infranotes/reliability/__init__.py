"""DDIA chapter 1, executable: faults and failures, percentiles and tail latency, fan-out load."""
