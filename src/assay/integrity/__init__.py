"""Academic integrity signals: copied code between submissions, copied answers, rushed answers."""

from assay.integrity.fingerprint import Fingerprint, fingerprint
from assay.integrity.index import (
    CorpusComparison,
    FingerprintIndex,
    Fragment,
    SimilarPair,
    compare_corpus,
    fragments_between,
    score_corpus,
)
from assay.integrity.threshold import Threshold, estimate_threshold

__all__ = [
    "CorpusComparison",
    "Fingerprint",
    "FingerprintIndex",
    "Fragment",
    "SimilarPair",
    "Threshold",
    "compare_corpus",
    "estimate_threshold",
    "fingerprint",
    "fragments_between",
    "score_corpus",
]
