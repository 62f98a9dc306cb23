"""`zsa-flow audit verify`: tampering directly in the database is found and named.

Each test edits the database as an attacker with write access would (on PostgreSQL the
append-only trigger is first disabled, as the database owner could), then verifies."""
import os
import json
from contextlib import contextmanager

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from zsa_flow.cli import main
from zsa_flow.services import checkpoints
from zsa_flow.services.history import CHAIN_VERSION, canonical, event_hash

USE_PG = os.environ.get("ZSA_DATABASE_URL", "").startswith("postgres")


@pytest.fixture
def lib(zsa, test_library):
    zsa.deploy(test_library)
    return zsa


def _case(zsa, name="A"):
    number = zsa.start_case("antrag", "15003000", {"antragsteller_name": name})
    task = zsa.tasks(case=number)[0]
    zsa.claim(task["id"], "anna")
    zsa.complete(task["id"], {"ergebnis": "vollstaendig", "anzahl": 2}, "anna")
    return number  # 7 events: started, created, claimed, completed, gateway, decision, created


@contextmanager
def attacker(zsa):
    """A connection with the append-only triggers switched off (PostgreSQL) for the edit."""
    tables = ("event", "artifact", "event_log")
    with zsa.engine.begin() as conn:
        if USE_PG:
            for table in tables:
                conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only"))
        yield conn
        if USE_PG:
            for table in tables:
                conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only"))


def _case_id(conn, number):
    return conn.execute(text("select id from vorgang where number = :n"), {"n": number}).scalar_one()


def _verify(db_url, monkeypatch, *args):
    monkeypatch.setenv("ZSA_DATABASE_URL", db_url)
    result = CliRunner().invoke(main, ["audit", "verify", *args])
    return result.exit_code, result.stdout.strip().splitlines()


def test_a_clean_record_verifies_with_a_summary_line(lib, db_url, monkeypatch):
    _case(lib)
    code, lines = _verify(db_url, monkeypatch)
    assert code == 0 and lines[-1].startswith("Protokoll unversehrt: 7 Ereignisse, 1 Vorgänge und Prüfprotokoll, 5 Dateien")


def test_verify_of_an_unknown_case_is_an_error(lib, db_url, monkeypatch):
    monkeypatch.setenv("ZSA_DATABASE_URL", db_url)
    result = CliRunner().invoke(main, ["audit", "verify", "--case", "TEST-2026-999999"])
    assert result.exit_code == 1 and "Vorgang TEST-2026-999999 nicht gefunden" in result.output


def test_an_edited_event_is_named_by_case_and_position(lib, db_url, monkeypatch):
    number, other = _case(lib), _case(lib, "B")
    with attacker(lib) as conn:
        conn.execute(text("update event set actor = 'mallory' where case_id = :c and seq = 3"),
                     {"c": _case_id(conn, number)})
    code, lines = _verify(db_url, monkeypatch)
    assert code == 1 and lines == [f"Vorgang {number}, Position 3: Inhalt geändert (Hash stimmt nicht)"]
    assert _verify(db_url, monkeypatch, "--case", other)[0] == 0


def test_a_deleted_event_is_a_gap(lib, db_url, monkeypatch):
    number = _case(lib)
    with attacker(lib) as conn:
        conn.execute(text("delete from event where case_id = :c and seq = 4"), {"c": _case_id(conn, number)})
    code, lines = _verify(db_url, monkeypatch, "--case", number)
    assert code == 1 and lines == [f"Vorgang {number}, Position 4: Ereignis fehlt (gelöscht) – auf Position 3 "
                                   "folgt Position 5"]


