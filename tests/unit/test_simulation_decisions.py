"""What a simulated person enters: the values that make the model's own condition take the
sampled branch, and the same random number per case and variable in every variant."""
from datetime import date
from pathlib import Path

from zsa_flow.engine.definitions import definition_from_bundle
from zsa_flow.library.loader import read_library
from zsa_flow.simulation.decisions import CaseFacts, ModelDecisions
from zsa_flow.simulation.model import read_model

ROOT = Path(__file__).resolve().parents[2]


def _decisions(process_id):
    library = read_library([ROOT / "processes" / "hundehaltung", ROOT / "forms" / "hundehaltung"])
    info = library.processes[process_id]
    model = read_model(info.file.path, info.file.content, process_id)
    return ModelDecisions(model, definition_from_bundle(info, library.bundle(process_id)))


class _Fixed:
    """Facts that always pick the given branch index."""

    def __init__(self, index):
        self.index = index

    def branch(self, gateway):
        return self.index


def test_form_values_make_the_condition_take_the_sampled_branch():
    decisions = _decisions("hundehaltung_asis_magdeburg")
    complete = decisions.form_data("hundehaltung_asis_pruefung", {}, _Fixed(0), date(2026, 3, 2))
    incomplete = decisions.form_data("hundehaltung_asis_pruefung", {}, _Fixed(1), date(2026, 3, 2))
    assert complete["vollstaendig"] == "ja" and complete["gefaehrlich"] is True
    assert incomplete["vollstaendig"] != "ja" and incomplete["gefaehrlich"] is not True
    # fields the case already holds are confirmed, not overwritten
    assert "vollstaendig" not in decisions.form_data("hundehaltung_asis_steuer", {"vollstaendig": "ja"}, _Fixed(0),
                                                     date(2026, 3, 2))


def test_the_same_case_draws_the_same_number_for_a_variable_in_every_variant():
    to_be, as_is = _decisions("hundehaltung"), _decisions("hundehaltung_asis_magdeburg")
    assert to_be.share["vollstaendig"] == 0.8 and as_is.share["vollstaendig"] == 0.7
    agree = 0
    for seed in range(2000):
        a, b = CaseFacts(seed, to_be), CaseFacts(seed, as_is)
        assert a.uniform("vollstaendig") == b.uniform("vollstaendig")
        complete_as_is = b.fact("vollstaendig", 0.5)
        if complete_as_is:
            assert a.fact("vollstaendig", 0.5)  # complete on paper -> complete online (0.7 < 0.8)
        agree += a.fact("vollstaendig", 0.5) == complete_as_is
    assert 0.87 < agree / 2000 < 0.93  # they differ only where 0.7 <= u < 0.8
