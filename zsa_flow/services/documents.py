"""Documents of cases: uploaded through a form's filepicker, the API or the portal.

Bodies are stored content-addressed: one `dokument` row per SHA-256, shared by every case holding
the same bytes; `vorgang_dokument` says which case holds it under which name, from where, by whom.
The type comes from the magic bytes (files.py), never from the client; the size limit is
`limits.max_document_bytes()`. Case data gets references (forms/documents.py), never bytes, and
each new document enters the case's hash chain as `document_attached` with its SHA-256.

Where the bodies live is the store's business (`STORES`, keyed by `dokument.store`): the embedded
default keeps them in the database. Another store (object storage) implements the same three
methods; docs/documents.md describes the move.

These functions do not check permissions; services/actions.py does, then calls them.
"""
import hashlib
import uuid
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from .. import files
from ..errors import NotFound, ValidationFailed
from ..forms.documents import FileField
from ..limits import max_document_bytes
from ..storage.tables import dokument, vorgang_dokument
from .history import append_events
from .runs import get_case_row

SOURCES = ("formular", "api", "portal")
SOURCE_LABELS = {"formular": "Formular", "api": "API", "portal": "Online-Portal"}
DOCUMENT_NOT_FOUND = "Dokument nicht gefunden"
MAX_FILES = 10  # files per request
NOT_A_DOCUMENT = ("Die Datei „{name}“ ist keine PDF-, JPEG- oder PNG-Datei (geprüft wird der Inhalt, "
                  "nicht Dateiname oder Typangabe).")
TOO_LARGE = "Die Datei „{name}“ ist größer als {limit} (höchstens {limit} je Datei)."
EMPTY = "Die Datei „{name}“ ist leer."


class DocumentTooLarge(ValidationFailed):
    code, status = "document_too_large", 413


@dataclass
class Upload:
    """One received file: the field it came through, the name the client gave, the bytes read
    (at most the limit plus one byte, so a larger file is known to be too large)."""

    field: str
    name: str
    content: bytes


