"""`make soak` (not part of `make test`): a long run against the real kernel through jupyter_client.

- 10,000 cells, then 10,000 training steps: the kernel's RSS may grow by less than 20 MiB after warm-up;
- 100 interrupts during a training loop: each gives KeyboardInterrupt, the kernel keeps its state.

Training uses nn/optim when the bindings are built in, and a plain-language gradient-descent loop
otherwise. Run: MYELIN=... python tests/client/soak.py [--cells N] [--steps N] [--interrupts N]
"""
import argparse
import sys
import time

from echo_kernel import iopub_until_idle, shell_reply
from real_kernel import process_rss_kib, run, start_real_kernel, stop, value_of, wait_for_execute_input

MIB = 1024

NN_SETUP = """
seed(0)
x = randn(64, 4)
y = (x.sum(1, keepdim=True) > 0) * 1.0
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
opt = optim.SGD(model.parameters(), lr=0.05)
def train(steps):
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.bce_with_logits(model(x), y)
        loss.backward()
        opt.step()
    return loss.item()
"""

PLAIN_SETUP = """
w = [0.0, 0.0, 0.0]
data = [([1.0, i / 10, (i % 7) / 7], 2.0 * i / 10 - 1.0) for i in range(32)]
def train(steps):
    global w
    loss = 0.0
    for _ in range(steps):
        grad = [0.0, 0.0, 0.0]
        loss = 0.0
        for xs, t in data:
            err = sum(a * b for a, b in zip(w, xs)) - t
            loss += err * err
            for j in range(3):
                grad[j] += 2 * err * xs[j] / len(data)
        w = [a - 0.05 * g for a, g in zip(w, grad)]
    return loss / len(data)
"""


def setup_training(kc) -> str:
    reply, _ = run(kc, NN_SETUP)
    if reply["content"]["status"] == "ok":
        return "nn"
    reply, _ = run(kc, PLAIN_SETUP)
    assert reply["content"]["status"] == "ok", reply["content"]
    return "plain"


def soak_cells(km, kc, cells: int) -> int:
    pid = km.provisioner.process.pid
    run(kc, "history = []")
    warmup = min(500, cells // 10)
    base = None
    for i in range(cells):
        if i == warmup:
            base = process_rss_kib(pid)
        code = f"v{i % 50} = [{i}, '{i}', {i}.5]\nhistory = history[-10:] + [v{i % 50}]\nprint(len(history), {i})"
        reply, _ = run(kc, code)
        assert reply["content"]["status"] == "ok", reply["content"]
    growth = process_rss_kib(pid) - base
    print(f"cells: {cells} cells, RSS growth after warm-up {growth / MIB:.1f} MiB")
    return growth


def soak_training(km, kc, steps: int) -> int:
    pid = km.provisioner.process.pid
    kind = setup_training(kc)
    value_of(kc, "train(50)")
    base = process_rss_kib(pid)
    chunk = 500
    for _ in range(steps // chunk):
        reply, _ = run(kc, f"loss = train({chunk})", timeout=600)
        assert reply["content"]["status"] == "ok", reply["content"]
    growth = process_rss_kib(pid) - base
    print(f"training ({kind}): {steps} steps, loss {value_of(kc, 'loss')}, RSS growth {growth / MIB:.1f} MiB")
    return growth


def interrupt_storm(km, kc, count: int) -> float:
    setup_training(kc)
    run(kc, "marker = 'kept'")
    worst = 0.0
    for i in range(count):
        msg_id = kc.execute("while True:\n    train(5)")
        wait_for_execute_input(kc, msg_id)
        time.sleep(0.05 + (i % 5) * 0.02)
        started = time.monotonic()
        km.interrupt_kernel()
        reply = shell_reply(kc, msg_id, timeout=10)
        worst = max(worst, time.monotonic() - started)
        assert reply["content"]["ename"] == "KeyboardInterrupt", reply["content"]
        iopub_until_idle(kc, msg_id)
    assert value_of(kc, "marker") == "'kept'"
    assert run(kc, "train(3)")[0]["content"]["status"] == "ok"
    print(f"interrupts: {count} during training, slowest {worst * 1000:.0f} ms, kernel intact")
    return worst


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cells", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--interrupts", type=int, default=100)
    args = parser.parse_args()
    km, kc = start_real_kernel()
    failures = []
    try:
        if soak_cells(km, kc, args.cells) >= 20 * MIB:
            failures.append("RSS grew by 20 MiB or more over the cells")
        if soak_training(km, kc, args.steps) >= 20 * MIB:
            failures.append("RSS grew by 20 MiB or more over the training steps")
        if interrupt_storm(km, kc, args.interrupts) > 1.0:
            failures.append("an interrupt took more than a second")
    finally:
        stop(km, kc)
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
