"""The PyTorch side of bench/engine: the same operations and shapes as EngineBench, CPU, 2 threads.

Run: python bench/engine/torch_engine.py [--quick] [--threads N]
Prints one "key seconds" line per measurement (median of several timed batches), like EngineBench.
"""
import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from torch_timing import measure  # noqa: E402  (sets the threads and the seed)


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
