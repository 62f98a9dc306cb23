"""Wohngeld with its household on the checked paths: the portal's application carries the member
list (the flat form of release 0.1 is refused with one message per field), the proofs per member
reach the completeness check, and proofs uploaded there are stored as documents of the case."""
import sys
from pathlib import Path

import pytest

from documents_support import pdf_bytes, png_bytes
from zsa_flow.errors import ValidationFailed
from zsa_flow.services import actions, users
from zsa_flow.services.documents import Upload

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "features"))
from wohngeld_steps import BEISPIEL_3_FORM_V1, HOUSEHOLDS, mitglied  # noqa: E402

MAGDEBURG = "15003000"
EARNS = {"zahlt_steuern": True, "zahlt_kv_pv": True, "zahlt_rv": True}


@pytest.fixture
def lib(zsa):
    zsa.deploy([str(ROOT / "processes" / "wohngeld"), str(ROOT / "forms" / "wohngeld")])
    users.add_account(zsa, "wanda", "Wanda Wohngeld", ["zsa-sachbearbeitung"], groups=["zsa-wohngeld"],
                      kommunen=[MAGDEBURG], password="Testpasswort-2026!")
    return zsa


def test_a_portal_application_in_the_flat_form_of_release_0_1_is_refused_naming_each_field(lib):
    with pytest.raises(ValidationFailed) as refused:
        actions.start_by_message(lib, "system", "antrag_wohngeld", MAGDEBURG,
                                 BEISPIEL_3_FORM_V1 | {"antragsdatum": "2026-03-02"})
    fields = refused.value.details["fields"]
    assert {"einkommen_weitere_m", "anzahl_haushaltsmitglieder", "haushaltsmitglieder"} <= set(fields)
    assert lib.cases() == []


def test_a_member_entry_out_of_range_is_refused_naming_the_entry(lib):
    data = HOUSEHOLDS["beispiel_3"] | {"antragsdatum": "2026-03-02",
                                       "haushaltsmitglieder": [mitglied("Erika Muster", gdb=120)]}
    with pytest.raises(ValidationFailed) as refused:
        actions.start_by_message(lib, "system", "antrag_wohngeld", MAGDEBURG, data)
    assert "Eintrag 1" in refused.value.details["fields"]["haushaltsmitglieder.0.gdb"]


def test_three_members_get_their_proofs_and_two_uploaded_proofs_become_documents(lib):
    data = HOUSEHOLDS["beispiel_3"] | {"antragsdatum": "2026-03-02", "bruttokaltmiete_m": 700, "haushaltsmitglieder": [
        mitglied("Erika Muster", bruttolohn_m=1200, **EARNS),
        mitglied("Paul Muster", "ehegatte", "1978-11-20", bruttolohn_m=600, zahlt_kv_pv=True, zahlt_rv=True),
        mitglied("Gerda Muster", "elternteil", "1950-07-03", rente_m=800, zahlt_kv_pv=True, gdb=100)]}
    number = actions.start_by_message(lib, "system", "antrag_wohngeld", MAGDEBURG, data)
    checklist = lib.case(number)["data"]["erforderliche_nachweise"]
    assert checklist[-4:] == [
        "Erika Muster: Einkommensnachweis Erwerbseinkommen (Verdienstbescheinigungen der letzten 12 Monate)",
        "Paul Muster: Einkommensnachweis Erwerbseinkommen (Verdienstbescheinigungen der letzten 12 Monate)",
        "Gerda Muster: Rentenbescheid bzw. aktuelle Rentenanpassungsmitteilung",
        "Gerda Muster: Schwerbehindertenausweis bzw. Feststellungsbescheid über den Grad der Behinderung"]
    task = lib.tasks(case=number)[0]
    actions.claim(lib, "wanda", task["id"])
    fields = actions.task_uploads(lib, "wanda", task["id"], {}, [
        Upload("nachweise", "Mietbescheinigung.pdf", pdf_bytes()), Upload("nachweise", "Ausweis-Gerda.png", png_bytes())])
    ids = [ref["documentId"] for ref in fields["nachweise"]]
    actions.complete(lib, "wanda", task["id"], {"nachweise": ids, "unterlagen_vollstaendig": False,
                                                "fehlende_nachweise": [checklist[-4]]}, from_html=True)
    case = lib.case(number)
    assert [ref["metadata"]["contentType"] for ref in case["data"]["nachweise"]] == ["application/pdf", "image/png"]
    assert case["data"]["fehlende_nachweise"] == [checklist[-4]]
    assert sorted(d["documentId"] for d in actions.case_documents(lib, "wanda", number)) == sorted(ids)
    # Gerda's GdB 100 counts 1.800 € (§ 17 Nr. 1) once the case is calculated
    lib.deliver_message(number, "unterlagen_eingegangen", {})
    task = lib.tasks(case=number)[0]
    actions.claim(lib, "wanda", task["id"])
    actions.complete(lib, "wanda", task["id"], {"nachweise": ids, "unterlagen_vollstaendig": True}, from_html=True)
    task = lib.tasks(case=number)[0]
    actions.claim(lib, "wanda", task["id"])
    actions.complete(lib, "wanda", task["id"], {"transferleistung_bezug": False, "rueckfrage_noetig": False})
    steps = {s["key"]: s for s in lib.case(number)["data"]["wohngeld_ergebnis"]["rechenweg"]}
    assert steps["m3.fb_schwerbehindert"]["label"] == "Mitglied 3 (Gerda Muster): Freibetrag Schwerbehinderung"
    assert steps["summe_abzuege"]["value"] == "1800.00"
