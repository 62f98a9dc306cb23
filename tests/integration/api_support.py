"""Helpers for API tests: the dog registration library, the portal account and its token, a caseworker."""
from pathlib import Path

from webauth import add_user, make_app
from zsa_flow.services import tokens, users

ROOT = Path(__file__).resolve().parents[2]
MD = "15003000"
HAL = "15002000"
# A complete dog registration as the online portal sends it (fields of the start form).
ANMELDUNG = {
    "halter_vorname": "Anna", "halter_nachname": "Muster", "halter_geburtsdatum": "1985-04-02",
    "halter_strasse": "Breiter Weg 1", "halter_plz": "39104", "halter_ort": "Magdeburg", "halter_email": "",
    "hund_name": "Bello", "geschlecht": "ruede", "rasse": "Labrador Retriever",
    "geburtsdatum_hund": "2025-06-01", "anschaffungsdatum": "2026-03-10",
    "transponder_nr": "276098106543210", "anzahl_hunde_bereits": 0, "gefaehrlich_festgestellt": False,
    "versicherer": "Beispiel Versicherung AG", "versicherungsnummer": "HH-4711",
    "versicherung_personen_sach": 5000000, "versicherung_vermoegen": 100000,
    "befreiung": "keine", "befreiung_nachweis": "", "erklaerung": True,
}
APPLICATION = {"name": "antrag_hundehaltung", "kommune": MD, "data": ANMELDUNG}


def deploy_dogs(zsa):
    zsa.deploy([str(ROOT / "processes" / "hundehaltung" / "to-be"), str(ROOT / "processes" / "hundehaltung" / "decisions"),
                str(ROOT / "forms" / "hundehaltung")])


def portal_setup(zsa, **config):
    """(app, portal token, caseworker token): dogs deployed, portal (intake+status) and anna (all scopes)."""
    deploy_dogs(zsa)
    users.add_account(zsa, "portal", "Online-Portal", ["schnittstelle"], kommunen=[MD, HAL])
    add_user(zsa, "anna", ["zsa-sachbearbeitung"], ["zsa-hundehaltung"], [MD])
    return make_app(zsa, **config), tokens.issue_token(zsa, "portal"), tokens.issue_token(zsa, "anna")


def bearer(token, **headers):
    return {"Authorization": f"Bearer {token}", **headers}
