"""Integrity rules in the product: fingerprint graded code, compare it per task, gather signals.

Every signal is evidence for a person to weigh, never a verdict: nothing here rejects anyone.
Services take the session and never commit (the request or the job does).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assay.accounts.permissions import Permission
from assay.accounts.service import Principal
from assay.assessments import repository as assessments_repository
from assay.delivery import repository as delivery_repository
from assay.errors import NotFound, ValidationFailed
from assay.grading import repository as grading_repository
from assay.grading.models import Submission
from assay.integrity import choices, hooks, repository
from assay.integrity.choices import CopyingFlag, SpeedFlag
from assay.integrity.fingerprint import DEFAULT_K, DEFAULT_WINDOW, Fingerprint, fingerprint
from assay.integrity.index import CorpusComparison, Fragment, fragments_between, score_corpus
from assay.integrity.languages import LANGUAGES, spec_for
from assay.integrity.models import (
    AnonymousFingerprint,
    LeakedSolution,
    PairKind,
    SimilarityPair,
    SimilarityRun,
    SubmissionFingerprint,
)
from assay.integrity.tampering import framework_references
from assay.integrity.threshold import DEFAULT_FLOOR, estimate_threshold
from assay.jobs import enqueue_after_commit
from assay.kit.clock import utcnow
from assay.kit.ids import new_id

FINGERPRINT_JOB = hooks.FINGERPRINT_JOB
COMPARE_JOB = "integrity.compare"
MAX_LEAKED_BYTES = 256 * 1024
# Anonymous fingerprints shared by more than this share of other organizations' submissions
# (and more than COMMON_MIN of them) are the task's idiom, not evidence.
ANONYMOUS_COMMON_FRACTION = 0.2
ANONYMOUS_COMMON_MIN = 10
# A solution that patches the framework in many places needs a person after the first few lines.
MAX_FRAMEWORK_FINDINGS = 20


# --- fingerprinting ------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceLayout:
    """Where each file of a submission sits in the concatenated text that was fingerprinted."""

    text: str
    files: list[dict[str, Any]]  # [{"path", "first_line", "lines"}]


def concatenate(files: Mapping[str, Any], language: str) -> SourceLayout:
    """The language's source files in path order, one after the other, with their line spans.

    Other files (notes, data) are left out; a submission is compared as one document so that
    moving a function to another file does not hide it.
    """
    extensions = spec_for(language).extensions
    parts: list[str] = []
    layout: list[dict[str, Any]] = []
    line = 1
    for path in sorted(files):
        if not path.endswith(extensions):
            continue
        text = str(files[path])
        if not text.endswith("\n"):
            text += "\n"
        count = text.count("\n")
        layout.append({"path": path, "first_line": line, "lines": count})
        parts.append(text)
        line += count
    return SourceLayout(text="".join(parts), files=layout)


def fingerprint_submission(
    session: Session, *, submission_id: uuid.UUID
) -> SubmissionFingerprint | None:
    """Fingerprint a graded submission once, share its anonymous hashes, queue the comparison.

    None for a language the engine cannot parse (SQL) or a submission that is gone.
    """
    existing = repository.get_fingerprint_of(session, submission_id)
    if existing is not None:
        return existing
    submission = repository.get_submission_for_job(session, submission_id)
    if submission is None or submission.language not in LANGUAGES:
        return None
    layout = concatenate(submission.files, submission.language)
    if not layout.files:
        return None
    fp = fingerprint(layout.text, submission.language)
    anonymous = AnonymousFingerprint(
        id=new_id(),  # now, not at flush: the organization's row must point to it
        task_id=submission.task_id,
        language=submission.language,
        hashes=sorted(set(fp.hashes)),
    )
    session.add(anonymous)
    row = SubmissionFingerprint(
        organization_id=submission.organization_id,
        submission_id=submission.id,
        task_id=submission.task_id,
        language=submission.language,
        fingerprint=fp.to_dict(),
        files=layout.files,
        anonymous_id=anonymous.id,
    )
    session.add(row)
    session.flush()
    enqueue_after_commit(
        session, COMPARE_JOB, str(submission.organization_id), submission.task_id, fp.language
    )
    return row


def starter_template(task_id: str, language: str) -> list[Fingerprint]:
    """Every k-gram of the task's starter files (window 1): code every candidate was given."""
    from assay.grading.packages import PackageError, load_package  # noqa: PLC0415 - lazy load
    from assay.grading.service import task_dir  # noqa: PLC0415

    try:
        starter = load_package(task_dir(task_id)).starter(language)
    except (NotFound, PackageError, KeyError, ValueError):
        return []
    layout = concatenate(starter, language)
    return [fingerprint(layout.text, language, window=1)] if layout.files else []


