"""Winnowed k-gram fingerprints (Schleimer, Wilkerson and Aiken, SIGMOD 2003).

A fingerprint holds only hashes, token offsets and line numbers: never a token or a byte of
the source, so fingerprints of different organisations may be compared without sharing code.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from assay.integrity.languages import spec_for
from assay.integrity.tokens import TokenStream, normalise

# k: a match must span this many normalised tokens to count (the noise threshold).
# window: any match of window + k - 1 tokens is guaranteed to share a fingerprint.
# Chosen on the bench's development seed (bench/similarity.py --seed 1): see decision 0008.
DEFAULT_K = 9
DEFAULT_WINDOW = 5

_BASE = np.uint64(0x100000001B3)
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)


@dataclass(frozen=True)
class Fingerprint:
    """The winnowed k-gram hashes of one file and where each k-gram sits, no source text."""

    language: str
    k: int
    window: int
    token_count: int
    hashes: tuple[int, ...]
    positions: tuple[int, ...]  # offset of the k-gram's first token in the normalised stream
    first_lines: tuple[int, ...]  # 1-based source lines spanned by each k-gram
    last_lines: tuple[int, ...]

    def __post_init__(self) -> None:
        size = len(self.hashes)
        if not (len(self.positions) == len(self.first_lines) == len(self.last_lines) == size):
            raise ValueError("fingerprint arrays must have the same length")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (plain ints and strings)."""
        return {
            "language": self.language,
            "k": self.k,
            "window": self.window,
            "token_count": self.token_count,
            "hashes": list(self.hashes),
            "positions": list(self.positions),
            "first_lines": list(self.first_lines),
            "last_lines": list(self.last_lines),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Fingerprint:
        """Rebuild from :meth:`to_dict`; ValueError on a malformed document."""
        try:
            spec_for(str(data["language"]))
            return cls(
                language=str(data["language"]),
                k=int(data["k"]),
                window=int(data["window"]),
                token_count=int(data["token_count"]),
                hashes=tuple(int(h) for h in data["hashes"]),
                positions=tuple(int(p) for p in data["positions"]),
                first_lines=tuple(int(n) for n in data["first_lines"]),
                last_lines=tuple(int(n) for n in data["last_lines"]),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"malformed fingerprint: {exc}") from exc


def fingerprint(
    source: str | bytes, language: str, *, k: int = DEFAULT_K, window: int = DEFAULT_WINDOW
) -> Fingerprint:
    """Fingerprint one source file; ``window=1`` keeps every k-gram (used for templates)."""
    if k < 1 or window < 1:
        raise ValueError("k and window must be positive")
    return fingerprint_tokens(normalise(source, language), language, k=k, window=window)


def fingerprint_tokens(
    stream: TokenStream, language: str, *, k: int = DEFAULT_K, window: int = DEFAULT_WINDOW
) -> Fingerprint:
    """Winnow an already normalised token stream."""
    hashes = kgram_hashes(stream.symbols, k)
    chosen = winnow(hashes, window)
    lines = stream.lines
    spans = [lines[p : _line_end(p, k, stream.seams)] for p in chosen]
    return Fingerprint(
        language=language,
        k=k,
        window=window,
        token_count=len(stream.symbols),
        hashes=tuple(int(hashes[p]) for p in chosen),
        positions=tuple(chosen),
        first_lines=tuple(min(span) for span in spans),
        last_lines=tuple(max(span) for span in spans),
    )


def _line_end(position: int, k: int, seams: list[int]) -> int:
    """Where the lines of the k-gram at ``position`` stop: at k tokens, or at a seam first.

    Past a seam the tokens come from another place of the source; counting their lines would
    stretch one k-gram over everything in between.
    """
    after = bisect.bisect_right(seams, position)
    if after < len(seams):
        return min(position + k, seams[after])
    return position + k


def kgram_hashes(symbols: list[int], k: int) -> npt.NDArray[np.int64]:
    """A 63-bit hash of every run of k consecutive symbols (polynomial, then mixed)."""
    count = len(symbols) - k + 1
    if count <= 0:
        # A file shorter than one k-gram hashes as a whole, so tiny identical files still meet.
        if not symbols:
            return np.zeros(0, dtype=np.int64)
        count, k = 1, len(symbols)
    values = np.asarray(symbols, dtype=np.uint64)
    hashes = np.zeros(count, dtype=np.uint64)
    for offset in range(k):
        hashes = hashes * _BASE + values[offset : offset + count]
    # splitmix64 finaliser: the polynomial alone leaves low bits poorly mixed, and winnowing
    # picks minima, so every bit must be uniform.
    hashes ^= hashes >> np.uint64(30)
    hashes *= _MIX_1
    hashes ^= hashes >> np.uint64(27)
    hashes *= _MIX_2
    hashes ^= hashes >> np.uint64(31)
    return (hashes >> np.uint64(1)).astype(np.int64)


def winnow(hashes: npt.NDArray[np.int64], window: int) -> list[int]:
    """Robust winnowing: positions of the minimum hash of every window of ``window`` hashes.

    Ties keep the position chosen for the previous window when it is still inside the window,
    else take the rightmost minimum; this keeps repetitive code from flooding the fingerprint.
    """
    count = len(hashes)
    if count == 0:
        return []
    if window == 1:
        return list(range(count))
    width = min(window, count)
    views = np.lib.stride_tricks.sliding_window_view(hashes, width)
    minima = views.min(axis=1).tolist()
    # argmin over the reversed window = the rightmost minimum
    rightmost = (width - 1 - views[:, ::-1].argmin(axis=1)).tolist()
    values = hashes.tolist()
    chosen: list[int] = []
    previous = -1
    for start, (minimum, offset) in enumerate(zip(minima, rightmost, strict=True)):
        if previous >= start and values[previous] == minimum:
            continue
        position = start + offset
        if position != previous:
            chosen.append(position)
            previous = position
    return chosen
