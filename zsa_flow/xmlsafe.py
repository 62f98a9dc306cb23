"""Parse untrusted model XML (BPMN, DMN) without entities, DTDs, network access or unbounded size.

Every model file a modeller or a client hands us goes through `parse_xml`; nothing else in
zsa-flow calls lxml's parser directly on model input.
"""
from pathlib import Path

from lxml import etree

from .errors import ModelError

MAX_MODEL_BYTES = 5 * 1024 * 1024  # far above any real BPMN/DMN file; bounds memory and time


def _parser():
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def parse_xml(data: bytes, filename: str = "<input>") -> etree._ElementTree:
    """Parse model XML; raise ModelError naming file and line for anything hostile or broken."""
    if len(data) > MAX_MODEL_BYTES:
        raise ModelError(
            f"{filename}:1: file is {len(data)} bytes, larger than the limit of {MAX_MODEL_BYTES} bytes",
            details={"file": filename, "line": 1},
        )
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        line = data[: max(head.find(b"<!doctype"), 0)].count(b"\n") + 1
        raise ModelError(
            f"{filename}:{line}: DOCTYPE/ENTITY declarations are not allowed in model files "
            "(external entities and entity expansion are rejected)",
            details={"file": filename, "line": line},
        )
    try:
        return etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise ModelError(
            f"{filename}:{line}: not well-formed XML: {exc.msg}", details={"file": filename, "line": line}
        ) from None


def parse_xml_file(path) -> etree._ElementTree:
    """Read and parse a model file from disk (size checked before reading it whole)."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_MODEL_BYTES:
        raise ModelError(
            f"{path}:1: file is {size} bytes, larger than the limit of {MAX_MODEL_BYTES} bytes",
            details={"file": str(path), "line": 1},
        )
    return parse_xml(path.read_bytes(), str(path))
