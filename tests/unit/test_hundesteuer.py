"""Hundesteuer from the DMN table: rates, exemptions, proration, instalments, bad input."""
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from zsa_flow.dmn import parse_dmn
from zsa_flow.errors import ValidationFailed
from zsa_flow.rules import decisions
from zsa_flow.rules.hundesteuer import berechne, einstellungen
from zsa_flow.xmlsafe import parse_xml_file

DMN = decisions.DEFAULT_DIR / "hundesteuer.dmn"


def tax(ags="15003000", stichtag="2026-03-15", bereits=0, gefaehrlich=False, befreiung=None, **extra):
    data = {"ags": ags, "stichtag": stichtag, "anzahl_hunde_bereits": bereits, "gefaehrlich": gefaehrlich,
            "befreiung": befreiung}
    data.update(extra)
    return berechne(data)


@pytest.mark.parametrize("ags, bereits, gefaehrlich, expected", [
    ("15003000", 0, False, "96.00"), ("15003000", 1, False, "144.00"), ("15003000", 2, False, "192.00"),
    ("15003000", 5, False, "192.00"), ("15003000", 0, True, "500.00"), ("15003000", 3, True, "500.00"),
    ("15002000", 0, False, "100.00"), ("15002000", 1, False, "180.00"), ("15002000", 4, False, "180.00"),
    ("15002000", 0, True, "720.00"),
    ("15083270", 0, False, "54.00"), ("15083270", 1, False, "84.00"), ("15083270", 2, False, "96.00"),
    ("15083270", 0, True, "312.00"), ("15083270", 1, True, "432.00"), ("15083270", 2, True, "504.00"),
    ("15081290", 0, False, "15.00"), ("15081290", 1, False, "30.00"), ("15081290", 2, False, "60.00"),
    ("15081290", 0, True, "300.00"), ("15081290", 1, True, "400.00"),
    ("15099002", 1, False, "45.00"), ("15099002", 2, False, "45.00"), ("15099002", 3, False, "60.00"),
])
def test_annual_rates_per_municipality(ags, bereits, gefaehrlich, expected):
    result = tax(ags, bereits=bereits, gefaehrlich=gefaehrlich)
    assert result["jahressteuer"] == expected == result["jahressatz"]
    assert result["position"] == bereits + 1


