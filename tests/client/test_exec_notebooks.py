"""`myelin exec` runs notebooks headless and writes valid nbformat 4.5 back (issue 8).

Until the Myelin language is built into the binary, every code cell fails with
"the Myelin language is not available in this build"; these tests cover what that allows
(markdown-only notebooks pass, code cells fail cleanly). The runner's success paths (outputs,
displays, timeouts) are tested in Swift with a test interpreter.
"""
import json
import pathlib
import subprocess

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_raw_cell

LANGUAGE_MISSING = "the Myelin language is not available in this build"


def exec_(myelin, *args, cwd=None):
    return subprocess.run([myelin, "exec", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120)


def write_nb(path, cells, **metadata):
    nb = new_notebook(cells=cells)
    nb.metadata.update(metadata)
    nbformat.write(nb, str(path))
    return path


def markdown_only(path):
    cell = new_markdown_cell("# A lesson\n\nSome *text*, é.")
    cell.metadata["x-teacher"] = {"keep": [1, 2]}
    return write_nb(path, [cell, new_raw_cell("raw\ntext")], x_course={"week": 3})


def with_code(path):
    code = new_code_cell("x = 1\nprint(x)")
    code.metadata["x-note"] = "kept"
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="stale\n")]
    code.execution_count = 9
    later = new_code_cell("print(2)")
    later.outputs = [nbformat.v4.new_output("stream", name="stdout", text="stale too\n")]
    later.execution_count = 10
    return write_nb(path, [new_markdown_cell("intro"), code, later])


def summary_rows(stdout):
    return {line.split()[0]: line.split() for line in stdout.splitlines() if line.strip()}


def test_markdown_only_notebook_passes_and_keeps_ids_and_metadata(myelin, tmp_path):
    path = markdown_only(tmp_path / "lesson.ipynb")
    before = nbformat.read(str(path), as_version=4)
    proc = exec_(myelin, path)
    assert proc.returncode == 0, proc.stderr
    after = nbformat.read(str(path), as_version=4)
    nbformat.validate(after)
    assert [c.id for c in after.cells] == [c.id for c in before.cells]
    assert after.metadata["x_course"] == {"week": 3}
    assert after.cells[0].metadata["x-teacher"] == {"keep": [1, 2]}
    assert [c.source for c in after.cells] == [c.source for c in before.cells]
    rows = summary_rows(proc.stdout)
    assert rows["notebook"] == ["notebook", "cells", "seconds", "status"]
    assert rows[str(path)][1] == "0/0" and rows[str(path)][-1] == "passed"


def test_written_file_is_byte_identical_to_nbformat_for_an_unchanged_notebook(myelin, tmp_path):
    path = markdown_only(tmp_path / "same.ipynb")
    original = path.read_bytes()
    assert exec_(myelin, path).returncode == 0
    assert path.read_bytes() == original


def test_code_cell_failure_is_recorded_and_exits_1(myelin, tmp_path):
    path = with_code(tmp_path / "code.ipynb")
    before = nbformat.read(str(path), as_version=4)
    proc = exec_(myelin, path)
    assert proc.returncode == 1, proc.stderr
    assert LANGUAGE_MISSING in proc.stderr
    after = nbformat.read(str(path), as_version=4)
    nbformat.validate(after)
    cell = after.cells[1]
    assert cell.id == before.cells[1].id and cell.metadata["x-note"] == "kept"
    assert cell.execution_count == 1
    assert [o.output_type for o in cell.outputs] == ["error"]
    assert cell.outputs[0].evalue == LANGUAGE_MISSING
    timing = cell.metadata["execution"]
    assert set(timing) >= {"iopub.execute_input", "shell.execute_reply"}
    assert all(v.endswith("Z") for v in timing.values())
    # The notebook stopped at the error: the later cell lost its stale outputs and count.
    assert after.cells[2].outputs == [] and after.cells[2].execution_count is None
    assert summary_rows(proc.stdout)[str(path)][1:] == ["1/2", summary_rows(proc.stdout)[str(path)][2], "failed"]


def test_allow_errors_runs_every_cell_but_still_fails(myelin, tmp_path):
    path = with_code(tmp_path / "code.ipynb")
    proc = exec_(myelin, "--allow-errors", path)
    assert proc.returncode == 1
    after = nbformat.read(str(path), as_version=4)
    nbformat.validate(after)
    assert [c.get("execution_count") for c in after.cells] == [None, 1, 2]
    assert after.cells[2].outputs[0].output_type == "error"


