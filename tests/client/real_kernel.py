"""Starting the installed `myelin` kernelspec (the real language) for the client-side tests."""
import pathlib
import time

from jupyter_client import KernelManager

from echo_kernel import TIMEOUT, iopub_until_idle, shell_reply, start_ready


def start_real_kernel(**manager_options):
    """A KernelManager and a ready client on the installed `myelin` kernelspec."""
    return start_ready(KernelManager(kernel_name="myelin", **manager_options))


def stop(km, kc):
    kc.stop_channels()
    if km.is_alive():
        km.shutdown_kernel(now=True)


def run(kc, code: str, timeout: float = TIMEOUT, **kwargs):
    """Executes `code`; returns (reply, iopub messages up to idle)."""
    msg_id = kc.execute(code, **kwargs)
    reply = shell_reply(kc, msg_id, timeout=timeout)
    return reply, iopub_until_idle(kc, msg_id, timeout=timeout)


def stdout_of(iopub) -> str:
    return "".join(m["content"]["text"] for m in iopub if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")


def value_of(kc, expression: str) -> str:
    """The text/plain execute_result of `expression`, asserting the cell succeeded."""
    reply, iopub = run(kc, expression)
    assert reply["content"]["status"] == "ok", reply["content"]
    results = [m["content"]["data"]["text/plain"] for m in iopub if m["msg_type"] == "execute_result"]
    assert len(results) == 1, [m["msg_type"] for m in iopub]
    return results[0]


def wait_for_execute_input(kc, msg_id: str, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = kc.get_iopub_msg(timeout=deadline - time.monotonic())
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
            return msg
    raise AssertionError("the cell never started")


def process_rss_kib(pid: int) -> int:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")