# --- comparing -----------------------------------------------------------------------------


def compare_task(
    session: Session, *, organization_id: uuid.UUID, task_id: str, language: str
) -> SimilarityRun:
    """Compare every fingerprinted submission of a task with every other, with the task's
    leaked solutions and with other organizations' anonymous fingerprints; replace the pairs.

    Running it twice gives the same pairs: it is the job's whole, idempotent unit of work.
    """
    run = _locked_run(session, organization_id=organization_id, task_id=task_id, language=language)
    repository.delete_pairs(
        session, organization_id=organization_id, task_id=task_id, language=language
    )
    rows = repository.fingerprints_of_task(
        session, organization_id=organization_id, task_id=task_id, language=language
    )
    leaked = repository.leaked_of_task(
        session, organization_id=organization_id, task_id=task_id, language=language
    )
    anonymous = repository.anonymous_from_other_organizations(
        session, organization_id=organization_id, task_id=task_id, language=language
    )
    submissions = {str(row.submission_id): Fingerprint.from_dict(row.fingerprint) for row in rows}
    others: dict[str, Fingerprint] = {
        f"leaked:{item.id}": Fingerprint.from_dict(item.fingerprint) for item in leaked
    }
    others.update({f"anonymous:{item.id}": _hash_only(item, language) for item in anonymous})
    template = [*starter_template(task_id, language), *_common_anonymous(anonymous, language)]
    now = utcnow()
    run.computed_at = now
    run.submissions = len(submissions)
    if not submissions:
        run.threshold, run.threshold_method, run.pairs = DEFAULT_FLOOR, "mad", 0
        return run
    comparison = score_corpus(submissions, leaked=others, template=template)
    among = ~comparison.leaked
    threshold = estimate_threshold(
        comparison.similarity[among], total_pairs=comparison.submission_pairs
    )
    run.threshold, run.threshold_method, run.pairs = (
        threshold.value,
        threshold.method,
        threshold.pairs,
    )
    for pair in _flagged_pairs(comparison, threshold.value):
        pair.organization_id = organization_id
        pair.task_id = task_id
        pair.language = language
        pair.threshold = threshold.value
        pair.computed_at = now
        session.add(pair)
    session.flush()
    return run


def _locked_run(
    session: Session, *, organization_id: uuid.UUID, task_id: str, language: str
) -> SimilarityRun:
    """The task's run row, locked so that two comparisons of one task take turns."""
    run = repository.get_run(
        session, organization_id=organization_id, task_id=task_id, language=language, lock=True
    )
    if run is not None:
        return run
    run = SimilarityRun(
        organization_id=organization_id,
        task_id=task_id,
        language=language,
        threshold=DEFAULT_FLOOR,
        threshold_method="mad",
        submissions=0,
        pairs=0,
    )
    try:
        with session.begin_nested():
            session.add(run)
    except IntegrityError:  # another comparison created it first: take its row and wait our turn
        found = repository.get_run(
            session, organization_id=organization_id, task_id=task_id, language=language, lock=True
        )
        if found is None:
            raise
        return found
    return run


