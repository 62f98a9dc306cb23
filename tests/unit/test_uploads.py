"""Console uploads: model files and zip archives in memory; traversal and zip bombs are refused."""
import io
import zipfile

import pytest

from zsa_flow.errors import ValidationFailed
from zsa_flow.services.uploads import MAX_TOTAL_BYTES, unpack
from zsa_flow.xmlsafe import MAX_MODEL_BYTES


def _zip(entries, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_files_and_zip_members_become_named_contents():
    archive = _zip({"processes/a.bpmn": b"<a/>", "forms/f.form": b"{}", "README.md": b"ignored",
                    "__MACOSX/x.bpmn": b"junk", "dir/": b""})
    assert unpack([("b.dmn", b"<d/>"), ("lib.zip", archive)]) == {
        "b.dmn": b"<d/>", "processes/a.bpmn": b"<a/>", "forms/f.form": b"{}"}


@pytest.mark.parametrize("name", ["../evil.bpmn", "/etc/evil.bpmn", "a/../../evil.bpmn", "C:/evil.bpmn",
                                  "..\\evil.bpmn"])
def test_paths_leaving_the_archive_are_refused(name):
    with pytest.raises(ValidationFailed, match="unzulässiger Pfad"):
        unpack([("lib.zip", _zip({name: b"<a/>"}))])


def test_a_zip_bomb_is_refused_without_inflating_it():
    bomb = _zip({f"f{i}.bpmn": b"\0" * (MAX_MODEL_BYTES // 2) for i in range(MAX_TOTAL_BYTES // (MAX_MODEL_BYTES // 2) + 1)})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ValidationFailed, match="zu groß"):
        unpack([("bomb.zip", bomb)])
    with pytest.raises(ValidationFailed, match="Grenze"):
        unpack([("big.zip", _zip({"big.bpmn": b"\0" * (MAX_MODEL_BYTES + 1)}))])


def test_unknown_types_broken_zips_and_empty_uploads_are_refused():
    with pytest.raises(ValidationFailed, match="unbekannter Dateityp"):
        unpack([("notes.txt", b"x")])
    with pytest.raises(ValidationFailed, match="kein gültiges Zip"):
        unpack([("lib.zip", b"PK not really")])
    with pytest.raises(ValidationFailed, match="mindestens eine"):
        unpack([])
