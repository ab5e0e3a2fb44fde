"""attnrmt for Python: the random-matrix theory of attention-pooled sequence models.

Every function mirrors an ``attnrmt`` command (same names, same columns, same
options with ``-`` written ``_``); see docs/python.md.

* Parameters are exact: ints, floats (their exact binary value), Fractions,
  Decimals, ``mpmath.mpf`` and strings such as ``"1/10"`` or ``"2.5e-1"``
  (parsed by the CLI's own parser; the float 0.1 is not 1/10, the string "0.1" is).
* ``digits=None`` returns float64; ``digits=N`` returns values with N certified
  significant digits, produced by the CLI's certification code (mpmath.mpf
  when mpmath is importable, else decimal strings; ``as_str=True`` forces strings).
* Arrays broadcast like numpy ufuncs; scalars in, scalars out.
* Bad input raises ValueError with the library's message; NaN/inf raise.
"""

import contextlib
import json
import math
import numbers
import os
import tempfile
import warnings
from decimal import Decimal
from fractions import Fraction

import numpy as np

from . import _core

try:  # optional: digits=N values as mpmath.mpf
    import mpmath
except ImportError:  # pragma: no cover
    mpmath = None

__all__ = [
    "BulkLaw",
    "thresholds",
    "outlier",
    "weights",
    "compare",
    "table",
    "quantities",
    "check",
    "validate",
    "Result",
    "Table",
    "CertificationWarning",
    "exact",
]

# digits=None is computed from the CLI route at this many digits (enough to
# round to the nearest float64) unless a vectorised double path exists.
_FLOAT_DIGITS = 17


class CertificationWarning(UserWarning):
    """A value could be certified to fewer digits than requested (CLI warning)."""


# ---- exact inputs ----------------------------------------------------------


def exact(value, name="value"):
    """The exact rational value of a parameter, as the CLI would read it.

    int, float (exact binary value), Fraction, Decimal, mpmath.mpf, numpy
    scalars, and strings parsed by the CLI's parser ("1/10", "2.5e-1").
    NaN and infinities raise ValueError naming `name`.
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name}: expected a number, got the boolean {value!r}")
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if not math.isfinite(v):
            raise ValueError(f"{name} must be finite (got {v})")
        return Fraction(v)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{name} must be finite (got {value})")
        return Fraction(value)
    if isinstance(value, (str, np.str_)):
        num, den = _core.parse_rational(str(value).strip(), name)
        return Fraction(int(num), int(den))
    if mpmath is not None and isinstance(value, mpmath.mpf):
        if not mpmath.isfinite(value):
            raise ValueError(f"{name} must be finite (got {value})")
        man, exp = value.man_exp if value != 0 else (0, 0)
        return Fraction(man) * (Fraction(2) ** exp)
    if isinstance(value, numbers.Rational):
        return Fraction(value.numerator, value.denominator)
    raise ValueError(
        f"{name}: expected an int, float, Fraction, Decimal, mpmath.mpf or a string such as "
        f"'1/10' (got {type(value).__name__})"
    )


def _cli_number(fr):
    return str(fr.numerator) if fr.denominator == 1 else f"{fr.numerator}/{fr.denominator}"


def _check_digits(digits):
    if isinstance(digits, (bool, np.bool_)) or not isinstance(digits, numbers.Integral):
        raise ValueError(f"digits must be None or an integer in [1, 1000] (got {digits!r})")
    if not 1 <= int(digits) <= 1000:
        raise ValueError(f"digits must be None or an integer in [1, 1000] (got {digits})")
    return int(digits)


# ---- results -----------------------------------------------------------------


class Result(dict):
    """Named results: a dict of columns (CLI names) with attribute access."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self):
        return "Result(" + ", ".join(f"{k}={v!r}" for k, v in self.items()) + ")"


