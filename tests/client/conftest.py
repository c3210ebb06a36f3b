"""Shared set-up for the client-side tests: the myelin binary and the test kernelspec dir."""
import os
import pathlib

import pytest


@pytest.fixture(scope="session")
def myelin() -> str:
    path = os.environ.get("MYELIN")
    assert path and pathlib.Path(path).is_file(), "run through 'make test' (MYELIN must name the built binary)"
    return path
