"""`myelin run FILE [args]` (issue: language): main.swift takes this form before ArgumentParser, so the
behaviour the CLI promises is checked here on the real binary."""
import subprocess


def run(myelin, *args, cwd=None):
    return subprocess.run([myelin, "run", *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def test_script_arguments_pass_through_verbatim(myelin, tmp_path):
    script = tmp_path / "argv.myl"
    script.write_text("import sys\nprint(sys.argv)\n")
    proc = run(myelin, str(script), "x", "--help", "-y", "--", "")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == repr([str(script), "x", "--help", "-y", "--", ""])


def test_system_exit_sets_the_exit_code(myelin, tmp_path):
    for body, code in (("raise SystemExit(3)", 3), ("raise SystemExit", 0), ("import sys\nsys.exit(5)", 5)):
        script = tmp_path / "exit.myl"
        script.write_text(body + "\n")
        proc = run(myelin, str(script))
        assert proc.returncode == code, (body, proc.stderr)


def test_uncaught_error_exits_1_with_traceback_on_stderr(myelin, tmp_path):
    script = tmp_path / "fail.myl"
    script.write_text("print('before')\nx = 1 / 0\n")
    proc = run(myelin, str(script))
    assert proc.returncode == 1
    assert proc.stdout == "before\n"
    assert f'File "{script}", line 2' in proc.stderr
    assert proc.stderr.strip().endswith("ZeroDivisionError: division by zero")


def test_unreadable_script_is_a_usage_error(myelin, tmp_path):
    proc = run(myelin, str(tmp_path / "missing.myl"))
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"myelin: cannot read script '{tmp_path / 'missing.myl'}'"


def test_options_before_the_script_still_go_through_the_parser(myelin):
    proc = run(myelin, "--help")
    assert proc.returncode == 0
    assert "USAGE: myelin run" in proc.stdout
    proc = run(myelin, "--no-such-flag")
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1
