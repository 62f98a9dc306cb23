"""Erasure after the retention period: crypto-shredding removes personal data, the record stays verifiable."""
import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from zsa_flow.services import inbox
from zsa_flow.services.erasure import add_duration, erase_due
from zsa_flow.services.history import verify_rows
from zsa_flow.services.queries import stored_events
from zsa_flow.services.scope import Scope

USE_PG = os.environ.get("ZSA_DATABASE_URL", "").startswith("postgres")

NAME = "Zwetschgenbaum"
ANNA = Scope({"username": "anna", "roles": ["zsa-sachbearbeitung"], "groups": ["zsa-team"], "kommunen": ["15003000"]})


@pytest.fixture
def lib(zsa, test_library, tmp_path):
    """The test library with a retention period of one year."""
    library = tmp_path / "library"
    shutil.copytree(test_library[0], library)
    bpmn = library / "antrag.bpmn"
    bpmn.write_text(bpmn.read_text().replace(
        '<camunda:property name="zsa:service" value="test" />',
        '<camunda:property name="zsa:service" value="test" />\n        <camunda:property name="zsa:retention" value="P1Y" />'))
    zsa.deploy([str(library)])
    return zsa


def test_iso_durations_add_calendar_years_months_and_weeks(clock):
    t = clock.now().replace(year=2024, month=2, day=29)
    assert add_duration(t, "P6Y").date().isoformat() == "2030-02-28"
    assert add_duration(t, "P1M2D").date().isoformat() == "2024-03-31"
    assert add_duration(t, "P2W").date().isoformat() == "2024-03-14"
    with pytest.raises(ValueError):
        add_duration(t, "sechs Jahre")


def test_erasure_after_the_retention_period_removes_personal_data_and_keeps_verify_clean(lib, clock, db_url):
    number = lib.start_case("antrag", "15003000", {"antragsteller_name": f"Wilhelmine {NAME}"})
    running = lib.start_case("antrag", "15003000", {"antragsteller_name": "Bleibt Lesbar"})
    task = lib.tasks(case=number)[0]
    lib.claim(task["id"], "anna")
    lib.save_draft(task["id"], {"transponder_nr": f"Rückruf {NAME}"}, "anna")
    inbox.add_note(lib, number, f"Frau {NAME} hat angerufen", "anna")
    lib.cancel(number, "Antrag zurückgenommen", "anna")
    assert lib.events(number)[0]["data"]["data"]["antragsteller_name"] == f"Wilhelmine {NAME}"
    assert NAME not in str(stored_events(lib, number))  # the event data is stored encrypted

    assert USE_PG or _in_files(db_url, NAME)  # the case data, title, draft and note hold it in clear
    clock.advance(timedelta(days=300))
    assert erase_due(lib)["cases"] == []  # the year has not passed yet
    clock.advance(timedelta(days=70))
    planned = erase_due(lib, dry_run=True)
    assert [c["number"] for c in planned["cases"]] == [number] and lib.case(number)["title"]
    result = erase_due(lib, actor="dsb")
    assert [c["number"] for c in result["cases"]] == [number]

    case = lib.case(number)
    assert case["data"] == {} and case["title"] is None
    events = lib.events(number)
    assert events[0]["data"] == {"gelöscht": True}
    assert events[-1]["type"] == "case_erased" and events[-1]["actor"] == "dsb"
    assert NAME not in str(events) and NAME not in str(inbox.case_page(lib, number, ANNA))
    assert lib.events(running)[0]["data"]["data"]["antragsteller_name"] == "Bleibt Lesbar"
    assert verify_rows(number, stored_events(lib, number)) == []
    report = lib.verify()
    assert report.findings == [] and report.events == len(events) + len(lib.events(running))
    assert erase_due(lib)["cases"] == []  # erased once
    if not USE_PG:
        lib.engine.dispose()
        assert not _in_files(db_url, NAME)


def _in_files(db_url, text):
    """Whether the SQLite database file or its write-ahead log holds `text` anywhere."""
    path = Path(db_url.split("///", 1)[1])
    return any(text.encode() in file.read_bytes() for file in [path, *path.parent.glob(path.name + "-*")])


def test_cases_without_retention_are_kept_and_reported(zsa, test_library, clock):
    zsa.deploy(test_library)
    number = zsa.start_case("antrag", "15003000", {"antragsteller_name": "Ohne Frist"})
    zsa.cancel(number, "zurückgenommen", "anna")
    clock.advance(timedelta(days=4000))
    result = erase_due(zsa)
    assert result["cases"] == [] and number in result["skipped"][0]
    assert zsa.events(number)[0]["data"]["data"]["antragsteller_name"] == "Ohne Frist"


def test_erase_and_keygen_on_the_command_line(lib, clock, db_url, monkeypatch, tmp_path):
    from click.testing import CliRunner

    from zsa_flow.cli import main

    monkeypatch.setenv("ZSA_DATABASE_URL", db_url)
    number = lib.start_case("antrag", "15003000", {"antragsteller_name": "Alt"})
    lib.cancel(number, "zurückgenommen", "anna")
    clock.advance(timedelta(days=400))
    monkeypatch.setattr("zsa_flow.services.platform.Platform.connect",
                        classmethod(lambda cls, url=None, clock=None, check_migrated=True: lib))
    result = CliRunner().invoke(main, ["audit", "erase", "--dry-run"])
    assert result.exit_code == 0 and f"{number}: würde gelöscht" in result.stdout
    assert lib.events(number)[0]["data"]["data"]["antragsteller_name"] == "Alt"
    result = CliRunner().invoke(main, ["audit", "erase", "--user", "dsb"])
    assert f"{number}: gelöscht" in result.stdout and result.stdout.strip().endswith("1 Vorgänge gelöscht.")
    assert lib.events(number)[0]["data"] == {"gelöscht": True}
    result = CliRunner().invoke(main, ["audit", "keygen", "--output", str(tmp_path / "k.pem")])
    assert result.exit_code == 0 and (tmp_path / "k.pem.pub").exists()
    assert oct((tmp_path / "k.pem").stat().st_mode & 0o777) == "0o600"
    assert CliRunner().invoke(main, ["audit", "keygen", "--output", str(tmp_path / "k.pem")]).exit_code == 1
