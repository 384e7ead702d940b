"""Tests of the optional framework adapters rmtedge.torch and rmtedge.jax.

Each framework test is skipped cleanly (pytest.importorskip) when the framework is missing.
"""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

import rmtedge

ALPHA = 1e-3  # significance level of every Monte Carlo test in this file
Z_CRIT = stats.norm.isf(ALPHA / 2)


def _z_unit_mean(y):
    """z-statistic of H0: E y = 1 from i.i.d. samples y."""
    y = np.asarray(y, dtype=np.float64).ravel()
    return (y.mean() - 1.0) / (y.std(ddof=1) / math.sqrt(y.size))


def test_import_rmtedge_does_not_import_frameworks():
    """`import rmtedge` (and importing the adapter modules) must not import torch or jax."""
    code = (
        "import sys, rmtedge, rmtedge.torch, rmtedge.jax; "
        "print(int('torch' in sys.modules), int('jax' in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "0"]


# ------------------------------------------------------------------------------------------------
# torch
# ------------------------------------------------------------------------------------------------
def test_torch_fill_in_place_and_reproducible():
    """In place (same storage), returns the tensor, dtype kept, no autograd history; a seeded
    torch.Generator reproduces the draw and different seeds differ."""
    torch = pytest.importorskip("torch")
    import rmtedge.torch as rt

    w = torch.nn.Parameter(torch.empty(200, 200, dtype=torch.float32))
    ptr = w.data_ptr()
    out = rt.rescaled_glorot_(w, generator=torch.Generator().manual_seed(7))
    assert out is w and w.data_ptr() == ptr and w.dtype == torch.float32
    assert w.requires_grad and w.grad_fn is None
    v = torch.empty(200, 200, dtype=torch.float32)
    rt.rescaled_glorot_(v, generator=torch.Generator().manual_seed(7))
    assert torch.equal(w.detach(), v)
    rt.rescaled_glorot_(v, generator=torch.Generator().manual_seed(8))
    assert not torch.equal(w.detach(), v)
    # identity: the fill is torch.randn(generator) * 1 / (sqrt(n) r)
    r = rmtedge.rescale_factor(200, field="real")
    ref = torch.randn(200, 200, generator=torch.Generator().manual_seed(7)) / (math.sqrt(200) * r)
    assert torch.allclose(w.detach(), ref, rtol=1e-6, atol=0)


@pytest.mark.parametrize("dtype_name", ["float64", "complex128"])
def test_torch_variance(dtype_name):
    """Entry variance 1/(n r^2): z-test of E(n r^2 |w|^2) = 1 over n^2 = 65536 entries,
    alpha = 1e-3 two-sided (seeded). Complex dtype: complex field by default, real and
    imaginary parts each of variance 1/(2 n r^2) (z-tests of E(2 n r^2 Re^2) = 1, same for
    Im). Power: a factor off by 2% in variance (z ~ 4) would be rejected with probability
    ~0.75, so the test can fail."""
    torch = pytest.importorskip("torch")
    import rmtedge.torch as rt

    n = 256
    dtype = getattr(torch, dtype_name)
    field = "complex" if dtype.is_complex else "real"
    r = rmtedge.rescale_factor(n, field=field, risk=0.05)
    w = rt.rescaled_glorot_(
        torch.empty(n, n, dtype=dtype), risk=0.05, generator=torch.Generator().manual_seed(11)
    )
    a = w.numpy()
    assert abs(_z_unit_mean(np.abs(a) ** 2 * n * r**2)) < Z_CRIT
    if field == "complex":
        assert abs(_z_unit_mean(2 * a.real**2 * n * r**2)) < Z_CRIT
        assert abs(_z_unit_mean(2 * a.imag**2 * n * r**2)) < Z_CRIT


def test_torch_bad_arguments():
    """Non-square or non-2-D tensors, field/dtype mismatch, n < 164 with method='paper', bad
    risk and non-tensors raise errors naming the problem; method='exact' works at small n."""
    torch = pytest.importorskip("torch")
    import rmtedge.torch as rt

    with pytest.raises(ValueError, match="square"):
        rt.rescaled_glorot_(torch.empty(200, 199))
    with pytest.raises(ValueError, match="square"):
        rt.rescaled_glorot_(torch.empty(200))
    with pytest.raises(ValueError, match="square"):
        rt.rescaled_glorot_(torch.empty(2, 200, 200))
    with pytest.raises(ValueError, match="field"):
        rt.rescaled_glorot_(torch.empty(200, 200), field="complex")
    with pytest.raises(ValueError, match="field"):
        rt.rescaled_glorot_(torch.empty(200, 200, dtype=torch.complex64), field="real")
    with pytest.raises(ValueError, match="exact"):
        rt.rescaled_glorot_(torch.empty(100, 100), method="paper")
    with pytest.raises(TypeError, match="generator"):
        rt.rescaled_glorot_(torch.empty(8, 8), generator="0")
    with pytest.raises(ValueError, match="risk"):
        rt.rescaled_glorot_(torch.empty(200, 200), risk=1.0)
    with pytest.raises(TypeError, match="tensor"):
        rt.rescaled_glorot_(np.zeros((200, 200)))
    with pytest.raises(TypeError, match="dtype"):
        rt.rescaled_glorot_(torch.zeros(200, 200, dtype=torch.int64))
    w = rt.rescaled_glorot_(
        torch.empty(16, 16, dtype=torch.complex64), method="exact", generator=torch.Generator()
    )
    assert torch.isfinite(torch.view_as_real(w)).all()


# ------------------------------------------------------------------------------------------------
# jax
# ------------------------------------------------------------------------------------------------
def test_jax_initializer():
    """init(key, shape, dtype) = jax.random.normal(key, shape, dtype) / (sqrt(n) r): same key
    same draw; dtype kept; complex dtypes use the complex field; works under jax.jit; entry
    variance 1/(n r^2) (z-test over n^2 entries, alpha = 1e-3, fixed key)."""
    jax = pytest.importorskip("jax")
    jnp = pytest.importorskip("jax.numpy")
    import rmtedge.jax as rj

    n = 256
    init = rj.rescaled_glorot()
    key = jax.random.key(3)
    w = init(key, (n, n))
    assert w.shape == (n, n) and w.dtype == jnp.float32
    r = rmtedge.rescale_factor(n, field="real")
    ref = jax.random.normal(key, (n, n), jnp.float32) / (math.sqrt(n) * r)
    assert np.allclose(np.asarray(w), np.asarray(ref), rtol=1e-6, atol=0)
    jitted = jax.jit(init, static_argnums=1)(key, (n, n))
    assert np.allclose(np.asarray(jitted), np.asarray(w), rtol=1e-6, atol=0)
    a = np.asarray(w, dtype=np.float64)
    assert abs(_z_unit_mean(a**2 * n * r**2)) < Z_CRIT
    wc = init(key, (n, n), jnp.complex64)
    assert wc.dtype == jnp.complex64
    rc = rmtedge.rescale_factor(n, field="complex")
    ac = np.asarray(wc, dtype=np.complex128)
    assert abs(_z_unit_mean(np.abs(ac) ** 2 * n * rc**2)) < Z_CRIT
    assert abs(_z_unit_mean(2 * ac.real**2 * n * rc**2)) < Z_CRIT


def test_jax_bad_arguments():
    """Bad risk/method fail at construction; non-square shapes and field/dtype mismatch fail
    when the initializer is called."""
    jax = pytest.importorskip("jax")
    jnp = pytest.importorskip("jax.numpy")
    import rmtedge.jax as rj

    with pytest.raises(ValueError, match="risk"):
        rj.rescaled_glorot(risk=0.0)
    with pytest.raises(ValueError, match="method"):
        rj.rescaled_glorot(method="nope")
    with pytest.raises(ValueError, match="field"):
        rj.rescaled_glorot(field="quaternion")
    key = jax.random.key(0)
    with pytest.raises(ValueError, match="square"):
        rj.rescaled_glorot()(key, (200, 100))
    with pytest.raises(ValueError, match="square"):
        rj.rescaled_glorot()(key, (200,))
    with pytest.raises(ValueError, match="field"):
        rj.rescaled_glorot(field="complex")(key, (200, 200), jnp.float32)
    with pytest.raises(ValueError, match="exact"):
        rj.rescaled_glorot(method="paper")(key, (100, 100))
    with pytest.raises(TypeError, match="shape"):  # issue 15: (1.5, 1.5) used to become n = 1
        rj.rescaled_glorot()(key, (1.5, 1.5))
    w = rj.rescaled_glorot(method="exact", field="complex")(key, (8, 8), jnp.complex64)
    assert w.shape == (8, 8)


def test_torch_default_initialises_a_128_wide_layer():
    """Issue 16: with the default method='exact' a 128-wide recurrent layer (the authors' own
    default width, where 'paper' raises) initialises; an int seed works like a Generator."""
    torch = pytest.importorskip("torch")
    import rmtedge.torch as rt

    layer = torch.nn.Linear(128, 128, bias=False)
    rt.rescaled_glorot_(layer.weight, generator=0)
    r = rmtedge.rescale_factor(128, field="real")
    assert r == rmtedge.rescale_factor(128, field="real", method="exact", risk=0.01)
    again = rt.rescaled_glorot_(torch.empty(128, 128), generator=0)
    assert torch.equal(layer.weight.detach(), again)
    ref = torch.randn(128, 128, generator=torch.Generator().manual_seed(0)) / (math.sqrt(128) * r)
    assert torch.allclose(again, ref, rtol=1e-6, atol=0)