class Table:
    """A command's table: columns, rows (dicts of the CLI's text cells), notes and meta.

    Cells are the CLI's exact text: certified decimal strings, exact rationals
    for parameters, names for text columns. ``column(name)`` converts a column
    to float64 (or keeps text); ``to_pandas()`` builds a DataFrame.
    """

    def __init__(self, columns, rows, notes=(), meta=None, exit_code=0, warnings_text=()):
        self.columns = list(columns)
        self.rows = [dict(r) for r in rows]
        self.notes = list(notes)
        self.meta = dict(meta or {})
        self.exit_code = exit_code
        self.warnings = list(warnings_text)

    @property
    def provenance(self):
        """Provenance: the meta entries (version, commit, command, ...) and the notes."""
        out = dict(self.meta)
        if self.notes:
            out["notes"] = list(self.notes)
        return out

    def column(self, name, numeric=True):
        if name not in self.columns:
            raise KeyError(f"no column {name!r} (columns: {', '.join(self.columns)})")
        cells = [r[name] for r in self.rows]
        if numeric and _numeric_column(name, cells):
            return np.array([_float_cell(c) for c in cells], dtype=np.float64)
        return np.array(cells, dtype=object)

    def to_pandas(self, numeric=True):
        import pandas as pd

        return pd.DataFrame({c: self.column(c, numeric) for c in self.columns})

    def __len__(self):
        return len(self.rows)

    def __repr__(self):
        return f"Table(columns={self.columns}, rows={len(self.rows)})"


def _run(command, args, allowed_exit=(0,)):
    """Runs a CLI command with --format json; returns a Table of its text cells."""
    code, out, err = _core.run_command(command, [str(a) for a in args] + ["--format", "json"])
    err_lines = [line for line in err.decode("utf-8", "replace").splitlines() if line.strip()]
    for line in err_lines:
        warnings.warn(line, CertificationWarning, stacklevel=3)
    if code not in allowed_exit:
        raise RuntimeError(f"attnrmt {command} exited with status {code}: {' '.join(err_lines)}")
    text = out.decode("utf-8")
    # Cells keep the CLI's exact decimal text; a null cell (no value in this
    # row) becomes "". The meta entries are typed (numbers, booleans, text).
    data = json.loads(text, parse_float=str, parse_int=str)
    meta = json.loads(text).get("meta", {}) if isinstance(data, dict) else {}
    notes = meta.pop("notes", []) if isinstance(meta, dict) else []
    columns = data.get("columns", [])
    rows = [{k: (v if isinstance(v, str) else "" if v is None else json.dumps(v))
             for k, v in r.items()} for r in data.get("rows", [])]
    return Table(columns, rows, notes, meta, code, err_lines)


def _to_value(cell, digits, as_str):
    """A certified cell as float (digits None), mpmath.mpf or str.

    "" (no value in this row) and "none" (a number_or_none quantity with no
    such outlier, e.g. gap_lambda beyond the last gap) are NaN as floats and
    None otherwise; as_str keeps "none" as text.
    """
    if cell == "" or (cell == "none" and not as_str):
        return np.nan if digits is None else None
    if digits is None:
        return float(Fraction(cell))
    if as_str or mpmath is None:
        return cell
    with mpmath.workdps(digits + 10):
        return mpmath.mpf(cell)


def _is_number_cell(cell):
    if cell in ("", "none"):
        return True  # a missing value (JSON null) or "none": NaN in a numeric column
    try:
        Fraction(cell)
        return True
    except (ValueError, ZeroDivisionError):
        return False


def _numeric_column(name, cells):
    """Whether a column reads as numbers: every cell a number, "" or "none", and
    not a text column (a regime, kind, pooling, population or signal column
    holds words, "none" among them)."""
    if name in _TEXT_COLUMNS or name.endswith("regime"):
        return False
    return all(_is_number_cell(x) for x in cells)


def _float_cell(cell):
    return np.nan if cell in ("", "none") else float(Fraction(cell))


# ---- broadcasting over CLI calls ----------------------------------------------

_TEXT_PARAMETERS = {"pooling", "corr", "model", "solver", "from_table", "rows", "population",
                    "signal"}
_TEXT_COLUMNS = _TEXT_PARAMETERS | {"kind", "quantity", "verdict", "result"}


