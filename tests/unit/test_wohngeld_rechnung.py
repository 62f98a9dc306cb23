"""Wohngeld (WoGG 2025): worked examples of the domain brief, invariants, bad input, Rechenweg."""
import json
import shutil
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from zsa_flow.errors import ValidationFailed
from zsa_flow.rules import params
from zsa_flow.rules.wohngeld import berechne


def employee(gross, **extra):
    member = {"bruttolohn_m": gross, "rente_m": 0, "sonstige_einkuenfte_m": 0, "werbungskosten_y": None,
              "zahlt_steuern": True, "zahlt_kv_pv": True, "zahlt_rv": True, "schwerbehindert_pflege": False,
              "alleinerziehend": False, "kind_mit_einkommen": False, "unterhalt_gezahlt_y": 0}
    member.update(extra)
    return member


def antrag(haushalt, mietstufe=5, miete=600.00, **extra):
    data = {"stichtag": "2025-06-01", "mietstufe": mietstufe, "bruttokaltmiete_m": miete, "vermoegen": 0,
            "haushalt": haushalt}
    data.update(extra)
    return data


# (household, Mietstufe, Bruttokaltmiete, expected Y, expected M, expected Wohngeld) — domain README table
WORKED_EXAMPLES = [
    pytest.param([employee(1400.00)], 5, 600, "908.25", "691.60", 368, id="case1-official"),
    pytest.param([employee(2000.00)], 5, 600, "1328.25", "691.60", 145, id="case2-official"),
    pytest.param([employee(2200.00), {}], 3, 550, "1468.25", "692.60", 253, id="case3-two-persons"),
    pytest.param([{"rente_m": 1100.00, "zahlt_kv_pv": True}], 1, 420, "982.35", "490.60", 208, id="case4-pensioner"),
    pytest.param([employee(2800.00), {}, {}, {}], 3, 750, "1888.25", "947.80", 551, id="case5-four-persons"),
]


@pytest.mark.parametrize("haushalt, stufe, miete, y, m, expected", WORKED_EXAMPLES)
def test_worked_examples_reproduce_to_the_euro(haushalt, stufe, miete, y, m, expected):
    result = berechne(antrag(haushalt, stufe, miete)).to_dict()
    assert (result["y"], result["m"], result["wohngeld_m"]) == (y, m, expected)
    assert result["anspruch"] is True and result["grund"] is None
    assert result["n"] == len(haushalt) and result["rechtsstand"] == "2025-01-01"


def test_case1_output_shape_and_rechenweg():
    result = berechne(antrag([employee(1400.00)])).to_dict()
    json.dumps(result)  # JSON-ready
    steps = {s["key"]: s for s in result["rechenweg"]}
    assert all(set(s) - {"kind"} == {"key", "label", "value", "ref"} for s in result["rechenweg"])
    # the coefficients are factors, not money, although "0.04" looks like an amount
    assert [(steps[k]["value"], steps[k]["kind"]) for k in "abc"] == [
        ("0.04", "number"), ("0.0004797", "number"), ("0.0000408", "number")]
    assert steps["m1.wk_lohn"]["value"] == "1230.00" and "9a" in steps["m1.wk_lohn"]["ref"]
    assert steps["m1.abzug_satz"]["value"] == "30 %" and "§ 16" in steps["m1.abzug_satz"]["ref"]
    assert steps["hoechstbetrag"]["value"] == "562.00" and "Anlage 1" in steps["hoechstbetrag"]["ref"]
    assert steps["klimakomponente"]["value"] == "19.20"
    assert steps["miete_beruecksichtigt"]["value"] == "581.20"
    assert steps["heizkostenentlastung"]["value"] == "14.40"
    assert steps["heizkostenkomponente"]["value"] == "96.00"
    assert steps["z1"]["value"] == "0.40881712"
    assert steps["z2"]["value"] == "371.30814924"
    assert steps["z4"]["value"] == "368.335628374" and "Anlage 3" in steps["z4"]["ref"]
    assert steps["gerundet"]["value"] == 368
    assert all(s["ref"] for s in result["rechenweg"])


