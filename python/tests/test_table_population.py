"""table(..., population=, signal=) and check(..., population=) (docs/population.md,
docs/tables.md): the specification's example numbers (docs/theory.md "Anisotropic
embeddings", 20 digits), the array forms equal to the spec string, check on the
table's own output, and the refusal of quantities without a population route."""

from decimal import Decimal

import numpy as np
import pytest

import attnrmt

TWO_ATOMS = "atoms:0.5@1/2,1.5@1/2"


def test_table_with_a_population_prints_the_specification_example():
    t = attnrmt.table("tau1,tau2,lambda,alignment_mu", set={"delta": "1/2", "gamma": "1/2",
                      "alpha_over_kappa": 2}, digits=20, population=TWO_ATOMS)
    assert list(t.column("population")) == [TWO_ATOMS]
    expected = {"tau1": "1.0368442077840408043", "tau2": "1.4390467201812252285",
                "lambda": "5.3750781912231368252", "alignment_mu": "0.32338960511189311996"}
    for name, value in expected.items():
        assert Decimal(t.column(name, numeric=False)[0]) == Decimal(value), name
    assert "certificate" in t.provenance
    e = attnrmt.table(["tau1", "tau2"], set={"delta": "1/2", "gamma": "1/2"}, digits=20,
                      population=TWO_ATOMS, signal="eigenvector:3/2")
    assert list(e.column("signal")) == ["eigenvector:3/2"]
    assert Decimal(e.column("tau1", numeric=False)[0]) == Decimal("0.83042939927534853879")
    assert Decimal(e.column("tau2", numeric=False)[0]) == Decimal("1.2251169918723578155")


def test_array_forms_give_the_spec_strings_digits_and_a_self_contained_column():
    kw = dict(set={"delta": "1/2", "gamma": "1/2"}, digits=20)
    spec = attnrmt.table("tau1,tau2", population=TWO_ATOMS, **kw)
    arr = attnrmt.table("tau1,tau2", population=np.array([0.5, 1.5]), **kw)
    weighted = attnrmt.table("tau1,tau2", population=([0.5, 1.5, 0.5], [1, 2, 1]), **kw)
    assert list(arr.column("population")) == ["atoms:1/2,3/2"]
    assert list(weighted.column("population")) == ["atoms:1/2@1/4,3/2@1/2,1/2@1/4"]
    for name in ("tau1", "tau2"):
        assert list(arr.column(name, numeric=False)) == list(spec.column(name, numeric=False))
        assert list(weighted.column(name, numeric=False)) == list(spec.column(name, numeric=False))
    with pytest.raises(ValueError, match="differ in number"):
        attnrmt.table("tau1", set={"delta": 1}, population=([0.5, 1.5], [1]))
    with pytest.raises(ValueError, match="signal"):
        attnrmt.table("tau1", set={"delta": 1}, population=[1.0], signal=3)


def test_delta_one_population_gives_the_isotropic_digits():
    kw = dict(set={"delta": "1/2", "gamma": "1/3", "alpha_over_kappa": 3}, digits=30)
    q = "tau1,tau2,right_edge,lambda,alignment_u,regime"
    iso = attnrmt.table(q, **kw)
    pop = attnrmt.table(q, population=[1], **kw)
    for name in q.split(","):
        assert list(pop.column(name, numeric=False)) == list(iso.column(name, numeric=False)), name


def test_check_passes_on_the_tables_output_and_fails_on_a_changed_digit():
    t = attnrmt.table("tau1,tau2", vary={"delta": [0.25, 0.5]}, set={"gamma": "1/2"}, digits=20,
                      population=TWO_ATOMS)
    df = t.to_pandas(numeric=False)
    assert attnrmt.check(df, min_digits=20, digits=30).passed
    bare = df.drop(columns=["population"])
    assert not attnrmt.check(bare, min_digits=20, digits=30).passed
    assert attnrmt.check(bare, min_digits=20, digits=30, population=TWO_ATOMS).passed
    bad = df.copy()
    v = bad.loc[0, "tau2"]
    bad.loc[0, "tau2"] = v[:-1] + ("8" if v[-1] == "9" else str(int(v[-1]) + 1))
    assert not attnrmt.check(bad, min_digits=20, digits=30).passed


def test_quantities_without_a_population_route_refuse_it():
    with pytest.raises(ValueError, match="omega1 does not support --population"):
        attnrmt.table("omega1", set={"delta": 1}, population=TWO_ATOMS)


SPLIT = "atoms:0.1@0.5,1@0.45,10@0.05"  # docs/theory.md §6's split-support example


def test_none_cells_read_as_nan_in_numeric_views_and_stay_text_otherwise():
    # gap = 3 has no gap outlier (the law has two): the CLI prints "none", which
    # the numeric views read as NaN while the regime column keeps its words.
    t = attnrmt.table("gap_outlier_count,gap_regime,gap_lambda,gap_alignment_mu",
                      vary={"gap": [1, 2, 3]},
                      set={"delta": "1/4", "gamma": "1/4", "alpha_over_kappa": 2},
                      digits=20, population=SPLIT)
    assert list(t.column("gap_lambda", numeric=False))[2] == "none"
    lam = t.column("gap_lambda")
    assert lam.dtype == np.float64
    assert np.isnan(lam[2]) and not np.isnan(lam[:2]).any()
    # the two gap outliers against the text cells (and ordered: gap 1 is the highest)
    texts = t.column("gap_lambda", numeric=False)
    assert lam[0] == float(Decimal(texts[0])) and lam[1] == float(Decimal(texts[1]))
    assert lam[0] > lam[1] > 0
    assert list(t.column("gap_regime")) == ["detectable", "detectable", "none"]
    assert list(t.column("gap_outlier_count")) == [2.0, 2.0, 2.0]
    df = t.to_pandas()
    assert df["gap_alignment_mu"].isna().tolist() == [False, False, True]
    assert df["gap_regime"].tolist() == ["detectable", "detectable", "none"]
    # the outlier command's gap rows: lambda and alignments numeric, regime text
    o = attnrmt.outlier(delta="1/4", gamma="1/4", alpha_over_kappa=2, population=SPLIT)
    assert list(o["kind"]) == ["top", "gap", "gap"]
    assert o["lambda"].dtype == np.float64
    assert list(o["regime"]) == ["none", "detectable", "detectable"]
    all_none = attnrmt.table("gap_lambda", vary={"gap": [3, 4]},
                             set={"delta": "1/4", "gamma": "1/4", "alpha_over_kappa": 2},
                             population=SPLIT)
    assert np.isnan(all_none.column("gap_lambda")).all()
