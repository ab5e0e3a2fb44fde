"""Data interchange: one JSON type per column and per meta key, CSV that numpy and
pandas read as it is, and the plain Marchenko-Pastur references (issue 14)."""

import io
import json
import os
import subprocess
from decimal import Decimal
from fractions import Fraction

import mpmath
import numpy as np
import pandas as pd
import pytest

import attnrmt

from conftest import ROOT

EXE = os.environ.get("ATTNRMT_CLI", os.path.join(ROOT, "build", "attnrmt"))


def run(*args, ok=(0,)):
    p = subprocess.run([EXE, *map(str, args)], capture_output=True, text=True)
    assert p.returncode in ok, p.stderr
    return p


def column_types(doc):
    """{column: set of JSON types of its non-null cells}."""
    types = {c: set() for c in doc["columns"]}
    for row in doc["rows"]:
        for c, v in row.items():
            if v is not None:
                types[c].add(type(v).__name__)
    return types


def test_precision_one_table_nulls_not_placeholders():
    args = ["precision", "--quantity", "tau2", "--delta", "1/2", "--gamma", "1/2",
            "--digits-list", "16,30"]
    doc = json.loads(run(*args, "--format", "json").stdout, parse_float=Decimal)
    assert doc["columns"][0] == "digits" and "rows" in doc  # one table, no wrapper
    assert all(len(t) == 1 for t in column_types(doc).values())
    top = [r for r in doc["rows"] if r["digits"] == 30]
    assert all(r["agree_with_top"] is None for r in top)
    closed = [r for r in doc["rows"] if r["route"] == "closed_form"]
    assert all(r["nodes"] is None and r["agree_with_closed_form"] is None for r in closed)
    # The 30-digit value keeps every digit with parse_float=Decimal.
    assert str(top[0]["value"]) == "1.18718427093627675830356830933"
    # CSV: pandas reads the same columns as numbers (NaN where JSON has null).
    df = pd.read_csv(io.StringIO(run(*args, "--format", "csv").stdout), comment="#")
    for c in ("digits", "agree_with_top", "agree_with_closed_form", "seconds", "nodes"):
        assert np.issubdtype(df[c].dtype, np.number), c
    # Three routes per precision: closed_form, contour, ball (nodes only for contour,
    # radius only for ball).
    assert df["agree_with_top"].isna().sum() == 3 and df["nodes"].isna().sum() == 4
    assert np.issubdtype(df["radius"].dtype, np.number) and df["radius"].isna().sum() == 4
    conv = json.loads(run(*args, "--convergence", "--format", "json").stdout)
    assert conv["columns"] == ["nodes", "error", "observed_rate", "predicted_rate"]
    assert conv["rows"][0]["observed_rate"] is None and len(conv["rows"]) >= 3
    bad = run(*args, "--convergence", "--closed-form-only", ok=(2,))
    assert "--convergence" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_precision_ball_route_radius_and_digits():
    """precision's ball rows: the certified engine at each working precision agrees
    with the MPFR closed form to every proven digit, and its radius bounds the
    distance to the closed form's value at 60 digits (a second route)."""
    doc = json.loads(run("precision", "--quantity", "tau2", "--delta", "1/2", "--gamma", "1/3",
                         "--digits-list", "16,30,50", "--closed-form-only", "--format",
                         "json").stdout, parse_float=Decimal)
    rows = {(r["route"], r["digits"]): r for r in doc["rows"]}
    ref = Decimal(rows[("closed_form", 50)]["value"])
    for d in (16, 30, 50):
        b = rows[("ball", d)]
        value, radius = Decimal(b["value"]), Decimal(b["radius"])
        assert 0 < radius < Decimal(10) ** (-d + 2)
        # value holds the proven digits, correctly rounded: within half a unit of
        # its last digit (plus the radius) of the reference.
        last = Decimal(10) ** (value.adjusted() - len(value.as_tuple().digits) + 1)
        assert abs(value - ref) <= last / 2 + radius + Decimal(10) ** -48
        assert b["agree_with_closed_form"] >= d - 2
    # Exact values have radius 0 (tau2 = 3/2 at delta = gamma = 1).
    exact = json.loads(run("precision", "--quantity", "tau2", "--delta", "1", "--gamma", "1",
                           "--digits-list", "16", "--closed-form-only", "--format",
                           "json").stdout, parse_float=Decimal)
    ball = [r for r in exact["rows"] if r["route"] == "ball"][0]
    assert ball["radius"] == 0 and Decimal(ball["value"]) == Decimal("1.5")


