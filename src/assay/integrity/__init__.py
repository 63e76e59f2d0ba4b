"""Academic integrity signals: copied code between submissions, copied answers, rushed answers."""

from assay.integrity.fingerprint import Fingerprint, fingerprint
from assay.integrity.index import (
    FingerprintIndex,
    Fragment,
    SimilarPair,
    compare_corpus,
    fragments_between,
)
from assay.integrity.threshold import Threshold, estimate_threshold

__all__ = [
    "Fingerprint",
    "FingerprintIndex",
    "Fragment",
    "SimilarPair",
    "Threshold",
    "compare_corpus",
    "estimate_threshold",
    "fingerprint",
    "fragments_between",
]