def _as_array(value):
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, (list, tuple)):
        return np.array(value, dtype=object) if value else np.array([], dtype=object)
    a = np.empty((), dtype=object)
    a[()] = value
    return a


def _option_text(name, value):
    if name in _TEXT_PARAMETERS:
        if not isinstance(value, (str, np.str_)):
            raise ValueError(f"{name}: expected a string (got {value!r})")
        return str(value)
    if name == "T":
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
            raise ValueError(f"T must be an integer (got {value!r})")
        return str(int(value))
    return _cli_number(exact(value, name))


def _broadcast_cli(command, params, flags=(), digits=None, as_str=False, text_columns=None):
    """Runs `command` once per broadcast point of `params` (dict name -> scalar or array;
    None omitted) and returns a Result of columns shaped like the broadcast (a trailing
    axis when one call yields several rows)."""
    work_digits = _FLOAT_DIGITS if digits is None else _check_digits(digits)
    names = [n for n, v in params.items() if v is not None]
    arrays = [_as_array(params[n]) for n in names]
    shape = np.broadcast_shapes(*[a.shape for a in arrays]) if arrays else ()
    arrays = [np.broadcast_to(a, shape) for a in arrays]
    tables = []
    for idx in np.ndindex(*shape):
        args = []
        for n, a in zip(names, arrays):
            args += ["--" + n.replace("_", "-"), _option_text(n, a[idx])]
        args += list(flags) + ["--digits", str(work_digits)]
        tables.append(_run(command, args))
    if not tables:  # an empty broadcast (a parameter array of size 0): no rows, no columns
        return Result()
    nrows = len(tables[0].rows)
    columns = [c for c in tables[0].columns if c not in names or nrows > 1]
    full_shape = shape + ((nrows,) if nrows > 1 else ())
    out = Result()
    for c in columns:
        cells = [r[c] for t in tables for r in t.rows]
        numeric = _numeric_column(c, cells)
        if numeric:
            vals = [_to_value(x, digits, as_str) for x in cells]
            arr = np.array(vals, dtype=np.float64 if digits is None else object)
        else:
            arr = np.array(cells, dtype=object)
        arr = arr.reshape(full_shape)
        out[c] = arr[()] if arr.ndim == 0 else arr
    notes = [n for t in tables for n in t.notes]
    if notes:
        out.notes = sorted(set(notes))
    return out


# ---- the bulk law -------------------------------------------------------------