def read_limited(stream, limit=None) -> bytes:
    """At most `limit` + 1 bytes of a stream (a larger upload is refused without holding it whole)."""
    limit = max_document_bytes() if limit is None else limit
    chunks, total = [], 0
    while total <= limit:
        chunk = stream.read(min(1024 * 1024, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def check_upload(upload, entries=()):
    """(media type, safe name) of an acceptable upload, or (None, German message naming the file)."""
    limit = max_document_bytes()
    shown = files.safe_name(upload.name)
    if len(upload.content) > limit:
        return None, TOO_LARGE.format(name=shown, limit=files.human_size(limit))
    if not upload.content:
        return None, EMPTY.format(name=shown)
    media = files.sniff(upload.content)
    if media is None:
        return None, NOT_A_DOCUMENT.format(name=shown)
    if not files.accepts(entries, media):
        return None, (f"Die Datei „{shown}“ ist eine {files.LABELS[media]}-Datei; erlaubt sind hier: "
                      f"{files.accept_label(entries)}.")
    return media, files.safe_name(upload.name, media)


def reference(row) -> dict:
    """The reference case data keeps for a document row (Camunda's document reference shape)."""
    return {"documentId": row["id"], "contentHash": row["sha256"],
            "metadata": {"fileName": row["file_name"], "contentType": row["media_type"], "size": row["size"]}}


def listing(row) -> dict:
    """A document as lists show it: the reference plus where it came from, who and when."""
    return {**reference(row), "source": row["source"], "field": row["field"], "uploadedBy": row["uploaded_by"],
            "uploadedAt": row["uploaded_at"].isoformat()}


class DatabaseStore:
    """Bodies in `dokument.content` (SQLite and PostgreSQL; the embedded default)."""

    name = "db"

    def put(self, uow, sha256, content):
        return content  # the row's `content` column holds it

    def get(self, uow, row) -> bytes:
        return bytes(uow.execute(select(dokument.c.content).where(dokument.c.sha256 == row["sha256"])).scalar_one())

    def delete(self, uow, sha256):
        pass  # the row goes, and with it the body


STORES = {DatabaseStore.name: DatabaseStore()}
DEFAULT_STORE = DatabaseStore.name


def _put_blob(uow, sha256, media, content, now):
    """Insert the body once per SHA-256 (a concurrent insert of the same bytes is fine)."""
    exists = uow.execute(select(dokument.c.sha256).where(dokument.c.sha256 == sha256)).first()
    if exists:
        return
    store = STORES[DEFAULT_STORE]
    body = store.put(uow, sha256, content)
    values = {"sha256": sha256, "size": len(content), "media_type": media, "store": store.name,
              "content": body, "created_at": now}
    if uow.conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    uow.execute(insert(dokument).values(**values).on_conflict_do_nothing(index_elements=["sha256"]))


def attach(platform, number, uploads, actor, source, *, task_id=None, accept=None, on_number=None):
    """Store checked uploads as documents of the case in one transaction; returns their references
    in order. `accept`: {field: accept entries}. Any refused file refuses all (422/413 naming the
    field and the file), so nothing is half attached. The same bytes under the same name again
    give the existing document (no second event). `on_number(uow, number)` runs in the transaction."""
    if source not in SOURCES:
        raise ValueError(f"unknown document source {source!r}")
    checked, errors, too_large = [], {}, False
    for upload in uploads:
        media, result = check_upload(upload, (accept or {}).get(upload.field, ()))
        if media is None:
            errors.setdefault(upload.field, result)
            too_large = too_large or len(upload.content) > max_document_bytes()
        else:
            checked.append((upload, media, result))
    if errors:
        error = DocumentTooLarge if too_large and len(errors) == 1 else ValidationFailed
        raise error("; ".join(f"{field}: {message}" for field, message in errors.items()),
                    details={"fields": errors})
    now = platform.clock.now()
    try:
        return _store(platform, number, checked, actor, source, task_id, now, on_number)
    except IntegrityError:  # the same file attached concurrently: the other transaction's document counts
        return _store(platform, number, checked, actor, source, task_id, now, on_number)


def _store(platform, number, checked, actor, source, task_id, now, on_number):
    refs, events = [], []
    with platform.uow() as uow:
        case_row = get_case_row(uow, number=number)
        for upload, media, name in checked:
            sha = hashlib.sha256(upload.content).hexdigest()
            row = uow.execute(select(vorgang_dokument).where(
                vorgang_dokument.c.case_id == case_row["id"], vorgang_dokument.c.sha256 == sha,
                vorgang_dokument.c.file_name == name)).mappings().first()
            if row is None:
                _put_blob(uow, sha, media, upload.content, now)
                row = {"id": str(uuid.uuid4()), "case_id": case_row["id"], "sha256": sha, "file_name": name,
                       "media_type": media, "size": len(upload.content), "source": source,
                       "field": upload.field or None, "task_id": task_id, "uploaded_by": actor, "uploaded_at": now}
                uow.execute(vorgang_dokument.insert().values(**row))
                events.append({"type": "document_attached", "data": {
                    "document_id": row["id"], "file_name": name, "media_type": media, "size": row["size"],
                    "sha256": sha, "source": source, "field": row["field"], "task_id": task_id}})
            refs.append(reference(row))
        if events:
            append_events(uow, case_row, events, actor, now)
        if on_number is not None:
            on_number(uow, number)
        uow.commit()
    return refs


def case_documents(platform, number) -> list:
    """The documents of a case, oldest first."""
    with platform.uow(readonly=True) as uow:
        case_row = get_case_row(uow, number=number)
        rows = uow.execute(select(vorgang_dokument).where(vorgang_dokument.c.case_id == case_row["id"])
                           .order_by(vorgang_dokument.c.uploaded_at, vorgang_dokument.c.file_name)).mappings().all()
    return [listing(row) for row in rows]


def document_row(platform, document_id):
    """(document row, case number) by document id; NotFound when there is none."""
    if not isinstance(document_id, str) or len(document_id) > 36:
        raise NotFound(DOCUMENT_NOT_FOUND)
    from ..storage.tables import vorgang

    with platform.uow(readonly=True) as uow:
        row = uow.execute(select(vorgang_dokument, vorgang.c.number).join(
            vorgang, vorgang.c.id == vorgang_dokument.c.case_id).where(
            vorgang_dokument.c.id == document_id)).mappings().first()
    if row is None:
        raise NotFound(DOCUMENT_NOT_FOUND)
    return dict(row), row["number"]


def content(platform, row) -> tuple:
    """(bytes, media type) of a document row, the type checked again against the bytes."""
    with platform.uow(readonly=True) as uow:
        blob = uow.execute(select(dokument.c.store, dokument.c.media_type).where(
            dokument.c.sha256 == row["sha256"])).mappings().one()
        body = STORES[blob["store"]].get(uow, row)
    media = files.sniff(body)
    if media is None or hashlib.sha256(body).hexdigest() != row["sha256"]:
        raise NotFound(DOCUMENT_NOT_FOUND)  # a body that no longer matches its hash is not served
    return body, media


def resolve(platform, number, form, data, *, from_html=False):
    """`data` with every filepicker value replaced by the case's own references: submitted document
    ids (HTML) or references (JSON) must name documents of this case; their metadata comes from the
    database, never from the client. ValidationFailed naming the field otherwise."""
    fields = [f for f in (form.fields if form is not None else ()) if isinstance(f, FileField)]
    if not fields or not isinstance(data, dict):
        return data
    out, errors = dict(data), {}
    with platform.uow(readonly=True) as uow:
        case_id = get_case_row(uow, number=number)["id"]
        for f in fields:
            raw, nested = _take(data, f)
            if raw is None:
                continue
            items = raw if isinstance(raw, list) else [raw]
            refs = []
            for item in items:
                if isinstance(item, dict):
                    item = item.get("documentId")
                if item in ("", None) and from_html:
                    continue
                row = uow.execute(select(vorgang_dokument).where(
                    vorgang_dokument.c.id == str(item)[:36], vorgang_dokument.c.case_id == case_id)).mappings().first() \
                    if isinstance(item, str) else None
                if row is None:
                    errors[f.name] = "Dieses Dokument gehört nicht zum Vorgang; bitte die Datei erneut hochladen."
                    break
                refs.append(reference(row))
            if nested:
                _set_nested(out, f.path, refs)
            else:
                out[f.name] = refs
    if errors:
        raise ValidationFailed("Bitte die markierten Felder korrigieren", details={"fields": errors})
    return out


def _take(data, f):
    if f.name in data:
        return data[f.name], False
    value = data
    for part in f.path:
        if not isinstance(value, dict) or part not in value:
            return None, False
        value = value[part]
    return value, True


def _set_nested(data, path, value):
    for part in path[:-1]:
        data[part] = dict(data.get(part) or {})
        data = data[part]
    data[path[-1]] = value


def erase_case_documents(uow, case_id) -> int:
    """Remove a case's documents, and each body no other case holds; returns how many were removed."""
    shas = [r[0] for r in uow.execute(select(vorgang_dokument.c.sha256).where(vorgang_dokument.c.case_id == case_id))]
    if not shas:
        return 0
    uow.execute(delete(vorgang_dokument).where(vorgang_dokument.c.case_id == case_id))
    for sha in set(shas):
        still = uow.execute(select(func.count()).select_from(vorgang_dokument)
                            .where(vorgang_dokument.c.sha256 == sha)).scalar_one()
        if not still:
            store = uow.execute(select(dokument.c.store).where(dokument.c.sha256 == sha)).scalar()
            if store in STORES:
                STORES[store].delete(uow, sha)
            uow.execute(delete(dokument).where(dokument.c.sha256 == sha))
    return len(shas)
