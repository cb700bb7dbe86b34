"""xent.divergence against PyTorch, Keras 3 on JAX, mpmath at 50 digits and independent fits.

* ``distillation_loss`` against ``torch.nn.functional.kl_div`` (float64, 1e-12 relative),
  ``keras.losses.KLDivergence`` (float32: 1e-5 relative) and mpmath (1e-12 relative);
* ``distillation_gradient``, the factor T², against torch autograd (1e-10) and central
  finite differences of ``distillation_loss`` (1e-7 absolute);
* ``kl_div``'s argument order: ``kl_div(log q, p)`` is KL(p || q), the reverse order of
  ``xent.kl_divergence(p, q)``;
* ``fit_normal_by_kl``: the forward fit matches the grid moments of the target (1e-7), and
  the reverse fit agrees with SciPy's Nelder-Mead on a divergence written out here (1e-5);
* ``xent.contrastive.info_nce`` against ``torch.nn.functional.cross_entropy`` (1e-12);
* the chapter's improper-loss claim: the expected focal loss at pi = 0.7, gamma = 2 is
  minimised at 0.57848 (mpmath's root of the derivative, 1e-5 against xent's Keras loss).
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import scipy.optimize
import scipy.special

from tests.lazy_import import LazyModule, keras_on_jax
from xent import keras_losses
from xent.distributions import discretized_normal
from xent.divergence import distillation_gradient, distillation_loss, fit_normal_by_kl
from xent.information import kl_divergence
from xent.torch_losses import kl_div as xent_kl_div

torch = LazyModule("torch")
F = LazyModule("torch.nn.functional")
keras = LazyModule("keras", keras_on_jax)

mpmath.mp.dps = 50
RNG = np.random.default_rng(20261207)
STUDENT = RNG.normal(scale=2.0, size=(5, 4))
TEACHER = RNG.normal(scale=3.0, size=(5, 4))


def tensor(values: np.ndarray, grad: bool = False) -> object:
    return torch.tensor(np.asarray(values, dtype=np.float64), requires_grad=grad)


# --- distillation ------------------------------------------------------------------------------


@pytest.mark.parametrize("temperature", [0.5, 1.0, 4.0, 20.0])
def test_distillation_loss_against_torch_kl_div(temperature: float) -> None:
    t = temperature
    log_q = F.log_softmax(tensor(STUDENT) / t, dim=-1)
    log_p = F.log_softmax(tensor(TEACHER) / t, dim=-1)
    per_row = F.kl_div(log_q, log_p, reduction="none", log_target=True).sum(dim=-1) * t * t
    batchmean = F.kl_div(log_q, F.softmax(tensor(TEACHER) / t, dim=-1), reduction="batchmean")
    ours = distillation_loss(STUDENT, TEACHER, t)
    np.testing.assert_allclose(ours, per_row.numpy(), rtol=1e-12, atol=1e-15)
    assert ours.mean() == pytest.approx(batchmean.item() * t * t, rel=1e-12)


@pytest.mark.parametrize("temperature", [1.0, 3.0])
def test_distillation_loss_against_keras_kl_divergence(temperature: float) -> None:
    """Keras's KLDivergence(p, q) is the mean over the batch of sum p log(p/q), in float32."""
    t = temperature
    p = scipy.special.softmax(TEACHER / t, axis=-1).astype(np.float32)
    q = scipy.special.softmax(STUDENT / t, axis=-1).astype(np.float32)
    theirs = float(keras.losses.KLDivergence()(p, q)) * t * t
    assert distillation_loss(STUDENT, TEACHER, t).mean() == pytest.approx(theirs, rel=1e-5)


def test_distillation_loss_against_mpmath() -> None:
    s, t, temp = [0.3, -1.2, 2.0], [1.5, 0.2, -0.7], mpmath.mpf(2.5)

    def softmax(z: list[float]) -> list[object]:
        e = [mpmath.exp(mpmath.mpf(v) / temp) for v in z]
        return [v / mpmath.fsum(e) for v in e]

    p, q = softmax(t), softmax(s)
    expected = temp**2 * mpmath.fsum(a * mpmath.log(a / b) for a, b in zip(p, q))
    assert distillation_loss(s, t, 2.5) == pytest.approx(float(expected), rel=1e-12)
    assert distillation_loss(t, t, 2.5) == 0.0


