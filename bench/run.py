"""`make bench`: Myelin against its anchors, side by side, in one run; medians and Myelin/anchor ratios.

Each pair runs alternately (Myelin, anchor, Myelin, anchor, ...) so that drift in the machine's load hits
both sides alike; every number is a median over the rounds. Results go to bench/results.md (or --out)
together with the machine, the versions and the load.

Usage (the Makefile does this): .venv-bench/bin/python bench/run.py --bin .build/release [--quick]
       [--only kernel,interp,engine,training,plots,course]

Sections and their anchors
  kernel     myelin kernel vs ipykernel, through jupyter_client: start-to-ready, execute round trip
  interp     bench/interp/*.myl under `myelin run` vs the *.py twin under CPython (wall time, whole process)
  engine     EngineBench vs bench/engine/torch_engine.py, and the engine's matmul vs raw cblas_sgemm
  training   NNBench vs bench/nn/torch_bench.py: one Adam step per model, same shapes
  plots      PlotBench vs bench/plot/bench_matplotlib.py (Agg, dpi 200), process CPU time per figure
  course     `myelin exec --output TMP notebooks/`: total wall time (no anchor)
"""
import argparse
import datetime
import os
import pathlib
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
THREADS = "2"  # both sides: torch.set_num_threads(2) in the anchor scripts, OpenBLAS's 2 threads in the engine


# ---------------------------------------------------------------- running things

def bench_env():
    env = dict(os.environ)
    env.update(OMP_NUM_THREADS=THREADS, MKL_NUM_THREADS=THREADS)
    env.pop("OPENBLAS_NUM_THREADS", None)  # the engine chooses per product (1 thread below ~400³, else all cores)
    return env


