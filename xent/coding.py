r"""Cross-entropy as a file size: an arithmetic coder, Huffman codes and models of text.

A model that predicts each symbol with probability :math:`q(x_i \mid x_{<i})` can be turned
into a code whose length is, within a few bytes, the model's *ideal code length*

.. math:: L^\ast = \sum_{i=1}^{n} -\log_2 q(x_i \mid x_{<i}) \ \text{bits},

that is :math:`n` times the model's cross-entropy on the data, in bits. This module holds the
pieces that make the statement a measured fact:

* :func:`encode` and :func:`decode`, a range coder (arithmetic coding with integers) that
  codes a sequence of symbols under any sequence of predicted distributions, and
  :func:`encode_prequential` and :func:`decode_prequential`, which do the same with a model
  that learns as it goes;
* :func:`code_length_bound`, the most bytes the coder can use (derived below);
* :func:`huffman_code_lengths` and :func:`huffman_code`, the best code that gives each
  symbol a whole number of bits, for comparison;
* models that predict the next symbol from the ones before it: :class:`UniformModel`,
  :class:`ContextModel` (counts in a context of ``order`` symbols, with the
  Krichevsky–Trofimov add-½ estimator; order 0 is the unigram model) and :class:`BlendModel`
  (orders 0 to ``max_order`` blended as PPM's escape mechanism blends them);
* helpers: :func:`ideal_code_length`, :func:`bits_per_symbol`, :func:`bits_per_byte`,
  :func:`perplexity`, and the conversions :func:`nats_per_token_to_bits_per_byte` and
  :func:`bits_per_byte_to_nats_per_token`.

The coder
---------
The coder keeps an interval ``[low, low + width)`` of 64-bit integers, a window on the binary
fraction that the output spells out. To code a symbol it splits the width in proportion to
integer frequencies :math:`f(s)` that sum to :math:`T = 2^P` (``precision`` :math:`P`, 32 by
default) and keeps the symbol's part:

.. math::

    r = \lfloor \text{width} / T \rfloor, \quad
    \text{low} \mathrel{+}= r\,F(x), \quad \text{width} = r\,f(x),

with :math:`F(x) = \sum_{s < x} f(s)`. Whenever the width falls below :math:`2^{56}` the top
byte of ``low`` is settled: it is written out and the window moves 8 bits to the right. A carry
out of ``low`` is added to the bytes already written. At the end the 8 bytes of ``low`` are
written. The decoder repeats the encoder's arithmetic: it finds the symbol whose part holds the
value the stream spells out. (Python's integers have no fixed width, so a 64-bit state costs
little more than the 32-bit one of coders written in C; a narrower state would need a lower
precision, which costs more, see below.)

The frequencies come from the model's probabilities :math:`q` by rounding its cumulative
distribution :math:`C(s) = \sum_{t < s} q(t)` down, after setting one count aside for each of
the :math:`m` symbols of nonzero probability:

.. math:: F(s) = \lfloor C(s)\,(T - m) \rfloor + \#\{t < s : q(t) > 0\}.

Every symbol of nonzero probability gets :math:`f(s) \ge 1`, a symbol of probability 0 gets
nothing, and :math:`f(s) > q(s)\,(T - m)`.

The bound
---------
Each symbol shrinks the interval by the factor :math:`r f(x) / \text{width}`, which is at least
:math:`\hat q(x)\,(1 - T / 2^{56})` with :math:`\hat q = f / T`, since
:math:`r\,T > \text{width} - T` and the width never falls below :math:`2^{56}`. And
:math:`\hat q(x) > q(x)\,(1 - (m + 1)/T)` (the extra 1 covers the floating-point rounding
of :math:`C`). After :math:`S` bytes of renormalisation the final width, at most
:math:`2^{64}` in the last window, says that
:math:`8S \le \sum_i -\log_2(\text{shrink factor}_i)`; the stream is those :math:`S` bytes and
8 more. So, for :math:`n` symbols from an alphabet of :math:`K`,

.. math::

    8 \times \text{payload bytes} &\le \sum_{i=1}^{n} -\log_2 q(x_i) + 64 \\
    &\quad + n \left[\log_2 \frac{T}{T - K - 1} + \log_2 \frac{2^{56}}{2^{56} - T}\right] .

With :math:`P = 32` and bytes (:math:`K = 256`) the two per-symbol terms are each about
:math:`9 \times 10^{-8}` bits, a bit per ten million symbols: the file is the ideal code length
and a few bytes. (A 32-bit coder with :math:`P = 16`, the classic choice in C, pays about
0.006 bits a symbol for each term.) The rounding can also make a file *shorter* than the ideal:
a symbol the model gives less than :math:`1/T` still gets a count of 1. The stream also starts
with a header, the number of symbols (a varint) and a CRC-32 of the symbols (4 bytes), so that
a truncated or corrupted stream raises an error rather than decoding to something else:
:func:`code_length_bound` adds it.

Prequential models
------------------
Each model predicts symbol :math:`i` from the symbols before it only, then learns it. The code
length is then an honest held-out score (every symbol is scored before the model has seen it,
so there is no train/test leak), and the decoder can rebuild the very same predictions from the
symbols it has decoded so far: the model's parameters never have to be sent.
The models compute all their predictions at once with NumPy (``probabilities``,
``cdf_bounds``) for the encoder, and one step at a time (``predictor()``) for the decoder; the
two give the same floating-point numbers, bit for bit, and the tests check it.
"""

from __future__ import annotations

import bisect
import heapq
import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from xent.validation import as_distribution, as_probabilities, check_integer, check_real

__all__ = [
    "PRECISION",
    "BlendModel",
    "ContextModel",
    "Predictor",
    "UniformModel",
    "bits_per_byte",
    "bits_per_byte_to_nats_per_token",
    "bits_per_symbol",
    "code_length_bound",
    "decode",
    "decode_prequential",
    "encode",
    "encode_prequential",
    "huffman_code",
    "huffman_code_lengths",
    "huffman_expected_length",
    "ideal_code_length",
    "nats_per_token_to_bits_per_byte",
    "perplexity",
    "quantize",
]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

