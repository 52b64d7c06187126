"""Fixtures: artifacts written by the build's tools.

DYCONV_BIN names the build's bin/ (dyconv-compile, dyconv-run and the test
artifact writer); DYCONV_TEST_WORK a folder for the artifacts they write.
"""

import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
DIGITS = REPO / "examples" / "digits"


def _tool(name):
    bin_dir = os.environ.get("DYCONV_BIN")
    if not bin_dir:
        pytest.fail("DYCONV_BIN is not set (ctest sets it: run the tests through ctest)")
    return str(pathlib.Path(bin_dir) / name)


@pytest.fixture(scope="session")
def work_dir(tmp_path_factory):
    configured = os.environ.get("DYCONV_TEST_WORK")
    if not configured:
        return tmp_path_factory.mktemp("dyconv")
    path = pathlib.Path(configured)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def run_tool():
    def run(name, *args):
        return subprocess.run([_tool(name), *map(str, args)], check=True,
                              capture_output=True, text=True)
    return run


@pytest.fixture(scope="session")
def test_artifact(work_dir, run_tool):
    """The path of a hand-written test artifact (bias-relu, fixed-batch, ...)."""
    def make(kind):
        path = work_dir / f"{kind}.dyc"
        run_tool("dyconv-test-artifact", kind, path)
        return path
    return make


@pytest.fixture(scope="session")
def digits_model(work_dir, run_tool):
    """The trained digits ODConv CNN compiled for this CPU."""
    path = work_dir / "digits.dyc"
    run_tool("dyconv-compile", DIGITS / "odconv_digits.json", "-o", path, "--quiet")
    return path