def timed(cmd, cwd=ROOT):
    """Runs cmd; returns (stdout, wall seconds, child CPU seconds). Raises with stderr on failure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=bench_env())
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {proc.returncode}: {(proc.stderr or proc.stdout)[-800:]}")
    return proc.stdout, wall, cpu


def key_values(text):
    """Parses "key seconds" lines."""
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2:
            try:
                out[parts[0]] = float(parts[1])
            except ValueError:
                pass
    return out


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- results

class Row:
    """One comparison: Myelin's samples against an anchor's (seconds; lower is better)."""

    def __init__(self, name, mine, anchor_name, anchor=None, unavailable=None, note="", work=None):
        self.name, self.mine, self.anchor_name, self.anchor = name, mine, anchor_name, anchor
        self.unavailable, self.note, self.work = unavailable, note, work

    def median(self, which):
        samples = self.mine if which == "mine" else self.anchor
        return statistics.median(samples) if samples else None

    def ratio(self):
        m, a = self.median("mine"), self.median("anchor")
        return m / a if m is not None and a else None


def fmt_time(s):
    if s is None:
        return "—"
    if s < 1e-3:
        return f"{s * 1e6:.2f} µs"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.2f} s"


def fmt_cell(row, which):
    s = row.median(which)
    if s is None:
        return "not available" if which == "anchor" else "—"
    text = fmt_time(s)
    if row.work:  # (amount, unit): show a throughput too
        amount, unit = row.work
        text += f" ({amount / s / 1e9:.1f} {unit})"
    return text


def fmt_ratio(r):
    if r is None:
        return "—"
    word = "faster" if r < 1 else "slower"
    factor = 1 / r if r < 1 else r
    return f"**{r:.2f}** ({factor:.1f}× {word})" if abs(r - 1) >= 0.05 else f"**{r:.2f}** (about even)"


def table(rows):
    lines = ["| benchmark | Myelin | anchor | anchor's time | Myelin/anchor |", "| --- | ---: | --- | ---: | ---: |"]
    for r in rows:
        anchor = fmt_cell(r, "anchor") if not r.unavailable else f"not available ({r.unavailable})"
        name = r.name + (f" <br><sub>{r.note}</sub>" if r.note else "")
        lines.append(f"| {name} | {fmt_cell(r, 'mine')} | {r.anchor_name} | {anchor} | {fmt_ratio(r.ratio())} |")
    return "\n".join(lines)


# ---------------------------------------------------------------- anchors' availability

def torch_status():
    """None when torch imports in this interpreter, else the reason it does not."""
    proc = subprocess.run([sys.executable, "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True)
    if proc.returncode == 0:
        return None
    last = (proc.stderr.strip().splitlines() or ["unknown error"])[-1]
    return f"import torch failed: {last[:160]}"


# ---------------------------------------------------------------- sections

def section_kernel(args):
    sys.path.insert(0, str(BENCH))
    sys.path.insert(0, str(ROOT / "tests" / "client"))
    import kernel_latency
    from jupyter_client import KernelManager
    ksm = kernel_latency.language_spec(str(args.myelin), tempfile.mkdtemp())
    kernels = {
        "myelin": (lambda: KernelManager(kernel_name="myelin-bench", kernel_spec_manager=ksm), "1"),
        "ipykernel": (lambda: KernelManager(kernel_name="python3"), "1"),
    }
    starts, cells = (3, 60) if args.quick else (10, 300)
    r = kernel_latency.compare(kernels, starts, cells)
    return [
        Row("start-to-ready (launch → first kernel_info_reply)", r["myelin"]["ready"], "ipykernel", r["ipykernel"]["ready"]),
        Row("execute round trip of `1` (request → reply and idle)", r["myelin"]["execute"], "ipykernel",
            r["ipykernel"]["execute"]),
    ], f"{starts} starts of each kernel, alternating; {cells} round trips each"


def section_interp(args):
    rounds = 2 if args.quick else 5
    scripts = sorted((BENCH / "interp").glob("*.myl"))
    mine = {s.stem: [] for s in scripts}
    theirs = {s.stem: [] for s in scripts}
    cpu = {s.stem: ([], []) for s in scripts}
    notes = {}
    for s in scripts:
        out_m, _, _ = timed([args.myelin, "run", s])
        out_p, _, _ = timed([args.python, s.with_suffix(".py")])
        if out_m != out_p:
            notes[s.stem] = f"OUTPUT DIFFERS: myelin {out_m.strip()!r}, CPython {out_p.strip()!r}"
    for _ in range(rounds):
        for s in scripts:
            _, wall, c = timed([args.myelin, "run", s])
            mine[s.stem].append(wall); cpu[s.stem][0].append(c)
            _, wall, c = timed([args.python, s.with_suffix(".py")])
            theirs[s.stem].append(wall); cpu[s.stem][1].append(c)
    labels = {"fib": "fib(27), recursive calls", "loops": "while/for loops, 5M iterations",
              "containers": "list/dict building and lookups", "methods": "class instances and method calls",
              "qlearning": "tabular Q-learning, 2000 episodes"}
    rows = []
    for s in scripts:
        cm, cp = statistics.median(cpu[s.stem][0]), statistics.median(cpu[s.stem][1])
        note = notes.get(s.stem, f"CPU-time ratio {cm / cp:.2f}" if cp else "")
        rows.append(Row(f"{labels.get(s.stem, s.stem)} (`bench/interp/{s.name}`)", mine[s.stem], "CPython",
                        theirs[s.stem], note=note))
    return rows, f"whole process wall time (start-up included), {rounds} alternating rounds"


def alternate(mine_cmd, anchor_cmds, rounds):
    """Runs Myelin's command and each anchor command in turn, `rounds` times.

    Returns ({key: [seconds]}, [{key: [seconds]} per anchor command])."""
    mine, theirs = {}, [{} for _ in anchor_cmds]
    for _ in range(rounds):
        for k, v in key_values(timed(mine_cmd)[0]).items():
            mine.setdefault(k, []).append(v)
        for cmd, into in zip(anchor_cmds, theirs):
            for k, v in key_values(timed(cmd)[0]).items():
                into.setdefault(k, []).append(v)
    return mine, theirs


def torch_runs(args, script, flag, rounds):
    """Myelin's bench binary against the PyTorch script at 2 threads and at 1 thread, alternating."""
    cmds = [] if args.torch_missing else [[args.python, script, "--threads", "2"] + flag,
                                          [args.python, script, "--threads", "1"] + flag]
    return alternate(args.mine_cmd, cmds, rounds)


