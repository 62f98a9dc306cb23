"""Conformance report on a handful of Wohngeld cases: variants, unused model paths, divergent cases."""
import json
from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select, update

from bench.audit_replay import DIRECT, typical_wohngeld_case
from zsa_flow.bpmn.flow_graph import model_paths, read_graph
from zsa_flow.cli import main
from zsa_flow.services.conformance import conformance_report
from zsa_flow.storage.tables import event, vorgang

ROOT = Path(__file__).resolve().parents[2]


def _cases(zsa, clock):
    zsa.deploy([str(ROOT / "processes" / "wohngeld"), str(ROOT / "forms" / "wohngeld")])
    with_request = [typical_wohngeld_case(zsa, clock) for _ in range(2)]
    direct = typical_wohngeld_case(zsa, clock, steps=DIRECT)
    clock.advance(timedelta(days=1))
    running = zsa.deliver_message(None, "antrag_wohngeld", data={"familienname": "Offen"}, kommune="15003000")
    return with_request, direct, running


def test_variants_with_count_share_and_median_and_the_paths_never_taken(zsa, clock):
    with_request, direct, running = _cases(zsa, clock)
    report = conformance_report(zsa, "wohngeld")
    assert (report["cases"], report["ended"], report["running"]) == (4, 3, 1)
    first, second = report["variants"]
    assert (first["count"], first["share"], first["cases"]) == (2, 0.6667, with_request)
    assert (second["count"], second["cases"]) == (1, [direct])
    assert first["in_model"] and second["in_model"]
    assert "Fehlende Unterlagen nachfordern (§ 60 SGB I)" in first["steps"]
    assert "Fehlende Unterlagen nachfordern (§ 60 SGB I)" not in second["steps"]
    assert first["steps"][0] == "Online-Antrag eingegangen" and first["steps"][-1] == "Wohngeld bewilligt, Erinnerung versandt"
    assert first["median_days"] > 250  # applied in March 2026, reminded in January 2027
    unused = [p["steps"] for p in report["unused_paths"]]
    assert len(unused) == report["model_paths"] - 2
    assert any("Versagung vorschlagen (§ 66 SGB I)" in p for p in unused)
    assert any(p[0] == "Papierantrag erfasst" for p in unused)
    assert report["divergent"] == []


def test_a_tampered_case_is_listed_as_divergent(zsa, clock, db_url, monkeypatch):
    with_request, direct, running = _cases(zsa, clock)
    with zsa.engine.begin() as conn:
        case_id = conn.execute(select(vorgang.c.id).where(vorgang.c.number == direct)).scalar_one()
        if conn.dialect.name == "postgresql":  # the database owner switches the append-only trigger off
            conn.exec_driver_sql("ALTER TABLE event DISABLE TRIGGER event_append_only")
        conn.execute(update(event).where(event.c.case_id == case_id, event.c.type == "gateway_taken")
                     .values(data={"to": ["Activity_Negativ_zustellen"]}, ciphertext=None))
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ALTER TABLE event ENABLE TRIGGER event_append_only")
    monkeypatch.setenv("ZSA_DATABASE_URL", db_url)
    out = CliRunner().invoke(main, ["audit", "conformance", "wohngeld"])
    assert out.exit_code == 0, out.output
    assert "3 Vorgänge wiederholt" not in out.output
    assert f"{direct}: Schritt" in out.output and "bearbeitetes Ereignis" in out.output
    report = json.loads(CliRunner().invoke(main, ["audit", "conformance", "wohngeld", "--json"]).output)
    assert [d["number"] for d in report["divergent"]] == [direct]
    assert "Varianten (2)" in out.output and "2 × (66,7 %)" in out.output


def test_model_paths_bound_loops_to_one_iteration():
    graph = read_graph((ROOT / "processes" / "wohngeld" / "to-be" / "wohngeld.bpmn").read_bytes(), "wohngeld")
    paths = model_paths(graph)
    assert paths and all(max(p.count(e) for e in p) <= 2 for p in paths)
    assert {p[0] for p in paths} == {"StartEvent_Online", "StartEvent_Papier"}
    assert all(graph.kinds[p[-1]] == "endEvent" for p in paths)
    # leaving the receive task through its deadline skips the task itself
    deadline = [p for p in paths if "Event_Frist_abgelaufen" in p]
    assert deadline and all(p[p.index("Event_Frist_abgelaufen") - 1] != "Activity_Warten" for p in deadline)
