"""Shared fixtures of the Python test suite.

- ``CCE_RELEASE_LINT``: the linter binary for the differential tests (CI gives the debug binary
  ``cargo test`` built); without it they are skipped, unless ``CCE_RELEASE_REQUIRE_ALL=1``.
- ``CCE_RELEASE_REQUIRE_ALL=1`` (CI): a missing SDK or linter fails the run instead of skipping.
"""

from __future__ import annotations

import os
import pathlib
import shutil

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures"
REQUIRE_ALL = os.environ.get("CCE_RELEASE_REQUIRE_ALL") == "1"

UUID = "e99a7e86-afdd-11eb-aca3-0255ac100b0e"
CLUSTER = "7378a198-a3fe-11eb-ad37-0255ac100b07"


def missing(what: str) -> None:
    if REQUIRE_ALL:
        pytest.fail(f"{what} is required (CCE_RELEASE_REQUIRE_ALL=1)")
    pytest.skip(f"{what} is not available")


@pytest.fixture(scope="session")
def linter() -> str:
    path = os.environ.get("CCE_RELEASE_LINT") or shutil.which("cce-release-lint")
    if not path or not os.path.exists(path):
        missing("the cce-release-lint binary (CCE_RELEASE_LINT)")
    return path


@pytest.fixture(scope="session")
def sdk():
    """The provider's SDK module ``huaweicloudsdkcce.v3``."""
    try:
        import huaweicloudsdkcce.v3 as v3
    except ImportError:
        missing("huaweicloudsdkcce")
    return v3


def valid_body() -> dict:
    return {
        "chart_id": UUID,
        "name": "koi-neo4j",
        "namespace": "default",
        "version": "3.0.1",
        "values": {"imagePullPolicy": "IfNotPresent", "imageTag": "4.0.3-enterprise"},
    }
