"""Household income for Wohngeld (§§ 13–18 WoGG): Jahreseinkommen per member → Gesamteinkommen → Y.

Per member (§ 14): wages × 12 less Werbungskosten (statutory Arbeitnehmer-Pauschbetrag unless the
declared actual costs are higher; never below 0), pension × 12 less its lump sum, other income
× 12; then the flat deduction of § 16 (10 % for each of income tax, KV/PV, RV). Household
(§§ 17, 18): less Freibeträge and maintenance paid, not below 0; Y = ÷ 12 (to the cent, half up),
at least Mindest-Y (Anlage 3). Intermediate euro amounts are rounded to the cent, half up.
"""
from decimal import ROUND_HALF_UP, Decimal

from . import inputs as inp
from .inputs import invalid
from .rechenweg import euro_de

MONEY_FIELDS = ("bruttolohn_m", "rente_m", "sonstige_einkuenfte_m")
FLAG_FIELDS = ("zahlt_steuern", "zahlt_kv_pv", "zahlt_rv", "schwerbehindert_pflege",
               "alleinerziehend", "kind_mit_einkommen")
KNOWN = set(MONEY_FIELDS + FLAG_FIELDS) | {
    "werbungskosten_y", "unterhalt_gezahlt_y", "unterhalt_an", "unterhalt_empfaenger",
    "kinder_alleinerziehend", "name", "geburtsdatum", "rolle",
}
D0 = Decimal(0)


def cents(value: Decimal) -> Decimal:
    return value.quantize(inp.CENT, rounding=ROUND_HALF_UP)


def parse_mitglied(raw, index: int) -> dict:
    """Validate one household member; amounts and flags default to 0 / false when absent."""
    where = f"haushalt[{index}]"
    data = inp.require_dict(raw, where)
    unknown = sorted(set(data) - KNOWN)
    if unknown:
        raise invalid(f"{where}.{unknown[0]}", "unbekanntes Feld")
    member = {k: inp.money(inp.get(data, k, f"{where}.{k}", 0), f"{where}.{k}") for k in MONEY_FIELDS}
    member.update({k: inp.boolean(inp.get(data, k, f"{where}.{k}", False), f"{where}.{k}") for k in FLAG_FIELDS})
    wk = data.get("werbungskosten_y")
    member["werbungskosten_y"] = None if wk is None else inp.money(wk, f"{where}.werbungskosten_y")
    member["unterhalt_gezahlt_y"] = inp.money(inp.get(data, "unterhalt_gezahlt_y", f"{where}.unterhalt_gezahlt_y", 0),
                                              f"{where}.unterhalt_gezahlt_y")
    member["unterhalt_an"] = inp.choice(inp.get(data, "unterhalt_an", f"{where}.unterhalt_an", "kind"),
                                        f"{where}.unterhalt_an", ("kind", "ehegatte"))
    member["unterhalt_empfaenger"] = inp.integer(inp.get(data, "unterhalt_empfaenger", f"{where}.unterhalt_empfaenger", 1),
                                                 f"{where}.unterhalt_empfaenger", minimum=1, maximum=20)
    default_kids = 1 if member["alleinerziehend"] else 0
    name = data.get("name")
    member["name"] = name.strip()[:200] if isinstance(name, str) and name.strip() else None
    member["kinder_alleinerziehend"] = inp.integer(
        inp.get(data, "kinder_alleinerziehend", f"{where}.kinder_alleinerziehend", default_kids),
        f"{where}.kinder_alleinerziehend", minimum=0, maximum=20)
    return member


def mitglied_de(member: dict, nr: int) -> str:
    """How the Rechenweg names a member: "Mitglied 2 (Paul Muster)" or "Mitglied 2"."""
    return f"Mitglied {nr} ({member['name']})" if member.get("name") else f"Mitglied {nr}"


def jahreseinkommen(member: dict, nr: int, p: dict, rw) -> Decimal:
    """§ 14 and § 16 WoGG for one member; appends the steps to the Rechenweg `rw`."""
    wk_p = p["werbungskosten"]
    who = mitglied_de(member, nr)
    total = D0
    lohn = member["bruttolohn_m"] * 12
    if lohn > 0:
        rw.add(f"m{nr}.lohn_y", f"{who}: Bruttolohn jährlich (12 × {euro_de(member['bruttolohn_m'])} €)", lohn, "§ 14 Abs. 1 WoGG")
        pausch = Decimal(wk_p["arbeitnehmer_pauschbetrag_y"])
        declared = member["werbungskosten_y"]
        wk = min(max(pausch, declared or D0), lohn)
        label = "Werbungskosten (Arbeitnehmer-Pauschbetrag)" if declared is None or declared <= pausch else "Werbungskosten (nachgewiesen)"
        total += lohn - rw.add(f"m{nr}.wk_lohn", f"{who}: {label}", wk, wk_p["ref_arbeitnehmer"])
    rente = member["rente_m"] * 12
    if rente > 0:
        rw.add(f"m{nr}.rente_y", f"{who}: Rente jährlich (12 × {euro_de(member['rente_m'])} €)", rente, "§ 14 Abs. 1 WoGG")
        wk = min(Decimal(wk_p["versorgung_pauschbetrag_y"]), rente)
        total += rente - rw.add(f"m{nr}.wk_rente", f"{who}: Werbungskosten-Pauschbetrag Rente", wk, wk_p["ref_versorgung"])
    sonstige = member["sonstige_einkuenfte_m"] * 12
    if sonstige > 0:
        total += rw.add(f"m{nr}.sonstige_y", f"{who}: sonstige Einkünfte jährlich", sonstige, "§ 14 Abs. 1 und 2 WoGG")
    rw.add(f"m{nr}.summe_y", f"{who}: Summe der positiven Einkünfte", total, "§ 14 Abs. 1 WoGG")
    merkmale = [name for key, name in (("zahlt_steuern", "Steuern vom Einkommen"), ("zahlt_kv_pv", "Kranken-/Pflegeversicherung"),
                                       ("zahlt_rv", "Rentenversicherung")) if member[key]]
    satz = Decimal(p["pauschalabzug"]["satz_je_merkmal"]) * len(merkmale)
    if total > 0:
        rw.add(f"m{nr}.abzug_satz", f"{who}: pauschaler Abzug {int(satz * 100)} % ({', '.join(merkmale) or 'keine Merkmale'})",
               f"{int(satz * 100)} %", p["pauschalabzug"]["ref"], raw=True)
    result = cents(total * (1 - satz))
    rw.add(f"m{nr}.jahreseinkommen", f"{who}: Jahreseinkommen", result, "§ 14 i. V. m. § 16 WoGG")
    return result