def test_an_inserted_event_is_out_of_order_even_with_a_correct_hash(lib, db_url, monkeypatch):
    """The attacker renumbers the tail and inserts a forged event with a recomputed hash."""
    number = _case(lib)
    with attacker(lib) as conn:
        case_id = _case_id(conn, number)
        conn.execute(text("update event set seq = seq + 100 where case_id = :c and seq >= 5"), {"c": case_id})
        conn.execute(text("update event set seq = seq - 99 where case_id = :c and seq >= 105"), {"c": case_id})
        prev = conn.execute(text("select hash from event where case_id = :c and seq = 4"), {"c": case_id}).scalar()
        row = {"seq": 5, "type": "task_completed", "element_id": "Pruefen", "element_name": "Prüfen",
               "actor": "mallory", "at": "2026-01-01T00:00:00+00:00", "definition_hash": None, "data": {}}
        conn.execute(text(
            "insert into event (case_id, seq, type, element_id, element_name, actor, at, data, prev_hash, hash, "
            "chain_version) values (:c, 5, 'task_completed', 'Pruefen', 'Prüfen', 'mallory', :at, :data, :prev, "
            ":hash, :v)"), {"c": case_id, "at": "2026-01-01 00:00:00.000000" if not USE_PG else "2026-01-01T00:00:00+00:00",
                            "data": canonical({}), "prev": prev, "hash": event_hash(CHAIN_VERSION, prev, number, row),
                            "v": CHAIN_VERSION})
    code, lines = _verify(db_url, monkeypatch)
    assert code == 1
    assert lines == [
        f"Vorgang {number}, Position 5: außer der Reihe – steht hinter Position 8 (eingefügt oder umgestellt)",
        *(f"Vorgang {number}, Position {seq}: Inhalt geändert (Hash stimmt nicht)" for seq in (6, 7, 8)),  # renumbered
        f"Vorgang {number}, Position 8–8: Ereignisse hinter dem Kopf des Vorgangs (Position 7) – nachträglich eingefügt"]


def test_reordered_events_are_named(lib, db_url, monkeypatch):
    number = _case(lib)
    with attacker(lib) as conn:
        case_id = _case_id(conn, number)
        ids = dict(conn.execute(text("select seq, id from event where case_id = :c"), {"c": case_id}).all())
        conn.execute(text("update event set id = -1 where id = :i"), {"i": ids[3]})
        conn.execute(text("update event set id = :a where id = :b"), {"a": ids[3], "b": ids[4]})
        conn.execute(text("update event set id = :a where id = -1"), {"a": ids[4]})
    code, lines = _verify(db_url, monkeypatch)
    assert code == 1 and lines == [
        f"Vorgang {number}, Position 3: außer der Reihe – steht hinter Position 4 (eingefügt oder umgestellt)"]


def test_a_truncated_tail_is_found_by_the_case_head(lib, db_url, monkeypatch):
    number = _case(lib)
    with attacker(lib) as conn:
        conn.execute(text("delete from event where case_id = :c and seq >= 6"), {"c": _case_id(conn, number)})
    code, lines = _verify(db_url, monkeypatch)
    assert code == 1 and lines == [
        f"Vorgang {number}, Position 6–7: Ende abgeschnitten – der Kopf des Vorgangs verweist auf Position 7, "
        "letztes Ereignis ist Position 5"]


def test_an_edited_deployed_file_is_named_with_its_process_version(lib, db_url, monkeypatch):
    with attacker(lib) as conn:
        sha, content = conn.execute(text("select sha256, content from artifact where kind = 'dmn'")).one()
        conn.execute(text("update artifact set content = :c where sha256 = :s"),
                     {"c": bytes(content).replace(b"144", b"14"), "s": sha})
    code, lines = _verify(db_url, monkeypatch)
    assert code == 1 and len(lines) == 1 and lines[0].startswith("Datei ") and lines[0].endswith(
        "steuersatz.dmn (Prozess antrag Version 1): Inhalt nach der Bereitstellung geändert (SHA-256 stimmt nicht)")


@pytest.mark.skipif(not USE_PG, reason="the append-only trigger exists on PostgreSQL only")
def test_postgres_rejects_update_and_delete_of_events_and_files(lib):
    from sqlalchemy.exc import DBAPIError

    _case(lib)
    for statement in ("update event set actor = 'x'", "delete from event", "update artifact set kind = 'x'",
                      "delete from artifact"):
        with pytest.raises(DBAPIError, match="nur anhängbar"):
            with lib.engine.begin() as conn:
                conn.execute(text(statement))


