"""An inverted index over fingerprints and the corpus comparison built on it.

Pairs are never enumerated blindly: each kept fingerprint hash has a posting list (the
submissions it occurs in), and only submissions that share a posting meet. The pair counting
runs as a sparse product of the submission-by-hash incidence matrix with itself, which visits
exactly the posting lists, in C.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import sparse

from assay.integrity.fingerprint import Fingerprint

# A hash found in more than this share of the submissions, and in more than
# DEFAULT_COMMON_MIN_DOCUMENTS of them, is shared idiom or scaffolding, not evidence of
# copying. The absolute floor (MOSS's -m defaults to 10) keeps a small cohort in which most
# candidates copied from one another from having its copying filtered out as "common".
DEFAULT_COMMON_FRACTION = 0.2
DEFAULT_COMMON_MIN_DOCUMENTS = 10
# A hash repeated more often than this inside one file is a local idiom: skip it when
# aligning fragments (it would pair every occurrence with every other).
MAX_OCCURRENCES_FOR_FRAGMENTS = 8

# Added to the score's denominator, in fingerprints: two files that share their only two
# fingerprints are weak evidence (tiny functions look alike once names are erased), two that
# share 200 of 200 are strong. With 2, a 2-of-2 match scores 0.5 and 200-of-200 scores 0.99.
DEFAULT_EVIDENCE_PRIOR = 2.0

Score = Literal["containment", "jaccard"]


@dataclass(frozen=True)
class Fragment:
    """A maximal run of matching k-grams, as inclusive line ranges in both files."""

    a_lines: tuple[int, int]
    b_lines: tuple[int, int]
    tokens: int


@dataclass(frozen=True)
class SimilarPair:
    """Two files that share fingerprints, and how much."""

    a: str
    b: str
    similarity: float
    shared: int
    longest_fragment_tokens: int
    fragments: tuple[Fragment, ...]
    leaked: bool = False  # b is a registered leaked solution, not a submission

    def to_dict(self) -> dict[str, object]:
        return {
            "a": self.a,
            "b": self.b,
            "similarity": round(self.similarity, 4),
            "longest_fragment_tokens": self.longest_fragment_tokens,
            "fragments": [
                {"a_lines": list(f.a_lines), "b_lines": list(f.b_lines)} for f in self.fragments
            ],
        }


class FingerprintIndex:
    """Posting lists from fingerprint hash to the documents that contain it."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.fingerprints: list[Fingerprint] = []
        self.postings: dict[int, list[int]] = defaultdict(list)

    def add(self, name: str, fp: Fingerprint) -> int:
        document = len(self.names)
        self.names.append(name)
        self.fingerprints.append(fp)
        for value in set(fp.hashes):
            self.postings[value].append(document)
        return document

    def __len__(self) -> int:
        return len(self.names)

    def document_frequency(self, value: int) -> int:
        return len(self.postings.get(value, ()))

    def common_hashes(
        self, fraction: float, min_documents: int = DEFAULT_COMMON_MIN_DOCUMENTS
    ) -> set[int]:
        """Hashes in more than ``fraction`` of the documents and more than ``min_documents``."""
        limit = max(fraction * len(self.names), min_documents)
        return {value for value, docs in self.postings.items() if len(docs) > limit}


