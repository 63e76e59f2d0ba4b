"""QTI 3.0 exchange: exact round trips, the emitted structure, and refusals of bad input."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from assay.cli import main
from assay.content.loader import load_library
from assay.content.qti import (
    MAP_RESPONSE,
    MATCH_CORRECT,
    QTI_NS,
    ImportDefaults,
    QtiError,
    export_qti,
    import_qti,
    parse_xml,
    q,
    read_package,
    validate_item,
    validate_manifest,
)
from assay.content.schemas import ChoiceItem

GOOD = Path(__file__).parents[2] / "fixtures" / "content" / "good" / "content"


def fixture_items() -> list[ChoiceItem]:
    return [item for _, item in load_library(GOOD).valid() if isinstance(item, ChoiceItem)]


def table_item() -> ChoiceItem:
    return ChoiceItem.model_validate(
        {
            "id": "9-api-status-codes",  # starts with a digit: not an NCName
            "version": 3,
            "type": "choice",
            "mode": "single",
            "skills": ["api-design"],
            "difficulty": "easy",
            "difficulty_prior": -0.75,
            "expected_seconds": 45,
            "stem": (
                "Given this table:\n\n| code | meaning |\n|:--|--:|\n| 409 | Conflict |\n\n"
                "Which fits a duplicate `POST` with an *idempotency key* in flight?  \n"
                "Line two & <b>not HTML</b>.\n"
            ),
            "options": [
                {"id": "a", "text": "`409`", "correct": True, "rationale": "Conflict: retry."},
                {"id": "b", "text": "`500`", "correct": False, "rationale": "Not a fault."},
                {"id": "c", "text": "`201`", "correct": False, "rationale": "Not created\nyet."},
            ],
        }
    )


@pytest.fixture
def package(tmp_path: Path) -> Path:
    outdir = tmp_path / "qti"
    export_qti([*fixture_items(), table_item()], outdir)
    return outdir


def test_round_trip_keeps_every_field(package: Path, tmp_path: Path) -> None:
    into = tmp_path / "content" / "choice"
    report = import_qti(package, into, library=tmp_path / "content")
    assert report.problems == []
    before = {item.id: item for item in [*fixture_items(), table_item()]}
    after = {item.id: item for _, item in load_library(tmp_path / "content").valid()}
    assert after == before
    assert sorted(p.relative_to(into).as_posix() for p in report.written) == [
        "api-design/9-api-status-codes.yaml",
        "concurrency/fx-concurrency-races-multiple.yaml",
        "sql/fx-sql-isolation-single.yaml",
    ]


def test_exported_items_have_the_qti_structure(package: Path) -> None:
    single = parse_xml((package / "items" / "fx-sql-isolation-single.xml").read_bytes(), "s")
    multiple = parse_xml(
        (package / "items" / "fx-concurrency-races-multiple.xml").read_bytes(), "m"
    )
    assert list(validate_item(single)) == list(validate_item(multiple)) == []
    assert single.nsmap[None] == QTI_NS
    declaration = single.find(q("qti-response-declaration"))
    assert declaration is not None
    assert declaration.get("cardinality") == "single"
    assert [v.text for v in single.iter(q("qti-value"))] == ["b"]
    processing = single.find(q("qti-response-processing"))
    assert processing is not None
    assert processing.get("template") == MATCH_CORRECT
    multi_declaration = multiple.find(q("qti-response-declaration"))
    assert multi_declaration is not None
    assert multi_declaration.get("cardinality") == "multiple"
    entries = {
        e.get("map-key"): float(e.get("mapped-value", ""))
        for e in multiple.iter(q("qti-map-entry"))
    }
    assert entries == {"a": 0.5, "b": -0.5, "c": 0.5, "d": -0.5}
    multi_processing = multiple.find(q("qti-response-processing"))
    assert multi_processing is not None
    assert multi_processing.get("template") == MAP_RESPONSE
    choices = [c.get("identifier") for c in single.iter(q("qti-simple-choice"))]
    assert choices == ["a", "b", "c"]
    code = single.find(f".//{q('pre')}/{q('code')}")
    assert code is not None
    assert code.get("class") == "language-sql"


def test_markdown_is_rendered_to_xhtml_without_raw_html(package: Path) -> None:
    item = parse_xml((package / "items" / "9-api-status-codes.xml").read_bytes(), "t")
    assert item.get("identifier") == "i-9-api-status-codes"
    assert item.find(f".//{q('table')}") is not None
    assert item.find(f".//{q('b')}") is None  # "<b>" in Markdown is text, not markup
    assert "<b>not HTML</b>" in "".join(item.itertext())
    assert list(validate_item(item)) == []


def test_manifest_lists_items_with_metadata(package: Path) -> None:
    manifest = parse_xml((package / "imsmanifest.xml").read_bytes(), "imsmanifest.xml")
    assert list(validate_manifest(manifest)) == []
    hrefs = sorted(r.get("href", "") for r in manifest.iter("{*}resource") if r.get("type"))
    assert hrefs == [
        "items/9-api-status-codes.xml",
        "items/fx-concurrency-races-multiple.xml",
        "items/fx-sql-isolation-single.xml",
    ]
    durations = [d.text for d in manifest.iter("{http://ltsc.ieee.org/xsd/LOM}duration")]
    assert sorted(durations) == ["PT45S", "PT60S", "PT90S"]


def test_not_well_formed_item_names_file(package: Path) -> None:
    item = package / "items" / "fx-sql-isolation-single.xml"
    item.write_text("<qti-assessment-item><unclosed></qti-assessment-item>")
    with pytest.raises(QtiError) as caught:
        read_package(package)
    assert caught.value.file == str(item)
    assert caught.value.element == "(document)"
    assert caught.value.message.startswith("not well-formed XML:")


def test_missing_correct_response_is_named(package: Path) -> None:
    path = package / "items" / "fx-sql-isolation-single.xml"
    root = etree.fromstring(path.read_bytes())
    declaration = root.find(q("qti-response-declaration"))
    assert declaration is not None
    correct = declaration.find(q("qti-correct-response"))
    assert correct is not None
    declaration.remove(correct)
    path.write_bytes(etree.tostring(root))
    with pytest.raises(QtiError) as caught:
        read_package(package)
    assert (caught.value.element, caught.value.message) == (
        "qti-correct-response",
        "missing, or without qti-value: the key must be declared",
    )


def test_unsupported_interaction_is_refused(package: Path) -> None:
    path = package / "items" / "fx-sql-isolation-single.xml"
    root = etree.fromstring(path.read_bytes())
    body = root.find(q("qti-item-body"))
    assert body is not None
    etree.SubElement(body, q("qti-text-entry-interaction"), {"response-identifier": "R2"})
    path.write_bytes(etree.tostring(root))
    with pytest.raises(QtiError) as caught:
        read_package(package)
    assert caught.value.element == "qti-text-entry-interaction"
    assert "only qti-choice-interaction" in caught.value.message


def test_keys_must_agree_with_metadata(package: Path) -> None:
    path = package / "items" / "fx-sql-isolation-single.xml"
    path.write_bytes(path.read_bytes().replace(b"<qti-value>b<", b"<qti-value>c<"))
    with pytest.raises(QtiError) as caught:
        read_package(package)
    assert caught.value.element == "qti-correct-response"
    assert caught.value.message == "keys ['c'] disagree with the manifest metadata's ['b']"


def test_href_outside_package_is_refused(package: Path) -> None:
    manifest = package / "imsmanifest.xml"
    text = manifest.read_text().replace(
        'href="items/fx-sql-isolation-single.xml"', 'href="../secret.xml"', 1
    )
    manifest.write_text(text)
    with pytest.raises(QtiError) as caught:
        read_package(package)
    assert caught.value.message == "href '../secret.xml' must be a relative path in the package"


def test_xxe_attempt_is_rejected(package: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN")
    manifest = package / "imsmanifest.xml"
    original = manifest.read_text()
    body = original.split("?>", 1)[1]
    manifest.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE manifest [<!ENTITY leak SYSTEM "file://{secret}">]>'
        + body.replace("<schema>QTI Package</schema>", "<schema>&leak;</schema>")
    )
    report = import_qti(package, tmp_path / "out", library=tmp_path / "none")
    assert report.written == []
    assert report.problems == [
        (
            str(manifest),
            "(document): DOCTYPE or ENTITY declarations are not accepted (XXE risk)",
        )
    ]
    assert not (tmp_path / "out").exists()


def test_entity_expansion_is_off_even_if_doctype_check_is_bypassed() -> None:
    # parse_xml refuses DOCTYPEs up front; this checks the parser beneath it never expands
    # entities either, so the two defences do not depend on each other.
    from assay.content.qti import _parser

    data = b'<!DOCTYPE r [<!ENTITY e "expanded">]><r>&e;</r>'
    root = etree.fromstring(data, _parser())
    assert "expanded" not in "".join(root.itertext())


def test_foreign_item_needs_a_skill_then_imports(package: Path, tmp_path: Path) -> None:
    manifest = package / "imsmanifest.xml"
    root = etree.fromstring(manifest.read_bytes())
    for extension in root.iter("{urn:x-assay:qti-metadata:v1}item"):
        extension.getparent().remove(extension)  # type: ignore[union-attr]
    manifest.write_bytes(etree.tostring(root))
    with pytest.raises(QtiError) as caught:
        read_package(package)
    assert "pass --skill" in caught.value.message
    imported = read_package(package, ImportDefaults(skill="sql"))
    single = next(i.data for i in imported if i.data["id"] == "fx-sql-isolation-single")
    assert single["skills"] == ["sql"]
    assert single["difficulty"] == "hard"  # from the LOM metadata
    assert single["options"][1]["correct"] is True
    assert single["options"][0]["text"] == "Both succeed and the balance ends at `-5`."
    assert "```sql" in single["stem"]
    assert single["options"][2]["rationale"].startswith("Serialization failures")


def test_import_refuses_ids_already_in_the_library(package: Path, tmp_path: Path) -> None:
    library = tmp_path / "content"
    shutil.copytree(GOOD, library)
    report = import_qti(package, library / "choice", library=library)
    assert report.written == []
    messages = [message for _, message in report.problems]
    assert any(m.startswith('id: "fx-sql-isolation-single" already exists in') for m in messages)
    replaced = import_qti(package, library / "choice", library=library, replace=True)
    assert replaced.problems == []
    assert len(replaced.written) == 3


def test_cli_export_then_import_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    outdir = tmp_path / "qti"
    exported = runner.invoke(main, ["content", "export-qti", str(outdir), "--from", str(GOOD)])
    assert exported.exit_code == 0, exported.output
    again = runner.invoke(main, ["content", "export-qti", str(outdir), "--from", str(GOOD)])
    assert again.exit_code == 1
    assert "is not empty" in again.output
    into = tmp_path / "lib" / "content" / "choice"
    imported = runner.invoke(main, ["content", "import-qti", str(outdir), "--into", str(into)])
    assert imported.exit_code == 0, imported.output
    assert (into / "sql" / "fx-sql-isolation-single.yaml").is_file()
    (outdir / "imsmanifest.xml").write_text("<manifest")
    broken = runner.invoke(main, ["content", "import-qti", str(outdir), "--into", str(into)])
    assert broken.exit_code == 1
    assert "imsmanifest.xml: (document): not well-formed XML" in broken.output


def test_zip_package_imports_and_names_members(package: Path, tmp_path: Path) -> None:
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for file in sorted(package.rglob("*")):
            if file.is_file():
                bundle.write(file, file.relative_to(package).as_posix())
    into = tmp_path / "content" / "choice"
    report = import_qti(archive, into, library=tmp_path / "content")
    assert report.problems == []
    assert len(report.written) == 3
    with zipfile.ZipFile(archive, "a") as bundle:
        bundle.writestr("../escape.xml", "<x/>")
    refused = import_qti(archive, into, library=tmp_path / "content")
    assert refused.problems == [(str(archive), "../escape.xml: path leaves the archive")]
