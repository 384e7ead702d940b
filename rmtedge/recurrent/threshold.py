"""When does the Glorot recurrence become unstable? The t = O(sqrt n) threshold.

The energy of h_t = W h_{t-1} + x_t (W Glorot, isotropic i.i.d. inputs) matches its
infinite-width value for t << sqrt(n) and leaves it once t grows like sqrt(n) (Bar et al. 2025;
Seleznova 2026 for the exact complex energies). :func:`instability_threshold` finds the first t
at which an energy exceeds ``factor`` times its infinite-width value, and
:func:`threshold_exponent` fits t*(n) ~ C n^alpha across widths.

Two energies are offered (``quantity``):

* ``"driven"``: E||h_t||^2 / n of the driven recurrence (infinite-width value t);
* ``"impulse"``: (1/n) E||W^t||_F^2 = E||W^t x||^2 / E||x||^2 (infinite-width value 1).

and two ways to evaluate them (``method``):

* ``"bound"``: the lower bounds of :mod:`rmtedge.ensembles.moments` (sum_{k<t} m_k(n), resp. m_t(n)).
  Because bound <= energy, the t found is a certified *upper* bound on the true threshold.
  The bound is an eigenvalue quantity, so it sees the edge: it grows like e^{t^2/(2n)}/(t+1)
  and its threshold behaves like sqrt(2 n log(factor t)), i.e. n^{1/2} times a log factor;
* ``"monte_carlo"``: the energy itself, simulated (rmtedge.power_norms /
  rmtedge.simulate_hidden_states), threshold ~ c sqrt(n);
* ``"exact"``: the exact energy (complex field only; rmtedge.recurrent.energy, O(n t) work), so
  the threshold is exact too;
* ``"mc"``: the energy estimated from the reduced Hessenberg sampler
  (rmtedge.recurrent.energy.energy_samples), exact in law, cost independent of n (both fields).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

import numpy as np
from scipy import stats

from .._core.checks import (
    check_choice,
    check_field,
    check_int,
    check_n,
    check_positive_float,
    check_probability,
    check_rng,
)
from ..ensembles.moments import log_eigenvalue_moment, log_hidden_state_lower_bound

__all__ = ["ThresholdFit", "instability_threshold", "threshold_exponent"]

_METHODS = ("bound", "monte_carlo", "exact", "mc")
_QUANTITIES = ("driven", "impulse")


def _default_t_max(n: int) -> int:
    return int(max(64, math.ceil(12.0 * math.sqrt(n * max(math.log(n), 1.0)))))


def _first_crossing(log_energy: np.ndarray, log_reference: np.ndarray, ts: np.ndarray) -> int | None:
    # A relative slack of 1e-12 so that an exact tie (m_2(1) = 2 = factor) is not lost to rounding.
    hit = np.nonzero(log_energy >= log_reference - 1e-12)[0]
    return int(ts[hit[0]]) if hit.size else None


def instability_threshold(
    n: int,
    *,
    field: str = "real",
    factor: float = 2.0,
    method: str = "bound",
    quantity: str = "driven",
    t_max: int | None = None,
    n_matrices: int = 20,
    n_inputs: int = 8,
    rng: Any = None,
    samples: int = 4000,
) -> int:
    """First time step t at which the recurrence energy exceeds ``factor`` x its infinite-width value.

    Parameters
    ----------
    n : int
        Width, ``n >= 1``.
    field : {"real", "complex"}
        Real or complex Glorot ``W = G/sqrt(n)``.
    factor : float
        Threshold ratio, ``> 1`` (default 2).
    method : {"bound", "monte_carlo", "exact", "mc"}
        ``"bound"``: evaluate the exact eigenvalue lower bound (deterministic); the result is an
        upper bound on the true threshold. ``"monte_carlo"``: simulate (seeded by ``rng``).
        ``"exact"``: the exact energy (``field="complex"`` only; ``ValueError`` for real, use
        ``"mc"``), deterministic. ``"mc"``: the mean of ``samples`` draws of the reduced
        Hessenberg sampler (both fields, cost independent of n, about ``samples t^3/6``
        multiply-adds), seeded by ``rng``.
    quantity : {"driven", "impulse"}
        ``"driven"``: E||h_t||^2/n against t; ``"impulse"``: (1/n)E||W^t||_F^2 against 1.
    t_max : int, optional
        Largest t examined. Default: ``ceil(12 sqrt(n log n))`` (at least 64) for the bound; for
        Monte Carlo, 1.5 times the bound's threshold (which the true threshold cannot exceed);
        for ``"exact"`` and ``"mc"``, unlimited: the horizon doubles from ``ceil(3 sqrt(n)) + 8``
        until a crossing is found (the energy grows without bound in t at fixed n).
        ``ValueError`` if no crossing occurs up to ``t_max``.
    n_matrices, n_inputs : int
        Monte Carlo sample sizes for ``"monte_carlo"`` (matrices, and input vectors per matrix).
    rng : None, int, SeedSequence or Generator
        Randomness for ``method="monte_carlo"`` and ``"mc"``.
    samples : int
        Number of reduced-sampler draws for ``method="mc"`` (all t from the same draws).

    Returns
    -------
    int
        The first ``t >= 1`` with energy ``>= factor`` x infinite-width value.

    Notes
    -----
    Infinite-width values: for fixed k, (1/n) E||W^k||_F^2 -> 1 (Dubach & Peled 2019), so the
    impulse energy tends to 1 and the driven energy to t. For ``method="bound"`` the bound
    B_t = sum_{k<t} m_k(n) (or m_t(n)) replaces the energy; since the bound is below the energy,
    the true threshold is no later than the value returned. The Monte Carlo estimate uses the
    mean over ``n_matrices x n_inputs`` realizations, whose upper tail is heavy once
    t >~ 2 sqrt(n): increase the sample sizes for large ``factor``.

    References
    ----------
    N. Bar et al., arXiv:2505.19827 (2025): instability of Glorot for t = O(sqrt n).
    M. Seleznova, arXiv:2605.05113 (2026): regimes t = o(sqrt n), t ~ c sqrt n, t >> sqrt n.

    Examples
    --------
    The bound for complex matrices: m_t(n) (t+1) = prod_{j<=t}(1 + j/n) first reaches
    factor (t+1)... the certified threshold grows like sqrt(n log n):

    >>> import rmtedge
    >>> t1 = rmtedge.instability_threshold(400, field="complex", quantity="impulse")
    >>> t4 = rmtedge.instability_threshold(1600, field="complex", quantity="impulse")
    >>> bool(1.8 < t4 / t1 < 2.6)
    True
    """
    n = check_n(n)
    field = check_field(field)
    factor = check_positive_float(factor, "factor")
    if factor <= 1.0:
        raise ValueError(f"factor must be > 1, got {factor!r}")
    method = check_choice(method, "method", _METHODS)
    quantity = check_choice(quantity, "quantity", _QUANTITIES)
    if method in ("exact", "mc"):
        if t_max is not None:
            t_max = check_int(t_max, "t_max", minimum=1)
        return _energy_threshold(
            n, field, factor, method, quantity, t_max, check_int(samples, "samples", minimum=2), rng
        )
    if t_max is None:
        t_max = _default_t_max(n)
        if method == "monte_carlo":
            # The bound's threshold is certified to be no earlier than the true one, so the
            # simulation need not run beyond it (plus a margin for Monte Carlo noise).
            t_bound = instability_threshold(n, field=field, factor=factor, method="bound", quantity=quantity)
            t_max = int(math.ceil(1.5 * t_bound)) + 2
    else:
        t_max = check_int(t_max, "t_max", minimum=1)
    ts = np.arange(1, t_max + 1)
    if method == "bound":
        if quantity == "impulse":
            log_e = np.asarray(log_eigenvalue_moment(n, ts, field=field))
            log_ref = np.full(ts.shape, math.log(factor))
        else:
            log_e = np.asarray(log_hidden_state_lower_bound(n, ts, field=field))
            log_ref = math.log(factor) + np.log(ts)
    else:
        from .simulate import power_norms, simulate_hidden_states

        n_matrices = check_int(n_matrices, "n_matrices", minimum=1)
        n_inputs = check_int(n_inputs, "n_inputs", minimum=1)
        gen = check_rng(rng)
        if quantity == "impulse":
            trace = power_norms(
                n=n, field=field, T=t_max, n_matrices=n_matrices, n_inputs=n_inputs, times=ts, rng=gen
            )
            log_e = np.asarray(trace.log_energy)
            log_ref = np.full(ts.shape, math.log(factor))
        else:
            trace = simulate_hidden_states(
                n=n, field=field, T=t_max, n_matrices=n_matrices, n_inputs=n_inputs, times=ts, rng=gen
            )
            log_e = np.asarray(trace.log_energy)
            log_ref = math.log(factor) + np.log(ts)
    t_star = _first_crossing(log_e, log_ref, ts)
    if t_star is None:
        raise ValueError(
            f"t_max = {t_max}: the {quantity} energy ({method}) does not exceed factor = {factor} "
            "times its infinite-width value up to t_max; pass a larger t_max"
        )
    return t_star


def _energy_threshold(
    n: int, field: str, factor: float, method: str, quantity: str, t_max: int | None,
    samples: int, rng: Any,
) -> int:
    """Threshold from the exact energy or the reduced sampler: the horizon doubles from
    ceil(3 sqrt(n)) + 8 until a crossing is found (or up to ``t_max`` if given)."""
    from .energy import energy_samples, log_frobenius_energy, log_hidden_state_energy

    if method == "exact" and field != "complex":
        raise ValueError(
            "method 'exact' needs field='complex' (the exact real energy is known only for powers k <= 7); "
            "use method='mc' (reduced Hessenberg sampler, exact in law) for field='real'"
        )
    gen = check_rng(rng) if method == "mc" else None
    horizon = int(math.ceil(3.0 * math.sqrt(n))) + 8
    if t_max is not None:
        horizon = min(horizon, t_max)
    while True:
        ts = np.arange(1, horizon + 1)
        if method == "exact":
            if quantity == "impulse":
                log_e = np.asarray(log_frobenius_energy(n, ts, field=field))
            else:
                log_e = np.asarray(log_hidden_state_energy(n, ts, field=field, input="white"))
        else:
            k_max = horizon if quantity == "impulse" else horizon - 1
            logs = energy_samples(n, k_max, field=field, size=samples, rng=gen, log=True)
            from scipy.special import logsumexp

            if quantity == "impulse":
                log_e = logsumexp(logs[:, 1:], axis=0) - math.log(samples)
            else:  # sum_{k<t} ||W^k e_1||^2, t = 1..horizon
                log_e = logsumexp(np.logaddexp.accumulate(logs, axis=1), axis=0) - math.log(samples)
        log_ref = math.log(factor) + (np.log(ts) if quantity == "driven" else 0.0)
        t_star = _first_crossing(log_e, np.broadcast_to(log_ref, ts.shape), ts)
        if t_star is not None:
            return t_star
        if t_max is not None and horizon >= t_max:
            raise ValueError(
                f"t_max = {t_max}: the {quantity} energy ({method}) does not exceed factor = {factor} "
                "times its infinite-width value up to t_max; pass a larger t_max"
            )
        horizon = 2 * horizon if t_max is None else min(2 * horizon, t_max)


@dataclass(frozen=True)
class ThresholdFit:
    """Fit of t*(n) = C n^alpha (optionally times sqrt(log n)) by least squares on log-log axes.

    Attributes
    ----------
    alpha : float
        Fitted exponent.
    interval : tuple of float
        Two-sided confidence interval for alpha (Student t on the regression residuals).
    prefactor : float
        Fitted C.
    ns, thresholds : ndarray
        The widths and the thresholds that were fitted.
    log_correction : bool
        Whether the model included the sqrt(log(factor (t*+1))) factor.
    confidence : float
        Confidence level of ``interval``.
    """

    alpha: float
    interval: tuple[float, float]
    prefactor: float
    ns: np.ndarray = dc_field(repr=False)
    thresholds: np.ndarray = dc_field(repr=False)
    log_correction: bool = False
    confidence: float = 0.95

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the confidence interval."""
        return self.interval[0] <= value <= self.interval[1]


