"""The real kernel over the ipc transport, and over CurveZMQ as jupyter_client provisions it
(`KernelManager(transport_encryption="required")`): a client with the server key works on every
channel, a client without it gets nothing — not even the heartbeat."""
import json

import pytest
import zmq
from jupyter_client.session import Session

from echo_kernel import TIMEOUT
from real_kernel import run, start_real_kernel as start, stdout_of, stop, value_of

CURVE = zmq.has("curve")




def exercise_every_channel(km, kc):
    # shell + iopub
    reply, iopub = run(kc, "x = 20\nprint('over', x + 1)")
    assert reply["content"]["status"] == "ok" and stdout_of(iopub) == "over 21\n"
    # stdin
    msg_id = kc.execute("answer = input('? ')", allow_stdin=True)
    assert kc.get_stdin_msg(timeout=TIMEOUT)["msg_type"] == "input_request"
    kc.input("yes")
    assert value_of(kc, "answer") == "'yes'"
    # control
    kc.control_channel.send(kc.session.msg("kernel_info_request", {}))
    assert kc.get_control_msg(timeout=TIMEOUT)["msg_type"] == "kernel_info_reply"
    # heartbeat
    assert kc.hb_channel.is_beating()


def test_ipc_transport_serves_every_channel(tmp_path):
    km, kc = start(transport="ipc", ip=str(tmp_path / "kernel-ipc"))
    try:
        assert km.get_connection_info()["transport"] == "ipc"
        exercise_every_channel(km, kc)
        assert any(p.name.startswith("kernel-ipc-") for p in tmp_path.iterdir())
    finally:
        stop(km, kc)


def test_kernelspec_declares_curve():
    from jupyter_client.kernelspec import KernelSpecManager
    spec = KernelSpecManager().get_kernel_spec("myelin")
    assert spec.metadata.get("supported_encryption") == ["curve"]


@pytest.fixture
def encrypted():
    assert CURVE, "pyzmq without CURVE support"
    km, kc = start(transport_encryption="required")
    yield km, kc
    stop(km, kc)


def test_encrypted_kernel_serves_a_client_that_has_the_key(encrypted):
    km, kc = encrypted
    info = json.loads(open(km.connection_file).read())
    assert len(info["curve_publickey"]) == 40 and len(info["curve_secretkey"]) == 40
    exercise_every_channel(km, kc)


def _plain_socket(kind, url):
    sock = zmq.Context.instance().socket(kind)
    sock.linger = 0
    sock.connect(url)
    return sock


def test_a_client_without_the_server_key_gets_nothing(encrypted):
    km, kc = encrypted
    info = km.get_connection_info()
    url = lambda port: f"tcp://{info['ip']}:{info[port]}"
    key = info["key"] if isinstance(info["key"], bytes) else info["key"].encode()
    session = Session(key=key)
    shell = _plain_socket(zmq.DEALER, url("shell_port"))
    hb = _plain_socket(zmq.REQ, url("hb_port"))
    sub = _plain_socket(zmq.SUB, url("iopub_port"))
    sub.setsockopt(zmq.SUBSCRIBE, b"")
    try:
        # Even with the HMAC key, an unencrypted client is not let in.
        shell.send_multipart(session.serialize(session.msg("kernel_info_request", {})))
        hb.send(b"ping")
        assert not shell.poll(1500) and not hb.poll(100) and not sub.poll(100)
        # The kernel is unharmed and still serves the encrypted client.
        assert value_of(kc, "6 * 7") == "42"
    finally:
        for s in (shell, hb, sub):
            s.close()


def test_a_client_with_the_server_key_but_its_own_keypair_is_served(encrypted):
    km, kc = encrypted
    info = km.get_connection_info()
    key = info["key"] if isinstance(info["key"], bytes) else info["key"].encode()
    session = Session(key=key)
    shell = zmq.Context.instance().socket(zmq.DEALER)
    shell.linger = 0
    public, secret = zmq.curve_keypair()
    shell.curve_publickey, shell.curve_secretkey = public, secret
    server_key = info["curve_publickey"]
    shell.curve_serverkey = server_key if isinstance(server_key, bytes) else server_key.encode()
    shell.connect(f"tcp://{info['ip']}:{info['shell_port']}")
    try:
        shell.send_multipart(session.serialize(session.msg("kernel_info_request", {})))
        assert shell.poll(TIMEOUT * 1000)
        _, frames = session.feed_identities(shell.recv_multipart())
        assert session.deserialize(frames)["msg_type"] == "kernel_info_reply"
    finally:
        shell.close()