def test_magdeburg_first_dog_from_march_pays_april_to_december_quarterly():
    result = tax("15003000", "2026-03-15")
    assert result["monate"] == [4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert result["steuerpflicht_ab"] == "2026-04-01"
    assert result["betrag_erstes_jahr"] == "72.00"
    assert [(r["faellig"], r["betrag"]) for r in result["raten"]] == [
        ("2026-05-15", "24.00"), ("2026-08-15", "24.00"), ("2026-11-15", "24.00")]
    assert result["tarif"] == "erster Hund" and result["beispieldaten"] is False


def test_halle_quarterly_instalments_on_15_2_5_8_11():
    result = tax("15002000", "2026-01-10")
    assert result["monate"] == list(range(2, 13))
    assert [r["faellig"] for r in result["raten"]] == ["2026-02-15", "2026-05-15", "2026-08-15", "2026-11-15"]
    assert [r["betrag"] for r in result["raten"]] == ["16.67", "25.00", "25.00", "25.00"]
    assert sum(Decimal(r["betrag"]) for r in result["raten"]) == Decimal(result["betrag_erstes_jahr"]) == Decimal("91.67")


def test_instalment_for_a_past_due_date_moves_after_the_stichtag():
    result = tax("15002000", "2026-02-20")  # taxed from March; 15.2 already past
    assert result["raten"][0] == {"faellig": "2026-03-20", "betrag": "8.33", "monate": [3]}
    assert result["raten"][1]["faellig"] == "2026-05-15"


def test_assistance_dog_is_exempt():
    result = tax("15003000", befreiung="assistenzhund")
    assert result["jahressteuer"] == "0.00" and result["ermaessigung_prozent"] == 100
    assert result["verguenstigung"] == "Steuerbefreiung" and result["raten"] == []
    assert result["betrag_erstes_jahr"] == "0.00"


def test_rescue_and_remote_guard_dogs_half_rate_in_halle():
    rescue = tax("15002000", befreiung="rettungshund")
    guard = tax("15002000", bereits=1, befreiung="wachhund_aussenbereich")
    assert rescue["jahressteuer"] == "50.00" and rescue["ermaessigung_prozent"] == 50
    assert guard["jahressteuer"] == "90.00"
    assert any(s["key"] == "verguenstigung" for s in rescue["rechenweg"])


def test_no_reduction_where_the_satzung_has_none_or_for_dangerous_dogs():
    magdeburg = tax("15003000", befreiung="rettungshund")
    dangerous = tax("15002000", gefaehrlich=True, befreiung="rettungshund")
    assert magdeburg["jahressteuer"] == "96.00" and magdeburg["hinweise"]
    assert dangerous["jahressteuer"] == "720.00" and "gefährliche" in dangerous["hinweise"][0]
    assert tax("15003000", gefaehrlich=True, befreiung="assistenzhund")["jahressteuer"] == "500.00"


def test_end_of_keeping_within_the_year_ends_with_that_month():
    result = tax("15003000", "2026-03-15", ende="2026-09-10")
    assert result["monate"] == [4, 5, 6, 7, 8, 9]
    assert result["steuerpflicht_bis"] == "2026-09-30"
    assert result["betrag_erstes_jahr"] == "48.00"


def test_municipality_rule_month_of_acquisition_and_previous_month():
    result = tax("15099001", "2026-03-15", ende="2026-08-02")  # Beispieldaten: anschaffungsmonat / vormonat
    assert result["monate"] == [3, 4, 5, 6, 7]
    assert result["beispieldaten"] is True and any("Beispieldaten" in h for h in result["hinweise"])


def test_rates_versioned_by_date():
    assert tax("15099001", "2025-06-01")["jahressteuer"] == "80.00"
    assert tax("15099001", "2026-06-01")["jahressteuer"] == "90.00"


def test_december_start_is_taxed_from_next_year():
    result = tax("15003000", "2026-12-05")
    assert result["monate"] == [] and result["steuerpflicht_ab"] == "2027-01-01"
    assert result["betrag_erstes_jahr"] == "0.00" and result["raten"] == []


def test_yearly_payment_schedule():
    result = tax("15083270", "2026-02-01")
    assert result["zahlungsweise"] == "jährlich"
    assert result["raten"] == [{"faellig": "2026-07-01", "betrag": "45.00", "monate": list(range(3, 13))}]


@pytest.mark.parametrize("change, field", [
    ({"ags": "15999999"}, "ags"),
    ({"ags": "abc"}, "ags"),
    ({"stichtag": "2019-05-01"}, "stichtag"),
    ({"stichtag": "gestern"}, "stichtag"),
    ({"anzahl_hunde_bereits": -1}, "anzahl_hunde_bereits"),
    ({"gefaehrlich": "nein"}, "gefaehrlich"),
    ({"befreiung": "katze"}, "befreiung"),
    ({"ende": "2026-01-01"}, "ende"),
    ({"farbe": "braun"}, "farbe"),
])
def test_bad_input_names_the_field(change, field):
    data = {"ags": "15003000", "stichtag": "2026-03-15", "anzahl_hunde_bereits": 0, "gefaehrlich": False,
            "befreiung": None}
    data.update(change)
    with pytest.raises(ValidationFailed) as exc:
        berechne(data)
    assert field in exc.value.details["fields"] and exc.value.message.startswith(field)


@pytest.mark.parametrize("missing", ["ags", "stichtag", "anzahl_hunde_bereits", "gefaehrlich"])
def test_missing_field_is_named(missing):
    data = {"ags": "15003000", "stichtag": "2026-03-15", "anzahl_hunde_bereits": 0, "gefaehrlich": False}
    del data[missing]
    with pytest.raises(ValidationFailed) as exc:
        berechne(data)
    assert missing in exc.value.details["fields"]


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(sorted(einstellungen()["kommunen"])), st.dates(min_value=__import__("datetime").date(2026, 1, 1),
       max_value=__import__("datetime").date(2026, 12, 31)), st.integers(0, 4), st.booleans(),
       st.sampled_from([None, "assistenzhund", "rettungshund", "wachhund_aussenbereich"]))
