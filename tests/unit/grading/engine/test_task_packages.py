"""Loading task packages: the real examples load, broken packages fail with precise messages."""

import shutil
from pathlib import Path

import pytest

from assay.grading.packages import (
    CodingManifest,
    PackageError,
    SqlManifest,
    load_package,
    suite_digest,
)

ROOT = Path(__file__).resolve().parents[4]
TOKEN_BUCKET = ROOT / "content/coding/token-bucket-rate-limiter"
TOP_CUSTOMERS = ROOT / "content/sql/top-customers-window"
FIXTURES = ROOT / "tests/fixtures/tasks"


def test_token_bucket_package_loads():
    package = load_package(TOKEN_BUCKET)
    assert isinstance(package.manifest, CodingManifest)
    assert package.language_names() == ["python"]
    files = package.languages[package.manifest.languages[0]]
    assert files.solution_files == ("rate_limiter.py",)
    assert set(package.mutants("python")) == set(package.manifest.mutants)
    assert "test_token_bucket.py" in files.hidden_tests
    assert package.manifest.performance is not None
    assert len(package.digest) == 64


def test_sql_package_loads():
    package = load_package(TOP_CUSTOMERS)
    assert isinstance(package.manifest, SqlManifest)
    assert package.language_names() == ["sql"]
    assert package.reference("sql")["solution.sql"].lstrip().startswith("WITH")
    assert set(package.datasets) == {"sample", "basic", "ties", "year-boundaries", "volume"}
    assert len(package.mutants("sql")) >= 2


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_fixture_packages_load(name):
    assert load_package(FIXTURES / name).id == name


@pytest.fixture
def bucket(tmp_path):
    target = tmp_path / "token-bucket-rate-limiter"
    shutil.copytree(TOKEN_BUCKET, target)
    return target


def edit_yaml(path: Path, old: str, new: str) -> None:
    text = (path / "task.yaml").read_text()
    assert old in text
    (path / "task.yaml").write_text(text.replace(old, new))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("difficulty: medium", "difficulty: impossible", "difficulty"),
        ("version: 1", "version: 0", "version"),
        ("budget_ratio: 4.0", "budget_ratio: 0.5", "performance.budget_ratio"),
        ("languages: [python]", "languages: [cobol]", "languages.0"),
        ("kind: unit", "kind: io\n  comparator: {kind: checker}", "checker"),
        ("type: coding", "type: essay", "type must be 'coding' or 'sql'"),
        ("subskills: [python.stdlib", "subskills: [go.stdlib", "does not roll up"),
        ("  off-by-one-capacity:", "  extra: x\n  off-by-one-capacity:", "mutants/extra"),
    ],
)
def test_invalid_manifest_is_reported_precisely(bucket, old, new, message):
    edit_yaml(bucket, old, new)
    with pytest.raises(PackageError, match=message.replace(".", r"\.")):
        load_package(bucket)


def test_missing_and_extra_files(bucket):
    (bucket / "python/reference/rate_limiter.py").rename(bucket / "python/reference/other.py")
    with pytest.raises(PackageError, match="must hold exactly the starter's files"):
        load_package(bucket)


def test_undeclared_mutant_directory(bucket):
    (bucket / "python/mutants/sneaky").mkdir()
    with pytest.raises(PackageError, match=r"not declared in task.yaml: \['sneaky'\]"):
        load_package(bucket)


def test_directory_must_be_named_after_the_id(bucket, tmp_path):
    moved = bucket.rename(tmp_path / "elsewhere")
    with pytest.raises(PackageError, match="directory name must equal the task id"):
        load_package(moved)


def test_unknown_io_weight(tmp_path):
    target = tmp_path / "io-line-sums"
    shutil.copytree(FIXTURES / "io-line-sums", target)
    edit_yaml(target, "weights: {two-lines: 3}", "weights: {three-lines: 3}")
    with pytest.raises(PackageError, match="unknown tests"):
        load_package(target)


def test_suite_digest_changes_with_hidden_tests_only(bucket):
    before = suite_digest(bucket)
    (bucket / "statement.md").write_text("reworded")
    (bucket / "python/starter/rate_limiter.py").write_text("# new starter\n")
    assert suite_digest(bucket) == before
    hidden = bucket / "python/tests/hidden/test_token_bucket.py"
    hidden.write_text(hidden.read_text() + "\n# changed\n")
    changed = suite_digest(bucket)
    assert changed != before
    edit_yaml(bucket, "budget_ratio: 4.0", "budget_ratio: 5.0")
    assert suite_digest(bucket) not in (before, changed)
