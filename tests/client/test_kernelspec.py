"""The installed kernelspec is what Jupyter expects (issue: foundation)."""
import json
import os
import subprocess

from jupyter_client.kernelspec import KernelSpecManager


def test_kernelspec_is_listed_with_absolute_binary(myelin):
    spec = KernelSpecManager().get_kernel_spec("myelin")
    assert spec.display_name == "Myelin"
    assert spec.language == "myelin"
    assert spec.interrupt_mode == "message"
    # The launcher beside the binary pre-binds the ports, then execs `myelin kernel -f FILE`.
    launcher = os.path.join(os.path.dirname(myelin), "myelin-launcher")
    assert os.path.isabs(spec.argv[0]) and os.path.samefile(spec.argv[0], launcher)
    assert spec.argv[1:] == ["-f", "{connection_file}"]
    assert os.path.isfile(os.path.join(spec.resource_dir, "logo-64x64.png"))


def test_install_prefix_writes_kernel_json(myelin, tmp_path):
    subprocess.run([myelin, "install", "--prefix", str(tmp_path), "--name", "myelin-t"], check=True)
    spec_file = tmp_path / "share/jupyter/kernels/myelin-t/kernel.json"
    assert json.loads(spec_file.read_text())["display_name"] == "Myelin"


def test_usage_errors_exit_2_with_one_line(myelin):
    for args in (["--no-such-flag"], ["exec", "/no/such/notebook.ipynb"], ["kernel", "-f", "/no/such/file.json"]):
        proc = subprocess.run([myelin, *args], capture_output=True, text=True)
        assert proc.returncode == 2, (args, proc.stderr)
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert "Fatal error" not in proc.stderr


def test_help_lists_every_subcommand(myelin):
    out = subprocess.run([myelin, "--help"], capture_output=True, text=True, check=True).stdout
    for sub in ("kernel", "exec", "run", "install", "version"):
        assert f"  {sub} " in out
