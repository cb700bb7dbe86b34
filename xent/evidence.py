r"""Evidence for a comparison: two methods scored on the same splits, and what that settles.

A sentence such as "cross-entropy trains faster than squared error" is an experiment's
conclusion. This module turns the experiment's numbers into a verdict whose strength the
sentence can follow:

* :func:`stratified_splits` makes many seeded train/test splits of one data set, each class
  split in the same proportion;
* :func:`compare` takes the two methods' scores on the same splits (paired: entry ``i`` of
  both comes from split ``i``) and returns a :class:`Comparison`: wins, ties and losses, the
  mean paired difference with its t interval, a sign test, a paired t test and a Wilcoxon
  signed-rank test, and a verdict;
* :meth:`Comparison.summary` prints all that on one line that reads the same on every
  machine, and :meth:`Comparison.claim` (through :func:`claim_line`) prints the line
  ``claim LABEL: holds: ...`` that the book's tests look for in a notebook's outputs.

The statistics are :mod:`scipy.stats`'s (``binomtest``, ``ttest_1samp``, ``wilcoxon``),
imported when a comparison is made; this module adds the pairing, the ties, the splits, the
verdict rule and the rounding.

The verdict rule
----------------
A comparison is *settled* in favour of one method only when three things agree: the sign
test (wins against losses, ties dropped) has ``p < alpha``, the paired t test has
``p < alpha``, and the t interval of the mean difference excludes 0, all three in that
method's favour. Anything else is ``"not settled"``: many small wins with a mean pulled the
other way by a few large losses, or a large mean from a few splits, are not a conclusion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from xent.validation import (
    as_finite_array,
    check_flag,
    check_integer,
    check_real,
    check_same_shape,
)

__all__ = [
    "Comparison",
    "claim_line",
    "compare",
    "stratified_splits",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

NOT_SETTLED = "not settled"
"""The verdict of a comparison that the evidence does not decide."""

_LABEL = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
"""A claim label: lowercase words (letters, then letters or digits) joined by hyphens."""

_SMALLEST_P = 1e-300
"""p-values below this (or that underflowed to 0) print as ``p < 1e-300``."""


def _format_p(p: float) -> str:
    """``"= 0.26"``, ``"= 3e-31"`` or ``"< 1e-300"``: a p-value that prints the same everywhere.

    Below 0.001 one significant digit in scientific form (``3e-31``, exponent without a
    leading zero); from 0.001 up two significant digits (``0.26``, ``0.049``, ``0.0012``,
    ``1.0``), so that no p-value prints as ``0.00``; below 1e-300 (underflow) ``< 1e-300``.
    """
    if p < _SMALLEST_P:
        return "< 1e-300"
    if p < 0.001:
        mantissa, exponent = f"{p:.0e}".split("e")
        return f"= {mantissa}e{int(exponent)}"
    return f"= {p:#.2g}"


def _format_difference(x: float) -> str:
    """A difference to 4 significant digits (``-0.0278``, ``1.234``), -0 printed as 0."""
    return f"{x + 0.0:.4g}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass(frozen=True)
class Comparison:
    """Two methods scored on the same splits: the differences, the tests and the verdict.

    Made by :func:`compare`; ``differences`` is ``a - b`` split by split, and ``wins``
    counts the splits where ``a`` (the first of ``names``) is better than ``b``.
    ``interval`` is the paired t interval of the mean difference at ``confidence``; the
    p-values are two-sided. See :func:`compare` for the conventions at the edges.
    """

    names: tuple[str, str]
    differences: FloatArray
    lower_is_better: bool
    n: int
    wins: int
    ties: int
    losses: int
    mean_difference: float
    interval: tuple[float, float]
    confidence: float
    sign_p: float
    t_p: float
    wilcoxon_p: float
    alpha: float = 0.05

    @property
    def verdict(self) -> str:
        """``"A better"``, ``"B better"`` (the method's name) or ``"not settled"``.

        Settled only when the sign test and the paired t test both give ``p < alpha`` and
        the t interval excludes 0, all in the same method's favour (the module's rule).
        """
        a, b = self.names
        low, high = self.interval
        a_side = (high < 0.0) if self.lower_is_better else (low > 0.0)
        b_side = (low > 0.0) if self.lower_is_better else (high < 0.0)
        significant = self.sign_p < self.alpha and self.t_p < self.alpha
        if significant and self.wins > self.losses and a_side:
            return f"{a} better"
        if significant and self.losses > self.wins and b_side:
            return f"{b} better"
        return NOT_SETTLED

    def summary(self) -> str:
        """The comparison on one line, rounded so that it prints the same on every machine.

        ``"A better than B on 178 of 200 splits (0 ties, 22 worse); mean difference -0.0278,
        95% t-interval [-0.0301, -0.0255]; sign test p = 3e-31, paired t p = 1e-40"`` when
        ``A`` wins; the same with the names swapped when ``B`` wins; and ``"not settled: A
        better on 13 of 20 splits (0 ties, 7 worse); ..."`` otherwise. The mean difference
        and the interval are those of the first-named method minus the second (so for a
        ``B`` verdict, ``b - a``), to 4 significant digits; p-values as
        :func:`_format_p` writes them (one significant digit below 0.001, two above,
        ``p < 1e-300`` for an underflow).

        Examples
        --------
        >>> print(compare([1, 2, 3], [2, 2, 5], names=("x", "y")).summary())
        ... # doctest: +NORMALIZE_WHITESPACE
        not settled: x better on 2 of 3 splits (1 tie, 0 worse); mean difference -1,
        95% t-interval [-3.484, 1.484]; sign test p = 0.50, paired t p = 0.23
        """
        a, b = self.names
        verdict = self.verdict
        wins, losses, sign = self.wins, self.losses, 1.0
        if verdict == f"{b} better":
            a, b, wins, losses, sign = b, a, losses, wins, -1.0
        low, high = sorted((sign * self.interval[0], sign * self.interval[1]))
        head = (
            f"{a} better than {b}" if verdict != NOT_SETTLED else f"{NOT_SETTLED}: {a} better"
        )
        percent = f"{self.confidence * 100:.10g}%"
        return (
            f"{head} on {wins} of {self.n} splits ({_count(self.ties, 'tie')}, {losses} worse); "
            f"mean difference {_format_difference(sign * self.mean_difference)}, "
            f"{percent} t-interval [{_format_difference(low)}, {_format_difference(high)}]; "
            f"sign test p {_format_p(self.sign_p)}, paired t p {_format_p(self.t_p)}"
        )

    def claim(self, label: str, expect: str) -> str:
        """The claim line for a sentence that asserts the verdict ``expect``.

        ``expect`` is the verdict the prose states, ``"A better"`` or ``"not settled"``;
        the line says ``holds`` when it is this comparison's verdict. See :func:`claim_line`.

        Raises
        ------
        ValueError
            If ``expect`` is not one of the three verdicts this comparison can have, or the
            label is not lowercase words joined by hyphens.

        Examples
        --------
        >>> result = compare([1, 2, 3], [2, 2, 5], names=("x", "y"))
        >>> result.claim("x-wins", expect="x better")[:29]
        'claim x-wins: DOES NOT HOLD: '
        """
        a, b = self.names
        if not isinstance(expect, str):
            raise TypeError(f"expect must be a string, got {type(expect).__name__} {expect!r}")
        possible = (f"{a} better", f"{b} better", NOT_SETTLED)
        if expect not in possible:
            raise ValueError(f"expect must be one of {list(possible)}, got {expect!r}")
        return claim_line(label, self.verdict == expect, self.summary())


def claim_line(label: str, holds: bool, detail: str) -> str:
    """``"claim LABEL: holds: DETAIL"`` or ``"claim LABEL: DOES NOT HOLD: DETAIL"``.

    A notebook prints this line after the sentence that makes the claim, and the book's
    tests look for it in the stored outputs: a label that the markdown carries must be
    printed, and printed as holding.

    Raises
    ------
    ValueError
        If ``label`` is not lowercase words (a letter, then letters or digits) joined by
        single hyphens, or ``detail`` is empty or spans more than one line.
    TypeError
        If ``holds`` is not a boolean, or ``label`` or ``detail`` not a string.

    Examples
    --------
    >>> claim_line("softmax-twice-slower", True, "19 of 20 splits")
    'claim softmax-twice-slower: holds: 19 of 20 splits'
    """
    if not isinstance(label, str):
        raise TypeError(f"label must be a string, got {type(label).__name__} {label!r}")
    if not _LABEL.fullmatch(label):
        raise ValueError(
            f"label must be lowercase words joined by hyphens (such as 'ce-faster'), "
            f"got {label!r}"
        )
    flag = check_flag(holds, "holds")
    if not isinstance(detail, str):
        raise TypeError(f"detail must be a string, got {type(detail).__name__} {detail!r}")
    if not detail.strip() or "\n" in detail or "\r" in detail:
        raise ValueError(f"detail must be one non-empty line, got {detail!r}")
    return f"claim {label}: {'holds' if flag else 'DOES NOT HOLD'}: {detail}"


def _check_names(names: object) -> tuple[str, str]:
    if (
        not isinstance(names, (tuple, list))
        or len(names) != 2
        or not all(isinstance(name, str) for name in names)
    ):
        raise TypeError(f"names must be a pair of strings, got {names!r}")
    a, b = names
    if not a.strip() or not b.strip() or a == b or any("\n" in name for name in names):
        raise ValueError(f"names must be two different non-empty one-line names, got {names!r}")
    return a, b


def _scores(value: ArrayLike, name: str) -> FloatArray:
    scores = as_finite_array(value, name, min_ndim=1)
    if scores.ndim != 1:
        raise ValueError(f"{name} must be one score per split (1-D), got shape {scores.shape}")
    if scores.size < 2:
        raise ValueError(f"{name} has {scores.size} split; a comparison needs at least 2")
    return scores


def compare(
    a: ArrayLike,
    b: ArrayLike,
    *,
    names: tuple[str, str] = ("A", "B"),
    lower_is_better: bool = True,
    confidence: float = 0.95,
    alpha: float = 0.05,
) -> Comparison:
    r"""Compare two methods scored on the same ``n`` splits: wins, an interval, tests, a verdict.

    With the paired differences :math:`d_i = a_i - b_i`, mean :math:`\bar d` and sample
    standard deviation :math:`s`:

    * wins, ties and losses count :math:`d_i < 0`, :math:`d_i = 0`, :math:`d_i > 0` (the
      other way round with ``lower_is_better=False``), exact comparisons of the floats;
    * the interval is the paired t interval
      :math:`\bar d \pm t_{(1+c)/2,\,n-1}\, s / \sqrt n` at confidence :math:`c`
      (``scipy.stats.ttest_1samp(d, 0).confidence_interval(c)``), and ``t_p`` the
      two-sided p-value of that t test;
    * ``sign_p`` is the two-sided exact binomial test of wins against losses at 1/2, ties
      dropped (``scipy.stats.binomtest``);
    * ``wilcoxon_p`` is the two-sided Wilcoxon signed-rank test of the differences, zeros
      dropped (``scipy.stats.wilcoxon``).

    The verdict (:attr:`Comparison.verdict`) is ``"A better"`` only when ``sign_p < alpha``,
    ``t_p < alpha`` and the interval excludes 0, all on ``A``'s side (likewise for ``B``);
    otherwise ``"not settled"``.

    Conventions at the edges: when every split is a tie, ``sign_p``, ``t_p`` and
    ``wilcoxon_p`` are 1 and the interval is ``(0, 0)``. When the differences are all the
    same non-zero number (to within 1e-12 of their size, where the t statistic is
    infinite and SciPy's would lose its precision), the interval is that number twice and
    ``t_p`` is 0.

    Raises
    ------
    ValueError
        If ``a`` or ``b`` is not 1-D, has fewer than 2 splits, holds NaN or infinity, or
        their lengths differ; if ``confidence`` or ``alpha`` is not strictly between 0 and 1.
    TypeError
        If the scores are not numeric, ``names`` is not a pair of strings, or
        ``lower_is_better`` is not a boolean.

    Examples
    --------
    >>> result = compare([0.20, 0.25, 0.30, 0.22], [0.30, 0.31, 0.33, 0.29], names=("ce", "se"))
    >>> result.wins, result.ties, result.losses, round(result.mean_difference, 4)
    (4, 0, 0, -0.065)
    >>> result.verdict  # 4 of 4 wins: the sign test cannot go below p = 1/8
    'not settled'
    """
    first = _scores(a, "a")
    second = _scores(b, "b")
    check_same_shape(first, second, "a", "b")
    pair = _check_names(names)
    lower = check_flag(lower_is_better, "lower_is_better")
    confidence = check_real(confidence, "confidence", low=0.0, high=1.0, low_open=True)
    if confidence == 1.0:
        raise ValueError("confidence must be a finite number in (0, 1), got 1")
    alpha = check_real(alpha, "alpha", low=0.0, high=1.0, low_open=True)
    if alpha == 1.0:
        raise ValueError("alpha must be a finite number in (0, 1), got 1")

    from scipy import stats  # type: ignore[import-untyped,unused-ignore]

    with np.errstate(over="ignore"):
        d = first - second
    if not np.isfinite(d).all():
        raise ValueError("a - b overflows: the scores are too large to subtract")
    better = d < 0.0 if lower else d > 0.0
    worse = d > 0.0 if lower else d < 0.0
    wins, losses = int(better.sum()), int(worse.sum())
    ties = d.size - wins - losses
    mean = float(np.mean(d))

    if wins + losses == 0:
        sign_p = 1.0
    else:
        sign_p = float(stats.binomtest(wins, wins + losses, 0.5).pvalue)

    spread = float(np.max(np.abs(d - mean)))
    if spread <= 1e-12 * abs(mean) or spread == 0.0:  # constant differences (all ties too)
        interval = (mean, mean)
        t_p = 1.0 if mean == 0.0 else 0.0
    else:
        test = stats.ttest_1samp(d, 0.0)
        t_p = float(test.pvalue)
        bounds = test.confidence_interval(confidence_level=confidence)
        interval = (float(bounds.low), float(bounds.high))

    if wins + losses == 0:
        wilcoxon_p = 1.0
    else:
        wilcoxon_p = float(stats.wilcoxon(d).pvalue)

    return Comparison(
        names=pair,
        differences=d,
        lower_is_better=lower,
        n=int(d.size),
        wins=wins,
        ties=ties,
        losses=losses,
        mean_difference=mean,
        interval=interval,
        confidence=confidence,
        sign_p=sign_p,
        t_p=t_p,
        wilcoxon_p=wilcoxon_p,
        alpha=alpha,
    )


def _labels(y: ArrayLike) -> NDArray[np.generic]:
    if y is None or isinstance(y, (str, bytes)):
        raise TypeError(f"y must be an array of class labels, got {type(y).__name__} {y!r}")
    labels = np.asarray(y)
    if labels.ndim != 1:
        raise ValueError(f"y must be one class label per sample (1-D), got shape {labels.shape}")
    if labels.dtype.kind == "f":
        if not np.isfinite(labels).all() or not (labels == np.round(labels)).all():
            raise ValueError("y must hold class labels; got fractional, NaN or infinite values")
    elif labels.dtype.kind not in "biuUS":
        raise TypeError(f"y must hold integer or string class labels, got dtype {labels.dtype}")
    return labels


def stratified_splits(
    y: ArrayLike, *, n_splits: int, test_fraction: float, seed: int
) -> list[tuple[IntArray, IntArray]]:
    r"""``n_splits`` random train/test splits of the samples, each class split alike.

    For each split and each class (in sorted order) with :math:`n_c` samples, a random
    permutation of that class's indices from ``np.random.default_rng(seed)`` puts the first
    :math:`k_c = \operatorname{round}(f\, n_c)` in the test set and the rest in the
    training set, with :math:`k_c` kept between 1 and :math:`n_c - 1` so that every class is
    in both; ``round`` is Python's (halves to even). Each split's indices are returned
    sorted, as a pair ``(train, test)`` of integer arrays. The same arguments give the same
    splits on every machine; another seed gives other splits.

    Raises
    ------
    ValueError
        If ``y`` is not 1-D, a class has fewer than 2 samples, ``n_splits`` is below 1,
        ``test_fraction`` is not strictly between 0 and 1, or ``seed`` is negative.
    TypeError
        If ``y`` holds no usable labels, or ``n_splits`` or ``seed`` is not an integer.

    Examples
    --------
    >>> [(train.tolist(), test.tolist())
    ...  for train, test in stratified_splits([0, 0, 1, 1], n_splits=1, test_fraction=0.5, seed=0)]
    [([1, 3], [0, 2])]
    """
    labels = _labels(y)
    n_splits = check_integer(n_splits, "n_splits", low=1)
    fraction = check_real(test_fraction, "test_fraction", low=0.0, high=1.0, low_open=True)
    if fraction == 1.0:
        raise ValueError("test_fraction must be a finite number in (0, 1), got 1")
    seed = check_integer(seed, "seed", low=0)
    classes, counts = np.unique(labels, return_counts=True)
    if (counts < 2).any():
        lonely = classes[counts < 2][:3].tolist()
        raise ValueError(
            f"y has classes with a single sample ({lonely}); each class needs at least 2, "
            "one for training and one for testing"
        )
    members = [np.flatnonzero(labels == value) for value in classes]
    sizes = [min(max(round(fraction * len(m)), 1), len(m) - 1) for m in members]
    rng = np.random.default_rng(seed)
    splits = []
    for _ in range(n_splits):
        train, test = [], []
        for indices, size in zip(members, sizes):
            shuffled = rng.permutation(indices)
            test.append(shuffled[:size])
            train.append(shuffled[size:])
        splits.append((np.sort(np.concatenate(train)), np.sort(np.concatenate(test))))
    return splits
