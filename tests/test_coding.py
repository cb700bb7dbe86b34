"""xent.coding: the range coder, its bound, Huffman codes and the prequential models.

Expected values come from elsewhere: code lengths from mpmath at 50 digits, file sizes from
an independent coder (constriction's range coder), model predictions from a plain-Python
recount of the data with exact fractions, Huffman codes worked out by hand.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from fractions import Fraction

import constriction
import mpmath
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.stats import entropy as scipy_entropy

from xent import coding
from xent.coding import (
    BlendModel,
    ContextModel,
    UniformModel,
    code_length_bound,
    decode,
    decode_prequential,
    encode,
    encode_prequential,
    huffman_code,
    huffman_code_lengths,
    huffman_expected_length,
    ideal_code_length,
    quantize,
)

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEADER_AND_FLUSH_BITS = 64


def exact_ideal_bits(q: np.ndarray) -> mpmath.mpf:
    """sum -log2 q at 50 digits, from the floats' exact values."""
    with mpmath.workdps(50):
        return mpmath.fsum(-mpmath.log(mpmath.mpf(float(v)), 2) for v in q)


def exact_per_symbol_bits(alphabet_size: int, precision: int) -> mpmath.mpf:
    """The bound's per-symbol term, written out again at 50 digits."""
    with mpmath.workdps(50):
        total = mpmath.mpf(2) ** precision
        bottom = mpmath.mpf(2) ** 56
        return mpmath.log(total / (total - alphabet_size - 1), 2) + mpmath.log(
            bottom / (bottom - total), 2
        )


def payload_bits(stream: bytes, n: int) -> int:
    header = max(1, math.ceil(n.bit_length() / 7)) + 4
    return 8 * (len(stream) - header)


@st.composite
def tables(draw: st.DrawFn, max_n: int = 40, max_k: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """Symbols and a table of distributions, some with zeros and tiny probabilities, in which
    each symbol's own probability is positive."""
    n = draw(st.integers(1, max_n))
    k = draw(st.integers(2, max_k))
    weights = draw(
        st.lists(
            st.lists(
                st.one_of(st.just(0.0), st.floats(1e-12, 1.0), st.sampled_from([1e-300, 2.0**-40])),
                min_size=k,
                max_size=k,
            ),
            min_size=n,
            max_size=n,
        )
    )
    table = np.array(weights)
    symbols = np.array([draw(st.integers(0, k - 1)) for _ in range(n)])
    rows = np.arange(n)
    table[rows, symbols] = np.maximum(table[rows, symbols], draw(st.sampled_from([1e-15, 0.3])))
    return symbols, table / table.sum(axis=1, keepdims=True)


# --- round trips ------------------------------------------------------------------------------


@FAST
@given(tables(), st.sampled_from([8, 16, 32]))
def test_any_table_round_trips(case: tuple[np.ndarray, np.ndarray], precision: int) -> None:
    symbols, table = case
    stream = encode(symbols, table, precision=precision)
    assert decode(stream, table, precision=precision).tolist() == symbols.tolist()


MODELS = [UniformModel(), ContextModel(order=0), ContextModel(order=2), BlendModel(max_order=3)]


@FAST
@given(st.binary(max_size=120), st.sampled_from(MODELS))
def test_any_byte_string_round_trips_under_each_model(data: bytes, model: object) -> None:
    stream = encode_prequential(data, model)
    assert bytes(decode_prequential(stream, model).tolist()) == data


@FAST
@given(st.lists(st.integers(0, 4), max_size=60), st.integers(0, 3), st.sampled_from([0.5, 1.0]))
def test_small_alphabets_and_coarse_precision_round_trip(
    symbols: list[int], order: int, b: float
) -> None:
    for model in (ContextModel(order=order, alphabet_size=5), BlendModel(order, 5, b=b)):
        stream = encode_prequential(symbols, model, precision=4)
        assert decode_prequential(stream, model, precision=4).tolist() == symbols


def test_a_symbol_below_the_precision_limit_round_trips_and_costs_at_most_its_count() -> None:
    """A probability of 1e-30 is far below 1/2**16: it still gets a count of 1."""
    table = np.array([[1 - 1e-30, 1e-30]] * 3)
    symbols = np.array([0, 1, 0])
    stream = encode(symbols, table, precision=16)
    assert decode(stream, table, precision=16).tolist() == [0, 1, 0]
    cumulative = quantize(table[0], precision=16)
    assert np.diff(cumulative).tolist() == [2**16 - 1, 1]


def test_one_distribution_for_every_symbol() -> None:
    q = np.array([0.7, 0.2, 0.1])
    symbols = np.array([0, 0, 1, 2, 0, 0, 0, 1])
    stream = encode(symbols, q)
    assert stream == encode(symbols, np.tile(q, (len(symbols), 1)))
    assert decode(stream, q).tolist() == symbols.tolist()


def test_the_empty_sequence() -> None:
    stream = encode_prequential(b"", BlendModel())
    assert decode_prequential(stream, BlendModel()).tolist() == []
    assert len(stream) == 1 + 4 + 8


# --- the bound, against exact code lengths and against another coder ----------------------------


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(max_n=40), st.sampled_from([12, 16, 32]))
def test_the_length_is_within_the_stated_bound_of_the_exact_ideal(
    case: tuple[np.ndarray, np.ndarray], precision: int
) -> None:
    symbols, table = case
    k = table.shape[1]
    stream = encode(symbols, table, precision=precision)
    q = table[np.arange(len(symbols)), symbols]
    with mpmath.workdps(50):
        bound = (
            exact_ideal_bits(q)
            + len(symbols) * exact_per_symbol_bits(k, precision)
            + HEADER_AND_FLUSH_BITS
        )
        assert payload_bits(stream, len(symbols)) <= bound
    assert len(stream) <= code_length_bound(
        ideal_code_length(q), len(symbols), k, precision=precision
    ) + 1e-9


