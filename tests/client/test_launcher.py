"""myelin-launcher, the kernelspec's command (issue 3, start-to-ready): it binds the connection file's
TCP ports before `myelin` has even loaded, then execs `myelin kernel -f FILE`, whose ZeroMQ sockets adopt
the listening sockets. A client that connects first is served from the listen backlog."""
import json
import os
import socket
import subprocess
import time

from jupyter_client import BlockingKernelClient

from echo_kernel import TIMEOUT
from real_kernel import start_real_kernel, stop, value_of


def launcher_of(myelin):
    return os.path.join(os.path.dirname(myelin), "myelin-launcher")


def free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def connection_file(tmp_path, ports):
    info = dict(zip(["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"], ports),
                ip="127.0.0.1", key="a0436f6c-1916-498b-8eb9-e81ab9368e84", transport="tcp",
                signature_scheme="hmac-sha256", kernel_name="myelin")
    path = tmp_path / "kernel.json"
    path.write_text(json.dumps(info))
    return path


def test_a_client_connected_before_the_kernel_loaded_is_served(myelin, tmp_path):
    ports = free_ports(5)
    path = connection_file(tmp_path, ports)
    proc = subprocess.Popen([launcher_of(myelin), "-f", str(path)], stderr=subprocess.PIPE)
    try:
        # The shell port listens almost at once (the launcher), long before the kernel could bind it.
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                socket.create_connection(("127.0.0.1", ports[0]), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the launcher never bound the shell port"
                time.sleep(0.001)
        kc = BlockingKernelClient(connection_file=str(path))
        kc.load_connection_file()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=TIMEOUT)
            assert value_of(kc, "6 * 7") == "42"
            # The launcher became the kernel: the pid Jupyter holds is the kernel's own (signals reach it).
            assert value_of(kc, "1") == "1" and proc.poll() is None
            assert os.readlink(f"/proc/{proc.pid}/exe").endswith("/myelin")
        finally:
            kc.shutdown()
            kc.stop_channels()
        assert proc.wait(timeout=TIMEOUT) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_port_in_use_is_reported_by_the_kernel(myelin, tmp_path):
    ports = free_ports(5)
    path = connection_file(tmp_path, ports)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", ports[2]))
        busy.listen()
        proc = subprocess.run([launcher_of(myelin), "-f", str(path)], capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 1
    assert f"cannot bind the stdin socket on tcp://127.0.0.1:{ports[2]}" in proc.stderr
    # Nothing the launcher opened stays bound: the other ports are free again.
    for port in ports[:2] + ports[3:]:
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))


def test_bad_command_lines_get_the_kernels_own_errors(myelin, tmp_path):
    proc = subprocess.run([launcher_of(myelin), "-f", str(tmp_path / "missing.json")], capture_output=True, text=True)
    assert proc.returncode == 2 and "cannot read connection file" in proc.stderr
    proc = subprocess.run([launcher_of(myelin), "--no-such-flag"], capture_output=True, text=True)
    assert proc.returncode == 2 and "myelin" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_ipc_connection_files_start_without_prebinding(tmp_path):
    km, kc = start_real_kernel(transport="ipc", ip=str(tmp_path / "k"))
    try:
        assert value_of(kc, "'ipc'") == "'ipc'"
    finally:
        stop(km, kc)


def test_the_launcher_hands_listening_sockets_for_every_port_to_myelin(myelin, tmp_path):
    # A stand-in `myelin` beside a copy of the launcher reports what it was given.
    import shutil
    import sys
    shutil.copy(launcher_of(myelin), tmp_path / "myelin-launcher")
    report = tmp_path / "report.json"
    (tmp_path / "myelin").write_text(f"""#!{sys.executable}
import json, os, socket, sys
given = os.environ.get("MYELIN_LISTENING_SOCKETS", "")
seen = {{}}
for entry in given.split(","):
    port, fd = map(int, entry.split("="))
    s = socket.socket(fileno=fd)
    seen[port] = [s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN), s.getsockname()[1]]
    s.detach()
json.dump({{"argv": sys.argv[1:], "sockets": seen}}, open({str(report)!r}, "w"))
""")
    (tmp_path / "myelin").chmod(0o755)
    ports = free_ports(5)
    path = connection_file(tmp_path, ports)
    subprocess.run([tmp_path / "myelin-launcher", "-f", str(path)], check=True, timeout=TIMEOUT)
    got = json.loads(report.read_text())
    assert got["argv"] == ["kernel", "-f", str(path)]
    assert got["sockets"] == {str(port): [1, port] for port in ports}
