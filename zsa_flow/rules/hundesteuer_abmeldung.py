"""Hundesteuer on deregistration: tax owed for the year of deregistration, refund or back payment.

The dog was kept since 1 January of that year (or earlier); the tax ends by the municipality's
rule (`anteilig.ende`: end of the month of deregistration, or of the month before).
"""
from decimal import Decimal

from . import inputs as inp
from .hundesteuer import _cents, einstellungen
from .rechenweg import Rechenweg

ZERO = Decimal("0.00")


def abrechnen(ags, jahressteuer, abmeldedatum, bereits_gezahlt) -> dict:
    """Months owed in the year of deregistration, tax owed, refund (erstattung) or back payment."""
    settings = einstellungen()["kommunen"]
    code = inp.ags(ags)
    if code not in settings:
        raise inp.invalid("ags", f"für Gemeinde {code} ist keine Hundesteuersatzung hinterlegt")
    kommune = settings[code]
    jahr_steuer = inp.money(jahressteuer, "steuer_jahresbetrag")
    gezahlt = inp.money(bereits_gezahlt, "bereits_gezahlt")
    ende = inp.iso_date(abmeldedatum, "abmeldedatum")
    satzung = f"Hundesteuersatzung {kommune['name']}"
    vormonat = kommune["anteilig"]["ende"] == "vormonat"
    monate = ende.month - (1 if vormonat else 0)  # January with "Vormonat": nothing owed this year
    rw = Rechenweg()
    rw.add("jahressteuer", "Jahressteuer", jahr_steuer, satzung)
    regel = "bis Ende des Vormonats der Abmeldung" if vormonat else "bis Ende des Abmeldemonats"
    rw.add("monate", f"Steuerpflichtige Monate {ende.year} ({regel})", monate, satzung)
    steuer = rw.add("steuer_bis_abmeldung", f"Steuer {ende.year} (Jahressteuer × {monate}/12)",
                    _cents(jahr_steuer * monate / 12), satzung)
    rw.add("bereits_gezahlt", f"Bereits gezahlt für {ende.year}", gezahlt, "Steuerkonto")
    saldo = gezahlt - steuer
    erstattung = saldo if saldo > 0 else ZERO
    nachzahlung = -saldo if saldo < 0 else ZERO
    rw.add("erstattung" if saldo > 0 else "nachzahlung", "Erstattung" if saldo > 0 else "Nachzahlung",
           erstattung if saldo > 0 else nachzahlung, satzung)
    return {
        "steuerpflichtige_monate": monate,
        "steuer_bis_abmeldung": inp.euro_str(steuer),
        "erstattung": inp.euro_str(erstattung),
        "nachzahlung": inp.euro_str(nachzahlung),
        "erstattung_faellig": saldo > 0,
        "nachzahlung_faellig": saldo < 0,
        "rechenweg": list(rw),
    }
