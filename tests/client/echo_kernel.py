"""Starting the kernel in echo mode (the protocol test interpreter) for the client-side tests."""
import json
import pathlib
import queue
import time

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

TIMEOUT = 10


def write_echo_spec(myelin: str, directory: pathlib.Path, interrupt_mode: str = "message") -> KernelSpecManager:
    """A kernelspec 'myelin-echo' in `directory` running `myelin kernel --echo`."""
    spec = directory / "kernels" / "myelin-echo"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [myelin, "kernel", "--echo", "-f", "{connection_file}"],
        "display_name": "Myelin (echo)", "language": "myelin", "interrupt_mode": interrupt_mode,
    }))
    return KernelSpecManager(kernel_dirs=[str(directory / "kernels")])


def start_ready(km: KernelManager):
    """Starts `km`'s kernel and returns (km, a client whose channels are ready); cleans up on failure."""
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=TIMEOUT)
    except Exception:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        raise
    return km, kc


def start_echo_kernel(myelin: str, directory: pathlib.Path, interrupt_mode: str = "message"):
    return start_ready(KernelManager(kernel_name="myelin-echo",
                                     kernel_spec_manager=write_echo_spec(myelin, directory, interrupt_mode)))


def iopub_until_idle(kc, parent_id: str, timeout: float = TIMEOUT) -> list:
    """IOPub messages whose parent is `parent_id`, up to and including its idle status."""
    deadline = time.monotonic() + timeout
    found = []
    while True:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no idle for {parent_id}; saw {[m['msg_type'] for m in found]}"
        try:
            msg = kc.get_iopub_msg(timeout=remaining)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") != parent_id:
            continue
        found.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return found


def shell_reply(kc, parent_id: str, timeout: float = TIMEOUT) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no shell reply to {parent_id}"
        msg = kc.get_shell_msg(timeout=remaining)
        if msg["parent_header"].get("msg_id") == parent_id:
            return msg


def run(kc, code: str, **kwargs):
    """Executes `code`; returns (reply, iopub messages up to idle)."""
    msg_id = kc.execute(code, **kwargs)
    reply = shell_reply(kc, msg_id)
    return reply, iopub_until_idle(kc, msg_id)


def shutdown_on_control(km, kc, restart: bool) -> dict:
    """Sends shutdown_request on control; returns its reply once the kernel process has exited by itself
    (asserting it did, with status 0, within 5 s)."""
    process = km.provisioner.process
    kc.control_channel.send(kc.session.msg("shutdown_request", {"restart": restart}))
    reply = kc.get_control_msg(timeout=TIMEOUT)
    deadline = time.monotonic() + 5
    while process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() == 0, "the kernel did not exit by itself with status 0"
    return reply
