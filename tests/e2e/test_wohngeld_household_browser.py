"""A Wohngeld application with three household members and two uploaded proofs, worked through in
the browser (issue 15, done-when): the ZSA keys in the paper application with the members in the
dynamic list, the completeness check shows the checklist per member and, after the upload of a PDF
and a PNG made here, the proofs beside it; the decision draft shows the Rechenweg per member; the
Wohngeldstelle decides and the Kasse pays. axe-core finds no WCAG 2.1 A/AA violation on the
start form, the completeness check with its proofs and the draft with the Rechenweg."""
import re

import pytest

from documents_support import pdf_bytes, png_bytes
from inbox_support import MAGDEBURG, PASSWORD
from page_support import axe_violations, needs_chromium, new_page, shot, start_server
from zsa_flow.services import users

pytestmark = needs_chromium

APPLICANT = {
    "familienname": "Muster", "vorname": "Erika", "geburtsdatum": "1980-04-02", "strasse": "Breiter Weg",
    "hausnummer": "12", "postleitzahl": "39104", "wohnort": "Magdeburg", "antragsdatum": "2026-03-02",
    "bruttokaltmiete_m": "700", "kontoinhaber": "Erika Muster", "iban": "DE02120300000000202051",
}
# (name, relation, birth date, {amount field: value}, ticked boxes): the household of the Gherkin
# scenario "Zwei Verdienende und eine Rentnerin" (wohngeld.feature) -> 303 € in Mietstufe III
MEMBERS = [
    ("Erika Muster", "antragsteller", "1980-04-02", {"bruttolohn_m": "1.200"}, ("zahlt_steuern", "zahlt_kv_pv", "zahlt_rv")),
    ("Paul Muster", "ehegatte", "1978-11-20", {"bruttolohn_m": "600"}, ("zahlt_kv_pv", "zahlt_rv")),
    ("Gerda Muster", "elternteil", "1950-07-03", {"rente_m": "800"}, ("zahlt_kv_pv",)),
]


@pytest.fixture
def server(zsa):
    url, stop = start_server(zsa)
    for username, name, roles, groups in (("wanda", "Wanda Wohngeld", ["zsa-sachbearbeitung"], ["zsa-wohngeld"]),
                                          ("olaf", "Olaf Stelle", ["kommune"], ["wohngeldstelle"]),
                                          ("karl", "Karl Kasse", ["kommune"], ["kasse"])):
        users.add_account(zsa, username, name, roles, groups=groups, kommunen=[MAGDEBURG], password=PASSWORD)
    yield url
    stop()


def _work(page, zsa, number, name):
    task = next(t for t in zsa.tasks(case=number) if t["name"] == name and t["state"] == "open")
    page.goto(f"/aufgaben/{task['id']}")
    page.click("form[action$='/uebernehmen'] button")
    assert page.locator("#aufgabe-status").inner_text().startswith("in Bearbeitung von ")


def _complete(page):
    page.click("button[value=abschliessen]")
    page.wait_for_url(re.compile(r"/aufgaben$"))
    assert "abgeschlossen" in page.inner_text(".flashes")


def _no_violations(page, what):
    violations = axe_violations(page)
    assert violations == [], (what, violations)


