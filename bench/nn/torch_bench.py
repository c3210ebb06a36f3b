#!/usr/bin/env python3
"""The PyTorch side of bench/nn: the same Adam training steps as NNBench, on CPU with 2 threads.

Run (needs an importable torch):  python3 bench/nn/torch_bench.py
Prints milliseconds per step (best of 5), in the same order and format as `swift run -c release NNBench`,
so the two can be run alternately and divided.
"""
import time
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(2)
torch.manual_seed(0)


def measure(step, iterations, repeats=5):
    for _ in range(max(1, iterations // 5)):
        step()
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(iterations):
            step()
        best = min(best, (time.perf_counter() - t0) / iterations)
    return best * 1000


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
labels = torch.arange(64) % 10
mlp = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
lenet = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                      nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                      nn.Linear(84, 10))
lstm, head = nn.LSTM(32, 128), nn.Linear(128, 10)
seq, lstm_labels = torch.randn(50, 32, 32), torch.arange(32) % 10
lstm_opt = torch.optim.Adam(list(lstm.parameters()) + list(head.parameters()), lr=1e-3)


def lstm_step():
    lstm_opt.zero_grad()
    _, (h, _) = lstm(seq)
    F.cross_entropy(head(h.squeeze(0)), lstm_labels).backward()
    lstm_opt.step()


print("== Adam training step, ms (best of 5) ==")
print(f"xor 2-8-1 batch 4:        {measure(stepper(xor, xor_x, lambda p: F.binary_cross_entropy(p, xor_y)), 2000)}")
print(f"mlp 784-256-10 batch 64:  {measure(stepper(mlp, torch.rand(64, 784), lambda o: F.cross_entropy(o, labels)), 200)}")
print(f"lenet-5 1x28x28 batch 64: {measure(stepper(lenet, torch.rand(64, 1, 28, 28), lambda o: F.cross_entropy(o, labels)), 10, 3)}")
print(f"lstm 32-128 T50 batch 32: {measure(lstm_step, 3, 3)}")
