"""Kernel latency, Myelin (the language kernel, or --echo) against ipykernel, alternating in one run (issue 3, Speed).

  start-to-ready: KernelManager.start_kernel() → first kernel_info_reply seen by the client
                  (kernel_info_request resent every second until one is answered)
  wait_for_ready: the same launch → client.wait_for_ready() returning; for information only, it
                  includes jupyter_client's fixed 0.2 s IOPub flush, the same for every kernel
  execute:        median round trip of a trivial cell: execute_request → execute_reply and idle

Usage: .venv-bench/bin/python bench/kernel_latency.py PATH/TO/myelin [--starts 10] [--cells 300] [--echo]
(bench/run.py calls compare() for `make bench`.)
Needs `pip install ipykernel` in the same environment. Not part of `make test`.
"""
import argparse
import pathlib
import queue
import statistics
import sys
import tempfile
import time

from jupyter_client import KernelManager

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests" / "client"))
from echo_kernel import write_echo_spec  # noqa: E402


def start(make_manager):
    """Launches a kernel; returns it with (seconds to first kernel_info_reply, seconds to ready)."""
    t0 = time.perf_counter()
    km = make_manager()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    first = None
    sent = set()
    while first is None:
        sent.add(kc.kernel_info())
        try:
            reply = kc.get_shell_msg(timeout=1)
        except queue.Empty:
            if time.perf_counter() - t0 > 60:
                raise RuntimeError("kernel did not answer kernel_info in 60 s")
            continue
        # Any of our requests counts: on a slow start the reply to an earlier one arrives after a resend.
        if reply["parent_header"].get("msg_id") in sent:
            first = time.perf_counter() - t0
    kc.wait_for_ready(timeout=60)
    return km, kc, (first, time.perf_counter() - t0)


def round_trips(kc, code, n):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        msg_id = kc.execute(code, store_history=False)
        while kc.get_shell_msg(timeout=10)["parent_header"].get("msg_id") != msg_id:
            pass
        while True:
            msg = kc.get_iopub_msg(timeout=10)
            if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                    and msg["content"]["execution_state"] == "idle"):
                break
        times.append(time.perf_counter() - t0)
    return times


def compare(kernels, starts, cells):
    """Starts each kernel `starts` times, alternating, and times `cells` round trips in all per kernel.

    kernels: {name: (make_manager, code)}. Returns {name: {"ready": [...], "settled": [...], "execute": [...]}}
    in seconds."""
    result = {name: {"ready": [], "settled": [], "execute": []} for name in kernels}
    for i in range(starts):
        for name, (make, code) in kernels.items():  # alternate, so drift hits both alike
            km, kc, (first, whole) = start(make)
            try:
                result[name]["ready"].append(first)
                result[name]["settled"].append(whole)
                if i == 0:
                    round_trips(kc, code, 20)  # warm-up
                result[name]["execute"] += round_trips(kc, code, max(1, cells // starts))
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=False)
    return result


def language_spec(myelin, directory):
    """A kernelspec 'myelin-bench' in `directory`, written by `myelin install` exactly as users get it
    (the launcher beside the binary, which pre-binds the ports and execs `myelin kernel`)."""
    import subprocess
    from jupyter_client.kernelspec import KernelSpecManager
    subprocess.run([myelin, "install", "--prefix", str(directory), "--name", "myelin-bench"], check=True,
                   capture_output=True)
    return KernelSpecManager(kernel_dirs=[str(pathlib.Path(directory) / "share" / "jupyter" / "kernels")])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("myelin")
    parser.add_argument("--starts", type=int, default=10)
    parser.add_argument("--cells", type=int, default=300)
    parser.add_argument("--echo", action="store_true", help="time the protocol test interpreter, not the language")
    args = parser.parse_args()
    spec_dir = pathlib.Path(tempfile.mkdtemp())
    if args.echo:
        ksm, mine = write_echo_spec(args.myelin, spec_dir), ("myelin --echo", "myelin-echo")
    else:
        ksm, mine = language_spec(args.myelin, spec_dir), ("myelin", "myelin-bench")
    kernels = {
        mine[0]: (lambda: KernelManager(kernel_name=mine[1], kernel_spec_manager=ksm), "1"),
        "ipykernel": (lambda: KernelManager(kernel_name="python3"), "1"),
    }
    result = compare(kernels, args.starts, args.cells)
    print(f"{'kernel':16} {'start-to-ready median':>22} {'wait_for_ready median':>22} {'execute median':>16}")
    med = {}
    for name in kernels:
        r = result[name]
        med[name] = (statistics.median(r["ready"]), statistics.median(r["execute"]))
        print(f"{name:16} {med[name][0] * 1000:19.1f} ms {statistics.median(r['settled']) * 1000:19.1f} ms "
              f"{med[name][1] * 1000:13.3f} ms")
    m, p = med[mine[0]], med["ipykernel"]
    print(f"ratio myelin/ipykernel: start-to-ready {m[0] / p[0]:.3f} (goal ≤ 0.1), execute {m[1] / p[1]:.3f} (goal ≤ 0.5)")


if __name__ == "__main__":
    main()
