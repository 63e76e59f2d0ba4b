"""Code-similarity benchmark: our winnowing engine against copydetect on disguised copies.

Corpus: functions and classes taken with ``ast`` from the standard library (deterministic for a
seed), each written to its own file, plus disguised copies of some of them at four levels:

  1  comments, blank lines, docstrings and formatting changed
  2  + identifiers renamed, literals changed
  3  + independent statements and methods reordered
  4  + dead code inserted, statements split and merged

Ranking quality is the ROC AUC of (original, copy) pairs against independent pairs (any two
files of different origin), per level. copydetect compares every pair in Python, so both
tools are scored on a subsample (``--sub-originals`` originals, the copied ones among them, and
their copies); ours also runs on the full corpus for time and memory. Each run is a fresh
process, so peak RSS is that run's own.

    .venv/bin/python bench/similarity.py                 # report (seed 7)
    .venv/bin/python bench/similarity.py --seed 1 ...    # development seed used for tuning
"""

from __future__ import annotations

import argparse
import ast
import builtins
import copy
import json
import random
import resource
import subprocess
import sys
import sysconfig
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

LEVELS = (1, 2, 3, 4)
# Lines of code after the docstring: one-liners carry too few tokens to tell apart from their
# many structural twins, for any tool.
MIN_CODE_LINES, MAX_LINES = 6, 150
BUILTIN_NAMES = frozenset(dir(builtins)) | {"self", "cls"}
WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "omega",
    "kappa",
    "sigma",
    "theta",
    "lambda",
    "zeta",
    "quux",
    "corge",
]


# -- corpus ----------------------------------------------------------------------------------


def stdlib_snippets(limit: int, seed: int) -> list[str]:
    """Top-level functions and classes (methods of long classes) from the standard library."""
    root = Path(sysconfig.get_paths()["stdlib"])
    seen: set[str] = set()
    snippets: list[str] = []
    for path in sorted(root.rglob("*.py")):
        parts = set(path.relative_to(root).parts)
        if parts & {"test", "tests", "idle_test", "site-packages", "lib2to3", "dist-packages"}:
            continue
        try:
            text = path.read_text(encoding="utf-8")
            tree = ast.parse(text)
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        lines = text.splitlines(keepends=True)
        for node in tree.body:
            for unit in _units(node):
                first = min([unit.lineno] + [d.lineno for d in unit.decorator_list])  # type: ignore[attr-defined]
                source = textwrap.dedent("".join(lines[first - 1 : unit.end_lineno]))
                size = source.count("\n")
                if size > MAX_LINES or _code_lines(unit) < MIN_CODE_LINES or source in seen:
                    continue
                try:
                    ast.parse(source)
                except SyntaxError:  # a multi-line string defeated dedent
                    continue
                seen.add(source)
                snippets.append(source)
    random.Random(seed).shuffle(snippets)
    if len(snippets) < limit:
        raise SystemExit(f"only {len(snippets)} snippets in {root}, need {limit}")
    return snippets[:limit]


def _code_lines(unit: ast.stmt) -> int:
    body = unit.body  # type: ignore[attr-defined]
    start = body[1].lineno if _is_docstring(body[0]) and len(body) > 1 else body[0].lineno
    return (unit.end_lineno or unit.lineno) - start + 1