def test_a_checkpoint_proves_consistency_and_catches_truncation_and_rewriting(lib, db_url, monkeypatch, tmp_path):
    key = tmp_path / "audit.pem"
    checkpoints.keygen(key)
    monkeypatch.setenv("ZSA_AUDIT_SIGNING_KEY_FILE", str(key))
    monkeypatch.setenv("ZSA_DATABASE_URL", db_url)
    number = _case(lib)
    result = CliRunner().invoke(main, ["audit", "checkpoint", "--output", str(tmp_path / "cp.json")])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "cp.json").read_text())["tree_size"] == 7
    _case(lib, "B")  # the log grows: still consistent
    code, lines = _verify(db_url, monkeypatch, "--checkpoint", str(tmp_path / "cp.json"))
    assert code == 0 and "1 Prüfpunkt(e) fortgesetzt" in lines[-1]

    # a consistent rewrite of the first case: every hash recomputed, the chains verify again ...
    with attacker(lib) as conn:
        _rewrite_case(conn, number, actor="mallory")
    code, lines = _verify(db_url, monkeypatch)
    assert code == 0
    # ... but not against the checkpoint
    code, lines = _verify(db_url, monkeypatch, "--checkpoint", str(tmp_path / "cp.json"))
    assert code == 1 and lines == [lines[0]] and "Konsistenzbeweis scheitert" in lines[0]


def test_a_checkpoint_catches_a_whole_case_cut_off(lib, db_url, monkeypatch, tmp_path):
    key = tmp_path / "audit.pem"
    checkpoints.keygen(key)
    monkeypatch.setenv("ZSA_AUDIT_SIGNING_KEY_FILE", str(key))
    _case(lib)
    last = _case(lib, "B")
    document = checkpoints.write_checkpoint(lib)
    (tmp_path / "cp.json").write_text(json.dumps(document))
    with attacker(lib) as conn:  # the second case vanishes without a trace in any chain or the log's tail
        case_id = _case_id(conn, last)
        conn.execute(text("delete from event_log where event_id in (select id from event where case_id = :c)"),
                     {"c": case_id})
        for table in ("event", "case_key", "task_candidate", "human_task", "workflow_state"):
            column = "task_id in (select id from human_task where case_id = :c)" if table == "task_candidate" else "case_id = :c"
            conn.execute(text(f"delete from {table} where {column}"), {"c": case_id})
        conn.execute(text("delete from vorgang where id = :c"), {"c": case_id})
    assert _verify(db_url, monkeypatch)[0] == 0
    code, lines = _verify(db_url, monkeypatch, "--checkpoint", str(tmp_path / "cp.json"))
    assert code == 1 and lines == ["Prüfpunkt vom " + document["timestamp"] + ": Protokoll gekürzt – der Prüfpunkt "
                                   "umfasst 14 Ereignisse, heute sind es 7"]


def test_a_forged_checkpoint_is_refused(lib, db_url, monkeypatch, tmp_path):
    key = tmp_path / "audit.pem"
    checkpoints.keygen(key)
    monkeypatch.setenv("ZSA_AUDIT_SIGNING_KEY_FILE", str(key))
    _case(lib)
    document = checkpoints.write_checkpoint(lib)
    (tmp_path / "cp.json").write_text(json.dumps(dict(document, tree_size=3)))
    code, lines = _verify(db_url, monkeypatch, "--checkpoint", str(tmp_path / "cp.json"))
    assert code == 1 and lines == ["Prüfpunkt: Signatur ungültig (Prüfpunkt verändert oder gefälscht)"]
    other = tmp_path / "other.pem"
    checkpoints.keygen(other)
    monkeypatch.setenv("ZSA_AUDIT_SIGNING_KEY_FILE", str(other))
    (tmp_path / "cp.json").write_text(json.dumps(document))
    code, lines = _verify(db_url, monkeypatch, "--checkpoint", str(tmp_path / "cp.json"))
    assert code == 1 and "fremden Schlüssel" in lines[0]


def _rewrite_case(conn, number, actor):
    """Change one event's actor and recompute every hash of the case and its head."""
    from datetime import datetime, timezone

    case_id = _case_id(conn, number)
    rows = conn.execute(text("select * from event where case_id = :c order by seq"), {"c": case_id}).mappings().all()
    prev = "0" * 64
    for row in rows:
        row = dict(row)
        at = row["at"] if not isinstance(row["at"], str) else datetime.fromisoformat(row["at"]).replace(tzinfo=timezone.utc)
        row["data"] = json.loads(row["data"]) if isinstance(row["data"], str) else row["data"]
        row["actor"] = actor if row["seq"] == 3 else row["actor"]
        digest = event_hash(row["chain_version"], prev, number, dict(row, at=at.astimezone(timezone.utc).isoformat()))
        conn.execute(text("update event set actor = :a, prev_hash = :p, hash = :h where id = :i"),
                     {"a": row["actor"], "p": prev, "h": digest, "i": row["id"]})
        prev = digest
    conn.execute(text("update vorgang set last_hash = :h where id = :c"), {"h": prev, "c": case_id})