def test_instalments_add_up_and_never_exceed_the_annual_tax(ags, day, bereits, gefaehrlich, befreiung):
    result = tax(ags, day.isoformat(), bereits, gefaehrlich, befreiung)
    total = sum((Decimal(r["betrag"]) for r in result["raten"]), Decimal(0))
    assert total == Decimal(result["betrag_erstes_jahr"]) <= Decimal(result["jahressteuer"])
    assert all(r["faellig"] >= day.isoformat() for r in result["raten"])
    assert result["monate"] == sorted(result["monate"]) and all(m >= day.month for m in result["monate"])


def test_dmn_file_is_a_modeler_file_with_diagram_and_marked_sample_data():
    doc = parse_dmn(DMN.read_bytes(), str(DMN))
    assert doc.problems() == []
    assert set(doc.decisions) == {"hundesteuer_satz", "hundesteuer_verguenstigung"}
    assert all(d.hit_policy in ("FIRST", "UNIQUE") for d in doc.decisions.values())
    tree = parse_xml_file(Path(DMN))
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    ns = {"dmndi": "https://www.omg.org/spec/DMN/20191111/DMNDI/", "m": "https://www.omg.org/spec/DMN/20191111/MODEL/"}
    shapes = root.findall(".//dmndi:DMNShape", ns)
    assert {s.get("dmnElementRef") for s in shapes} == set(doc.decisions)
    texts = [t.text for t in root.findall(".//m:rule/m:description", ns)]
    sample_rules = [t for t in texts if "15099" in t or "Muster" in t]
    assert sample_rules and all("Beispieldaten" in t for t in sample_rules)
    entries = {e.text for e in root.findall(".//m:inputEntry/m:text", ns)}
    assert {'"15003000"', ">= 2", "[2..3]", "-"} <= entries


def _step(result, key):
    return next(s for s in result["rechenweg"] if s["key"] == key)


def test_rechenweg_shows_what_a_recognised_exemption_takes_off():
    result = tax("15003000", befreiung="assistenzhund")
    assert _step(result, "verguenstigung")["value"] == "100 %"
    assert _step(result, "verguenstigung_betrag")["value"] == "-96.00"
    assert "96,00 €" in _step(result, "verguenstigung_betrag")["label"]
    assert _step(result, "jahressteuer")["value"] == "0.00"


def test_rechenweg_says_why_an_exemption_does_not_apply():
    none_in_satzung = tax("15003000", befreiung="rettungshund")
    assert "Satzung sieht dafür keine Befreiung" in _step(none_in_satzung, "verguenstigung")["value"]
    assert "Rettungshund" in _step(none_in_satzung, "verguenstigung")["label"]
    dangerous = tax("15002000", gefaehrlich=True, befreiung="rettungshund")
    assert "nicht für gefährliche Hunde" in _step(dangerous, "verguenstigung")["value"]
    refused = tax("15003000", befreiung="assistenzhund", befreiung_anerkannt=False)
    assert refused["jahressteuer"] == "96.00" and refused["ermaessigung_prozent"] == 0
    assert "Nachweis nicht anerkannt" in _step(refused, "verguenstigung")["value"]
    nothing = tax("15003000", befreiung="keine")
    assert nothing["jahressteuer"] == "96.00" and not [s for s in nothing["rechenweg"] if "verg" in s["key"]]
