"""HundeG LSA checks and the script-function surface (SCRIPT_FUNCTIONS)."""
import inspect
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from zsa_flow.errors import ValidationFailed
from zsa_flow.rules import hundeg
from zsa_flow.rules.functions import SCRIPT_FUNCTIONS as F

LISTED = ["Pitbull", "Pit Bull Terrier", "pit-bull-terrier", "American Pit Bull Terrier", "AmStaff", "Amstaff-Mix",
          "American Staffordshire Terrier", "American-Staffordshire-Terrier", "Staffordshire Bull Terrier",
          "Staffordshire-Bullterrier", "Staffbull", "Bullterrier", "Bull Terrier", "BULLTERRIER",
          "Bullterrier-Mischling", "Pitbull-Mischling", "Labrador-Pitbull-Mischling", "Schäferhund x AmStaff",
          "Miniatur-Bullterrier-Pitbull-Mix"]
NOT_LISTED = ["Bull Mastiff", "Bullmastiff", "Bull-Mastiff", "Labrador Retriever", "Boston Terrier",
              "Französische Bulldogge", "Englische Bulldogge", "Mastiff", "Bullmastiff-Mischling",
              "Dackel", "American Bully", "Miniatur Bullterrier", "Miniature Bull Terrier", "Boxer"]


@pytest.mark.parametrize("rasse", LISTED)
def test_listed_breeds_and_crosses_are_dangerous(rasse):
    assert F["ist_gefaehrliche_rasse"](rasse) is True
    assert hundeg.rasse_einstufen(rasse)["gelistete_rasse"]


@pytest.mark.parametrize("rasse", NOT_LISTED)
def test_other_breeds_are_not_flagged(rasse):
    assert F["ist_gefaehrliche_rasse"](rasse) is False


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["Pit Bull Terrier", "American Staffordshire Terrier", "Staffordshire Bull Terrier", "Bull Terrier"]),
       st.lists(st.sampled_from(["", " ", "-", "  ", "_"]), min_size=40, max_size=40), st.lists(st.booleans(), min_size=40, max_size=40))
def test_spelling_case_and_separators_do_not_matter(name, separators, upper):
    words = name.split(" ")
    text = "".join(w + separators[i] for i, w in enumerate(words))
    text = "".join(ch.upper() if upper[i % 40] else ch.lower() for i, ch in enumerate(text))
    assert F["ist_gefaehrliche_rasse"](text) is True
    assert F["ist_gefaehrliche_rasse"](text + separators[0] + "Mischling") is True


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["", " ", "-", "  "]), st.booleans())
def test_bull_mastiff_is_never_flagged(separator, upper):
    text = f"Bull{separator}Mastiff"
    assert F["ist_gefaehrliche_rasse"](text.upper() if upper else text) is False


def test_empty_breed_is_an_input_error():
    with pytest.raises(ValidationFailed) as exc:
        F["ist_gefaehrliche_rasse"]("  ")
    assert "rasse" in exc.value.details["fields"]


@pytest.mark.parametrize("nr", ["276098100123456", "276 098 100 123 456", "040012345678901", "900000000000001",
                                "941000012345678", "998123456789012"])
def test_valid_transponder_numbers(nr):
    assert F["transponder_gueltig"](nr) is True


@pytest.mark.parametrize("nr", ["27609810012345", "2760981001234567", "27609810012345A", "999000000000001",
                                "000123456789012", "", None, 276098100123456])
def test_invalid_transponder_numbers(nr):
    assert F["transponder_gueltig"](nr) is False


def test_transponder_reason_is_german_and_specific():
    assert "15 Ziffern" in hundeg.transponder_pruefen("12345")
    assert "999" in hundeg.transponder_pruefen("999000000000001")


@pytest.mark.parametrize("personen_sach, vermoegen, ok", [
    (1_000_000, 50_000, True), ("1000000.00", "50000", True), (5_000_000, 100_000, True),
    (999_999.99, 50_000, False), (1_000_000, 49_999, False), (0, 0, False),
])
def test_insurance_minimums(personen_sach, vermoegen, ok):
    assert F["versicherung_ausreichend"](personen_sach, vermoegen) is ok


def test_insurance_bad_amount_names_field():
    with pytest.raises(ValidationFailed) as exc:
        F["versicherung_ausreichend"]("viel", 50_000)
    assert "deckung_personen_sach" in exc.value.details["fields"]


@pytest.mark.parametrize("born, chip, insurance", [
    ("2026-01-16", False, False),  # 1 month
    ("2025-12-15", False, True),   # exactly 3 months
    ("2025-12-16", False, False),  # one day short of 3 months
    ("2025-09-15", True, True),    # exactly 6 months
    ("2025-09-16", False, True),
])
def test_age_based_duties(born, chip, insurance):
    duties = F["pflichten_nach_alter"](born, "2026-03-15")
    assert (duties["chip_pflicht"], duties["versicherung_pflicht"]) == (chip, insurance)


