"""`zsa-flow check`: every check reports `file:line: element-id: message` and never raises."""
import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from zsa_flow.cli import main
from zsa_flow.library.check import Problem, check_paths

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CHECK = FIXTURES / "check"
LIBRARY = FIXTURES / "library"


def fixture(name) -> str:
    return str(CHECK / name)


def line(name, needle) -> int:
    """1-based line of the first occurrence of `needle` in a fixture (independent of lxml)."""
    for number, text in enumerate((CHECK / name).read_text(encoding="utf-8").splitlines(), 1):
        if needle in text:
            return number
    raise AssertionError(f"{needle!r} not in {name}")


def errors(problems):
    return [p for p in problems if p.severity == "error"]


def only(problems, severity="error"):
    found = [p for p in problems if p.severity == severity]
    assert len(found) == 1, "\n".join(map(str, problems))
    return found[0]


def assert_reports(problems, name, needle, element_id, *fragments, severity="error"):
    prefix = f"{fixture(name)}:{line(name, needle)}: {element_id}: "
    hits = [p for p in problems if str(p).startswith(prefix) and p.severity == severity]
    assert hits, f"no {severity} starting with {prefix!r} in:\n" + "\n".join(map(str, problems))
    assert any(all(f in p.message for f in fragments) for p in hits), "\n".join(map(str, hits))


# --- format and robustness -------------------------------------------------------------------

def test_problem_prints_as_one_line_with_file_line_element_message():
    problem = Problem("processes/a.bpmn", 12, "Task_1", "camunda:class wird nicht unterstützt")
    assert str(problem) == "processes/a.bpmn:12: Task_1: camunda:class wird nicht unterstützt"
    assert problem.severity == "error"


def test_clean_library_fixture_has_no_errors():
    problems = check_paths([str(LIBRARY)])
    assert errors(problems) == [], "\n".join(map(str, problems))


def test_clean_bpmn_fixture_has_no_problem_at_all():
    assert check_paths([fixture("clean.bpmn")]) == []


def test_missing_path_and_unknown_file_type_are_problems_not_exceptions(tmp_path):
    (tmp_path / "notiz.txt").write_text("x")
    problems = check_paths([str(tmp_path / "fehlt"), str(tmp_path / "notiz.txt")])
    assert [str(p) for p in problems] == [
        f"{tmp_path}/fehlt:1: -: Datei oder Verzeichnis nicht gefunden",
        f"{tmp_path}/notiz.txt:1: -: unbekannter Dateityp (erwartet .bpmn, .dmn oder .form)",
    ]


@pytest.mark.parametrize("content", [b"\x00\xff\xfe garbage", b"", b"<a>" * 300 + b"</a>" * 300, b"\xef\xbb\xbf{"])
def test_garbage_never_raises(tmp_path, content):
    for suffix in (".bpmn", ".dmn", ".form"):
        path = tmp_path / f"x{suffix}"
        path.write_bytes(content)
        problems = check_paths([str(path)])
        assert errors(problems) and all(p.file == str(path) for p in problems)


# --- 1. well-formed and hostile XML ----------------------------------------------------------

def test_not_well_formed_xml_names_file_and_line():
    problem = only(check_paths([fixture("malformed.bpmn")]))
    assert str(problem).startswith(f"{fixture('malformed.bpmn')}:5: -: not well-formed XML")
    assert "startEvent" in problem.message


def test_external_entity_is_rejected_promptly_without_reading_the_file():
    started = time.monotonic()
    problem = only(check_paths([fixture("xxe.bpmn")]))
    assert time.monotonic() - started < 2
    assert str(problem).startswith(f"{fixture('xxe.bpmn')}:2: -: DOCTYPE/ENTITY")
    assert "root:" not in problem.message


def test_billion_laughs_is_rejected_promptly():
    started = time.monotonic()
    problem = only(check_paths([fixture("billion_laughs.dmn")]))
    assert time.monotonic() - started < 2
    assert str(problem).startswith(f"{fixture('billion_laughs.dmn')}:2: -: DOCTYPE/ENTITY declarations are not allowed")


