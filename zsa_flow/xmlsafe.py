"""Parse untrusted model XML (BPMN, DMN) without entities, DTDs, network access or unbounded size.

Every model file a modeller or a client hands us goes through `parse_xml`; nothing else in
zsa-flow calls lxml's parser directly on model input. A DOCTYPE is refused wherever it stands and
in any encoding: the raw bytes are scanned whole (also decoded when they are UTF-16/32), and after
parsing (entities unresolved, no DTD loaded, no network) the document's own DTD information is
checked, which catches every encoding libxml2 understands. Nesting depth is bounded by libxml2
itself (256 levels without `huge_tree`), in C, before any Python code walks the tree.
"""
import codecs
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
    text = _wide_text(data)
    lowered = text.lower() if text is not None else data.lower()
    markers = ("<!doctype", "<!entity") if text is not None else (b"<!doctype", b"<!entity")
    found = [i for i in (lowered.find(m) for m in markers) if i >= 0]
    if found:
        newline = "\n" if text is not None else b"\n"
        _refuse_doctype(filename, lowered[: min(found)].count(newline) + 1)
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise ModelError(
            f"{filename}:{line}: not well-formed XML: {exc.msg}", details={"file": filename, "line": line}
        ) from None
    info = tree.docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None or info.system_url:
        _refuse_doctype(filename, 1)
    return tree


_WIDE = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"), (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
         (b"\x00<\x00", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"), (b"<\x00!\x00", "utf-16-le"))


def _wide_text(data: bytes):
    """The text of a UTF-16/32 document (by BOM or by its first '<'), None for byte-wise encodings."""
    for start, codec in _WIDE:
        if data.startswith(start):
            return data.decode(codec, "replace")
    return None


def _refuse_doctype(filename, line):
    raise ModelError(
        f"{filename}:{line}: DOCTYPE/ENTITY declarations are not allowed in model files "
        "(external entities and entity expansion are rejected)",
        details={"file": filename, "line": line},
    )


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