class BulkLaw:
    """The bulk law kappa (MP_delta ⊠ MP_gamma) of the pooled sample covariance.

    ``density``, ``cdf``, ``quantile`` take real scalars or arrays, ``cauchy``
    complex ones; ``digits=None`` evaluates in float64 (vectorised, GIL
    released, threads for large arrays), ``digits=N`` certifies N digits.
    """

    def __init__(self, delta, gamma, kappa=1):
        self.delta = exact(delta, "delta")
        self.gamma = exact(gamma, "gamma")
        self.kappa = exact(kappa, "kappa")
        for n in ("delta", "gamma", "kappa"):
            v = getattr(self, n)
            if v <= 0:
                raise ValueError(f"{n} must be > 0 (got {_cli_number(v)})")
        self._law = _core.BulkLaw64(float(self.delta), float(self.gamma), float(self.kappa))
        self._certified = None
        self._edges = None

    def __repr__(self):
        return (
            f"BulkLaw(delta={_cli_number(self.delta)}, gamma={_cli_number(self.gamma)}, "
            f"kappa={_cli_number(self.kappa)})"
        )

    def _law_args(self):
        return [
            "--delta", _cli_number(self.delta),
            "--gamma", _cli_number(self.gamma),
            "--kappa", _cli_number(self.kappa),
        ]

    @staticmethod
    def _real_array(x, name):
        a = np.asarray(x)
        if a.dtype.kind == "c":
            raise ValueError(f"{name} must be real (got a complex array); use cauchy(z) for complex z")
        if a.dtype.kind == "b":
            raise ValueError(f"{name}: expected numbers, got booleans")
        if a.dtype.kind in "iuf":
            return a.astype(np.float64, copy=False)
        flat = [float(exact(v, name)) for v in a.reshape(-1)]
        return np.array(flat, dtype=np.float64).reshape(a.shape)

    def _pointwise(self, kind, x, name, digits, as_str, certified=False):
        if digits is None:
            a = self._real_array(x, name)
            if certified:
                if self._certified is None:
                    self._certified = _core.CertifiedLaw(
                        _cli_number(self.delta), _cli_number(self.gamma), _cli_number(self.kappa))
                y, undecided = getattr(self._certified, kind)(a)
                if undecided:
                    warnings.warn(
                        f"{kind}: {undecided} value(s) lie within 2^-4096 of a midpoint between "
                        "two doubles; the nearest double to the ball's centre was returned",
                        CertificationWarning, stacklevel=3)
            else:
                y = getattr(self._law, kind)(a)
            return float(y) if a.ndim == 0 else y
        digits = _check_digits(digits)
        a = np.asarray(x) if not isinstance(x, (list, tuple)) else _as_array(x)
        if a.dtype.kind == "c":
            raise ValueError(f"{name} must be real (got a complex array)")
        points = [_cli_number(exact(v, name)) for v in a.reshape(-1)]
        if not points:
            return np.array([], dtype=object).reshape(a.shape)
        if kind == "quantile":
            cells = _core.certified_quantiles(
                _cli_number(self.delta), _cli_number(self.gamma), _cli_number(self.kappa),
                points, digits,
            )
        else:
            t = _run("bulk", self._law_args() + ["--x", ",".join(points), "--digits", str(digits)])
            cells = [r[kind] for r in t.rows]
        vals = np.array([_to_value(c, digits, as_str) for c in cells], dtype=object).reshape(a.shape)
        return vals[()] if a.ndim == 0 else vals

    def density(self, x, digits=None, as_str=False, certified=True):
        """Density f(x) = -Im g(x + i0)/pi of the continuous part.

        digits=None: float64. With certified=True (the default) each value is
        the correctly rounded double of the exact density at the double x and
        the exact rational parameters (ball arithmetic); certified=False is the
        plain double evaluation (faster, a few ulps, no proof).
        """
        return self._pointwise("density", x, "x", digits, as_str, certified)

    def cdf(self, x, digits=None, as_str=False, certified=True):
        """CDF mu((-inf, x]), the atom at 0 included (certified as for density)."""
        return self._pointwise("cdf", x, "x", digits, as_str, certified)

    def quantile(self, q, digits=None, as_str=False):
        """Smallest x with cdf(x) >= q, q in [0, 1]."""
        return self._pointwise("quantile", q, "q", digits, as_str)

    def cauchy(self, z, digits=None, as_str=False):
        """Cauchy transform g(z) = ∫ dmu(t)/(z - t) (real z: the boundary value g(x + i0))."""
        if digits is None:
            a = np.asarray(z)
            if a.dtype.kind not in "biufc":
                a = np.array([complex(*_complex_parts(v)) for v in a.reshape(-1)]).reshape(a.shape)
            g = self._law.cauchy(a.astype(np.complex128, copy=False))
            return complex(g) if a.ndim == 0 else g
        digits = _check_digits(digits)
        a = np.asarray(z) if not isinstance(z, (list, tuple)) else _as_array(z)
        pts = [_complex_parts(v) for v in a.reshape(-1)]
        if not pts:
            return np.array([], dtype=object).reshape(a.shape)
        args = self._law_args() + ["--digits", str(digits)]
        for re, im in pts:
            args += ["--z", f"{_cli_number(re)}{'-' if im < 0 else '+'}{_cli_number(abs(im))}i"]
        t = _run("cauchy", args)
        vals = []
        for r in t.rows:
            re, im = _to_value(r["g_re"], digits, as_str), _to_value(r["g_im"], digits, as_str)
            if as_str or mpmath is None:
                vals.append((re, im))
            else:
                vals.append(mpmath.mpc(re, im))
        out = np.empty(len(vals), dtype=object)
        out[:] = vals
        out = out.reshape(a.shape)
        return out[()] if a.ndim == 0 else out

    def _edges_table(self, digits):
        return _run("edges", self._law_args() + ["--digits", str(digits)]).rows[0]

    def edges(self, digits=None, as_str=False):
        """(left_edge, right_edge) of the continuous part of the support."""
        if digits is None:
            if self._edges is None:
                self._edges = self._edges_table(_FLOAT_DIGITS)
            row = self._edges
        else:
            row = self._edges_table(_check_digits(digits))
        return tuple(_to_value(row[c], digits, as_str) for c in ("left_edge", "right_edge"))

    @property
    def atom(self):
        """Mass of the atom at 0, max(0, 1 - 1/delta, 1 - 1/gamma), as a float."""
        if self._edges is None:
            self._edges = self._edges_table(_FLOAT_DIGITS)
        return float(Fraction(self._edges["atom"]))

    def moments(self, k):
        """Exact moments [m_1, ..., m_k] (kappa^j m_j) as fractions.Fraction."""
        if isinstance(k, (bool, np.bool_)) or not isinstance(k, numbers.Integral):
            raise ValueError(f"k must be an integer in [1, 200] (got {k!r})")
        t = _run("moments", self._law_args() + ["--order", str(int(k))])
        return [Fraction(r["moment_exact"]) for r in t.rows]