@dataclass
class CorpusComparison:
    """Scores of every pair that shares a kept fingerprint, as arrays (cheap for millions of
    pairs); :meth:`pairs` turns the interesting ones into :class:`SimilarPair` objects."""

    names: list[str]
    fingerprints: list[Fingerprint]
    leaked_names: list[str]
    leaked_fingerprints: list[Fingerprint]
    ignored: set[int]
    # One entry per scored pair: row is a submission, col a submission (leaked False) or a
    # leaked solution (leaked True).
    rows: npt.NDArray[np.int64]
    cols: npt.NDArray[np.int64]
    shared: npt.NDArray[np.int64]
    similarity: npt.NDArray[np.float64]
    leaked: npt.NDArray[np.bool_]

    @property
    def submission_pairs(self) -> int:
        """How many submission pairs exist, zeros included (for threshold estimation)."""
        count = len(self.names)
        return count * (count - 1) // 2

    def pairs(self, min_similarity: float = 0.0, fragments_from: float = 0.0) -> list[SimilarPair]:
        """Pairs scoring above ``min_similarity``, most similar first; fragments are aligned for
        those at or above ``fragments_from`` (pass a value above 1 to skip alignment)."""
        chosen = np.nonzero(self.similarity > min_similarity)[0]
        pairs = []
        for i in chosen.tolist():
            row, col = int(self.rows[i]), int(self.cols[i])
            leaked = bool(self.leaked[i])
            other = self.leaked_fingerprints if leaked else self.fingerprints
            other_names = self.leaked_names if leaked else self.names
            pairs.append(
                _pair(
                    self.names[row],
                    self.fingerprints[row],
                    other_names[col],
                    other[col],
                    shared=int(self.shared[i]),
                    similarity=float(self.similarity[i]),
                    ignored=self.ignored,
                    fragments_from=fragments_from,
                    leaked=leaked,
                )
            )
        pairs.sort(key=lambda p: (-p.similarity, p.a, p.b))
        return pairs


def compare_corpus(
    submissions: Mapping[str, Fingerprint],
    *,
    leaked: Mapping[str, Fingerprint] | None = None,
    template: Fingerprint | Iterable[Fingerprint] | None = None,
    common_fraction: float = DEFAULT_COMMON_FRACTION,
    common_min_documents: int = DEFAULT_COMMON_MIN_DOCUMENTS,
    min_similarity: float = 0.0,
    score: Score = "jaccard",
    evidence_prior: float = DEFAULT_EVIDENCE_PRIOR,
    fragments_from: float = 0.0,
) -> list[SimilarPair]:
    """Every submission pair, and every submission against every leaked solution, whose
    similarity exceeds ``min_similarity``; most similar first. See :func:`score_corpus`."""
    comparison = score_corpus(
        submissions,
        leaked=leaked,
        template=template,
        common_fraction=common_fraction,
        common_min_documents=common_min_documents,
        score=score,
        evidence_prior=evidence_prior,
    )
    return comparison.pairs(min_similarity=min_similarity, fragments_from=fragments_from)


def score_corpus(
    submissions: Mapping[str, Fingerprint],
    *,
    leaked: Mapping[str, Fingerprint] | None = None,
    template: Fingerprint | Iterable[Fingerprint] | None = None,
    common_fraction: float = DEFAULT_COMMON_FRACTION,
    common_min_documents: int = DEFAULT_COMMON_MIN_DOCUMENTS,
    score: Score = "jaccard",
    evidence_prior: float = DEFAULT_EVIDENCE_PRIOR,
) -> CorpusComparison:
    """Score every pair of submissions (and submission-leak pair) that shares a fingerprint.

    Hashes in the template (fingerprint it with ``window=1`` so every k-gram is present) or in
    more than ``common_fraction`` of the submissions (and more than ``common_min_documents``)
    are ignored on both sides. The score is
    shared / (|A ∪ B| + prior) for ``"jaccard"`` or shared / (min(|A|, |B|) + prior) for
    ``"containment"``, over distinct kept hashes; the prior (in fingerprints) discounts pairs
    of tiny files, whose few fingerprints are weak evidence.
    """
    leaked = leaked or {}
    _check_compatible([*submissions.values(), *leaked.values()])
    index = FingerprintIndex()
    for name, fp in submissions.items():
        index.add(name, fp)
    ignored = index.common_hashes(common_fraction, common_min_documents)
    ignored |= _template_hashes(template)
    kept = [_kept_hashes(fp, ignored) for fp in index.fingerprints]
    leaked_names = list(leaked)
    leaked_kept = [_kept_hashes(leaked[name], ignored) for name in leaked_names]
    columns = _column_ids(kept + leaked_kept)
    subs = _incidence(kept, columns)
    sizes = np.array([len(h) for h in kept], dtype=np.float64)

    among = sparse.triu(subs @ subs.T, k=1).tocoo()
    parts = [(among, sizes, False)]
    if leaked_names:
        leak_sizes = np.array([len(h) for h in leaked_kept], dtype=np.float64)
        parts.append(((subs @ _incidence(leaked_kept, columns).T).tocoo(), leak_sizes, True))
    rows, cols, shared, similarity, flags = [], [], [], [], []
    for matrix, col_sizes, is_leak in parts:
        counts = matrix.data.astype(np.float64)
        a, b = sizes[matrix.row], col_sizes[matrix.col]
        denominator = a + b - counts if score == "jaccard" else np.minimum(a, b)
        rows.append(matrix.row.astype(np.int64))
        cols.append(matrix.col.astype(np.int64))
        shared.append(matrix.data.astype(np.int64))
        similarity.append(counts / np.maximum(denominator + evidence_prior, 1e-9))
        flags.append(np.full(len(counts), is_leak))
    return CorpusComparison(
        names=index.names,
        fingerprints=index.fingerprints,
        leaked_names=leaked_names,
        leaked_fingerprints=[leaked[name] for name in leaked_names],
        ignored=ignored,
        rows=np.concatenate(rows),
        cols=np.concatenate(cols),
        shared=np.concatenate(shared),
        similarity=np.concatenate(similarity),
        leaked=np.concatenate(flags),
    )