@pytest.mark.parametrize("temperature", [1.0, 4.0, 50.0])
def test_the_t_squared_gradient_against_torch_autograd(temperature: float) -> None:
    t = temperature
    student = tensor(STUDENT, grad=True)
    log_q = F.log_softmax(student / t, dim=-1)
    log_p = F.log_softmax(tensor(TEACHER) / t, dim=-1)
    # the summed per-sample losses, so that each row's gradient is that sample's own
    (F.kl_div(log_q, log_p, reduction="sum", log_target=True) * t * t).backward()
    np.testing.assert_allclose(
        distillation_gradient(STUDENT, TEACHER, t), student.grad.numpy(), rtol=1e-10, atol=1e-14
    )


@pytest.mark.parametrize("temperature", [1.0, 8.0])
def test_the_gradient_against_finite_differences(temperature: float) -> None:
    s, t = STUDENT[0], TEACHER[0]
    h = 1e-6 * temperature
    numeric = [
        (
            distillation_loss(s + h * e, t, temperature)
            - distillation_loss(s - h * e, t, temperature)
        )
        / (2 * h)
        for e in np.eye(4)
    ]
    np.testing.assert_allclose(distillation_gradient(s, t, temperature), numeric, atol=1e-7)


def test_without_t_squared_the_gradient_fades_and_with_it_tends_to_logit_matching() -> None:
    s, t = STUDENT[0], TEACHER[0]
    limit = ((s - s.mean()) - (t - t.mean())) / s.size
    high = distillation_gradient(s, t, 1e4)
    np.testing.assert_allclose(high, limit, atol=1e-3)
    # the plain KL's gradient (without T^2) at T = 10 and 100: 100 times smaller, within 5%
    ratio = np.linalg.norm(distillation_gradient(s, t, 10.0)) / 10.0**2 / (
        np.linalg.norm(distillation_gradient(s, t, 100.0)) / 100.0**2
    )
    assert ratio == pytest.approx(100.0, rel=0.05)
    # and T^2 KL tends to the squared distance of the centred logits over 2K
    matching = np.sum(((s - s.mean()) - (t - t.mean())) ** 2) / (2 * s.size)
    assert distillation_loss(s, t, 1e4) == pytest.approx(matching, rel=1e-3)


def test_distillation_errors() -> None:
    with pytest.raises(ValueError, match="same shape"):
        distillation_loss([1.0, 2.0], [1.0, 2.0, 3.0], 2.0)
    with pytest.raises(ValueError, match="temperature"):
        distillation_loss([1.0, 2.0], [1.0, 2.0], 0.0)
    with pytest.raises(ValueError, match="overflows"):
        distillation_gradient([1e300, 0.0], [1.0, 2.0], 1e-10)


# --- the argument order of torch's kl_div ------------------------------------------------------


def test_kl_div_takes_log_q_first_and_the_swapped_call_is_the_reverse_kl() -> None:
    p = np.array([0.7, 0.2, 0.1])
    q = np.array([0.2, 0.5, 0.3])
    right = F.kl_div(tensor(np.log(q)), tensor(p), reduction="sum").item()
    swapped = F.kl_div(tensor(np.log(p)), tensor(q), reduction="sum").item()
    assert right == pytest.approx(kl_divergence(p, q), rel=1e-12)
    assert swapped == pytest.approx(kl_divergence(q, p), rel=1e-12)
    assert abs(right - swapped) > 0.04  # the two directions differ: no error, a wrong number
    # probabilities passed as input give a number too, and not a divergence
    nonsense = F.kl_div(tensor(q), tensor(p), reduction="sum").item()
    assert nonsense < 0
    assert xent_kl_div(np.log(q)[None], p[None], reduction="batchmean") == pytest.approx(right)


# --- fitting a normal by forward and reverse KL ------------------------------------------------

X = np.linspace(-12.0, 12.0, 241)
BIMODAL = 0.6 * discretized_normal(X, -2.5, 0.8) + 0.4 * discretized_normal(X, 2.5, 0.8)


def test_the_forward_fit_matches_the_moments_of_the_target() -> None:
    fit = fit_normal_by_kl(X, BIMODAL, direction="forward")
    q = discretized_normal(X, fit.mean, fit.sd)
    assert q @ X == pytest.approx(BIMODAL @ X, abs=1e-7)
    assert q @ X**2 == pytest.approx(BIMODAL @ X**2, rel=1e-7)
    assert fit.divergence == pytest.approx(kl_divergence(BIMODAL, q), rel=1e-14)


