"""The kernel's messaging protocol through jupyter_client, with the echo (protocol test) interpreter."""
import queue
import time

import pytest

from echo_kernel import TIMEOUT, iopub_until_idle, run, shell_reply, start_echo_kernel


@pytest.fixture(scope="module")
def kernel(myelin, tmp_path_factory):
    km, kc = start_echo_kernel(myelin, tmp_path_factory.mktemp("echo"))
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def test_kernel_info_reports_protocol_and_language(kernel):
    content = kernel.kernel_info(reply=True, timeout=TIMEOUT)["content"]
    assert content["status"] == "ok"
    assert content["protocol_version"] == "5.5"
    assert content["implementation"] == "myelin"
    info = content["language_info"]
    assert info["name"] == "myelin" and info["mimetype"] == "text/x-myelin"
    assert info["file_extension"] == ".myl" and info["pygments_lexer"] == "python"
    assert info["codemirror_mode"] == "python" and info["nbconvert_exporter"] == "script"
    assert isinstance(content["help_links"], list)


def test_execute_round_trip_in_order(kernel):
    reply, iopub = run(kernel, "hello there")
    assert reply["content"]["status"] == "ok"
    types = [m["msg_type"] for m in iopub]
    assert types == ["status", "execute_input", "stream", "execute_result", "status"], types
    assert iopub[0]["content"]["execution_state"] == "busy"
    assert iopub[1]["content"]["code"] == "hello there"
    assert iopub[2]["content"] == {"name": "stdout", "text": "hello there\n"}
    result = iopub[3]["content"]
    assert result["data"]["text/plain"] == "hello there"
    assert result["execution_count"] == reply["content"]["execution_count"] == iopub[1]["content"]["execution_count"]


def test_execution_count_increments(kernel):
    first, _ = run(kernel, "a")
    second, _ = run(kernel, "b")
    assert second["content"]["execution_count"] == first["content"]["execution_count"] + 1


def _first_stream(kc, msg_id, started):
    deadline = started + TIMEOUT
    while time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=deadline - time.monotonic())
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
            return msg, time.monotonic() - started
    raise AssertionError("no stream message")


@pytest.mark.parametrize("command", ["write partial line", "print whole line"])
def test_stream_output_arrives_while_the_cell_still_runs(kernel, command):
    started = time.monotonic()
    msg_id = kernel.execute(f"{command}\nsleep 2")
    msg, elapsed = _first_stream(kernel, msg_id, started)
    assert msg["content"]["text"].startswith(command.split(" ", 1)[1])
    assert elapsed < 1.0, f"stream took {elapsed:.3f}s while the cell sleeps 2s"
    assert shell_reply(kernel, msg_id)["content"]["status"] == "ok"
    iopub_until_idle(kernel, msg_id)


def test_many_small_writes_are_coalesced_and_complete(kernel):
    code = "\n".join(f"write {i}," for i in range(200))
    _, iopub = run(kernel, code)
    streams = [m["content"]["text"] for m in iopub if m["msg_type"] == "stream"]
    assert "".join(streams) == "".join(f"{i}," for i in range(200))
    assert len(streams) < 200


def test_display_update_and_clear(kernel):
    _, iopub = run(kernel, "display first\nupdate second\nclear\nstderr warning")
    shown = [m for m in iopub if m["msg_type"] not in ("status", "execute_input")]
    assert [m["msg_type"] for m in shown] == ["display_data", "update_display_data", "clear_output", "stream"]
    assert shown[0]["content"]["data"]["text/plain"] == "first"
    assert shown[0]["content"]["transient"]["display_id"] == shown[1]["content"]["transient"]["display_id"]
    assert shown[1]["content"]["data"]["text/plain"] == "second"
    assert shown[2]["content"]["wait"] is False
    assert shown[3]["content"] == {"name": "stderr", "text": "warning\n"}


def test_error_reply_and_message(kernel):
    reply, iopub = run(kernel, "error")
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "EchoError"
    errors = [m for m in iopub if m["msg_type"] == "error"]
    assert len(errors) == 1 and errors[0]["content"]["traceback"]