def _complex_parts(v):
    if isinstance(v, (complex, np.complexfloating)):
        c = complex(v)
        return exact(c.real, "z (real part)"), exact(c.imag, "z (imaginary part)")
    if mpmath is not None and isinstance(v, mpmath.mpc):
        return exact(v.real, "z (real part)"), exact(v.imag, "z (imaginary part)")
    return exact(v, "z"), Fraction(0)


# ---- thresholds, outliers, schemes -------------------------------------------------


def _float_param(value, name):
    if type(value) is float:
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite (got {value})")
        return value
    if type(value) is int:
        return float(value)
    return float(exact(value, name))


_THRESHOLD_COLUMNS = ("tau1", "tau2", "omega1", "omega2")


@contextlib.contextmanager
def _population_flags(population, signal):
    """CLI flags for population= / signal= (docs/population.md): a spec string
    ("isotropic", "atoms:0.5@1/2,1.5@1/2", "file:PATH"), an array of eigenvalues
    (equal weights), or a pair (eigenvalues, weights); arrays are written
    exactly (a float is its binary value) to a temporary file:PATH."""
    flags = []
    with tempfile.TemporaryDirectory(prefix="attnrmt-population-") as tmp:
        if population is not None:
            if isinstance(population, (str, np.str_)):
                spec = str(population)
            else:
                if isinstance(population, tuple) and len(population) == 2:
                    values, weights = (np.asarray(population[0]).reshape(-1),
                                       np.asarray(population[1]).reshape(-1))
                    if values.shape != weights.shape:
                        raise ValueError("population: eigenvalues and weights differ in number "
                                         f"({values.size} and {weights.size})")
                else:
                    values, weights = np.asarray(population).reshape(-1), None
                if values.size == 0:
                    raise ValueError("population: no eigenvalues")
                path = os.path.join(tmp, "population.txt")
                with open(path, "w") as f:
                    for k, v in enumerate(values):
                        line = _cli_number(exact(v, "population"))
                        if weights is not None:
                            line += " " + _cli_number(exact(weights[k], "population weight"))
                        f.write(line + "\n")
                spec = "file:" + path
            flags += ["--population", spec]
        if signal is not None:
            if not isinstance(signal, (str, np.str_)):
                raise ValueError(f"signal: expected 'generic' or 'eigenvector:S' (got {signal!r})")
            flags += ["--signal", str(signal)]
        yield flags


