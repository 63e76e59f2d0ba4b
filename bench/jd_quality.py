"""Job-description analysis quality: precision and recall over the labelled corpus, vs a baseline.

    .venv/bin/python bench/jd_quality.py                  # tuning and held-out, both
    .venv/bin/python bench/jd_quality.py --split tuning -v  # per-description misses

Precision counts a found skill as right if the labels require it, list it as nice-to-have or
accept it; recall counts the required and nice-to-have skills that were found. The baseline is
a naive keyword matcher over the same taxonomy terms: every term's regex over the whole text,
no sections, no negation, no context rules, no boilerplate filtering.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from assay.assessments.jd import analyze_bytes, decode_job_description
from assay.assessments.taxonomy import load_terms

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "job_descriptions"


@dataclass(frozen=True)
class Labelled:
    name: str
    data: bytes
    required: frozenset[str]
    acceptable: frozenset[str]
    nice_to_have: frozenset[str]
    seniority: str | None


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    precisions: list[float] | None = None
    recalls: list[float] | None = None

    def add(self, found: set[str], doc: Labelled) -> tuple[set[str], set[str]]:
        wanted = doc.required | doc.nice_to_have
        allowed = wanted | doc.acceptable
        wrong = found - allowed
        missed = wanted - found
        right = found & allowed
        self.true_positives += len(found & wanted)
        self.false_positives += len(wrong)
        self.false_negatives += len(missed)
        self.precisions = [*(self.precisions or []), len(right) / len(found) if found else 1.0]
        self.recalls = [
            *(self.recalls or []),
            len(found & wanted) / len(wanted) if wanted else 1.0,
        ]
        return wrong, missed

    @property
    def micro_precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def micro_recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def macro_precision(self) -> float:
        return sum(self.precisions or [1.0]) / len(self.precisions or [1.0])

    @property
    def macro_recall(self) -> float:
        return sum(self.recalls or [1.0]) / len(self.recalls or [1.0])

    @property
    def f1(self) -> float:
        p, r = self.micro_precision, self.micro_recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_corpus(split: str) -> list[Labelled]:
    docs: list[Labelled] = []
    for path in sorted((CORPUS / split).glob("*.txt")):
        labels = yaml.safe_load(path.with_suffix(".expected.yaml").read_text(encoding="utf-8"))
        docs.append(
            Labelled(
                name=path.stem,
                data=path.read_bytes(),
                required=frozenset(labels.get("required") or []),
                acceptable=frozenset(labels.get("acceptable") or []),
                nice_to_have=frozenset(labels.get("nice_to_have") or []),
                seniority=labels.get("seniority"),
            )
        )
    return docs


def analyser_skills(doc: Labelled) -> set[str]:
    return {skill.id for skill in analyze_bytes(doc.data).skills}


def baseline_skills(doc: Labelled) -> set[str]:
    """Naive keyword matching: any term anywhere in the text shows its skills."""
    text, _ = decode_job_description(doc.data)
    found: set[str] = set()
    for term in load_terms():
        if term.skills[0] not in found and term.pattern.search(text):
            found.update(term.skills)
    return found


def evaluate(docs: list[Labelled], matcher: Callable[[Labelled], set[str]], verbose: bool) -> Score:
    score = Score()
    for doc in docs:
        wrong, missed = score.add(matcher(doc), doc)
        if verbose and (wrong or missed):
            print(f"    {doc.name}: invented {sorted(wrong)} missed {sorted(missed)}")
    return score


def nice_to_have_violations(docs: list[Labelled]) -> list[str]:
    problems: list[str] = []
    for doc in docs:
        weights = {s.id: s.weight for s in analyze_bytes(doc.data).skills}
        for skill in doc.nice_to_have:
            if weights.get(skill, 0.0) > 0.5:
                problems.append(f"{doc.name}: {skill} weight {weights[skill]}")
    return problems


def seniority_accuracy(docs: list[Labelled], verbose: bool) -> float:
    right = 0
    for doc in docs:
        got = analyze_bytes(doc.data).seniority
        right += got == doc.seniority
        if verbose and got != doc.seniority:
            print(f"    {doc.name}: seniority {got}, labelled {doc.seniority}")
    return right / len(docs) if docs else 1.0


def report(split: str, verbose: bool) -> None:
    docs = load_corpus(split)
    print(f"== {split}: {len(docs)} descriptions")
    started = time.perf_counter()
    ours = evaluate(docs, analyser_skills, verbose)
    elapsed = time.perf_counter() - started
    base = evaluate(docs, baseline_skills, False)
    rows = [("analyser", ours), ("baseline (naive keywords)", base)]
    print(f"  {'':27} {'micro P':>8} {'micro R':>8} {'macro P':>8} {'macro R':>8} {'F1':>6}")
    for name, s in rows:
        print(
            f"  {name:27} {s.micro_precision:8.3f} {s.micro_recall:8.3f} "
            f"{s.macro_precision:8.3f} {s.macro_recall:8.3f} {s.f1:6.3f}"
        )
    print(
        f"  ratio analyser/baseline: precision {ours.micro_precision / base.micro_precision:.2f}x, "
        f"recall {ours.micro_recall / base.micro_recall:.2f}x, F1 {ours.f1 / base.f1:.2f}x"
    )
    print(
        f"  invented {ours.false_positives} (baseline {base.false_positives}), "
        f"missed {ours.false_negatives} (baseline {base.false_negatives})"
    )
    print(f"  seniority accuracy {seniority_accuracy(docs, verbose):.3f}")
    problems = nice_to_have_violations(docs)
    print(f"  nice-to-have skills weighted above 0.5: {len(problems)}")
    for problem in problems if verbose else []:
        print(f"    {problem}")
    print(f"  analysis time {1000 * elapsed / len(docs):.1f} ms per description")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["tuning", "heldout", "all"], default="all")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    for split in ["tuning", "heldout"] if args.split == "all" else [args.split]:
        report(split, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
