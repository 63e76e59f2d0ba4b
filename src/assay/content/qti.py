"""IMS QTI 3.0 export and import of choice items, with a structural validator for our subset.

Export writes a content package: ``imsmanifest.xml`` plus ``items/<id>.xml`` per item. The item
file is plain QTI 3.0 (stem and options rendered from Markdown to XHTML, rationales as
``qti-feedback-inline``); everything QTI has no field for (skills, the IRT prior, the exact
Markdown) travels in the manifest's resource metadata under the ``assay`` namespace, so a round
trip is exact. No package on PyPI ships the QTI 3.0 XSDs and nothing may be downloaded at run
time, so ``validate_item`` checks the structure of the subset we emit and accept instead.
Every XML input is untrusted: no DTDs, no entities, no network (see ``parse_xml``).
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from lxml import etree
from markdown_it import MarkdownIt
from pydantic import ValidationError

from assay.content.schemas import ChoiceItem

QTI_NS = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
CP_NS = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"
LOM_NS = "http://ltsc.ieee.org/xsd/LOM"
ASSAY_NS = "urn:x-assay:qti-metadata:v1"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"

ITEM_SCHEMA_LOCATION = (
    f"{QTI_NS} https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd"
)
MANIFEST_SCHEMA_LOCATION = (
    f"{CP_NS} https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd "
    f"{LOM_NS} https://purl.imsglobal.org/spec/md/v1p3/schema/xsd/imsmd_loose_v1p3p2.xsd"
)
ITEM_RESOURCE_TYPE = "imsqti_item_xmlv3p0"
MATCH_CORRECT = "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml"
MAP_RESPONSE = "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/map_response.xml"
RESPONSE = "RESPONSE"
FEEDBACK = "FEEDBACK"
MANIFEST = "imsmanifest.xml"
MAX_XML_BYTES = 2 * 1024 * 1024

# LOM educational/difficulty speaks a five-step vocabulary; we use three of its steps.
LOM_DIFFICULTY = {"easy": "easy", "medium": "medium", "hard": "difficult"}
DIFFICULTY_FROM_LOM = {v: k for k, v in LOM_DIFFICULTY.items()} | {
    "very easy": "easy",
    "very difficult": "hard",
}

# The XHTML subset our Markdown renders to, and all that import accepts inside item content.
BLOCK_HTML = {"p", "pre", "ul", "ol", "li", "blockquote", "hr", "div", "table", "thead", "tbody"}
BLOCK_HTML |= {"tr", "th", "td", "h1", "h2", "h3", "h4", "h5", "h6"}
INLINE_HTML = {"code", "em", "strong", "a", "img", "br", "span", "sub", "sup", "b", "i"}
HTML_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}
HTML_ATTRIBUTES["ol"] = {"start"}
COMMON_ATTRIBUTES = {"class", "id", f"{{{XML_NS}}}lang"}
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def q(name: str) -> str:
    """A QTI 3.0 element name in Clark notation."""
    return f"{{{QTI_NS}}}{name}"


def cp(name: str) -> str:
    return f"{{{CP_NS}}}{name}"


def lom(name: str) -> str:
    return f"{{{LOM_NS}}}{name}"


def assay(name: str) -> str:
    return f"{{{ASSAY_NS}}}{name}"


class QtiError(Exception):
    """Malformed or unsupported QTI: which file, which element, what is wrong."""

    def __init__(self, file: str, element: str, message: str) -> None:
        super().__init__(f"{file}: {element}: {message}")
        self.file = file
        self.element = element
        self.message = message


# --- safe parsing ----------------------------------------------------------------------------


def _parser() -> etree.XMLParser:
    # No DTD loading, no entity expansion (internal or external), no network: XXE and entity
    # bombs have nothing to work with. DOCTYPEs are then refused outright in parse_xml.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, file: str) -> etree._Element:
    """Parse untrusted XML; refuses DOCTYPEs and entity declarations with a clear message."""
    if len(data) > MAX_XML_BYTES:
        raise QtiError(file, "(document)", f"larger than {MAX_XML_BYTES} bytes")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise QtiError(
            file, "(document)", "DOCTYPE or ENTITY declarations are not accepted (XXE risk)"
        )
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise QtiError(file, "(document)", f"not well-formed XML: {exc.msg}") from exc
    if root.getroottree().docinfo.doctype:
        raise QtiError(file, "(document)", "DOCTYPE declarations are not accepted (XXE risk)")
    return root


# --- Markdown <-> XHTML ------------------------------------------------------------------------

_MARKDOWN = MarkdownIt("commonmark", {"xhtmlOut": True, "html": False}).enable("table")


def _fragment(html: str) -> etree._Element:
    """Parse rendered XHTML into a wrapper element in the QTI namespace."""
    wrapper = etree.fromstring(f'<div xmlns="{QTI_NS}">{html}</div>', _parser())
    for element in wrapper.iter():
        # Table alignment comes out as style=""; QTI content carries no inline CSS.
        element.attrib.pop("style", None)
    return wrapper


def _append_fragment(target: etree._Element, wrapper: etree._Element) -> None:
    if wrapper.text:
        if len(target):
            target[-1].tail = (target[-1].tail or "") + wrapper.text
        else:
            target.text = (target.text or "") + wrapper.text
    for child in list(wrapper):
        target.append(child)


def render_block(markdown: str) -> etree._Element:
    """Markdown -> block XHTML in a ``div`` (a stem)."""
    return _fragment(_MARKDOWN.render(markdown))


def render_inline(markdown: str) -> etree._Element:
    """Markdown -> inline XHTML (an option text or a rationale)."""
    return _fragment(_MARKDOWN.renderInline(markdown))


def xhtml_to_markdown(element: etree._Element) -> str:
    """Best-effort Markdown for content that arrived without its original (foreign QTI)."""
    return re.sub(r"\n{3,}", "\n\n", _md_children(element)).strip()


def _md_children(element: etree._Element) -> str:
    parts = [element.text or ""]
    for child in element:
        parts.append(_md_element(child))
        parts.append(child.tail or "")
    return "".join(parts)


_MD_WRAPPERS = {"code": "`", "em": "*", "i": "*", "strong": "**", "b": "**"}
_MD_BLOCKS = {"p", "div", "blockquote", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}


def _md_pre(element: etree._Element) -> str:
    code = element.find(q("code"))
    language = (code.get("class") or "").removeprefix("language-") if code is not None else ""
    return f"\n\n```{language}\n{''.join(element.itertext()).rstrip()}\n```\n\n"


def _md_element(element: etree._Element) -> str:
    name = etree.QName(element).localname
    if name == "pre":
        return _md_pre(element)
    inner = _md_children(element)
    if name in _MD_WRAPPERS:
        return f"{_MD_WRAPPERS[name]}{inner}{_MD_WRAPPERS[name]}"
    formats = {
        "br": "  \n",
        "li": f"\n- {inner.strip()}",
        "ul": f"\n{inner}\n\n",
        "ol": f"\n{inner}\n\n",
        "a": f"[{inner}]({element.get('href', '')})",
    }
    if name in formats:
        return formats[name]
    if name in _MD_BLOCKS:
        return f"\n\n{inner.strip()}\n\n"
    return inner


# --- export -------------------------------------------------------------------------------


def qti_identifier(item_id: str) -> str:
    """QTI identifiers are NCNames: an id starting with a digit gets an ``i-`` prefix."""
    return item_id if NCNAME.match(item_id) else f"i-{item_id}"


def item_to_qti(item: ChoiceItem) -> etree._Element:
    """One choice item as a ``qti-assessment-item``."""
    root = etree.Element(q("qti-assessment-item"), nsmap={None: QTI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", ITEM_SCHEMA_LOCATION)
    root.set("identifier", qti_identifier(item.id))
    root.set("title", item.id)
    root.set("adaptive", "false")
    root.set("time-dependent", "false")
    root.set(f"{{{XML_NS}}}lang", "en")

    cardinality = "single" if item.mode == "single" else "multiple"
    declaration = etree.SubElement(
        root,
        q("qti-response-declaration"),
        {"identifier": RESPONSE, "cardinality": cardinality, "base-type": "identifier"},
    )
    correct = etree.SubElement(declaration, q("qti-correct-response"))
    for key in item.keys:
        etree.SubElement(correct, q("qti-value")).text = key
    if item.mode == "multiple":
        _add_mapping(declaration, item)
    etree.SubElement(
        root,
        q("qti-outcome-declaration"),
        {
            "identifier": "SCORE",
            "cardinality": "single",
            "base-type": "float",
            "normal-maximum": "1",
        },
    )
    etree.SubElement(
        root,
        q("qti-outcome-declaration"),
        {"identifier": FEEDBACK, "cardinality": "multiple", "base-type": "identifier"},
    )

    body = etree.SubElement(root, q("qti-item-body"))
    stem = etree.SubElement(body, q("div"), {"class": "assay-stem"})
    _append_fragment(stem, render_block(item.stem))
    interaction = etree.SubElement(
        body,
        q("qti-choice-interaction"),
        {
            "response-identifier": RESPONSE,
            "shuffle": "false",
            "max-choices": "1" if item.mode == "single" else "0",
            "min-choices": "0",
        },
    )
    for option in item.options:
        choice = etree.SubElement(interaction, q("qti-simple-choice"), identifier=option.id)
        _append_fragment(choice, render_inline(option.text))
        feedback = etree.SubElement(
            choice,
            q("qti-feedback-inline"),
            {"outcome-identifier": FEEDBACK, "identifier": option.id, "show-hide": "show"},
        )
        _append_fragment(feedback, render_inline(option.rationale))
    template = MATCH_CORRECT if item.mode == "single" else MAP_RESPONSE
    etree.SubElement(root, q("qti-response-processing"), template=template)
    return root


def _add_mapping(declaration: etree._Element, item: ChoiceItem) -> None:
    # Partial credit for multiple response: keys share +1, each distractor costs as much as a
    # key is worth; the score is clamped to 0..1, so ticking everything earns nothing.
    keys = len(item.keys)
    mapping = etree.SubElement(
        declaration,
        q("qti-mapping"),
        {"lower-bound": "0", "upper-bound": "1", "default-value": "0"},
    )
    for option in item.options:
        value = 1 / keys if option.correct else -1 / keys
        etree.SubElement(
            mapping,
            q("qti-map-entry"),
            {"map-key": option.id, "mapped-value": f"{value:.6g}"},
        )


def item_metadata(item: ChoiceItem) -> etree._Element:
    """The manifest resource's metadata: LOM for other tools, ``assay:item`` for exactness."""
    metadata = etree.Element(cp("metadata"))
    lom_root = etree.SubElement(metadata, lom("lom"))
    general = etree.SubElement(lom_root, lom("general"))
    identifier = etree.SubElement(general, lom("identifier"))
    etree.SubElement(identifier, lom("catalog")).text = "assay"
    etree.SubElement(identifier, lom("entry")).text = item.id
    educational = etree.SubElement(lom_root, lom("educational"))
    difficulty = etree.SubElement(educational, lom("difficulty"))
    etree.SubElement(difficulty, lom("source")).text = "LOMv1.0"
    etree.SubElement(difficulty, lom("value")).text = LOM_DIFFICULTY[item.difficulty]
    duration = etree.SubElement(educational, lom("typicalLearningTime"))
    etree.SubElement(duration, lom("duration")).text = f"PT{item.expected_seconds}S"

    extension = etree.SubElement(
        metadata,
        assay("item"),
        {
            "id": item.id,
            "version": str(item.version),
            "mode": item.mode,
            "difficulty": item.difficulty,
            "difficulty-prior": repr(item.difficulty_prior),
            "expected-seconds": str(item.expected_seconds),
        },
    )
    for skill in item.skills:
        etree.SubElement(extension, assay("skill")).text = skill
    for subskill in item.subskills:
        etree.SubElement(extension, assay("subskill")).text = subskill
    etree.SubElement(extension, assay("stem")).text = item.stem
    for option in item.options:
        element = etree.SubElement(
            extension,
            assay("option"),
            {"id": option.id, "correct": "true" if option.correct else "false"},
        )
        etree.SubElement(element, assay("text")).text = option.text
        etree.SubElement(element, assay("rationale")).text = option.rationale
    return metadata