def _hash_only(row: AnonymousFingerprint, language: str) -> Fingerprint:
    """An anonymous fingerprint as the engine's type: hashes, and zeros where lines would be."""
    zeros = (0,) * len(row.hashes)
    return Fingerprint(
        language=language,
        k=DEFAULT_K,
        window=DEFAULT_WINDOW,
        token_count=0,
        hashes=tuple(int(h) for h in row.hashes),
        positions=zeros,
        first_lines=zeros,
        last_lines=zeros,
    )


def _common_anonymous(
    anonymous: Sequence[AnonymousFingerprint], language: str
) -> list[Fingerprint]:
    """Hashes that most other organizations' submissions share, as one template to ignore."""
    counts: dict[int, int] = defaultdict(int)
    for row in anonymous:
        for value in row.hashes:
            counts[int(value)] += 1
    limit = max(ANONYMOUS_COMMON_FRACTION * len(anonymous), ANONYMOUS_COMMON_MIN)
    common = sorted(value for value, count in counts.items() if count > limit)
    if not common:
        return []
    zeros = (0,) * len(common)
    return [
        Fingerprint(
            language=language,
            k=DEFAULT_K,
            window=1,
            token_count=0,
            hashes=tuple(common),
            positions=zeros,
            first_lines=zeros,
            last_lines=zeros,
        )
    ]


def _flagged_pairs(comparison: CorpusComparison, threshold: float) -> list[SimilarityPair]:
    """Rows for every pair at or above the threshold; one row per submission for all its
    anonymous matches together (the best score and how many there were)."""
    chosen = np.nonzero(comparison.similarity >= threshold)[0].tolist()
    pairs: list[SimilarityPair] = []
    anonymous: dict[int, list[int]] = defaultdict(list)
    for i in chosen:
        row, col = int(comparison.rows[i]), int(comparison.cols[i])
        if not comparison.leaked[i]:
            pairs.append(_submission_pair(comparison, i, row, col))
            continue
        name = comparison.leaked_names[col]
        if name.startswith("anonymous:"):
            anonymous[row].append(i)
        else:
            pairs.append(_leaked_pair(comparison, i, row, col))
    for row, entries in anonymous.items():
        pairs.append(_anonymous_pair(comparison, row, entries))
    return pairs


def _fragment_dicts(fragments: Iterable[Fragment]) -> list[dict[str, Any]]:
    return [
        {"a_lines": list(f.a_lines), "b_lines": list(f.b_lines), "tokens": f.tokens}
        for f in fragments
    ]


def _submission_pair(comparison: CorpusComparison, i: int, row: int, col: int) -> SimilarityPair:
    first, second = sorted((row, col), key=lambda n: comparison.names[n])
    fragments = fragments_between(
        comparison.fingerprints[first], comparison.fingerprints[second], comparison.ignored
    )
    return SimilarityPair(
        kind=PairKind.SUBMISSION,
        submission_a_id=uuid.UUID(comparison.names[first]),
        submission_b_id=uuid.UUID(comparison.names[second]),
        score=float(comparison.similarity[i]),
        shared=int(comparison.shared[i]),
        longest_fragment_tokens=max((f.tokens for f in fragments), default=0),
        fragments=_fragment_dicts(fragments),
        matches=1,
    )


def _leaked_pair(comparison: CorpusComparison, i: int, row: int, col: int) -> SimilarityPair:
    fragments = fragments_between(
        comparison.fingerprints[row], comparison.leaked_fingerprints[col], comparison.ignored
    )
    return SimilarityPair(
        kind=PairKind.LEAKED,
        submission_a_id=uuid.UUID(comparison.names[row]),
        leaked_solution_id=uuid.UUID(comparison.leaked_names[col].removeprefix("leaked:")),
        score=float(comparison.similarity[i]),
        shared=int(comparison.shared[i]),
        longest_fragment_tokens=max((f.tokens for f in fragments), default=0),
        fragments=_fragment_dicts(fragments),
        matches=1,
    )


