"""The PyTorch side of bench/nn: the same Adam training steps as NNBench, CPU, 2 threads.

Run: python bench/nn/torch_bench.py [--quick] [--threads N]
Prints one "key seconds" line per model (median of several timed batches of steps), like NNBench.
"""
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# 2 threads like the engine; bench/run.py also runs --threads 1, because on a loaded 2-core machine
# OpenMP's 2 threads can wait on each other for a whole time slice.
THREADS = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 2
torch.set_num_threads(THREADS)
torch.manual_seed(0)
QUICK = "--quick" in sys.argv
BATCHES = 3 if QUICK else 5
BUDGET = 0.1 if QUICK else 0.2


def measure(key, iterations, step):
    """Median over BATCHES of seconds per step; a batch is `iterations` steps, fewer when the warm-up shows
    that would take longer than BUDGET seconds (the same rule as NNBench)."""
    warmup = max(1, min(10, iterations // 5))
    t0 = time.perf_counter()
    for _ in range(warmup):
        step()
    per_call = max((time.perf_counter() - t0) / warmup, 1e-9)
    n = max(1, min(iterations, int(BUDGET / per_call)))
    times = []
    for _ in range(BATCHES):
        t0 = time.perf_counter()
        for _ in range(n):
            step()
        times.append((time.perf_counter() - t0) / n)
    times.sort()
    print(key, times[len(times) // 2], flush=True)


def stepper(model, x, loss):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad()
        loss(model(x)).backward()
        opt.step()
    return step


xor_x = torch.tensor([[0., 0], [0, 1], [1, 0], [1, 1]])
xor_y = torch.tensor([[0.], [1], [1], [0]])
xor = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1), nn.Sigmoid())
measure("xor", 2000, stepper(xor, xor_x, lambda p: F.binary_cross_entropy(p, xor_y)))

labels = torch.arange(64) % 10
mlp = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
measure("mlp", 100, stepper(mlp, torch.rand(64, 784), lambda o: F.cross_entropy(o, labels)))

lenet = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                      nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                      nn.Linear(84, 10))
measure("lenet5", 8, stepper(lenet, torch.rand(64, 1, 28, 28), lambda o: F.cross_entropy(o, labels)))

lstm, head = nn.LSTM(32, 128), nn.Linear(128, 10)
seq, lstm_labels = torch.randn(50, 32, 32), torch.arange(32) % 10
lstm_opt = torch.optim.Adam(list(lstm.parameters()) + list(head.parameters()), lr=1e-3)


def lstm_step():
    lstm_opt.zero_grad()
    _, (h, _) = lstm(seq)
    F.cross_entropy(head(h.squeeze(0)), lstm_labels).backward()
    lstm_opt.step()


measure("lstm", 4, lstm_step)

encoder = nn.TransformerEncoderLayer(64, 4, dim_feedforward=256, dropout=0.0)
tokens, target = torch.randn(32, 16, 64), torch.randn(32, 16, 64)
measure("transformer", 20, stepper(encoder, tokens, lambda o: F.mse_loss(o, target)))