@pytest.mark.parametrize("suffix", [".bpmn", ".dmn", ".form"])
def test_six_megabyte_file_is_rejected_promptly(tmp_path, suffix):
    path = tmp_path / f"riesig{suffix}"
    path.write_bytes(b"<a>" + b" " * (6 * 1024 * 1024) + b"</a>")
    started = time.monotonic()
    problem = only(check_paths([str(path)]))
    assert time.monotonic() - started < 2
    assert str(problem).startswith(f"{path}:1: -: Datei ist {6 * 1024 * 1024 + 7} Bytes groß")
    assert "Grenze" in problem.message


# --- 2. XSD, 3. engine parse -------------------------------------------------------------------

def test_xsd_error_is_reported_with_its_line():
    problem = only(check_paths([fixture("xsd_invalid.bpmn")]))
    assert str(problem).startswith(f"{fixture('xsd_invalid.bpmn')}:{line('xsd_invalid.bpmn', 'bogus=')}: Aufgabe: BPMN-2.0-XSD:")
    assert "'bogus' is not allowed" in problem.message


def test_camunda_extensions_pass_the_xsd():
    problems = check_paths([str(LIBRARY / "antrag.bpmn"), str(LIBRARY)])
    assert not [p for p in problems if "XSD" in p.message]


def test_spiffworkflow_validation_error_becomes_a_problem():
    problem = only(check_paths([fixture("engine_invalid.bpmn")]))
    assert str(problem) == (f"{fixture('engine_invalid.bpmn')}:{line('engine_invalid.bpmn', '<bpmn:process')}: "
                            "engine_invalid: SpiffWorkflow: No start event found.")


# --- 4. references -------------------------------------------------------------------------------

@pytest.mark.parametrize("name, needle, element_id, fragments", [
    ("missing_form.bpmn", 'id="Pruefen"', "Pruefen", ("camunda:formRef 'gibt_es_nicht'", "kein Formular")),
    ("bad_form_key.bpmn", 'id="Pruefen"', "Pruefen", ("camunda:formKey 'embedded:app:forms/pruefen.html'", "nicht unterstützt")),
    ("missing_decision.bpmn", 'id="Regel"', "Regel", ("camunda:decisionRef 'keine_tabelle'", "keine Entscheidung")),
    ("missing_called.bpmn", 'id="Aufruf"', "Aufruf", ("calledElement 'kein_prozess'", "kein Prozess")),
    ("bad_message_ref.bpmn", 'messageRef="Message_fehlt"', "Warten", ("messageRef 'Message_fehlt'", "bpmn:message")),
    ("bad_attached.bpmn", 'id="Frist"', "Frist", ("attachedToRef 'Aufgabe_weg'", "kein vorhandenes Element")),
    ("bad_flow_ref.bpmn", 'id="Flow_2"', "Flow_2", ("targetRef 'Nirgendwo'",)),
    ("bad_default.bpmn", 'id="Gateway"', "Gateway", ("default 'Flow_fremd'", "kein ausgehender Fluss")),
])
def test_unresolved_reference(name, needle, element_id, fragments):
    problems = check_paths([fixture(name)])
    assert_reports(problems, name, needle, element_id, *fragments)
    assert len(errors(problems)) == 1, "\n".join(map(str, problems))


def test_references_resolve_across_the_library():
    # formRef="pruefen" is defined in the library fixture's pruefen.form
    problems = check_paths([fixture("user_task_no_group.bpmn"), str(LIBRARY)])
    assert not [p for p in problems if "formRef" in p.message]
    assert [p for p in check_paths([fixture("user_task_no_group.bpmn")]) if "camunda:formRef 'pruefen'" in p.message]


