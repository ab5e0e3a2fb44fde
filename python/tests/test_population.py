"""population= and signal= in Python (docs/population.md), against the
specification's example numbers and the isotropic reduction H = delta_1."""

from decimal import Decimal

import numpy as np
import pytest

import attnrmt


def test_two_atom_thresholds_match_the_specification_example():
    # docs/theory.md §6: H = 0.5 delta_0.5 + 0.5 delta_1.5 at delta = gamma = 1/2:
    # a1 = 1.0368442077840408043..., a2 = 1.4390467201812252285...
    r = attnrmt.thresholds("1/2", "1/2", population="atoms:0.5@1/2,1.5@1/2", digits=25, as_str=True)
    assert abs(Decimal(r.tau1) - Decimal("1.0368442077840408043")) <= Decimal("1e-19")
    assert abs(Decimal(r.tau2) - Decimal("1.4390467201812252285")) <= Decimal("1e-19")


def test_array_and_weighted_forms_equal_the_spec_string():
    spec = attnrmt.thresholds(0.5, 0.5, population="atoms:0.5,1.5")
    arr = attnrmt.thresholds(0.5, 0.5, population=np.array([0.5, 1.5]))
    weighted = attnrmt.thresholds(0.5, 0.5, population=([0.5, 1.5, 0.5], [1, 2, 1]))
    for col in ("tau1", "tau2", "table_edge", "right_edge"):
        assert arr[col] == spec[col]
        assert weighted[col] == spec[col]
    with pytest.raises(ValueError, match="differ in number"):
        attnrmt.thresholds(0.5, 0.5, population=([0.5, 1.5], [1]))
    with pytest.raises(ValueError, match="signal"):
        attnrmt.thresholds(0.5, 0.5, population=[1.0], signal=3)


def test_delta_one_population_reduces_to_the_isotropic_solver():
    delta = np.array([0.25, 0.5, 2.0])
    iso = attnrmt.thresholds(delta, 0.5)
    pop = attnrmt.thresholds(delta, 0.5, population=[1.0])
    assert np.allclose(pop.tau1, iso.tau1, rtol=1e-15, atol=0)
    assert np.allclose(pop.tau2, iso.tau2, rtol=1e-15, atol=0)
    o_iso = attnrmt.outlier(0.5, 0.5, alpha_over_kappa=[2, 3, 5])
    o_pop = attnrmt.outlier(0.5, 0.5, alpha_over_kappa=[2, 3, 5], population="isotropic",
                            signal="generic")
    for col in ("lambda", "alignment_mu", "alignment_u"):
        assert np.allclose(o_pop[col], o_iso[col], rtol=1e-15, atol=0), col