def thresholds(delta, gamma, rho=1, *, T=None, pooling=None, corr=None, population=None,
               signal=None, digits=None, as_str=False):
    """tau1, tau2, omega1, omega2 (CLI `thresholds`), broadcast over delta, gamma, rho.

    With T/pooling/corr also alpha_over_kappa and regime of the scheme. digits=None
    evaluates in float64 directly (vectorised); digits=N certifies N digits.
    population= (a spec string, an array of eigenvalues, or (eigenvalues,
    weights)) and signal= give the anisotropic thresholds of docs/population.md
    (columns tau1, tau2, table_edge, right_edge), through the CLI.
    """
    if population is not None or signal is not None:
        with _population_flags(population, signal) as flags:
            return _broadcast_cli(
                "thresholds", {"delta": delta, "gamma": gamma, "rho": rho}, flags=flags,
                digits=digits, as_str=as_str)
    if digits is None and T is None and pooling is None and corr is None:
        # Fast path (bench: per-call overhead): plain Python floats/ints go straight to C++,
        # which rejects NaN/inf and out-of-range values with the library's message.
        td, tg, tr = type(delta), type(gamma), type(rho)
        if (td is float or td is int) and (tg is float or tg is int) and (tr is float or tr is int):
            return Result(zip(_THRESHOLD_COLUMNS, _core.thresholds64_scalar(delta, gamma, rho)))
    scheme = T is not None or pooling is not None or corr is not None
    if digits is None and not scheme:
        scalar = not any(isinstance(v, (np.ndarray, list, tuple)) for v in (delta, gamma, rho))
        if scalar:
            t1, t2, o1, o2 = _core.thresholds64_scalar(
                _float_param(delta, "delta"), _float_param(gamma, "gamma"), _float_param(rho, "rho")
            )
            return Result(tau1=t1, tau2=t2, omega1=o1, omega2=o2)
        arrays = [BulkLaw._real_array(v, n) for v, n in ((delta, "delta"), (gamma, "gamma"), (rho, "rho"))]
        arrays = [np.ascontiguousarray(a) for a in np.broadcast_arrays(*arrays)]
        for a, n in zip(arrays, ("delta", "gamma", "rho")):
            bad = ~np.isfinite(a)
            if bad.any():
                raise ValueError(f"{n} must be finite (got {a[bad].flat[0]})")
        cols = _core.thresholds64(*arrays)
        if arrays[0].ndim == 0:
            cols = [float(c) for c in cols]
        return Result(tau1=cols[0], tau2=cols[1], omega1=cols[2], omega2=cols[3])
    return _broadcast_cli(
        "thresholds",
        {"delta": delta, "gamma": gamma, "rho": rho, "T": T, "pooling": pooling, "corr": corr},
        digits=digits,
        as_str=as_str,
    )


def outlier(delta, gamma, rho=1, kappa=None, alpha_over_kappa=None, *, mean_strength=None,
            T=None, pooling=None, corr=None, uncentred=False, population=None, signal=None,
            digits=None, as_str=False):
    """Regime, outlier lambda and alignments (CLI `outlier`), broadcast over every parameter.

    Give alpha_over_kappa (and optionally kappa, mean_strength), or the scheme
    form T=, pooling=, corr= (which fixes alpha/kappa and kappa).
    Columns: regime, lambda, alignment_mu, alignment_u, population_outlier,
    population_alignment (+ alpha_over_kappa, kappa for a scheme, mean_outlier).
    With population=/signal= (as for thresholds) one row per outlier, a kind
    column (top, gap) and a trailing axis over the rows.
    """
    scheme = T is not None or pooling is not None or corr is not None
    if not scheme and alpha_over_kappa is None:
        raise ValueError("give alpha_over_kappa, or the scheme form T=, pooling=, corr=")
    if not scheme and kappa is None:
        kappa = 1
    with _population_flags(population, signal) as flags:
        return _broadcast_cli(
            "outlier",
            {"delta": delta, "gamma": gamma, "rho": rho, "kappa": kappa,
             "alpha_over_kappa": alpha_over_kappa, "mean_strength": mean_strength,
             "T": T, "pooling": pooling, "corr": corr},
            flags=(["--uncentred"] if uncentred else []) + flags,
            digits=digits,
            as_str=as_str,
        )