def build_manifest(items: list[ChoiceItem], identifier: str) -> etree._Element:
    """``imsmanifest.xml`` listing one item resource per choice item."""
    manifest = etree.Element(
        cp("manifest"),
        nsmap={None: CP_NS, "imsmd": LOM_NS, "assay": ASSAY_NS, "xsi": XSI_NS},
        identifier=identifier,
    )
    manifest.set(f"{{{XSI_NS}}}schemaLocation", MANIFEST_SCHEMA_LOCATION)
    metadata = etree.SubElement(manifest, cp("metadata"))
    etree.SubElement(metadata, cp("schema")).text = "QTI Package"
    etree.SubElement(metadata, cp("schemaversion")).text = "3.0.0"
    etree.SubElement(manifest, cp("organizations"))
    resources = etree.SubElement(manifest, cp("resources"))
    for item in items:
        href = f"items/{item.id}.xml"
        resource = etree.SubElement(
            resources,
            cp("resource"),
            identifier=qti_identifier(item.id),
            type=ITEM_RESOURCE_TYPE,
            href=href,
        )
        resource.append(item_metadata(item))
        etree.SubElement(resource, cp("file"), href=href)
    return manifest


def _write(element: etree._Element, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        etree.tostring(element, xml_declaration=True, encoding="UTF-8", pretty_print=False)
    )


