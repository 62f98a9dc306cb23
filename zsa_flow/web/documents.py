"""Shared by the inbox and the API: reading uploaded files from a multipart request with a hard
size limit, and answering with a stored document under strict headers.

A document is served with the type found in its bytes (PDF, JPEG, PNG only), `nosniff`, and a CSP
that runs no script and lets only this app frame it, inline for previews or as an attachment.
"""
from urllib.parse import quote

from flask import Response, request

from ..limits import max_document_bytes
from ..services.documents import MAX_FILES, Upload, read_limited

DOCUMENT_CSP = ("default-src 'none'; script-src 'none'; object-src 'self'; img-src 'self'; "
                "style-src 'unsafe-inline'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'")


def allow_upload_size():
    """Raise this request's body limit so documents fit (the app's default stays small)."""
    request.max_content_length = max_document_bytes() * 2 + 1024 * 1024


def uploads(names=None) -> list:
    """The non-empty file parts of the request (only those named in `names`, when given), each read
    up to the limit plus one byte; at most MAX_FILES + 1 (the caller refuses more)."""
    found = []
    for name in request.files:
        if names is not None and name not in names:
            continue
        for part in request.files.getlist(name):
            content = read_limited(part.stream)
            if not part.filename and not content:
                continue  # an empty <input type=file> sends a part without name or bytes
            found.append(Upload(field=name, name=part.filename or "", content=content))
            if len(found) > MAX_FILES:
                return found
    return found


def document_response(row, body, media, download=False):
    """The stored bytes with their checked type and strict headers."""
    name = row["file_name"]
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    disposition = "attachment" if download else "inline"
    response = Response(body, mimetype=media)
    response.headers["Content-Disposition"] = f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    response.headers["Content-Security-Policy"] = DOCUMENT_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "private, no-store"
    return response