def _units(node: ast.stmt) -> list[ast.stmt]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return [node]
    if isinstance(node, ast.ClassDef):
        size = (node.end_lineno or node.lineno) - node.lineno + 1
        if size <= MAX_LINES:
            return [node]
        return [n for n in node.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    return []


# -- disguises -------------------------------------------------------------------------------


def disguise(source: str, level: int, rng: random.Random) -> str:
    tree = ast.parse(source)
    if level >= 2:
        Renamer(tree, rng).visit(tree)
        LiteralChanger(rng).visit(tree)
    if level >= 3:
        reorder(tree, rng)
    if level >= 4:
        split_and_merge(tree, rng)
        insert_dead_code(tree, rng)
    ast.fix_missing_locations(tree)
    text = ast.unparse(tree)
    return decorate(text, rng)


def decorate(text: str, rng: random.Random) -> str:
    """Level 1: new comments and blank lines, two-space indents (unparse already reformats)."""
    out: list[str] = []
    for original in text.splitlines():
        stripped = original.lstrip(" ")
        indent = len(original) - len(stripped)
        line = " " * (indent // 2) + stripped if indent % 4 == 0 else original
        if rng.random() < 0.15:
            out.append(" " * (indent // 2) + f"# {rng.choice(WORDS)} {rng.choice(WORDS)}")
        if rng.random() < 0.1:
            out.append("")
        out.append(line + (f"  # {rng.choice(WORDS)}" if rng.random() < 0.1 else ""))
    return "\n".join(out) + "\n"


class Renamer(ast.NodeTransformer):
    """Consistently rename variables, parameters, functions and self-attributes."""

    def __init__(self, tree: ast.AST, rng: random.Random) -> None:
        names: set[str] = set()
        attributes: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Name | ast.arg | ast.FunctionDef | ast.ClassDef):
                names.add(getattr(node, "id", None) or getattr(node, "arg", None) or node.name)  # type: ignore[attr-defined]
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                attributes.add(node.attr)
        names -= BUILTIN_NAMES
        self.mapping = {n: f"{rng.choice(WORDS)}_{i}" for i, n in enumerate(sorted(names))}
        self.attributes = {a: f"{rng.choice(WORDS)}_a{i}" for i, a in enumerate(sorted(attributes))}

    def visit_Name(self, node: ast.Name) -> ast.Name:
        node.id = self.mapping.get(node.id, node.id)
        return node

    def visit_arg(self, node: ast.arg) -> ast.arg:
        node.arg = self.mapping.get(node.arg, node.arg)
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        node.name = self.mapping.get(node.name, node.name)
        self.generic_visit(node)
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.ClassDef:
        node.name = self.mapping.get(node.name, node.name)
        self.generic_visit(node)
        return node

    def visit_Attribute(self, node: ast.Attribute) -> ast.Attribute:
        node.attr = self.attributes.get(node.attr, node.attr)
        self.generic_visit(node)
        return node


class LiteralChanger(ast.NodeTransformer):
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def visit_Constant(self, node: ast.Constant) -> ast.Constant:
        if isinstance(node.value, bool) or node.value is None:
            return node
        if isinstance(node.value, int | float) and self.rng.random() < 0.5:
            node.value = node.value + self.rng.randint(1, 9)
        elif isinstance(node.value, str) and self.rng.random() < 0.7:
            node.value = self.rng.choice(WORDS)
        return node


def _names(node: ast.AST) -> tuple[set[str], set[str], bool, bool]:
    """(reads, writes, has_call, has_control_flow) of a statement."""
    reads: set[str] = set()
    writes: set[str] = set()
    calls = control = False
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            (writes if isinstance(sub.ctx, ast.Store | ast.Del) else reads).add(sub.id)
        elif isinstance(sub, ast.Call):
            calls = True
        elif isinstance(
            sub,
            ast.Return
            | ast.Raise
            | ast.Break
            | ast.Continue
            | ast.Yield
            | ast.YieldFrom
            | ast.Await
            | ast.Global
            | ast.Nonlocal
            | ast.Try
            | ast.With,
        ):
            control = True
        if isinstance(sub, ast.Attribute | ast.Subscript) and isinstance(
            sub.ctx, ast.Store | ast.Del
        ):
            writes |= _root_name(sub.value)  # obj.x = ..., obj[i] = ... change obj
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute):
            writes |= _root_name(sub.func.value)  # obj.append(...) may change obj
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return set(), {node.name}, False, False
    return reads, writes, calls, control


def _root_name(node: ast.expr) -> set[str]:
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return {node.id} if isinstance(node, ast.Name) else set()


def _independent(a: ast.stmt, b: ast.stmt) -> bool:
    ra, wa, ca, xa = _names(a)
    rb, wb, cb, xb = _names(b)
    if xa or xb or (ca and cb):  # a person would not swap two calls with unknown effects
        return False
    return not (wa & (rb | wb) or wb & ra)


def reorder(tree: ast.AST, rng: random.Random) -> None:
    """Shuffle methods of classes; swap adjacent independent statements in every block."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            head = [n for n in node.body if not isinstance(n, ast.FunctionDef)]
            methods = [n for n in node.body if isinstance(n, ast.FunctionDef)]
            rng.shuffle(methods)
            node.body = head + methods
        for field in ("body", "orelse", "finalbody"):
            body = getattr(node, field, None)
            if not isinstance(body, list) or len(body) < 2:
                continue
            for _ in range(len(body)):
                i = rng.randrange(len(body) - 1)
                first, second = body[i], body[i + 1]
                if isinstance(first, ast.stmt) and isinstance(second, ast.stmt):
                    if _is_docstring(first) or _is_docstring(second):
                        continue
                    if _independent(first, second):
                        body[i], body[i + 1] = second, first


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)


def split_and_merge(tree: ast.AST, rng: random.Random) -> None:
    """return e -> t = e; return t; a = x; b = y -> a, b = x, y; x = x + e <-> x += e;
    if a and b: -> if a: if b: ; f(g(x)) -> t = g(x); f(t)."""
    counter = 0
    for node in list(ast.walk(tree)):
        for field in ("body", "orelse"):
            body = getattr(node, field, None)
            if not isinstance(body, list):
                continue
            out: list[ast.stmt] = []
            i = 0
            while i < len(body):
                stmt = body[i]
                counter += 1
                roll = rng.random()
                nxt = body[i + 1] if i + 1 < len(body) else None
                if isinstance(stmt, ast.Return) and stmt.value is not None and roll < 0.6:
                    name = f"result_{counter}"
                    out.append(ast.Assign([ast.Name(name, ast.Store())], stmt.value))
                    out.append(ast.Return(ast.Name(name, ast.Load())))
                elif (
                    _single_assign(stmt)
                    and nxt is not None
                    and _single_assign(nxt)
                    and _independent(stmt, nxt)
                    and roll < 0.6
                ):
                    targets = [stmt.targets[0], nxt.targets[0]]  # type: ignore[attr-defined]
                    values = [stmt.value, nxt.value]  # type: ignore[attr-defined]
                    out.append(
                        ast.Assign([ast.Tuple(targets, ast.Store())], ast.Tuple(values, ast.Load()))
                    )
                    i += 1
                elif (
                    isinstance(stmt, ast.AugAssign)
                    and isinstance(stmt.target, ast.Name)
                    and roll < 0.6
                ):
                    load = ast.Name(stmt.target.id, ast.Load())
                    out.append(ast.Assign([stmt.target], ast.BinOp(load, stmt.op, stmt.value)))
                elif (
                    isinstance(stmt, ast.If)
                    and not stmt.orelse
                    and isinstance(stmt.test, ast.BoolOp)
                    and isinstance(stmt.test.op, ast.And)
                    and roll < 0.6
                ):
                    first, *rest = stmt.test.values
                    inner_test = rest[0] if len(rest) == 1 else ast.BoolOp(ast.And(), rest)
                    out.append(ast.If(first, [ast.If(inner_test, stmt.body, [])], []))
                elif _single_assign(stmt) and _nested_call(stmt.value) is not None and roll < 0.5:  # type: ignore[attr-defined]
                    inner = _nested_call(stmt.value)  # type: ignore[attr-defined]
                    name = f"part_{counter}"
                    out.append(ast.Assign([ast.Name(name, ast.Store())], copy.deepcopy(inner)))
                    stmt.value = _replace(stmt.value, inner, ast.Name(name, ast.Load()))  # type: ignore[attr-defined]
                    out.append(stmt)
                else:
                    out.append(stmt)
                i += 1
            setattr(node, field, out)


def _single_assign(stmt: ast.stmt | None) -> bool:
    return (
        isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
    )


def _nested_call(expr: ast.expr) -> ast.Call | None:
    if isinstance(expr, ast.Call):
        for arg in expr.args:
            if isinstance(arg, ast.Call):
                return arg
    return None


def _replace(expr: ast.expr, old: ast.expr, new: ast.expr) -> ast.expr:
    class Swap(ast.NodeTransformer):
        def generic_visit(self, node: ast.AST) -> ast.AST:
            if node is old:
                return new
            return super().generic_visit(node)

    return Swap().visit(expr)  # type: ignore[no-any-return]


def insert_dead_code(tree: ast.AST, rng: random.Random) -> None:
    """Unused variables, if False blocks, unreachable code, a never-read log list, an opaque
    predicate: some of these the detector normalises away, some it does not."""
    bodies = [
        node.body
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.body
    ]
    for body in bodies:
        for _ in range(rng.randint(2, 4)):
            kind = rng.randrange(5)
            at = rng.randrange(len(body) + 1)
            name = f"{rng.choice(WORDS)}_{rng.randrange(1000)}"
            if kind == 0:
                stmt: ast.stmt = ast.parse(
                    f"{name} = {rng.randint(0, 99)} * {rng.randint(1, 9)}"
                ).body[0]
            elif kind == 1:
                stmt = ast.parse(f"if False:\n    {name} = len('{rng.choice(WORDS)}')").body[0]
            elif kind == 2:
                stmt = ast.parse(f"{name} = []\n{name}.append({rng.randint(0, 9)})").body[0]
                body.insert(at, ast.parse(f"{name}.append({rng.randint(0, 9)})").body[0])
            elif kind == 3:
                stmt = ast.parse(f"if len('{name}') < 0:\n    print('{name}')").body[0]
            else:
                if not isinstance(body[-1], ast.Return):
                    continue
                body.append(ast.parse(f"{name} = {rng.randint(0, 9)}").body[0])
                continue
            body.insert(at, stmt)


# -- runs (each in a fresh process) ------------------------------------------------------------


def run_ours(directory: Path, k: int, window: int, score: str) -> dict[str, object]:
    from assay.integrity import estimate_threshold, fingerprint, score_corpus

    started = time.perf_counter()
    paths = sorted(directory.rglob("*.py"))
    fps = {
        p.name: fingerprint(p.read_text(encoding="utf-8"), "python", k=k, window=window)
        for p in paths
    }
    fingerprinted = time.perf_counter()
    comparison = score_corpus(fps, score=score)  # type: ignore[arg-type]
    threshold = estimate_threshold(comparison.similarity, total_pairs=comparison.submission_pairs)
    # What a reviewer opens: the pairs above the task's threshold, with aligned fragments.
    flagged = comparison.pairs(min_similarity=threshold.value, fragments_from=threshold.value)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "fingerprint_seconds": fingerprinted - started,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "files": len(paths),
        "threshold": threshold.value,
        "flagged": len(flagged),
        "names": comparison.names,
        "rows": comparison.rows.tolist(),
        "cols": comparison.cols.tolist(),
        "scores": comparison.similarity.tolist(),
    }


def run_copydetect(directory: Path) -> dict[str, object]:
    from copydetect import CopyDetector

    started = time.perf_counter()
    detector = CopyDetector(
        test_dirs=[str(directory)], extensions=["py"], silent=True, autoopen=False
    )
    detector.run()
    seconds = time.perf_counter() - started
    matrix = detector.similarity_matrix
    # copydetect reports the share of each file that is matched, one number per side; the
    # report keeps whichever of the larger and the mean ranks copies better at each level.
    larger = np.maximum(matrix[:, :, 0], matrix[:, :, 1])
    mean = np.clip((matrix[:, :, 0] + matrix[:, :, 1]) / 2, 0, 1)
    rows, cols = np.nonzero(np.triu(larger > 0, k=1))
    return {
        "seconds": seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "files": len(detector.test_files),
        "names": [Path(f).name for f in detector.test_files],
        "rows": rows.tolist(),
        "cols": cols.tolist(),
        "scores": larger[rows, cols].tolist(),
        "alternative_scores": mean[rows, cols].tolist(),
    }


def in_fresh_process(phase: str, directory: Path, args: argparse.Namespace) -> dict[str, object]:
    out = directory.parent / f"{phase}-{directory.name}.json"
    command = [sys.executable, __file__, "--phase", phase, "--dir", str(directory)]
    command += ["--out", str(out), "--k", str(args.k), "--window", str(args.window)]
    command += ["--score", args.score]
    subprocess.run(command, check=True)
    return json.loads(out.read_text())  # type: ignore[no-any-return]


# -- scoring -----------------------------------------------------------------------------------


def origin(name: str) -> tuple[int, int]:
    """(origin id, level) from orig_00012.py / copy_00012_L3.py."""
    stem = name.removesuffix(".py").split("_")
    return int(stem[1]), int(stem[2][1:]) if stem[0] == "copy" else 0


def split_scores(
    result: dict[str, object], copied: int
) -> tuple[dict[int, np.ndarray], np.ndarray, int]:
    """Positive scores per level (0 where the pair shares nothing), sorted nonzero negative
    scores, and how many negative pairs scored 0."""
    names: list[str] = result["names"]  # type: ignore[assignment]
    origins = [origin(name) for name in names]
    positives: dict[int, dict[int, float]] = {level: {} for level in LEVELS}
    negatives: list[float] = []
    triples = zip(result["rows"], result["cols"], result["scores"], strict=True)  # type: ignore[call-overload]
    for row, col, value in triples:
        (oa, la), (ob, lb) = origins[row], origins[col]
        if oa != ob:
            negatives.append(value)
        elif min(la, lb) == 0:
            positives[max(la, lb)][oa] = value
    files = len(names)
    same_origin_pairs = copied * len(LEVELS) * (len(LEVELS) + 1) // 2
    negative_pairs = files * (files - 1) // 2 - same_origin_pairs
    per_level = {
        level: np.array([positives[level].get(i, 0.0) for i in range(copied)]) for level in LEVELS
    }
    return per_level, np.sort(np.array(negatives)), negative_pairs - len(negatives)


def auc(positive: np.ndarray, negative: np.ndarray, negative_zeros: int) -> float:
    """Mann-Whitney AUC, ties counted half; ``negative_zeros`` more negatives scored 0."""
    below = np.searchsorted(negative, positive, "left")
    equal = np.searchsorted(negative, positive, "right") - below
    below = below + np.where(positive > 0, negative_zeros, 0)
    equal = equal + np.where(positive == 0, negative_zeros, 0)
    total = len(positive) * (len(negative) + negative_zeros)
    return float((below + 0.5 * equal).sum() / total)


def tpr_at_fpr(
    positive: np.ndarray, negative: np.ndarray, negative_zeros: int, fpr: float
) -> float:
    """Share of copies scored above the cut that lets through ``fpr`` of independent pairs."""
    allowed = int(fpr * (len(negative) + negative_zeros))
    cut = negative[-allowed - 1] if allowed < len(negative) else 0.0
    return float(np.mean(positive > cut))


# -- main --------------------------------------------------------------------------------------


def build_corpus(
    root: Path, snippets: list[str], copied: int, sub_originals: int, seed: int
) -> tuple[Path, Path]:
    full, sub = root / "full", root / "sub"
    full.mkdir()
    sub.mkdir()
    for i, source in enumerate(snippets):
        name = f"orig_{i:05d}.py"
        (full / name).write_text(source, encoding="utf-8")
        if i < sub_originals:
            (sub / name).write_text(source, encoding="utf-8")
        if i < copied:
            for level in LEVELS:
                text = disguise(source, level, random.Random(f"{seed}-{i}-{level}"))
                copy_name = f"copy_{i:05d}_L{level}.py"
                (full / copy_name).write_text(text, encoding="utf-8")
                (sub / copy_name).write_text(text, encoding="utf-8")
    return full, sub


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--files", type=int, default=5000, help="original files in the corpus")
    parser.add_argument("--copied", type=int, default=250, help="originals that get 4 copies")
    parser.add_argument("--sub-originals", type=int, default=500)
    parser.add_argument("--k", type=int, default=0, help="0: the engine's default")
    parser.add_argument("--window", type=int, default=0, help="0: the engine's default")
    parser.add_argument("--score", default="jaccard", choices=["containment", "jaccard"])
    parser.add_argument("--skip-copydetect", action="store_true")
    parser.add_argument("--skip-full", action="store_true")
    parser.add_argument("--phase", choices=["ours", "copydetect"], help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.k or not args.window:
        from assay.integrity.fingerprint import DEFAULT_K, DEFAULT_WINDOW

        args.k = args.k or DEFAULT_K
        args.window = args.window or DEFAULT_WINDOW
    return args


def report(runs: dict[str, dict[str, object]], copied: int) -> None:
    fpr = 1e-4
    print(
        f"{'run':<24}{'files':>7}{'seconds':>9}{'peak MB':>9}"
        + "".join(f"{'AUC L' + str(level):>9}" for level in LEVELS)
        + "".join(f"{'TPR L' + str(level):>7}" for level in LEVELS)
    )
    aucs: dict[str, dict[int, float]] = {}
    for label, result in runs.items():
        variants = [result]
        if "alternative_scores" in result:
            variants.append({**result, "scores": result["alternative_scores"]})
        aucs[label], tprs = {}, {}
        for level in LEVELS:
            best = (-1.0, 0.0)
            for variant in variants:
                positives, negatives, zeros = split_scores(variant, copied)
                found = auc(positives[level], negatives, zeros)
                tpr = tpr_at_fpr(positives[level], negatives, zeros, fpr)
                best = max(best, (found, tpr))
            aucs[label][level], tprs[level] = best
        print(
            f"{label:<24}{result['files']:>7}{result['seconds']:>9.1f}"
            f"{result['peak_rss_mb']:>9.0f}"
            + "".join(f"{aucs[label][level]:>9.4f}" for level in LEVELS)
            + "".join(f"{tprs[level]:>7.3f}" for level in LEVELS)
        )
    print(f"(TPR Ln: share of level-n copies ranked above all but {fpr:.2%} of independent pairs;")
    print(" copydetect: the better of its two per-file shares' max and mean, at each level)")
    for label in ("ours (subsample)", "ours (full corpus)"):
        if label in runs:
            run = runs[label]
            print(
                f"{label}: {run['files']} files in {run['seconds']:.1f}s (fingerprinting "
                f"{run['fingerprint_seconds']:.1f}s); threshold {run['threshold']:.3f} "
                f"(median + 6 MAD, floor 0.3), {run['flagged']} pairs at or above it"
            )
    if "copydetect (subsample)" in runs:
        ours, theirs = runs["ours (subsample)"], runs["copydetect (subsample)"]
        mine, other = float(ours["seconds"]), float(theirs["seconds"])  # type: ignore[arg-type]
        print(
            f"\nratio ours/copydetect on the same {theirs['files']} files: time "
            f"{mine / other:.3f}x (ours {mine:.1f}s, copydetect {other:.1f}s)"
        )
        for level in LEVELS:
            a, b = aucs["ours (subsample)"][level], aucs["copydetect (subsample)"][level]
            print(
                f"  level {level}: AUC ours {a:.4f} / copydetect {b:.4f} = {a / b:.3f}; "
                f"missed ranking (1-AUC) ours/copydetect = {(1 - a) / max(1 - b, 1e-9):.3f}"
            )


def main() -> None:
    args = parse_args()
    if args.phase:
        if args.phase == "ours":
            result = run_ours(args.dir, args.k, args.window, args.score)
        else:
            result = run_copydetect(args.dir)
        args.out.write_text(json.dumps(result))
        return
    started = time.perf_counter()
    snippets = stdlib_snippets(args.files, args.seed)
    with tempfile.TemporaryDirectory(prefix="assay-similarity-") as tmp:
        full, sub = build_corpus(Path(tmp), snippets, args.copied, args.sub_originals, args.seed)
        sub_files = args.sub_originals + args.copied * len(LEVELS)
        full_files = args.files + args.copied * len(LEVELS)
        print(
            f"corpus: {args.files} stdlib functions/classes (seed {args.seed}), "
            f"{args.copied} of them copied at levels 1-4 -> {full_files} files; "
            f"subsample: {args.sub_originals} originals (the copied ones among them) + the "
            f"copies -> {sub_files} files (built in {time.perf_counter() - started:.1f}s)"
        )
        print(f"ours: k={args.k} tokens, window={args.window}, score={args.score}\n")
        runs: dict[str, dict[str, object]] = {}
        runs["ours (subsample)"] = in_fresh_process("ours", sub, args)
        if not args.skip_copydetect:
            runs["copydetect (subsample)"] = in_fresh_process("copydetect", sub, args)
        if not args.skip_full:
            runs["ours (full corpus)"] = in_fresh_process("ours", full, args)
    report(runs, args.copied)


if __name__ == "__main__":
    main()
