"""Documents as untrusted input (issue 15.4): the type from the magic bytes, safe file names, form-js
`accept`; the filepicker and documentPreview components parsed, validated and rendered."""
import json

import pytest

from documents_support import jpeg_bytes, pdf_bytes, png_bytes
from zsa_flow.errors import ModelError
from zsa_flow.files import accept_label, accepts, parse_accept, safe_name, sniff
from zsa_flow.forms import parse_form


@pytest.mark.parametrize("content, media", [
    (pdf_bytes(), "application/pdf"), (png_bytes(), "image/png"), (jpeg_bytes(), "image/jpeg"),
    (b"<!doctype html><title>bescheid.pdf</title><script>alert(1)</script>", None),
    (b" %PDF-1.4 with a leading space", None), (b"\x89PNG\r\n", None),  # a PNG signature cut short
    (b"PK\x03\x04zip", None), (b"GIF89a", None), (b"", None), (b"\xff\xd8", None)])
def test_the_type_comes_from_the_magic_bytes(content, media):
    assert sniff(content) == media


@pytest.mark.parametrize("given, stored", [
    ("mietbescheinigung.pdf", "mietbescheinigung.pdf"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\erika\\Lohn Mai.pdf", "Lohn Mai.pdf"),
    ("bescheid\x00.html.pdf", "bescheid.html.pdf"),
    ("zeile\r\numbruch\t.png", "zeileumbruch.png"),
    ("a<b>c:d\"e|f?g*h.pdf", "a_b_c_d_e_f_g_h.pdf"),
    ("\u202egnp.exe", "gnp.exe"),  # right-to-left override removed
    (".htaccess", "htaccess"), ("...", "dokument"), ("", "dokument"), (None, "dokument"),
])
def test_file_names_are_sanitised(given, stored):
    assert safe_name(given) == stored


def test_an_overlong_name_is_cut_keeping_its_extension_and_an_empty_one_gets_the_types():
    name = safe_name("x" * 5000 + ".pdf")
    assert len(name) == 200 and name.endswith("x.pdf")
    assert safe_name("\x00\x01", "image/png") == "dokument.png"


def test_accept_entries_match_the_content_type_not_the_name():
    entries = parse_accept("application/pdf, .PNG ,image/*")
    assert entries == ("application/pdf", ".png", "image/*")
    assert accepts(parse_accept(".pdf"), "application/pdf") and not accepts(parse_accept(".pdf"), "image/png")
    assert accepts(parse_accept("image/*"), "image/jpeg") and not accepts(parse_accept("image/*"), "application/pdf")
    assert accepts((), "image/png")  # no accept: every document type
    assert accept_label(parse_accept("image/*")) == "JPEG, PNG"


FORM = {"id": "f", "components": [
    {"id": "Field_n", "type": "filepicker", "key": "nachweise", "label": "Nachweise", "accept": ".pdf",
     "multiple": True, "validate": {"required": True}},
    {"id": "Field_e", "type": "filepicker", "key": "einzeln", "label": "Einzeln", "multiple": "=viele"},
    {"id": "Preview", "type": "documentPreview", "label": "Vorschau", "dataSource": "=nachweise", "maxHeight": 300},
]}


def _ref(doc_id, name="a.pdf", media="application/pdf"):
    return {"documentId": doc_id, "contentHash": "0" * 64, "metadata": {"fileName": name, "contentType": media, "size": 10}}


def test_filepicker_values_are_references_checked_for_accept_multiple_and_required():
    form = parse_form(json.dumps(FORM))
    clean, errors = form.validate({"nachweise": [_ref("1"), _ref("2", "b.pdf")]})
    assert errors == {} and [r["documentId"] for r in clean["nachweise"]] == ["1", "2"]
    assert form.validate({})[1] == {"nachweise": "Pflichtfeld: bitte ausfüllen."}
    assert form.validate({"nachweise": [_ref("1", "foto.png", "image/png")]})[1] == {
        "nachweise": "Die Datei „foto.png“ ist eine PNG-Datei; erlaubt sind hier: PDF."}
    assert form.validate({"nachweise": [_ref("1")], "einzeln": [_ref("2"), _ref("3")]})[1] == {
        "einzeln": "Bitte nur eine Datei auswählen."}
    assert form.validate({"nachweise": [_ref("1")], "einzeln": [_ref("2"), _ref("3")]}, context={"viele": True})[1] == {}
    assert form.validate({"nachweise": ["<script>"]})[1] == {"nachweise": "Ungültiger Wert."}


def test_filepicker_and_preview_render_accessibly_without_script():
    form = parse_form(json.dumps(FORM))
    html = str(form.render({"nachweise": [_ref("d-1", "<b>miete</b>.pdf")]}))
    assert '<input type="file" id="zsa-nachweise" name="nachweise" accept=".pdf" multiple' in html
    assert 'aria-describedby="zsa-nachweise-hint"' in html
    assert 'value="d-1" checked' in html and "&lt;b&gt;miete&lt;/b&gt;.pdf" in html and "<b>miete" not in html
    assert '<iframe src="/dokumente/d-1" title="Vorschau: &lt;b&gt;miete&lt;/b&gt;.pdf" height="300"' in html
    image = str(parse_form(json.dumps(FORM)).render({"nachweise": [_ref("d-2", "foto.png", "image/png")]}))
    assert '<img src="/dokumente/d-2" alt="Vorschau: foto.png"' in image
    readonly = str(form.render({"nachweise": [_ref("d-1")]}, readonly=True))
    assert 'href="/dokumente/d-1/herunterladen"' in readonly and 'type="file"' not in readonly


@pytest.mark.parametrize("component, message", [
    ({"type": "documentPreview", "dataSource": "nachweise"}, "needs 'dataSource' as an expression"),
    ({"type": "documentPreview", "dataSource": "=nachweise", "maxHeight": -1}, "'maxHeight' must be"),
    ({"type": "filepicker", "key": "x", "accept": 5}, "'accept' must be a text"),
    ({"type": "filepicker", "key": "x", "multiple": "ja"}, "'multiple' must be true, false or an expression"),
    ({"type": "filepicker"}, "filepicker component has no 'key'"),
])
def test_broken_document_components_are_refused_by_name(component, message):
    with pytest.raises(ModelError) as refused:
        parse_form(json.dumps({"id": "f", "components": [{"id": "C", **component}]}), "x.form")
    assert message in str(refused.value) and str(refused.value).startswith("x.form:")