def _anonymous_pair(comparison: CorpusComparison, row: int, entries: list[int]) -> SimilarityPair:
    """The best anonymous match of one submission: its own lines that match, nothing else."""
    best = max(entries, key=lambda i: float(comparison.similarity[i]))
    own = comparison.fingerprints[row]
    other = comparison.leaked_fingerprints[int(comparison.cols[best])]
    fragments = own_matching_lines(own, set(other.hashes) - comparison.ignored)
    return SimilarityPair(
        kind=PairKind.ANONYMOUS,
        submission_a_id=uuid.UUID(comparison.names[row]),
        score=float(comparison.similarity[best]),
        shared=int(comparison.shared[best]),
        longest_fragment_tokens=max((int(f["tokens"]) for f in fragments), default=0),
        fragments=fragments,
        matches=len(entries),
    )


def own_matching_lines(fp: Fingerprint, hashes: set[int]) -> list[dict[str, Any]]:
    """Line ranges of ``fp`` whose k-grams occur in ``hashes``, merged where they touch.

    The other side has no lines to show (it is only a set of hashes), so a fragment's length
    in tokens is estimated from this side's token offsets.
    """
    spans = sorted(
        (fp.first_lines[i], fp.last_lines[i], fp.positions[i])
        for i, value in enumerate(fp.hashes)
        if value in hashes
    )
    merged: list[list[int]] = []  # [first line, last line, first offset, last offset]
    for first, last, position in spans:
        if merged and first <= merged[-1][1] + 1:
            current = merged[-1]
            current[1] = max(current[1], last)
            current[2], current[3] = min(current[2], position), max(current[3], position)
            continue
        merged.append([first, last, position, position])
    return [
        {"a_lines": [first, last], "b_lines": None, "tokens": high - low + fp.k}
        for first, last, low, high in merged
    ]


# --- leaked solutions ----------------------------------------------------------------------


def register_leaked_solution(
    session: Session,
    *,
    principal: Principal,
    task_id: str,
    language: str,
    label: str,
    source: str,
    source_url: str | None = None,
) -> LeakedSolution:
    """An author records a solution known to circulate; the task is compared again."""
    principal.require(Permission.MANAGE_CONTENT)
    from assay.grading.packages import load_package  # noqa: PLC0415 - lazy load
    from assay.grading.service import task_dir  # noqa: PLC0415

    package = load_package(task_dir(task_id))
    if language not in package.language_names() or language not in LANGUAGES:
        accepted = ", ".join(n for n in package.language_names() if n in LANGUAGES) or "none"
        raise ValidationFailed(
            f"Task '{task_id}' can be compared in {accepted}; not '{language}'.",
            code="unsupported_language",
        )
    if not source.strip():
        raise ValidationFailed("The leaked solution is empty.")
    if len(source.encode()) > MAX_LEAKED_BYTES:
        raise ValidationFailed(f"A leaked solution may be at most {MAX_LEAKED_BYTES} bytes.")
    leaked = LeakedSolution(
        organization_id=principal.organization_id,
        task_id=task_id,
        language=language,
        label=label.strip() or "Leaked solution",
        source_url=source_url or None,
        source=source,
        fingerprint=fingerprint(source, language).to_dict(),
        registered_by=principal.user_id,
    )
    session.add(leaked)
    session.flush()
    enqueue_after_commit(session, COMPARE_JOB, str(principal.organization_id), task_id, language)
    return leaked


# --- reading pairs -------------------------------------------------------------------------


@dataclass(frozen=True)
class SideLine:
    number: int  # line within its file
    text: str
    marked: bool
    longest: bool


@dataclass(frozen=True)
class SideFile:
    path: str
    lines: list[SideLine]


