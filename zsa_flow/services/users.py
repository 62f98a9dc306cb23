"""Accounts: add, list, disable, set a password, authenticate (argon2id, throttled), API tokens.

A "user" handed to web and scoping code is a plain dict:
{"username", "name", "roles" (set), "groups" (list), "kommunen" (list), "active", "demo", "epoch"}.
"""
import re
import secrets
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update

from ..errors import NotFound, ValidationFailed, ZsaError
from ..storage.tables import account, kommune
from . import login_throttle

ROLES = {
    "zsa-sachbearbeitung": "ZSA-Sachbearbeitung",
    "zsa-teamleitung": "ZSA-Teamleitung",
    "kommune": "Sachbearbeitung Kommune",
    "pruefung": "Prüfung (nur lesen)",
    "prozessverantwortung": "Prozessverantwortung",
    "admin": "Administration",
    "schnittstelle": "Schnittstelle (Online-Portal)",
}
MIN_PASSWORD = 12
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
GROUP = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
RESERVED = frozenset({"system", "timer"})  # actors without an account (CLI operator, timers)

_hasher = PasswordHasher()  # argon2id with argon2-cffi's RFC 9106 low-memory defaults
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))  # verified for unknown users: similar timing


class LoginFailed(ZsaError):
    """Wrong username or password (one message for both: no hint which one was wrong)."""

    code, status = "login_failed", 401


class LoginThrottled(ZsaError):
    code, status = "login_throttled", 429


def _user(row):
    return {"id": row["id"], "username": row["username"], "name": row["name"], "roles": set(row["roles"] or []),
            "groups": list(row["groups"] or []), "kommunen": list(row["kommunen"] or []),
            "active": bool(row["active"]), "demo": bool(row["demo"]), "epoch": row["session_epoch"]}


def _public(row):
    """An account as listed (no hash)."""
    return {"username": row["username"], "name": row["name"], "roles": sorted(row["roles"] or []),
            "groups": list(row["groups"] or []), "kommunen": list(row["kommunen"] or []),
            "active": bool(row["active"]), "demo": bool(row["demo"]), "password": row["password_hash"] is not None,
            "created_at": row["created_at"].isoformat(),
            "last_login_at": row["last_login_at"].isoformat() if row["last_login_at"] else None}


def _check_password(password):
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise ValidationFailed(f"Das Passwort muss mindestens {MIN_PASSWORD} Zeichen lang sein",
                               details={"fields": {"password": f"mindestens {MIN_PASSWORD} Zeichen"}})


def _validate(uow, username, name, roles, groups, kommunen):
    errors = {}
    if not USERNAME.match(username or ""):
        errors["username"] = "2–64 Zeichen: Kleinbuchstaben, Ziffern, Punkt, Bindestrich, Unterstrich"
    elif username in RESERVED:
        errors["username"] = f"'{username}' ist für den Betrieb reserviert"
    if not (name or "").strip():
        errors["name"] = "Pflichtfeld"
    unknown = sorted(set(roles) - set(ROLES))
    if not roles or unknown:
        errors["roles"] = f"Unbekannte Rolle: {', '.join(unknown)}" if unknown else "Mindestens eine Rolle"
    bad_groups = [g for g in groups if not GROUP.match(g)]
    if bad_groups:
        errors["groups"] = f"Ungültige Gruppe: {', '.join(bad_groups)}"
    known = {r.ags for r in uow.execute(select(kommune.c.ags))}
    missing = sorted(set(kommunen) - known)
    if missing:
        errors["kommunen"] = f"Kommune nicht angelegt: {', '.join(missing)}"
    elif "kommune" in roles and len(set(kommunen)) != 1:
        errors["kommunen"] = "Sachbearbeitung einer Kommune gehört zu genau einer Kommune"
    if errors:
        raise ValidationFailed("Das Konto ist nicht gültig", details={"fields": errors})


def add_account(platform, username, name, roles, *, groups=(), kommunen=(), password=None, demo=False):
    """Create an account; without a password it can only use API tokens."""
    roles, groups, kommunen = sorted(set(roles)), list(dict.fromkeys(groups)), list(dict.fromkeys(kommunen))
    if password is not None:
        _check_password(password)
    with platform.uow() as uow:
        _validate(uow, username, name, roles, groups, kommunen)
        if uow.execute(select(account.c.id).where(account.c.username == username)).first():
            raise ValidationFailed(f"Konto '{username}' gibt es bereits",
                                   details={"fields": {"username": "bereits vergeben"}})
        uow.execute(account.insert().values(
            username=username, name=name.strip(), roles=roles, groups=groups, kommunen=kommunen,
            password_hash=_hasher.hash(password) if password is not None else None,
            active=True, demo=demo, session_epoch=1, created_at=platform.clock.now()))
        uow.commit()