def torch_row(args, name, mine, key, torch_, work=None):
    """A row against PyTorch at its better thread count on this machine (2 threads unless 1 was faster).

    On a shared 2-core machine OpenMP's two threads can wait a whole time slice for each other; comparing
    with the faster setting keeps such an artefact from flattering Myelin."""
    if args.torch_missing:
        return Row(name, mine[key], "PyTorch", None, args.torch_missing, work=work)
    two, one = torch_[0].get(key), torch_[1].get(key)
    m2, m1 = statistics.median(two), statistics.median(one)
    best, other, label = (two, m1, "1 thread") if m2 <= m1 else (one, m2, "2 threads")
    chosen = "2 threads" if best is two else "1 thread"
    return Row(name, mine[key], f"PyTorch ({chosen})", best, work=work,
               note=f"PyTorch with {label}: {fmt_time(other)}")


def section_engine(args):
    rounds = 2 if args.quick else 3
    flag = ["--quick"] if args.quick else []
    args.mine_cmd = [args.bin / "EngineBench"] + flag
    mine, torch_ = torch_runs(args, BENCH / "engine" / "torch_engine.py", flag, rounds)
    t = lambda name, key, work=None: torch_row(args, name, mine, key, torch_, work)
    flops = 2 * 1024 ** 3
    rows = [
        t("add, 4 elements, recording grad (per-op overhead)", "op_add_grad"),
        t("add, 4 elements, no_grad", "op_add_nograd"),
        t("mul+add+sum+backward, 4 elements", "op_mul_add_sum_backward"),
        Row("sgemm 1024³ (matmul)", mine["sgemm"], "raw cblas_sgemm", mine["sgemm_openblas"], work=(flops, "GFLOP/s"),
            note="same OpenBLAS, 2 threads, called directly from the same process"),
        t("sgemm 1024³ (matmul)", "sgemm", (flops, "GFLOP/s")),
        t("matmul 32×32", "matmul32"),
        t("conv2d forward [16,16,32,32]∗[32,16,3,3] pad 1", "conv2d_forward", (2 * 16 * 32 * 32 * 32 * 16 * 9, "GFLOP/s")),
        t("conv2d forward+backward, same shapes", "conv2d_forward_backward"),
        t("elementwise add, 2²⁰ float32 (bandwidth: 2 reads + 1 write)", "elem_add", (12 * 2 ** 20, "GB/s")),
        t("elementwise mul, 2²⁰", "elem_mul"),
        t("exp, 2²⁰", "elem_exp"),
        t("relu, 2²⁰", "elem_relu"),
        t("sum, 2²⁰", "elem_sum"),
    ]
    return rows, (f"median of batches inside each process, then median over {rounds} rounds; each round runs "
                  "EngineBench, PyTorch with 2 threads and PyTorch with 1 thread in turn")