def export_qti(items: list[ChoiceItem], outdir: Path, *, identifier: str = "assay-choice") -> int:
    """Write a QTI 3.0 package of ``items`` into ``outdir``; returns the number written.

    Every emitted document is run through the structural validator first: exporting
    something our own importer would refuse is a bug, and fails loudly here.
    """
    for item in items:
        element = item_to_qti(item)
        problems = list(validate_item(element))
        if problems:
            raise QtiError(f"items/{item.id}.xml", problems[0][0], problems[0][1])
        # Pretty printing would add whitespace inside mixed content (the rendered Markdown),
        # so items are written compact; the manifest is data only and reads better indented.
        _write(element, outdir / "items" / f"{item.id}.xml")
    manifest = build_manifest(items, identifier)
    etree.indent(manifest, space="  ")
    _write(manifest, outdir / MANIFEST)
    return len(items)


# --- structural validation of the subset ---------------------------------------------------


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _in_qti(element: etree._Element) -> bool:
    return etree.QName(element).namespace == QTI_NS


_ITEM_CHILDREN = [
    "qti-context-declaration",
    "qti-response-declaration",
    "qti-outcome-declaration",
    "qti-template-declaration",
    "qti-template-processing",
    "qti-assessment-stimulus-ref",
    "qti-companion-materials-info",
    "qti-stylesheet",
    "qti-item-body",
    "qti-response-processing",
    "qti-modal-feedback",
    "qti-feedback-block",
]