def test_mietstufe_from_ags_and_roman_numerals():
    by_ags = berechne(antrag([employee(2200.00), {}], mietstufe=None, miete=550, ags="15003000")).to_dict()
    assert by_ags["mietstufe"] == 3 and by_ags["wohngeld_m"] == 253
    assert "Magdeburg" in next(s for s in by_ags["rechenweg"] if s["key"] == "mietstufe")["label"]
    assert berechne(antrag([employee(1400.00)], mietstufe="V")).wohngeld_m == 368
    assert berechne(antrag([employee(1400.00)], mietstufe=" iii ")).mietstufe == 3


def test_ags_without_table_entry_names_the_field():
    with pytest.raises(ValidationFailed) as exc:
        berechne(antrag([employee(1400.00)], mietstufe=None, ags="15081290"))
    assert "ags" in exc.value.details["fields"] and "mietstufe" in exc.value.message


def test_rent_below_cap_counts_fully_and_mindest_m_applies():
    result = berechne(antrag([{}], mietstufe=1, miete=20)).to_dict()
    steps = {s["key"]: s["value"] for s in result["rechenweg"]}
    assert steps["mindest_m"] == "54.00"
    assert result["m"] == "164.40"  # 54 + 14.40 + 96
    assert result["y"] == "396.00"  # Mindest-Y for one person (no income)


def test_larger_households_use_each_further_person_amounts():
    result = berechne(antrag([employee(3000.00)] + [{}] * 6, mietstufe=3, miete=2000)).to_dict()
    steps = {s["key"]: s["value"] for s in result["rechenweg"]}
    assert steps["hoechstbetrag"] == "1087.00"  # 875 + 2·106
    assert steps["klimakomponente"] == "48.80"  # 39.20 + 2·4.80
    assert steps["heizkostenentlastung"] == "36.60" and steps["heizkostenkomponente"] == "244.00"
    assert result["m"] == "1416.40"  # 1087 + 48.80 + 36.60 + 244


def test_more_than_twelve_persons_add_65_euro_each():
    base = berechne(antrag([employee(2500.00)] + [{}] * 11, mietstufe=3, miete=900)).to_dict()
    big = berechne(antrag([employee(2500.00)] + [{}] * 13, mietstufe=3, miete=900)).to_dict()
    assert base["n"] == 12 and big["n"] == 14
    steps = {s["key"]: s for s in big["rechenweg"]}
    assert "§ 19 Abs. 3" in steps["mehr_als_12"]["ref"]
    assert big["wohngeld_m"] == min(steps["gerundet"]["value"] + 2 * 65, int(Decimal(big["m"])))


def test_wealth_limit_excludes_entitlement():
    ok = berechne(antrag([employee(1400.00)], vermoegen=60000)).to_dict()
    over = berechne(antrag([employee(1400.00)], vermoegen=60000.01)).to_dict()
    two = berechne(antrag([employee(1400.00), {}], vermoegen=90000)).to_dict()
    assert ok["anspruch"] is True and ok["wohngeld_m"] == 368
    assert over["anspruch"] is False and over["wohngeld_m"] == 0 and over["grund_code"] == "vermoegen"
    assert "60000.00" in over["grund"] and "§ 21" in over["grund"]
    assert two["anspruch"] is True  # 60,000 + 30,000 for the second member


def test_below_ten_euro_means_no_entitlement():
    # search a wage where the computed amount is between 1 and 9 euros
    for gross in range(2300, 2700, 5):
        result = berechne(antrag([employee(gross)])).to_dict()
        if 0 < result["wohngeld_rechnerisch"] < 10:
            break
    else:
        pytest.fail("no wage with a computed Wohngeld under 10 € found")
    assert result["anspruch"] is False and result["wohngeld_m"] == 0
    assert result["grund_code"] == "mindestbetrag" and "10 €" in result["grund"]


