"""Operations: /health, /ready, /metrics, request ids and JSON logs, secrets for several app servers."""
import json
import logging
from datetime import timedelta

from click.testing import CliRunner

from zsa_flow import logs
from zsa_flow.cli import main as cli
from zsa_flow.services.platform import Platform
from zsa_flow.storage.db import make_engine
from zsa_flow.web import create_app


def _app(zsa):
    return create_app({"PLATFORM": zsa, "TESTING": True, "SECRET_KEY": "test"})


def test_health_and_ready_on_a_migrated_database(zsa):
    client = _app(zsa).test_client()
    assert client.get("/health").get_json() == {"status": "ok"}
    assert client.get("/ready").get_json() == {"status": "ready"}


def test_not_ready_when_the_database_is_not_migrated(tmp_path):
    empty = Platform(make_engine(f"sqlite:///{tmp_path / 'leer.db'}"))
    client = create_app({"PLATFORM": empty, "TESTING": True, "SECRET_KEY": "test"}).test_client()
    assert client.get("/health").status_code == 200
    response = client.get("/ready")
    assert response.status_code == 503 and response.get_json()["status"] == "not_ready"
    assert "zsa-flow db upgrade" in response.get_json()["reason"]
    empty.engine.dispose()


def test_metrics_count_cases_tasks_and_request_latencies(zsa, clock, test_library):
    zsa.deploy(test_library)
    processes = [p["process_id"] for p in zsa.processes()]
    process = next(p for p in processes if zsa.start_case(p, "15003000") and zsa.tasks())
    [task] = zsa.tasks()[:1]
    assert task
    clock.advance(timedelta(days=400))  # every task with a due date is overdue now
    client = _app(zsa).test_client()
    client.get("/health")
    body = client.get("/metrics").get_data(as_text=True)
    assert f'zsa_cases_started_total{{process="{process}"}}' in body
    assert f"zsa_tasks_open {float(len(zsa.tasks()))}" in body
    for name in ("zsa_tasks_overdue", "zsa_timer_lag_seconds", 'zsa_outbox_backlog{state="dead"} 0.0',
                 'zsa_request_duration_seconds_bucket{endpoint="/health"'):
        assert name in body, name


def test_metrics_need_the_token_when_one_is_configured(zsa, monkeypatch):
    monkeypatch.setenv("ZSA_METRICS_TOKEN", "messwert")
    client = _app(zsa).test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer messwert"}).status_code == 200


def test_request_id_is_passed_through_and_logged_as_json_with_the_case_number(zsa, test_library, caplog):
    zsa.deploy(test_library)
    number = zsa.start_case(zsa.processes()[0]["process_id"], "15003000")
    client = _app(zsa).test_client()
    with caplog.at_level(logging.INFO, logger="zsa_flow.access"):
        response = client.get(f"/api/v1/cases/{number}", headers={"X-Request-Id": "portal-4711"})
        generated = client.get("/health").headers["X-Request-Id"]
    assert response.headers["X-Request-Id"] == "portal-4711" and len(generated) == 32
    [record] = [r for r in caplog.records if r.name == "zsa_flow.access"]
    line = json.loads(logs.JsonFormatter().format(record))
    assert (line["request_id"], line["case"], line["path"], line["status"]) == (
        "portal-4711", number, f"/api/v1/cases/{number}", 401)


def test_several_app_servers_refuse_to_start_without_a_configured_secret(db_url, monkeypatch):
    monkeypatch.setenv("ZSA_DATABASE_URL", db_url)
    monkeypatch.delenv("ZSA_SECRET_KEY", raising=False)
    monkeypatch.delenv("ZSA_SECRET_KEY_FILE", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--workers", "3"])
    assert result.exit_code == 1 and "ZSA_SECRET_KEY" in result.output


def test_the_secret_key_can_come_from_a_file(zsa, tmp_path, monkeypatch):
    secret = tmp_path / "secret"
    secret.write_text("aus-der-datei\n")
    monkeypatch.delenv("ZSA_SECRET_KEY", raising=False)
    monkeypatch.setenv("ZSA_SECRET_KEY_FILE", str(secret))
    app = create_app({"PLATFORM": zsa}, instance_path=str(tmp_path / "instance"))
    assert app.config["SECRET_KEY"] == "aus-der-datei"
