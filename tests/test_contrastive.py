"""xent.contrastive against SciPy, scikit-learn and the closed forms of the Gaussian views.

InfoNCE is checked against SciPy's ``logsumexp`` and scikit-learn's ``log_loss`` of the
row-wise softmax (1e-12 relative; PyTorch's ``cross_entropy`` is in tests/test_divergence.py),
the critic against SciPy's normal densities (1e-10 relative), and the sampled data against
their correlation and mutual information (Monte Carlo, within four standard errors).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.special
import scipy.stats
from sklearn.metrics import log_loss
from sklearn.metrics.pairwise import cosine_similarity

from xent.contrastive import (
    cosine_similarities,
    gaussian_views,
    gaussian_views_critic,
    gaussian_views_mutual_information,
    info_nce,
    info_nce_bound,
)

RNG = np.random.default_rng(7)


@pytest.mark.parametrize("n", [1, 2, 5, 40])
@pytest.mark.parametrize("temperature", [0.07, 1.0, 3.0])
def test_info_nce_is_the_mean_of_logsumexp_minus_the_diagonal(n: int, temperature: float) -> None:
    scores = RNG.normal(scale=2.0, size=(n, n))
    scaled = scores / temperature
    expected = np.mean(scipy.special.logsumexp(scaled, axis=1) - np.diag(scaled))
    ours = info_nce(scores, temperature=temperature)
    assert ours == pytest.approx(expected, rel=1e-12, abs=1e-15)
    columns = np.mean(scipy.special.logsumexp(scaled, axis=0) - np.diag(scaled))
    assert info_nce(scores, temperature=temperature, symmetric=True) == pytest.approx(
        (expected + columns) / 2, rel=1e-12, abs=1e-15
    )
    assert info_nce_bound(scores, temperature=temperature) == pytest.approx(
        math.log(n) - expected, rel=1e-12, abs=1e-12
    )


def test_info_nce_is_scikit_learns_log_loss_of_the_row_softmax() -> None:
    scores = RNG.normal(size=(6, 6))
    probabilities = scipy.special.softmax(scores, axis=1)
    expected = log_loss(np.arange(6), probabilities, labels=np.arange(6))
    assert info_nce(scores) == pytest.approx(expected, rel=1e-12)


def test_info_nce_edges() -> None:
    assert info_nce(np.zeros((5, 5))) == pytest.approx(math.log(5), rel=1e-15)
    assert info_nce([[3.0]]) == 0.0  # one pair: nothing to choose from
    assert info_nce_bound([[1e4, 0.0], [0.0, 1e4]]) == pytest.approx(math.log(2), rel=1e-15)
    assert info_nce([[1e300, -1e300], [-1e300, 1e300]]) == 0.0  # any finite scores are safe
    bounds = [info_nce_bound(RNG.normal(scale=30, size=(8, 8))) for _ in range(50)]
    assert max(bounds) <= math.log(8)  # never above log N, for any batch
    with pytest.raises(ValueError, match="square"):
        info_nce(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="temperature"):
        info_nce(np.zeros((2, 2)), temperature=0.0)
    with pytest.raises(ValueError, match="overflows"):
        info_nce([[1e300, 0.0], [0.0, 1.0]], temperature=1e-10)
    with pytest.raises(TypeError, match="symmetric"):
        info_nce(np.zeros((2, 2)), symmetric="yes")


def test_cosine_similarities_against_scikit_learn() -> None:
    a, b = RNG.normal(size=(4, 3)), RNG.normal(size=(5, 3))
    np.testing.assert_allclose(cosine_similarities(a, b), cosine_similarity(a, b), rtol=1e-12)
    huge = np.array([[1e300, 1e300]])
    np.testing.assert_allclose(cosine_similarities(huge, [[1.0, 0.0]]), [[math.sqrt(0.5)]])
    with pytest.raises(ValueError, match="a has a row of zeros"):
        cosine_similarities([[0.0, 0.0]], [[1.0, 0.0]])
    with pytest.raises(ValueError, match="columns"):
        cosine_similarities([[1.0, 0.0]], [[1.0, 0.0, 0.0]])


def test_the_critic_is_the_log_density_ratio_of_scipys_normals() -> None:
    sigma, d = 0.7, 3
    v = 1 + sigma**2
    w = v - 1 / v
    x, y = RNG.normal(size=(4, d)), RNG.normal(size=(6, d))
    expected = np.array(
        [
            [
                scipy.stats.multivariate_normal(mean=xi / v, cov=w * np.eye(d)).logpdf(yj)
                - scipy.stats.multivariate_normal(mean=np.zeros(d), cov=v * np.eye(d)).logpdf(yj)
                for yj in y
            ]
            for xi in x
        ]
    )
    np.testing.assert_allclose(gaussian_views_critic(x, y, noise_sd=sigma), expected, rtol=1e-10)


def test_the_views_have_the_stated_correlation_and_information() -> None:
    sigma, n = 0.5, 20_000
    x, y = gaussian_views(n, dim=2, noise_sd=sigma, seed=3)
    rho = 1 / (1 + sigma**2)
    for k in range(2):
        r = np.corrcoef(x[:, k], y[:, k])[0, 1]
        assert abs(r - rho) < 4 * (1 - rho**2) / math.sqrt(n)  # the s.e. of r
    # the best critic's mean over pairs of the joint distribution is I (its s.e. from the data)
    pairs = np.array([gaussian_views_critic(x[i : i + 1], y[i : i + 1], noise_sd=sigma)[0, 0]
                      for i in range(0, n, 4)])
    truth = gaussian_views_mutual_information(dim=2, noise_sd=sigma)
    assert truth == pytest.approx(-math.log(1 - rho**2), rel=1e-14)
    assert abs(pairs.mean() - truth) < 4 * pairs.std() / math.sqrt(pairs.size)
    again = gaussian_views(n, dim=2, noise_sd=sigma, seed=3)
    np.testing.assert_array_equal(again[0], x)  # seeded


def test_the_bound_is_below_the_truth_and_log_n_on_average() -> None:
    """Over 200 batches of 16, the mean bound of the best critic lies below both ceilings."""
    sigma, n = 0.3, 16
    bounds = np.array([
        info_nce_bound(gaussian_views_critic(*gaussian_views(n, dim=2, noise_sd=sigma, seed=s),
                                             noise_sd=sigma))
        for s in range(200)
    ])
    truth = gaussian_views_mutual_information(dim=2, noise_sd=sigma)
    assert bounds.max() <= math.log(n)
    assert bounds.mean() + 4 * bounds.std() / math.sqrt(bounds.size) < min(truth, math.log(n))
