"""Audit replay against the record: consistent cases, and the tampering it must notice."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from bench.audit_replay import typical_wohngeld_case
from zsa_flow.cli import main
from zsa_flow.services.replay import replay_case
from zsa_flow.storage.tables import artifact, event, process_definition, vorgang

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = (ROOT / "tests" / "fixtures" / "engine" / "script.bpmn").read_text()


@pytest.fixture
def wohngeld(zsa, clock):
    zsa.deploy([str(ROOT / "processes" / "wohngeld"), str(ROOT / "forms" / "wohngeld")])
    return typical_wohngeld_case(zsa, clock)


def _event_id(zsa, number, type_, nth=0):
    with zsa.engine.connect() as conn:
        case_id = conn.execute(select(vorgang.c.id).where(vorgang.c.number == number)).scalar_one()
        ids = conn.execute(select(event.c.id).where(event.c.case_id == case_id, event.c.type == type_)
                           .order_by(event.c.seq)).scalars().all()
    return ids[nth]


def _sql(zsa, statement):
    """Tamper as the database owner would: on PostgreSQL the append-only triggers go off first."""
    from sqlalchemy import text

    with zsa.engine.begin() as conn:
        owner = conn.dialect.name == "postgresql"
        for table in ("event", "artifact") if owner else ():
            conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only"))
        conn.execute(statement)
        for table in ("event", "artifact") if owner else ():
            conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only"))


def test_typical_wohngeld_case_replays_consistently_with_a_numbered_trail(zsa, wohngeld):
    result = replay_case(zsa, wohngeld)
    assert result["consistent"], result["divergence"]
    assert result["result"] == "replay consistent" and result["final"]["state"] == "completed"
    trail = result["trail"]
    assert [s["step"] for s in trail] == list(range(1, len(trail) + 1))
    assert len(trail) == len(zsa.events(wohngeld)) >= 35
    completed = [s for s in trail if s["type"] == "task_completed"]
    assert completed[0]["actor"] == "anna" and completed[0]["changed"]["unterlagen_vollstaendig"] is False
    assert trail[0]["time"] == "02.03.2026 09:00"  # German local time of 08:00 UTC
    script = next(s for s in trail if s["type"] == "script_executed")
    assert script["changed"]["wohngeld_m"] == 253
    # per step: the data at that step and where the tokens stand, for the browser page
    step = trail.index(script)
    assert result["snapshots"][step]["data"]["wohngeld_m"] == 253
    assert "wohngeld_m" not in result["snapshots"][0]["data"]
    assert result["snapshots"][0]["active"] == ["Activity_Vollstaendigkeit"] or result["snapshots"][0]["active"] == []


def test_a_deployed_dmn_edited_in_the_database_is_named_as_the_cause(zsa, wohngeld):
    with zsa.engine.connect() as conn:
        files = conn.execute(select(process_definition.c.files).where(
            process_definition.c.process_id == "wohngeld")).scalar_one()
        dmn = next(f for f in files if f["path"].endswith("wohngeld_nachweise.dmn"))
        content = conn.execute(select(artifact.c.content).where(artifact.c.sha256 == dmn["sha256"])).scalar_one()
    edited = content.replace('"Mietvertrag (Kopie)"'.encode(), '"Mietvertrag"'.encode())
    assert edited != content
    _sql(zsa, update(artifact).where(artifact.c.sha256 == dmn["sha256"]).values(content=edited))
    zsa.definitions = type(zsa.definitions)()  # a fresh server: nothing parsed yet

    result = replay_case(zsa, wohngeld)
    assert not result["consistent"]
    divergence = result["divergence"]
    assert divergence["step"] == 4 and "Entscheidungstabelle" in divergence["message"]
    assert divergence["cause"].startswith("bereitgestellte Datei geändert")
    assert dmn["path"] in divergence["cause"]
    assert result["changed_files"] == [{"path": dmn["path"], "problem": "Inhalt passt nicht zur SHA-256"}]


def test_an_edited_event_diverges_and_the_chain_names_it(zsa, wohngeld):
    event_id = _event_id(zsa, wohngeld, "task_completed", nth=4)  # the decision of the Wohngeldstelle
    with zsa.engine.connect() as conn:
        seq = conn.execute(select(event.c.seq).where(event.c.id == event_id)).scalar_one()
    data = next(e["data"] for e in zsa.events(wohngeld) if e["seq"] == seq)  # stored encrypted: read decrypted
    data["data"]["entscheidung"] = "ablehnung"
    # without the case key the forger replaces the ciphertext by plaintext, which readers then show
    _sql(zsa, update(event).where(event.c.id == event_id).values(data=data, ciphertext=None))

    result = replay_case(zsa, wohngeld)
    assert not result["consistent"]
    assert "Verzweigung" in result["divergence"]["message"] or "Berechnung" in result["divergence"]["message"] \
        or "wiederholt" in result["divergence"]["message"]
    assert result["divergence"]["cause"].startswith("bearbeitetes Ereignis")
    assert result["chain"] and result["chain"][0]["problem"].startswith("Inhalt geändert")


def test_a_deleted_event_is_a_missing_event(zsa, wohngeld):
    _sql(zsa, event.delete().where(event.c.id == _event_id(zsa, wohngeld, "script_executed")))
    result = replay_case(zsa, wohngeld)
    assert not result["consistent"]
    assert "fehlt" in result["divergence"]["message"] or "fehlendes" in result["divergence"]["cause"]
    assert "fehlendes Ereignis" in result["divergence"]["cause"]


def test_cut_off_last_events_are_missing_at_the_end(zsa, wohngeld):
    with zsa.engine.connect() as conn:
        case_id = conn.execute(select(vorgang.c.id).where(vorgang.c.number == wohngeld)).scalar_one()
        last = conn.execute(select(event.c.seq).where(event.c.case_id == case_id)
                            .order_by(event.c.seq.desc())).scalars().first()
    _sql(zsa, event.delete().where(event.c.case_id == case_id, event.c.seq > last - 3))
    result = replay_case(zsa, wohngeld)
    assert not result["consistent"]
    assert result["truncated"] and "fehlendes Ereignis am Ende" in result["divergence"]["cause"]


def test_a_case_with_an_incident_and_a_retry_replays(zsa, tmp_path):
    path = tmp_path / "skript.bpmn"
    path.write_text(SCRIPT)
    zsa.deploy([str(path)])
    number = zsa.start_case("skript", "15003000", {"rasse": "Pudel"})  # "faktor" missing: incident
    assert zsa.case(number)["state"] == "incident"
    zsa.retry(number, data={"faktor": 2})
    result = replay_case(zsa, number)
    assert result["consistent"], result["divergence"]
    types = [s["type"] for s in result["trail"]]
    assert types.index("incident_raised") < types.index("retried") < types.index("incident_resolved")
    assert result["final"]["data"]["ergebnis"] == 20


def test_cli_prints_the_trail_and_the_verdict(zsa, wohngeld, db_url, monkeypatch):
    monkeypatch.setenv("ZSA_DATABASE_URL", db_url)
    runner = CliRunner()
    out = runner.invoke(main, ["replay", wohngeld])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[1].lstrip().startswith("1  02.03.2026 09:00  Vorgang angelegt")
    assert lines[-1] == "replay consistent"
    as_json = json.loads(runner.invoke(main, ["replay", wohngeld, "--json"]).output)
    assert as_json["consistent"] and len(as_json["snapshots"]) == len(as_json["trail"])

    _sql(zsa, update(event).where(event.c.id == _event_id(zsa, wohngeld, "task_claimed"))
         .values(actor="mallory"))
    out = runner.invoke(main, ["replay", wohngeld])
    assert out.exit_code == 1
    assert "replay diverges" in out.output and "wahrscheinliche Ursache: bearbeitetes Ereignis" in out.output


def test_service_events_of_any_kind_only_enter_the_trail(zsa, wohngeld):
    """Access records, notes and the like (types the engine does not know) never disturb a replay."""
    from zsa_flow.services.history import append_events
    from zsa_flow.services.runs import get_case_row

    with zsa.uow() as uow:
        append_events(uow, get_case_row(uow, number=wohngeld), [{"type": "case_viewed", "data": {"what": "replay"}}],
                      "paula", zsa.clock.now())
        uow.commit()
    result = replay_case(zsa, wohngeld)
    assert result["consistent"], result["divergence"]
    assert result["trail"][-1]["type"] == "case_viewed" and result["trail"][-1]["actor"] == "paula"
