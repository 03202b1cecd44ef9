"""The stubs describe the extension (mypy's stubtest), and typed code using the API passes
``mypy --strict`` (``typing_check.py``). Needs mypy (installed by scripts/python.sh)."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

from conftest import missing

HERE = pathlib.Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def mypy(tmp_path_factory):
    try:
        import mypy  # noqa: F401
    except ImportError:
        missing("mypy")
    return {**os.environ, "MYPY_CACHE_DIR": str(tmp_path_factory.mktemp("mypy"))}


def run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True,
                          cwd=HERE.parent, env=env)


def test_the_stubs_match_the_extension(mypy):
    out = run(mypy, "mypy.stubtest", "cce_release._native")
    assert out.returncode == 0, out.stdout + out.stderr


def test_typed_code_using_the_api_passes_mypy_strict(mypy):
    out = run(mypy, "mypy", "--strict", str(HERE / "typing_check.py"))
    assert out.returncode == 0, out.stdout + out.stderr