def test_income_too_high_gives_zero_with_reason():
    result = berechne(antrag([employee(5000.00)])).to_dict()
    assert result["wohngeld_m"] == 0 and result["anspruch"] is False and result["grund_code"] == "kein_betrag"


def test_freibetraege_and_unterhalt_lower_income():
    plain = berechne(antrag([employee(2000.00)])).to_dict()
    disabled = berechne(antrag([employee(2000.00, schwerbehindert_pflege=True)])).to_dict()
    # 1,800 €/year less → Y lower by 150 €
    assert Decimal(plain["y"]) - Decimal(disabled["y"]) == Decimal("150.00")
    single = berechne(antrag([employee(2000.00, alleinerziehend=True, kinder_alleinerziehend=2), {}])).to_dict()
    steps = {s["key"]: s["value"] for s in single["rechenweg"]}
    assert steps["m1.fb_alleinerziehend"] == "1320.00"  # once, not per child (§ 17 Nr. 3 WoGG)
    one_child = berechne(antrag([employee(2000.00, alleinerziehend=True, kinder_alleinerziehend=1), {}])).to_dict()
    assert one_child["y"] == single["y"] and Decimal(plain["y"]) - Decimal(one_child["y"]) > 0
    capped = berechne(antrag([employee(2000.00, unterhalt_gezahlt_y=5000)])).to_dict()
    assert {s["key"]: s["value"] for s in capped["rechenweg"]}["m1.unterhalt"] == "3000.00"
    spouse = berechne(antrag([employee(2000.00, unterhalt_gezahlt_y=5000, unterhalt_an="ehegatte")])).to_dict()
    assert {s["key"]: s["value"] for s in spouse["rechenweg"]}["m1.unterhalt"] == "5000.00"


def test_child_income_allowance_is_capped_at_1200():
    result = berechne(antrag([employee(2000.00), employee(600.00, kind_mit_einkommen=True)], mietstufe=3)).to_dict()
    steps = {s["key"]: s["value"] for s in result["rechenweg"]}
    assert steps["m2.fb_kind"] == "1200.00"


def test_declared_werbungskosten_only_count_when_higher_than_lump_sum():
    low = berechne(antrag([employee(1400.00, werbungskosten_y=500)])).to_dict()
    high = berechne(antrag([employee(1400.00, werbungskosten_y=2430)])).to_dict()
    assert low["y"] == "908.25"
    assert high["y"] == "838.25"  # (16800 − 2430) · 0.7 / 12


# ---------------------------------------------------------------- properties
wages = st.decimals(min_value=0, max_value=6000, places=2)
rents = st.decimals(min_value=0, max_value=2500, places=2)
sizes = st.integers(min_value=1, max_value=14)
stufen = st.integers(min_value=1, max_value=7)
PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def household(wage, n):
    return [employee(str(wage))] + [{}] * (n - 1)


@PROPS
@given(wages, st.decimals(min_value="0.01", max_value=1500, places=2), rents, sizes, stufen)
def test_more_income_never_more_wohngeld(wage, extra, rent, n, stufe):
    low = berechne(antrag(household(wage, n), stufe, str(rent)))
    high = berechne(antrag(household(wage + extra, n), stufe, str(rent)))
    assert high.wohngeld_rechnerisch <= low.wohngeld_rechnerisch
    assert high.wohngeld_m <= low.wohngeld_m


@PROPS
@given(wages, rents, st.decimals(min_value="0.01", max_value=800, places=2), sizes, stufen)
def test_more_rent_never_less_wohngeld(wage, rent, extra, n, stufe):
    low = berechne(antrag(household(wage, n), stufe, str(rent)))
    high = berechne(antrag(household(wage, n), stufe, str(rent + extra)))
    assert high.wohngeld_rechnerisch >= low.wohngeld_rechnerisch
    assert high.m >= low.m