def test_stdin_round_trip(kernel):
    msg_id = kernel.execute("input your name?", allow_stdin=True)
    request = kernel.get_stdin_msg(timeout=TIMEOUT)
    assert request["msg_type"] == "input_request"
    assert request["content"]["prompt"] == "your name?"
    assert request["parent_header"]["msg_id"] == msg_id
    kernel.input("Ada")
    assert shell_reply(kernel, msg_id)["content"]["status"] == "ok"
    results = [m for m in iopub_until_idle(kernel, msg_id) if m["msg_type"] == "execute_result"]
    assert results[0]["content"]["data"]["text/plain"] == "Ada"


def test_input_without_allow_stdin_is_a_clear_error(kernel):
    reply, _ = run(kernel, "input never", allow_stdin=False)
    assert reply["content"]["status"] == "error"
    assert "allow_stdin is false" in reply["content"]["evalue"]


def test_user_expressions(kernel):
    reply, _ = run(kernel, "x", user_expressions={"e": "1+2"})
    assert reply["content"]["user_expressions"]["e"]["data"]["text/plain"] == "1+2"


def test_silent_execute_publishes_no_input_or_result(kernel):
    reply, iopub = run(kernel, "quiet", silent=True)
    assert reply["content"]["status"] == "ok"
    types = {m["msg_type"] for m in iopub}
    assert "execute_input" not in types and "execute_result" not in types


def test_complete_inspect_is_complete(kernel):
    complete = kernel.complete("x = sl", 6, reply=True, timeout=TIMEOUT)["content"]
    assert complete["matches"] == ["sleep"] and complete["cursor_start"] == 4 and complete["cursor_end"] == 6
    inspect = kernel.inspect("display", 3, reply=True, timeout=TIMEOUT)["content"]
    assert inspect["found"] is True and "display" in inspect["data"]["text/plain"]
    for code, status in [("for i in x:", "incomplete"), ("print(1)", "complete"), ("x)", "invalid")]:
        content = shell_reply(kernel, kernel.is_complete(code))["content"]
        assert content["status"] == status, code
        if status == "incomplete":
            assert content["indent"] == "    "


def test_history_tail_range_search(kernel):
    run(kernel, "history marker one")
    run(kernel, "history marker two")
    tail = kernel.history(hist_access_type="tail", n=2, reply=True, timeout=TIMEOUT)["content"]["history"]
    assert [entry[2] for entry in tail] == ["history marker one", "history marker two"]
    session, first_line = tail[0][0], tail[0][1]
    ranged = kernel.history(hist_access_type="range", session=0, start=first_line, stop=first_line + 1,
                            reply=True, timeout=TIMEOUT)["content"]["history"]
    assert ranged == [[session, first_line, "history marker one"]]
    found = kernel.history(hist_access_type="search", pattern="history marker t*", reply=True,
                           timeout=TIMEOUT)["content"]["history"]
    assert [entry[2] for entry in found] == ["history marker two"]


def test_comm_info_and_unknown_comm_is_closed(kernel):
    info = kernel.comm_info(reply=True, timeout=TIMEOUT)["content"]
    assert info["status"] == "ok" and info["comms"] == {}
    msg = kernel.session.msg("comm_open", {"comm_id": "c-123", "target_name": "no.such.target", "data": {}})
    kernel.shell_channel.send(msg)
    closes = [m for m in iopub_until_idle(kernel, msg["header"]["msg_id"]) if m["msg_type"] == "comm_close"]
    assert closes and closes[0]["content"]["comm_id"] == "c-123"


def test_stop_on_error_aborts_queued_cells(kernel):
    ids = [kernel.execute("sleep 0.5"), kernel.execute("error"), kernel.execute("queued"),
           kernel.execute("queued too")]
    statuses = [shell_reply(kernel, i)["content"]["status"] for i in ids]
    assert statuses == ["ok", "error", "aborted", "aborted"]
    for i in ids:
        iopub_until_idle(kernel, i)
    reply, _ = run(kernel, "after the abort")
    assert reply["content"]["status"] == "ok"


def test_stop_on_error_false_keeps_the_queue(kernel):
    ids = [kernel.execute("sleep 0.3"), kernel.execute("error", stop_on_error=False), kernel.execute("next")]
    assert [shell_reply(kernel, i)["content"]["status"] for i in ids] == ["ok", "error", "ok"]
    for i in ids:
        iopub_until_idle(kernel, i)
