"""Unsigned, badly signed, replayed and malformed messages are dropped without a reply, and the
kernel keeps serving (raw ZeroMQ frames from Python)."""
import pytest
import zmq
from jupyter_client.session import Session

from echo_kernel import start_echo_kernel


@pytest.fixture(scope="module")
def raw(myelin, tmp_path_factory):
    km, kc = start_echo_kernel(myelin, tmp_path_factory.mktemp("sec"))
    info = km.get_connection_info()
    ctx = zmq.Context.instance()
    sock = ctx.socket(zmq.DEALER)
    sock.linger = 0
    sock.connect(f"{info['transport']}://{info['ip']}:{info['shell_port']}")
    key = info["key"] if isinstance(info["key"], bytes) else info["key"].encode()
    yield km, sock, Session(key=key)
    sock.close()
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def _reply(sock, session, timeout_ms):
    if not sock.poll(timeout_ms):
        return None
    frames = sock.recv_multipart()
    _, msg_frames = session.feed_identities(frames)
    return session.deserialize(msg_frames)


def _frames(session, msg_type="kernel_info_request"):
    return session.serialize(session.msg(msg_type, {}))


def test_good_message_is_answered(raw):
    km, sock, session = raw
    sock.send_multipart(_frames(session))
    reply = _reply(sock, session, 5000)
    assert reply is not None and reply["msg_type"] == "kernel_info_reply"


def test_wrong_key_is_ignored(raw):
    km, sock, session = raw
    sock.send_multipart(_frames(Session(key=b"not-the-key")))
    assert _reply(sock, session, 500) is None
    sock.send_multipart(_frames(session))
    assert _reply(sock, session, 5000) is not None


def test_missing_signature_is_ignored(raw):
    km, sock, session = raw
    frames = _frames(session)
    frames[1] = b""
    sock.send_multipart(frames)
    assert _reply(sock, session, 500) is None


def test_replayed_message_is_ignored(raw):
    km, sock, session = raw
    frames = _frames(session)
    sock.send_multipart(frames)
    assert _reply(sock, session, 5000) is not None
    sock.send_multipart(frames)
    assert _reply(sock, session, 500) is None


@pytest.mark.parametrize("frames", [
    [b"garbage"],
    [b"<IDS|MSG>", b"sig"],
    [b"<IDS|MSG>", b"", b"{", b"{}", b"{}", b"{}"],
])
def test_malformed_frames_are_dropped_and_the_kernel_survives(raw, frames):
    km, sock, session = raw
    sock.send_multipart(frames)
    assert _reply(sock, session, 300) is None
    assert km.is_alive()
    sock.send_multipart(_frames(session))
    assert _reply(sock, session, 5000) is not None


def test_iopub_welcomes_a_new_subscriber(raw):
    km, sock, session = raw
    info = km.get_connection_info()
    sub = zmq.Context.instance().socket(zmq.SUB)
    sub.linger = 0
    sub.setsockopt(zmq.SUBSCRIBE, b"")
    sub.connect(f"{info['transport']}://{info['ip']}:{info['iopub_port']}")
    try:
        assert sub.poll(5000), "no iopub_welcome"
        _, msg_frames = session.feed_identities(sub.recv_multipart())
        msg = session.deserialize(msg_frames)
        assert msg["msg_type"] == "iopub_welcome"
        assert msg["content"]["subscription"] == ""
    finally:
        sub.close()