def freibetraege(member: dict, nr: int, jahres: Decimal, p: dict, rw) -> Decimal:
    """§ 17 Freibeträge and § 18 maintenance of one member (annual)."""
    fb, who, total = p["freibetraege"], mitglied_de(member, nr), D0
    if member["schwerbehindert_pflege"]:
        total += rw.add(f"m{nr}.fb_schwerbehindert", f"{who}: Freibetrag Schwerbehinderung",
                        Decimal(fb["schwerbehindert_pflege_y"]), fb["ref_schwerbehindert"])
    if member["alleinerziehend"] and member["kinder_alleinerziehend"]:
        # once per single parent, however many children (§ 17 Nr. 3 WoGG since 2016)
        kids = member["kinder_alleinerziehend"]
        total += rw.add(f"m{nr}.fb_alleinerziehend", f"{who}: Freibetrag Alleinerziehende (einmal, {kids} Kind(er))",
                        Decimal(fb["alleinerziehend_y"]), fb["ref_alleinerziehend"])
    if member["kind_mit_einkommen"] and jahres > 0:
        total += rw.add(f"m{nr}.fb_kind", f"{who}: Freibetrag eigenes Einkommen des Kindes",
                        min(Decimal(fb["kind_einkommen_hoechstens_y"]), jahres), fb["ref_kind_einkommen"])
    if member["unterhalt_gezahlt_y"] > 0:
        cap = Decimal(p["unterhalt"]["hoechstens_y"][member["unterhalt_an"]]) * member["unterhalt_empfaenger"]
        total += rw.add(f"m{nr}.unterhalt", f"{who}: Unterhaltsleistungen (höchstens {euro_de(cap)} €)",
                        min(member["unterhalt_gezahlt_y"], cap), p["unterhalt"]["ref"])
    if member["alleinerziehend"] and not member["kinder_alleinerziehend"]:
        rw.add(f"m{nr}.fb_alleinerziehend", f"{who}: kein Freibetrag für Alleinerziehende",
               "kein Kind im Haushalt angegeben", fb["ref_alleinerziehend"], raw=True)
    if total == D0 and not member["alleinerziehend"]:
        rw.add(f"m{nr}.freibetraege", f"{who}: keine Frei- oder Abzugsbeträge",
               "weder Schwerbehinderung/Pflege noch alleinerziehend, kein Kind mit Einkommen, kein Unterhalt",
               "§§ 17, 18 WoGG", raw=True)
    return total


def monatseinkommen_y(members: list[dict], n_table: int, p: dict, rw) -> Decimal:
    """Y (§ 13 WoGG, Anlage 3 Nr. 1): the monthly household income counted."""
    summe, abzuege = D0, D0
    for nr, member in enumerate(members, start=1):
        jahres = jahreseinkommen(member, nr, p, rw)
        summe += jahres
        abzuege += freibetraege(member, nr, jahres, p, rw)
    rw.add("summe_jahreseinkommen", "Summe der Jahreseinkommen", summe, "§ 13 Abs. 1 WoGG")
    if abzuege:
        rw.add("summe_abzuege", "Summe der Frei- und Abzugsbeträge", abzuege, "§§ 17, 18 WoGG")
    gesamt = rw.add("gesamteinkommen", "Gesamteinkommen (jährlich)", max(summe - abzuege, D0), "§ 13 Abs. 1 WoGG")
    y_roh = rw.add("y_roh", "Monatliches Gesamteinkommen (÷ 12)", cents(gesamt / 12), "§ 13 Abs. 2 WoGG")
    mindest = Decimal(p["mindest_y"]["nach_personen"][n_table - 1])
    if y_roh < mindest:
        rw.add("mindest_y", f"Mindest-Y für {n_table} Haushaltsmitglied(er) ersetzt Y", mindest, p["mindest_y"]["ref"])
        return mindest
    return y_roh
