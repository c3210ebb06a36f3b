"""Writes the seed corpus under fuzz/corpus (run once; the files are committed).

Each file starts with the target byte (see fuzz/JupyterFuzzTarget.swift): w wire, j JSON, n notebook,
c connection file. Wire messages are signed with the key "fuzz" by jupyter_client's Session.
"""
import json
import pathlib

from jupyter_client.session import Session

ROOT = pathlib.Path(__file__).resolve().parent
CORPUS = ROOT / "corpus"
SEP = b"\x00\xff"


def write(kind, name, body: bytes):
    path = CORPUS / {"w": "wire", "j": "json", "n": "notebook", "c": "connection"}[kind] / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(kind.encode() + body)


def main():
    session = Session(key=b"fuzz")
    requests = {
        "execute": ("execute_request", {"code": "print('hé')\n1 + 1", "silent": False, "store_history": True,
                                        "user_expressions": {"x": "1"}, "allow_stdin": True, "stop_on_error": True}),
        "kernel_info": ("kernel_info_request", {}),
        "complete": ("complete_request", {"code": "pri", "cursor_pos": 3}),
        "inspect": ("inspect_request", {"code": "print", "cursor_pos": 5, "detail_level": 1}),
        "history": ("history_request", {"hist_access_type": "search", "pattern": "a*", "unique": True, "n": 5}),
        "comm_open": ("comm_open", {"comm_id": "c1", "target_name": "x", "data": {}}),
        "shutdown": ("shutdown_request", {"restart": True}),
        "input_reply": ("input_reply", {"value": "42"}),
    }
    for name, (msg_type, content) in requests.items():
        frames = [b"client-id"] + session.serialize(session.msg(msg_type, content))
        write("w", name, SEP.join(frames))
    msg = session.msg("execute_request", {"code": "1"})
    frames = session.serialize(msg, ident=[b"a", b"b"])
    frames.append(b"\x00\x01binary buffer")
    write("w", "buffers_two_ids", SEP.join(frames))
    write("w", "unsigned", SEP.join([b"<IDS|MSG>", b"", b"{}", b"{}", b"{}", b"{}"]))
    write("w", "no_delimiter", SEP.join([b"a", b"b"]))

    for name, text in {
        "nested": '{"a": [1, 2.5e-3, -0, true, false, null, "\\u00e9\\ud83d\\ude00", {"b": []}]}',
        "numbers": "[0, -1, 1e308, 1e-308, 9223372036854775807, -9223372036854775808, 1.5E+3]",
        "escapes": '"\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0000"',
        "deep": "[" * 200 + "]" * 200,
    }.items():
        write("j", name, text.encode())

    for nb in sorted((ROOT.parent / "notebooks").glob("*.ipynb"))[:4]:
        write("n", nb.name, nb.read_bytes())
    fixtures = ROOT.parent / "Tests/JupyterTests/Headless/Fixtures"
    for nb in sorted(fixtures.glob("*.ipynb"))[:3]:
        write("n", nb.name, nb.read_bytes())
    minimal = {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
               "cells": [{"cell_type": "code", "id": "a1", "metadata": {}, "source": ["x = 1\n", "x"],
                          "outputs": [], "execution_count": None},
                         {"cell_type": "markdown", "id": "m", "metadata": {}, "source": "# hi"}]}
    write("n", "minimal.ipynb", json.dumps(minimal).encode())

    conn = {"transport": "tcp", "ip": "127.0.0.1", "shell_port": 1, "iopub_port": 2, "stdin_port": 3,
            "control_port": 4, "hb_port": 5, "key": "k", "signature_scheme": "hmac-sha256"}
    write("c", "tcp.json", json.dumps(conn).encode())
    curve = dict(conn, curve_publickey="rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7", curve_secretkey="JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6")
    write("c", "curve.json", json.dumps(curve).encode())


if __name__ == "__main__":
    main()