def test_table_and_check_meta_are_typed(tmp_path):
    doc = json.loads(run("table", "--quantities", "tau1", "--vary", "delta=1/2,2", "--digits", "20",
                         "--quiet", "--format", "json").stdout)
    meta = doc["meta"]
    assert meta["rows"] == 2 and meta["guaranteed_digits"] == 20
    assert isinstance(meta["working_precision"], list) and all(
        isinstance(p, int) and p > 20 for p in meta["working_precision"])
    assert isinstance(meta["git_commit"], str)
    # check: numbers, a boolean, and one nan value is a failed row, not an abort.
    path = tmp_path / "v.csv"
    path.write_text("delta,gamma,rho,tau1\n1/2,1/2,1,0.8047378541243650\n0.5,0.5,1,nan\n")
    p = run("check", path, "--format", "json", ok=(1,))
    meta = json.loads(p.stdout)["meta"]
    assert meta["passed"] is False and meta["failures"] == 1 and meta["values"] == 2
    assert meta["worst_line"] == 3 and meta["worst_digits"] == 0 and meta["header_line"] == 1
    assert meta["min_digits tau1"] == 0 and meta["median_digits tau1"] == 16
    assert meta["working_precision"][0] < meta["working_precision"][1]


def test_check_reads_numpy_savetxt_and_a_pandas_index(tmp_path):
    delta = np.array([0.25, 0.5, 2.0])
    th = attnrmt.thresholds(delta, 0.5)
    data = np.column_stack([delta, np.full(3, 0.5), np.ones(3), th.tau1])
    path = tmp_path / "np.csv"
    np.savetxt(path, data, delimiter=",", header="delta,gamma,rho,tau1", fmt="%.17g")
    meta = json.loads(run("check", path, "--min-digits", "14", "--format", "json").stdout)["meta"]
    assert meta["passed"] is True and meta["values"] == 3
    df = pd.DataFrame({"delta": delta, "gamma": 0.5, "rho": 1.0, "tau1": th.tau1})
    path2 = tmp_path / "pd.csv"
    df.to_csv(path2)  # with the index column
    meta = json.loads(run("check", path2, "--min-digits", "14", "--format", "json").stdout)["meta"]
    assert meta["passed"] is True and meta["values"] == 3


def _mp_density(c, x):
    a, b = (1 - mpmath.sqrt(c)) ** 2, (1 + mpmath.sqrt(c)) ** 2
    return mpmath.sqrt((b - x) * (x - a)) / (2 * mpmath.pi * c * x)


def test_plain_marchenko_pastur_50_digit_references():
    # CDF by mpmath quadrature of the density (independent of the arcsine
    # closed form), quantile by the CDF's defining equation.
    t = attnrmt.table(["mp_density", "mp_cdf"], vary={"x": ["1/10", "1", "5/2", "3"]},
                      set={"c": "1/2"}, digits=50)
    cdf = t.column("mp_cdf", numeric=False)
    dens = t.column("mp_density", numeric=False)
    with mpmath.workdps(70):
        c = mpmath.mpf(1) / 2
        a, b = (1 - mpmath.sqrt(c)) ** 2, (1 + mpmath.sqrt(c)) ** 2
        for x_text, f_text, F_text in zip(["1/10", "1", "5/2", "3"], dens, cdf):
            x = mpmath.mpf(Fraction(x_text).numerator) / Fraction(x_text).denominator
            if x >= b:
                assert F_text == "1" and f_text == "0"
                continue
            ref_F = mpmath.quad(lambda t: _mp_density(c, t), [a, (a + x) / 2, x])
            ref_f = _mp_density(c, x)
            assert abs(mpmath.mpf(F_text) - ref_F) <= mpmath.mpf(10) ** -49 * ref_F
            assert abs(mpmath.mpf(f_text) - ref_f) <= mpmath.mpf(10) ** -49 * ref_f
    q = attnrmt.table("mp_quantile", vary={"q": ["0", "1/4", "0.999", "1"]}, set={"c": "2", "kappa": "3"},
                      digits=40)
    xs = q.column("mp_quantile", numeric=False)
    assert xs[0] == "0"  # inside the atom 1 - 1/c = 1/2
    with mpmath.workdps(60):
        c, k = mpmath.mpf(2), mpmath.mpf(3)
        a, b = (1 - mpmath.sqrt(c)) ** 2, (1 + mpmath.sqrt(c)) ** 2
        assert abs(mpmath.mpf(xs[3]) - k * b) < mpmath.mpf(10) ** -38
        x = mpmath.mpf(xs[2]) / k
        tail = mpmath.quad(lambda t: _mp_density(c, t), [x, b])
        assert abs(tail - mpmath.mpf("0.001")) < mpmath.mpf(10) ** -37
    assert xs[1] == "0"  # 1/4 < 1/2: still the atom