def test_a_text_costs_its_ideal_length_and_a_few_bytes() -> None:
    text = b"the quick brown fox jumps over the lazy dog; " * 20
    for model in MODELS:
        ideal = exact_ideal_bits(model.probabilities(text))
        stream = encode_prequential(text, model)
        payload = payload_bits(stream, len(text))
        # Above the ideal by at most the 8 flush bytes and the per-symbol term ...
        assert payload <= ideal + len(text) * exact_per_symbol_bits(256, 32) + 64
        # ... and not far below it: a probability under 2**-32 is never rounded up here.
        assert payload >= ideal - 1


def constriction_bits(symbols: np.ndarray, table: np.ndarray) -> int:
    encoder = constriction.stream.queue.RangeEncoder()
    model = constriction.stream.model.Categorical(perfect=False)
    encoder.encode(symbols.astype(np.int32), model, table.astype(np.float64))
    return int(encoder.num_bits())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_same_length_as_constriction_on_the_same_model(seed: int) -> None:
    """constriction's range coder (24-bit probabilities, 32-bit words) is independent of ours.

    Both are bounded by the ideal length: ours within 64 bits and 1e-7 bits a symbol above it;
    constriction's within about 2**-8 bits a symbol (its 24-bit probabilities in a range of at
    least 2**32) and its final two words. Lengths are compared within the sum of the two
    allowances."""
    rng = np.random.default_rng(seed)
    n, k = 3000, 40
    table = rng.dirichlet(np.full(k, 0.3), size=n)
    draws = rng.random((n, 1))
    symbols = np.minimum((np.cumsum(table, axis=1) < draws).sum(axis=1), k - 1)
    q = table[np.arange(n), symbols]
    ideal = float(exact_ideal_bits(q))
    ours = payload_bits(encode(symbols, table), n)
    theirs = constriction_bits(symbols, table)
    assert abs(ours - ideal) <= 64 + n * 1e-7
    tolerance = 64 + 64 + n * math.log2(1 / (1 - 2.0**-8)) + n * math.log2(1 / (1 - k / 2**24))
    assert abs(ours - theirs) <= tolerance
    assert abs(theirs - ideal) <= tolerance


