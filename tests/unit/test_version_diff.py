"""The version diff reads like a change log: elements added, removed, renamed, moved to another
lane; conditions, timers, forms and DMN rules changed; the markers name the changed elements."""
from pathlib import Path

from zsa_flow.library.diff import diff_versions, markers
from zsa_flow.library.loader import LibraryFile, collect_files
from zsa_flow.library.model_stats import model_stats

LIBRARY = Path(__file__).resolve().parent.parent / "fixtures" / "library"


def _files(**replace):
    """The test library with text replacements per file name: name=[(old, new), ...]."""
    result = []
    for f in collect_files([str(LIBRARY)]):
        content = f.content.decode()
        for old, new in replace.get(Path(f.path).stem, []):
            assert old in content, old
            content = content.replace(old, new)
        result.append(LibraryFile(f.path, f.kind, content.encode()))
    return result


def _by_kind(changes):
    return {(c["kind"], c["element_id"] or c["element_name"], c["category"]) for c in changes}


def test_identical_versions_have_no_changes():
    assert diff_versions("antrag", _files(), _files()) == []


def test_rename_lane_move_condition_and_timer_changes_are_listed():
    new = _files(antrag=[
        ('name="Bescheid erlassen" camunda:formRef', 'name="Bescheid erstellen" camunda:formRef'),
        ("<bpmn:flowNodeRef>Steuer</bpmn:flowNodeRef>\n", ""),
        ("<bpmn:flowNodeRef>Entscheiden</bpmn:flowNodeRef>", "<bpmn:flowNodeRef>Entscheiden</bpmn:flowNodeRef>"
                                                              "<bpmn:flowNodeRef>Steuer</bpmn:flowNodeRef>"),
        ('ergebnis == "vollstaendig"', 'ergebnis == "vollständig"'),
        (">P14D<", ">P21D<"),
    ])
    changes = diff_versions("antrag", _files(), new)
    assert _by_kind(changes) == {("renamed", "Entscheiden", "Name"), ("lane", "Steuer", "Lane"),
                                 ("changed", "Flow_ja", "Bedingung"), ("changed", "Frist", "Timer")}
    lane = next(c for c in changes if c["kind"] == "lane")
    assert (lane["before"], lane["after"]) == ("zsa-team", "ordnungsamt")
    timer = next(c for c in changes if c["category"] == "Timer")
    assert "P14D" in timer["before"] and "P21D" in timer["after"]
    assert markers(changes)["new"]["changed"] == ["Entscheiden", "Flow_ja", "Frist", "Steuer"]


def test_added_and_removed_elements_and_changed_properties():
    new = _files(antrag=[
        ('<bpmn:endEvent id="Ende_frist" name="Nicht weiterverfolgt">',
         '<bpmn:endEvent id="Ende_verfristet" name="Nicht weiterverfolgt">'),
        ('targetRef="Ende_frist"', 'targetRef="Ende_verfristet"'),
        ('camunda:candidateGroups="zsa-team"', 'camunda:candidateGroups="zsa-hundehaltung"'),
        ('name="zsa:duration" value="fixed(PT10M)"', 'name="zsa:duration" value="fixed(PT15M)"'),
    ])
    changes = diff_versions("antrag", _files(), new)
    kinds = _by_kind(changes)
    assert ("removed", "Ende_frist", None) in kinds and ("added", "Ende_verfristet", None) in kinds
    assert ("changed", "Flow_frist", "Verbindung") in kinds
    assert ("changed", "Pruefen", "Attribute") in kinds and ("changed", "Pruefen", "Eigenschaften") in kinds
    marks = markers(changes)
    assert "Ende_frist" in marks["old"]["removed"] and "Ende_verfristet" in marks["new"]["added"]


def test_changed_form_and_dmn_rule_are_listed_and_mark_the_referencing_tasks():
    new = _files(entscheiden=[('"id": "entscheiden"', '"id": "entscheiden" ')],
                 steuersatz=[("<text>144</text>", "<text>150</text>")])
    changes = diff_versions("antrag", _files(), new)
    form = next(c for c in changes if c["kind"] == "form")
    assert "Formular 'entscheiden' geändert" in form["text"] and form["elements"] == ["Entscheiden"]
    rule = next(c for c in changes if c["kind"] == "decision")
    assert "Regel 1 (Rule_1) geändert" in rule["text"] and "144" in rule["text"] and "150" in rule["text"]
    assert rule["elements"] == ["Steuer"]


def test_model_stats_count_steps_lane_handovers_and_media_breaks():
    stats = model_stats((LIBRARY / "antrag.bpmn").read_bytes(), "antrag")
    assert stats["steps"] == 4  # Pruefen, Steuer, Entscheiden, Warten
    assert stats["handovers"] == 1  # Steuer (zsa-team) -> Entscheiden (ordnungsamt)
    assert stats["media_breaks"] == 0 and stats["lanes"] == ["ordnungsamt", "zsa-team"]
