"""Issue 13.7: least-privilege API tokens — scopes, Kommunen and services; list, revoke, rotate by CLI;
existing portal tokens migrate to intake+status."""
import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from api_support import APPLICATION, ANMELDUNG, HAL, MD, bearer, portal_setup
from zsa_flow.cli import main
from zsa_flow.errors import ValidationFailed
from zsa_flow.services import tokens, users
from zsa_flow.storage.tables import api_token


@pytest.fixture
def setup(zsa):
    app, portal, anna = portal_setup(zsa)
    return app.test_client(), portal, anna


def test_portal_token_starts_cases_and_reads_only_their_coarse_status(zsa, setup):
    client, portal, _ = setup
    started = client.post("/api/v1/messages", headers=bearer(portal), json=APPLICATION)
    assert started.status_code == 201
    number = started.json["number"]
    for path in ("/api/v1/cases", f"/api/v1/cases/{number}", f"/api/v1/cases/{number}/events", "/api/v1/tasks",
                 "/api/v1/processes"):
        refused = client.get(path, headers=bearer(portal))
        assert refused.status_code == 403 and refused.json["details"] == {"scope": "read"}, path
    task = zsa.tasks(case=number)[0]["id"]
    assert client.post(f"/api/v1/tasks/{task}/claim", headers=bearer(portal), json={}).status_code == 403
    assert client.post(f"/api/v1/cases/{number}/notes", headers=bearer(portal), json={"text": "x"}).status_code == 403
    assert client.get(f"/api/v1/status/{number}", headers=bearer(portal)).json["label"] == "In Bearbeitung"


def test_token_restricted_to_a_kommune_and_a_service(zsa, setup):
    client, _, _ = setup
    token = tokens.issue_token(zsa, "portal", ["intake", "status", "read"], kommunen=[MD], services=["hundeabmeldung"])
    other_kommune = client.post("/api/v1/messages", headers=bearer(token), json={**APPLICATION, "kommune": HAL})
    assert other_kommune.status_code == 403
    other_service = client.post("/api/v1/messages", headers=bearer(token), json=APPLICATION)
    assert other_service.status_code == 403 and "hundehaltung" in other_service.json["message"]
    number = zsa.start_case("hundehaltung", MD, ANMELDUNG)
    assert client.get(f"/api/v1/cases/{number}", headers=bearer(token)).status_code == 404
    assert client.get("/api/v1/cases", headers=bearer(token)).json == []
    with pytest.raises(ValidationFailed):
        tokens.issue_token(zsa, "portal", ["alles"])
    with pytest.raises(ValidationFailed):
        tokens.issue_token(zsa, "portal", ["read"], kommunen=["15001000"])  # not one of the account's


def test_deploy_scope_guards_engine_rest(zsa, setup):
    client, _, _ = setup
    users.add_account(zsa, "pia", "Pia", ["prozessverantwortung"], kommunen=[MD])
    reader = tokens.issue_token(zsa, "pia", ["read"])
    deployer = tokens.issue_token(zsa, "pia", ["deploy"])
    assert client.get("/engine-rest/deployment", headers=bearer(reader)).status_code == 403
    assert client.get("/engine-rest/deployment", headers=bearer(deployer)).status_code == 200


def test_tokens_are_listed_revoked_and_rotated_by_cli(zsa, db_url):
    users.add_account(zsa, "portal", "Online-Portal", ["schnittstelle"], kommunen=[MD])
    runner, env = CliRunner(), {"ZSA_DATABASE_URL": db_url}
    issued = runner.invoke(main, ["users", "token", "portal"], env=env)
    token = issued.stdout.strip()
    assert issued.exit_code == 0 and tokens.user_for_token(zsa, token)["token"]["scopes"] == ["intake", "status"]
    listed = runner.invoke(main, ["users", "token", "list", "portal"], env=env)
    assert "intake,status" in listed.output and token not in listed.output
    token_id = tokens.list_tokens(zsa, "portal")[0]["id"]
    rotated = runner.invoke(main, ["users", "token", "rotate", str(token_id)], env=env)
    new = rotated.stdout.strip()
    assert rotated.exit_code == 0 and tokens.user_for_token(zsa, token) is None
    assert tokens.user_for_token(zsa, new)["token"]["scopes"] == ["intake", "status"]
    new_id = tokens.list_tokens(zsa, "portal")[0]["id"]
    assert runner.invoke(main, ["users", "token", "revoke", str(new_id)], env=env).exit_code == 0
    assert tokens.user_for_token(zsa, new) is None
    scoped = runner.invoke(main, ["users", "token", "issue", "portal", "--scope", "read", "--kommune", MD], env=env)
    assert tokens.user_for_token(zsa, scoped.stdout.strip())["token"]["scopes"] == ["read"]


def test_tokens_issued_before_scopes_keep_working_with_every_scope(zsa, setup):
    client, _, _ = setup
    legacy = tokens.issue_token(zsa, "anna")
    with zsa.uow() as uow:  # as the migration leaves tokens of other accounts than the portal's
        uow.execute(update(api_token).where(api_token.c.scopes.is_not(None), api_token.c.id == _id(zsa, legacy))
                    .values(scopes=None))
        uow.commit()
    assert tokens.user_for_token(zsa, legacy)["token"]["scopes"] is None
    assert client.get("/api/v1/cases", headers=bearer(legacy)).status_code == 200


def _id(zsa, token):
    with zsa.uow(readonly=True) as uow:
        return uow.execute(select(api_token.c.id).where(api_token.c.token_hash == tokens._hash(token))).scalar()


def test_migration_gives_existing_portal_tokens_intake_and_status_only(tmp_path):
    """Upgrade a database from the revision before scopes: the portal's token narrows, others keep all."""
    from datetime import datetime, timezone

    from alembic import command
    from sqlalchemy import text

    from zsa_flow.storage import migrate
    from zsa_flow.storage.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("COMMIT")
        conn.exec_driver_sql("BEGIN")
        command.upgrade(migrate._config(conn), "b3f5d7e9a1c2")
    now = datetime(2026, 11, 1, tzinfo=timezone.utc)
    with engine.begin() as conn:
        for i, (name, roles) in enumerate([("portal", '["schnittstelle"]'), ("anna", '["zsa-sachbearbeitung"]')], 1):
            conn.execute(text("INSERT INTO account (id, username, name, roles, groups, kommunen, active, demo, "
                              "session_epoch, created_at) VALUES (:id, :u, :u, :r, '[]', '[]', 1, 0, 1, :now)"),
                         {"id": i, "u": name, "r": roles, "now": now})
            conn.execute(text("INSERT INTO api_token (account_id, token_hash, created_at) VALUES (:id, :h, :now)"),
                         {"id": i, "h": f"{i:064d}", "now": now})
    migrate.upgrade(engine)
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT account_id, scopes FROM api_token")).all())
    engine.dispose()
    assert rows[1] is not None and sorted(__import__("json").loads(rows[1])) == ["intake", "status"]
    assert rows[2] is None