def test_the_same_length_as_constriction_for_an_adaptive_model_on_text() -> None:
    text = b"abracadabra, said the magician; abracadabra, said the crowd. " * 20
    model = ContextModel(order=2)
    probabilities = np.array(
        [_row_from_cdf(row) for row in _cdf_rows(model, text)]
    )
    theirs = constriction_bits(np.frombuffer(text, np.uint8).astype(np.int64), probabilities)
    ours = payload_bits(encode_prequential(text, model), len(text))
    assert abs(ours - theirs) <= 128 + len(text) * 0.006


def _cdf_rows(model: object, data: bytes) -> list[np.ndarray]:
    predictor = model.predictor()
    rows = []
    for symbol in data:
        rows.append(predictor.cdf().copy())
        predictor.update(symbol)
    return rows


def _row_from_cdf(cdf: np.ndarray) -> np.ndarray:
    return np.diff(cdf)


# --- quantisation --------------------------------------------------------------------------


@FAST
@given(tables(max_n=5, max_k=30), st.sampled_from([8, 12, 16, 32]))
def test_quantised_frequencies(case: tuple[np.ndarray, np.ndarray], precision: int) -> None:
    _, table = case
    cumulative = quantize(table, precision=precision)
    freqs = np.diff(cumulative, axis=1)
    total = 2**precision
    assert (cumulative[:, 0] == 0).all() and (cumulative[:, -1] == total).all()
    assert ((freqs >= 1) == (table > 0)).all()
    m = (table > 0).sum(axis=1, keepdims=True)
    exact = [[Fraction(float(v)) for v in row] for row in table]
    for row, frow, mrow in zip(exact, freqs, m[:, 0]):
        for value, f in zip(row, frow):
            if value > 0:  # f(s) > q(s) (T - m), up to rounding of C
                assert f >= value * (total - mrow) * (1 - Fraction(1, 10**9))


# --- the models, against plain-Python recounts ---------------------------------------------------


def context(data: bytes, i: int, order: int, k: int = 256) -> tuple[int, ...]:
    """The ``order`` symbols before position ``i``, with ``k`` standing for "before the start"."""
    padded = [k] * order + list(data)
    return tuple(padded[i : i + order])


def kt_by_hand(data: bytes, order: int, k: int = 256, alpha: Fraction = Fraction(1, 2)) -> list:
    counts: dict[tuple[int, ...], Counter] = {}
    result = []
    for i, symbol in enumerate(data):
        seen = counts.setdefault(context(data, i, order), Counter())
        result.append((seen[symbol] + alpha) / (sum(seen.values()) + alpha * k))
        seen[symbol] += 1
    return result


def blend_by_hand(data: bytes, max_order: int, a: Fraction, b: Fraction, k: int = 256) -> list:
    counts: list[dict] = [{} for _ in range(max_order + 1)]
    result = []
    for i, symbol in enumerate(data):
        q = Fraction(1, k)
        for order in range(max_order + 1):
            seen = counts[order].get(context(data, i, order))
            if seen:
                n, u = sum(seen.values()), len(seen)
                q = (seen[symbol] + (a * u + b) * q) / (n + a * u + b)
        for order in range(max_order + 1):
            counts[order].setdefault(context(data, i, order), Counter())[symbol] += 1
        result.append(q)
    return result


TEXT = b"she sells sea shells by the sea shore; the shells she sells are sea shells. "


@pytest.mark.parametrize("order", [0, 1, 3])
def test_context_model_is_the_kt_estimate_of_a_recount(order: int) -> None:
    expected = [float(v) for v in kt_by_hand(TEXT, order)]
    np.testing.assert_allclose(ContextModel(order=order).probabilities(TEXT), expected, rtol=1e-14)


@pytest.mark.parametrize(("max_order", "a", "b"), [(0, 1, 0), (2, 1, 0), (3, 4, 2)])
def test_blend_model_is_the_recursion_on_a_recount(max_order: int, a: int, b: int) -> None:
    expected = [float(v) for v in blend_by_hand(TEXT, max_order, Fraction(a), Fraction(b))]
    model = BlendModel(max_order=max_order, a=float(a), b=float(b))
    np.testing.assert_allclose(model.probabilities(TEXT), expected, rtol=1e-13)


