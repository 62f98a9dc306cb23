"""API tokens with least privilege: scopes and optional restrictions to Kommunen and services.

A token grants at most what its account's roles allow, narrowed by
- scopes: "intake" (start cases and message starts, follow-up messages to cases it started),
  "status" (coarse status of cases its account started), "read" (processes, cases, tasks, history),
  "work" (task work, notes, retry), "deploy" (/engine-rest: deploy and start from Camunda Modeler);
  NULL scopes (tokens issued before scopes existed, other than the portal's) grant every scope;
- kommunen: only these of the account's Kommunen (AGS); services: only these processes (ids).
Only a SHA-256 hash of a token is stored; the clear text is shown once when issued or rotated.
"""
import hashlib
import secrets

from sqlalchemy import bindparam, select, update

from ..errors import NotFound, ValidationFailed
from ..storage.tables import account, api_token
from .users import _get_row, _user

TOKEN_PREFIX = "zsa_"
SCOPES = {
    "intake": "Anträge einreichen, Nachrichten zu eigenen Vorgängen zustellen",
    "status": "Grobstatus der selbst eingereichten Vorgänge lesen",
    "read": "Prozesse, Vorgänge, Aufgaben und Verläufe lesen",
    "work": "Aufgaben bearbeiten, Notizen, Störungen erneut ausführen",
    "deploy": "Bereitstellen und Starten aus Camunda Modeler (/engine-rest)",
}
PORTAL_SCOPES = ("intake", "status")


def default_scopes(roles) -> list:
    """Scopes of a token issued without --scope: the portal's account gets intake and status only."""
    return list(PORTAL_SCOPES) if set(roles) <= {"schnittstelle"} else list(SCOPES)


def _hash(token):
    # Tokens are 256 random bits, so a fast hash suffices (no dictionary to guess from).
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _check(scopes, kommunen, services, account_kommunen):
    errors = {}
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        errors["scopes"] = f"Unbekannter Bereich: {', '.join(unknown)}" if unknown else "Mindestens ein Bereich"
    foreign = sorted(set(kommunen or ()) - set(account_kommunen))
    if foreign:
        errors["kommunen"] = f"Das Konto betreut diese Kommunen nicht: {', '.join(foreign)}"
    if services is not None and not all(isinstance(s, str) and s for s in services):
        errors["services"] = "Prozess-IDs erwartet"
    if errors:
        raise ValidationFailed("Das Token ist nicht gültig", details={"fields": errors})


def issue_token(platform, username, scopes=None, *, kommunen=None, services=None):
    """A new API token for the account, returned once in clear text (only its hash is stored)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with platform.uow() as uow:
        row = _get_row(uow, username)
        scopes = sorted(set(scopes)) if scopes else default_scopes(row["roles"] or [])
        kommunen = sorted(set(kommunen)) if kommunen else None
        services = sorted(set(services)) if services else None
        _check(scopes, kommunen, services, row["kommunen"] or [])
        uow.execute(api_token.insert().values(account_id=row["id"], token_hash=_hash(token),
                                              created_at=platform.clock.now(), scopes=scopes,
                                              kommunen=kommunen, services=services))
        uow.commit()
    return token


def list_tokens(platform, username=None):
    """Tokens (never their clear text), newest first; of one account when `username` is given."""
    q = (select(api_token, account.c.username).join(account, account.c.id == api_token.c.account_id)
         .order_by(api_token.c.id.desc()))
    if username:
        q = q.where(account.c.username == username)
    with platform.uow(readonly=True) as uow:
        rows = uow.execute(q).mappings().all()
    return [{"id": r["id"], "username": r["username"], "scopes": r["scopes"], "kommunen": r["kommunen"],
             "services": r["services"], "created_at": r["created_at"].isoformat(),
             "revoked_at": r["revoked_at"].isoformat() if r["revoked_at"] else None} for r in rows]


def _active_row(uow, token_id):
    row = uow.execute(select(api_token).where(api_token.c.id == token_id)).mappings().first()
    if row is None or row["revoked_at"] is not None:
        raise NotFound(f"Kein gültiges Token mit der Nummer {token_id}")
    return row


def revoke_token(platform, token_id):
    """Revoke one token by its number (see list_tokens)."""
    with platform.uow() as uow:
        _active_row(uow, token_id)
        uow.execute(update(api_token).where(api_token.c.id == token_id).values(revoked_at=platform.clock.now()))
        uow.commit()


def revoke_tokens(platform, username):
    """Revoke all tokens of the account; returns how many were active."""
    with platform.uow() as uow:
        row = _get_row(uow, username)
        result = uow.execute(update(api_token).where(api_token.c.account_id == row["id"],
                                                     api_token.c.revoked_at.is_(None))
                             .values(revoked_at=platform.clock.now()))
        uow.commit()
    return result.rowcount


def rotate_token(platform, token_id):
    """Replace a token by a new one with the same scopes and restrictions; the old one stops at once."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = platform.clock.now()
    with platform.uow() as uow:
        old = _active_row(uow, token_id)
        uow.execute(update(api_token).where(api_token.c.id == token_id).values(revoked_at=now))
        uow.execute(api_token.insert().values(account_id=old["account_id"], token_hash=_hash(token), created_at=now,
                                              scopes=old["scopes"], kommunen=old["kommunen"],
                                              services=old["services"]))
        uow.commit()
    return token


# every API request asks this: one prebuilt statement (SQLAlchemy caches its compiled form)
_ACCOUNT_OF_TOKEN = (
    select(account.c.id, account.c.username, account.c.name, account.c.roles, account.c.groups, account.c.kommunen,
           account.c.active, account.c.demo, account.c.session_epoch, api_token.c.id.label("token_id"),
           api_token.c.scopes.label("token_scopes"), api_token.c.kommunen.label("token_kommunen"),
           api_token.c.services.label("token_services"))
    .join(api_token, api_token.c.account_id == account.c.id)
    .where(api_token.c.token_hash == bindparam("b_hash"), api_token.c.revoked_at.is_(None))
)


def user_for_token(platform, token):
    """The user dict of an active account holding this unrevoked token, or None.

    Its "kommunen" are narrowed to the token's Kommunen; "token" holds {"id", "scopes", "services"}."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    with platform.uow(readonly=True) as uow:
        row = uow.execute(_ACCOUNT_OF_TOKEN, {"b_hash": _hash(token)}).mappings().first()
    if row is None or not row["active"]:
        return None
    user = _user(row)
    if row["token_kommunen"] is not None:
        user["kommunen"] = [k for k in user["kommunen"] if k in row["token_kommunen"]]
    user["token"] = {"id": row["token_id"], "account_id": row["id"], "scopes": row["token_scopes"],
                     "services": row["token_services"]}
    return user


def has_scope(user, name) -> bool:
    """Whether the request's credentials grant `name` (a session, or a token without scopes: yes)."""
    token = (user or {}).get("token")
    return token is None or token["scopes"] is None or name in token["scopes"]


def allows_service(user, process_id) -> bool:
    token = (user or {}).get("token")
    return token is None or token["services"] is None or process_id in token["services"]
