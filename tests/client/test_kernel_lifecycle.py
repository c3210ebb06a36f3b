"""Interrupts, heartbeat, shutdown and restart of the echo kernel, through jupyter_client."""
import os
import signal
import time

import pytest
import zmq

from echo_kernel import TIMEOUT, iopub_until_idle, run, shell_reply, shutdown_on_control, start_echo_kernel


@pytest.fixture
def started(myelin, tmp_path):
    km, kc = start_echo_kernel(myelin, tmp_path)
    yield km, kc
    kc.stop_channels()
    if km.is_alive():
        km.shutdown_kernel(now=True)


@pytest.fixture
def signal_mode(myelin, tmp_path):
    km, kc = start_echo_kernel(myelin, tmp_path, interrupt_mode="signal")
    yield km, kc
    kc.stop_channels()
    if km.is_alive():
        km.shutdown_kernel(now=True)


def _interrupt_running_sleep(km, kc):
    msg_id = kc.execute("sleep 30")
    busy_seen = [m for m in iopub_until_busy(kc, msg_id)]
    assert busy_seen
    time.sleep(0.2)
    started = time.monotonic()
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, timeout=5)
    elapsed = time.monotonic() - started
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    assert elapsed < 0.5, f"interrupt took {elapsed:.3f}s"
    iopub_until_idle(kc, msg_id)
    return reply


def iopub_until_busy(kc, msg_id):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        msg = kc.get_iopub_msg(timeout=deadline - time.monotonic())
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
            return [msg]
    raise AssertionError("cell never started")


def test_interrupt_message_stops_a_running_cell_and_the_kernel_keeps_working(started):
    km, kc = started
    first, _ = run(kc, "before")
    reply = _interrupt_running_sleep(km, kc)
    assert reply["content"]["execution_count"] == first["content"]["execution_count"] + 1
    after, iopub = run(kc, "after")
    assert after["content"]["status"] == "ok"
    assert after["content"]["execution_count"] == reply["content"]["execution_count"] + 1


def test_sigint_interrupts_a_running_cell(signal_mode):
    km, kc = signal_mode
    _interrupt_running_sleep(km, kc)
    assert run(kc, "still here")[0]["content"]["status"] == "ok"


def test_sigint_while_idle_is_harmless(started):
    km, kc = started
    pid = km.provisioner.process.pid
    os.kill(pid, signal.SIGINT)
    time.sleep(0.3)
    assert km.is_alive()
    reply, _ = run(kc, "sleep 0.2")
    assert reply["content"]["status"] == "ok"


def test_heartbeat_answers_quickly_while_a_cell_runs(started):
    km, kc = started
    msg_id = kc.execute("sleep 2")
    iopub_until_busy(kc, msg_id)
    info = km.get_connection_info()
    ctx = zmq.Context.instance()
    hb = ctx.socket(zmq.REQ)
    hb.linger = 0
    hb.connect(f"{info['transport']}://{info['ip']}:{info['hb_port']}")
    try:
        times = []
        for i in range(5):
            start = time.monotonic()
            hb.send(b"ping %d" % i)
            assert hb.poll(1000), "heartbeat did not answer within 1 s"
            assert hb.recv() == b"ping %d" % i
            times.append(time.monotonic() - start)
        assert max(times) < 0.1, times
    finally:
        hb.close()
    assert shell_reply(kc, msg_id)["content"]["status"] == "ok"


def test_shutdown_exits_the_process(started):
    km, kc = started
    process = km.provisioner.process
    started_at = time.monotonic()
    km.shutdown_kernel(now=False)
    assert process.poll() == 0, "the kernel did not exit by itself with status 0"
    assert time.monotonic() - started_at < 4, "jupyter_client had to wait for its kill timeout"


def test_shutdown_on_shell_exits_the_process(started):
    km, kc = started
    process = km.provisioner.process
    msg = kc.session.msg("shutdown_request", {"restart": False})
    kc.shell_channel.send(msg)
    assert shell_reply(kc, msg["header"]["msg_id"])["content"]["status"] == "ok"
    deadline = time.monotonic() + 5
    while process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() == 0


def test_shutdown_on_control_exits_the_process(started):
    km, kc = started
    reply = shutdown_on_control(km, kc, restart=False)
    assert reply["msg_type"] == "shutdown_reply" and reply["content"]["restart"] is False


def test_restart_gives_a_fresh_working_kernel(started):
    km, kc = started
    run(kc, "one")
    old_pid = km.provisioner.process.pid
    km.restart_kernel()
    kc.wait_for_ready(timeout=TIMEOUT)
    assert km.provisioner.process.pid != old_pid
    reply, _ = run(kc, "fresh")
    assert reply["content"]["status"] == "ok"
    assert reply["content"]["execution_count"] == 1


def test_bad_connection_file_is_one_clear_line(myelin, tmp_path):
    import subprocess
    bad = tmp_path / "connection.json"
    bad.write_text('{"ip": "127.0.0.1", "shell_port": 99999}')
    proc = subprocess.run([myelin, "kernel", "--echo", "-f", str(bad)], capture_output=True, text=True, timeout=10)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "shell_port" in proc.stderr and "99999" in proc.stderr