def _validate_order(root: etree._Element) -> Iterator[tuple[str, str]]:
    position = 0
    for child in root:
        name = _local(child)
        if not _in_qti(child) or name not in _ITEM_CHILDREN:
            yield (name, "unexpected element in qti-assessment-item")
            continue
        if _ITEM_CHILDREN.index(name) < position:
            yield (name, "out of order (QTI fixes the order of an item's children)")
        position = max(position, _ITEM_CHILDREN.index(name))
        if name in {"qti-template-declaration", "qti-template-processing"}:
            yield (name, "template variables are not supported")


def validate_item(root: etree._Element) -> Iterator[tuple[str, str]]:
    """(element, problem) pairs for a ``qti-assessment-item`` outside the subset we handle."""
    if root.tag != q("qti-assessment-item"):
        yield (str(root.tag), f"root must be qti-assessment-item in namespace {QTI_NS}")
        return
    for attribute in ("identifier", "title", "time-dependent"):
        if not root.get(attribute):
            yield ("qti-assessment-item", f"attribute {attribute} is required")
    if root.get("identifier") and not NCNAME.match(root.get("identifier", "")):
        yield ("qti-assessment-item", "identifier must be an XML NCName")
    yield from _validate_order(root)
    declarations = root.findall(q("qti-response-declaration"))
    if len(declarations) != 1:
        yield ("qti-response-declaration", f"expected exactly one, found {len(declarations)}")
        return
    yield from _validate_declaration(declarations[0])
    for outcome in root.findall(q("qti-outcome-declaration")):
        for attribute in ("identifier", "cardinality", "base-type"):
            if not outcome.get(attribute):
                yield ("qti-outcome-declaration", f"attribute {attribute} is required")
    body = root.find(q("qti-item-body"))
    if body is None:
        yield ("qti-item-body", "missing")
        return
    yield from _validate_body(body, declarations[0])
    processing = root.find(q("qti-response-processing"))
    if processing is not None and processing.get("template") is None and len(processing) == 0:
        yield ("qti-response-processing", "neither a template nor rules")