def test_uniform_model_costs_eight_bits_a_byte() -> None:
    assert ideal_code_length(UniformModel().probabilities(TEXT)) == 8 * len(TEXT)


@pytest.mark.parametrize("model", MODELS + [ContextModel(order=1, alphabet_size=7)])
def test_all_at_once_and_step_by_step_predictions_are_the_same_floats(model: object) -> None:
    """The encoder's vectorised predictions and the decoder's one-step ones must agree to the
    last bit, or the decoder would lose its way."""
    rng = np.random.default_rng(5)
    k = model.alphabet_size
    data = rng.choice(min(k, 6), size=300).tolist() if k < 256 else list(TEXT * 3)
    low, high = model.cdf_bounds(data)
    rows = _cdf_rows(model, bytes(data) if k == 256 else data)
    assert [row[s] for row, s in zip(rows, data)] == low.tolist()
    assert [row[s + 1] for row, s in zip(rows, data)] == high.tolist()
    assert all(row[0] == 0.0 and row[-1] == 1.0 for row in rows)
    np.testing.assert_allclose(high - low, model.probabilities(data), rtol=1e-12)


# --- Huffman codes, by hand ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "lengths"),
    [
        ([0.5, 0.25, 0.125, 0.125], [1, 2, 3, 3]),
        ([0.4, 0.3, 0.2, 0.1], [1, 2, 3, 3]),  # 0.1+0.2, then 0.3+0.3, then 0.4+0.6
        ([0.25, 0.25, 0.25, 0.25], [2, 2, 2, 2]),
        ([0.9, 0.1], [1, 1]),
        ([0.0, 1.0, 0.0], [0, 0, 0]),  # one possible outcome: nothing to send
        ([0.6, 0.0, 0.4], [1, 0, 1]),
    ],
)
def test_huffman_code_lengths_by_hand(p: list[float], lengths: list[int]) -> None:
    assert huffman_code_lengths(p).tolist() == lengths


def test_huffman_expected_length_by_hand() -> None:
    assert huffman_expected_length([0.4, 0.3, 0.2, 0.1]) == pytest.approx(1.9)  # .4+.6+.6+.3
    # A skewed coin: a whole bit per toss, for 0.0808 bits of information.
    assert huffman_expected_length([0.99, 0.01]) == 1.0
    assert scipy_entropy([0.99, 0.01], base=2) == pytest.approx(0.080793, abs=1e-6)


def test_huffman_codewords_are_a_prefix_code_of_those_lengths() -> None:
    p = [0.05, 0.3, 0.1, 0.2, 0.35]
    words = huffman_code(p)
    assert [len(w) for w in words] == huffman_code_lengths(p).tolist()
    assert not any(a != b and b.startswith(a) for a in words for b in words)
    assert huffman_code([0.5, 0.25, 0.125, 0.125]) == ["0", "10", "110", "111"]


@FAST
@given(st.lists(st.floats(1e-6, 1.0), min_size=2, max_size=30))
def test_huffman_is_within_one_bit_of_the_entropy(weights: list[float]) -> None:
    p = np.array(weights) / np.sum(weights)
    lengths = huffman_code_lengths(p)
    h = scipy_entropy(p, base=2)
    expected_length = float(np.dot(p, lengths))
    assert h - 1e-9 <= expected_length < h + 1
    assert sum(Fraction(1, 2 ** int(n)) for n in lengths) == 1  # a full binary tree


# --- helpers ----------------------------------------------------------------------------------