def normal_on_grid(mean: float, sd: float) -> np.ndarray:
    """A discretised normal written out here: the bell at the points, renormalised."""
    weights = np.exp(-0.5 * ((X - mean) / sd) ** 2)
    return weights / weights.sum()


def reverse_kl(params: np.ndarray) -> float:
    q = normal_on_grid(params[0], math.exp(params[1]))
    keep = q > 0
    return float(np.sum(q[keep] * (np.log(q[keep]) - np.log(BIMODAL[keep]))))


def test_the_reverse_fit_against_nelder_mead_from_each_mode() -> None:
    fit = fit_normal_by_kl(X, BIMODAL, direction="reverse")
    found = [
        scipy.optimize.minimize(
            reverse_kl, [start, 0.0], method="Nelder-Mead",
            options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 4000},
        )
        for start in (-2.0, 2.0)
    ]
    best = min(found, key=lambda r: r.fun)
    assert best.x[0] < 0  # the heavier mode, on the left
    assert fit.mean == pytest.approx(best.x[0], abs=1e-5)
    assert fit.sd == pytest.approx(math.exp(best.x[1]), rel=1e-5)
    assert fit.divergence == pytest.approx(best.fun, rel=1e-9)
    other = max(found, key=lambda r: r.fun)  # the local minimum at the lighter mode
    assert other.x[0] > 0 and other.fun > fit.divergence + 0.3


def test_a_normal_target_is_fitted_exactly_both_ways() -> None:
    x = np.arange(-8.0, 9.0)
    target = discretized_normal(x, 0.7, 1.3)
    for direction in ("forward", "reverse"):
        fit = fit_normal_by_kl(x, target, direction=direction)
        assert (fit.mean, fit.sd) == pytest.approx((0.7, 1.3), abs=1e-6)
        assert abs(fit.divergence) < 1e-14


def test_fit_errors() -> None:
    with pytest.raises(ValueError, match="direction"):
        fit_normal_by_kl(X, BIMODAL, direction="backward")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="same shape"):
        fit_normal_by_kl(X[:-1], BIMODAL)
    with pytest.raises(ValueError, match="distinct"):
        fit_normal_by_kl([1.0, 1.0], [0.5, 0.5])


# --- the chapter's improper-loss claim ---------------------------------------------------------


def test_the_expected_focal_loss_at_pi_07_is_minimised_at_0_5785() -> None:
    pi, gamma = mpmath.mpf("0.7"), 2

    def expected(q: object) -> object:
        return pi * (1 - q) ** gamma * -mpmath.log(q) + (1 - pi) * q**gamma * -mpmath.log(1 - q)

    root = mpmath.findroot(lambda q: mpmath.diff(expected, q), mpmath.mpf("0.6"))
    assert float(root) == pytest.approx(0.5784799858, abs=1e-9)
    grid = np.linspace(0.5, 0.65, 15_001)  # steps of 1e-5
    ones, zeros = np.ones((grid.size, 1)), np.zeros((grid.size, 1))
    focal = 0.7 * keras_losses.binary_focal_crossentropy(ones, grid[:, None]) + (
        0.3 * keras_losses.binary_focal_crossentropy(zeros, grid[:, None])
    )
    assert grid[np.argmin(focal)] == pytest.approx(float(root), abs=1e-5)
    assert float(root) < 0.7 - 0.1  # not proper: far from pi


# --- InfoNCE is PyTorch's cross-entropy over the score matrix ----------------------------------


@pytest.mark.parametrize("temperature", [0.07, 1.0])
def test_info_nce_is_torch_cross_entropy_with_the_diagonal_as_labels(temperature: float) -> None:
    from xent.contrastive import info_nce

    scores = RNG.normal(size=(9, 9))
    logits = tensor(scores) / temperature
    labels = torch.arange(9)
    rows = F.cross_entropy(logits, labels).item()
    columns = F.cross_entropy(logits.T, labels).item()
    assert info_nce(scores, temperature=temperature) == pytest.approx(rows, rel=1e-12)
    assert info_nce(scores, temperature=temperature, symmetric=True) == pytest.approx(
        (rows + columns) / 2, rel=1e-12
    )