STATE_BITS = 64
"""The width of the coder's interval, in bits."""
TOP = 1 << STATE_BITS
"""The full width of the window, :math:`2^{32}`."""
BOTTOM = 1 << (STATE_BITS - 8)
"""Below this width the top byte of ``low`` is settled and written out."""
SHIFT = STATE_BITS - 8
LOW_BYTES = BOTTOM - 1
PRECISION = 32
"""The default number of bits :math:`P` of the integer frequencies, which sum to :math:`2^P`."""
MAX_PRECISION = 32
"""The largest precision: float64 cumulative probabilities are exact enough up to 32 bits."""
CHECKSUM_BYTES = 4
"""A CRC-32 of the symbols, stored after the symbol count."""


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------


def _check_precision(precision: object, alphabet_size: int) -> int:
    precision = check_integer(precision, "precision", low=1, high=MAX_PRECISION)
    if alphabet_size + 1 >= 1 << precision:
        raise ValueError(
            f"precision must leave room for {alphabet_size} symbols: 2**precision must exceed "
            f"{alphabet_size + 1}, got precision={precision}"
        )
    return precision


def _as_symbols(symbols: ArrayLike | bytes, name: str = "symbols") -> IntArray:
    """``symbols`` as a 1-d int64 array of non-negative integers (bytes are read as bytes)."""
    if isinstance(symbols, (bytes, bytearray, memoryview)):
        return np.frombuffer(bytes(symbols), dtype=np.uint8).astype(np.int64)
    if isinstance(symbols, str) or symbols is None:
        raise TypeError(
            f"{name} must be integers or bytes, got {type(symbols).__name__}; "
            "encode text first, for example text.encode('utf-8')"
        )
    array = np.asarray(symbols)
    if array.size == 0 and array.dtype.kind == "f":  # [] is an empty float array
        array = array.astype(np.int64)
    if array.dtype.kind == "f" and array.size and np.all(np.isfinite(array)):
        if np.all(array == np.round(array)):
            array = array.astype(np.int64)
    if array.dtype.kind not in "iub":
        raise TypeError(f"{name} must be integers, got an array of {array.dtype}")
    if array.dtype.kind == "b":
        raise TypeError(f"{name} must be integers, got booleans")
    if array.ndim != 1:
        raise ValueError(f"{name} must be one sequence (1-d), got shape {array.shape}")
    array = array.astype(np.int64)
    if array.size and array.min() < 0:
        raise ValueError(f"{name} must be non-negative, got {int(array.min())}")
    return array


def _check_in_alphabet(symbols: IntArray, alphabet_size: int, name: str = "symbols") -> None:
    if symbols.size and symbols.max() >= alphabet_size:
        raise ValueError(
            f"{name} holds {int(symbols.max())}, outside the alphabet 0..{alphabet_size - 1}"
        )


def _as_stream(stream: object) -> bytes:
    if not isinstance(stream, (bytes, bytearray, memoryview)):
        raise TypeError(f"stream must be bytes, got {type(stream).__name__}")
    return bytes(stream)


# --------------------------------------------------------------------------------------------
# Quantisation: probabilities to integer frequencies
# --------------------------------------------------------------------------------------------


def _quantized(cdf: FloatArray, below: ArrayLike, support: ArrayLike, total: int) -> IntArray:
    """:math:`F = \\lfloor C\\,(T - m) \\rfloor + \\text{below}`, elementwise."""
    scaled = np.floor(cdf * (total - np.asarray(support))).astype(np.int64)
    return scaled + np.asarray(below, dtype=np.int64)


def quantize(probabilities: ArrayLike, *, precision: int = PRECISION) -> IntArray:
    r"""Integer cumulative frequencies for each distribution in ``probabilities``.

    .. math::

        F(s) = \lfloor C(s)\,(2^P - m) \rfloor + \#\{t < s : q(t) > 0\}, \qquad
        C(s) = \sum_{t < s} q(t),

    with :math:`m` the number of symbols of nonzero probability. The frequency of symbol
    :math:`s` is :math:`f(s) = F(s + 1) - F(s)`: at least 1 when :math:`q(s) > 0`, 0 when
    :math:`q(s) = 0`, more than :math:`q(s)\,(2^P - m)`; the frequencies sum to :math:`2^P`.

    Parameters
    ----------
    probabilities
        One distribution over :math:`K` symbols, or an array of shape ``(n, K)``, one per row;
        each sums to one.
    precision
        :math:`P`, the number of bits of the frequencies; :math:`2^P` must exceed
        :math:`K + 1`.

    Returns
    -------
    ndarray of int64
        :math:`F(0), \dots, F(K)` along the last axis, from 0 to :math:`2^P`.

    Raises
    ------
    ValueError
        If ``probabilities`` is not a distribution along its last axis (values outside
        [0, 1], rows that do not sum to one), or ``precision`` is out of range.

    Examples
    --------
    >>> quantize([0.5, 0.25, 0.25, 0.0], precision=4)
    array([ 0,  7, 11, 16, 16])
    """
    table, _ = as_distribution(probabilities, "probabilities")
    alphabet_size = table.shape[-1]
    precision = _check_precision(precision, alphabet_size)
    total = 1 << precision
    zeros = np.zeros(table.shape[:-1] + (1,))
    cumulative = np.concatenate([zeros, np.cumsum(table, axis=-1)], axis=-1)
    cdf = cumulative / cumulative[..., -1:]  # exactly 1 at the end
    nonzero = table > 0
    below = np.concatenate([zeros.astype(np.int64), np.cumsum(nonzero, axis=-1)], axis=-1)
    support = below[..., -1:]
    return _quantized(cdf, below, support, total)


# --------------------------------------------------------------------------------------------
# The range coder
# --------------------------------------------------------------------------------------------