def _validate_declaration(declaration: etree._Element) -> Iterator[tuple[str, str]]:
    where = "qti-response-declaration"
    if not declaration.get("identifier"):
        yield (where, "attribute identifier is required")
    if declaration.get("cardinality") not in {"single", "multiple"}:
        yield (
            where,
            f"cardinality must be single or multiple, not {declaration.get('cardinality')!r}",
        )
    if declaration.get("base-type") != "identifier":
        yield (where, f"base-type must be identifier, not {declaration.get('base-type')!r}")
    correct = declaration.find(q("qti-correct-response"))
    if correct is None or not correct.findall(q("qti-value")):
        yield ("qti-correct-response", "missing, or without qti-value: the key must be declared")
    mapping = declaration.find(q("qti-mapping"))
    if mapping is not None:
        for entry in mapping.findall(q("qti-map-entry")):
            try:
                float(entry.get("mapped-value", ""))
            except ValueError:
                yield ("qti-map-entry", "mapped-value must be a number")
            if not entry.get("map-key"):
                yield ("qti-map-entry", "attribute map-key is required")


def _validate_body(body: etree._Element, declaration: etree._Element) -> Iterator[tuple[str, str]]:
    interactions = [e for e in body.iter() if _in_qti(e) and _local(e).endswith("-interaction")]
    choice_interactions = [e for e in interactions if _local(e) == "qti-choice-interaction"]
    for other in interactions:
        if _local(other) != "qti-choice-interaction":
            yield (_local(other), "unsupported interaction: only qti-choice-interaction is handled")
    if len(choice_interactions) != 1:
        yield ("qti-choice-interaction", f"expected exactly one, found {len(choice_interactions)}")
        return
    interaction = choice_interactions[0]
    if interaction.get("response-identifier") != declaration.get("identifier"):
        yield (
            "qti-choice-interaction",
            "response-identifier does not name the response declaration",
        )
    for attribute in ("max-choices", "min-choices"):
        value = interaction.get(attribute)
        if value is not None and not value.isdigit():
            yield ("qti-choice-interaction", f"{attribute} must be a non-negative integer")
    choices = interaction.findall(q("qti-simple-choice"))
    if not choices:
        yield ("qti-choice-interaction", "has no qti-simple-choice")
    identifiers = [choice.get("identifier", "") for choice in choices]
    for identifier in identifiers:
        if not NCNAME.match(identifier):
            yield ("qti-simple-choice", f"identifier {identifier!r} is not an XML NCName")
    if len(set(identifiers)) != len(identifiers):
        yield ("qti-simple-choice", "identifiers are not unique")
    for key in declaration.iterfind(f"{q('qti-correct-response')}/{q('qti-value')}"):
        if (key.text or "").strip() not in identifiers:
            yield ("qti-value", f"correct response {key.text!r} is not a choice identifier")
    yield from _validate_content(body)


def _validate_content(body: etree._Element) -> Iterator[tuple[str, str]]:
    allowed_qti = {
        "qti-item-body",
        "qti-choice-interaction",
        "qti-prompt",
        "qti-simple-choice",
        "qti-feedback-inline",
        "qti-feedback-block",
    }
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        name = _local(element)
        if not _in_qti(element):
            yield (name, f"element outside the QTI namespace ({etree.QName(element).namespace})")
            continue
        if name.startswith("qti-"):
            if name not in allowed_qti:
                yield (name, "unsupported element in the item body")
            continue
        if name not in BLOCK_HTML | INLINE_HTML:
            yield (name, "unsupported XHTML element")
            continue
        allowed = COMMON_ATTRIBUTES | HTML_ATTRIBUTES.get(name, set())
        for attribute in element.attrib:
            if attribute not in allowed and not str(attribute).startswith("data-"):
                yield (name, f"unsupported attribute {attribute}")
        for attribute in ("href", "src"):
            target = element.get(attribute, "")
            if target.lower().lstrip().startswith(("javascript:", "data:text")):
                yield (name, f"{attribute} with a script URL is not accepted")


def validate_manifest(root: etree._Element) -> Iterator[tuple[str, str]]:
    """(element, problem) pairs for an ``imsmanifest.xml`` we cannot read."""
    if root.tag != cp("manifest"):
        yield (str(root.tag), f"root must be manifest in namespace {CP_NS}")
        return
    resources = root.find(cp("resources"))
    if resources is None:
        yield ("resources", "missing")
        return
    for resource in resources.findall(cp("resource")):
        if not resource.get("identifier"):
            yield ("resource", "attribute identifier is required")
        if resource.get("type") == ITEM_RESOURCE_TYPE and not resource.get("href"):
            yield ("resource", f"item resource {resource.get('identifier')!r} has no href")


