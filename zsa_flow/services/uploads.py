"""Files uploaded in the console: model files as they are, or zip archives unpacked in memory.

Nothing is ever written to disk. A zip is refused when it holds a path that climbs out
(`../`, absolute paths, drive letters), too many entries, a member larger than a model file may
be, or more data in total than MAX_TOTAL_BYTES once unpacked (zip bombs); members are read with a
hard limit, so a header that lies about the size cannot inflate memory either.
"""
import io
import zipfile
from pathlib import PurePosixPath

from ..errors import ValidationFailed
from ..library.loader import kind_of
from ..xmlsafe import MAX_MODEL_BYTES

MAX_ENTRIES = 500
MAX_TOTAL_BYTES = 20 * 1024 * 1024


def unpack(uploads) -> dict:
    """`[(file name, bytes)]` -> `{path: bytes}` of every .bpmn/.dmn/.form (zip members included)."""
    contents = {}
    for filename, data in uploads:
        name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
        if not name:
            continue
        if name.lower().endswith(".zip"):
            for path, member in _unzip(name, data).items():
                _add(contents, path, member)
        elif kind_of(name):
            _add(contents, name, data)
        else:
            raise ValidationFailed(f"{name}: unbekannter Dateityp (erwartet .bpmn, .dmn, .form oder .zip)")
    if not contents:
        raise ValidationFailed("Bitte mindestens eine Modelldatei (.bpmn, .dmn, .form) oder ein Zip-Archiv hochladen")
    return contents


def _add(contents, path, data):
    if path in contents:
        raise ValidationFailed(f"{path}: Datei ist doppelt hochgeladen")
    contents[path] = data


def _unzip(name, data) -> dict:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ValidationFailed(f"{name}: kein gültiges Zip-Archiv ({exc})") from None
    if len(members) > MAX_ENTRIES:
        raise ValidationFailed(f"{name}: mehr als {MAX_ENTRIES} Einträge")
    result, total = {}, 0
    for member in members:
        path = _safe_path(name, member.filename)
        if member.is_dir() or not kind_of(path) or path.split("/")[0] == "__MACOSX":
            continue
        if member.file_size > MAX_MODEL_BYTES:
            raise ValidationFailed(f"{name}: {path} ist entpackt {member.file_size} Bytes groß (Grenze "
                                   f"{MAX_MODEL_BYTES})")
        with archive.open(member) as fh:
            content = fh.read(MAX_MODEL_BYTES + 1)
        total += len(content)
        if len(content) > MAX_MODEL_BYTES or total > MAX_TOTAL_BYTES:
            raise ValidationFailed(f"{name}: entpackt zu groß (Zip-Bombe?) – abgelehnt")
        result[path] = content
    return result


def _safe_path(name, raw) -> str:
    """The member path, refused when it is absolute or climbs out of the archive."""
    path = raw.replace("\\", "/")
    parts = PurePosixPath(path).parts
    if path.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
        raise ValidationFailed(f"{name}: unzulässiger Pfad im Archiv: {raw!r}")
    return "/".join(p for p in parts if p not in (".", ""))