def test_units() -> None:
    q = np.array([0.5, 0.25, 0.125, 0.125])
    assert coding.ideal_code_length(q) == 9.0
    assert coding.bits_per_symbol(q) == 2.25
    assert coding.perplexity(q) == pytest.approx(math.exp(-np.mean(np.log(q))))
    assert coding.bits_per_byte(9.0, 3) == 3.0
    # 1000 tokens at 1.3863 nats (2 bits) each over 4000 bytes: 0.5 bits per byte.
    assert coding.nats_per_token_to_bits_per_byte(2 * math.log(2), 1000, 4000) == pytest.approx(0.5)
    assert coding.bits_per_byte_to_nats_per_token(0.5, 4000, 1000) == pytest.approx(2 * math.log(2))


def test_code_length_bound_written_out() -> None:
    n, k, precision = 1000, 256, 16
    per_symbol = math.log2(2**16 / (2**16 - 257)) + math.log2(2**56 / (2**56 - 2**16))
    expected = (123.0 + n * per_symbol + 64) / 8 + 2 + 4  # 1000 needs a 2-byte varint
    assert code_length_bound(123.0, n, k, precision=precision) == pytest.approx(expected)


# --- bad input: errors, never a wrong decode -----------------------------------------------


def test_a_model_that_rules_out_what_happens_cannot_code_it() -> None:
    message = r"probabilities gives symbol 2 at position 1 probability 0"
    with pytest.raises(ValueError, match=message):
        encode([0, 2], [[0.5, 0.5, 0.0], [0.5, 0.5, 0.0]])
    with pytest.raises(ValueError, match="probability 0"):
        ideal_code_length([0.5, 0.0])


def test_probabilities_that_do_not_sum_to_one() -> None:
    with pytest.raises(ValueError, match="probabilities must sum to 1"):
        encode([0, 1], [[0.5, 0.6], [0.5, 0.5]])
    with pytest.raises(ValueError, match="probabilities has values outside"):
        encode([0], [[1.5, -0.5]])


def test_other_bad_arguments() -> None:
    with pytest.raises(TypeError, match="symbols must be integers or bytes"):
        encode("text", [[1.0]])
    with pytest.raises(ValueError, match="symbols holds 3, outside the alphabet"):
        encode([3], [[0.5, 0.5]])
    with pytest.raises(ValueError, match="probabilities must be one distribution, or one row"):
        encode([0, 1, 1], [[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(ValueError, match="precision must leave room for 256 symbols"):
        encode_prequential(b"a", UniformModel(), precision=8)
    with pytest.raises(TypeError, match="stream must be bytes"):
        decode("abc", [0.5, 0.5])
    with pytest.raises(TypeError, match="model must be"):
        encode_prequential(b"a", [0.5, 0.5])


STREAM_TEXT = b"In the beginning was the Word, and the Word was with God. "
BYTE_FREQUENCIES = (np.bincount(np.frombuffer(STREAM_TEXT, np.uint8), minlength=256) + 0.01) / (
    len(STREAM_TEXT) + 2.56
)


def test_every_truncation_raises() -> None:
    stream = encode(STREAM_TEXT, BYTE_FREQUENCIES)
    for cut in range(len(stream)):
        with pytest.raises(ValueError, match="truncated|corrupted"):
            decode(stream[:cut], BYTE_FREQUENCIES)


def test_every_corrupted_byte_raises_or_changes_nothing() -> None:
    """A changed byte gives an error, or (in the flush's last bytes) the same symbols."""
    stream = encode(STREAM_TEXT, BYTE_FREQUENCIES)
    raised = 0
    for i in range(len(stream)):
        for flip in (0x01, 0x80):
            broken = bytearray(stream)
            broken[i] ^= flip
            try:
                decoded = decode(bytes(broken), BYTE_FREQUENCIES)
            except ValueError as error:
                assert re.search("corrupted|truncated|header", str(error))
                raised += 1
            else:
                assert bytes(decoded.tolist()) == STREAM_TEXT
    assert raised >= len(stream)


def test_extra_bytes_and_a_different_model_are_errors() -> None:
    stream = encode_prequential(STREAM_TEXT, ContextModel(order=1))
    with pytest.raises(ValueError, match="corrupted"):
        decode_prequential(stream + b"\x00", ContextModel(order=1))
    with pytest.raises(ValueError, match="corrupted|truncated"):
        decode_prequential(stream, ContextModel(order=2))
