"""Application data shared by the Gherkin steps, the API, integration and browser tests."""

# A complete registration: Labrador, 9 months old, chipped (276 = Germany), insured above the
# statutory minimums, acquired on 10 March 2026 (the engine clock starts on 2 March 2026).
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
