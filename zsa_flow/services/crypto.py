"""Crypto-shredding of case data: every case has its own AES-256-GCM data key; event data is
stored encrypted under it, and erasing a case destroys the key.

Case keys are stored wrapped (AES-GCM) with the master key, which lives outside the database:
the file named by ZSA_DATA_KEY_FILE, else `data_key` next to the SQLite database file (or in
./instance for PostgreSQL), generated on first use like the web secret. Without the master key
the stored data cannot be read — back it up together with the database, but not in it.
"""
import json
import logging
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.exceptions import InvalidTag
from sqlalchemy import bindparam, select

from ..errors import ZsaError
from ..storage.prepared import Prepared
from ..storage.tables import case_key

log = logging.getLogger(__name__)
NONCE = 12
ERASED = {"gelöscht": True}  # what reading shows for the encrypted data of an erased case
_KEY_OF_CASE = select(case_key.c.wrapped_key).where(case_key.c.case_id == bindparam("b_case"))


class DataKeyError(ZsaError):
    """The master key is missing or does not fit the stored keys."""


def default_key_path(url: str) -> Path:
    """Where the master key lives when ZSA_DATA_KEY_FILE is not set."""
    if url.startswith("sqlite") and "///" in url:
        path = url.split("///", 1)[1]
        if path and path != ":memory:":
            return Path(path).resolve().parent / "data_key"
    return Path("instance") / "data_key"


class DataKeys:
    """The master key (loaded on first use) and wrapping/unwrapping of case keys."""

    def __init__(self, url: str):
        self.url = url
        self._master = None

    @property
    def master(self) -> AESGCM:
        if self._master is None:
            self._master = AESGCM(_load_master(self.url))
        return self._master

    def new_case_key(self, case_id: int):
        """(raw key, wrapped key) for a new case."""
        raw = new_raw_key()
        return raw, self.wrap(case_id, raw)

    def wrap(self, case_id: int, raw: bytes) -> bytes:
        nonce = os.urandom(NONCE)
        return nonce + self.master.encrypt(nonce, raw, b"zsa-case-key:%d" % case_id)

    def unwrap(self, case_id: int, wrapped: bytes) -> bytes:
        try:
            return self.master.decrypt(wrapped[:NONCE], wrapped[NONCE:], b"zsa-case-key:%d" % case_id)
        except InvalidTag:
            raise DataKeyError(f"Der Schlüssel des Vorgangs (id {case_id}) passt nicht zum Hauptschlüssel "
                            "(ZSA_DATA_KEY_FILE prüfen)") from None


def new_raw_key() -> bytes:
    """A fresh case key (AES-256)."""
    return AESGCM.generate_key(bit_length=256)


class CaseCipher:
    """Encrypts and decrypts one case's event data; the associated data binds a ciphertext to
    its case number and position, so it cannot be moved to another event."""

    def __init__(self, raw: bytes):
        self.raw = raw
        self.aead = AESGCM(raw)

    def encrypt(self, number: str, seq: int, plaintext: bytes) -> bytes:
        nonce = os.urandom(NONCE)
        return nonce + self.aead.encrypt(nonce, plaintext, f"{number}:{seq}".encode())

    def decrypt(self, number: str, seq: int, blob: bytes) -> bytes:
        return self.aead.decrypt(blob[:NONCE], blob[NONCE:], f"{number}:{seq}".encode())


_INSERT_KEY = Prepared(case_key.insert().inline())


def case_cipher(uow, case_id: int, now=None, *, stored=None, pending=None):
    """The case's cipher, cached for the unit of work; None once the case's key was erased.
    A case without a key gets one in this transaction when `now` is given (writing).

    `stored`: the case's key row as the caller read it in this transaction, (present, wrapped key),
    so no second look-up is needed; `pending`: a list that takes the new key row for the caller to
    insert with its other writes (instead of inserting it at once)."""
    cache = uow.case_ciphers
    if case_id in cache:
        return cache[case_id]
    if stored is not None:
        present, wrapped = stored
    else:
        row = uow.execute(_KEY_OF_CASE, {"b_case": case_id}).first()
        present, wrapped = (row is not None), (row.wrapped_key if row is not None else None)
    if not present:
        if now is None:
            return None
        raw, wrapped = uow.keys.new_case_key(case_id)
        params = {"case_id": case_id, "wrapped_key": wrapped, "created_at": now}
        if pending is not None:
            pending.append(params)
        else:
            uow.execute(_INSERT_KEY, params)
        cipher = CaseCipher(raw)
    elif wrapped is None:
        cipher = None
    else:
        cipher = CaseCipher(uow.keys.unwrap(case_id, wrapped))
    cache[case_id] = cipher
    return cipher


def insert_keys(uow, rows):
    """Insert case key rows `case_cipher(..., pending=rows)` made."""
    if rows:
        uow.execute(_INSERT_KEY, rows)


def _load_master(url: str) -> bytes:
    configured = os.environ.get("ZSA_DATA_KEY_FILE")
    path = Path(configured) if configured else default_key_path(url)
    if not path.exists():
        if configured:
            raise DataKeyError(f"Hauptschlüssel {path} (ZSA_DATA_KEY_FILE) nicht gefunden")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32) + "\n")
        except FileExistsError:  # another process created it first
            pass
        log.warning("Neuer Hauptschlüssel für Falldaten in %s angelegt (ZSA_DATA_KEY_FILE setzen)", path)
    try:
        key = bytes.fromhex(path.read_text().strip())
    except ValueError:
        key = b""
    if len(key) != 32:
        raise DataKeyError(f"Hauptschlüssel {path} ist ungültig (erwartet: 64 Hexadezimalzeichen)")
    return key


class EventData:
    """Readable `data` of event rows streamed case after case (export, conformance, replay):
    chain-v3 rows are decrypted with their case's key, unwrapped once per case; rows written
    before version 3 carry their data in clear; an erased case reads {"gelöscht": true}.
    Call with the row's case id, case number, seq, stored data, ciphertext and the case's
    `case_key.wrapped_key`."""

    def __init__(self, keys: DataKeys):
        self.keys, self.case_id, self.cipher = keys, object(), None

    def __call__(self, case_id, number, seq, data, ciphertext, wrapped_key):
        if ciphertext is None:
            return data
        if case_id != self.case_id:
            self.case_id = case_id
            self.cipher = CaseCipher(self.keys.unwrap(case_id, wrapped_key)) if wrapped_key is not None else None
        if self.cipher is None:
            return dict(ERASED)
        return json.loads(self.cipher.decrypt(number, seq, bytes(ciphertext)))
