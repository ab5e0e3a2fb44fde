"""`pip install --no-build-isolation .` into `python3 -m venv --system-site-packages` (slow).

The wheel is built by setup.py driving CMake in ATTNRMT_PIP_BUILD_DIR (default
build/pip under the source tree, reused between runs so that only changed
sources recompile). The smoke test runs from a directory outside the source tree
with PYTHONPATH cleared, so the venv's installed copy is what is imported.
"""

import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


@pytest.mark.slow
def test_pip_install_into_fresh_venv(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    py = str(venv / "bin" / "python")
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env["ATTNRMT_CMAKE_BUILD_DIR"] = os.environ.get("ATTNRMT_PIP_BUILD_DIR", os.path.join(ROOT, "build", "pip"))
    env["PIP_NO_INDEX"] = "1"  # offline: nothing may come from a package index
    r = subprocess.run([py, "-m", "pip", "install", "--no-build-isolation", "--no-deps", "-q", ROOT],
                       env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    smoke = (
        "import attnrmt, os, sys\n"
        "assert os.path.realpath(attnrmt.__file__).startswith(os.path.realpath(sys.prefix)), attnrmt.__file__\n"
        "t = attnrmt.thresholds(0.5, 0.5)\n"
        "assert abs(t.tau1 - (0.5 + 0.5 ** 0.5) / 1.5) < 1e-15, t\n"
        "left, right = attnrmt.BulkLaw('1/2', '1/2').edges(digits=30, as_str=True)\n"
        "print(t.tau2, right)\n"
    )
    r = subprocess.run([py, "-c", smoke], env=env, cwd=str(tmp_path), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[1].startswith("4.40914986360938216709262398599")