def weights(T=None, pooling=None, corr=None, *, show_weights=False, digits=None, as_str=False):
    """alpha, kappa, alpha_over_kappa, sigma of a pooling scheme (CLI `weights`).

    Broadcasts over T and pooling (e.g. pooling=["mean", "causal", "optimal"]).
    show_weights=True returns the weights w_t of one scheme as a Result with t, w.
    """
    return _broadcast_cli(
        "weights",
        {"T": T, "pooling": pooling, "corr": corr},
        flags=["--show-weights"] if show_weights else [],
        digits=digits,
        as_str=as_str,
    )


def compare(T=None, corr=None, pooling="mean,causal,optimal", delta=None, gamma=None, rho=None,
            *, digits=None, as_str=False):
    """Pooling schemes side by side (CLI `compare`): one row per scheme (trailing axis).

    Broadcasts over T, delta, gamma, rho; pooling is the CLI's comma list.
    """
    return _broadcast_cli(
        "compare",
        {"T": T, "corr": corr, "pooling": pooling, "delta": delta, "gamma": gamma, "rho": rho},
        digits=digits,
        as_str=as_str,
    )


# ---- tables, check, validate --------------------------------------------------------


def _grid_text(name, value):
    if isinstance(value, str):
        return value
    values = list(np.asarray(value, dtype=object).reshape(-1)) if not isinstance(value, (list, tuple)) else list(value)
    sep = ";" if name in ("corr", "population") else ","
    return sep.join(_option_text(name, v) for v in values)


def _population_spec_text(population):
    """population= as one self-contained spec string for a table's population
    column: a spec string as given; an array of eigenvalues (equal weights) or
    (eigenvalues, weights) as an exact atoms: spec (floats by their binary
    value, weights divided by their sum exactly), so the table can be checked
    later without a temporary file. For thousands of eigenvalues write them to
    a file and pass "file:PATH" instead (every row carries the spec)."""
    if isinstance(population, (str, np.str_)):
        return str(population)
    if isinstance(population, tuple) and len(population) == 2:
        values, weights = (np.asarray(population[0], dtype=object).reshape(-1),
                           np.asarray(population[1], dtype=object).reshape(-1))
        if values.shape != weights.shape:
            raise ValueError("population: eigenvalues and weights differ in number "
                             f"({values.size} and {weights.size})")
    else:
        values, weights = np.asarray(population, dtype=object).reshape(-1), None
    if values.size == 0:
        raise ValueError("population: no eigenvalues")
    atoms = [exact(v, "population") for v in values]
    if weights is None:
        return "atoms:" + ",".join(_cli_number(t) for t in atoms)
    ws = [exact(w, "population weight") for w in weights]
    total = sum(ws, Fraction(0))
    if total <= 0 or any(w <= 0 for w in ws):
        raise ValueError("population weight: every weight must be > 0")
    return "atoms:" + ",".join(f"{_cli_number(t)}@{_cli_number(w / total)}"
                               for t, w in zip(atoms, ws))


def _population_args(population, signal):
    args = []
    if population is not None:
        args += ["--population", _population_spec_text(population)]
    if signal is not None:
        if not isinstance(signal, (str, np.str_)):
            raise ValueError(f"signal: expected 'generic' or 'eigenvector:S' (got {signal!r})")
        args += ["--signal", str(signal)]
    return args


def table(quantities, vary=None, set=None, *, digits=15, threads=None,  # noqa: A002
          population=None, signal=None):
    """A reference table (CLI `table`) with its provenance.

    quantities: "tau1,tau2" or a list; vary: {name: grid} where grid is the
    CLI's "A:B:M" / "A:B:Mlog" / "a,b,c" text or a list of exact values;
    set: {name: value}. Returns a Table of the CLI's text cells (exact decimal
    strings) with .provenance, .column(name) and .to_pandas().
    population= (a spec string, an array of eigenvalues, or (eigenvalues,
    weights)) and signal= evaluate the quantities for H ⊠ MP_delta ⊠ MP_gamma
    (docs/population.md); they become the table's population and signal
    columns, and a quantity without a population route raises.
    """
    if not isinstance(quantities, str):
        quantities = ",".join(quantities)
    args = ["--quantities", quantities, "--digits", str(_check_digits(digits)), "--quiet"]
    for name, grid in (vary or {}).items():
        args += ["--vary", f"{name}={_grid_text(name, grid)}"]
    for name, value in (set or {}).items():
        args += ["--set", f"{name}={_option_text(name, value)}"]
    args += _population_args(population, signal)
    if threads is not None:
        args += ["--threads", str(int(threads))]
    return _run("table", args)


