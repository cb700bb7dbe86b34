r"""InfoNCE, the loss of contrastive learning, and paired data whose mutual information is known.

A batch holds :math:`N` pairs :math:`(x_i, y_i)`, two views of the same thing (two crops of
one image, an image and its caption). A *critic* scores every combination,
``scores[i, j] = f(x_i, y_j)``, and the loss asks each :math:`x_i` to pick its own partner
:math:`y_i` out of the :math:`N` candidates: a softmax cross-entropy whose logits are a row
of the score matrix and whose label is the diagonal (van den Oord et al., 2018),

.. math:: \mathcal{L}_N = -\frac{1}{N} \sum_{i=1}^N
          \log \frac{e^{f(x_i, y_i) / \tau}}{\sum_{j=1}^N e^{f(x_i, y_j) / \tau}} .

For any critic, :math:`\log N - \E[\mathcal{L}_N] \le I(X; Y)` (Poole et al., 2019), and the
bound can never exceed :math:`\log N`, since the loss is never negative.

The *Gaussian views* are the book's test bed: a latent :math:`z \sim \mathcal{N}(0, I_d)` and
two noisy copies, :math:`x = z + \sigma \varepsilon`, :math:`y = z + \sigma \varepsilon'`.
Each coordinate of :math:`x` is correlated with the same coordinate of :math:`y` by
:math:`\rho = 1 / (1 + \sigma^2)`, so :math:`I(X; Y) = -\frac{d}{2} \log(1 - \rho^2)` in
closed form, and the best critic, :math:`\log p(y \mid x) / p(y)`, is known too.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from xent.logistic import log_softmax
from xent.mutual_information import gaussian_mutual_information
from xent.validation import (
    FloatArray,
    as_finite_array,
    check_flag,
    check_integer,
    check_real,
)

__all__ = [
    "cosine_similarities",
    "gaussian_views",
    "gaussian_views_critic",
    "gaussian_views_mutual_information",
    "info_nce",
    "info_nce_bound",
]


def _scaled_scores(scores: ArrayLike, temperature: float) -> FloatArray:
    """The square score matrix divided by the temperature, checked."""
    t = check_real(temperature, "temperature", low=0.0, low_open=True)
    matrix = as_finite_array(scores, "scores", min_ndim=2)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(
            f"scores must be a square N x N matrix, scores[i, j] = f(x_i, y_j), got shape "
            f"{matrix.shape}"
        )
    with np.errstate(over="ignore"):  # caught just below
        scaled = matrix / t
    if not np.isfinite(scaled).all():
        raise ValueError(
            f"scores / temperature overflows: temperature {temperature!r} is too small"
        )
    return scaled


def info_nce(scores: ArrayLike, *, temperature: float = 1.0, symmetric: bool = False) -> float:
    r"""The InfoNCE loss of a batch: softmax cross-entropy of each row, labelled by the diagonal.

    .. math:: \mathcal{L} = \frac{1}{N} \sum_i \Bigl(\log \sum_j e^{s_{ij} / \tau}
              - s_{ii} / \tau\Bigr), \qquad s_{ij} = f(x_i, y_j)

    ``scores`` is the :math:`N \times N` matrix of critic values (for embeddings, their
    similarities: :func:`cosine_similarities`) and ``temperature`` is :math:`\tau`. With
    ``symmetric=True`` the loss is the mean of the row-wise loss and the column-wise one
    (each :math:`y_j` picking its :math:`x_j`), as in CLIP (Radford et al., 2021). Each
    row is :func:`xent.log_softmax`, so any finite scores are safe. The loss lies in
    :math:`[0, \infty)`; equal scores give :math:`\log N`, and :math:`N = 1` gives 0.

    Raises
    ------
    ValueError
        If ``scores`` is not a finite square matrix, or ``temperature`` is not a finite
        positive number (or so small that ``scores / temperature`` overflows).
    TypeError
        If ``symmetric`` is not a bool.

    Examples
    --------
    >>> round(info_nce(np.zeros((4, 4))), 6)  # nothing to tell the pairs apart: log 4
    1.386294
    >>> round(info_nce([[2.0, 0.0], [0.0, 2.0]]), 6)  # log(1 + e^-2)
    0.126928
    """
    both = check_flag(symmetric, "symmetric")
    scaled = _scaled_scores(scores, temperature)
    rows = -float(np.mean(np.diagonal(log_softmax(scaled, axis=1))))
    if not both:
        return rows
    columns = -float(np.mean(np.diagonal(log_softmax(scaled, axis=0))))
    return (rows + columns) / 2.0


def info_nce_bound(scores: ArrayLike, *, temperature: float = 1.0) -> float:
    r"""The InfoNCE lower bound on the mutual information, from one batch: log N minus the loss.

    .. math:: \hat I_{\text{NCE}} = \log N - \mathcal{L}, \qquad
              \E\bigl[\hat I_{\text{NCE}}\bigr] \le I(X; Y),
              \qquad \hat I_{\text{NCE}} \le \log N

    for pairs drawn from the joint distribution and any critic (the expectation is over
    batches). One batch gives a noisy estimate; the mean over batches estimates the bound.

    Raises
    ------
    ValueError, TypeError
        As :func:`info_nce`.

    Examples
    --------
    >>> info_nce_bound(np.zeros((4, 4)))  # scores that tell nothing bound nothing
    0.0
    >>> round(info_nce_bound([[50.0, 0.0], [0.0, 50.0]]), 6)  # perfect pairing: log 2
    0.693147
    """
    n = _scaled_scores(scores, temperature).shape[0]
    return float(np.log(n)) - info_nce(scores, temperature=temperature)


def cosine_similarities(a: ArrayLike, b: ArrayLike) -> FloatArray:
    r"""The matrix of cosine similarities between the rows of ``a`` and the rows of ``b``.

    .. math:: s_{ij} = \frac{a_i \cdot b_j}{\lVert a_i \rVert \, \lVert b_j \rVert} \in [-1, 1]

    the critic of SimCLR and CLIP, used with a temperature :math:`\tau` (CLIP learns it,
    starting at 0.07).

    Raises
    ------
    ValueError
        If ``a`` or ``b`` is not a finite 2-D array, they have different numbers of
        columns, or a row is all zeros (it has no direction).

    Examples
    --------
    >>> cosine_similarities([[1.0, 0.0], [1.0, 1.0]], [[2.0, 0.0]]).round(4)
    array([[1.    ],
           [0.7071]])
    """
    left = as_finite_array(a, "a", min_ndim=2)
    right = as_finite_array(b, "b", min_ndim=2)
    for matrix, name in ((left, "a"), (right, "b")):
        if matrix.ndim != 2:
            raise ValueError(f"{name} must be a 2-D array of embeddings, got shape {matrix.shape}")
    if left.shape[1] != right.shape[1]:
        raise ValueError(
            f"a and b must have the same number of columns, got {left.shape[1]} and "
            f"{right.shape[1]}"
        )
    norms = []
    for matrix, name in ((left, "a"), (right, "b")):
        scale = np.abs(matrix).max(axis=1, keepdims=True)  # so that squares cannot overflow
        if (scale == 0.0).any():
            raise ValueError(f"{name} has a row of zeros, which has no direction")
        unit = matrix / scale
        norms.append(unit / np.sqrt((unit * unit).sum(axis=1, keepdims=True)))
    similarities: FloatArray = np.clip(norms[0] @ norms[1].T, -1.0, 1.0)
    return similarities


def _views_parameters(dim: int, noise_sd: float) -> tuple[int, float]:
    d = check_integer(dim, "dim", low=1)
    return d, check_real(noise_sd, "noise_sd", low=0.0, low_open=True)


def gaussian_views(
    n: int, *, dim: int, noise_sd: float, seed: int
) -> tuple[FloatArray, FloatArray]:
    r"""``n`` pairs of noisy views of a standard Gaussian latent, from a seeded generator.

    .. math:: z_i \sim \mathcal{N}(0, I_d), \qquad x_i = z_i + \sigma \varepsilon_i, \qquad
              y_i = z_i + \sigma \varepsilon'_i

    with independent standard normal noise. Returns ``(x, y)``, each of shape ``(n, dim)``;
    row ``i`` of each is a view of the same latent. The same ``seed`` gives the same pairs.

    Raises
    ------
    ValueError
        If ``n`` or ``dim`` is not a positive integer, or ``noise_sd`` is not finite and
        positive.
    TypeError
        If ``n``, ``dim`` or ``seed`` is not an integer.

    Examples
    --------
    >>> x, y = gaussian_views(3, dim=2, noise_sd=0.5, seed=0)
    >>> x.shape, y.shape
    ((3, 2), (3, 2))
    """
    size = check_integer(n, "n", low=1)
    d, sigma = _views_parameters(dim, noise_sd)
    rng = np.random.default_rng(check_integer(seed, "seed"))
    latent = rng.standard_normal((size, d))
    x = latent + sigma * rng.standard_normal((size, d))
    y = latent + sigma * rng.standard_normal((size, d))
    return x, y


def gaussian_views_mutual_information(
    *, dim: int, noise_sd: float, base: float | None = None
) -> float:
    r"""The mutual information between the two views of :func:`gaussian_views`.

    .. math:: I(X; Y) = -\frac{d}{2} \log\bigl(1 - \rho^2\bigr), \qquad
              \rho = \frac{1}{1 + \sigma^2}

    from :func:`xent.mutual_information.gaussian_mutual_information`, with :math:`d` equal
    canonical correlations.

    Raises
    ------
    ValueError, TypeError
        If ``dim`` is not a positive integer or ``noise_sd`` not a finite positive number.

    Examples
    --------
    >>> round(gaussian_views_mutual_information(dim=1, noise_sd=1.0), 6)  # rho = 1/2
    0.143841
    """
    d, sigma = _views_parameters(dim, noise_sd)
    rho = 1.0 / (1.0 + sigma * sigma)
    return gaussian_mutual_information(np.full(d, rho), base=base)


def gaussian_views_critic(x: ArrayLike, y: ArrayLike, *, noise_sd: float) -> FloatArray:
    r"""The best InfoNCE critic for :func:`gaussian_views`: ``log p(y_j | x_i) / p(y_j)``.

    With :math:`v = 1 + \sigma^2`, each coordinate of :math:`y` is :math:`\mathcal{N}(0, v)`,
    and given :math:`x` it is :math:`\mathcal{N}(x / v, w)` with :math:`w = v - 1/v`, so

    .. math:: f(x, y) = \log \frac{p(y \mid x)}{p(y)} = \sum_k \left(
              -\frac{(y_k - x_k / v)^2}{2 w} + \frac{y_k^2}{2 v} \right)
              + \frac{d}{2} \log \frac{v}{w} .

    Its mean over pairs from the joint distribution is :math:`I(X; Y)`. Returns the
    :math:`N \times M` matrix ``f(x_i, y_j)`` for ``x`` of shape ``(N, d)`` and ``y`` of
    shape ``(M, d)``.

    Raises
    ------
    ValueError
        If ``x`` or ``y`` is not a finite 2-D array, their numbers of columns differ, or
        ``noise_sd`` is not finite and positive.

    Examples
    --------
    >>> gaussian_views_critic([[0.0]], [[0.0]], noise_sd=1.0).round(6)  # log sqrt(4/3)
    array([[0.143841]])
    """
    left = as_finite_array(x, "x", min_ndim=2)
    right = as_finite_array(y, "y", min_ndim=2)
    if left.ndim != 2 or right.ndim != 2:
        raise ValueError(f"x and y must be 2-D arrays, got shapes {left.shape} and {right.shape}")
    if left.shape[1] != right.shape[1]:
        raise ValueError(
            f"x and y must have the same number of columns (coordinates), got {left.shape[1]} "
            f"and {right.shape[1]}"
        )
    sigma = check_real(noise_sd, "noise_sd", low=0.0, low_open=True)
    v = 1.0 + sigma * sigma
    w = v - 1.0 / v
    mean = left / v  # E[y | x], one row per x
    difference = right[np.newaxis, :, :] - mean[:, np.newaxis, :]  # y_j - x_i / v
    squared = (difference * difference).sum(axis=2)
    critic: FloatArray = (
        -squared / (2.0 * w)
        + (right * right).sum(axis=1)[None, :] / (2.0 * v)
        + left.shape[1] / 2.0 * np.log(v / w)
    )
    return critic
