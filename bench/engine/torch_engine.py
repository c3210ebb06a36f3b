"""The PyTorch side of bench/engine: the same operations and shapes as EngineBench, CPU, 2 threads.

Run: python bench/engine/torch_engine.py [--quick] [--threads N]
Prints one "key seconds" line per measurement (median of several timed batches), like EngineBench.
"""
import sys
import time

import torch

# 2 threads like the engine; bench/run.py also runs --threads 1, because on a loaded 2-core machine
# OpenMP's 2 threads can wait on each other for a whole time slice.
THREADS = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 2
torch.set_num_threads(THREADS)
torch.manual_seed(0)
QUICK = "--quick" in sys.argv
BATCHES = 3 if QUICK else 5
BUDGET = 0.1 if QUICK else 0.2


def measure(key, iterations, body):
    """Median over BATCHES of seconds per call; a batch is `iterations` calls, fewer when a probe shows that
    would take longer than BUDGET seconds (the same rule as EngineBench)."""
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


a = torch.rand(4, requires_grad=True)
b = torch.rand(4, requires_grad=True)
measure("op_add_grad", 100_000, lambda: a + b)
with torch.no_grad():
    measure("op_add_nograd", 100_000, lambda: a + b)


def mul_add_sum_backward():
    (a * b + a).sum().backward()


measure("op_mul_add_sum_backward", 10_000, mul_add_sum_backward)

x, y = torch.randn(1024, 1024), torch.randn(1024, 1024)
measure("sgemm", 4, lambda: x @ y)
small = torch.randn(32, 32)
measure("matmul32", 20_000, lambda: small @ small)

img = torch.randn(16, 16, 32, 32, requires_grad=True)
k = torch.randn(32, 16, 3, 3, requires_grad=True)
with torch.no_grad():
    measure("conv2d_forward", 4, lambda: torch.nn.functional.conv2d(img, k, None, padding=1))


def conv_forward_backward():
    img.grad = None
    k.grad = None
    torch.nn.functional.conv2d(img, k, None, padding=1).sum().backward()


measure("conv2d_forward_backward", 3, conv_forward_backward)

u, v = torch.rand(1 << 20), torch.rand(1 << 20)
measure("elem_add", 50, lambda: u + v)
measure("elem_mul", 50, lambda: u * v)
measure("elem_exp", 20, lambda: u.exp())
measure("elem_relu", 50, lambda: u.relu())
measure("elem_sum", 50, lambda: u.sum())
