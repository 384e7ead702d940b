"""Initializers of recurrence matrices: the rescaled Glorot matrix and its diagonal baselines.

Bar et al. (arXiv:2505.19827, 2025) observe that the spectral radius of an ``n x n`` Glorot
matrix ``W`` (entries of variance ``1/n``) sits *above* one with probability tending to one,
``rho(W) ~ 1 + sqrt(gamma_n / (4 n))``, so a linear recurrence initialised with it explodes
after ``t ~ sqrt(n)`` steps. Their remedy divides ``W`` by a factor ``r > 1`` chosen from the
edge law of ``rho(W)``. This module provides that factor (:func:`rescale_factor`, both the
authors' asymptotic formula and a finite-n exact version), the rescaled sampler
(:func:`rescaled_glorot`), and the diagonal initializations the paper compares against
(:func:`diagonal_glorot_eigenvalues`, :func:`halved_glorot`, :func:`diagonal_uniform`).
Framework initializers built on these live in :mod:`rmtedge.torch` and :mod:`rmtedge.jax`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._core.checks import (
    check_choice,
    check_field,
    check_n,
    check_probability,
    check_rng,
    check_size,
)
from ..ensembles.samplers import ginibre
from ..laws.gumbel import GAMMA_N_MIN_N, gamma_n_mp
from ..laws.radius import spectral_radius_law

__all__ = [
    "DEFAULT_EXACT_RISK",
    "RESCALE_METHODS",
    "diagonal_glorot_eigenvalues",
    "diagonal_uniform",
    "halved_glorot",
    "rescale_factor",
    "rescaled_glorot",
]

#: Risk P(rho(W / s) > 1) used by ``method="exact"`` when ``risk`` is None. 1% is close to
#: the *actual* (not nominal) complex risk of the authors' default at n = 500 (about 0.9%).
DEFAULT_EXACT_RISK = 0.01

#: Methods of :func:`rescale_factor`.
RESCALE_METHODS = ("paper", "exact")

_MP_DPS = 40  # working precision of the "paper" formula (gamma_n cancels near n = 164)


def _standardized_gumbel_isf(risk: float, field: str) -> Any:
    """Quantile c with P(X > c) = risk for the standardized edge limit of ``field``.

    Complex: CDF exp(-e^{-x}) gives c = -log(-log(1 - risk)); real: CDF exp(-e^{-x}/2) gives
    c = -log(-2 log(1 - risk)). Evaluated at _MP_DPS digits: when r_n(c) is small (risk near
    one at n near 164) the sum 1 + sqrt(gamma_n/(4n)) + c b_n cancels and a float64 c would
    cost digits.
    """
    import mpmath

    with mpmath.workdps(_MP_DPS):
        minus_log_cdf = -mpmath.log1p(-mpmath.mpf(risk))  # -log(1 - risk) > 0
        if field == "real":
            minus_log_cdf *= 2
        return -mpmath.log(minus_log_cdf)


def _paper_factor(n: int, c: Any) -> float:
    """r_n(c) = 1 + sqrt(gamma_n/(4n)) + c/sqrt(4 n gamma_n), evaluated at _MP_DPS digits (the
    one high-precision gamma_n of rmtedge, :func:`rmtedge.laws.gumbel.gamma_n_mp`)."""
    import mpmath

    with mpmath.workdps(_MP_DPS):
        N = mpmath.mpf(n)
        g = gamma_n_mp(n, dps=_MP_DPS)
        r = 1 + mpmath.sqrt(g / (4 * N)) + c / mpmath.sqrt(4 * N * g)
        return float(r)


def _exact_factor(n: int, field: str, risk: float) -> float:
    # "auto": the exact law of either field (real: the Pfaffian law up to n = 4096, the Poisson
    # approximation above, where the exact determinant gets slow)
    r = float(spectral_radius_law(n, field=field, method="auto").isf(risk))
    if not r > 0.0:
        # only a law with an atom at 0 can give this (the real Poisson approximation at n <= 3)
        raise ValueError(
            f"risk = {risk!r} is too large at n = {n}: the finite-n law gives a non-positive "
            f"factor {r!r}; choose a smaller risk"
        )
    return r


def rescale_factor(
    n: int, *, field: str = "real", risk: float | None = None, method: str = "exact"
) -> float:
    """Factor ``r`` by which to divide an ``n x n`` Glorot matrix so that rho(W/r) <= 1 w.h.p.

    Parameters
    ----------
    n : int
        Dimension; ``n >= 164`` for ``method="paper"``, any ``n >= 1`` for ``"exact"``.
    field : {"real", "complex"}
        Real or complex Glorot matrices.
    risk : float in (0, 1), optional
        Target probability ``P(rho(W / r) > 1)``. ``None``: the authors' constant (paper) or
        :data:`DEFAULT_EXACT_RISK` = 0.01 (exact).
    method : {"exact", "paper"}
        * ``"exact"`` (default): ``r = rmtedge.spectral_radius_law(n, field=field,
          method="auto").isf(risk)``, the factor with ``P(rho(W / r) > 1) = risk`` under the
          finite-n law (exact for the complex field at every n and for the real field up to
          n = 4096, the Pfaffian law; the Poisson approximation for real fields above); works
          at every ``n >= 1``.
        * ``"paper"``: the authors' asymptotic formula (``docs/theory.md``, "Rescaled Glorot")
          ``r_n(c) = 1 + sqrt(gamma_n/(4n)) + c / sqrt(4 n gamma_n)``,
          ``gamma_n = log(n/(2 pi)) - 2 log log n``, with ``c = euler_gamma + pi/sqrt(6)``
          (:data:`rmtedge.PAPER_GUMBEL_C`, used for both fields as in the authors' code) when
          ``risk`` is None, else the standardized Gumbel quantile of the field:
          ``c = -log(-log(1 - risk))`` (complex), ``-log(-2 log(1 - risk))`` (real). Then
          ``r = rmtedge.gumbel_edge_law(n, field=field).isf(risk)``. Bit-compatible with the
          authors' code (for ``n >= 164``). It over-damps badly near ``n = 164``: with the
          default ``c`` the factor is ``r = 2.22`` at n = 164 and 1.198 at n = 200, where
          the realised real-field risk is 1e-85 and 5e-5 (complex 1e-168 and 7e-8), against a
          nominal 14%; at n = 500 it is 1.9% (real) and 0.9% (complex).

    Returns
    -------
    float
        ``r``; the rescaled matrix ``W / r`` has entry variance ``1 / (n r^2)``.

    Raises
    ------
    ValueError
        ``risk`` outside (0, 1); ``method="paper"`` with ``n < 164`` (``gamma_n <= 0``: the
        formula is undefined; use ``method="exact"``) or with a ``risk`` so close to one that
        ``r <= 0``; unknown ``field``/``method``.
    TypeError
        Non-integer ``n``, non-numeric ``risk``.

    Notes
    -----
    ``"paper"`` is the rescaling of Bar et al. (2025) as implemented in their JAX code (which
    returns NaN for ``n < 164`` and applies the complex constant to real matrices; here
    ``n < 164`` is an error and a given ``risk`` uses the field's own limit). The formula
    cancels twice near ``n = 164``: gamma_n itself (float64 loses up to 2.4 digits, see
    :func:`rmtedge.gamma_n`) and the sum ``1 + sqrt(gamma_n/(4n)) + c b_n`` when ``r`` is
    small (risk near one), where the loss grows without bound as ``r -> 0``. So the formula and
    the quantile ``c`` are evaluated at 40 digits and rounded once: the result is the
    correctly rounded value of ``r`` for the given float ``risk``. The Gumbel limit itself is inaccurate at practical ``n`` (error of
    order ``log log n / log n``): with the default ``c`` the actual complex risk is about
    0.9% at n = 500 against a nominal 14.4% (``docs/theory.md``, "Facts found while checking"). ``"exact"`` has no such bias;
    its accuracy is that of :func:`rmtedge.spectral_radius_law`.

    References
    ----------
    N. Bar et al., "Revisiting Glorot Initialization for Long-Range Linear Recurrences",
    arXiv:2505.19827 (2025), rescaled Glorot initialization (authors' code
    ``NogaBar/Rescaled_Glorot_for_RNN``, ``lru/model.py``). B. Rider, J. Phys. A 36 (2003)
    3401 (complex edge); B. Rider and C. D. Sinclair, Ann. Appl. Probab. 24 (2014) 1621 (real).

    Examples
    --------
    The default factor makes P(rho(W/r) > 1) = 1% under the exact finite-n law:

    >>> import rmtedge
    >>> n = 1000
    >>> r = rmtedge.rescale_factor(n, field="complex")
    >>> bool(abs(rmtedge.prob_radius_exceeds_one(n, field="complex", scale_factor=r) - 0.01) < 1e-12)
    True

    The paper factor is the Rider centring plus ``c`` Rider scales:

    >>> r = rmtedge.rescale_factor(n, field="complex", method="paper")
    >>> a, b = rmtedge.rider_centering(n), rmtedge.rider_scale(n)
    >>> bool(abs(r - (a + rmtedge.PAPER_GUMBEL_C * b)) < 1e-14)
    True

    With a risk it is the Gumbel limit's upper quantile:

    >>> law = rmtedge.gumbel_edge_law(n, field="real")
    >>> r = rmtedge.rescale_factor(n, field="real", risk=0.05, method="paper")
    >>> bool(abs(r - law.isf(0.05)) < 1e-14)
    True
    """
    n = check_n(n)
    field = check_field(field)
    method = check_choice(method, "method", RESCALE_METHODS)
    if risk is not None:
        risk = check_probability(risk, "risk")
    if method == "exact":
        return _exact_factor(n, field, DEFAULT_EXACT_RISK if risk is None else risk)
    if n < GAMMA_N_MIN_N:
        raise ValueError(
            f"n must be >= {GAMMA_N_MIN_N} for method='paper' (gamma_n = log(n/(2 pi)) - "
            f"2 log log n is <= 0 below, the authors' formula gives NaN; got n = {n}). "
            "Use method='exact', defined for every n >= 1."
        )
    if risk is None:
        import mpmath

        with mpmath.workdps(_MP_DPS):
            c = mpmath.euler + mpmath.pi / mpmath.sqrt(6)
    else:
        c = _standardized_gumbel_isf(risk, field)
    r = _paper_factor(n, c)
    if not r > 0.0:
        raise ValueError(
            f"risk = {risk!r} is too close to 1 for the Gumbel limit at n = {n} (it gives a "
            f"non-positive factor {r!r}); use method='exact'"
        )
    return r


def rescaled_glorot(
    n: int,
    *,
    field: str = "real",
    risk: float | None = None,
    method: str = "exact",
    size: int | tuple[int, ...] | None = None,
    rng: Any = None,
) -> np.ndarray:
    """Sample rescaled Glorot matrices ``W / r`` (Bar et al. 2025, rescaled Glorot).

    Parameters
    ----------
    n : int
        Dimension (``n >= 164`` for ``method="paper"``).
    field, risk, method
        As in :func:`rescale_factor`.
    size : int or tuple of ints, optional
        Batch shape; the result has shape ``size + (n, n)``.
    rng : None, int, SeedSequence or numpy.random.Generator
        Randomness.

    Returns
    -------
    ndarray
        ``rmtedge.ginibre(n, field=field, size=size, scale="glorot", rng=rng) / r`` with
        ``r = rescale_factor(n, field=field, risk=risk, method=method)``: entries of variance
        ``1 / (n r^2)``.

    Notes
    -----
    The factor is computed (and validated) before any random number is drawn, so the stream
    of ``rng`` is that of :func:`rmtedge.ginibre`: ``rescaled_glorot(..., rng=s) * r`` equals
    ``ginibre(..., rng=s)`` up to rounding.

    References
    ----------
    N. Bar et al., arXiv:2505.19827 (2025), rescaled Glorot initialization.

    Examples
    --------
    >>> import numpy as np, rmtedge
    >>> n = 200
    >>> W = rmtedge.rescaled_glorot(n, field="complex", rng=1)
    >>> r = rmtedge.rescale_factor(n, field="complex")
    >>> G = rmtedge.ginibre(n, field="complex", rng=1)
    >>> bool(np.allclose(W * r, G, rtol=1e-15, atol=0))
    True
    """
    r = rescale_factor(n, field=field, risk=risk, method=method)
    out = ginibre(n, field=field, size=size, scale="glorot", rng=rng)
    out *= 1.0 / r
    return out


def halved_glorot(
    n: int,
    *,
    field: str = "real",
    size: int | tuple[int, ...] | None = None,
    rng: Any = None,
) -> np.ndarray:
    """Sample "halved Glorot" matrices: Glorot matrices with entry variance ``1/(2n)``.

    A baseline of Bar et al. (2025) (``W = G / sqrt(2n)``); its spectral radius is about
    ``1/sqrt(2) ~ 0.707``, so the recurrence is stable but forgets quickly.

    Parameters
    ----------
    n : int
        Dimension, ``n >= 1``.
    field : {"real", "complex"}
        Real or complex Ginibre ``G``.
    size : int or tuple of ints, optional
        Batch shape; result ``size + (n, n)``.
    rng : None, int, SeedSequence or numpy.random.Generator
        Randomness (same stream as :func:`rmtedge.ginibre`).

    Returns
    -------
    ndarray
        ``rmtedge.ginibre(n, field=field, size=size, scale="glorot", rng=rng) / sqrt(2)``.

    References
    ----------
    N. Bar et al., arXiv:2505.19827 (2025), baselines of the long-range experiments.

    Examples
    --------
    >>> import numpy as np, rmtedge
    >>> W = rmtedge.halved_glorot(300, size=10, rng=0)
    >>> bool(abs(np.mean(W**2) * 2 * 300 - 1) < 0.02)      # E w_ij^2 = 1/(2n)
    True
    """
    out = ginibre(n, field=field, size=size, scale="glorot", rng=rng)
    out *= 1.0 / math.sqrt(2.0)
    return out


def diagonal_glorot_eigenvalues(
    n: int,
    *,
    field: str = "real",
    risk: float | None = None,
    method: str = "exact",
    size: int | tuple[int, ...] | None = None,
    rng: Any = None,
) -> np.ndarray:
    """Eigenvalues of rescaled Glorot matrices, for diagonal (LRU-style) recurrences.

    The diagonal recurrence ``h_t = Lambda h_{t-1} + x_t`` with ``Lambda`` the eigenvalues of
    ``W / r`` is the variant of the rescaled Glorot initialization that Bar et al. (2025) use
    for diagonal RNNs/LRUs (the authors take the diagonal of the complex Schur form).

    Parameters
    ----------
    n : int
        Dimension (``n >= 164`` for ``method="paper"``).
    field, risk, method
        As in :func:`rescale_factor` (real field: eigenvalues come in conjugate pairs).
    size : int or tuple of ints, optional
        Batch shape; result ``size + (n,)``.
    rng : None, int, SeedSequence or numpy.random.Generator
        Randomness.

    Returns
    -------
    ndarray of complex128, shape ``size + (n,)``
        Eigenvalues of ``W / r``, ``r = rescale_factor(n, field=field, risk=risk,
        method=method)``.

    Notes
    -----
    Uses :func:`rmtedge.eigvals` (fast exact samplers) when present in this build, otherwise
    ``numpy.linalg.eigvals`` of :func:`rmtedge.ginibre` samples; the two consume ``rng``
    differently. Eigenvalue order is unspecified.

    References
    ----------
    N. Bar et al., arXiv:2505.19827 (2025), diagonal variant of rescaled Glorot.

    Examples
    --------
    Mean squared modulus: (1/n) E sum |lambda_i(W)|^2 = (1 + 1/n) / 2 for complex Glorot
    (``docs/theory.md``, "Moments, the growth bound and the instability threshold"), divided by r^2 after rescaling:

    >>> import numpy as np, rmtedge
    >>> n = 164
    >>> lam = rmtedge.diagonal_glorot_eigenvalues(n, field="complex", size=2, rng=3)
    >>> lam.shape
    (2, 164)
    >>> r = rmtedge.rescale_factor(n, field="complex")
    >>> bool(abs(np.mean(np.abs(lam) ** 2) * 2 * r**2 / (1 + 1 / n) - 1) < 0.05)
    True
    """
    r = rescale_factor(n, field=field, risk=risk, method=method)
    import rmtedge

    eigvals_fn = getattr(rmtedge, "eigvals", None)
    if eigvals_fn is not None:
        lam = np.asarray(eigvals_fn(n, field=field, size=size, scale="glorot", rng=rng))
    else:  # pragma: no cover - depends on the build
        lam = np.linalg.eigvals(ginibre(n, field=field, size=size, scale="glorot", rng=rng))
    lam = lam.astype(np.complex128, copy=False)
    lam *= 1.0 / r
    return lam


def _check_radius(value: Any, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return value


def diagonal_uniform(
    n: int,
    *,
    r_min: float = 0.0,
    r_max: float = 1.0,
    max_phase: float = 2.0 * math.pi,
    size: int | tuple[int, ...] | None = None,
    rng: Any = None,
) -> np.ndarray:
    """Sample the LRU ring initialization ``lambda_j = r_j exp(i theta_j)``.

    Convention (Orvieto et al. 2023, "Resurrecting Recurrent Neural Networks for Long
    Sequences", ICML, Lemma 3.2 and their initialization): ``lambda`` is uniform on the
    *area* of the ring sector ``r_min <= |lambda| <= r_max``, ``0 <= arg(lambda) <=
    max_phase``; i.e. ``r = sqrt(r_min^2 + u (r_max^2 - r_min^2))`` and
    ``theta = max_phase * v`` with ``u, v`` independent uniform on [0, 1). With the defaults
    (``r_min = 0, r_max = 1, max_phase = 2 pi``) this is the uniform law on the unit disk,
    the circular-law limit of the Glorot spectrum (``docs/theory.md``, "The setting of the paper", claim 1).

    Parameters
    ----------
    n : int
        Number of eigenvalues (state dimension), ``n >= 1``.
    r_min, r_max : float
        Radii with ``0 <= r_min <= r_max`` (finite).
    max_phase : float
        Largest phase, ``> 0``.
    size : int or tuple of ints, optional
        Batch shape; result ``size + (n,)``.
    rng : None, int, SeedSequence or numpy.random.Generator
        Randomness: all ``u`` are drawn first, then all ``v``.

    Returns
    -------
    ndarray of complex128, shape ``size + (n,)``

    Notes
    -----
    Bar et al. (2025) use a "diagonal-uniform" baseline; the convention above is the LRU
    one (the authors' released code draws the modulus uniform on [0, 1] instead, which puts
    more mass near the origin). Under it ``P(|lambda| <= s) = (s^2 - r_min^2) /
    (r_max^2 - r_min^2)`` for ``r_min <= s <= r_max``.

    References
    ----------
    A. Orvieto, S. L. Smith, A. Gu, A. Fernando, C. Gulcehre, R. Pascanu, S. De, "Resurrecting
    Recurrent Neural Networks for Long Sequences", ICML 2023, arXiv:2303.06349, Lemma 3.2.
    N. Bar et al., arXiv:2505.19827 (2025), diagonal-uniform baseline.

    Examples
    --------
    >>> import numpy as np, rmtedge
    >>> lam = rmtedge.diagonal_uniform(1000, r_min=0.5, r_max=0.9, max_phase=np.pi, rng=0)
    >>> r = np.abs(lam)
    >>> bool(r.min() >= 0.5 and r.max() <= 0.9 and np.angle(lam).min() >= 0)
    True
    """
    n = check_n(n)
    r_min = _check_radius(r_min, "r_min")
    r_max = _check_radius(r_max, "r_max")
    if r_min > r_max:
        raise ValueError(f"r_min must be <= r_max, got r_min = {r_min!r} > r_max = {r_max!r}")
    if isinstance(max_phase, (bool, np.bool_)) or not isinstance(
        max_phase, (int, float, np.number)
    ):
        raise TypeError(f"max_phase must be a real number, got {type(max_phase).__name__}")
    max_phase = float(max_phase)
    if not (math.isfinite(max_phase) and max_phase > 0.0):
        raise ValueError(f"max_phase must be a finite number > 0, got {max_phase!r}")
    shape = (*check_size(size), n)
    gen = check_rng(rng)
    u = gen.random(shape)
    v = gen.random(shape)
    r = np.sqrt(r_min * r_min + u * (r_max * r_max - r_min * r_min))
    theta = max_phase * v
    return r * np.exp(1j * theta)