def threshold_exponent(
    ns: Any,
    *,
    field: str = "real",
    method: str = "bound",
    quantity: str = "driven",
    factor: float = 2.0,
    log_correction: bool = False,
    confidence: float = 0.95,
    rng: Any = None,
    **kwargs: Any,
) -> ThresholdFit:
    """Estimate the exponent alpha in t*(n) ~ C n^alpha from thresholds at several widths.

    Parameters
    ----------
    ns : sequence of int
        At least three distinct widths (e.g. 64, 128, ..., 4096).
    field, method, quantity, factor :
        As in :func:`instability_threshold`.
    log_correction : bool
        Fit t* = C n^alpha sqrt(log(factor (t* + 1))) instead: the bound's edge asymptotics give
        exactly this form for the complex impulse energy (m_t(n) ~ e^{t^2/(2n)}/(t+1) = factor
        at t*^2 = 2 n log(factor (t*+1))), so alpha is the exponent left once the log factor
        the eigenvalue edge brings is divided out.
    confidence : float
        Level of the confidence interval for alpha.
    rng : None, int, SeedSequence or Generator
        For ``method="monte_carlo"`` or ``"mc"``; each width gets an independent stream
        spawned from it.
    **kwargs :
        Passed to :func:`instability_threshold` (``t_max``, ``n_matrices``, ``n_inputs``,
        ``samples``).

    Returns
    -------
    ThresholdFit

    Notes
    -----
    Ordinary least squares of log t* on log n; the interval uses the residual standard error,
    so it reflects the scatter of the thresholds around a power law (integer rounding of t*,
    Monte Carlo noise and any curvature from log factors), not only sampling error.

    Examples
    --------
    >>> import rmtedge
    >>> fit = rmtedge.threshold_exponent([256, 1024, 4096, 16384], field="complex",
    ...                                  quantity="impulse", log_correction=True)
    >>> bool(abs(fit.alpha - 0.5) < 0.05)
    True
    """
    ns_arr = np.array([check_n(v) for v in ns])
    if np.unique(ns_arr).size < 3:
        raise ValueError("ns must contain at least three distinct widths")
    confidence = check_probability(confidence, "confidence")
    seeds = np.random.SeedSequence(check_rng(rng).integers(2**63)).spawn(len(ns_arr))
    ts = np.array(
        [
            instability_threshold(
                int(n), field=field, method=method, quantity=quantity, factor=factor,
                rng=np.random.default_rng(s), **kwargs,
            )
            for n, s in zip(ns_arr, seeds, strict=True)
        ],
        dtype=float,
    )
    x = np.log(ns_arr.astype(float))
    y = np.log(ts)
    if log_correction:
        y = y - 0.5 * np.log(np.log(float(factor) * (ts + 1.0)))
    res = stats.linregress(x, y)
    dof = len(x) - 2
    if dof > 0 and np.isfinite(res.stderr):
        half = stats.t.ppf(0.5 + confidence / 2.0, dof) * res.stderr
    else:  # pragma: no cover - needs >= 3 points, checked above
        half = math.inf
    return ThresholdFit(
        alpha=float(res.slope),
        interval=(float(res.slope - half), float(res.slope + half)),
        prefactor=float(math.exp(res.intercept)),
        ns=ns_arr,
        thresholds=ts,
        log_correction=bool(log_correction),
        confidence=confidence,
    )
