"""Output floods: a cell printing hundreds of thousands of lines or thousands of displays is capped
(one notice), the kernel's memory stays flat, and the next cell works. The limits are lowered through
the environment so the floods stay small enough for a test."""
import pytest

from real_kernel import process_rss_kib, run, stdout_of, stop, value_of

DATA_LIMIT = 50_000  # bytes/s; the burst is three seconds' worth
MSG_LIMIT = 100  # messages/s
NOTICE = "Output rate limit exceeded"


@pytest.fixture
def limited():
    import os
    env = dict(os.environ, MYELIN_IOPUB_DATA_RATE_LIMIT=str(DATA_LIMIT), MYELIN_IOPUB_MSG_RATE_LIMIT=str(MSG_LIMIT))
    km, kc = start_real_kernel_with_env(env)
    yield km, kc
    stop(km, kc)


def start_real_kernel_with_env(env):
    from jupyter_client import KernelManager
    from echo_kernel import TIMEOUT
    km = KernelManager(kernel_name="myelin")
    km.start_kernel(env=env)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    return km, kc


def notices(iopub):
    return [m for m in iopub if m["msg_type"] == "stream" and NOTICE in m["content"]["text"]]


def test_a_print_flood_is_capped_with_one_notice(limited):
    km, kc = limited
    pid = km.provisioner.process.pid
    rss_before = process_rss_kib(pid)
    reply, iopub = run(kc, "for i in range(400000):\n    print('line', i)\nprint('the end')", timeout=120)
    assert reply["content"]["status"] == "ok"
    out = stdout_of(iopub)
    full = sum(len(f"line {i}\n") for i in range(400000))
    assert out.startswith("line 0\nline 1\n")
    assert len(out) < full / 2, f"{len(out)} of {full} bytes passed a {DATA_LIMIT} B/s limit"
    assert len(notices(iopub)) == 1
    assert notices(iopub)[0]["content"]["name"] == "stderr"
    assert process_rss_kib(pid) - rss_before < 50_000
    # The next cell is not silenced by the flood before it.
    after, iopub = run(kc, "print('after the flood')")
    assert stdout_of(iopub) == "after the flood\n" and not notices(iopub)


def test_a_display_flood_is_capped_and_the_kernel_stays_responsive(limited):
    km, kc = limited
    reply, iopub = run(kc, "s = 'z' * 2000\nfor i in range(3000):\n    display(s)", timeout=120)
    assert reply["content"]["status"] == "ok"
    displays = [m for m in iopub if m["msg_type"] == "display_data"]
    assert 10 <= len(displays) < 1000, len(displays)
    assert len(notices(iopub)) == 1
    assert value_of(kc, "len(s)") == "2000"


def test_a_flood_of_updates_ends_with_the_latest_value(limited):
    km, kc = limited
    code = "display('start', display_id='bar')\nfor i in range(20000):\n    update_display(i, display_id='bar')"
    reply, iopub = run(kc, code, timeout=120)
    assert reply["content"]["status"] == "ok"
    updates = [m["content"] for m in iopub if m["msg_type"] == "update_display_data"]
    assert len(updates) < 20000
    assert updates[-1]["data"]["text/plain"] == "19999"
    assert updates[-1]["transient"]["display_id"] == "bar"
