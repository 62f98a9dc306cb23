"""The outbox is delivered: a real local HTTP receiver and a real local SMTP server (aiosmtpd)."""
import json
import socket
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from zsa_flow.cli import main as cli
from zsa_flow.services import outbox as outbox_service
from zsa_flow.services.transports import OutboxConfig

FIXTURE = str(Path(__file__).resolve().parent.parent / "fixtures" / "timer")
MESSAGE = "mahnung_versandt"


class Receiver:
    """Answers `fail` times with 503, then 204; records (headers, body) of every POST."""

    def __init__(self, fail=0):
        self.calls, self.fail = [], fail
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.calls.append((self.headers, body))
                status = 503 if receiver.fail > 0 else 204
                receiver.fail -= 1
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/eingang"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sent_message(zsa, clock):
    """One case that has thrown MESSAGE (timer fired): its number."""
    clock.set(datetime.now(timezone.utc) - timedelta(hours=1))
    zsa.deploy([FIXTURE])
    number = zsa.start_case("mahnung", "15003000", {"email": "halterin@example.org"})
    clock.advance(timedelta(seconds=3))
    assert zsa.tick() == 1
    return number


def _types(zsa, number):
    return [e["type"] for e in zsa.events(number) if e["type"].startswith("message_")]


def test_webhook_delivery_carries_a_delivery_id_and_is_recorded_in_the_history(zsa, sent_message):
    receiver = Receiver()
    config = OutboxConfig.from_dict({"messages": {MESSAGE: {"url": receiver.url, "secret": "geheim"}}})
    try:
        assert outbox_service.deliver_due(zsa, config)["delivered"] == 1
        assert outbox_service.deliver_due(zsa, config)["delivered"] == 0  # nothing sent twice
    finally:
        receiver.close()
    [(headers, body)] = receiver.calls
    [row] = outbox_service.list_messages(zsa)
    assert headers["Idempotency-Key"] == headers["X-ZSA-Delivery-Id"] == row["delivery_id"] == body["delivery_id"]
    assert headers["X-ZSA-Signature"].startswith("sha256=")
    assert (body["name"], body["case"], row["state"]) == (MESSAGE, sent_message, "delivered")
    assert _types(zsa, sent_message) == ["message_sent", "message_delivered"]


def test_failures_back_off_exponentially_then_the_message_is_delivered(zsa, clock, sent_message):
    receiver = Receiver(fail=2)
    config = OutboxConfig.from_dict({"messages": {MESSAGE: {"url": receiver.url}},
                                     "retry": {"max_attempts": 5, "base_seconds": 10}})
    try:
        assert outbox_service.deliver_due(zsa, config)["failed"] == 1
        clock.advance(timedelta(seconds=9))
        assert not outbox_service.deliver_due(zsa, config)  # backoff: 10 s after the first failure
        clock.advance(timedelta(seconds=2))
        assert outbox_service.deliver_due(zsa, config)["failed"] == 1
        clock.advance(timedelta(seconds=19))
        assert not outbox_service.deliver_due(zsa, config)  # 20 s after the second failure
        clock.advance(timedelta(seconds=2))
        assert outbox_service.deliver_due(zsa, config)["delivered"] == 1
    finally:
        receiver.close()
    assert len({h["X-ZSA-Delivery-Id"] for h, _ in receiver.calls}) == 1  # the same id on every attempt
    assert _types(zsa, sent_message) == ["message_sent", "message_delivery_failed", "message_delivery_failed",
                                         "message_delivered"]


def test_a_message_that_keeps_failing_is_dead_lettered_and_an_operator_can_send_it_again(
        zsa, clock, sent_message, db_url, monkeypatch):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead_url = f"http://127.0.0.1:{s.getsockname()[1]}/weg"
    config = OutboxConfig.from_dict({"messages": {MESSAGE: {"url": dead_url}},
                                     "retry": {"max_attempts": 3, "base_seconds": 1}})
    for _ in range(3):
        outbox_service.deliver_due(zsa, config)
        clock.advance(timedelta(seconds=10))
    [row] = outbox_service.list_messages(zsa, state="dead")
    assert row["attempts"] == 3 and "nicht erreichbar" in row["last_error"]
    assert _types(zsa, sent_message)[-1] == "message_dead_lettered"

    monkeypatch.setenv("ZSA_DATABASE_URL", db_url)
    listed = CliRunner().invoke(cli, ["outbox", "list", "--state", "dead"])
    assert listed.exit_code == 0 and sent_message in listed.output and "dead" in listed.output
    assert CliRunner().invoke(cli, ["outbox", "retry", str(row["id"])]).exit_code == 0
    receiver = Receiver()
    config.routes[MESSAGE]["url"] = receiver.url
    try:
        assert outbox_service.deliver_due(zsa, config)["delivered"] == 1
    finally:
        receiver.close()
    assert outbox_service.list_messages(zsa)[0]["state"] == "delivered"
    again = CliRunner().invoke(cli, ["outbox", "retry", str(row["id"])])
    assert again.exit_code == 1 and "bereits zugestellt" in again.output


def test_email_delivery_through_a_real_smtp_server(zsa, sent_message):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        config = OutboxConfig.from_dict({
            "messages": {MESSAGE: {"to": "email", "subject": "Mahnung zu {case}"}},
            "smtp": {"host": "127.0.0.1", "port": port, "sender": "zsa@example.org"}})
        assert outbox_service.deliver_due(zsa, config)["delivered"] == 1
    finally:
        controller.stop()
    [mail] = received
    [row] = outbox_service.list_messages(zsa)
    assert mail["To"] == "halterin@example.org" and mail["Subject"] == f"Mahnung zu {sent_message}"
    assert mail["Message-ID"] == f"<{row['delivery_id']}@zsa-flow>"
    assert _types(zsa, sent_message)[-1] == "message_delivered"


def test_messages_without_a_route_wait_and_show_in_the_backlog(zsa, sent_message):
    assert outbox_service.deliver_due(zsa, OutboxConfig.from_dict({"messages": {}})) == {}
    assert outbox_service.backlog(zsa) == {"pending": 1}
