"""`zsa-flow wohngeld` and `zsa-flow hundesteuer`: JSON in, JSON out, one German error line."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from zsa_flow.cli import main

CASE1 = {"stichtag": "2025-06-01", "mietstufe": 5, "bruttokaltmiete_m": 600.00, "vermoegen": 0,
         "haushalt": [{"bruttolohn_m": 1400.00, "rente_m": 0, "sonstige_einkuenfte_m": 0, "werbungskosten_y": None,
                       "zahlt_steuern": True, "zahlt_kv_pv": True, "zahlt_rv": True, "schwerbehindert_pflege": False,
                       "alleinerziehend": False, "kind_mit_einkommen": False, "unterhalt_gezahlt_y": 0}]}
DOG = {"ags": "15003000", "stichtag": "2026-03-15", "anzahl_hunde_bereits": 0, "gefaehrlich": False, "befreiung": None}


def run(*args, stdin=None):
    return CliRunner().invoke(main, list(args), input=stdin)


def test_wohngeld_from_file(tmp_path):
    path = tmp_path / "antrag.json"
    path.write_text(json.dumps(CASE1), encoding="utf-8")
    result = run("wohngeld", "--json", str(path))
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert {k: out[k] for k in ("wohngeld_m", "anspruch", "grund", "m", "y", "n", "rechtsstand")} == {
        "wohngeld_m": 368, "anspruch": True, "grund": None, "m": "691.60", "y": "908.25", "n": 1,
        "rechtsstand": "2025-01-01"}
    assert out["rechenweg"] and all({"label", "value", "ref"} <= set(s) for s in out["rechenweg"])


def test_wohngeld_of_an_application_with_its_household_members():
    antrag = {"stichtag": "2026-03-01", "ags": "15003000", "bruttokaltmiete_m": 700, "vermoegen": 0, "haushaltsmitglieder": [
        {"name": "Erika", "beziehung": "antragsteller", "bruttolohn_m": 1200, "zahlt_steuern": True, "zahlt_kv_pv": True,
         "zahlt_rv": True},
        {"name": "Paul", "beziehung": "ehegatte", "bruttolohn_m": 600, "zahlt_kv_pv": True, "zahlt_rv": True},
        {"name": "Gerda", "beziehung": "elternteil", "rente_m": 800, "zahlt_kv_pv": True}]}
    result = run("wohngeld", "--json", "-", stdin=json.dumps(antrag))
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (out["wohngeld_m"], out["y"], out["n"]) == (303, "1878.60", 3)
    bad = run("wohngeld", "--json", "-", stdin=json.dumps(antrag | {"haushaltsmitglieder": [{"gdb": 101}]}))
    assert bad.exit_code != 0 and "haushaltsmitglieder[0].gdb" in bad.output and "Traceback" not in bad.output


def test_wohngeld_from_stdin_case2_and_no_entitlement():
    case2 = json.loads(json.dumps(CASE1))
    case2["haushalt"][0]["bruttolohn_m"] = 2000.00
    assert json.loads(run("wohngeld", "--json", "-", stdin=json.dumps(case2)).stdout)["wohngeld_m"] == 145
    rich = {**CASE1, "vermoegen": 100000}
    out = json.loads(run("wohngeld", "--json", "-", stdin=json.dumps(rich)).stdout)
    assert out["anspruch"] is False and out["wohngeld_m"] == 0 and "Vermögen" in out["grund"]


def test_hundesteuer_command():
    result = run("hundesteuer", "--json", "-", stdin=json.dumps(DOG))
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["jahressteuer"] == "96.00" and out["betrag_erstes_jahr"] == "72.00"
    assert [r["faellig"] for r in out["raten"]] == ["2026-05-15", "2026-08-15", "2026-11-15"]


@pytest.mark.parametrize("command, data, field", [
    ("wohngeld", {**CASE1, "bruttokaltmiete_m": -600}, "bruttokaltmiete_m"),
    ("wohngeld", {**CASE1, "haushalt": []}, "haushalt"),
    ("wohngeld", {**CASE1, "mietstufe": 8}, "mietstufe"),
    ("wohngeld", {k: v for k, v in CASE1.items() if k != "vermoegen"}, "vermoegen"),
    ("wohngeld", {**CASE1, "stichtag": "2023-01-01"}, "stichtag"),
    ("wohngeld", [1, 2], "antrag"),
    ("hundesteuer", {**DOG, "ags": "15999999"}, "ags"),
    ("hundesteuer", {**DOG, "stichtag": "2010-01-01"}, "stichtag"),
    ("hundesteuer", {**DOG, "befreiung": "zwerg"}, "befreiung"),
])
def test_bad_input_one_german_line_naming_the_field(command, data, field):
    result = run(command, "--json", "-", stdin=json.dumps(data))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Fehler: {field}")
    assert "Traceback" not in result.output and result.stdout == ""


def test_invalid_json_and_missing_file_are_one_line_errors(tmp_path):
    broken = run("wohngeld", "--json", "-", stdin="{kein json")
    assert broken.exit_code == 1 and "kein gültiges JSON" in broken.stderr
    missing = run("hundesteuer", "--json", str(tmp_path / "fehlt.json"))
    assert missing.exit_code == 1 and "nicht lesbar" in missing.stderr


def test_installed_entry_point_runs_from_a_fresh_process(tmp_path):
    exe = Path(sys.executable).with_name("zsa-flow")
    if not exe.exists():
        pytest.skip("zsa-flow entry point not installed in this environment")
    done = subprocess.run([str(exe), "wohngeld", "--json", "-"], input=json.dumps(CASE1), capture_output=True,
                          text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["wohngeld_m"] == 368
    bad = subprocess.run([str(exe), "hundesteuer", "--json", "-"], input=json.dumps({**DOG, "gefaehrlich": "ja"}),
                         capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert bad.returncode == 1 and bad.stderr.startswith("Fehler: gefaehrlich") and "Traceback" not in bad.stderr