@PROPS
@given(wages, rents, sizes, stufen)
def test_wohngeld_between_zero_and_m_and_minimum_rule(wage, rent, n, stufe):
    result = berechne(antrag(household(wage, n), stufe, str(rent)))
    assert 0 <= result.wohngeld_m <= result.m
    assert 0 <= result.wohngeld_rechnerisch <= result.m
    if result.wohngeld_rechnerisch < 10:
        assert result.anspruch is False and result.wohngeld_m == 0 and result.grund
    else:
        assert result.anspruch is True and result.wohngeld_m == result.wohngeld_rechnerisch


# ---------------------------------------------------------------- bad input
def _fields(exc):
    return exc.value.details["fields"]


@pytest.mark.parametrize("change, field", [
    ({"bruttokaltmiete_m": -1}, "bruttokaltmiete_m"),
    ({"haushalt": []}, "haushalt"),
    ({"haushalt": "eins"}, "haushalt"),
    ({"mietstufe": 8}, "mietstufe"),
    ({"mietstufe": "VIII"}, "mietstufe"),
    ({"mietstufe": True}, "mietstufe"),
    ({"stichtag": "2024-12-31"}, "stichtag"),
    ({"stichtag": "31.12.2025"}, "stichtag"),
    ({"vermoegen": -5}, "vermoegen"),
    ({"bruttokaltmiete_m": "6OO"}, "bruttokaltmiete_m"),
    ({"bruttokaltmiete_m": 600.001}, "bruttokaltmiete_m"),
    ({"ags": "1500300"}, "ags"),
    ({"unbekannt": 1}, "unbekannt"),
    ({"haushalt": [{"bruttolohn_m": -100}]}, "haushalt[0].bruttolohn_m"),
    ({"haushalt": [{"zahlt_steuern": "ja"}]}, "haushalt[0].zahlt_steuern"),
    ({"haushalt": [{"einkommen": 5}]}, "haushalt[0].einkommen"),
    ({"haushalt": [{}, 7]}, "haushalt[1]"),
    ({"haushalt": [{"unterhalt_an": "oma"}]}, "haushalt[0].unterhalt_an"),
])
def test_bad_input_names_the_field(change, field):
    data = antrag([employee(1400.00)])
    data.update(change)
    if "ags" in change:
        data.pop("mietstufe")
    with pytest.raises(ValidationFailed) as exc:
        berechne(data)
    assert field in _fields(exc)
    assert exc.value.message.startswith(field + ":")


@pytest.mark.parametrize("missing", ["stichtag", "bruttokaltmiete_m", "vermoegen", "haushalt", "mietstufe"])
def test_missing_field_is_named(missing):
    data = antrag([employee(1400.00)])
    del data[missing]
    with pytest.raises(ValidationFailed) as exc:
        berechne(data)
    assert missing in _fields(exc) and "fehlt" in _fields(exc)[missing]


def test_stichtag_before_any_parameter_set_is_a_clear_error():
    with pytest.raises(ValidationFailed) as exc:
        berechne(antrag([employee(1400.00)], stichtag="2020-01-01"))
    assert "2025-01-01" in _fields(exc)["stichtag"] and "Parametersatz" in exc.value.message


