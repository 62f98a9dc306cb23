"""The case as people read it (services/process_texts.py, services/case_display.py) for the library's
Hundehaltung process: labels and sections of its forms, option labels, message names and receivers."""
from pathlib import Path

import pytest

from zsa_flow.library.loader import read_library
from zsa_flow.engine.definitions import definition_from_bundle
from zsa_flow.services import case_display
from zsa_flow.services.process_texts import build_texts
from zsa_flow.xmlsafe import parse_xml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def texts():
    library = read_library([str(ROOT / "processes" / "hundehaltung"), str(ROOT / "forms" / "hundehaltung")])
    info, bundle = library.processes["hundehaltung"], library.bundle("hundehaltung")
    definition = definition_from_bundle(info, bundle)
    roots = [parse_xml(f.content, f.path).getroot() for f in bundle if f.kind == "bpmn"]
    return build_texts(roots, definition.forms, definition.start_form)


def test_sections_follow_the_start_form_then_the_task_forms(texts):
    titles = [title for title, _keys in texts.sections]
    assert titles[:4] == ["Halterin / Halter", "Hund", "Haftpflichtversicherung", "Steuerbefreiung oder -ermäßigung"]
    assert "Erlaubnis zum Halten eines gefährlichen Hundes" in titles
    assert titles.index("Erlaubnis zum Halten eines gefährlichen Hundes") < titles.index("Steuerbescheid erlassen")


def test_data_reads_with_labels_option_labels_and_kinds(texts):
    sections = case_display.data_sections(texts, {
        "halter_vorname": "Erika", "geschlecht": "ruede", "befreiung": "wachhund_aussenbereich",
        "versicherung_personen_sach": 5000000, "geburtsdatum_hund": "2025-06-01", "gefaehrlich": True,
        "steuer": {"jahressteuer": "500.00", "rechenweg": [{"label": "x"}]}})
    rows = {row["key"]: (section["title"], row) for section in sections for row in section["rows"]}
    assert rows["halter_vorname"][1]["label"] == "Vorname" and rows["halter_vorname"][0] == "Halterin / Halter"
    assert rows["geschlecht"][1]["value"] == "Rüde"
    assert rows["befreiung"][1]["value"].startswith("Wachhund")
    assert rows["versicherung_personen_sach"][1]["label"] == "Deckungssumme Personen- und Sachschäden"
    assert rows["versicherung_personen_sach"][1]["kind"] == "money"
    assert rows["geburtsdatum_hund"][1]["kind"] == "date"
    assert sections[-1]["title"] == "Weitere Angaben" and rows["gefaehrlich"][0] == "Weitere Angaben"
    assert [r["key"] for r in rows["steuer"][1]["rows"]] == ["jahressteuer"]  # the Rechenweg has its own table


def test_history_names_messages_receivers_and_hides_merges(texts):
    events = [
        {"seq": 1, "type": "message_sent", "element_id": "Activity_Zustellen", "element_name": "Bescheid zustellen",
         "actor": "system", "at": "2026-03-02T08:00:00+00:00", "data": {"message": "bescheid_hundehaltung"}},
        {"seq": 2, "type": "gateway_passed", "element_id": "Gateway_Eingang", "element_name": "Eingang",
         "actor": "system", "at": "2026-03-02T08:00:00+00:00", "data": {}},
        {"seq": 3, "type": "timer_fired", "element_id": "Event_Frist", "element_name": None,
         "actor": "system", "at": "2026-03-02T08:00:00+00:00", "data": {}},
        {"seq": 4, "type": "gateway_taken", "element_id": "Gateway_Gefaehrlich", "element_name": "Gefährlicher Hund?",
         "actor": "anna", "at": "2026-03-02T08:00:00+00:00", "data": {"to": ["Activity_Erlaubnis"]}},
    ]
    lines = case_display.history(texts, events, {"anna": "Anna Schulz"})
    assert [(line["before"], line["name"], line["after"]) for line in lines] == [
        ("Nachricht", "Bescheid Hundehaltung", "an Antragsteller/in versendet"),
        ("", "Frist (14 Tage) abgelaufen", ""),  # the name says it already: no "Frist … abgelaufen abgelaufen"
        ("Verzweigung", "Gefährlicher Hund?", "entschieden: weiter mit Erlaubnis für gefährlichen Hund prüfen"),
    ]
    assert lines[2]["actor"] == "Anna Schulz"


def test_waits_name_the_timer_never_its_id(texts):
    waits = case_display.waits(texts, [{"element_id": "Event_Frist", "due": "2026-03-16T08:00:00+00:00"}])
    assert waits == [{"name": "Frist (14 Tage) abgelaufen", "due": "2026-03-16T08:00:00+00:00"}]