def quantities(parameters=False):
    """The quantity catalogue (CLI `quantities`): what table() and check() accept.

    A Table with columns quantity, parameters (space-separated, in column
    order), unit, description; with parameters=True, the parameters with their
    domain, default and description.
    """
    return _run("quantities", ["--parameters"] if parameters else [])


class CheckReport:
    """Outcome of `check`: passed (bool), rows (Table: digits per row), summary (dict)."""

    def __init__(self, t):
        self.passed = t.exit_code == 0
        self.table = t
        self.summary = dict(t.meta)

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return f"CheckReport(passed={self.passed}, result={self.summary.get('result')!r})"


def check(data, *, min_digits=6, digits=60, set=None, threads=None, summary=False,  # noqa: A002
          population=None, signal=None):
    """Counts the correct digits of another implementation's values (CLI `check`).

    data: a pandas DataFrame (its index is not written) or a CSV path. Returns a
    CheckReport; passed is False when a value has fewer than min_digits digits.
    population= / signal= (as for table()) apply to every row that has no
    population / signal column.
    """
    args = ["--min-digits", str(int(min_digits)), "--digits", str(int(digits))]
    for name, value in (set or {}).items():
        args += ["--set", f"{name}={_option_text(name, value)}"]
    args += _population_args(population, signal)
    if threads is not None:
        args += ["--threads", str(int(threads))]
    if summary:
        args += ["--summary"]
    if isinstance(data, (str, os.PathLike)):
        return CheckReport(_run("check", [os.fspath(data)] + args, allowed_exit=(0, 1)))
    if not hasattr(data, "to_csv"):
        raise ValueError("check: data must be a pandas DataFrame or a CSV path")
    with tempfile.TemporaryDirectory(prefix="attnrmt-check-") as tmp:
        path = os.path.join(tmp, "values.csv")
        data.to_csv(path, index=False)
        return CheckReport(_run("check", [path] + args, allowed_exit=(0, 1)))


class ValidationReport:
    """Outcome of `validate`: passed (bool), table (quantity rows), meta."""

    def __init__(self, t):
        self.passed = t.exit_code == 0
        self.table = t
        self.meta = dict(t.meta)
        self.notes = list(t.notes)

    def __bool__(self):
        return self.passed

    @property
    def rows(self):
        return self.table.rows

    def to_pandas(self, numeric=True):
        import pandas as pd

        data = {}
        for c in self.table.columns:
            cells = [r[c] for r in self.table.rows]
            if numeric and _numeric_column(c, cells):
                data[c] = [_float_cell(x) for x in cells]
            else:
                data[c] = cells
        return pd.DataFrame(data)

    def __repr__(self):
        return f"ValidationReport(passed={self.passed}, rows={len(self.table.rows)})"


def validate(*, delta, gamma, **options):
    """Monte Carlo validation at finite size (CLI `validate`), as a ValidationReport.

    Keyword arguments are the CLI's options with '_' for '-' (alpha_over_kappa,
    d, rho, seeds, seed, model, T, pooling, corr, solver, threads, centered,
    uncentered); True gives a flag.
    """
    args = ["--delta", _cli_number(exact(delta, "delta")), "--gamma", _cli_number(exact(gamma, "gamma")), "--quiet"]
    integer_options = {"d", "seeds", "seed", "threads"}
    for name, value in options.items():
        opt = "--" + name.replace("_", "-")
        if value is True:
            args.append(opt)
        elif value is False or value is None:
            continue
        elif name in integer_options:
            args += [opt, str(int(value))]
        else:
            args += [opt, _option_text(name, value)]
    return ValidationReport(_run("validate", args, allowed_exit=(0, 1)))
