"""The same three figures with matplotlib Agg at dpi 200 (1280×960), each drawn and saved as PNG.
Usage: bench_matplotlib.py OUTDIR REPEATS → prints "name seconds" medians (process CPU time, as the Swift side)."""
import math, statistics, sys, time
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np


def lines(path):
    x = np.linspace(0, 10, 200)
    fig, ax = plt.subplots()
    ax.plot(x, np.sin(x), label="sin(x)")
    ax.plot(x, 0.8 * np.cos(x), "--", label="0.8 cos(x)")
    ax.set_title("Two waves"); ax.set_xlabel("x"); ax.set_ylabel("amplitude"); ax.legend()
    fig.savefig(path, dpi=200); plt.close(fig)


def scatter(path):
    rng = np.random.default_rng(42)
    i = np.arange(2000)
    x = rng.random(2000) * 4 + (i % 3) * 2
    y = rng.random(2000) * 4 + (i % 2) * 3
    fig, ax = plt.subplots()
    ax.scatter(x, y, c=np.array(plt.cm.tab10.colors)[i % 3], s=12)
    fig.savefig(path, dpi=200); plt.close(fig)


def image(path):
    r, c = np.mgrid[0:28, 0:28] - 13.5
    fig, ax = plt.subplots()
    ax.imshow(np.exp(-(r * r + c * c) / 60), cmap="viridis")
    fig.savefig(path, dpi=200); plt.close(fig)


out, repeats = sys.argv[1], int(sys.argv[2])
lines(f"{out}/warmup.png")
for name, f in [("lines", lines), ("scatter2000", scatter), ("image28", image)]:
    times = []
    for _ in range(repeats):
        t0 = time.process_time(); f(f"{out}/mpl_{name}.png"); times.append(time.process_time() - t0)
    print(name, statistics.median(times))
