"""Documents of /api/v1: attach files to a case (multipart), list them, fetch one.

`POST /cases/<nr>/documents` takes one or more `file` parts (PDF, JPEG, PNG by their bytes, each
at most `ZSA_MAX_DOCUMENT_BYTES`) and, optionally, `message`: the name of a message delivered to the
case afterwards with the references under `key` (default "unterlagen") — the portal's
"Unterlagen nachgereicht". Scopes and reach as for follow-up messages: "intake", and a token
without "read" reaches only the cases its account started. An Idempotency-Key makes a retry answer
200 with the same documents; the same bytes under the same name are one document anyway.
"""
import hashlib
import re

from flask import g, jsonify, request

from ..errors import NotFound, ValidationFailed, ZsaError
from ..files import safe_name
from ..services import actions, intake, tokens
from ..services.documents import DOCUMENT_NOT_FOUND
from ..services.scope import CASE_NOT_FOUND
from . import get_platform
from .api import bp, needs, path_id, visible_case
from .api_input import query
from .api_models import DocumentQuery
from .documents import document_response, uploads

_NAME = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")
_KEY = re.compile(r"^[^\W\d][\w-]{0,99}$")


def _text_part(name, pattern, default=None):
    values = request.form.getlist(name)
    if len(values) > 1:
        raise ValidationFailed(f"'{name}' ist mehrfach angegeben", details={"fields": {name: "nur einmal erlaubt"}})
    if not values or values[0] == "":
        return default
    if not pattern.match(values[0]):
        raise ValidationFailed(f"'{name}' ist ungültig", details={"fields": {name: "ungültig"}})
    return values[0]


def _reachable(number):
    """The case when the caller may attach to it (readers: in scope; intake-only: started by its account)."""
    platform = get_platform()
    if tokens.has_scope(g.user, "read"):
        visible_case(number)
    elif intake.started_by(platform, number) != g.user["id"]:
        raise NotFound(CASE_NOT_FOUND)


@bp.post("/cases/<number>/documents")
@needs("intake")
def case_documents_upload(number):
    """Attach files to a case (multipart/form-data, parts `file`), optionally then deliver `message`."""
    number = path_id(number, CASE_NOT_FOUND)
    if request.mimetype != "multipart/form-data":
        raise ZsaError("Bitte multipart/form-data mit Teilen „file“ senden", code="unsupported_media_type", status=415)
    unknown = sorted((set(request.files) - {"file"}) | (set(request.form) - {"message", "key"}))
    if unknown:
        raise ValidationFailed("Unbekannte Teile der Anfrage", details={"fields": {k[:100]: "unbekanntes Feld" for k in unknown}})
    message = _text_part("message", _NAME)
    key = _text_part("key", _KEY, "unterlagen")
    _reachable(number)
    files = uploads({"file"})
    platform = get_platform()
    request_hash = intake.fingerprint(["documents", number, message, key], [
        [safe_name(u.name), hashlib.sha256(u.content).hexdigest()] for u in files])
    refs = []

    def attach(on_number):
        refs.extend(actions.attach_documents(platform, g.user, number, files,
                                             on_number=None if message else on_number))
        if message:
            actions.deliver_message(platform, g.user, number, message, {key: list(refs)}, on_number=on_number)

    created = intake.deliver(platform, g.user, number, intake.check_key(request.headers.get("Idempotency-Key")),
                             request_hash, attach)
    if not created:  # a retry: the documents are there already (same bytes, same names)
        wanted = {(safe_name(u.name), hashlib.sha256(u.content).hexdigest()) for u in files}
        refs = [d for d in actions.case_documents(platform, g.user, number)
                if (d["metadata"]["fileName"], d["contentHash"]) in wanted or
                (safe_name(d["metadata"]["fileName"]), d["contentHash"]) in wanted]
        refs = [{k: d[k] for k in ("documentId", "contentHash", "metadata")} for d in refs]
    return jsonify({"case": number, "documents": refs}), 201 if created else 200


@bp.get("/cases/<number>/documents")
@needs("read")
def case_documents(number):
    """The documents of a case: references, source, who uploaded them and when."""
    visible_case(number)
    return jsonify(actions.case_documents(get_platform(), g.user, number))


@bp.get("/cases/<number>/documents/<document_id>")
@needs("read")
def case_document(number, document_id):
    """One document's bytes (Content-Type from its content; ?download=1 as attachment)."""
    visible_case(number)
    row, body, media = actions.document(get_platform(), g.user, path_id(document_id, DOCUMENT_NOT_FOUND))
    if row["case"] != number:
        raise NotFound(DOCUMENT_NOT_FOUND)
    download = query(DocumentQuery).download == "1"
    return document_response(row, body, media, download=download)
