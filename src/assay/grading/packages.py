"""Task packages on disk: the loader and the pydantic models of coding and SQL task packages.

The format is documented in docs/task-packages.md; this module is its executable definition.
A package is read once into a `TaskPackage` (manifest + file contents); grading never goes back
to the disk, so a package can be graded from a cache or a database blob just as well.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

FORMAT_VERSION = 1
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
MAX_FILE_BYTES = 1 << 20


class PackageError(Exception):
    """A task package that cannot be loaded, with the path at fault and a precise reason."""

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = Path(path)
        self.message = message


class Language(StrEnum):
    PYTHON = "python"
    NODE = "node"
    JAVA = "java"


SOURCE_SUFFIX: dict[Language, str] = {
    Language.PYTHON: ".py",
    Language.NODE: ".js",
    Language.JAVA: ".java",
}


# io tasks run one program; this file is its entry point (Java: the class Main).
IO_ENTRY: dict[Language, str] = {
    Language.PYTHON: "main.py",
    Language.NODE: "main.js",
    Language.JAVA: "Main.java",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IoComparator(_Strict):
    """How a candidate's stdout is compared with the expected output of an io case."""

    kind: Literal["exact", "whitespace", "float", "unordered_lines", "checker"] = "exact"
    float_tolerance: float = Field(default=1e-6, gt=0, le=1)
    checker: str | None = None  # path of a Python checker program inside the package

    @model_validator(mode="after")
    def _checker_named(self) -> IoComparator:
        if self.kind == "checker" and not self.checker:
            raise ValueError("comparator kind 'checker' needs `checker: <file>.py`")
        if self.kind != "checker" and self.checker:
            raise ValueError("`checker` is only used with comparator kind 'checker'")
        return self


class UnitTests(_Strict):
    kind: Literal["unit"]
    weights: dict[str, float] = Field(default_factory=dict)


class IoTests(_Strict):
    kind: Literal["io"]
    comparator: IoComparator = IoComparator()
    weights: dict[str, float] = Field(default_factory=dict)


class Performance(_Strict):
    """A timed test: the candidate may use at most budget_ratio x the reference's CPU time."""

    budget_ratio: float = Field(ge=1.0, le=100.0)
    weight: float = Field(default=1.0, gt=0)


class _ItemHeader(_Strict):
    format: Literal[1] = 1
    id: str = Field(pattern=ID_PATTERN, max_length=80)
    version: int = Field(ge=1)
    title: str = Field(min_length=3, max_length=120)
    skills: list[str] = Field(min_length=1)
    subskills: list[str] = Field(default_factory=list)
    difficulty: Literal["easy", "medium", "hard"]
    difficulty_prior: float = Field(ge=-3, le=3)
    expected_minutes: int = Field(ge=1, le=240)

    @model_validator(mode="after")
    def _subskills_roll_up(self) -> _ItemHeader:
        for subskill in self.subskills:
            if subskill.split(".", 1)[0] not in self.skills:
                raise ValueError(f"subskill {subskill!r} does not roll up to one of the skills")
        return self


class CodingManifest(_ItemHeader):
    type: Literal["coding"]
    languages: list[Language] = Field(min_length=1)
    time_limit_seconds: float = Field(default=10.0, gt=0, le=120)
    memory_mb: int = Field(default=256, ge=32, le=4096)
    tests: Annotated[UnitTests | IoTests, Field(discriminator="kind")]
    performance: Performance | None = None
    mutants: dict[Annotated[str, Field(pattern=ID_PATTERN)], str] = Field(min_length=2)

    @model_validator(mode="after")
    def _languages_unique(self) -> CodingManifest:
        if len(set(self.languages)) != len(self.languages):
            raise ValueError("languages lists a language twice")
        if self.performance is not None and self.tests.kind != "unit":
            raise ValueError("performance tests are only supported for unit-test tasks")
        return self


class ResultComparator(_Strict):
    """How a query's result set is compared with the reference query's."""

    ordered: bool = False
    column_names: bool = False
    float_tolerance: float = Field(default=1e-9, gt=0, le=1)