def test_three_members_and_two_proofs_from_the_paper_application_to_the_payment(server, browser, zsa, tmp_path):
    wanda = new_page(browser, server, "wanda", axe=True)
    wanda.goto("/vorgaenge/neu?prozess=wohngeld")
    wanda.select_option("#zsa-kommune", MAGDEBURG)
    for name, value in APPLICANT.items():
        wanda.fill(f'[name="{name}"]', value)
    for i, (name, relation, born, amounts, boxes) in enumerate(MEMBERS):
        if i > 0:
            wanda.click('button[name="_zsa_list"][value="add:haushaltsmitglieder"]')
            wanda.wait_for_selector(f'[name="haushaltsmitglieder.{i}.name"]')
        prefix = f"haushaltsmitglieder.{i}."
        wanda.fill(f'[name="{prefix}name"]', name)
        wanda.select_option(f'[name="{prefix}beziehung"]', relation)
        wanda.fill(f'[name="{prefix}geburtsdatum"]', born)
        for key, value in amounts.items():
            wanda.fill(f'[name="{prefix}{key}"]', value)
        for box in boxes:
            wanda.check(f'[name="{prefix}{box}"]')
    wanda.check('[name="angaben_bestaetigt"]')
    _no_violations(wanda, "Antrag mit drei Haushaltsmitgliedern")
    shot(wanda, "wohngeld-haushalt-antrag.png")
    wanda.click("text=Vorgang anlegen")
    wanda.wait_for_url(re.compile(r"/vorgaenge/WOGG-\d{4}-\d{6}$"))
    number = wanda.url.rsplit("/", 1)[1]
    members = zsa.case(number)["data"]["haushaltsmitglieder"]
    assert [(m["name"], m["beziehung"]) for m in members] == [(m[0], m[1]) for m in MEMBERS]
    assert members[0]["bruttolohn_m"] == 1200 and members[2]["rente_m"] == 800 and members[1]["zahlt_steuern"] is False

    # Completeness: the checklist names each member's proofs; two proofs are uploaded and shown beside it.
    _work(wanda, zsa, number, "Vollständigkeit prüfen")
    checklist = wanda.locator("fieldset:has([name='fehlende_nachweise'])").inner_text()
    for line in ("Mietbescheinigung des Vermieters",
                 "Erika Muster: Einkommensnachweis Erwerbseinkommen (Verdienstbescheinigungen der letzten 12 Monate)",
                 "Paul Muster: Einkommensnachweis Erwerbseinkommen (Verdienstbescheinigungen der letzten 12 Monate)",
                 "Gerda Muster: Rentenbescheid bzw. aktuelle Rentenanpassungsmitteilung"):
        assert line in checklist, line
    table = wanda.locator("#zsa-tabelle-Table_nachweise_je_mitglied tbody tr")
    assert [table.nth(i).locator("td").first.inner_text() for i in range(table.count())] == [m[0] for m in MEMBERS]
    assert table.nth(2).locator("td").nth(1).inner_text() == "Rentenbescheid bzw. aktuelle Rentenanpassungsmitteilung"
    pdf, png = tmp_path / "Mietbescheinigung.pdf", tmp_path / "Rentenbescheid-Gerda.png"
    pdf.write_bytes(pdf_bytes("Mietbescheinigung Muster"))
    png.write_bytes(png_bytes(40, 20))
    wanda.set_input_files('[name="nachweise"]', [str(pdf), str(png)])
    wanda.click("button[value=speichern]")
    wanda.wait_for_selector(".zsa-documents")
    documents = wanda.locator(".zsa-documents table").inner_text()
    assert "Mietbescheinigung.pdf" in documents and "Rentenbescheid-Gerda.png" in documents
    form = wanda.locator("form[enctype='multipart/form-data']")
    assert form.locator("iframe, object, embed, img").count() >= 2  # the previews beside the checklist
    _no_violations(wanda, "Vollständigkeitsprüfung mit Nachweisen")
    shot(wanda, "wohngeld-haushalt-nachweise.png")
    wanda.check('[name="unterlagen_vollstaendig"]')
    _complete(wanda)
    data = zsa.case(number)["data"]
    assert [ref["metadata"]["fileName"] for ref in data["nachweise"]] == ["Mietbescheinigung.pdf", "Rentenbescheid-Gerda.png"]

    _work(wanda, zsa, number, "Plausibilität und Vorrang prüfen (SGB II/XII)")
    _complete(wanda)
    assert zsa.case(number)["data"]["wohngeld_m"] == 303

    # The draft shows the Rechenweg per member, then the household's totals, in German figures.
    _work(wanda, zsa, number, "Bescheidentwurf erstellen")
    rows = wanda.locator(".zsa-rechenweg tbody tr")
    steps = {rows.nth(i).locator("th").inner_text(): rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())}
    assert steps["Mitglied 1 (Erika Muster): Jahreseinkommen"] == "9.219,00 €"
    assert steps["Mitglied 2 (Paul Muster): Jahreseinkommen"] == "4.776,00 €"
    assert steps["Mitglied 3 (Gerda Muster): Jahreseinkommen"] == "8.548,20 €"
    assert steps["Summe der Jahreseinkommen"] == "22.543,20 €"
    assert steps["Monatliches Gesamteinkommen Y"] == "1.878,60 €"
    assert steps["Monatliches Wohngeld"] == "303"
    _no_violations(wanda, "Bescheidentwurf mit Rechenweg je Mitglied")
    shot(wanda, "wohngeld-haushalt-rechenweg.png")
    wanda.select_option('[name="vorschlag"]', "bewilligung")
    wanda.fill('[name="begruendung"]', "Anspruch nach § 19 WoGG: 303 € monatlich.")
    _complete(wanda)

    olaf = new_page(browser, server, "olaf")
    _work(olaf, zsa, number, "Über den Antrag entscheiden")
    olaf.check('[name="entscheidung"][value="bewilligung"]')
    _complete(olaf)
    karl = new_page(browser, server, "karl")
    _work(karl, zsa, number, "Laufende Zahlung anweisen (§ 26 WoGG)")
    karl.fill('[name="kassenzeichen"]', "WOGG-2026-000001")
    karl.fill('[name="iban"]', "DE02120300000000202051")
    karl.fill('[name="erste_zahlung_am"]', "2026-04-01")
    _complete(karl)
    assert not [t for t in zsa.tasks(case=number) if t["state"] == "open"]
    assert wanda.problems == [] and olaf.problems == [] and karl.problems == []