def test_raises_exception_and_skip_execution_tags(myelin, tmp_path):
    expected = new_code_cell("fail()")
    expected.metadata["tags"] = ["raises-exception"]
    skipped = new_code_cell("never()")
    skipped.metadata["tags"] = ["skip-execution"]
    skipped.outputs = [nbformat.v4.new_output("stream", name="stdout", text="kept\n")]
    path = write_nb(tmp_path / "tags.ipynb", [expected, skipped])
    proc = exec_(myelin, path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    after = nbformat.read(str(path), as_version=4)
    nbformat.validate(after)
    assert after.cells[0].outputs[0].output_type == "error"
    assert after.cells[1].outputs[0].text == "kept\n" and after.cells[1].execution_count is None


def test_output_dir_leaves_the_original_untouched(myelin, tmp_path):
    path = with_code(tmp_path / "code.ipynb")
    original = path.read_bytes()
    out = tmp_path / "out"
    proc = exec_(myelin, "--output", out, path)
    assert proc.returncode == 1
    assert path.read_bytes() == original
    copy = nbformat.read(str(out / "code.ipynb"), as_version=4)
    nbformat.validate(copy)
    assert copy.cells[1].outputs[0].output_type == "error"


def test_check_writes_nothing(myelin, tmp_path):
    path = with_code(tmp_path / "code.ipynb")
    original = path.read_bytes()
    proc = exec_(myelin, "--check", path)
    assert proc.returncode == 1
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["code.ipynb"]


@pytest.mark.parametrize("text, fragment", [
    ("{ this is not json", "not valid JSON"),
    (json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": []}), "nbformat 3"),
    (json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}}), "'cells'"),
])
def test_unreadable_notebook_exits_2_naming_the_file_and_is_left_alone(myelin, tmp_path, text, fragment):
    bad = tmp_path / "broken.ipynb"
    bad.write_text(text)
    good = markdown_only(tmp_path / "good.ipynb")
    proc = exec_(myelin, bad, good)
    assert proc.returncode == 2
    assert str(bad) in proc.stderr and fragment in proc.stderr
    assert bad.read_text() == text
    rows = summary_rows(proc.stdout)
    assert rows[str(bad)][-1] == "unreadable" and rows[str(good)][-1] == "passed"
    # The same through --output and through child processes: nothing is written for the bad file.
    out = tmp_path / "out"
    for extra in ([], ["--jobs", "2"]):
        proc = exec_(myelin, "--output", out, *extra, bad, good)
        assert proc.returncode == 2 and str(bad) in proc.stderr, proc.stderr
        assert sorted(p.name for p in out.iterdir()) == ["good.ipynb"]
    assert bad.read_text() == text


def test_directory_runs_its_notebooks_in_name_order(myelin, tmp_path):
    markdown_only(tmp_path / "b.ipynb")
    markdown_only(tmp_path / "a.ipynb")
    (tmp_path / "notes.txt").write_text("not a notebook")
    proc = exec_(myelin, tmp_path)
    assert proc.returncode == 0, proc.stderr
    names = [line.split()[0] for line in proc.stdout.splitlines() if ".ipynb" in line]
    assert names == [str(tmp_path / "a.ipynb"), str(tmp_path / "b.ipynb")]


def test_jobs_run_in_parallel_processes_with_the_same_results(myelin, tmp_path):
    for name in ("one", "two", "three"):
        markdown_only(tmp_path / f"{name}.ipynb")
    code = with_code(tmp_path / "zz-code.ipynb")
    proc = exec_(myelin, "--jobs", 3, tmp_path)
    assert proc.returncode == 1, proc.stderr
    rows = summary_rows(proc.stdout)
    assert [rows[str(tmp_path / f"{n}.ipynb")][-1] for n in ("one", "two", "three")] == ["passed"] * 3
    assert rows[str(code)][-1] == "failed"
    nbformat.validate(nbformat.read(str(code), as_version=4))
    assert "myelin-exec-result" not in proc.stdout


def test_script_runs_as_one_cell_and_writes_nothing(myelin, tmp_path):
    script = tmp_path / "train.myl"
    script.write_text("print(1)\n")
    proc = exec_(myelin, script)
    assert proc.returncode == 1
    assert LANGUAGE_MISSING in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["train.myl"]


@pytest.mark.parametrize("args", [
    ["--timeout", "0"], ["--jobs", "0"], ["--check", "--output", "x"], [],
])
def test_usage_errors_exit_2(myelin, tmp_path, args):
    path = markdown_only(tmp_path / "n.ipynb")
    proc = exec_(myelin, *args, *([path] if args else []))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.strip()


FIXTURE = pathlib.Path(__file__).resolve().parents[2] / "Tests/JupyterTests/Headless/Fixtures/executed-by-test-interpreter.ipynb"


def test_runner_output_with_every_output_kind_validates_and_matches_nbformats_writer():
    """The Swift runner wrote this fixture (HeadlessFixtureTests) with streams, displays updated by id,
    a PNG, execute results, an expected error, a skipped cell and a timeout."""
    text = FIXTURE.read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    nbformat.validate(nb)
    assert nbformat.writes(nb) + "\n" == text
    kinds = [o.output_type for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert {"stream", "display_data", "execute_result", "error"} <= set(kinds)
    assert nb.cells[-2].outputs[-1].ename == "CellTimeoutError"
