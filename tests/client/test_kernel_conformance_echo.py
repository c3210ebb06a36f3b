"""The public jupyter_kernel_test suite (message schemas, every optional test) against the kernel in
echo mode, so the protocol side is checked before the language lands. The same suite against the
real language is tests/client/pending/conformance_kernel.py."""
import os
import pathlib
import tempfile

import jupyter_kernel_test

from echo_kernel import start_echo_kernel


class _EchoKernel:
    @classmethod
    def setUpClass(cls):
        cls._dir = tempfile.TemporaryDirectory()
        cls.km, cls.kc = start_echo_kernel(os.environ["MYELIN"], pathlib.Path(cls._dir.name))

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel()
        cls._dir.cleanup()


class TestEchoKernelConformance(_EchoKernel, jupyter_kernel_test.KernelTests):
    language_name = "myelin"
    file_extension = ".myl"
    code_hello_world = "print hello, world"
    code_stderr = "stderr oops"
    completion_samples = [{"text": "sl", "matches": {"sleep"}}, {"text": "x = d", "matches": {"display"}}]
    complete_code_samples = ["1", "print hi"]
    incomplete_code_samples = ["for i in range(3):"]
    invalid_code_samples = ["x)"]
    code_generate_error = "error"
    code_execute_result = [{"code": "6*7", "result": "6*7"}]
    code_display_data = [{"code": "display 42", "mime": "text/plain"}]
    code_history_pattern = "6?7"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "sleep"
    code_clear_output = "clear"
    test_pager = None  # paging is not part of Myelin's contract


class TestEchoKernelIopubWelcome(jupyter_kernel_test.IopubWelcomeTests):
    support_iopub_welcome = True

    @classmethod
    def setUpClass(cls):
        from echo_kernel import write_echo_spec
        from jupyter_client import KernelManager
        cls._dir = tempfile.TemporaryDirectory()
        ksm = write_echo_spec(os.environ["MYELIN"], pathlib.Path(cls._dir.name))
        cls.km = KernelManager(kernel_name="myelin-echo", kernel_spec_manager=ksm)
        cls.km.start_kernel()
        cls.kc = cls.km.client()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls._dir.cleanup()
