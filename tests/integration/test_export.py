"""XES and CSV export of finished cases: counts, attributes, pseudonyms; pm4py reads the log and an
alignment against the process's own model fits every case (XSD structure check without pm4py)."""
import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from bench.audit_replay import typical_wohngeld_case
from pm4py_support import model_for_alignment
from zsa_flow.cli import main
from zsa_flow.services import export as ex

ROOT = Path(__file__).resolve().parents[2]
XSD = ROOT / "tests" / "fixtures" / "xes" / "xes-structure.xsd"
MODEL = ROOT / "processes" / "wohngeld" / "to-be" / "wohngeld.bpmn"
KOMMUNEN = ["15002000", "15003000", "15002000"]
pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning", "ignore::UserWarning")


@pytest.fixture
def cases(zsa, clock):
    """Three finished Wohngeld cases (two in Halle, one in Magdeburg) and one still running."""
    zsa.deploy([str(ROOT / "processes" / "wohngeld"), str(ROOT / "forms" / "wohngeld")])
    finished = [typical_wohngeld_case(zsa, clock, kommune) for kommune in KOMMUNEN]
    clock.advance(timedelta(days=1))
    running = zsa.deliver_message(None, "antrag_wohngeld", data={"familienname": "Offen"}, kommune="15003000")
    return finished, running


def _xes(zsa, **filters):
    header, rows = ex.export_rows(zsa, "wohngeld", **filters)
    out = io.BytesIO()
    counts = ex.write_xes(out, header, rows)
    return out.getvalue(), counts


def test_xes_has_one_trace_per_finished_case_with_the_declared_extensions(zsa, cases):
    finished, running = cases
    data, (traces, events) = _xes(zsa)
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(etree.fromstring(data))
    root = etree.fromstring(data)
    ns = {"x": ex.XES_NS}
    assert {e.get("prefix") for e in root.findall("x:extension", ns)} == {"concept", "time", "lifecycle", "org"}
    assert [g.get("scope") for g in root.findall("x:global", ns)] == ["trace", "event"]
    names = [t.find("x:string[@key='concept:name']", ns).get("value") for t in root.findall("x:trace", ns)]
    assert names == finished and traces == 3
    trace = root.find("x:trace", ns)
    assert trace.find("x:string[@key='kommune']", ns).get("value") == "15002000"
    assert trace.find("x:int[@key='process_version']", ns).get("value") == "1"
    first_task = trace.findall("x:event", ns)[2]
    values = {a.get("key"): a.get("value") for a in first_task}
    assert values["concept:name"] == "Vollständigkeit prüfen" and values["lifecycle:transition"] == "start"
    assert values["org:group"] == "zsa-wohngeld" and values["time:timestamp"].endswith("+00:00")
    automatic = [e for e in trace.findall("x:event", ns)
                 if e.find("x:string[@key='element_type']", ns).get("value") == "scriptTask"]
    assert automatic and all(e.find("x:string[@key='org:resource']", ns).get("value") == "zsa-flow" for e in automatic)
    assert events == 3 * len(trace.findall("x:event", ns))

    assert _xes(zsa, include_running=True)[1][0] == 4
    assert _xes(zsa, kommune="15003000")[1][0] == 1


def test_pm4py_reads_the_log_and_an_alignment_against_the_model_fits_every_case(zsa, cases, tmp_path):
    pm4py = pytest.importorskip("pm4py")
    data, (traces, events) = _xes(zsa)
    path = tmp_path / "wohngeld.xes"
    path.write_bytes(data)
    log = pm4py.read_xes(str(path), return_legacy_log_object=False)
    assert log["case:concept:name"].nunique() == traces == 3
    assert len(log) == events
    assert set(log["case:kommune"]) == {"15002000", "15003000"}

    net, initial, final, labels = model_for_alignment(MODEL)
    completed = log[(log["lifecycle:transition"] == "complete") & log["concept:name"].isin(labels)]
    fitness = pm4py.fitness_alignments(completed, net, initial, final)
    assert fitness["percentage_of_fitting_traces"] == 100.0, fitness


def test_csv_and_pseudonymised_export_through_the_cli(zsa, cases, db_url, monkeypatch, tmp_path):
    finished, _ = cases
    monkeypatch.setenv("ZSA_DATABASE_URL", db_url)
    runner = CliRunner()
    out = runner.invoke(main, ["export", "csv", "--process", "wohngeld", "--kommune", "15002000"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert {r["case"] for r in rows} == {finished[0], finished[2]}
    assert {"anna", "bernd", "kasse1", "zsa-flow"} <= {r["resource"] for r in rows}

    refused = runner.invoke(main, ["export", "xes", "--process", "wohngeld", "--pseudonymise"])
    assert refused.exit_code == 1 and "ZSA_PSEUDONYM_KEY" in refused.output

    monkeypatch.setenv("ZSA_PSEUDONYM_KEY", "ein-langer-geheimer-schluessel")
    target = tmp_path / "log.xes"
    done = runner.invoke(main, ["export", "xes", "--process", "wohngeld", "--pseudonymise", "--output", str(target),
                                "--from", "01.03.2026", "--to", "2027-12-31"])
    assert done.exit_code == 0, done.output
    text = target.read_text(encoding="utf-8")
    assert "anna" not in text and finished[0] not in text and "WOGG-" not in text
    assert 'value="zsa-flow"' in text and "person-" in text and "vorgang-" in text
    again = runner.invoke(main, ["export", "csv", "--process", "wohngeld", "--pseudonymise"]).stdout
    assert ex.Pseudonymiser(b"ein-langer-geheimer-schluessel")("person", "anna") in again  # stable pseudonyms

    none = runner.invoke(main, ["export", "csv", "--process", "wohngeld", "--from", "01.01.2030"]).stdout
    assert none.strip() == ",".join(ex.CSV_COLUMNS)
    assert runner.invoke(main, ["export", "xes", "--process", "gibt-es-nicht"]).exit_code == 1