@dataclass(frozen=True)
class PairSide:
    title: str
    attempt_id: uuid.UUID | None
    files: list[SideFile]  # empty for an anonymous match: its code never leaves its owner
    ranges: list[dict[str, Any]]  # [{"path", "from", "to"}] per fragment, in order


@dataclass(frozen=True)
class PairView:
    pair: SimilarityPair
    a: PairSide
    b: PairSide
    longest: dict[str, Any] | None  # {"a": {...}, "b": {...} | None, "tokens": n}


def get_pair_or_raise(
    session: Session, *, principal: Principal, pair_id: uuid.UUID
) -> SimilarityPair:
    principal.require(Permission.VIEW_RESULTS)
    pair = repository.get_pair(session, organization_id=principal.organization_id, pair_id=pair_id)
    if pair is None:
        raise NotFound("No such similarity pair.")
    return pair


def pair_view(session: Session, *, principal: Principal, pair_id: uuid.UUID) -> PairView:
    """Both sides of a pair with the matched lines marked; both belong to the caller."""
    pair = get_pair_or_raise(session, principal=principal, pair_id=pair_id)
    org = principal.organization_id
    fragments = list(pair.fragments)
    longest_fragment = max(fragments, key=lambda f: int(f["tokens"]), default=None)
    owners = repository.attempts_of_submissions(
        session,
        organization_id=org,
        submission_ids=[s for s in (pair.submission_a_id, pair.submission_b_id) if s],
    )
    a_sub = _own_submission(session, org, pair.submission_a_id)
    a_side = _side(
        _label(owners, a_sub.id, "Submission"),
        owners.get(a_sub.id, (None, None))[0],
        concatenate(a_sub.files, pair.language),
        [f["a_lines"] for f in fragments],
        longest_fragment["a_lines"] if longest_fragment else None,
    )
    b_ranges = [f["b_lines"] for f in fragments if f.get("b_lines")]
    b_longest = longest_fragment.get("b_lines") if longest_fragment else None
    if pair.kind == PairKind.SUBMISSION and pair.submission_b_id is not None:
        b_sub = _own_submission(session, org, pair.submission_b_id)
        b_side = _side(
            _label(owners, b_sub.id, "Submission"),
            owners.get(b_sub.id, (None, None))[0],
            concatenate(b_sub.files, pair.language),
            b_ranges,
            b_longest,
        )
    elif pair.kind == PairKind.LEAKED and pair.leaked_solution_id is not None:
        leaked = repository.get_leaked(
            session, organization_id=org, leaked_id=pair.leaked_solution_id
        )
        if leaked is None:
            raise NotFound("The leaked solution of this pair was removed.")
        extension = spec_for(pair.language).extensions[0]
        b_side = _side(
            f"Leaked solution: {leaked.label}",
            None,
            concatenate({f"leaked{extension}": leaked.source}, pair.language),
            b_ranges,
            b_longest,
        )
    else:
        b_side = PairSide(
            title="An anonymous submission from another organization",
            attempt_id=None,
            files=[],
            ranges=[],
        )
    longest = None
    if longest_fragment is not None:
        longest = {
            "tokens": int(longest_fragment["tokens"]),
            "a": _locate(a_side, longest_fragment["a_lines"]),
            "b": _locate(b_side, b_longest) if b_longest else None,
        }
    return PairView(pair=pair, a=a_side, b=b_side, longest=longest)


def _own_submission(
    session: Session, organization_id: uuid.UUID, submission_id: uuid.UUID
) -> Submission:
    submission = grading_repository.get_submission(
        session, organization_id=organization_id, submission_id=submission_id
    )
    if submission is None:
        raise NotFound("The submission of this pair was removed.")
    return submission


def _label(
    owners: Mapping[uuid.UUID, tuple[uuid.UUID, str | None]], submission_id: uuid.UUID, default: str
) -> str:
    owner = owners.get(submission_id)
    if owner is None:
        return default
    return owner[1] or "A candidate whose data was deleted"


