"""The public jupyter_kernel_test suite against the real kernelspec `myelin` (the language).

Samples follow LANGUAGE.md (Python-flavoured).
"""
import jupyter_kernel_test


class TestMyelinKernelConformance(jupyter_kernel_test.KernelTests):
    kernel_name = "myelin"
    language_name = "myelin"
    file_extension = ".myl"

    code_hello_world = 'print("hello, world")'
    code_stderr = 'import sys\nprint("oops", file=sys.stderr)'
    completion_samples = [{"text": "pri", "matches": {"print"}}]
    complete_code_samples = ["1", 'print("hi")']
    incomplete_code_samples = ["for i in range(3):"]
    invalid_code_samples = ["for for for", "1 +* 2"]
    code_generate_error = 'raise ValueError("x")'
    code_execute_result = [{"code": "6*7", "result": "42"}]
    code_display_data = [{"code": 'display("hello")', "mime": "text/plain"}]
    code_history_pattern = "6?7"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "print"
    code_clear_output = "clear_output()"
    test_pager = None  # paging is not part of Myelin's contract


class TestMyelinIopubWelcome(jupyter_kernel_test.IopubWelcomeTests):
    kernel_name = "myelin"
    support_iopub_welcome = True