# --- import ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportDefaults:
    """What a foreign item (no ``assay:item`` metadata) gets for fields QTI does not carry."""

    skill: str | None = None
    difficulty: str = "medium"
    expected_seconds: int = 60


@dataclass
class ImportedItem:
    """One item read from a package: its data (ready for ChoiceItem) and where it came from."""

    source: str
    data: dict[str, Any]


def read_package(path: Path, defaults: ImportDefaults | None = None) -> list[ImportedItem]:
    """Read every choice item of a QTI 3.0 package directory (or its imsmanifest.xml)."""
    root_dir = path.parent if path.name == MANIFEST else path
    manifest_path = root_dir / MANIFEST
    if not manifest_path.is_file():
        raise QtiError(str(path), MANIFEST, "not found: import takes a QTI package directory")
    manifest = parse_xml(manifest_path.read_bytes(), str(manifest_path))
    for where, message in validate_manifest(manifest):
        raise QtiError(str(manifest_path), where, message)
    imported = []
    resources = manifest.iterfind(f"{cp('resources')}/{cp('resource')}")
    for resource in resources:
        kind = resource.get("type", "")
        if kind != ITEM_RESOURCE_TYPE:
            if kind.startswith("imsqti_item"):
                raise QtiError(
                    str(manifest_path),
                    "resource",
                    f"unsupported item resource type {kind!r} (QTI 3.0 is {ITEM_RESOURCE_TYPE})",
                )
            continue  # tests, stimuli, media: nothing of ours
        item_path = _inside(root_dir, resource.get("href", ""), str(manifest_path))
        if not item_path.is_file():
            raise QtiError(
                str(manifest_path), "resource", f"href {resource.get('href')!r} not found"
            )
        item_root = parse_xml(item_path.read_bytes(), str(item_path))
        for where, message in validate_item(item_root):
            raise QtiError(str(item_path), where, message)
        metadata = resource.find(f"{cp('metadata')}/{assay('item')}")
        data = _from_assay(metadata) if metadata is not None else None
        if data is None:
            data = _from_qti(item_root, resource, defaults or ImportDefaults(), str(item_path))
        _check_keys_agree(item_root, data, str(item_path))
        imported.append(ImportedItem(str(item_path), data))
    return imported


MAX_ZIP_MEMBERS = 2000
MAX_ZIP_BYTES = 64 * 1024 * 1024


def read_any_package(path: Path, defaults: ImportDefaults | None = None) -> list[ImportedItem]:
    """Read a package folder, its imsmanifest.xml, or a .zip of it (unpacked with limits)."""
    if not (path.is_file() and path.suffix.lower() == ".zip"):
        return read_package(path, defaults)
    with tempfile.TemporaryDirectory(prefix="assay-qti-") as scratch:
        _unzip(path, Path(scratch))

        def shown(file: str) -> str:
            # Name files inside the archive as archive!member, not by the scratch folder.
            return file.replace(scratch, f"{path}!", 1).replace("!/", "!", 1)

        try:
            items = read_package(Path(scratch), defaults)
        except QtiError as exc:
            raise QtiError(shown(exc.file), exc.element, exc.message) from exc
    return [ImportedItem(shown(item.source), item.data) for item in items]