class Dataset(_Strict):
    suite: Literal["sample", "hidden"] = "hidden"
    weight: float = Field(default=1.0, gt=0)


class SqlManifest(_ItemHeader):
    type: Literal["sql"]
    dialect: Literal["sqlite", "postgresql"]
    comparator: ResultComparator = ResultComparator()
    time_limit_seconds: float = Field(default=5.0, gt=0, le=60)
    max_rows: int = Field(default=10_000, ge=1, le=1_000_000)
    datasets: dict[Annotated[str, Field(pattern=ID_PATTERN)], Dataset] = Field(min_length=1)
    mutants: dict[Annotated[str, Field(pattern=ID_PATTERN)], str] = Field(min_length=2)

    @model_validator(mode="after")
    def _has_hidden(self) -> SqlManifest:
        if not any(d.suite == "hidden" for d in self.datasets.values()):
            raise ValueError("datasets needs at least one dataset with suite: hidden")
        return self


Files = dict[str, str]


@dataclass(frozen=True)
class LanguageFiles:
    """Everything a coding package holds for one language (unit tasks) — paths are relative."""

    starter: Files
    reference: Files
    mutants: dict[str, Files]
    sample_tests: Files
    hidden_tests: Files
    performance_tests: Files

    @property
    def solution_files(self) -> tuple[str, ...]:
        """The files a candidate edits: exactly the starter's files."""
        return tuple(sorted(self.starter))

    def mutant(self, name: str) -> Files:
        """A mutant's complete files: its own files over the reference."""
        return {**self.reference, **self.mutants[name]}


@dataclass(frozen=True)
class IoCase:
    name: str
    input: str
    expected: str


@dataclass(frozen=True)
class TaskPackage:
    """A loaded, validated task package (coding or SQL)."""

    path: Path
    manifest: CodingManifest | SqlManifest
    statement: str
    digest: str
    languages: dict[Language, LanguageFiles] = field(default_factory=dict)
    io_cases: dict[str, tuple[IoCase, ...]] = field(default_factory=dict)  # suite -> cases
    checker: str | None = None
    schema_sql: str = ""
    datasets: dict[str, str] = field(default_factory=dict)  # name -> SQL that loads the data
    reference_sql: str = ""
    starter_sql: str = ""
    mutant_sql: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def kind(self) -> Literal["coding", "sql"]:
        return self.manifest.type

    def language_names(self) -> list[str]:
        """Languages a solution may be written in ("sql" for SQL tasks)."""
        if isinstance(self.manifest, SqlManifest):
            return ["sql"]
        return [language.value for language in self.manifest.languages]

    def reference(self, language: str) -> Files:
        if isinstance(self.manifest, SqlManifest):
            return {"solution.sql": self.reference_sql}
        return dict(self.languages[Language(language)].reference)

    def starter(self, language: str) -> Files:
        if isinstance(self.manifest, SqlManifest):
            return {"solution.sql": self.starter_sql}
        return dict(self.languages[Language(language)].starter)

    def mutants(self, language: str) -> dict[str, Files]:
        """Every known-wrong solution for a language, as complete file sets."""
        if isinstance(self.manifest, SqlManifest):
            return {name: {"solution.sql": sql} for name, sql in self.mutant_sql.items()}
        files = self.languages[Language(language)]
        return {name: files.mutant(name) for name in files.mutants}


def load_package(path: Path | str) -> TaskPackage:
    """Read and validate the task package in directory `path`; raise PackageError if it is wrong."""
    root = Path(path)
    if not root.is_dir():
        raise PackageError(root, "not a directory")
    raw = _read_yaml(root / "task.yaml")
    kind = raw.get("type")
    model: type[CodingManifest] | type[SqlManifest]
    if kind == "coding":
        model = CodingManifest
    elif kind == "sql":
        model = SqlManifest
    else:
        raise PackageError(root / "task.yaml", f"type must be 'coding' or 'sql', not {kind!r}")
    try:
        manifest = model.model_validate(raw)
    except ValidationError as exc:
        raise PackageError(root / "task.yaml", _describe(exc)) from exc
    if manifest.id != root.name:
        raise PackageError(root, f"directory name must equal the task id {manifest.id!r}")
    statement = _read_text(root / "statement.md")
    digest = suite_digest(root)
    if isinstance(manifest, CodingManifest):
        return _load_coding(root, manifest, statement, digest)
    return _load_sql(root, manifest, statement, digest)


