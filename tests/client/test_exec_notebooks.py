"""`myelin exec` runs notebooks headless through the real language and writes valid nbformat 4.5 back
(issue 8): real outputs recorded into the notebook, an error cell with its traceback, the options."""
import json
import pathlib
import subprocess

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_raw_cell


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


def passing(path):
    """Two cells that print, show a value and use the first cell's variable."""
    first = new_code_cell("x = 41\nprint('x is', x)\nx + 1")
    first.metadata["x-note"] = "kept"
    first.outputs = [nbformat.v4.new_output("stream", name="stdout", text="stale\n")]
    first.execution_count = 9
    return write_nb(path, [new_markdown_cell("intro"), first, new_code_cell("print(x * 2)\nx / 2")])


def with_error(path):
    """A cell that prints, then fails inside a function; a later cell that would print."""
    ok = new_code_cell("x = 1\nprint(x)")
    ok.metadata["x-note"] = "kept"
    ok.outputs = [nbformat.v4.new_output("stream", name="stdout", text="stale\n")]
    ok.execution_count = 9
    bad = new_code_cell("def f(n):\n    return 10 / n\nprint('before')\nf(0)")
    later = new_code_cell("print(x + 1)")
    later.outputs = [nbformat.v4.new_output("stream", name="stdout", text="stale too\n")]
    later.execution_count = 10
    return write_nb(path, [new_markdown_cell("intro"), ok, bad, later])


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


def test_real_outputs_are_recorded_in_place(myelin, tmp_path):
    path = passing(tmp_path / "ok.ipynb")
    before = nbformat.read(str(path), as_version=4)
    proc = exec_(myelin, path)
    assert proc.returncode == 0, proc.stderr
    after = nbformat.read(str(path), as_version=4)
    nbformat.validate(after)
    first, second = after.cells[1], after.cells[2]
    assert first.id == before.cells[1].id and first.metadata["x-note"] == "kept"
    assert [c.execution_count for c in (first, second)] == [1, 2]
    assert [o.output_type for o in first.outputs] == ["stream", "execute_result"]
    assert first.outputs[0].name == "stdout" and first.outputs[0].text == "x is 41\n"
    assert first.outputs[1].data["text/plain"] == "42" and first.outputs[1].execution_count == 1
    assert second.outputs[0].text == "82\n"
    assert second.outputs[1].data["text/plain"] == "20.5"
    timing = first.metadata["execution"]
    assert set(timing) >= {"iopub.execute_input", "shell.execute_reply"}
    assert all(v.endswith("Z") for v in timing.values())
    assert summary_rows(proc.stdout)[str(path)][1] == "2/2"


def test_error_cell_is_recorded_with_its_traceback_and_exits_1(myelin, tmp_path):
    path = with_error(tmp_path / "code.ipynb")
    before = nbformat.read(str(path), as_version=4)
    proc = exec_(myelin, path)
    assert proc.returncode == 1, proc.stderr
    after = nbformat.read(str(path), as_version=4)
    nbformat.validate(after)
    ok, bad, later = after.cells[1:]
    assert ok.id == before.cells[1].id and ok.metadata["x-note"] == "kept"
    assert ok.execution_count == 1 and [o.text for o in ok.outputs] == ["1\n"]
    assert bad.execution_count == 2
    assert [o.output_type for o in bad.outputs] == ["stream", "error"]
    assert bad.outputs[0].text == "before\n"
    error = bad.outputs[1]
    assert error.ename == "ZeroDivisionError" and error.evalue == "division by zero"
    traceback = "\n".join(error.traceback)
    assert "line 4" in traceback and "f(0)" in traceback
    assert "line 2, in f" in traceback and "return 10 / n" in traceback and "^" in traceback
    # CI logs show the failing cell and its traceback.
    assert f"{path}: cell 3 failed" in proc.stderr and "ZeroDivisionError: division by zero" in proc.stderr
    # The notebook stopped at the error: the later cell lost its stale outputs and count.
    assert later.outputs == [] and later.execution_count is None
    row = summary_rows(proc.stdout)[str(path)]
    assert row[1] == "2/3" and row[-1] == "failed"


def test_allow_errors_runs_every_cell_but_still_fails(myelin, tmp_path):
    path = with_error(tmp_path / "code.ipynb")
    proc = exec_(myelin, "--allow-errors", path)
    assert proc.returncode == 1
    after = nbformat.read(str(path), as_version=4)
    nbformat.validate(after)
    assert [c.get("execution_count") for c in after.cells] == [None, 1, 2, 3]
    assert after.cells[2].outputs[-1].output_type == "error"
    # State from before the error survives into the later cell.
    assert [o.text for o in after.cells[3].outputs] == ["2\n"]