def test_duplicate_process_id_across_files():
    problems = check_paths([str(CHECK / "duplicate")])
    problem = only(problems)
    a, b = fixture("duplicate/a.bpmn"), fixture("duplicate/b.bpmn")
    assert str(problem).startswith(f"{b}:{line('duplicate/b.bpmn', '<bpmn:process')}: doppelt: Prozess-ID 'doppelt'")
    assert f"auch in {a}:{line('duplicate/a.bpmn', '<bpmn:process')}" in problem.message


def test_duplicate_element_id_in_a_file():
    problems = check_paths([fixture("duplicate_element.bpmn")])
    second = line("duplicate_element.bpmn", 'name="nochmal"')
    assert_reports(problems, "duplicate_element.bpmn", 'name="nochmal"', "Aufgabe", "ID 'Aufgabe' ist doppelt",
                   f"Zeile {second - 1}")
    assert not [p for p in problems if "xs:ID" in p.message]


# --- 5. diagram ---------------------------------------------------------------------------------

def test_flow_node_and_sequence_flow_without_diagram_element():
    problems = check_paths([fixture("no_di.bpmn")])
    assert_reports(problems, "no_di.bpmn", 'id="Aufgabe"', "Aufgabe", "manualTask", "kein bpmndi:BPMNShape")
    assert_reports(problems, "no_di.bpmn", 'id="Flow_2"', "Flow_2", "sequenceFlow", "keine bpmndi:BPMNEdge")
    assert len(errors(problems)) == 2


def test_decision_without_dmndi_shape_is_a_warning():
    problem = only(check_paths([fixture("decision_no_shape.dmn")]), "warning")
    assert str(problem) == (f"{fixture('decision_no_shape.dmn')}:3: ohne_shape: "
                            "Entscheidung hat kein dmndi:DMNShape im Diagramm (DRD)")
    assert not errors(check_paths([fixture("decision_no_shape.dmn")]))


# --- 6. expressions, DMN cells, forms -----------------------------------------------------------

@pytest.mark.parametrize("name, needle, element_id, fragments", [
    ("bad_condition.bpmn", 'id="Flow_ja"', "Flow_ja", ("Bedingung (conditionExpression)",)),
    ("bad_script.bpmn", "<bpmn:script>", "Rechnen", ("Skript",)),
    ("bad_script_syntax.bpmn", "<bpmn:script>", "Rechnen", ("Skript",)),
    ("bad_timer.bpmn", "frist_tage(", "Warten", ("timeDuration",)),
    ("bad_due_date.bpmn", 'id="Pruefen"', "Pruefen", ("camunda:dueDate 'frist +'",)),
    ("bad_due_date.bpmn", 'id="Pruefen"', "Pruefen", ("camunda:priority 'prio(('",)),
])
def test_expression_that_does_not_compile(name, needle, element_id, fragments):
    assert_reports(check_paths([fixture(name)]), name, needle, element_id, *fragments)


def test_due_dates_and_timers_that_are_no_iso_8601_value_are_refused():
    """P5X used to pass as a Python name and the task then had no due date."""
    problems = check_paths([fixture("bad_iso_dates.bpmn")])
    assert_reports(problems, "bad_iso_dates.bpmn", 'id="Pruefen"', "Pruefen",
                   "camunda:dueDate", "'P5X' ist kein gültiger ISO-8601-Wert", "P5D")
    assert_reports(problems, "bad_iso_dates.bpmn", 'id="Pruefen"', "Pruefen",
                   "camunda:followUpDate", "'2026-02-30' ist kein gültiges Datum")
    assert_reports(problems, "bad_iso_dates.bpmn", ">P3Q<", "Warten", "timeDuration", "'P3Q'")


def test_iso_timer_and_plain_metadata_are_not_compiled_as_python():
    problems = check_paths([str(LIBRARY)])  # P14D, P5D, priority 60, dueDate expression frist_bescheid
    assert not [p for p in problems if "timeDuration" in p.message or "camunda:" in p.message]


