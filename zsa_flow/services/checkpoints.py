"""Signed checkpoints (tree heads): the Merkle root over all events in the audit log's order
(`event_log` positions, assigned by services/sequencer.py after commit; leaf data = the event's
stored hash), its size and a timestamp, signed with Ed25519. The log was filled with the older
events in id order, the tree's order before the log existed, so older checkpoints still verify.

The private key lives outside the database: the PEM file named by ZSA_AUDIT_SIGNING_KEY_FILE
(`zsa-flow audit keygen` writes one). Auditors keep checkpoint files outside the system and later
prove with `zsa-flow audit verify --checkpoint FILE` that today's log extends them.
"""
import base64
import json
import os
from datetime import timezone
from hashlib import sha256
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import func, select

from ..errors import ZsaError
from ..storage.tables import audit_checkpoint
from .history import canonical
from .merkle import TreeBuilder

FORMAT = "zsa-checkpoint-1"
SIGNED_FIELDS = ("format", "tree_size", "root_hash", "timestamp")
KEY_ENV = "ZSA_AUDIT_SIGNING_KEY_FILE"
PUBLIC_KEY_ENV = "ZSA_AUDIT_PUBLIC_KEY_FILE"


class CheckpointError(ZsaError):
    """A checkpoint file or key that cannot be used."""


def keygen(path) -> str:
    """Write a new Ed25519 key pair: PATH (private, PEM, mode 600) and PATH.pub; return the key id."""
    path = Path(path)
    if path.exists():
        raise CheckpointError(f"{path} existiert bereits; einen vorhandenen Schlüssel überschreibe ich nicht")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    public = key.public_key()
    Path(f"{path}.pub").write_bytes(public.public_bytes(serialization.Encoding.PEM,
                                                        serialization.PublicFormat.SubjectPublicKeyInfo))
    return key_id(public)


def key_id(public: Ed25519PublicKey) -> str:
    return sha256(_raw(public)).hexdigest()[:16]


def _raw(public) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def signing_key(path=None):
    """The configured private key (argument, else ZSA_AUDIT_SIGNING_KEY_FILE), or None."""
    path = path or os.environ.get(KEY_ENV)
    if not path:
        return None
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise CheckpointError(f"Signaturschlüssel {path} nicht lesbar: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"Signaturschlüssel {path} ist kein Ed25519-Schlüssel")
    return key


def trusted_public_key(path=None):
    """The public key checkpoints must be signed with: the given PEM file, else
    ZSA_AUDIT_PUBLIC_KEY_FILE, else the public half of the configured signing key; None if none."""
    path = path or os.environ.get(PUBLIC_KEY_ENV)
    if path:
        try:
            key = serialization.load_pem_public_key(Path(path).read_bytes())
        except (OSError, ValueError) as exc:
            raise CheckpointError(f"Öffentlicher Schlüssel {path} nicht lesbar: {exc}") from None
        if not isinstance(key, Ed25519PublicKey):
            raise CheckpointError(f"{path} ist kein Ed25519-Schlüssel")
        return key
    private = signing_key()
    return private.public_key() if private is not None else None


_LEAVES = "SELECT e.hash FROM event_log l JOIN event e ON e.id = l.event_id ORDER BY l.position"


def tree_head(conn):
    """(size, root) of the Merkle tree over the audit log, in one pass over its events' hashes."""
    from .audit_verify import stream

    builder = TreeBuilder()
    push = builder.push_hash
    for batch in stream(conn, _LEAVES, {}):
        for (digest,) in batch:
            push(sha256(b"\x00" + leaf_data(digest)).digest())
    return builder.size, builder.root()


def leaf_data(stored_hash) -> bytes:
    """A leaf's data: the event's stored hash column as bytes (hex decoded)."""
    try:
        return bytes.fromhex(stored_hash)
    except (TypeError, ValueError):
        return str(stored_hash).encode()


def sign(key, size, root, now) -> dict:
    """The checkpoint document for a tree head."""
    payload = {"format": FORMAT, "tree_size": size, "root_hash": root.hex(),
               "timestamp": now.astimezone(timezone.utc).isoformat()}
    public = key.public_key()
    signature = key.sign(canonical(payload).encode())
    return payload | {"key_id": key_id(public), "public_key": base64.b64encode(_raw(public)).decode(),
                      "signature": base64.b64encode(signature).decode()}


def write_checkpoint(platform, key=None, store=True) -> dict:
    """Append what is committed to the audit log (services/sequencer.py), then compute, sign and
    (by default) store a checkpoint over it; the document."""
    key = key or signing_key()
    if key is None:
        raise CheckpointError(f"Kein Signaturschlüssel eingerichtet ({KEY_ENV} auf eine PEM-Datei setzen; "
                              "`zsa-flow audit keygen` erzeugt eine)")
    from .audit_verify import reading
    from .sequencer import sequence

    sequence(platform)

    with platform.engine.connect() as conn:
        conn = reading(conn)
        with conn.begin():
            size, root = tree_head(conn)
    document = sign(key, size, root, platform.clock.now())
    if store:
        with platform.uow() as uow:
            uow.execute(audit_checkpoint.insert(), {
                "tree_size": size, "root_hash": document["root_hash"], "created_at": platform.clock.now(),
                "key_id": document["key_id"], "document": json.dumps(document, ensure_ascii=False)})
            uow.commit()
    return document


def latest_stored(platform):
    """The newest checkpoint stored by the worker, as a document, or None."""
    with platform.uow(readonly=True) as uow:
        text = uow.execute(select(audit_checkpoint.c.document).order_by(audit_checkpoint.c.id.desc())
                           .limit(1)).scalar()
    return json.loads(text) if text else None


def count_stored(platform) -> int:
    with platform.uow(readonly=True) as uow:
        return uow.execute(select(func.count()).select_from(audit_checkpoint)).scalar_one()


def read_document(path) -> dict:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CheckpointError(f"Prüfpunkt {path} nicht lesbar: {exc}") from None
    missing = [k for k in SIGNED_FIELDS + ("public_key", "signature") if k not in document]
    if missing or document.get("format") != FORMAT:
        raise CheckpointError(f"Prüfpunkt {path} ist unvollständig oder hat ein unbekanntes Format")
    return document


def check_signature(document, trusted=None):
    """Problems with a checkpoint's signature (German lines); empty when it is valid and, given a
    trusted key, made with that key."""
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(document["public_key"]))
        signature = base64.b64decode(document["signature"])
    except (ValueError, TypeError):
        return ["Prüfpunkt: Schlüssel oder Signatur nicht lesbar"]
    problems = []
    if trusted is not None and _raw(trusted) != _raw(public):
        problems.append(f"Prüfpunkt: mit einem fremden Schlüssel signiert (key id {key_id(public)}, "
                        f"erwartet {key_id(trusted)})")
    payload = {k: document[k] for k in SIGNED_FIELDS}
    try:
        public.verify(signature, canonical(payload).encode())
    except InvalidSignature:
        problems.append("Prüfpunkt: Signatur ungültig (Prüfpunkt verändert oder gefälscht)")
    return problems