def suite_digest(task_dir: Path | str) -> str:
    """sha256 over everything that decides a hidden-suite grade (task.yaml, hidden tests, ...).

    Grading results are keyed by (submission, suite digest): when an author changes a hidden
    test the digest changes and the queue knows which results to re-grade.
    """
    root = Path(task_dir)
    parts: list[Path] = [root / "task.yaml"]
    for pattern in (
        "*/tests/hidden/**/*",
        "*/tests/performance/**/*",
        "*/reference/**/*",  # the performance baseline is the reference's run
        "tests/hidden/**/*",
        "*.py",  # io checkers
        "schema.sql",
        "reference.sql",
        "datasets/**/*",
    ):
        parts.extend(p for p in root.glob(pattern) if p.is_file())
    digest = hashlib.sha256()
    for part in sorted(set(parts)):
        relative = part.relative_to(root).as_posix().encode()
        content = part.read_bytes()
        # Length-prefixed so that moving bytes between names can never collide.
        digest.update(len(relative).to_bytes(8, "big") + relative)
        digest.update(len(content).to_bytes(8, "big") + content)
    return digest.hexdigest()


def _load_coding(root: Path, manifest: CodingManifest, statement: str, digest: str) -> TaskPackage:
    languages: dict[Language, LanguageFiles] = {}
    for language in manifest.languages:
        languages[language] = _load_language(root, manifest, language)
    io_cases: dict[str, tuple[IoCase, ...]] = {}
    checker: str | None = None
    if isinstance(manifest.tests, IoTests):
        for suite in ("sample", "hidden"):
            io_cases[suite] = _load_io_cases(root / "tests" / suite)
        _check_weights(root, manifest.tests.weights, {c.name for c in io_cases["hidden"]})
        if manifest.tests.comparator.checker:
            checker_path = root / manifest.tests.comparator.checker
            _check_inside(root, checker_path)
            checker = _read_text(checker_path)
    return TaskPackage(
        path=root,
        manifest=manifest,
        statement=statement,
        digest=digest,
        languages=languages,
        io_cases=io_cases,
        checker=checker,
    )


def _load_language(root: Path, manifest: CodingManifest, language: Language) -> LanguageFiles:
    base = root / language.value
    suffix = SOURCE_SUFFIX[language]
    starter = _read_tree(base / "starter")
    reference = _read_tree(base / "reference")
    for name in starter:
        if not name.endswith(suffix):
            raise PackageError(base / "starter" / name, f"solution files must end in {suffix}")
    if set(reference) != set(starter):
        raise PackageError(
            base / "reference",
            f"must hold exactly the starter's files {sorted(starter)}, found {sorted(reference)}",
        )
    mutants: dict[str, Files] = {}
    for name in manifest.mutants:
        files = _read_tree(base / "mutants" / name)
        extra = set(files) - set(starter)
        if extra:
            raise PackageError(base / "mutants" / name, f"files not in starter: {sorted(extra)}")
        mutants[name] = files
    undeclared = _subdirs(base / "mutants") - set(manifest.mutants)
    if undeclared:
        raise PackageError(base / "mutants", f"not declared in task.yaml: {sorted(undeclared)}")
    unit = manifest.tests.kind == "unit"
    entry = IO_ENTRY[language]
    if not unit and entry not in starter:
        raise PackageError(base / "starter", f"an io task's {language.value} entry file is {entry}")
    hidden = _read_tree(base / "tests" / "hidden") if unit else {}
    sample = _read_tree(base / "tests" / "sample") if unit else {}
    performance: Files = {}
    if manifest.performance is not None:
        performance = _read_tree(base / "tests" / "performance")
    for suite_files, suite_dir in ((hidden, "hidden"), (sample, "sample")):
        clash = set(suite_files) & set(starter)
        if clash:
            raise PackageError(base / "tests" / suite_dir, f"clashes with solution {clash}")
    return LanguageFiles(
        starter=starter,
        reference=reference,
        mutants=mutants,
        sample_tests=sample,
        hidden_tests=hidden,
        performance_tests=performance,
    )


