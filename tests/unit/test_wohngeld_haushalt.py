"""The application's household list (haushaltsmitglieder) → the per-member Wohngeld calculation,
the old flat application shape, and the proofs each member needs (decisions/wohngeld_nachweise.dmn)."""
from pathlib import Path

import pytest

from zsa_flow.dmn import parse_dmn
from zsa_flow.errors import ValidationFailed
from zsa_flow.rules.functions import wohngeld_antrag_berechnen, wohngeld_berechnen

ROOT = Path(__file__).resolve().parents[2]
EARNS = {"zahlt_steuern": True, "zahlt_kv_pv": True, "zahlt_rv": True}


def antrag(*members, miete=550, **extra):
    return {"stichtag": "2026-03-01", "ags": "15002000", "bruttokaltmiete_m": miete, "vermoegen": 0,
            "haushaltsmitglieder": list(members)} | extra


def person(name, beziehung="antragsteller", geburtsdatum="1980-04-02", **angaben):
    return {"name": name, "beziehung": beziehung, "geburtsdatum": geburtsdatum} | angaben


def steps(result):
    return {step["key"]: step for step in result["rechenweg"]}


def test_worked_example_3_as_a_member_list():
    result = wohngeld_antrag_berechnen(antrag(person("Erika Muster", bruttolohn_m=2200, **EARNS),
                                              person("Paul Muster", "ehegatte")))
    assert (result["wohngeld_m"], result["y"], result["m"]) == (253, "1468.25", "692.60")
    assert steps(result)["m1.jahreseinkommen"]["label"] == "Mitglied 1 (Erika Muster): Jahreseinkommen"
    assert steps(result)["m2.jahreseinkommen"]["label"] == "Mitglied 2 (Paul Muster): Jahreseinkommen"


FLAT = {"stichtag": "2026-03-01", "ags": "15002000", "bruttokaltmiete_m": 700, "vermoegen": 0,
        "anzahl_haushaltsmitglieder": 3, "bruttolohn_m": 1500, "rente_m": 0, "sonstige_einkuenfte_m": 0,
        "unterhalt_gezahlt_y": 0, "zahlt_steuern": True, "zahlt_kv_pv": True, "zahlt_rv": True,
        "schwerbehindert_pflege": False, "alleinerziehend": False, "einkommen_weitere_m": 600}


def _version_1_script(data):
    """What the calculation script of form version 1 passed to wohngeld_berechnen (transcribed)."""
    applicant = {k: data[k] for k in ("bruttolohn_m", "rente_m", "sonstige_einkuenfte_m", "zahlt_steuern", "zahlt_kv_pv",
                                       "zahlt_rv", "schwerbehindert_pflege", "alleinerziehend", "unterhalt_gezahlt_y")}
    weitere = data["einkommen_weitere_m"]
    earner = {"bruttolohn_m": weitere, "zahlt_steuern": weitere > 0, "zahlt_kv_pv": weitere > 0, "zahlt_rv": weitere > 0}
    n = int(data["anzahl_haushaltsmitglieder"])
    return wohngeld_berechnen({"stichtag": data["stichtag"], "ags": data["ags"], "bruttokaltmiete_m": data["bruttokaltmiete_m"],
                               "vermoegen": data["vermoegen"],
                               "haushalt": [applicant] + [earner] * (1 if n > 1 else 0) + [{}] * (n - 2)})


@pytest.mark.parametrize("change", [
    {}, {"anzahl_haushaltsmitglieder": 1, "einkommen_weitere_m": 0}, {"alleinerziehend": True, "einkommen_weitere_m": 0},
    {"schwerbehindert_pflege": True, "rente_m": 900, "bruttolohn_m": 0}, {"anzahl_haushaltsmitglieder": 5},
    {"unterhalt_gezahlt_y": 2400, "sonstige_einkuenfte_m": 150},
])
def test_an_application_of_form_version_1_computes_as_version_1_did(change):
    flat = FLAT | change
    assert wohngeld_antrag_berechnen(flat) == _version_1_script(flat)


def test_each_earner_gets_their_own_lump_sum_where_the_old_total_counted_one():
    members = [person("A", bruttolohn_m=1200, **EARNS), person("B", "ehegatte", bruttolohn_m=300, **EARNS),
               person("C", "kind", "2004-01-01", bruttolohn_m=300, **EARNS)]
    per_member = wohngeld_antrag_berechnen(antrag(*members, miete=700))
    as_total = wohngeld_antrag_berechnen(FLAT | {"bruttolohn_m": 1200, "einkommen_weitere_m": 600})
    assert [steps(per_member)[f"m{i}.wk_lohn"]["value"] for i in (1, 2, 3)] == ["1230.00", "1230.00", "1230.00"]
    # A 9.219,00; B and C each (3.600 − 1.230) × 0,7 = 1.659,00, and C as a child with income −1.200
    assert steps(per_member)["summe_jahreseinkommen"]["value"] == "12537.00"
    assert steps(per_member)["m3.fb_kind"]["value"] == "1200.00"
    assert steps(as_total)["summe_jahreseinkommen"]["value"] == "13398.00"  # 9.219,00 + (7.200 − 1.230) × 0,7
    assert per_member["wohngeld_m"] > as_total["wohngeld_m"]


@pytest.mark.parametrize("gdb, pflege, freibetrag", [(100, False, True), (80, True, True), (80, False, False),
                                                     (50, True, True), (40, True, False), (0, False, False)])
