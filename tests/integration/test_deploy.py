"""Deploying versions: content hash, numbering, instances staying on their version."""
import shutil

import pytest

from zsa_flow.errors import ModelError, NotFound


def _copy_library(test_library, tmp_path):
    target = tmp_path / "lib"
    shutil.copytree(test_library[0], target)
    return target


def test_first_deploy_creates_version_1_and_redeploy_is_unchanged(zsa, test_library):
    assert zsa.deploy(test_library) == [{"process_id": "antrag", "version": 1, "created": True}]
    assert zsa.deploy(test_library) == [{"process_id": "antrag", "version": 1, "created": False}]
    assert zsa.processes()[0]["version"] == 1
    assert zsa.processes()[0]["message_starts"] == ["antrag_eingegangen"]


def test_changing_a_dependency_creates_next_version_and_running_cases_keep_theirs(zsa, test_library, tmp_path):
    lib = _copy_library(test_library, tmp_path)
    zsa.deploy([str(lib)])
    old_case = zsa.start_case("antrag", "15003000", {"antragsteller_name": "Alt"})

    dmn = lib / "steuersatz.dmn"  # a decision table the process references: part of its hash
    dmn.write_text(dmn.read_text().replace("<text>144</text>", "<text>150</text>"))
    assert zsa.deploy([str(lib)]) == [{"process_id": "antrag", "version": 2, "created": True}]

    new_case = zsa.start_case("antrag", "15003000", {"antragsteller_name": "Neu"})
    pinned = zsa.start_case("antrag", "15003000", {"antragsteller_name": "Pin"}, version=1)
    assert zsa.case(old_case)["version"] == 1
    assert zsa.case(new_case)["version"] == 2
    assert zsa.case(pinned)["version"] == 1

    # the old case evaluates its own version's table: 144 for two dogs, the new one 150
    for number, expected in ((old_case, 144), (new_case, 150)):
        task = zsa.tasks(case=number)[0]
        zsa.complete(task["id"], {"ergebnis": "vollstaendig", "anzahl": 2}, "anna")
        assert zsa.case(number)["data"]["steuer"] == expected


def test_unknown_version_and_process_are_clear_errors(zsa, test_library):
    zsa.deploy(test_library)
    with pytest.raises(NotFound, match="Version 7"):
        zsa.start_case("antrag", "15003000", {}, version=7)
    with pytest.raises(NotFound, match="gibtsnicht"):
        zsa.start_case("gibtsnicht", "15003000", {})


def test_missing_form_reference_refuses_the_deployment(zsa, test_library, tmp_path):
    lib = _copy_library(test_library, tmp_path)
    (lib / "entscheiden.form").unlink()
    with pytest.raises(ModelError, match=r"antrag\.bpmn:\d+: Entscheiden: camunda:formRef 'entscheiden'"):
        zsa.deploy([str(lib)])
    assert zsa.processes() == []


def test_broken_xml_names_file_and_line(zsa, tmp_path):
    bad = tmp_path / "kaputt.bpmn"
    bad.write_text('<?xml version="1.0"?>\n<bpmn:definitions xmlns:bpmn="x">\n<oops></bpmn:definitions>\n')
    with pytest.raises(ModelError, match=r"kaputt\.bpmn:3"):
        zsa.deploy([str(bad)])