def update_account(platform, username, *, name, roles, groups=(), kommunen=(), demo=None):
    """Change an account's name, roles, groups and Kommunen (ends its sessions when scope shrinks)."""
    roles, groups, kommunen = sorted(set(roles)), list(dict.fromkeys(groups)), list(dict.fromkeys(kommunen))
    with platform.uow() as uow:
        _get_row(uow, username)
        _validate(uow, username, name, roles, groups, kommunen)
        values = {"name": name.strip(), "roles": roles, "groups": groups, "kommunen": kommunen}
        if demo is not None:
            values["demo"] = demo
        uow.execute(update(account).where(account.c.username == username).values(
            **values, session_epoch=account.c.session_epoch + 1))
        uow.commit()


def _get_row(uow, username):
    row = uow.execute(select(account).where(account.c.username == username)).mappings().first()
    if row is None:
        raise NotFound(f"Konto '{username}' nicht gefunden")
    return row


def get_user(platform, username):
    """The user dict of an account (active or not), or None."""
    with platform.uow(readonly=True) as uow:
        row = uow.execute(select(account).where(account.c.username == username)).mappings().first()
    return _user(row) if row is not None else None


def display_name(platform, username):
    """The name of the account ("Anna Schulz"), or the username itself when there is no such account."""
    if not username:
        return None
    person = get_user(platform, username)
    return person["name"] if person is not None and person["name"] else username


def eligible_for_task(platform, task):
    """[(username, name)] of the active accounts that may work `task` (its groups or users within its
    Kommune, team leads of the Kommune), sorted by name: whom a team lead can assign it to."""
    from .scope import Scope

    with platform.uow(readonly=True) as uow:
        rows = uow.execute(select(account).where(account.c.active.is_(True))).mappings().all()
    people = [_user(row) for row in rows]
    return sorted(((p["username"], p["name"]) for p in people if Scope(p).can_act_on_task(task)),
                  key=lambda item: (item[1].casefold(), item[0]))


def list_accounts(platform):
    with platform.uow(readonly=True) as uow:
        return [_public(r) for r in uow.execute(select(account).order_by(account.c.username)).mappings()]


def end_sessions(platform, username):
    """End every session of the account (logout): a copied session cookie stops working at once."""
    with platform.uow() as uow:
        uow.execute(update(account).where(account.c.username == username).values(
            session_epoch=account.c.session_epoch + 1))
        uow.commit()


def set_active(platform, username, active):
    """Disable (or re-enable) an account; disabling ends its sessions and stops its tokens."""
    with platform.uow() as uow:
        _get_row(uow, username)
        uow.execute(update(account).where(account.c.username == username).values(
            active=active, session_epoch=account.c.session_epoch + 1))
        uow.commit()


def set_password(platform, username, password):
    """Set a new password; other sessions of the account end."""
    _check_password(password)
    with platform.uow() as uow:
        _get_row(uow, username)
        uow.execute(update(account).where(account.c.username == username).values(
            password_hash=_hasher.hash(password), session_epoch=account.c.session_epoch + 1))
        uow.commit()


def authenticate(platform, username, password, ip):
    """The user dict for a correct username/password of an active account; LoginFailed/Throttled otherwise.

    Atomic throttling: under a per-username lock the attempt is counted (as a failure) before the
    password is checked, so concurrent guesses see each other and at most MAX_PER_USER_IP reach argon2.
    A correct password then turns its own attempt into a success."""
    username = (username or "").strip().lower()[:64]
    ip = (ip or "unbekannt")[:64]
    now = platform.clock.now()
    with platform.uow() as uow:
        login_throttle.serialize(uow, username)
        until = login_throttle.locked_until(uow, username, ip, now)
        attempt = None if until is not None else login_throttle.record(uow, username, ip, now, success=False)
        row = uow.execute(select(account).where(account.c.username == username)).mappings().first()
        uow.commit()
    if until is not None:
        wait = int((until - now).total_seconds()) + 1
        raise LoginThrottled(f"Zu viele Fehlversuche. Bitte in {max(1, (wait + 59) // 60)} Minuten erneut "
                             "versuchen.", details={"retry_after": wait})
    # Hashing happens outside any transaction; unknown users verify against a dummy hash.
    stored = row["password_hash"] if row is not None and row["password_hash"] else _DUMMY_HASH
    ok = _verify(stored, password or "") and stored is not _DUMMY_HASH
    if ok and row["active"]:
        with platform.uow() as uow:
            login_throttle.mark_success(uow, attempt)
            values = {"last_login_at": now}
            if _hasher.check_needs_rehash(stored):
                values["password_hash"] = _hasher.hash(password)
            uow.execute(update(account).where(account.c.id == row["id"]).values(**values))
            uow.commit()
    if not ok:
        raise LoginFailed("Benutzername oder Passwort ist falsch.")
    if not row["active"]:
        raise LoginFailed("Dieses Konto ist deaktiviert. Bitte wenden Sie sich an die Administration.")
    return _user(row)


class _Counter:
    """How many password hashes were verified in this process (tests of the atomic throttling)."""

    def __init__(self):
        self.value, self.lock = 0, threading.Lock()

    def add(self):
        with self.lock:
            self.value += 1


password_checks = _Counter()


def _verify(password_hash, password):
    password_checks.add()
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False