@pytest.mark.parametrize("born, adult", [("2008-03-15", True), ("2008-03-16", False), ("1970-01-01", True),
                                         ("2010-01-01", False)])
def test_keeper_must_be_18(born, adult):
    assert F["halter_volljaehrig"](born, "2026-03-15") is adult


def test_full_check_of_a_dangerous_dog_registration():
    base = {"stichtag": "2026-03-15", "rasse": "American Staffordshire Terrier", "geburtsdatum_hund": "2025-01-10",
            "transponder": "276098100123456", "deckung_personen_sach": 1_000_000, "deckung_vermoegen": 50_000,
            "halter_geburtsdatum": "1990-05-01"}
    ok = F["hundehaltung_pruefen"](base)
    assert ok["ok"] is True and ok["gefaehrlich"] and ok["erlaubnis_erforderlich"] and ok["chip_pflicht"]
    bad = F["hundehaltung_pruefen"]({**base, "transponder": "12345", "deckung_vermoegen": 10_000,
                                     "halter_geburtsdatum": "2010-01-01"})
    assert bad["ok"] is False
    assert set(bad["maengel"]) == {"transponder", "deckung_vermoegen", "halter_geburtsdatum"}
    young = F["hundehaltung_pruefen"]({"stichtag": "2026-03-15", "rasse": "Dackel", "geburtsdatum_hund": "2026-02-01"})
    assert young["ok"] is True and young["versicherung_pflicht"] is False
    missing = F["hundehaltung_pruefen"]({"stichtag": "2026-03-15", "rasse": "Dackel", "geburtsdatum_hund": "2025-01-01"})
    assert set(missing["maengel"]) == {"transponder", "deckung_personen_sach", "deckung_vermoegen"}
    behaviour = F["hundehaltung_pruefen"]({**base, "rasse": "Dackel", "gefaehrlich_einzelfall": True,
                                           "halter_geburtsdatum": None})
    assert behaviour["gefaehrlich"] and not behaviour["gefaehrlich_nach_rasse"]
    assert "halter_geburtsdatum" in behaviour["maengel"]


def test_dog_born_after_stichtag_is_an_input_error():
    with pytest.raises(ValidationFailed) as exc:
        F["hundehaltung_pruefen"]({"stichtag": "2026-03-15", "rasse": "Dackel", "geburtsdatum_hund": "2026-04-01"})
    assert "geburtsdatum_hund" in exc.value.details["fields"]


# ---------------------------------------------------------------- the script-function surface
def test_script_functions_are_documented_and_json_only():
    readme = (Path(hundeg.__file__).parent / "README.md").read_text(encoding="utf-8")
    assert len(F) >= 10
    for name, fn in F.items():
        assert fn.__name__ == name and inspect.getdoc(fn), name
        assert f"`{name}(" in readme, f"{name} missing in README"
    results = [
        F["wohngeld_berechnen"]({"stichtag": "2025-06-01", "mietstufe": 5, "bruttokaltmiete_m": 600, "vermoegen": 0,
                                 "haushalt": [{"bruttolohn_m": 1400, "zahlt_steuern": True, "zahlt_kv_pv": True,
                                               "zahlt_rv": True}]}),
        F["hundesteuer_berechnen"](ags="15003000", stichtag="2026-03-15", anzahl_hunde_bereits=0, gefaehrlich=False),
        F["monate_anteilig"]("15003000", "2026-03-15"),
        F["datum_plus_monate"]("2026-01-31", 1), F["datum_plus_tage"]("2026-02-27", 2),
        F["monate_zwischen"]("2025-09-15", "2026-03-15"), F["alter_in_jahren"]("2008-03-16", "2026-03-15"),
        F["monatsanfang_folgemonat"]("2026-03-15"), F["rasse_einstufen"]("Pitbull"),
    ]
    assert json.loads(json.dumps(results)) == results
    assert results[0]["wohngeld_m"] == 368 and results[1]["jahressteuer"] == "96.00"
    assert results[2] == list(range(4, 13))
    assert results[3:8] == ["2026-02-28", "2026-03-01", 6, 17, "2026-04-01"]


def test_date_helpers_reject_bad_dates_naming_the_field():
    with pytest.raises(ValidationFailed) as exc:
        F["datum_plus_monate"]("2026-02-30", 1)
    assert "datum" in exc.value.details["fields"]
    with pytest.raises(ValidationFailed):
        F["datum_plus_monate"]("2026-02-01", "zwei")


def test_month_arithmetic_round_trips():
    assert F["datum_plus_monate"]("2024-02-29", 12) == "2025-02-28"
    assert F["datum_plus_monate"]("2026-03-31", -1) == "2026-02-28"
    assert F["monate_zwischen"]("2026-03-15", "2025-09-15") == -6
    assert date.fromisoformat(F["datum_plus_monate"]("2026-12-15", 1)) == date(2027, 1, 15)
