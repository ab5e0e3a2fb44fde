"""Shared fixtures for the attnrmt Python tests (run by scripts/test-python)."""

import json
import os
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: builds a wheel into a fresh venv (deselect with -m 'not slow')")


@pytest.fixture(scope="session")
def cli():
    """Runs the attnrmt executable with --format json; returns the parsed table with
    every number kept as its exact text."""
    exe = os.environ.get("ATTNRMT_CLI", os.path.join(ROOT, "build", "attnrmt"))
    if not os.path.exists(exe):
        pytest.fail(f"the attnrmt CLI is not built at {exe} (scripts/test-python builds it)")

    def run(*args):
        out = subprocess.run([exe, *map(str, args), "--format", "json"], check=True,
                             capture_output=True, text=True).stdout
        return json.loads(out, parse_float=str, parse_int=str)

    return run