def _side(
    title: str,
    attempt_id: uuid.UUID | None,
    layout: SourceLayout,
    ranges: list[list[int]],
    longest: list[int] | None,
) -> PairSide:
    lines = layout.text.split("\n")
    files = []
    for entry in layout.files:
        start = int(entry["first_line"])
        numbered = []
        for offset in range(int(entry["lines"])):
            number = start + offset
            numbered.append(
                SideLine(
                    number=offset + 1,
                    text=lines[number - 1] if number - 1 < len(lines) else "",
                    marked=any(low <= number <= high for low, high in ranges),
                    longest=longest is not None and longest[0] <= number <= longest[1],
                )
            )
        files.append(SideFile(path=str(entry["path"]), lines=numbered))
    side = PairSide(title=title, attempt_id=attempt_id, files=files, ranges=[])
    side.ranges.extend(_locate_layout(layout, r) for r in ranges)
    return side


def _locate_layout(layout: SourceLayout, lines: Sequence[int]) -> dict[str, Any]:
    """A range of the concatenation as a file and its own line numbers."""
    for entry in layout.files:
        first, count = int(entry["first_line"]), int(entry["lines"])
        if first <= lines[0] < first + count:
            last = min(int(lines[1]), first + count - 1)
            return {"path": entry["path"], "from": lines[0] - first + 1, "to": last - first + 1}
    return {"path": "", "from": lines[0], "to": lines[1]}


def _locate(side: PairSide, lines: Sequence[int]) -> dict[str, Any]:
    # Rebuild the layout from the side's files: the same order and line counts.
    layout_files = []
    first = 1
    for file in side.files:
        layout_files.append({"path": file.path, "first_line": first, "lines": len(file.lines)})
        first += len(file.lines)
    return _locate_layout(SourceLayout(text="", files=layout_files), lines)


# --- the assessment view and the candidate panel -------------------------------------------


@dataclass(frozen=True)
class Signal:
    """One integrity signal with its evidence: something for a person to look at."""

    kind: str  # similarity | focus_loss | paste | fullscreen_exit | ip_change | second_browser
    # | browser_change | answer_copying | rushed_answer | test_framework_reference
    title: str
    evidence: str  # one sentence a reviewer reads
    at: datetime | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    pair_id: uuid.UUID | None = None


@dataclass(frozen=True)
class AssessmentIntegrity:
    pairs: list[SimilarityPair]
    submission_attempts: dict[uuid.UUID, uuid.UUID]  # submission id -> attempt id
    copying: list[CopyingFlag]
    speed: list[SpeedFlag]


def assessment_integrity(
    session: Session, *, principal: Principal, assessment_id: uuid.UUID
) -> AssessmentIntegrity:
    """Similarity pairs, answer-copying and speed flags for every attempt of an assessment."""
    principal.require(Permission.VIEW_RESULTS)
    org = principal.organization_id
    _assessment_or_raise(session, organization_id=org, assessment_id=assessment_id)
    attempts = [
        a
        for a, _c in repository.attempts_of_assessment(
            session, organization_id=org, assessment_id=assessment_id
        )
    ]
    responses = repository.responses_of(
        session, organization_id=org, attempt_ids=[a.id for a in attempts]
    )
    submission_attempts = {r.submission_id: r.attempt_id for r in responses if r.submission_id}
    pairs = list(
        repository.pairs_touching(session, organization_id=org, submission_ids=submission_attempts)
    )
    copying = choices.copying_flags(responses)
    speed = [
        flag
        for attempt in attempts
        for flag in choices.speed_flags(session, attempt=attempt, responses=responses)
    ]
    return AssessmentIntegrity(
        pairs=pairs, submission_attempts=submission_attempts, copying=copying, speed=speed
    )


def _assessment_or_raise(
    session: Session, *, organization_id: uuid.UUID, assessment_id: uuid.UUID
) -> None:
    found = assessments_repository.get_assessment(
        session, organization_id=organization_id, assessment_id=assessment_id
    )
    if found is None:
        raise NotFound("No such assessment.")