def section_training(args):
    rounds = 2 if args.quick else 3
    flag = ["--quick"] if args.quick else []
    args.mine_cmd = [args.bin / "NNBench"] + flag
    script = [args.myelin, "run", BENCH / "nn" / "train_steps.myl"] + flag
    try:  # the language-level rows need the nn/optim script bindings
        timed(script + ["--quick"] if not args.quick else script)
        script_error = None
    except RuntimeError as e:
        script_error = str(e).strip().splitlines()[-1][:200]
    torch_cmds = [] if args.torch_missing else [[args.python, BENCH / "nn" / "torch_bench.py", "--threads", "2"] + flag,
                                                [args.python, BENCH / "nn" / "torch_bench.py", "--threads", "1"] + flag]
    mine, others = alternate(args.mine_cmd, torch_cmds + ([] if script_error else [script]), rounds)
    torch_ = others[:2]
    labels = [("xor", "XOR 2-8-1 (tanh, sigmoid, BCE), batch 4"), ("mlp", "MLP 784-256-10, batch 64"),
              ("lenet5", "LeNet-5 1×28×28, batch 64"), ("lstm", "LSTM 32→128, 50 steps, batch 32"),
              ("transformer", "Transformer encoder layer d64 h4 ff256, seq 32, batch 16")]
    rows = [torch_row(args, label + ": one Adam step (engine, Swift API)", mine, k, torch_) for k, label in labels]
    if script_error is None:
        scripted = others[-1]
        rows += [torch_row(args, label + ": one Adam step (`.myl` script)", scripted, k, torch_) for k, label in labels]
        how = "engine level (Swift API) and language level (`bench/nn/train_steps.myl` under `myelin run`)"
    else:
        args.script_rows_missing = script_error
        how = f"engine level (Swift API) only: `bench/nn/train_steps.myl` does not run yet ({script_error})"
    return rows, (f"{how}; same shapes and optimiser as PyTorch (`bench/nn/torch_bench.py`); {rounds} rounds of "
                  "each, alternating, PyTorch with 2 threads and with 1 thread")


def section_plots(args):
    rounds = 2 if args.quick else 5
    repeats = 3 if args.quick else 5
    out = tempfile.mkdtemp()
    mine, (theirs,) = alternate([args.bin / "PlotBench", out, str(repeats)],
                                [[args.python, BENCH / "plot" / "bench_matplotlib.py", out, str(repeats)]], rounds)
    labels = [("lines", "line plot, 2 series of 200 points, legend"), ("scatter2000", "scatter, 2000 points, 3 colours"),
              ("image28", "28×28 image, viridis")]
    rows = [Row(label + ", 1280×960 PNG", mine[k], "matplotlib Agg", theirs.get(k)) for k, label in labels]
    rows.append(Row("all three", [sum(x) for x in zip(*(mine[k] for k, _ in labels))], "matplotlib Agg",
                    [sum(x) for x in zip(*(theirs[k] for k, _ in labels))]))
    return rows, f"process CPU time to build and save each figure; {rounds} rounds × {repeats} repeats"


def section_course(args):
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not notebooks:
        return [], "notebooks/ holds no notebook yet: nothing to time"
    out = tempfile.mkdtemp()
    runs = 1 if args.quick else 3
    walls, cpus, failed = [], [], None
    for _ in range(runs):
        try:
            _, wall, c = timed([args.myelin, "exec", "--output", out, ROOT / "notebooks"])
            walls.append(wall); cpus.append(c)
        except RuntimeError as e:
            failed = str(e)[-300:]
            break
    if failed:
        return [], f"`myelin exec notebooks/` failed, so no time is recorded: {failed}"
    row = Row(f"`myelin exec notebooks/` ({len(notebooks)} notebooks), total", walls, "—", None,
              unavailable="no anchor", note=f"CPU time {statistics.median(cpus):.2f} s")
    return [row], f"{runs} run(s); what notebooks/ held at this commit: " + ", ".join(n.name for n in notebooks)


SECTIONS = {
    "kernel": ("Kernel (vs ipykernel, through jupyter_client)", section_kernel),
    "interp": ("Interpreter (vs CPython)", section_interp),
    "engine": ("Engine (vs PyTorch CPU and raw OpenBLAS)", section_engine),
    "training": ("Training steps (vs PyTorch CPU)", section_training),
    "plots": ("Plots (vs matplotlib Agg, dpi 200)", section_plots),
    "course": ("The whole course", section_course),
}


# ---------------------------------------------------------------- machine

