"""The real kernel (the Myelin language) through jupyter_client: streaming, stdin, errors, interrupts,
restart, SIGINT while idle, and a client that goes away in the middle of a request."""
import os
import signal
import time

import pytest
import zmq
from jupyter_client.session import Session

from echo_kernel import TIMEOUT, iopub_until_idle, shell_reply, shutdown_on_control
from real_kernel import run, start_real_kernel, stdout_of, stop, value_of, wait_for_execute_input


@pytest.fixture
def kernel():
    km, kc = start_real_kernel()
    yield km, kc
    stop(km, kc)


def test_print_output_streams_in_order_while_the_cell_runs(kernel):
    km, kc = kernel
    code = ("for i in range(5):\n    print('line', i)\n"
            "t = time()\nwhile time() - t < 1.5:\n    pass\nprint('done')")
    started = time.monotonic()
    msg_id = kc.execute(code)
    first_stream_at = None
    messages = []
    while True:
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        messages.append(msg)
        if msg["msg_type"] == "stream" and first_stream_at is None:
            first_stream_at = time.monotonic() - started
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    assert stdout_of(messages) == "".join(f"line {i}\n" for i in range(5)) + "done\n"
    assert first_stream_at is not None and first_stream_at < 1.0, "output waited for the end of the cell"
    assert shell_reply(kc, msg_id)["content"]["status"] == "ok"


def test_stdout_and_stderr_keep_their_relative_order(kernel):
    km, kc = kernel
    code = "import sys\nprint('a')\nprint('b', file=sys.stderr)\nprint('c')"
    _, iopub = run(kc, code)
    streams = [(m["content"]["name"], m["content"]["text"]) for m in iopub if m["msg_type"] == "stream"]
    assert streams == [("stdout", "a\n"), ("stderr", "b\n"), ("stdout", "c\n")]


def test_input_goes_over_stdin(kernel):
    km, kc = kernel
    msg_id = kc.execute("name = input('who are you? ')\nprint('hello', name)", allow_stdin=True)
    request = kc.get_stdin_msg(timeout=TIMEOUT)
    assert request["msg_type"] == "input_request"
    assert request["content"]["prompt"] == "who are you? " and request["content"]["password"] is False
    kc.input("Ada")
    reply = shell_reply(kc, msg_id)
    assert reply["content"]["status"] == "ok"
    assert stdout_of(iopub_until_idle(kc, msg_id)) == "hello Ada\n"
    assert value_of(kc, "name") == "'Ada'"


def test_input_without_stdin_is_a_clear_error(kernel):
    km, kc = kernel
    reply, _ = run(kc, "input('x? ')", allow_stdin=False)
    assert reply["content"]["status"] == "error"
    assert "allow_stdin" in reply["content"]["evalue"]


def test_error_has_ename_evalue_and_a_traceback_with_the_line(kernel):
    km, kc = kernel
    reply, iopub = run(kc, "x = 1\nraise ValueError('bad value ' + str(x))")
    content = reply["content"]
    assert content["status"] == "error"
    assert content["ename"] == "ValueError" and content["evalue"] == "bad value 1"
    errors = [m["content"] for m in iopub if m["msg_type"] == "error"]
    assert len(errors) == 1 and errors[0]["ename"] == "ValueError"
    traceback = "\n".join(errors[0]["traceback"])
    assert "line 2" in traceback and "raise ValueError" in traceback and "^" in traceback
    assert traceback.rstrip().endswith("ValueError: bad value 1")
    assert value_of(kc, "x + 1") == "2"