def integrity_signals(
    session: Session, *, organization_id: uuid.UUID, attempt_id: uuid.UUID
) -> list[Signal]:
    """Every integrity signal of one attempt with its evidence, for the candidate report."""
    attempt = repository.get_attempt(
        session, organization_id=organization_id, attempt_id=attempt_id
    )
    if attempt is None:
        raise NotFound("No such attempt.")
    signals = [
        _event_signal(e)
        for e in delivery_repository.list_events(
            session, organization_id=organization_id, attempt_id=attempt_id
        )
    ]
    assessment_id = repository.assessment_of_attempt(
        session, organization_id=organization_id, attempt_id=attempt_id
    )
    cohort = (
        repository.attempts_of_assessment(
            session, organization_id=organization_id, assessment_id=assessment_id
        )
        if assessment_id
        else []
    )
    names = {a.id: c.name for a, c in cohort}
    responses = repository.responses_of(
        session, organization_id=organization_id, attempt_ids=list(names) or [attempt_id]
    )
    own_submissions = {
        r.submission_id for r in responses if r.attempt_id == attempt_id and r.submission_id
    }
    signals.extend(_similarity_signals(session, organization_id, own_submissions))
    signals.extend(_framework_signals(session, organization_id, own_submissions))
    for flag in choices.copying_flags(responses):
        if attempt_id not in (flag.attempt_a, flag.attempt_b):
            continue
        other = flag.attempt_b if flag.attempt_a == attempt_id else flag.attempt_a
        signals.append(
            Signal(
                kind="answer_copying",
                title="Wrong answers agree with another candidate's",
                evidence=(
                    f"{flag.identical_wrong} identical wrong answers with "
                    f"{names.get(other) or 'another candidate'} out of {flag.both_wrong} items "
                    f"both got wrong; about {flag.expected_identical_wrong:.1f} would be expected "
                    f"by chance (p = {flag.p_value:.1e})."
                ),
                detail={
                    "other_attempt_id": str(other),
                    "identical_wrong": flag.identical_wrong,
                    "both_wrong": flag.both_wrong,
                    "expected_identical_wrong": round(flag.expected_identical_wrong, 2),
                    "p_value": flag.p_value,
                },
            )
        )
    for speed in choices.speed_flags(session, attempt=attempt, responses=responses):
        signals.append(
            Signal(
                kind="rushed_answer",
                title="Answered faster than the question can be read",
                evidence=(
                    f"Item {speed.item_id} answered {speed.seconds:.0f} s after the previous "
                    f"answer; reading it takes at least {speed.threshold_seconds:.0f} s."
                ),
                detail={
                    "item_id": speed.item_id,
                    "seconds": round(speed.seconds, 1),
                    "threshold_seconds": round(speed.threshold_seconds, 1),
                    "correct": speed.correct,
                },
            )
        )
    return signals


_EVENT_TITLES = {
    "focus_loss": "Left the assessment window",
    "paste": "Pasted text",
    "fullscreen_exit": "Left full screen",
    "ip_change": "IP address changed",
    "second_browser": "Opened in a second browser",
    "browser_change": "Browser changed",
}


def _event_signal(event: Any) -> Signal:
    detail = dict(event.detail or {})
    moment = event.client_at or event.server_at
    where = f" on item {detail['item_id']}" if detail.get("item_id") else ""
    if event.kind == "paste":
        evidence = f"Pasted {detail.get('chars', 'an unknown number of')} characters{where}."
    elif event.kind == "focus_loss":
        away = f" for {detail['seconds']} s" if detail.get("seconds") is not None else ""
        evidence = f"The window lost focus{away}{where}."
    elif event.kind == "fullscreen_exit":
        evidence = f"Full screen was left{where}."
    elif event.kind == "ip_change":
        evidence = f"Requests came from {detail.get('to')} after {detail.get('from')}."
    elif event.kind == "second_browser":
        evidence = f"The link was used from {detail.get('browsers', 2)} browsers."
    elif event.kind == "browser_change":
        evidence = "The browser's user agent changed."
    else:
        evidence = f"Signal '{event.kind}'."
    return Signal(
        kind=event.kind,
        title=_EVENT_TITLES.get(event.kind, event.kind.replace("_", " ").capitalize()),
        evidence=evidence,
        at=moment,
        detail=detail,
    )


