"""The worked example (headless), table/check/validate round trips."""

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import attnrmt

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def test_example_writes_both_figures(tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg")
    env.pop("DISPLAY", None)
    out = subprocess.run([sys.executable, os.path.join(ROOT, "python", "examples", "phase_and_density.py"),
                          "--out", str(tmp_path), "--d", "200"], env=env, check=True,
                         capture_output=True, text=True).stdout
    for name in ("phase.png", "density.png"):
        data = (tmp_path / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    # The simulated second moment is near m_2 = 1 + delta + gamma = 2 (d = 200: within 5%).
    line = [l for l in out.splitlines() if l.startswith("second moment")][0]
    sim, theory = float(line.split()[3].rstrip(",")), float(line.split()[-1])
    assert theory == 2.0 and abs(sim - theory) < 0.1


def test_table_provenance_and_digits(cli):
    t = attnrmt.table(["tau1", "tau2"], vary={"delta": "1/2:2:4"}, set={"gamma": "1/2"}, digits=30)
    assert t.columns[:2] == ["delta", "gamma"] or "delta" in t.columns
    assert len(t) == 4
    prov = t.provenance
    assert any("commit" in k or "commit" in str(v) for k, v in prov.items())
    ref = cli("table", "--quantities", "tau1,tau2", "--vary", "delta=1/2:2:4", "--set", "gamma=1/2",
              "--digits", 30, "--quiet")
    assert [r["tau2"] for r in t.rows] == [str(r["tau2"]) for r in ref["rows"]]
    tau1 = t.column("tau1")
    assert tau1.dtype == np.float64
    assert tau1 == pytest.approx(attnrmt.thresholds(t.column("delta"), 0.5).tau1, rel=1e-15)
    df = t.to_pandas()
    assert list(df.columns) == t.columns


def test_check_dataframe_and_csv(tmp_path):
    delta = np.array([0.25, 0.5, 2.0])
    th = attnrmt.thresholds(delta, 0.5)
    df = pd.DataFrame({"delta": delta, "gamma": 0.5, "rho": 1.0, "tau1": th.tau1, "tau2": th.tau2})
    report = attnrmt.check(df, min_digits=14)
    assert report.passed, report.summary
    assert "PASS" in report.summary["result"]
    bad = df.copy()
    bad.loc[1, "tau2"] *= 1 + 1e-6
    failed = attnrmt.check(bad, min_digits=8)
    assert not failed.passed and "FAIL" in failed.summary["result"]
    path = tmp_path / "values.csv"
    df.to_csv(path, index=False)
    assert attnrmt.check(str(path), min_digits=14).passed


def test_validate_structured_report():
    rep = attnrmt.validate(delta=0.5, gamma=0.5, alpha_over_kappa=3, d=120, seeds=2, seed=1, threads=1)
    assert len(rep.rows) > 0
    assert "quantity" in rep.table.columns or len(rep.table.columns) > 3
    df = rep.to_pandas()
    assert len(df) == len(rep.rows)
    assert isinstance(rep.passed, bool)


def test_quantities_catalogue_round_trip(cli):
    # Every listed quantity is accepted by table(); its parameters are its columns.
    q = attnrmt.quantities()
    names = q.column("quantity", numeric=False)
    assert "tau2" in names and "log_moment" in names and len(set(names)) == len(names)
    params = {p: d for p, d in zip(attnrmt.quantities(parameters=True).column("parameter", numeric=False),
                                   attnrmt.quantities(parameters=True).column("default", numeric=False))}
    for row in q.rows:
        needed = row["parameters"].split()
        assert all(p in params for p in needed)
    # tau1 = (delta + sqrt(delta))/(rho + delta) (closed form, here in numpy).
    t = attnrmt.table("tau1", vary={"delta": [0.25, 4]}, set={"rho": 2}, digits=15)
    d = np.array([0.25, 4.0])
    assert np.allclose(t.column("tau1"), (d + np.sqrt(d)) / (2 + d), rtol=1e-14, atol=0)
