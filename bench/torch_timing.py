"""What bench/engine/torch_engine.py and bench/nn/torch_bench.py share: PyTorch's thread count and the
measuring rule of bench/timing/BenchTiming.swift, so both sides of a ratio are timed alike.

Command line of both scripts: [--quick] [--threads N] (2 threads like the engine by default; bench/run.py also
runs --threads 1, because on a loaded 2-core machine OpenMP's 2 threads can wait on each other for a whole
time slice).
"""
import sys
import time

import torch

THREADS = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 2
torch.set_num_threads(THREADS)
torch.manual_seed(0)
QUICK = "--quick" in sys.argv
BATCHES = 3 if QUICK else 5
BUDGET = 0.1 if QUICK else 0.2


def measure(key, iterations, body):
    """Prints `key` and the median over BATCHES of seconds per call: one warm-up call, a probe of up to 10
    calls, then batches of `iterations` calls, fewer when the probe shows that would take longer than BUDGET."""
    body()
    probe = min(iterations, 10)
    t0 = time.perf_counter()
    for _ in range(probe):
        body()
    per_call = max((time.perf_counter() - t0) / probe, 1e-9)
    n = max(1, min(iterations, int(BUDGET / per_call)))
    times = []
    for _ in range(BATCHES):
        t0 = time.perf_counter()
        for _ in range(n):
            body()
        times.append((time.perf_counter() - t0) / n)
    times.sort()
    print(key, times[len(times) // 2], flush=True)