def _load_io_cases(directory: Path) -> tuple[IoCase, ...]:
    files = _read_tree(directory)
    inputs = {PurePosixPath(n).stem for n in files if n.endswith(".in")}
    outputs = {PurePosixPath(n).stem for n in files if n.endswith(".out")}
    if inputs != outputs:
        raise PackageError(directory, f"unpaired cases: {sorted(inputs ^ outputs)}")
    if not inputs:
        raise PackageError(directory, "no cases (<name>.in + <name>.out)")
    stray = [n for n in files if "/" in n or not n.endswith((".in", ".out"))]
    if stray:
        raise PackageError(directory, f"unexpected files {stray}: only flat <name>.in/.out")
    return tuple(
        IoCase(name=name, input=files[f"{name}.in"], expected=files[f"{name}.out"])
        for name in sorted(inputs)
    )


def _load_sql(root: Path, manifest: SqlManifest, statement: str, digest: str) -> TaskPackage:
    datasets: dict[str, str] = {}
    for name in manifest.datasets:
        datasets[name] = _read_text(root / "datasets" / f"{name}.sql")
    on_disk = {p.stem for p in (root / "datasets").glob("*.sql")}
    if on_disk - set(manifest.datasets):
        undeclared = sorted(on_disk - set(manifest.datasets))
        raise PackageError(root / "datasets", f"not declared in task.yaml: {undeclared}")
    mutant_sql = {name: _read_text(root / "mutants" / f"{name}.sql") for name in manifest.mutants}
    return TaskPackage(
        path=root,
        manifest=manifest,
        statement=statement,
        digest=digest,
        schema_sql=_read_text(root / "schema.sql"),
        datasets=datasets,
        reference_sql=_read_text(root / "reference.sql"),
        starter_sql=_read_text(root / "starter.sql") if (root / "starter.sql").exists() else "",
        mutant_sql=mutant_sql,
    )


def _check_weights(root: Path, weights: Mapping[str, float], names: set[str]) -> None:
    unknown = sorted(set(weights) - names)
    if unknown:
        raise PackageError(root / "task.yaml", f"tests.weights names unknown tests {unknown}")
    bad = sorted(name for name, weight in weights.items() if weight <= 0)
    if bad:
        raise PackageError(root / "task.yaml", f"tests.weights must be positive: {bad}")


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(_read_text(path))
    except yaml.YAMLError as exc:
        raise PackageError(path, f"invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise PackageError(path, "must be a YAML mapping")
    return data


def _read_text(path: Path) -> str:
    if not path.is_file():
        raise PackageError(path, "missing file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise PackageError(path, f"larger than {MAX_FILE_BYTES} bytes")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PackageError(path, "not UTF-8 text") from exc


def _read_tree(directory: Path) -> Files:
    """All files below `directory` keyed by relative POSIX path (caches and dotfiles skipped)."""
    if not directory.is_dir():
        raise PackageError(directory, "missing directory")
    files: Files = {}
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory)
        if any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
            continue
        if path.is_symlink():
            raise PackageError(path, "symlinks are not allowed in task packages")
        if path.is_file():
            files[relative.as_posix()] = _read_text(path)
    if not files:
        raise PackageError(directory, "is empty")
    return files


def _subdirs(directory: Path) -> set[str]:
    if not directory.is_dir():
        return set()
    return {p.name for p in directory.iterdir() if p.is_dir() and not p.name.startswith(".")}


def _check_inside(root: Path, path: Path) -> None:
    if not path.resolve().is_relative_to(root.resolve()):
        raise PackageError(path, "must be inside the package directory")


def _describe(exc: ValidationError) -> str:
    """One line per pydantic error, with the YAML location written as a dotted path."""
    lines = []
    for error in exc.errors():
        location = ".".join(str(part) for part in error["loc"]) or "(top level)"
        lines.append(f"{location}: {error['msg']}")
    return "; ".join(lines)