def test_parameter_set_is_chosen_by_stichtag(tmp_path, monkeypatch):
    """A later set (e.g. the 2027 adjustment) applies from its date; the 2025 set stays for earlier days."""
    shutil.copy(params.PARAMS_DIR / "wohngeld-2025-01-01.json", tmp_path)
    later = json.loads((params.PARAMS_DIR / "wohngeld-2025-01-01.json").read_text(encoding="utf-8"))
    later["gueltig_ab"] = "2027-01-01"
    later["faktor"]["wert"] = "1.20"
    (tmp_path / "wohngeld-2027-01-01.json").write_text(json.dumps(later), encoding="utf-8")
    monkeypatch.setattr(params, "PARAMS_DIR", tmp_path)
    params._sets.cache_clear()
    try:
        old = berechne(antrag([employee(1400.00)], stichtag="2026-12-31"))
        new = berechne(antrag([employee(1400.00)], stichtag="2027-01-01"))
        assert (old.rechtsstand, old.wohngeld_m) == ("2025-01-01", 368)
        assert new.rechtsstand == "2027-01-01" and new.wohngeld_m == 384  # 1.20 · 320.29185076
    finally:
        params._sets.cache_clear()


def test_rechenweg_says_which_reductions_and_limits_apply_and_which_not():
    steps = {s["key"]: s for s in berechne(antrag([employee(1400.00)])).to_dict()["rechenweg"]}
    assert "keine Frei- oder Abzugsbeträge" in steps["m1.freibetraege"]["label"]
    assert "voll berücksichtigt" not in steps["miete_beruecksichtigt"]["label"]  # 600 > 562 + 19.20: capped
    assert "gekappt" in steps["miete_beruecksichtigt"]["label"]
    assert "kein Ausschluss" in steps["vermoegen_geprueft"]["label"]
    assert "erreicht" in steps["mindestbetrag"]["label"]
    single_parent = berechne(antrag([employee(1400.00, alleinerziehend=True, kinder_alleinerziehend=0)])).to_dict()["rechenweg"]
    assert "kein Kind" in {s["key"]: s for s in single_parent}["m1.fb_alleinerziehend"]["value"]
    cheap = {s["key"]: s for s in berechne(antrag([employee(1400.00)], miete=300)).to_dict()["rechenweg"]}
    assert "voll berücksichtigt" in cheap["miete_beruecksichtigt"]["label"]


def test_single_parent_of_two_earning_1950_gets_476_not_512():
    """Issue 15: the Freibetrag for single parents counts once (1,320 €/year), not per child."""
    household = [employee(1950.00, alleinerziehend=True, kinder_alleinerziehend=2), {}, {}]
    assert berechne(antrag(household, mietstufe=3, miete=550.00)).to_dict()["wohngeld_m"] == 476


def test_the_rechenweg_shows_coefficients_as_numbers_and_amounts_in_euro():
    from flask import render_template_string

    from zsa_flow.web import create_app

    from zsa_flow.services.inbox import rechenwege

    result = berechne(antrag([employee(1400.00)])).to_dict()
    blocks = rechenwege({"wohngeld_ergebnis": result})  # as the case and task pages read case data
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "PLATFORM": object()})
    with app.test_request_context():
        html = render_template_string('{% from "inbox/_macros.html" import rechenweg %}{{ rechenweg(blocks) }}',
                                      blocks=blocks)
    assert '<th scope="row">Wert a (1 Haushaltsmitglied(er))</th><td class="zsa-num">0,04</td>' in html
    assert "0,0004797</td>" in html and "0,04 €" not in html
    assert '<td class="zsa-num">562,00 €</td>' in html  # Höchstbetrag: money as before


@pytest.mark.parametrize("haushalt, stufe, miete, y, m, expected", WORKED_EXAMPLES)
def test_to_dict_is_what_dataclasses_asdict_gives(haushalt, stufe, miete, y, m, expected):
    from dataclasses import asdict

    from zsa_flow.rules import inputs as inp

    for extra in ({}, {"vermoegen": 90000}, {"bruttokaltmiete_m": 80}):
        result = berechne(antrag(haushalt, stufe, miete) | extra)
        reference = asdict(result)
        reference["m"], reference["y"] = inp.euro_str(result.m), inp.euro_str(result.y)
        fast = result.to_dict()
        assert repr(fast) == repr(reference) and fast == reference
        assert fast["rechenweg"] is not result.rechenweg and fast["rechenweg"][0] is not result.rechenweg[0]
