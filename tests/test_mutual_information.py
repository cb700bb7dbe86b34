"""xent.mutual_information against scikit-learn, SciPy, mpmath at 50 digits and hand-worked values.

Tolerances: 1e-12 relative (or 1e-15 absolute near 0) against mpmath, whose sums are exact to
far more digits than a float holds; 1e-10 against scikit-learn's ``mutual_info_score``, which
sums terms of both signs in float64.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import scipy.stats
from sklearn.metrics import mutual_info_score

from xent.mutual_information import (
    co_information,
    conditional_entropy,
    gaussian_mutual_information,
    joint_entropy,
    mutual_information,
)

mpmath.mp.dps = 50
RNG = np.random.default_rng(20261207)


def random_counts(shape: tuple[int, ...], zeros: bool = True) -> np.ndarray:
    counts = RNG.integers(0, 20, size=shape)
    if not zeros:
        counts += 1
    counts.flat[0] += 1  # never an all-zero table
    return counts


def mp_plogp_sum(values: list[object]) -> object:
    return -mpmath.fsum(v * mpmath.log(v) for v in values if v > 0)


def mp_table(counts: np.ndarray) -> tuple[object, ...]:
    """Joint, row and column probabilities of a 2-D count table, in 50 digits."""
    total = mpmath.mpf(int(counts.sum()))
    joint = [[mpmath.mpf(int(c)) / total for c in row] for row in counts]
    rows = [mpmath.fsum(r) for r in joint]
    columns = [mpmath.fsum(joint[i][j] for i in range(len(joint))) for j in range(len(joint[0]))]
    return joint, rows, columns


@pytest.mark.parametrize("shape", [(2, 2), (3, 5), (6, 4), (1, 4), (7, 1)])
def test_against_mpmath(shape: tuple[int, int]) -> None:
    counts = random_counts(shape)
    table = counts / counts.sum()
    joint, rows, columns = mp_table(counts)
    flat = [v for row in joint for v in row]
    h_xy = mp_plogp_sum(flat)
    h_x, h_y = mp_plogp_sum(rows), mp_plogp_sum(columns)
    mi = mpmath.fsum(
        joint[i][j] * mpmath.log(joint[i][j] / (rows[i] * columns[j]))
        for i in range(shape[0])
        for j in range(shape[1])
        if joint[i][j] > 0
    )
    assert joint_entropy(table) == pytest.approx(float(h_xy), rel=1e-12)
    for given, h_given in ((0, h_x), (1, h_y)):
        expected = float(h_xy - h_given)
        assert conditional_entropy(table, given=given) == pytest.approx(
            expected, rel=1e-12, abs=1e-15
        )
    assert mutual_information(table) == pytest.approx(float(mi), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("seed", range(8))
def test_against_scikit_learn_in_nats(seed: int) -> None:
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 30, size=(rng.integers(2, 6), rng.integers(2, 6)))
    counts[0, 0] += 1
    expected = mutual_info_score(None, None, contingency=counts)
    ours = mutual_information(counts / counts.sum())
    assert ours == pytest.approx(expected, rel=1e-10, abs=1e-15)


def test_the_identities_and_bits() -> None:
    counts = random_counts((4, 3), zeros=False)
    table = counts / counts.sum()
    h_x = float(-(table.sum(1) * np.log(table.sum(1))).sum())
    h_y = float(-(table.sum(0) * np.log(table.sum(0))).sum())
    mi = mutual_information(table)
    assert mi == pytest.approx(h_x - conditional_entropy(table, given=1), rel=1e-12)
    assert mi == pytest.approx(h_y - conditional_entropy(table, given=0), rel=1e-12)
    assert mi == pytest.approx(h_x + h_y - joint_entropy(table), rel=1e-12)
    assert mutual_information(table.T) == pytest.approx(mi, rel=1e-14)  # symmetric
    assert mutual_information(table, base=2) == pytest.approx(mi / math.log(2), rel=1e-14)


def test_hand_worked_values() -> None:
    assert mutual_information([[0.5, 0.0], [0.0, 0.5]], base=2) == 1.0  # a copy of a fair bit
    assert mutual_information(np.outer([0.25, 0.75], [0.5, 0.5])) == 0.0  # independent
    assert joint_entropy(np.full((4, 4), 1 / 16), base=2) == pytest.approx(4.0, rel=1e-15)
    assert conditional_entropy([[0.5, 0.0], [0.25, 0.25]], given=0, base=2) == pytest.approx(0.5)
    # a binary symmetric channel with flip probability 0.1: I = 1 - H_b(0.1) bits
    eps = 0.1
    h_b = -(eps * math.log2(eps) + (1 - eps) * math.log2(1 - eps))
    channel = 0.5 * np.array([[1 - eps, eps], [eps, 1 - eps]])
    assert mutual_information(channel, base=2) == pytest.approx(1 - h_b, rel=1e-13)


def test_a_zero_row_or_column_is_left_out() -> None:
    table = np.array([[0.3, 0.2], [0.0, 0.0], [0.1, 0.4]])
    assert conditional_entropy(table, given=0) == pytest.approx(
        conditional_entropy(table[[0, 2]], given=0), rel=1e-15
    )
    assert mutual_information(table) == pytest.approx(mutual_information(table[[0, 2]]), rel=1e-14)


def test_co_information_of_xor_is_minus_one_bit() -> None:
    xor = np.zeros((2, 2, 2))
    for a in (0, 1):
        for b in (0, 1):
            xor[a, b, a ^ b] = 0.25
    assert co_information(xor, base=2) == pytest.approx(-1.0, rel=1e-15)
    copies = np.zeros((2, 2, 2))  # three copies of one fair bit: +1 bit
    copies[0, 0, 0] = copies[1, 1, 1] = 0.5
    assert co_information(copies, base=2) == pytest.approx(1.0, rel=1e-15)


def test_co_information_against_mpmath_inclusion_exclusion() -> None:
    counts = random_counts((3, 2, 4))
    total = mpmath.mpf(int(counts.sum()))
    p = {idx: mpmath.mpf(int(c)) / total for idx, c in np.ndenumerate(counts)}

    def h(axes: tuple[int, ...]) -> object:
        marginal: dict[tuple[int, ...], object] = {}
        for idx, v in p.items():
            key = tuple(idx[a] for a in axes)
            marginal[key] = marginal.get(key, mpmath.mpf(0)) + v
        return mp_plogp_sum(list(marginal.values()))

    expected = (
        h((0,)) + h((1,)) + h((2,)) - h((0, 1)) - h((0, 2)) - h((1, 2)) + h((0, 1, 2))
    )
    assert co_information(counts / counts.sum()) == pytest.approx(float(expected), abs=1e-14)


@pytest.mark.parametrize("rho", [0.0, 1e-9, 0.3, -0.5, 0.9, 0.999999])
def test_gaussian_mutual_information_against_mpmath(rho: float) -> None:
    expected = -mpmath.log(1 - mpmath.mpf(rho) ** 2) / 2
    assert gaussian_mutual_information(rho) == pytest.approx(float(expected), rel=1e-14, abs=0)


def test_gaussian_mutual_information_against_scipy_entropies() -> None:
    """I = h(X) + h(Y) - h(X, Y) with SciPy's differential entropies of the normals."""
    rho = [0.8, 0.3]
    cov = np.eye(4)
    for k, r in enumerate(rho):
        cov[k, 2 + k] = cov[2 + k, k] = r
    h = scipy.stats.multivariate_normal
    expected = h(cov=np.eye(2)).entropy() * 2 - h(cov=cov).entropy()
    assert gaussian_mutual_information(rho) == pytest.approx(expected, rel=1e-12)
    assert gaussian_mutual_information([1.0]) == math.inf


def test_bad_tables() -> None:
    with pytest.raises(ValueError, match="joint must be a 2-D"):
        mutual_information([0.5, 0.5])
    with pytest.raises(ValueError, match="joint must sum to 1"):
        mutual_information([[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(ValueError, match="joint must be a 3-D"):
        co_information([[0.5, 0.5]])
    with pytest.raises(ValueError, match="given"):
        conditional_entropy([[0.5, 0.5]], given=2)
    with pytest.raises(TypeError, match="given"):
        conditional_entropy([[0.5, 0.5]], given=1.0)
    with pytest.raises(ValueError, match="correlation must lie in"):
        gaussian_mutual_information(1.5)
