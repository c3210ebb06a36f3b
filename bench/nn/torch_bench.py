"""The PyTorch side of bench/nn: the same Adam training steps as NNBench, CPU, 2 threads.

Run: python bench/nn/torch_bench.py [--quick] [--threads N]
Prints one "key seconds" line per model (median of several timed batches of steps), like NNBench.
"""
import pathlib
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from torch_timing import measure  # noqa: E402  (sets the threads and the seed)


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
