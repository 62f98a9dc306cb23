"""Outbox transports: an HTTP webhook (JSON POST) and e-mail via SMTP, configured per message name.

Configuration (`ZSA_OUTBOX_CONFIG`, YAML or JSON):

    messages:
      bescheid_hundesteuer: {url: "https://portal.example/hooks/zsa", secret_env: PORTAL_HOOK_SECRET}
      eintrag_hunderegister: {url: "https://register.example/in", secret_file: /run/secrets/register}
      nachforderung: {to: antragsteller_email, subject: "Ihr Antrag {case}: Unterlagen fehlen"}
    smtp: {host: 127.0.0.1, port: 25, sender: zsa@example.org, starttls: false}
    retry: {max_attempts: 8, base_seconds: 30, max_seconds: 3600}

`to` is a fixed address (contains "@") or the key of the address in the message payload / case
data. Every delivery carries the outbox row's delivery id (header `Idempotency-Key` and
`X-ZSA-Delivery-Id`, e-mail `Message-ID`), so a receiver can drop a repeated delivery; a webhook
with a secret is signed: `X-ZSA-Signature: sha256=<HMAC-SHA256 of the body>`.
"""
import hashlib
import hmac
import json
import os
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import yaml

from ..errors import ZsaError

TIMEOUT = 10.0


class DeliveryFailed(Exception):
    """The receiver did not take the message (network error, non-2xx answer, SMTP refusal)."""


@dataclass
class OutboxConfig:
    routes: dict = field(default_factory=dict)  # message name -> transport settings
    smtp: dict = field(default_factory=dict)
    max_attempts: int = 8
    base_seconds: float = 30.0
    max_seconds: float = 3600.0

    @classmethod
    def load(cls, path=None):
        """From `path`, else ZSA_OUTBOX_CONFIG; an empty configuration (nothing delivered) without one."""
        path = path or os.environ.get("ZSA_OUTBOX_CONFIG")
        if not path:
            return cls()
        try:
            raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ZsaError(f"Outbox-Konfiguration {path} nicht lesbar: {exc}") from exc
        return cls.from_dict(raw)

    @classmethod
    def from_dict(cls, raw):
        retry = raw.get("retry") or {}
        routes = dict(raw.get("messages") or {})
        for name, route in routes.items():
            if not isinstance(route, dict) or not ("url" in route or "to" in route):
                raise ZsaError(f"Outbox-Konfiguration: Nachricht '{name}' braucht 'url' (Webhook) oder 'to' (E-Mail)")
        return cls(routes=routes, smtp=dict(raw.get("smtp") or {}),
                   max_attempts=int(retry.get("max_attempts", 8)),
                   base_seconds=float(retry.get("base_seconds", 30)),
                   max_seconds=float(retry.get("max_seconds", 3600)))

    def backoff(self, attempts):
        """Seconds before the next attempt after `attempts` failed ones: base * 2^(attempts-1), capped."""
        return min(self.base_seconds * 2 ** max(attempts - 1, 0), self.max_seconds)

    def send(self, message):
        """Deliver one message (dict: delivery_id, name, case, payload, data, created_at); the transport name."""
        route = self.routes[message["name"]]
        if "url" in route:
            _webhook(route, message)
            return "webhook"
        _email(route, self.smtp, message)
        return "email"


def _secret(route):
    if route.get("secret_env"):
        return os.environ.get(route["secret_env"], "")
    if route.get("secret_file"):
        return Path(route["secret_file"]).read_text(encoding="utf-8").strip()
    return route.get("secret") or ""


def _webhook(route, message):
    body = json.dumps({"delivery_id": message["delivery_id"], "name": message["name"], "case": message["case"],
                       "payload": message["payload"], "created_at": message["created_at"]},
                      ensure_ascii=False, default=str).encode()
    headers = {"Content-Type": "application/json", "Idempotency-Key": message["delivery_id"],
               "X-ZSA-Delivery-Id": message["delivery_id"], "X-ZSA-Message": message["name"]}
    secret = _secret(route)
    if secret:
        headers["X-ZSA-Signature"] = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(route["url"], data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=float(route.get("timeout", TIMEOUT))) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        raise DeliveryFailed(f"HTTP {exc.code} von {route['url']}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryFailed(f"{route['url']} nicht erreichbar: {getattr(exc, 'reason', exc)}") from exc


def _email(route, smtp, message):
    values = dict(message.get("data") or {}, **(message["payload"] or {}))
    to = route["to"] if "@" in route["to"] else values.get(route["to"])
    if not to:
        raise DeliveryFailed(f"keine E-Mail-Adresse unter '{route['to']}'")
    mail = EmailMessage()
    mail["From"] = smtp.get("sender", "zsa-flow@localhost")
    mail["To"] = to
    mail["Subject"] = route.get("subject", "{name} zu {case}").format_map(
        _Defaulting(values, case=message["case"], name=message["name"]))
    mail["Message-ID"] = f"<{message['delivery_id']}@zsa-flow>"
    mail["X-ZSA-Delivery-Id"] = message["delivery_id"]
    mail.set_content(route.get("body", "Vorgang {case}: {name}").format_map(
        _Defaulting(values, case=message["case"], name=message["name"])))
    try:
        with smtplib.SMTP(smtp.get("host", "127.0.0.1"), int(smtp.get("port", 25)), timeout=TIMEOUT) as client:
            if smtp.get("starttls"):
                client.starttls()
            if smtp.get("user"):
                client.login(smtp["user"], os.environ.get(smtp.get("password_env", ""), smtp.get("password", "")))
            client.send_message(mail)
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryFailed(f"SMTP: {exc}") from exc


class _Defaulting(dict):
    """format_map values: missing keys stay visible as {key} instead of failing."""

    def __init__(self, values, **extra):
        super().__init__(values, **extra)

    def __missing__(self, key):
        return "{" + key + "}"