def _similarity_signals(
    session: Session, organization_id: uuid.UUID, submission_ids: set[uuid.UUID]
) -> list[Signal]:
    pairs = repository.pairs_touching(
        session, organization_id=organization_id, submission_ids=submission_ids
    )
    others = {_other_side(p, submission_ids) for p in pairs if p.kind == PairKind.SUBMISSION}
    owners = repository.attempts_of_submissions(
        session, organization_id=organization_id, submission_ids=others
    )
    signals = []
    for pair in pairs:
        if pair.kind == PairKind.SUBMISSION:
            other = owners.get(_other_side(pair, submission_ids))
            whom = (other[1] or "a deleted candidate") if other else "another submission"
            evidence = f"Code of task {pair.task_id} is similar to {whom}'s"
        elif pair.kind == PairKind.LEAKED:
            evidence = f"Code of task {pair.task_id} is similar to a registered leaked solution"
        else:
            evidence = (
                f"Code of task {pair.task_id} is similar to {pair.matches} anonymous "
                f"submission(s) from other organizations"
            )
        signals.append(
            Signal(
                kind="similarity",
                title="Code similar to other code",
                evidence=(
                    f"{evidence}: score {pair.score:.2f} (threshold {pair.threshold:.2f}), "
                    f"longest match {pair.longest_fragment_tokens} tokens."
                ),
                at=pair.computed_at,
                detail={
                    "match": pair.kind,
                    "task_id": pair.task_id,
                    "score": round(pair.score, 4),
                    "threshold": round(pair.threshold, 4),
                    "longest_fragment_tokens": pair.longest_fragment_tokens,
                },
                pair_id=pair.id,
            )
        )
    return signals


def _framework_signals(
    session: Session, organization_id: uuid.UUID, submission_ids: set[uuid.UUID]
) -> list[Signal]:
    """One signal per line of a graded solution that refers to the test framework."""
    signals = []
    for submission in repository.graded_submissions(
        session, organization_id=organization_id, submission_ids=submission_ids
    ):
        findings = framework_references(submission.files, submission.language)
        for finding in findings[:MAX_FRAMEWORK_FINDINGS]:
            signals.append(
                Signal(
                    kind="test_framework_reference",
                    title="The solution refers to the test framework; a person should look",
                    evidence=(
                        f"{finding.file}:{finding.line} of task {submission.task_id} "
                        f"{finding.what}: {finding.excerpt}"
                    ),
                    at=submission.created_at,
                    detail={
                        "submission_id": str(submission.id),
                        "task_id": submission.task_id,
                        "file": finding.file,
                        "line": finding.line,
                        "what": finding.what,
                        "excerpt": finding.excerpt,
                        "findings_in_submission": len(findings),
                    },
                )
            )
    return signals


def _other_side(pair: SimilarityPair, own: set[uuid.UUID]) -> uuid.UUID:
    if pair.submission_a_id in own and pair.submission_b_id is not None:
        return pair.submission_b_id
    return pair.submission_a_id


def signals_for(session: Session, *, principal: Principal, attempt_id: uuid.UUID) -> list[Signal]:
    """:func:`integrity_signals` for a caller who may view results."""
    principal.require(Permission.VIEW_RESULTS)
    return integrity_signals(
        session, organization_id=principal.organization_id, attempt_id=attempt_id
    )