def _check_compatible(fingerprints: list[Fingerprint]) -> None:
    settings = {(fp.language, fp.k) for fp in fingerprints}
    if len(settings) > 1:
        raise ValueError(f"fingerprints of different languages or k cannot meet: {settings}")


def _template_hashes(template: Fingerprint | Iterable[Fingerprint] | None) -> set[int]:
    if template is None:
        return set()
    templates = [template] if isinstance(template, Fingerprint) else list(template)
    return {value for fp in templates for value in fp.hashes}


def _kept_hashes(fp: Fingerprint, ignored: set[int]) -> npt.NDArray[np.int64]:
    return np.array(sorted(set(fp.hashes) - ignored), dtype=np.int64)


def _column_ids(documents: list[npt.NDArray[np.int64]]) -> dict[int, int]:
    columns: dict[int, int] = {}
    for hashes in documents:
        for value in hashes.tolist():
            columns.setdefault(value, len(columns))
    return columns


def _incidence(
    documents: list[npt.NDArray[np.int64]], columns: dict[int, int]
) -> sparse.csr_matrix:
    rows: list[int] = []
    cols: list[int] = []
    for row, hashes in enumerate(documents):
        ids = [columns[value] for value in hashes.tolist()]
        rows.extend([row] * len(ids))
        cols.extend(ids)
    data = np.ones(len(rows), dtype=np.int32)
    return sparse.csr_matrix(
        (data, (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))),
        shape=(len(documents), max(len(columns), 1)),
    )


def _pair(
    name_a: str,
    fp_a: Fingerprint,
    name_b: str,
    fp_b: Fingerprint,
    *,
    shared: int,
    similarity: float,
    ignored: set[int],
    fragments_from: float,
    leaked: bool,
) -> SimilarPair:
    if not leaked and name_b < name_a:
        name_a, fp_a, name_b, fp_b = name_b, fp_b, name_a, fp_a
    aligned = similarity >= fragments_from
    fragments = fragments_between(fp_a, fp_b, ignored) if aligned else []
    return SimilarPair(
        a=name_a,
        b=name_b,
        similarity=similarity,
        shared=shared,
        longest_fragment_tokens=max((f.tokens for f in fragments), default=0),
        fragments=tuple(fragments),
        leaked=leaked,
    )