def test_raises_exception_and_skip_execution_tags(myelin, tmp_path):
    expected = new_code_cell("fail()")
    expected.metadata["tags"] = ["raises-exception"]
    skipped = new_code_cell("never()")
    skipped.metadata["tags"] = ["skip-execution"]
    skipped.outputs = [nbformat.v4.new_output("stream", name="stdout", text="kept\n")]
    after_it = new_code_cell("print('still ran')")
    path = write_nb(tmp_path / "tags.ipynb", [expected, skipped, after_it])
    proc = exec_(myelin, path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    after = nbformat.read(str(path), as_version=4)
    nbformat.validate(after)
    error = after.cells[0].outputs[0]
    assert error.output_type == "error" and error.ename == "NameError" and "fail" in error.evalue
    assert after.cells[1].outputs[0].text == "kept\n" and after.cells[1].execution_count is None
    assert after.cells[2].outputs[0].text == "still ran\n"


def test_output_dir_leaves_the_original_untouched(myelin, tmp_path):
    path = with_error(tmp_path / "code.ipynb")
    original = path.read_bytes()
    out = tmp_path / "out"
    proc = exec_(myelin, "--output", out, path)
    assert proc.returncode == 1
    assert path.read_bytes() == original
    copy = nbformat.read(str(out / "code.ipynb"), as_version=4)
    nbformat.validate(copy)
    assert copy.cells[1].outputs[0].text == "1\n"
    assert copy.cells[2].outputs[-1].ename == "ZeroDivisionError"


def test_check_writes_nothing_but_reports(myelin, tmp_path):
    bad = with_error(tmp_path / "code.ipynb")
    good = passing(tmp_path / "ok.ipynb")
    originals = {p: p.read_bytes() for p in (bad, good)}
    proc = exec_(myelin, "--check", bad, good)
    assert proc.returncode == 1
    assert all(p.read_bytes() == data for p, data in originals.items())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["code.ipynb", "ok.ipynb"]
    rows = summary_rows(proc.stdout)
    assert rows[str(bad)][-1] == "failed" and rows[str(good)][-1] == "passed"
    assert exec_(myelin, "--check", good).returncode == 0


def test_timeout_interrupts_a_busy_loop_and_records_the_error(myelin, tmp_path):
    path = write_nb(tmp_path / "slow.ipynb", [new_code_cell("n = 0\nwhile True:\n    n += 1"),
                                              new_code_cell("print('never')")])
    proc = exec_(myelin, "--timeout", "0.5", path)
    assert proc.returncode == 1
    after = nbformat.read(str(path), as_version=4)
    nbformat.validate(after)
    error = after.cells[0].outputs[-1]
    assert error.output_type == "error" and "0.5" in error.evalue
    assert after.cells[1].outputs == []


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
        passing(tmp_path / f"{name}.ipynb")
    code = with_error(tmp_path / "zz-code.ipynb")
    proc = exec_(myelin, "--jobs", 3, tmp_path)
    assert proc.returncode == 1, proc.stderr
    rows = summary_rows(proc.stdout)
    assert [rows[str(tmp_path / f"{n}.ipynb")][-1] for n in ("one", "two", "three")] == ["passed"] * 3
    assert rows[str(code)][-1] == "failed"
    for name in ("one", "two", "three"):
        nb = nbformat.read(str(tmp_path / f"{name}.ipynb"), as_version=4)
        nbformat.validate(nb)
        assert nb.cells[1].outputs[1].data["text/plain"] == "42"
    nbformat.validate(nbformat.read(str(code), as_version=4))
    assert "ZeroDivisionError" in proc.stderr
    assert "myelin-exec-result" not in proc.stdout


def test_script_runs_as_one_cell_prints_and_writes_nothing(myelin, tmp_path):
    script = tmp_path / "train.myl"
    script.write_text("total = 0\nfor i in range(4):\n    total += i\nprint('total', total)\n")
    proc = exec_(myelin, script)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("total 6\n")
    assert summary_rows(proc.stdout)[str(script)][-1] == "passed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["train.myl"]


def test_failing_script_exits_1_with_its_traceback(myelin, tmp_path):
    script = tmp_path / "broken.myl"
    script.write_text("print('start')\nitems = [1, 2]\nitems[5]\n")
    proc = exec_(myelin, script)
    assert proc.returncode == 1
    assert proc.stdout.startswith("start\n")
    assert "IndexError" in proc.stderr and "line 3" in proc.stderr and "items[5]" in proc.stderr
    assert summary_rows(proc.stdout)[str(script)][-1] == "failed"


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