def test_dmn_cell_problem_from_the_dmn_engine():
    problem = only(check_paths([fixture("bad_cell.dmn")]))
    assert str(problem).startswith(f"{fixture('bad_cell.dmn')}:{line('bad_cell.dmn', 'Rule_1')}: kaputte_zelle: ")
    assert "[1.." in problem.message


def test_broken_form():
    problem = only(check_paths([fixture("bad.form")]))
    assert str(problem) == (f"{fixture('bad.form')}:3: Field_betrag: key 'betrag': 'min' must be a number, got 'viel'")


def test_form_that_is_not_json():
    problem = only(check_paths([fixture("not_json.form")]))
    assert str(problem).startswith(f"{fixture('not_json.form')}:4: -: not valid JSON")


def test_form_warning_is_a_warning():
    problems = check_paths([fixture("warning.form")])
    problem = only(problems, "warning")
    assert not errors(problems)
    assert str(problem).startswith(f"{fixture('warning.form')}:{line('warning.form', 'Field_grund')}: Field_grund: hide condition")


# --- 7. unsupported constructs and warnings ----------------------------------------------------

@pytest.mark.parametrize("name, needle, element_id, fragments", [
    ("juel.bpmn", 'id="Pruefen"', "Pruefen", ("Attribut camunda:assignee", "JUEL-Ausdruck wird nicht unterstützt", "${initiator}")),
    ("juel.bpmn", 'id="Flow_ja"', "Flow_ja", ("conditionExpression", "JUEL-Ausdruck wird nicht unterstützt – bitte Python schreiben")),
    ("java_class.bpmn", 'id="Senden"', "Senden", ("camunda:class", "Java-Delegate", "de.zsa.MailDelegate")),
    ("delegate_expression.bpmn", 'id="Senden"', "Senden", ("camunda:delegateExpression", "nicht unterstützt")),
    ("service_expression.bpmn", 'id="Senden"', "Senden", ("camunda:expression", "nicht unterstützt")),
    ("service_plain.bpmn", 'id="Senden"', "Senden", ("serviceTask ohne unterstützte Implementierung",)),
    ("external_task.bpmn", 'id="Senden"', "Senden", ('camunda:type="external"', "'post'", "nicht unterstützt")),
    ("case_ref.bpmn", 'id="Fall"', "Fall", ("camunda:caseRef", "nicht unterstützt")),
    ("connector.bpmn", "<camunda:connector>", "Senden", ("camunda:connector wird nicht unterstützt",)),
    ("input_output.bpmn", 'name="summe"', "Aufgabe", ("camunda:inputParameter 'summe'", "Skript-Mapping")),
    ("time_cycle.bpmn", "<bpmn:timeCycle", "Warten", ("timeCycle", "nicht unterstützt", "timeDate", "timeDuration")),
    ("groovy_script.bpmn", 'id="Rechnen"', "Rechnen", ("scriptFormat 'groovy'", "nur python")),
])
def test_unsupported_construct_is_named(name, needle, element_id, fragments):
    problems = check_paths([fixture(name)])
    assert_reports(problems, name, needle, element_id, *fragments)
    assert not [p for p in problems if "XSD" in p.message], "\n".join(map(str, problems))


def test_juel_is_not_also_compiled_as_python():
    problems = check_paths([fixture("juel.bpmn")])
    assert len(errors(problems)) == 2, "\n".join(map(str, problems))


def test_implicit_split_is_warned_and_refused_by_the_engine():
    problems = check_paths([fixture("implicit_split.bpmn")])
    assert_reports(problems, "implicit_split.bpmn", 'id="Gateway"', "Gateway", "ohne Standardfluss",
                   "Flow_sonst hat keine Bedingung", severity="warning")
    assert [p.element_id for p in errors(problems)] == ["Flow_sonst"]
    assert "without condition" in errors(problems)[0].message