def fragments_between(
    fp_a: Fingerprint, fp_b: Fingerprint, ignored: set[int] | None = None
) -> list[Fragment]:
    """Maximal runs of matching k-grams as line ranges, in the order of ``fp_a``'s lines.

    Matches on the same diagonal (same offset between the two token streams) whose k-grams
    overlap or touch belong to one run; runs are then chosen greedily, longest first, so that
    no two overlap in either file.
    """
    ignored = ignored or set()
    where_a = _occurrences(fp_a, ignored)
    where_b = _occurrences(fp_b, ignored)
    diagonals: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
    for value, indexes_a in where_a.items():
        indexes_b = where_b.get(value)
        if indexes_b is None:
            continue
        for ia in indexes_a:
            for ib in indexes_b:
                at_a, at_b = fp_a.positions[ia], fp_b.positions[ib]
                diagonals[at_a - at_b].append((at_a, at_b, ia, ib))
    k = fp_a.k
    runs: list[tuple[int, int, int, list[tuple[int, int, int, int]]]] = []
    for members in diagonals.values():
        members.sort()
        run = [members[0]]
        for member in members[1:]:
            if member[0] - run[-1][0] <= k:
                run.append(member)
            else:
                runs.extend(_segments(run, fp_a, fp_b))
                run = [member]
        runs.extend(_segments(run, fp_a, fp_b))
    runs.sort(key=lambda r: (-r[0], r[1]))
    taken_a: list[tuple[int, int]] = []
    taken_b: list[tuple[int, int]] = []
    fragments: list[tuple[int, Fragment]] = []
    for tokens, start_a, start_b, members in runs:
        # Compare k-gram starts, not token spans: consecutive segments of one run share up to
        # k - 1 tokens and must not exclude each other.
        span_a = (start_a, members[-1][0] + 1)
        span_b = (start_b, members[-1][1] + 1)
        if _overlaps(span_a, taken_a) or _overlaps(span_b, taken_b):
            continue
        taken_a.append(span_a)
        taken_b.append(span_b)
        fragments.append(
            (
                start_a,
                Fragment(
                    a_lines=_line_range(fp_a, [m[2] for m in members]),
                    b_lines=_line_range(fp_b, [m[3] for m in members]),
                    tokens=tokens,
                ),
            )
        )
    fragments.sort(key=lambda item: (item[1].a_lines, item[1].b_lines))
    return [fragment for _, fragment in fragments]


def _occurrences(fp: Fingerprint, ignored: set[int]) -> dict[int, list[int]]:
    where: dict[int, list[int]] = defaultdict(list)
    for i, value in enumerate(fp.hashes):
        if value not in ignored:
            where[value].append(i)
    return {v: ix for v, ix in where.items() if len(ix) <= MAX_OCCURRENCES_FOR_FRAGMENTS}


def _segments(
    run: list[tuple[int, int, int, int]], fp_a: Fingerprint, fp_b: Fingerprint
) -> list[tuple[int, int, int, list[tuple[int, int, int, int]]]]:
    """Cut a run of the canonical token order where it jumps in either file's lines.

    Canonical ordering moves statements, so one run of matching tokens can cover code that
    sits in several places of the source. A fragment must be a line range in both files: the
    run is cut wherever the next k-gram does not touch the lines covered so far (a k-gram's
    lines stop at the first seam of the canonical order, see :func:`fingerprint_tokens`).
    """
    segments: list[list[tuple[int, int, int, int]]] = []
    current: list[tuple[int, int, int, int]] = []
    span_a = span_b = (0, 0)
    for member in run:
        line_a = (fp_a.first_lines[member[2]], fp_a.last_lines[member[2]])
        line_b = (fp_b.first_lines[member[3]], fp_b.last_lines[member[3]])
        if current and _touches(line_a, span_a) and _touches(line_b, span_b):
            current.append(member)
            span_a = (min(span_a[0], line_a[0]), max(span_a[1], line_a[1]))
            span_b = (min(span_b[0], line_b[0]), max(span_b[1], line_b[1]))
            continue
        if current:
            segments.append(current)
        current, span_a, span_b = [member], line_a, line_b
    if current:
        segments.append(current)
    result = []
    for members in segments:
        # A file shorter than k tokens hashes as one k-gram of its own length.
        remaining = max(fp_a.token_count - members[0][0], 1)
        tokens = min(members[-1][0] - members[0][0] + fp_a.k, remaining)
        result.append((tokens, members[0][0], members[0][1], members))
    return result


def _touches(lines: tuple[int, int], span: tuple[int, int]) -> bool:
    return lines[0] <= span[1] + 1 and lines[1] >= span[0] - 1


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _line_range(fp: Fingerprint, indexes: list[int]) -> tuple[int, int]:
    return (min(fp.first_lines[i] for i in indexes), max(fp.last_lines[i] for i in indexes))