def _unzip(archive: Path, target: Path) -> None:
    file = str(archive)
    try:
        bundle = zipfile.ZipFile(archive)
    except zipfile.BadZipFile as exc:
        raise QtiError(file, "(archive)", f"not a zip file: {exc}") from exc
    with bundle:
        members = bundle.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise QtiError(file, "(archive)", f"more than {MAX_ZIP_MEMBERS} files")
        if sum(member.file_size for member in members) > MAX_ZIP_BYTES:
            raise QtiError(file, "(archive)", f"unpacks to more than {MAX_ZIP_BYTES} bytes")
        for member in members:
            name = PurePosixPath(member.filename)
            if name.is_absolute() or ".." in name.parts or "\\" in member.filename:
                raise QtiError(file, member.filename, "path leaves the archive")
            if member.is_dir():
                continue
            destination = target.joinpath(*name.parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            # Read through the size limit as well: a member's declared size can lie.
            with bundle.open(member) as source:
                data = source.read(MAX_XML_BYTES * 4 + 1)
            destination.write_bytes(data)


def _inside(root: Path, href: str, file: str) -> Path:
    relative = PurePosixPath(href)
    if not href or relative.is_absolute() or ".." in relative.parts:
        raise QtiError(file, "resource", f"href {href!r} must be a relative path in the package")
    return root.joinpath(*relative.parts)


def _from_assay(metadata: etree._Element) -> dict[str, Any]:
    """Exact item data from our own metadata extension."""

    def number(name: str, kind: type[int] | type[float]) -> int | float | str:
        raw = metadata.get(name, "")
        try:
            return kind(raw)
        except ValueError:
            return raw  # the schema reports it with the field name

    options = []
    for option in metadata.findall(assay("option")):
        options.append(
            {
                "id": option.get("id"),
                "text": option.findtext(assay("text"), default=""),
                "correct": option.get("correct") == "true",
                "rationale": option.findtext(assay("rationale"), default=""),
            }
        )
    data: dict[str, Any] = {
        "id": metadata.get("id"),
        "version": number("version", int),
        "type": "choice",
        "mode": metadata.get("mode"),
        "skills": [e.text or "" for e in metadata.findall(assay("skill"))],
        "subskills": [e.text or "" for e in metadata.findall(assay("subskill"))],
        "difficulty": metadata.get("difficulty"),
        "difficulty_prior": number("difficulty-prior", float),
        "expected_seconds": number("expected-seconds", int),
        "stem": metadata.findtext(assay("stem"), default=""),
        "options": options,
    }
    return data


def _from_qti(
    element: etree._Element, resource: etree._Element, defaults: ImportDefaults, file: str
) -> dict[str, Any]:
    """Item data rebuilt from plain QTI (another tool's export): Markdown is best effort."""
    if defaults.skill is None:
        raise QtiError(
            file,
            "qti-assessment-item",
            "has no assay metadata in the manifest: pass --skill to say which skill it measures",
        )
    declaration = element.find(q("qti-response-declaration"))
    assert declaration is not None  # validate_item ran
    keys = {
        (v.text or "").strip()
        for v in declaration.iterfind(f"{q('qti-correct-response')}/{q('qti-value')}")
    }
    body = element.find(q("qti-item-body"))
    assert body is not None
    interaction = body.find(f".//{q('qti-choice-interaction')}")
    assert interaction is not None
    stem_parts = []
    prompt = interaction.find(q("qti-prompt"))
    for child in body:
        if child is not interaction and child.tag != q("qti-feedback-block"):
            stem_parts.append(xhtml_to_markdown(child))
    if prompt is not None:
        stem_parts.append(xhtml_to_markdown(prompt))
    options = []
    for index, choice in enumerate(interaction.findall(q("qti-simple-choice"))):
        feedback = choice.find(q("qti-feedback-inline"))
        if feedback is not None:
            choice.remove(feedback)  # the rationale is not part of the option's text
        options.append(
            {
                "id": chr(ord("a") + index),
                "text": xhtml_to_markdown(choice),
                "correct": choice.get("identifier") in keys,
                "rationale": xhtml_to_markdown(feedback) if feedback is not None else "",
            }
        )
    difficulty = defaults.difficulty
    lom_difficulty = resource.findtext(f".//{lom('difficulty')}/{lom('value')}")
    if lom_difficulty in DIFFICULTY_FROM_LOM:
        difficulty = DIFFICULTY_FROM_LOM[lom_difficulty]
    prior = {"easy": -1.0, "medium": 0.0, "hard": 1.0}[difficulty]
    identifier = element.get("identifier", "").lower().replace("_", "-").replace(".", "-")
    return {
        "id": re.sub(r"[^a-z0-9-]", "", identifier).strip("-") or "imported-item",
        "version": 1,
        "type": "choice",
        "mode": declaration.get("cardinality"),
        "skills": [defaults.skill],
        "difficulty": difficulty,
        "difficulty_prior": prior,
        "expected_seconds": defaults.expected_seconds,
        "stem": "\n\n".join(part for part in stem_parts if part),
        "options": options,
    }


def _check_keys_agree(element: etree._Element, data: dict[str, Any], file: str) -> None:
    """The metadata's keys must be the QTI response's keys: the QTI is what players score."""
    declaration = element.find(q("qti-response-declaration"))
    assert declaration is not None
    qti_keys = sorted(
        (v.text or "").strip()
        for v in declaration.iterfind(f"{q('qti-correct-response')}/{q('qti-value')}")
    )
    if data.get("options") and all(isinstance(o, dict) for o in data["options"]):
        interaction = element.find(f".//{q('qti-choice-interaction')}")
        assert interaction is not None
        choice_ids = [c.get("identifier") for c in interaction.findall(q("qti-simple-choice"))]
        meta_keys = sorted(
            str(choice_ids[i])
            for i, option in enumerate(data["options"])
            if option.get("correct") and i < len(choice_ids)
        )
        if meta_keys != qti_keys:
            raise QtiError(
                file,
                "qti-correct-response",
                f"keys {qti_keys} disagree with the manifest metadata's {meta_keys}",
            )


# --- YAML out, and the whole import ----------------------------------------------------------


class _ItemDumper(yaml.SafeDumper):
    """Writes items the way authors do: multi-line text as ``|`` blocks, short lists inline."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent "- id: a" under "options:" as the authoring examples do.
        super().increase_indent(flow, False)


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    flow = all(isinstance(element, str) for element in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ItemDumper.add_representer(str, _represent_text)
_ItemDumper.add_representer(list, _represent_list)


def dump_choice_yaml(item: ChoiceItem) -> str:
    """The YAML file of a choice item, fields in the order of docs/content-format.md."""
    data = item.model_dump(mode="python")
    if not data["subskills"]:
        del data["subskills"]
    order = ["id", "version", "type", "mode", "skills", "subskills", "difficulty"]
    order += ["difficulty_prior", "expected_seconds", "stem", "options"]
    ordered = {key: data[key] for key in order if key in data}
    return yaml.dump(
        ordered,
        Dumper=_ItemDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=10_000,  # never fold a long rationale: diffs stay one line per field
    )


@dataclass
class ImportReport:
    """What ``assay content import-qti`` did: files written, or problems and nothing written."""

    written: list[Path]
    problems: list[tuple[str, str]]  # (file, message)


def import_qti(
    package: Path,
    into: Path,
    *,
    library: Path,
    defaults: ImportDefaults | None = None,
    replace: bool = False,
) -> ImportReport:
    """Import a package's choice items as YAML under ``into/<primary-skill>/<id>.yaml``.

    All or nothing: every item is validated with the library's own rules (in a scratch copy of
    the layout) and checked against the library's ids before any file is written.
    """
    from assay.content.check import check_library  # noqa: PLC0415 - check imports loader only
    from assay.content.loader import load_library, schema_messages  # noqa: PLC0415

    problems: list[tuple[str, str]] = []
    try:
        imported = read_any_package(package, defaults)
    except QtiError as exc:
        return ImportReport([], [(exc.file, f"{exc.element}: {exc.message}")])
    items: list[tuple[ImportedItem, ChoiceItem]] = []
    for entry in imported:
        try:
            items.append((entry, ChoiceItem.model_validate(entry.data)))
        except ValidationError as exc:
            problems.extend((entry.source, message) for message in schema_messages(exc))
    existing = (
        {item.id: loaded.source for loaded, item in load_library(library).valid()}
        if library.exists()
        else {}
    )
    seen: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="assay-import-") as scratch:
        scratch_root = Path(scratch) / "content" / "choice"
        for entry, item in items:
            target = into / item.primary_skill / f"{item.id}.yaml"
            if item.id in seen:
                problems.append(
                    (entry.source, f'id: "{item.id}" also imported from {seen[item.id]}')
                )
            seen[item.id] = entry.source
            holder = existing.get(item.id)
            if holder is not None and not (replace and holder.resolve() == target.resolve()):
                problems.append((entry.source, f'id: "{item.id}" already exists in {holder}'))
            scratch_file = scratch_root / item.primary_skill / f"{item.id}.yaml"
            scratch_file.parent.mkdir(parents=True, exist_ok=True)
            scratch_file.write_text(dump_choice_yaml(item), encoding="utf-8")
        sources = {f"{item.primary_skill}/{item.id}.yaml": entry.source for entry, item in items}
        for problem in check_library(scratch_root.parent, run_packages=False).problems:
            relative = Path(problem.path).resolve().relative_to(scratch_root.resolve())
            problems.append((sources.get(relative.as_posix(), problem.path), problem.message))
        if problems:
            return ImportReport([], problems)
        written = []
        for _, item in items:
            target = into / item.primary_skill / f"{item.id}.yaml"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(dump_choice_yaml(item), encoding="utf-8")
            written.append(target)
    return ImportReport(written, [])