def test_disability_allowance_needs_gdb_100_or_a_severe_disability_with_care_at_home(gdb, pflege, freibetrag):
    result = wohngeld_antrag_berechnen(antrag(person("A", rente_m=900, zahlt_kv_pv=True),
                                              person("B", "ehegatte", rente_m=500, gdb=gdb, pflegebeduerftig=pflege)))
    assert ("m2.fb_schwerbehindert" in steps(result)) is freibetrag


def test_single_parent_allowance_once_and_only_with_a_child_under_18_on_the_stichtag():
    kids = [person("K1", "kind", "2010-05-01"), person("K2", "kind", "2012-05-01")]
    result = wohngeld_antrag_berechnen(antrag(person("A", bruttolohn_m=1900, alleinerziehend=True, **EARNS), *kids))
    assert steps(result)["m1.fb_alleinerziehend"]["value"] == "1320.00"
    assert "2 Kind(er)" in steps(result)["m1.fb_alleinerziehend"]["label"]
    grown = wohngeld_antrag_berechnen(antrag(person("A", bruttolohn_m=1900, alleinerziehend=True, **EARNS),
                                             person("K", "kind", "2008-03-01")))  # 18 on 01.03.2026
    assert steps(grown)["m1.fb_alleinerziehend"]["value"] == "kein Kind im Haushalt angegeben"


def test_a_child_with_earnings_gets_the_child_income_allowance_and_received_maintenance_counts_as_income():
    result = wohngeld_antrag_berechnen(antrag(person("A", unterhalt_erhalten_m=300, sonstige_einkuenfte_m=200),
                                              person("K", "kind", "2006-01-01", bruttolohn_m=500, zahlt_kv_pv=True)))
    assert steps(result)["m1.sonstige_y"]["value"] == "6000.00"
    assert steps(result)["m2.fb_kind"]["value"] == "1200.00"


@pytest.mark.parametrize("members, field", [
    ("nein", "haushaltsmitglieder"), ([], "haushaltsmitglieder"), ([{"gdb": 120}], "haushaltsmitglieder[0].gdb"),
    ([{}, {"bruttolohn_m": -5}], "haushaltsmitglieder[1].bruttolohn_m"),
    ([{"beziehung": "chef"}], "haushaltsmitglieder[0].beziehung"), ([{"x": 1}], "haushaltsmitglieder[0].x"),
    ([{"geburtsdatum": "gestern"}], "haushaltsmitglieder[0].geburtsdatum"), ([{"zahlt_rv": "ja"}], "haushaltsmitglieder[0].zahlt_rv"),
    ([{}] * 31, "haushaltsmitglieder"),
])
def test_bad_members_are_refused_naming_the_field(members, field):
    with pytest.raises(ValidationFailed) as error:
        wohngeld_antrag_berechnen(antrag() | {"haushaltsmitglieder": members})
    assert error.value.message.startswith(field + ":")


@pytest.fixture(scope="module")
def nachweise():
    return parse_dmn((ROOT / "processes/wohngeld/decisions/wohngeld_nachweise.dmn").read_bytes(), "wohngeld_nachweise.dmn")


def checkliste(doc, members, vermoegen=0):
    result = doc.evaluate("wohngeld_nachweise_checkliste",
                          {"antragsdatum": "2026-03-02", "vermoegen": vermoegen, "haushaltsmitglieder": members})
    return result.jsonable().single_entry()


RENT = ["Mietvertrag (Kopie)", "Mietbescheinigung des Vermieters", "Nachweis der aktuellen Mietzahlung (Kontoauszug)"]


def test_the_household_proofs_come_once_and_each_member_brings_its_own(nachweise):
    members = [person("Erika", bruttolohn_m=1200, alleinerziehend=True), person("Gerda", "elternteil", "1950-01-01", rente_m=800, gdb=70,
                                                                               pflegebeduerftig=True),
               person("", "kind", "2009-06-01"), person("Tim", "kind", "2015-01-01", unterhalt_erhalten_m=250)]
    assert checkliste(nachweise, members, vermoegen=40000) == RENT + [
        "Meldebescheinigung aller Haushaltsmitglieder",
        "Vermögensnachweise (Kontoauszüge, Sparbücher, Depots)",
        "Erika: Einkommensnachweis Erwerbseinkommen (Verdienstbescheinigungen der letzten 12 Monate)",
        "Erika: Nachweis Kindergeld bzw. Alleinerziehung (Kindergeldbescheid)",
        "Gerda: Rentenbescheid bzw. aktuelle Rentenanpassungsmitteilung",
        "Gerda: Schwerbehindertenausweis bzw. Feststellungsbescheid über den Grad der Behinderung",
        "Gerda: Nachweis der Pflegebedürftigkeit (Bescheid der Pflegekasse)",
        "Mitglied 3: Schul-, Ausbildungs- oder Studienbescheinigung",  # 16, no name given
        "Tim: Unterhaltsnachweis (Urteil, Vereinbarung oder Bescheid über Unterhaltsvorschuss)",
    ]


def test_a_single_person_without_income_needs_only_the_rent_proofs(nachweise):
    assert checkliste(nachweise, [person("Erika")]) == RENT
    per_member = nachweise.evaluate("wohngeld_nachweise_mitglieder",
                                    {"antragsdatum": "2026-03-02", "haushaltsmitglieder": [person("Erika")]})
    assert per_member.jsonable().single_entry() == [{"nr": 1, "mitglied": "Erika", "nachweise": []}]
