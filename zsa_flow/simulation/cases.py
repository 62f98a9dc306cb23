"""Synthetic applications per service, documented in processes/<service>/README.md ("Simulation").

A generator returns the application's data and the data the applicant sends when asked for missing
documents. Shares that the variant's model states (zsa:probability on the gateway that reads a
variable) come through `facts.fact(variable, default)`: the same case draws the same random number
for the same variable in every variant (common random numbers), so an application that is
incomplete in the to-be process is also incomplete in the as-is one when both state the same share.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

# Gemeinden whose rules (Hundesteuersatzung, Mietstufe) the library holds; a simulated Gemeinde
# without its own rules computes with one of these (by its number), which only affects amounts.
HUNDESTEUER_AGS = ("15003000", "15002000", "15083270", "15081290")
MIETSTUFE_AGS = ("15003000", "15002000", "15083270")
DOG_BREEDS = ("Labrador Retriever", "Mischling", "Dackel", "Schäferhund", "Golden Retriever", "Jack Russell Terrier")
DANGEROUS_BREED = "Pitbull-Terrier"


@dataclass
class Application:
    data: dict
    message: str | None  # the portal message for an online application
    correction: dict = field(default_factory=dict)  # payload of `unterlagen_eingegangen`
    corrected_facts: dict = field(default_factory=dict)  # what is true after the correction


def reference_ags(kommune: str, known: tuple) -> str:
    return kommune if kommune in known else known[sum(map(ord, kommune)) % len(known)]


def hundehaltung(facts, rng, kommune: str, today: date) -> Application:
    """Dog registration (`hundehaltung_antrag`): breed, age, chip, insurance, exemption."""
    dangerous = facts.fact("gefaehrlich", 0.02)
    complete = facts.fact("vollstaendig", 0.8)
    exemption = facts.fact("befreiung", 0.03)
    acquired = today - timedelta(days=rng.randint(0, 13))
    born = acquired - timedelta(days=rng.randint(120, 3000))
    data = {
        "halter_vorname": "Sim", "halter_nachname": f"Halter{rng.randint(1, 99999)}",
        "halter_geburtsdatum": str(today.replace(year=today.year - rng.randint(19, 80))),
        "halter_strasse": "Musterweg 1", "halter_plz": "39104", "halter_ort": "Musterstadt", "halter_email": "",
        "hund_name": "Bello", "geschlecht": rng.choice(("ruede", "huendin")),
        "rasse": DANGEROUS_BREED if dangerous else rng.choice(DOG_BREEDS),
        "geburtsdatum_hund": born.isoformat(), "anschaffungsdatum": acquired.isoformat(),
        "transponder_nr": "276098106543210" if complete else "27609810654", "anzahl_hunde_bereits": rng.choice((0, 0, 0, 1)),
        "gefaehrlich_festgestellt": False, "versicherer": "Beispiel Versicherung AG", "versicherungsnummer": "HH-1",
        "versicherung_personen_sach": 5000000, "versicherung_vermoegen": 100000,
        "befreiung": rng.choice(("assistenzhund", "rettungshund")) if exemption else "keine",
        "befreiung_nachweis": "Nachweis" if exemption else "", "erklaerung": True,
        "kommune": reference_ags(kommune, HUNDESTEUER_AGS),
    }
    return Application(data, "antrag_hundehaltung", {"transponder_nr": "276098106543210"},
                       {"vollstaendig": True})


def wohngeld(facts, rng, kommune: str, today: date) -> Application:
    """Wohngeld (`wohngeld_antrag`): the household as its member list, rent, income; transfer benefits excluded."""
    members = rng.choice((1, 1, 1, 2, 2, 3, 4))
    earning = rng.random() < 0.6
    # random draws in the order of the flat form's generator, so simulation results stay comparable
    familienname = f"Muster{rng.randint(1, 99999)}"
    single_parent = members > 1 and rng.random() < 0.2
    disabled = rng.random() < 0.05
    rent = 300 + 90 * members + rng.randint(0, 200)
    applicant = {
        "name": f"Sim {familienname}", "beziehung": "antragsteller", "geburtsdatum": "1980-04-02",
        "bruttolohn_m": rng.randint(900, 2600) if earning else 0, "rente_m": 0 if earning else rng.randint(600, 1300),
        "zahlt_steuern": earning, "zahlt_kv_pv": earning, "zahlt_rv": earning, "alleinerziehend": single_parent,
        "gdb": 100 if disabled else 0,
    }
    # further members without own income: a partner (unless single parent) and children of 8
    others = [{"name": f"Sim {familienname} {i}", "beziehung": "ehegatte" if i == 2 and not single_parent else "kind",
               "geburtsdatum": f"{today.year - (30 if i == 2 and not single_parent else 8)}-01-01"}
              for i in range(2, members + 1)]
    data = {
        "familienname": familienname, "vorname": "Sim", "geburtsdatum": "1980-04-02",
        "strasse": "Marktplatz", "hausnummer": "1", "postleitzahl": "06108", "wohnort": "Musterstadt",
        "telefon": "", "email": "", "antragsdatum": today.isoformat(),
        "haushaltsmitglieder": [applicant] + others,
        "bruttokaltmiete_m": rent, "wohnflaeche_qm": 35 + 15 * members, "vermoegen": 0,
        "transferleistung_bezug": facts.fact("transferleistung_bezug", 0.06),
        "kontoinhaber": "Sim Muster", "iban": "DE02120300000000202051", "angaben_bestaetigt": True,
        "kommune": reference_ags(kommune, MIETSTUFE_AGS),
    }
    return Application(data, "antrag_wohngeld", {"nachgereicht": True},
                       {"unterlagen_vollstaendig": True, "rueckfrage_noetig": False})


GENERATORS = {"hundehaltung": hundehaltung, "wohngeld": wohngeld}
