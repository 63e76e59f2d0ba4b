"""Turning a path on disk into the solution files grade() takes (used by `assay grade`)."""

from __future__ import annotations

from pathlib import Path

from assay.grading.packages import SOURCE_SUFFIX, Language, TaskPackage

from .grader import SolutionError

MAX_SOLUTION_BYTES = 1 << 20


def infer_language(package: TaskPackage, path: Path) -> str:
    """The task's only language, else the one whose extension the solution file has."""
    languages = package.language_names()
    if len(languages) == 1:
        return languages[0]
    suffixes = {p.suffix for p in _files(path)}
    matches = [lang for lang in languages if SOURCE_SUFFIX[Language(lang)] in suffixes]
    if len(matches) != 1:
        raise SolutionError(f"cannot infer the language; pass --language ({', '.join(languages)})")
    return matches[0]


def read_solution(package: TaskPackage, language: str, path: Path) -> dict[str, str]:
    """A single file becomes the task's solution file; a directory gives its files by path."""
    if language not in package.language_names():
        accepted = ", ".join(package.language_names())
        raise SolutionError(f"{package.id} accepts {accepted}, not {language!r}")
    if path.is_file():
        if language == "sql":
            return {"solution.sql": _read(path)}
        solution = package.languages[Language(language)].solution_files
        if path.name in solution:
            return {path.name: _read(path)}
        if len(solution) != 1:
            raise SolutionError(
                f"{path.name} is not one of the solution files {list(solution)}; pass a directory"
            )
        return {solution[0]: _read(path)}
    return {p.relative_to(path).as_posix(): _read(p) for p in _files(path)}


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(
        p
        for p in path.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
    )


def _read(path: Path) -> str:
    if path.stat().st_size > MAX_SOLUTION_BYTES:
        raise SolutionError(f"{path} is larger than {MAX_SOLUTION_BYTES} bytes")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SolutionError(f"{path} is not UTF-8 text") from exc
