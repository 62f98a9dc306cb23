"""Path-based Camunda 7 form keys (`camunda-forms:deployment:PATH`, `camunda-forms:app:PATH`) resolve
to a deployed form file by its path; DMN 1.1 layouts in `biodi` count as a diagram for `zsa-flow check`."""
from pathlib import Path

import pytest

from zsa_flow.bpmn.form_keys import FormKeyError, key_path, resolve, synthetic_form_id
from zsa_flow.library.check import check_paths
from zsa_flow.library.loader import LibraryFile, form_id

DINNER = Path(__file__).resolve().parent.parent / "fixtures" / "camunda-examples" / "dmn-engine-drg" / "dinnerDecisions.dmn"
FORMS = {"start": "src/main/webapp/start-form.form", "Form_1": "/srv/lib/forms/antrag.form",
         "pruefen": "library/pruefen.form", "x/a.form": "x/a.form"}


@pytest.mark.parametrize("key, bpmn, expected", [
    ("camunda-forms:app:start-form.form", "src/main/resources/p.bpmn", "start"),  # the only file ending so
    ("camunda-forms:deployment:src/main/webapp/start-form.form", None, "start"),  # resource name exactly
    ("camunda-forms:deployment:./forms/antrag.form", "/srv/lib/p.bpmn", "Form_1"),  # beside the BPMN
    ("camunda-forms:deployment:x/a.form", "elsewhere/p.bpmn", "x/a.form"),
    ("camunda-forms:deployment:forms/pruefen.form", "p.bpmn", "pruefen"),  # older models: by id
])
def test_a_key_resolves_by_path_then_by_the_id_of_its_file_name(key, bpmn, expected):
    assert resolve(key, bpmn, FORMS) == expected


def test_exact_and_beside_the_bpmn_win_over_other_files_with_that_ending_and_else_it_is_ambiguous():
    forms = {"a/f.form": "a/f.form", "b/f.form": "b/f.form", "f.form": "f.form"}
    assert resolve("camunda-forms:app:f.form", "b/p.bpmn", forms) == "f.form"
    del forms["f.form"]
    assert resolve("camunda-forms:app:f.form", "b/p.bpmn", forms) == "b/f.form"
    with pytest.raises(FormKeyError, match="mehrdeutig: a/f.form, b/f.form"):
        resolve("camunda-forms:app:f.form", "c/p.bpmn", forms)
    with pytest.raises(FormKeyError, match="keine Formulardatei 'g.form' und kein Formular mit der id 'g'"):
        resolve("camunda-forms:deployment:g.form", "p.bpmn", forms)


def test_a_form_without_id_is_indexed_by_its_path_and_one_with_id_by_it():
    assert form_id(LibraryFile("./webapp/start-form.form", "form", b'{"components": []}')) == "webapp/start-form.form"
    assert form_id(LibraryFile("webapp/a.form", "form", b'{"id": "Form_1", "components": []}')) == "Form_1"
    long_path = "d/" * 150 + "f.form"
    assert len(synthetic_form_id(long_path)) == 200 and synthetic_form_id(long_path) == synthetic_form_id(long_path)
    assert key_path("camunda-forms:app:/forms/a.form") == "forms/a.form"


def test_dmn_1_1_with_its_layout_in_biodi_needs_no_dmndi(tmp_path):
    assert check_paths([str(DINNER)]) == []
    undrawn = tmp_path / "undrawn.dmn"
    undrawn.write_text(DINNER.read_text().replace('<biodi:bounds x="-84" y="307" width="180" height="80" />', ""))
    problems = check_paths([str(undrawn)])
    assert [(p.element_id, p.severity, p.message) for p in problems] == [
        ("dish", "warning", "Entscheidung hat kein dmndi:DMNShape im Diagramm (DRD)")]