@pytest.mark.parametrize("name, needle, element_id, fragments", [
    ("user_task_no_form.bpmn", 'id="Pruefen"', "Pruefen", ("ohne Formular",)),
    ("user_task_no_group.bpmn", 'id="Pruefen"', "Pruefen", ("ohne camunda:candidateGroups und ohne Lane",)),
])
def test_modelling_warning(name, needle, element_id, fragments):
    problems = check_paths([fixture(name), str(LIBRARY)])
    assert_reports(problems, name, needle, element_id, *fragments, severity="warning")
    assert not [p for p in errors(problems) if p.file == fixture(name)]


def test_lane_counts_as_candidate_group():
    assert not [p for p in check_paths([str(LIBRARY)]) if "Lane" in p.message]


# --- CLI -----------------------------------------------------------------------------------------

def test_cli_exit_status_and_output():
    runner = CliRunner()
    bad = runner.invoke(main, ["check", fixture("java_class.bpmn"), fixture("user_task_no_form.bpmn")])
    assert bad.exit_code == 1, bad.output
    lines = bad.stdout.splitlines()
    senden = line("java_class.bpmn", 'id="Senden"')
    assert any(ln.startswith(f"{fixture('java_class.bpmn')}:{senden}: Senden: serviceTask: camunda:class") for ln in lines)
    assert any(ln.startswith(f"{fixture('user_task_no_form.bpmn')}:") and ": Warnung: " in ln for ln in lines)
    assert "1 Fehler, 1 Warnungen in 2 Dateien" in bad.stderr

    good = runner.invoke(main, ["check", fixture("clean.bpmn")])
    assert good.exit_code == 0, good.output
    assert good.stdout == ""
    assert "0 Fehler, 0 Warnungen in 1 Dateien" in good.stderr


def test_cli_clean_library_exits_zero_and_json_lists_problems():
    runner = CliRunner()
    result = runner.invoke(main, ["check", str(LIBRARY)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["check", "--json", fixture("time_cycle.bpmn")])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data[0]["element_id"] == "Warten" and data[0]["severity"] == "error"
    assert data[0]["line"] == line("time_cycle.bpmn", "<bpmn:timeCycle")


def test_script_problem_points_at_the_line_in_the_file():
    name = "bad_script_multiline.bpmn"
    problems = check_paths([fixture(name)])
    assert_reports(problems, name, "ergebnis = = summe", "Rechnen", "Skript")


def test_camunda_forms_form_key_resolves_to_the_form_id():
    problems = check_paths([fixture("form_key.bpmn"), str(LIBRARY)])
    problem = only([p for p in problems if p.file == fixture("form_key.bpmn")])
    entscheiden = line("form_key.bpmn", 'id="Entscheiden"')
    assert str(problem) == (f"{fixture('form_key.bpmn')}:{entscheiden}: Entscheiden: "
                            "camunda:formKey 'camunda-forms:deployment:forms/fehlt.form': keine Formulardatei "
                            "'forms/fehlt.form' und kein Formular mit der id 'fehlt' in der Bibliothek")


def test_ids_reserved_by_the_engine_are_errors(tmp_path):
    source = (Path(__file__).resolve().parent.parent / "fixtures" / "engine" / "loop.bpmn").read_text()
    bad = tmp_path / "reserviert.bpmn"
    bad.write_text(source.replace('"StartEvent_1"', '"Start"'))
    problems = errors(check_paths([str(bad)]))
    assert [(p.element_id, "reserviert" in p.message) for p in problems] == [("Start", True)]


def test_unsupported_form_component_is_refused_by_name_even_inside_a_list(tmp_path):
    form = {"id": "Form_x", "type": "default", "components": [
        {"type": "dynamiclist", "id": "List_a", "path": "a", "components": [
            {"type": "textfield", "id": "Field_t", "key": "t"},
            {"type": "iframe", "id": "Frame_karte", "url": "https://example.org"}]}]}
    path = tmp_path / "x.form"
    path.write_text(json.dumps(form, indent=2), encoding="utf-8")
    problem = only(check_paths([str(path)]))
    frame_line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "Frame_karte" in text)
    assert str(problem) == f"{path}:{frame_line}: Frame_karte: component type 'iframe' is not supported by zsa-flow"
