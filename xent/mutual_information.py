r"""Joint and conditional entropy, mutual information, and the mutual information of Gaussians.

A *joint table* is an array ``joint[i, j] = p(x_i, y_j)`` of non-negative numbers that sum to
one over the whole table: rows index the values of :math:`X`, columns those of :math:`Y`
(a third axis, :math:`Z`, for :func:`co_information`). The marginals are its row and column
sums. The identities that tie the measures together are

.. math::
    I(X; Y) &= \H(X) - \H(X \mid Y) = \H(X) + \H(Y) - \H(X, Y) \\
            &= \KL\bigl(p(x, y) \,\|\, p(x)\,p(y)\bigr) \ge 0 .

Conventions
-----------
* Natural logarithms (nats) unless ``base`` is given, as in :mod:`xent.information`.
* ``0 log 0 = 0``: empty cells, rows and columns contribute nothing; a conditional
  distribution given a value of probability 0 is never formed.
* The table must sum to one within :func:`xent.validation.sum_tolerance`; counts are refused
  (divide them by their total).
* Every function returns a Python ``float``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from xent.information import entropy, kl_divergence
from xent.validation import (
    FloatArray,
    as_distribution,
    as_finite_array,
    as_float_array,
    check_integer,
    log_of_base,
)

__all__ = [
    "co_information",
    "conditional_entropy",
    "gaussian_mutual_information",
    "joint_entropy",
    "mutual_information",
]


def _joint_table(joint: ArrayLike, ndim: int | None = None) -> FloatArray:
    """``joint`` as a float table that sums to one over all its entries (of ``ndim`` axes)."""
    table = as_float_array(joint, "joint", min_ndim=1)
    if ndim is not None and table.ndim != ndim:
        wanted = {2: "a 2-D table p(x, y)", 3: "a 3-D table p(x, y, z)"}[ndim]
        raise ValueError(f"joint must be {wanted}, got shape {table.shape}")
    as_distribution(table.ravel(), "joint")
    return table


def joint_entropy(joint: ArrayLike, *, base: float | None = None) -> float:
    r"""Joint entropy of the variables of a joint table: the entropy of all its cells.

    .. math:: \H(X, Y) = -\sum_{i, j} p(x_i, y_j) \log p(x_i, y_j)

    Any number of axes (one per variable); a 1-D table gives the entropy itself.

    Raises
    ------
    ValueError
        If ``joint`` is empty, holds NaN or values outside [0, 1], or does not sum to one.
    TypeError
        If ``joint`` is not numeric.

    Examples
    --------
    >>> joint_entropy([[0.25, 0.25], [0.25, 0.25]], base=2)  # two fair coins
    2.0
    """
    divisor = log_of_base(base)
    return float(entropy(_joint_table(joint).ravel())) / divisor


def conditional_entropy(joint: ArrayLike, *, given: int = 0, base: float | None = None) -> float:
    r"""Entropy of one variable of a 2-D joint table once the other, on axis ``given``, is known.

    With ``given=0`` (the rows, :math:`X`) it is :math:`\H(Y \mid X)`; with ``given=1``,
    :math:`\H(X \mid Y)`:

    .. math:: \H(Y \mid X) = \sum_i p(x_i)\, \H\bigl(p(\cdot \mid x_i)\bigr)
              = -\sum_{i, j} p(x_i, y_j) \log \frac{p(x_i, y_j)}{p(x_i)},

    computed as the first sum (never negative), rows with :math:`p(x_i) = 0` left out. It
    is 0 when the other variable is a function of the given one, and :math:`\H(Y)` when the
    two are independent.

    Raises
    ------
    ValueError
        If ``joint`` is not a 2-D table that sums to one, or ``given`` is not 0 or 1.
    TypeError
        If ``given`` is not an integer.

    Examples
    --------
    >>> conditional_entropy([[0.5, 0.0], [0.0, 0.5]])  # Y is a copy of X
    0.0
    >>> conditional_entropy([[0.25, 0.25], [0.25, 0.25]], base=2)
    1.0
    """
    divisor = log_of_base(base)
    table = _joint_table(joint, ndim=2)
    axis = check_integer(given, "given", low=0, high=1)
    rows = np.moveaxis(table, axis, 0)  # one row per value of the given variable
    weights = rows.sum(axis=1)
    kept = weights > 0.0
    conditionals = rows[kept] / weights[kept, np.newaxis]
    entropies = np.asarray(entropy(conditionals, axis=1)).reshape(-1)
    return float(entropies @ weights[kept]) / divisor


def mutual_information(joint: ArrayLike, *, base: float | None = None) -> float:
    r"""Mutual information of the two variables of a 2-D joint table.

    .. math:: I(X; Y) &= \KL\bigl(p(x, y) \,\|\, p(x)\,p(y)\bigr) \\
              &= \sum_{i, j} p(x_i, y_j) \log \frac{p(x_i, y_j)}{p(x_i)\,p(y_j)} \\
              &= \H(X) - \H(X \mid Y)

    computed as the KL divergence (:func:`xent.kl_divergence`), which keeps its digits for
    nearly independent variables, where :math:`\H(X) - \H(X \mid Y)` cancels. It is
    symmetric, 0 exactly when the table is the product of its marginals, and at most
    :math:`\min(\H(X), \H(Y))`. The marginals are sums of rounded numbers, so for an exactly
    independent table the divergence can come out a few ``1e-17`` below zero; such a result
    is returned as 0.

    Raises
    ------
    ValueError
        If ``joint`` is not a 2-D table of probabilities that sums to one.
    TypeError
        If ``joint`` is not numeric.

    Examples
    --------
    >>> mutual_information([[0.5, 0.0], [0.0, 0.5]], base=2)  # Y is a copy of a fair bit
    1.0
    >>> mutual_information([[0.125, 0.375], [0.125, 0.375]])  # the product of its marginals
    0.0
    """
    divisor = log_of_base(base)
    table = _joint_table(joint, ndim=2)
    product = np.outer(table.sum(axis=1), table.sum(axis=0))
    product /= product.sum()  # a distribution to the last bit, whatever the rounding
    return max(0.0, float(kl_divergence(table.ravel(), product.ravel()))) / divisor


def co_information(joint: ArrayLike, *, base: float | None = None) -> float:
    r"""Co-information of the three variables of a 3-D joint table p(x, y, z).

    .. math:: I(X; Y; Z) &= I(X; Y) - I(X; Y \mid Z) \\
              &= \H(X) + \H(Y) + \H(Z) \\
              &\quad - \H(X, Y) - \H(X, Z) - \H(Y, Z) + \H(X, Y, Z)

    the centre of a three-circle Venn diagram of entropies. Unlike every region of the
    two-variable diagram it can be **negative**: for two independent fair bits and their
    exclusive or it is :math:`-\log 2`, so no diagram with areas can show three variables
    faithfully. Computed as the first difference, :math:`I(X; Y \mid Z) = \sum_k p(z_k)\,
    I(X; Y \mid Z = z_k)`, each term with :func:`mutual_information`.

    Raises
    ------
    ValueError
        If ``joint`` is not a 3-D table of probabilities that sums to one.

    Examples
    --------
    >>> xor = np.zeros((2, 2, 2))
    >>> for x in (0, 1):
    ...     for y in (0, 1):
    ...         xor[x, y, x ^ y] = 0.25
    >>> co_information(xor, base=2)
    -1.0
    """
    divisor = log_of_base(base)
    table = _joint_table(joint, ndim=3)
    weights = table.sum(axis=(0, 1))
    given_z = sum(
        w * mutual_information(table[:, :, k] / w) for k, w in enumerate(weights) if w > 0.0
    )
    return (mutual_information(table.sum(axis=2)) - float(given_z)) / divisor


def gaussian_mutual_information(correlation: ArrayLike, *, base: float | None = None) -> float:
    r"""Mutual information of jointly Gaussian vectors, given their canonical correlations.

    For a pair of Gaussian variables with correlation :math:`\rho`, and for vectors whose
    coordinates pair up independently with correlations :math:`\rho_k` (the canonical
    correlations),

    .. math:: I(X; Y) = -\frac{1}{2} \sum_k \log\bigl(1 - \rho_k^2\bigr),

    computed as :math:`\operatorname{log1p}(-\rho^2)` for :math:`|\rho| < 1/2` and as
    :math:`\operatorname{log1p}(-|\rho|) + \operatorname{log1p}(|\rho|)` above, so both a
    small correlation (:math:`I \approx \rho^2 / 2`) and one near 1 keep their digits. A
    correlation of :math:`\pm 1` gives ``inf``: one
    variable then determines the other exactly, and a continuous variable holds infinitely
    many nats.

    Raises
    ------
    ValueError
        If a correlation is NaN or outside [-1, 1], or ``correlation`` is empty.

    Examples
    --------
    >>> round(gaussian_mutual_information(0.5), 6)  # -log(0.75) / 2
    0.143841
    >>> gaussian_mutual_information([0.0, 0.0])
    0.0
    """
    divisor = log_of_base(base)
    rho = np.abs(as_finite_array(correlation, "correlation"))
    if (rho > 1.0).any():
        raise ValueError(
            f"correlation must lie in [-1, 1], got {rho[rho > 1.0].ravel()[:3].tolist()} "
            "in absolute value; pass correlations, not covariances"
        )
    small = rho < 0.5  # rho^2 keeps its digits: log1p(-rho^2) directly
    with np.errstate(divide="ignore"):  # log1p(-1) = -inf: perfectly correlated
        logs = np.where(small, np.log1p(-(rho * rho)), np.log1p(-rho) + np.log1p(rho))
    return float(-0.5 * np.sum(logs)) / divisor + 0.0