def _range_encode(starts: Sequence[int], freqs: Sequence[int], precision: int) -> bytes:
    """The payload for symbols whose parts are ``[start, start + freq)`` out of ``2**precision``."""
    out = bytearray()
    low, width = 0, TOP  # the interval [low, low + width) in the current 64-bit window
    for start, freq in zip(starts, freqs):
        step = width >> precision
        low += step * start
        width = step * freq
        if low >= TOP:  # a carry: add 1 to the bytes already written
            low -= TOP
            i = len(out) - 1
            while out[i] == 0xFF:
                out[i] = 0
                i -= 1
            out[i] += 1
        while width < BOTTOM:  # the top byte of low is settled: write it, move the window
            out.append(low >> SHIFT)
            low = (low & LOW_BYTES) << 8
            width <<= 8
    for _ in range(STATE_BITS // 8):  # the last window: any value in [low, low + width) will do
        out.append(low >> SHIFT)
        low = (low & LOW_BYTES) << 8
    return bytes(out)


class _Reader:
    """The decoder's side: the value the stream spells out, seen through the same window."""

    def __init__(self, payload: bytes, precision: int) -> None:
        if len(payload) < STATE_BITS // 8:
            raise ValueError(
                f"stream is truncated: its payload has {len(payload)} bytes, fewer than "
                f"{STATE_BITS // 8}"
            )
        self.payload = payload
        self.precision = precision
        self.position = STATE_BITS // 8
        self.code = int.from_bytes(payload[: self.position], "big")  # value - low, in the window
        self.width = TOP
        self.step = 0

    def target(self) -> int:
        """Which frequency count the value falls in, in ``[0, 2**precision)``."""
        self.step = self.width >> self.precision
        target = self.code // self.step
        if target >> self.precision:
            raise ValueError("stream is corrupted: it points outside every symbol's interval")
        return target

    def consume(self, start: int, freq: int) -> None:
        """Narrow to the decoded symbol's part and read bytes as the encoder wrote them."""
        self.code -= self.step * start
        self.width = self.step * freq
        payload = self.payload
        while self.width < BOTTOM:
            if self.position >= len(payload):
                raise ValueError("stream is truncated: the decoder ran past its end")
            self.code = (self.code << 8) | payload[self.position]
            self.position += 1
            self.width <<= 8

    def finish(self) -> None:
        if self.position != len(self.payload):
            raise ValueError(
                f"stream is corrupted: {len(self.payload) - self.position} bytes follow the "
                "end of the coded symbols"
            )


def _header(symbols: IntArray) -> bytes:
    """The symbol count as a varint (7 bits a byte), then a CRC-32 of the symbols."""
    n, count = len(symbols), bytearray()
    while True:
        count.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            break
    return bytes(count) + _checksum(symbols).to_bytes(CHECKSUM_BYTES, "big")


def _checksum(symbols: IntArray) -> int:
    return zlib.crc32(symbols.astype("<u4").tobytes())


def _read_header(stream: bytes) -> tuple[int, int, bytes]:
    n, shift, i = 0, 0, 0
    while True:
        if i >= len(stream) or i > 9:
            raise ValueError("stream is truncated or corrupted: it has no valid length header")
        byte = stream[i]
        n |= (byte & 0x7F) << shift
        shift += 7
        i += 1
        if not byte & 0x80:
            break
    if len(stream) < i + CHECKSUM_BYTES:
        raise ValueError("stream is truncated: its header is incomplete")
    checksum = int.from_bytes(stream[i : i + CHECKSUM_BYTES], "big")
    return n, checksum, stream[i + CHECKSUM_BYTES :]


def _verified(symbols: IntArray, checksum: int) -> IntArray:
    if _checksum(symbols) != checksum:
        raise ValueError(
            "stream is corrupted, or decoded with other probabilities than it was encoded "
            "with: the decoded symbols fail the checksum"
        )
    return symbols


def _check_actual_symbols_possible(freqs: IntArray, symbols: IntArray, name: str) -> None:
    impossible = np.flatnonzero(freqs <= 0)
    if impossible.size:
        i = int(impossible[0])
        raise ValueError(
            f"{name} gives symbol {int(symbols[i])} at position {i} probability 0, but it "
            "occurs: a code built for it has no codeword for that symbol (its code length "
            "is infinite); give every possible symbol some probability"
        )


def _check_rows(cumulative: IntArray, n: int) -> None:
    if cumulative.ndim > 2 or (cumulative.ndim == 2 and cumulative.shape[0] != n):
        shape = cumulative.shape[:-1] + (cumulative.shape[-1] - 1,)
        raise ValueError(
            f"probabilities must be one distribution, or one row per symbol (shape ({n}, K)), "
            f"got shape {shape}"
        )


def encode(
    symbols: ArrayLike | bytes, probabilities: ArrayLike, *, precision: int = PRECISION
) -> bytes:
    r"""Code ``symbols[i]`` with the distribution ``probabilities[i]``, for every ``i``.

    The stream is a header (the count of symbols and a CRC-32 of them) and the range coder's
    payload, at most :func:`code_length_bound` bytes: the ideal code length
    :math:`\sum_i -\log_2 q_i(x_i)` and a little more.

    Parameters
    ----------
    symbols
        ``n`` integers in ``0 .. K-1`` (or a ``bytes`` object, each byte a symbol).
    probabilities
        Shape ``(n, K)``: row ``i`` is the distribution symbol ``i`` is coded with; or shape
        ``(K,)``, one distribution for every symbol. A table takes ``8 n K`` bytes of
        memory; a model that learns as it goes is better coded with
        :func:`encode_prequential`.
    precision
        Bits of the integer frequencies (see :func:`quantize`).

    Returns
    -------
    bytes

    Raises
    ------
    TypeError
        If ``symbols`` are not integers or bytes.
    ValueError
        If the rows are not distributions, a symbol is outside the alphabet, the shapes do
        not match, or a row gives its symbol probability 0 (no code can send it).

    Examples
    --------
    >>> q = [[0.5, 0.5], [0.9, 0.1], [0.9, 0.1]]
    >>> stream = encode([1, 0, 0], q)
    >>> decode(stream, q).tolist()
    [1, 0, 0]
    """
    symbols = _as_symbols(symbols)
    cumulative = quantize(probabilities, precision=precision)
    _check_rows(cumulative, len(symbols))
    _check_in_alphabet(symbols, cumulative.shape[-1] - 1)
    if cumulative.ndim == 1:  # one distribution for every symbol
        starts = cumulative[symbols]
        freqs = cumulative[symbols + 1] - starts
    else:
        rows = np.arange(len(symbols))
        starts = cumulative[rows, symbols]
        freqs = cumulative[rows, symbols + 1] - starts
    _check_actual_symbols_possible(freqs, symbols, "probabilities")
    return _header(symbols) + _range_encode(starts.tolist(), freqs.tolist(), precision)


def decode(stream: bytes, probabilities: ArrayLike, *, precision: int = PRECISION) -> IntArray:
    """The symbols that :func:`encode` coded into ``stream`` with the same ``probabilities``.

    Raises
    ------
    TypeError
        If ``stream`` is not bytes.
    ValueError
        If ``stream`` is truncated or corrupted (too short, bytes left over, an impossible
        value, or decoded symbols that fail the checksum, as when the probabilities differ
        from the encoder's), or if ``probabilities`` has fewer rows than the symbols stored.

    Examples
    --------
    >>> q = [[0.25, 0.75]] * 3
    >>> decode(encode([1, 1, 0], q), q).tolist()
    [1, 1, 0]
    """
    stream = _as_stream(stream)
    n, checksum, payload = _read_header(stream)
    cumulative = quantize(probabilities, precision=precision)
    _check_rows(cumulative, n)
    reader = _Reader(payload, precision)
    symbols = np.empty(n, dtype=np.int64)
    shared = cumulative.tolist() if cumulative.ndim == 1 else None  # one row for all
    for i in range(n):
        row = shared if shared is not None else cumulative[i].tolist()
        symbol = bisect.bisect_right(row, reader.target()) - 1  # the last F(s) <= target
        start = row[symbol]
        reader.consume(start, row[symbol + 1] - start)
        symbols[i] = symbol
    reader.finish()
    return _verified(symbols, checksum)


def code_length_bound(
    ideal_bits: float, n_symbols: int, alphabet_size: int, *, precision: int = PRECISION
) -> float:
    r"""The most bytes :func:`encode` can write for ``n_symbols`` of ideal length ``ideal_bits``.

    .. math::

        \text{bytes} &\le \frac{1}{8}\left(L^\ast + 64 + n\, \Delta\right) + h,
        \qquad T = 2^P, \\
        \Delta &= \log_2 \frac{T}{T - K - 1} + \log_2 \frac{2^{56}}{2^{56} - T},

    with :math:`L^\ast = \sum_i -\log_2 q_i(x_i)` the ideal code length, :math:`K` the
    alphabet size and :math:`h` the header's bytes (the varint count and 4 bytes of CRC-32).
    The derivation is in the module's documentation.

    Raises
    ------
    TypeError, ValueError
        If an argument is not a number of the right kind or is out of range.

    Examples
    --------
    >>> round(code_length_bound(0.0, 0, 256), 2)  # an empty stream: header and flush
    13.0
    """
    ideal_bits = check_real(ideal_bits, "ideal_bits", low=0.0)
    n = check_integer(n_symbols, "n_symbols")
    alphabet_size = check_integer(alphabet_size, "alphabet_size", low=1)
    precision = _check_precision(precision, alphabet_size)
    total = 1 << precision
    per_symbol = math.log2(total / (total - alphabet_size - 1)) + math.log2(
        BOTTOM / (BOTTOM - total)
    )
    header = max(1, math.ceil(n.bit_length() / 7)) + CHECKSUM_BYTES
    return (ideal_bits + n * per_symbol + STATE_BITS) / 8 + header


# --------------------------------------------------------------------------------------------
# Models that learn as they go
# --------------------------------------------------------------------------------------------


class Predictor(Protocol):
    """One step at a time: the next symbol's cumulative distribution, then learn the symbol."""

    def cdf(self) -> FloatArray:
        """:math:`C(0) = 0, C(1), \\dots, C(K) = 1` for the next symbol."""
        ...

    def update(self, symbol: int) -> None:
        """Learn that the next symbol was ``symbol``."""
        ...


class _Model(Protocol):
    alphabet_size: int

    def cdf_bounds(self, symbols: ArrayLike | bytes) -> tuple[FloatArray, FloatArray]: ...

    def predictor(self) -> Predictor: ...


def _context_ids(symbols: IntArray, order: int, alphabet_size: int) -> IntArray:
    """For each position, a number for its ``order`` preceding symbols (``K`` before the start)."""
    base = alphabet_size + 1
    if order and base**order >= 1 << 62:
        raise ValueError(f"order {order} is too long for an alphabet of {alphabet_size}")
    padded = np.concatenate([np.full(order, alphabet_size, dtype=np.int64), symbols])
    ids = np.zeros(len(symbols), dtype=np.int64)
    for j in range(order):
        ids = ids * base + padded[j : j + len(symbols)]
    return ids


def _compact(ids: IntArray) -> IntArray:
    """The same grouping, numbered 0, 1, ... (so that products with the alphabet fit)."""
    return np.unique(ids, return_inverse=True)[1].astype(np.int64).reshape(-1)


class _Groups:
    """Positions grouped by a key, for counts over the earlier positions of the same group.

    ``order`` may be given: any order of the positions in which each group is contiguous and
    in increasing position (the groups themselves may come in any order).
    """

    def __init__(self, keys: IntArray, order: IntArray | None = None) -> None:
        self.order = np.argsort(keys, kind="stable") if order is None else order
        sorted_keys = keys[self.order]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = sorted_keys[1:] != sorted_keys[:-1]
        self.first_index = np.maximum.accumulate(np.where(first, np.arange(len(keys)), 0))

    def before(self, values: ArrayLike) -> IntArray:
        """For each position ``i``: the sum of ``values[j]`` over ``j < i`` in ``i``'s group."""
        in_order = np.asarray(values, dtype=np.int64)[self.order]
        running = np.cumsum(in_order) - in_order  # the sum before each, over all groups
        result = np.empty(len(in_order), dtype=np.int64)
        result[self.order] = running - running[self.first_index]
        return result


@dataclass
class _Counts:
    """What a context had seen before each position: ``n`` symbols, ``same`` of them equal to
    the one that follows, ``below`` of them smaller, ``distinct`` different ones."""

    seen: IntArray
    same: IntArray
    distinct: IntArray
    below: IntArray | None


def _prequential_counts(
    symbols: IntArray, order: int, alphabet_size: int, *, with_below: bool
) -> _Counts:
    contexts = _compact(_context_ids(symbols, order, alphabet_size))
    groups = _Groups(contexts)
    ones = np.ones(len(symbols), dtype=np.int64)
    seen = groups.before(ones)
    same = _Groups(contexts * alphabet_size + symbols).before(ones)
    distinct = groups.before(same == 0)  # first occurrences of a symbol in the context
    below = _smaller_before(contexts, symbols, alphabet_size) if with_below else None
    return _Counts(seen, same, distinct, below)


def _smaller_before(contexts: IntArray, symbols: IntArray, alphabet_size: int) -> IntArray:
    """For each position: how many earlier positions of the same context hold a smaller symbol.

    One bit at a time, from the highest: a smaller symbol agrees with ``x`` on the bits above
    some bit, where it has 0 and ``x`` has 1; count those, earlier in the same context, for
    each bit. (The positions sorted by context, then stably by the bits above, keep each
    group of a context and those bits together and in order: one cheap sort a bit.)
    """
    bits = max(1, (alphabet_size - 1).bit_length())
    by_context = np.argsort(contexts, kind="stable")
    below = np.zeros(len(symbols), dtype=np.int64)
    for shift in range(bits - 1, -1, -1):
        prefix = symbols >> (shift + 1)
        bit = (symbols >> shift) & 1
        small = prefix[by_context].astype(np.uint16 if bits <= 16 else np.int64)  # radix sort
        order = by_context[np.argsort(small, kind="stable")]
        groups = _Groups(contexts * (1 << (bits - shift - 1)) + prefix, order=order)
        below += groups.before(bit == 0) * bit
    return below


class _ContextHistory:
    """The incremental side's context numbers, computed as :func:`_context_ids` does."""

    def __init__(self, order: int, alphabet_size: int) -> None:
        self.order, self.base = order, alphabet_size + 1
        self.recent = [alphabet_size] * order

    def context(self) -> int:
        ident = 0
        for value in self.recent:
            ident = ident * self.base + value
        return ident

    def push(self, symbol: int) -> None:
        if self.order:
            self.recent = [*self.recent[1:], symbol]


def _model_symbols(symbols: ArrayLike | bytes, alphabet_size: int) -> IntArray:
    array = _as_symbols(symbols)
    _check_in_alphabet(array, alphabet_size)
    return array


@dataclass(frozen=True)
class UniformModel:
    r"""Every symbol equally likely, :math:`q(s) = 1/K`, whatever came before.

    Its code length is :math:`n \log_2 K` bits: 8 bits a byte, the size of the file itself.

    Examples
    --------
    >>> UniformModel().probabilities(b"ab").tolist()
    [0.00390625, 0.00390625]
    """

    alphabet_size: int = 256

    def __post_init__(self) -> None:
        check_integer(self.alphabet_size, "alphabet_size", low=1)

    def probabilities(self, symbols: ArrayLike | bytes) -> FloatArray:
        """:math:`q_i(x_i)` for each symbol."""
        return np.full(len(_model_symbols(symbols, self.alphabet_size)), 1.0 / self.alphabet_size)

    def cdf_bounds(self, symbols: ArrayLike | bytes) -> tuple[FloatArray, FloatArray]:
        r""":math:`C_i(x_i)` and :math:`C_i(x_i + 1)` for each symbol."""
        x = _model_symbols(symbols, self.alphabet_size)
        return x / self.alphabet_size, (x + 1) / self.alphabet_size

    def predictor(self) -> Predictor:
        """A step-by-step predictor, for the decoder."""
        return _UniformPredictor(self.alphabet_size)


class _UniformPredictor:
    def __init__(self, alphabet_size: int) -> None:
        self.values = np.arange(alphabet_size + 1) / alphabet_size

    def cdf(self) -> FloatArray:
        return self.values

    def update(self, symbol: int) -> None:
        pass


@dataclass(frozen=True)
class ContextModel:
    r"""Counts of what followed each context of ``order`` symbols, with an add-``alpha`` estimate.

    .. math::

        q_i(s) = \frac{N_i(c, s) + \alpha}{N_i(c) + \alpha K},

    where :math:`c` is the ``order`` symbols before position :math:`i`, :math:`N_i(c, s)` the
    number of times :math:`s` followed :math:`c` before position :math:`i` and :math:`N_i(c)`
    the number of times :math:`c` occurred. With :math:`\alpha = 1/2` this is the
    Krichevsky–Trofimov estimator; ``order=0`` is the unigram model. The first ``order``
    symbols see a context padded with a symbol :math:`K` that stands for "before the start".

    Examples
    --------
    >>> ContextModel(order=0, alphabet_size=2).probabilities([0, 0, 1]).tolist()
    [0.5, 0.75, 0.16666666666666666]
    """

    order: int = 0
    alphabet_size: int = 256
    alpha: float = 0.5

    def __post_init__(self) -> None:
        check_integer(self.order, "order")
        check_integer(self.alphabet_size, "alphabet_size", low=1)
        check_real(self.alpha, "alpha", low=0.0, low_open=True)

    def probabilities(self, symbols: ArrayLike | bytes) -> FloatArray:
        """:math:`q_i(x_i)` for each symbol, each predicted from the symbols before it."""
        x = _model_symbols(symbols, self.alphabet_size)
        counts = _prequential_counts(x, self.order, self.alphabet_size, with_below=False)
        return (counts.same + self.alpha) / (counts.seen + self.alpha * self.alphabet_size)

    def cdf_bounds(self, symbols: ArrayLike | bytes) -> tuple[FloatArray, FloatArray]:
        r""":math:`C_i(x_i)` and :math:`C_i(x_i + 1)` for each symbol."""
        x = _model_symbols(symbols, self.alphabet_size)
        counts = _prequential_counts(x, self.order, self.alphabet_size, with_below=True)
        assert counts.below is not None
        a, total = self.alpha, counts.seen + self.alpha * self.alphabet_size
        low = (counts.below + a * x) / total
        high = (counts.below + counts.same + a * (x + 1)) / total
        return low, high

    def predictor(self) -> Predictor:
        """A step-by-step predictor, for the decoder."""
        return _ContextPredictor(self)


class _ContextPredictor:
    def __init__(self, model: ContextModel) -> None:
        self.model = model
        self.history = _ContextHistory(model.order, model.alphabet_size)
        self.counts: dict[int, IntArray] = {}
        self.steps = np.arange(model.alphabet_size + 1)

    def cdf(self) -> FloatArray:
        k, a = self.model.alphabet_size, self.model.alpha
        counts = self.counts.get(self.history.context())
        if counts is None:
            counts = np.zeros(k, dtype=np.int64)
        cumulative = np.concatenate([[0], np.cumsum(counts)])
        return (cumulative + a * self.steps) / (int(cumulative[-1]) + a * k)

    def update(self, symbol: int) -> None:
        context = self.history.context()
        if context not in self.counts:
            self.counts[context] = np.zeros(self.model.alphabet_size, dtype=np.int64)
        self.counts[context][symbol] += 1
        self.history.push(symbol)


@dataclass(frozen=True)
class BlendModel:
    r"""Orders 0 to ``max_order`` blended, each falling back on the one below it.

    .. math::

        q^{(k)}_i(s) &= \frac{N_i(c_k, s) + w_i(c_k)\, q^{(k-1)}_i(s)}{N_i(c_k) + w_i(c_k)}, \\
        w_i(c_k) &= a\,u_i(c_k) + b, \qquad q^{(-1)}(s) = \frac{1}{K},

    where :math:`c_k` is the context of the last :math:`k` symbols, :math:`N` counts as in
    :class:`ContextModel` and :math:`u_i(c_k)` is the number of *different* symbols seen after
    :math:`c_k`. A context seen often with few different followers trusts its own counts; a
    context that has been followed by many different symbols leans on the shorter context; a
    new one (:math:`N = 0`) passes the lower order's prediction on unchanged. With
    :math:`a = 1, b = 0` the weight is the escape count of PPM's method C (Witten–Bell
    smoothing); the defaults, :math:`a = 4, b = 2` and ``max_order=5``, lean more on the shorter
    contexts, which suits texts of some tens of kilobytes (they were picked by trying a few
    values on the book's texts). The prediction is :math:`q^{(\text{max\_order})}`.

    Examples
    --------
    >>> BlendModel(max_order=1, alphabet_size=2, a=1.0, b=0.0).probabilities([0, 0, 0]).tolist()
    [0.5, 0.75, 0.9166666666666667]
    """

    max_order: int = 5
    alphabet_size: int = 256
    a: float = 4.0
    b: float = 2.0

    def __post_init__(self) -> None:
        check_integer(self.max_order, "max_order")
        check_integer(self.alphabet_size, "alphabet_size", low=1)
        check_real(self.a, "a", low=0.0)
        check_real(self.b, "b", low=0.0)
        if self.a == 0 and self.b == 0:
            raise ValueError(
                "a and b cannot both be 0: a context would never pass on its lower order"
            )

    def _blend(self, x: IntArray, lower: list[FloatArray], cdf: bool) -> list[FloatArray]:
        for order in range(self.max_order + 1):
            counts = _prequential_counts(x, order, self.alphabet_size, with_below=cdf)
            has_seen = counts.seen > 0
            weight = self.a * counts.distinct + self.b
            denominator = np.where(has_seen, counts.seen + weight, 1.0)
            if cdf:
                assert counts.below is not None
                own = [counts.below, counts.below + counts.same]
            else:
                own = [counts.same]
            lower = [
                np.where(has_seen, (mine + weight * previous) / denominator, previous)
                for mine, previous in zip(own, lower)
            ]
        return lower

    def probabilities(self, symbols: ArrayLike | bytes) -> FloatArray:
        """:math:`q_i(x_i)` for each symbol, each predicted from the symbols before it."""
        x = _model_symbols(symbols, self.alphabet_size)
        (q,) = self._blend(x, [np.full(len(x), 1.0 / self.alphabet_size)], cdf=False)
        return q

    def cdf_bounds(self, symbols: ArrayLike | bytes) -> tuple[FloatArray, FloatArray]:
        r""":math:`C_i(x_i)` and :math:`C_i(x_i + 1)` for each symbol."""
        x = _model_symbols(symbols, self.alphabet_size)
        k = self.alphabet_size
        low, high = self._blend(x, [x / k, (x + 1) / k], cdf=True)
        return low, high

    def predictor(self) -> Predictor:
        """A step-by-step predictor, for the decoder."""
        return _BlendPredictor(self)


class _BlendPredictor:
    def __init__(self, model: BlendModel) -> None:
        self.k, self.a, self.b = model.alphabet_size, model.a, model.b
        self.orders: list[tuple[_ContextHistory, dict[int, IntArray]]] = [
            (_ContextHistory(order, self.k), {}) for order in range(model.max_order + 1)
        ]
        self.uniform = np.arange(self.k + 1) / self.k

    def cdf(self) -> FloatArray:
        cdf = self.uniform
        for history, table in self.orders:
            counts = table.get(history.context())
            if counts is None:
                continue
            cumulative = np.concatenate([[0], np.cumsum(counts)])
            weight = self.a * int(np.count_nonzero(counts)) + self.b
            cdf = (cumulative + weight * cdf) / (int(cumulative[-1]) + weight)
        return cdf

    def update(self, symbol: int) -> None:
        for history, table in self.orders:
            context = history.context()
            if context not in table:
                table[context] = np.zeros(self.k, dtype=np.int64)
            table[context][symbol] += 1
            history.push(symbol)


def _model_frequencies(
    low: FloatArray, high: FloatArray, symbols: IntArray, alphabet_size: int, total: int
) -> tuple[IntArray, IntArray]:
    """Starts and frequencies of the symbols, quantised as :func:`quantize` does (all
    :math:`K` symbols have nonzero probability under these models)."""
    starts = _quantized(low, symbols, alphabet_size, total)
    ends = _quantized(high, symbols + 1, alphabet_size, total)
    return starts, ends - starts


def encode_prequential(
    symbols: ArrayLike | bytes, model: Any, *, precision: int = PRECISION
) -> bytes:
    r"""Code ``symbols`` with a model that predicts each from the ones before it.

    Symbol :math:`i` is coded with the model's prediction from :math:`x_1, \dots, x_{i-1}`,
    quantised as :func:`quantize` does; the length is at most :func:`code_length_bound` of
    the ideal length ``ideal_code_length(model.probabilities(symbols))``.

    Parameters
    ----------
    symbols
        Integers in ``0 .. K-1``, or ``bytes``.
    model
        A :class:`UniformModel`, :class:`ContextModel` or :class:`BlendModel` (any object with
        ``alphabet_size``, ``cdf_bounds`` and ``predictor``, whose predictions give every
        symbol a nonzero probability).

    Raises
    ------
    TypeError, ValueError
        As :func:`encode`, and if ``model`` lacks those methods.

    Examples
    --------
    >>> text = b"abracadabra" * 20
    >>> stream = encode_prequential(text, ContextModel(order=2))
    >>> len(stream) < len(text)
    True
    >>> bytes(decode_prequential(stream, ContextModel(order=2)).tolist()) == text
    True
    """
    _check_model(model)
    k = model.alphabet_size
    precision = _check_precision(precision, k)
    x = _model_symbols(symbols, k)
    low, high = model.cdf_bounds(x)
    starts, freqs = _model_frequencies(low, high, x, k, 1 << precision)
    _check_actual_symbols_possible(freqs, x, "model")
    return _header(x) + _range_encode(starts.tolist(), freqs.tolist(), precision)


def decode_prequential(stream: bytes, model: Any, *, precision: int = PRECISION) -> IntArray:
    """The symbols :func:`encode_prequential` coded with ``model``, decoded one at a time.

    The decoder asks the model for its prediction, finds the symbol, and lets the model learn
    it, exactly as the encoder's model did: nothing but the stream is needed.

    Raises
    ------
    TypeError, ValueError
        As :func:`decode`.

    Examples
    --------
    >>> decode_prequential(encode_prequential(b"aab", UniformModel()), UniformModel()).tolist()
    [97, 97, 98]
    """
    _check_model(model)
    k = model.alphabet_size
    precision = _check_precision(precision, k)
    total = 1 << precision
    stream = _as_stream(stream)
    n, checksum, payload = _read_header(stream)
    reader = _Reader(payload, precision)
    predictor = model.predictor()
    steps = np.arange(k + 1)
    symbols = np.empty(n, dtype=np.int64)
    for i in range(n):
        row = _quantized(predictor.cdf(), steps, k, total)
        symbol = int(np.searchsorted(row, reader.target(), side="right")) - 1
        start = int(row[symbol])
        reader.consume(start, int(row[symbol + 1]) - start)
        predictor.update(symbol)
        symbols[i] = symbol
    reader.finish()
    return _verified(symbols, checksum)


def _check_model(model: object) -> None:
    for attribute in ("alphabet_size", "cdf_bounds", "predictor"):
        if not hasattr(model, attribute):
            raise TypeError(
                f"model must be a UniformModel, ContextModel or BlendModel (an object with "
                f"alphabet_size, cdf_bounds and predictor), got {type(model).__name__}"
            )


# --------------------------------------------------------------------------------------------
# Code lengths and the units language models report
# --------------------------------------------------------------------------------------------


def ideal_code_length(q: ArrayLike) -> float:
    r"""The ideal code length of symbols that were predicted with probabilities ``q``, in bits.

    .. math:: L^\ast = \sum_i -\log_2 q_i(x_i).

    ``q`` holds, for each symbol, the probability the model gave to the symbol that occurred.
    Divided by the number of symbols it is the model's cross-entropy on the data, in bits.

    Raises
    ------
    ValueError
        If ``q`` is empty, outside [0, 1], or holds a 0: a symbol the model ruled out cannot be
        coded at all (its code length is infinite).

    Examples
    --------
    >>> ideal_code_length([0.5, 0.25, 0.25])
    5.0
    """
    values = as_probabilities(q, "q")
    if not values.min() > 0:
        i = int(np.flatnonzero(values.ravel() == 0)[0])
        raise ValueError(
            f"q gives the symbol at position {i} probability 0: a symbol the model rules out "
            "has an infinite code length; give every possible symbol some probability"
        )
    return float(-np.sum(np.log2(values)))


def bits_per_symbol(q: ArrayLike) -> float:
    r"""The mean code length, :math:`\frac{1}{n}\sum_i -\log_2 q_i(x_i)`: the cross-entropy in bits.

    Raises
    ------
    ValueError
        As :func:`ideal_code_length`.

    Examples
    --------
    >>> bits_per_symbol([0.5, 0.25])
    1.5
    """
    values = as_probabilities(q, "q")
    return ideal_code_length(values) / values.size


def perplexity(q: ArrayLike) -> float:
    r"""The perplexity of a model on the data, :math:`2^{\text{bits per symbol}}`.

    .. math:: \operatorname{PP} = 2^{-\frac{1}{n}\sum_i \log_2 q_i(x_i)}
              = e^{-\frac{1}{n}\sum_i \ln q_i(x_i)}.

    Raises
    ------
    ValueError
        As :func:`ideal_code_length`.

    Examples
    --------
    >>> round(perplexity([1 / 6] * 10), 9)  # as perplexed as a fair die
    6.0
    """
    return float(2.0 ** bits_per_symbol(q))


def bits_per_byte(bits: float, n_bytes: int) -> float:
    r"""A code length of ``bits`` spread over a text of ``n_bytes`` bytes: ``bits / n_bytes``.

    The unit that compares models whatever their tokens: 8 is the file itself, and a
    compressed file of ``c`` bytes scores ``8 c / n_bytes``.

    Raises
    ------
    TypeError, ValueError
        If ``bits`` is not a non-negative number or ``n_bytes`` not a positive integer.

    Examples
    --------
    >>> bits_per_byte(8 * 250, 1000)  # a file compressed to a quarter of its size
    2.0
    """
    bits = check_real(bits, "bits", low=0.0)
    n_bytes = check_integer(n_bytes, "n_bytes", low=1)
    return bits / n_bytes


def nats_per_token_to_bits_per_byte(nats_per_token: float, n_tokens: int, n_bytes: int) -> float:
    r"""A loss in nats per token, as a language model reports it, in bits per byte.

    .. math:: \text{bits per byte} = \frac{\text{nats per token} \times n_\text{tokens}}
              {n_\text{bytes} \ln 2}.

    The same text cut into fewer, longer tokens has a larger loss per token for the same
    total: only the total, per byte, compares models with different tokenizers.

    Raises
    ------
    TypeError, ValueError
        If the loss is not a non-negative number or the counts not positive integers.

    Examples
    --------
    >>> round(nats_per_token_to_bits_per_byte(math.log(2) * 4, 1000, 2000), 4)
    2.0
    """
    nats = check_real(nats_per_token, "nats_per_token", low=0.0)
    n_tokens = check_integer(n_tokens, "n_tokens", low=1)
    n_bytes = check_integer(n_bytes, "n_bytes", low=1)
    return nats * n_tokens / (n_bytes * math.log(2))


def bits_per_byte_to_nats_per_token(bits_per_byte: float, n_bytes: int, n_tokens: int) -> float:
    r"""The inverse of :func:`nats_per_token_to_bits_per_byte`.

    .. math:: \text{nats per token} = \frac{\text{bits per byte} \times n_\text{bytes}
              \ln 2}{n_\text{tokens}}.

    Raises
    ------
    TypeError, ValueError
        As :func:`nats_per_token_to_bits_per_byte`.

    Examples
    --------
    >>> round(bits_per_byte_to_nats_per_token(2.0, 2000, 1000), 4)
    2.7726
    """
    value = check_real(bits_per_byte, "bits_per_byte", low=0.0)
    n_bytes = check_integer(n_bytes, "n_bytes", low=1)
    n_tokens = check_integer(n_tokens, "n_tokens", low=1)
    return value * n_bytes * math.log(2) / n_tokens


# --------------------------------------------------------------------------------------------
# Huffman codes
# --------------------------------------------------------------------------------------------


def huffman_code_lengths(p: ArrayLike) -> IntArray:
    r"""The codeword lengths, in bits, of a Huffman code for the distribution ``p``.

    Huffman's algorithm merges the two least likely entries until one is left; each merge
    adds a bit to the codewords of the symbols below it. The code is the best prefix code
    with whole-bit codewords, and its expected length :math:`L` satisfies
    :math:`\H(p) \le L < \H(p) + 1` (in bits). Symbols of probability 0 get no codeword
    (length 0); a distribution with one possible symbol needs no bits at all (length 0).
    Ties are broken by symbol order, so the result is deterministic.

    Raises
    ------
    ValueError
        If ``p`` is not one probability distribution.

    Examples
    --------
    >>> huffman_code_lengths([0.5, 0.25, 0.125, 0.125]).tolist()
    [1, 2, 3, 3]
    """
    p, _ = as_distribution(p, "p")
    if p.ndim != 1:
        raise ValueError(f"p must be one distribution (1-d), got shape {p.shape}")
    lengths = np.zeros(p.size, dtype=np.int64)
    heap = [(float(value), i, [i]) for i, value in enumerate(p) if value > 0]
    heapq.heapify(heap)
    tiebreak = p.size
    while len(heap) > 1:
        p1, _, members1 = heapq.heappop(heap)
        p2, _, members2 = heapq.heappop(heap)
        lengths[members1 + members2] += 1
        heapq.heappush(heap, (p1 + p2, tiebreak, members1 + members2))
        tiebreak += 1
    return lengths


def huffman_expected_length(p: ArrayLike) -> float:
    r"""The expected codeword length :math:`\sum_s p(s)\,\ell(s)` of a Huffman code, in bits.

    Raises
    ------
    ValueError
        As :func:`huffman_code_lengths`.

    Examples
    --------
    >>> huffman_expected_length([0.9, 0.1])  # 1 bit, though the entropy is 0.469
    1.0
    """
    lengths = huffman_code_lengths(p)
    return float(np.dot(np.asarray(p, dtype=np.float64), lengths))


def huffman_code(p: ArrayLike) -> list[str]:
    """The codewords of a canonical Huffman code for ``p`` ('' for symbols of probability 0).

    Codewords of the lengths :func:`huffman_code_lengths` gives, assigned in order of length
    and then of symbol (the canonical code of DEFLATE), so that no codeword is a prefix of
    another.

    Raises
    ------
    ValueError
        As :func:`huffman_code_lengths`.

    Examples
    --------
    >>> huffman_code([0.5, 0.25, 0.125, 0.125])
    ['0', '10', '110', '111']
    """
    lengths = huffman_code_lengths(p)
    words = [""] * lengths.size
    code, previous = 0, 0
    for symbol in sorted(np.flatnonzero(lengths), key=lambda s: (lengths[s], s)):
        length = int(lengths[symbol])
        code <<= length - previous
        words[symbol] = format(code, f"0{length}b")
        code, previous = code + 1, length
    return words