def command_output(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def machine(args):
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "0")
    versions = command_output([args.python, "-c", "import sys, importlib.metadata as m\n"
                               "print('CPython ' + sys.version.split()[0])\n"
                               "for p in ['torch', 'ipykernel', 'matplotlib', 'numpy', 'jupyter_client']:\n"
                               "    try: print(p + ' ' + m.version(p))\n"
                               "    except Exception: print(p + ' not installed')"]).splitlines()
    swift = command_output(["swift", "--version"]).splitlines()
    return [
        f"- CPU: {cpu}, {os.cpu_count()} logical cores (`nproc`), {int(mem) / 1024 / 1024:.0f} GiB memory",
        f"- OS: {platform.platform()}",
        f"- Swift: {swift[0] if swift else 'unknown'}; Myelin `{command_output(['git', '-C', str(ROOT), 'rev-parse', '--short', 'HEAD'])}`"
        f" (`{(command_output([str(args.myelin), 'version']).splitlines() or ['?'])[0]}`), release build (the Makefile's `-c release -Xswiftc -enable-testing`, what `make install` ships)",
        f"- OpenBLAS: {command_output(['pkg-config', '--modversion', 'openblas']) or 'unknown'}",
        "- Anchors: " + ", ".join(versions),
        "- Threads: the engine gives OpenBLAS every core (2 here) for products above ~400³ and 1 below; its "
        "elementwise kernels run on one thread. PyTorch runs with torch.set_num_threads(2) and, in the same rounds, "
        "with 1 thread; each row compares with the faster of the two (named in the anchor column), because on a "
        "loaded 2-core machine PyTorch's two OpenMP threads often wait a whole time slice for each other",
    ]


def load():
    return command_output(["uptime"])


# ---------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", type=pathlib.Path, default=ROOT / ".build" / "release", help="SwiftPM release bin path")
    parser.add_argument("--python", default=sys.executable, help="the anchors' Python (CPython with torch, ...)")
    parser.add_argument("--quick", action="store_true", help="few repetitions: a smoke check, not a measurement")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    parser.add_argument("--out", type=pathlib.Path, default=BENCH / "results.md")
    args = parser.parse_args()
    args.bin = args.bin.resolve()
    args.myelin = args.bin / "myelin"
    for product in ["myelin", "EngineBench", "NNBench", "PlotBench"]:
        if not (args.bin / product).exists():
            sys.exit(f"bench: {args.bin / product} is missing; build first: swift build -c release")
    args.torch_missing = torch_status()
    if args.torch_missing:
        log(f"bench: PyTorch columns will read 'not available': {args.torch_missing}")

    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = load()
    parts = []
    for key in args.only.split(","):
        title, run = SECTIONS[key]
        log(f"bench: {key} ...")
        t0 = time.perf_counter()
        try:
            rows, how = run(args)
        except Exception as e:  # one broken pair must not lose the others' numbers
            rows, how = [], f"FAILED: {type(e).__name__}: {str(e)[:400]}"
        log(f"bench: {key} took {time.perf_counter() - t0:.0f} s")
        body = f"## {title}\n\n_{how}_\n"
        if rows:
            body += "\n" + table(rows) + "\n"
            print(f"\n{title}\n" + table(rows), flush=True)
        else:
            print(f"\n{title}: {how}", flush=True)
        parts.append(body)

    finished = datetime.datetime.now(datetime.timezone.utc)
    mode = "`make bench-quick` (few repetitions: a smoke check)" if args.quick else "`make bench`"
    header = [
        "# Myelin benchmarks: results",
        "",
        f"Produced by {mode} on {started:%Y-%m-%d}, {started:%H:%M}–{finished:%H:%M} UTC. Times are medians; "
        "**Myelin/anchor** is Myelin's time divided by the anchor's: below 1 Myelin is faster, above 1 it is slower.",
        "",
        "Timings on a shared machine move by tens of per cent with its load (shown below); the alternating "
        "order spreads that over both sides.",
        "",
        "## Machine",
        "",
        *machine(args),
        f"- Load before: `{load_before}`",
        f"- Load after: `{load()}`",
        "",
    ]
    footer = []
    if getattr(args, "script_rows_missing", None):
        footer = ["## Not measured yet", "",
                  "- Training steps at the language level (`bench/nn/train_steps.myl`): it does not run with this "
                  f"build ({args.script_rows_missing}).", ""]
    args.out.write_text("\n".join(header) + "\n" + "\n".join(parts) + "\n" + "\n".join(footer))
    log(f"bench: wrote {args.out}")


if __name__ == "__main__":
    main()