@pytest.mark.parametrize("loop", [
    "while True:\n    pass",
    # ints are 64-bit (OverflowError past 2**63), so keep the sum bounded: only the interrupt may stop it
    "s = 0\nfor i in range(10 ** 12):\n    s = (s + i * i) % 1000003",
    "def spin(n):\n    while n > 0:\n        n = n - 1 + 1\nspin(5)",
])
def test_interrupt_stops_a_busy_cell_within_a_second_and_keeps_state(kernel, loop):
    km, kc = kernel
    run(kc, "kept = [1, 2, 3]\ntotal = sum(kept)")
    msg_id = kc.execute(loop)
    wait_for_execute_input(kc, msg_id)
    time.sleep(0.3)
    started = time.monotonic()
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, timeout=5)
    elapsed = time.monotonic() - started
    assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
    assert elapsed < 1.0, f"interrupt took {elapsed:.3f}s"
    iopub_until_idle(kc, msg_id)
    assert value_of(kc, "total") == "6"
    assert value_of(kc, "kept + [4]") == "[1, 2, 3, 4]"


def test_restart_by_shutdown_request_gives_a_fresh_kernel(kernel):
    km, kc = kernel
    run(kc, "before_restart = 41")
    old = km.provisioner.process
    # restart_kernel sends shutdown_request(restart=True) on control and waits for the process to end.
    km.restart_kernel(now=False)
    assert old.poll() == 0, "the old kernel did not exit by itself"
    kc.wait_for_ready(timeout=TIMEOUT)
    assert km.provisioner.process.pid != old.pid
    reply, _ = run(kc, "before_restart")
    assert reply["content"]["ename"] == "NameError"
    assert reply["content"]["execution_count"] == 1
    assert value_of(kc, "1 + 1") == "2"


def test_shutdown_reply_echoes_the_restart_flag(kernel):
    km, kc = kernel
    reply = shutdown_on_control(km, kc, restart=True)
    assert reply["msg_type"] == "shutdown_reply" and reply["content"]["restart"] is True


def test_sigint_while_idle_is_harmless_and_does_not_cancel_the_next_cell(kernel):
    km, kc = kernel
    run(kc, "state = 'intact'")
    pid = km.provisioner.process.pid
    for _ in range(3):
        os.kill(pid, signal.SIGINT)
        time.sleep(0.1)
    time.sleep(0.2)
    assert km.is_alive()
    reply, iopub = run(kc, "n = 0\nfor i in range(200000):\n    n += 1\nprint(state, n)")
    assert reply["content"]["status"] == "ok", reply["content"]
    assert stdout_of(iopub) == "intact 200000\n"


def test_client_that_disconnects_mid_request_does_not_hurt_the_kernel(kernel):
    km, kc = kernel
    info = km.get_connection_info()
    key = info["key"] if isinstance(info["key"], bytes) else info["key"].encode()
    session = Session(key=key)
    ctx = zmq.Context.instance()

    def send_and_vanish(code):
        sock = ctx.socket(zmq.DEALER)
        sock.linger = 0
        sock.connect(f"{info['transport']}://{info['ip']}:{info['shell_port']}")
        content = {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                   "allow_stdin": True, "stop_on_error": True}
        msg = session.msg("execute_request", content)
        sock.send_multipart(session.serialize(msg))
        time.sleep(0.2)
        sock.close()
        return msg["header"]["msg_id"]

    # The reply to a running cell has nowhere to go once its client is gone; the kernel carries on.
    busy = send_and_vanish("t = time()\nwhile time() - t < 0.7:\n    pass\nleft = 'yes'\nprint('nobody listens')")
    assert stdout_of(iopub_until_idle(kc, busy)) == "nobody listens\n"
    # An input request to a vanished client is never answered: an interrupt gets the kernel back.
    waiting = send_and_vanish("name = input('gone? ')")
    wait_for_execute_input(kc, waiting)
    time.sleep(0.3)
    km.interrupt_kernel()
    errors = [m["content"]["ename"] for m in iopub_until_idle(kc, waiting) if m["msg_type"] == "error"]
    assert errors == ["KeyboardInterrupt"]
    assert km.is_alive()
    assert value_of(kc, "left") == "'yes'"
    assert value_of(kc, "6 * 7") == "42"
