"""Wohngeld (Mietzuschuss) per § 19 WoGG: M, Y and the monthly amount, with a Rechenweg.

Pure Python with `decimal.Decimal`; the parameters come from the date-versioned set in force on
`stichtag` (`params/wohngeld-<gueltig_ab>.json`). Entry point: `berechne(antrag) -> WohngeldErgebnis`.

    M  = max(min(Bruttokaltmiete, Höchstbetrag + Klimakomponente), Mindest-M)
         + Heizkostenentlastung + Heizkostenkomponente                       (§ 12, Anlage 1/3)
    z1 = a + b·M + c·Y;  z2 = z1·Y;  z3 = M − z2;  z4 = 1.15·z3   (10 decimals, Anlage 3 Nr. 2)
    Wohngeld = z4 rounded half up to whole euros, 0 ≤ Wohngeld ≤ M;  n > 12: + 65 € per person;
    no entitlement below 10 € (§ 21 Nr. 1) or with considerable wealth (§ 21 Nr. 3).
"""
import copy
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext

from . import inputs as inp
from .inputs import invalid
from .mietstufen import ROMAN_OF, mietstufe_fuer_ags, parse_mietstufe
from .params import in_force
from .rechenweg import Rechenweg, euro_de
from .wohngeld_einkommen import cents, monatseinkommen_y, parse_mitglied

TOP_FIELDS = {"stichtag", "mietstufe", "ags", "bruttokaltmiete_m", "vermoegen", "haushalt"}
MAX_MITGLIEDER = 30


@dataclass
class WohngeldErgebnis:
    """Result of one calculation; `to_dict()` is the JSON the CLI, API and processes see."""

    wohngeld_m: int
    anspruch: bool
    grund: str | None
    grund_code: str | None
    m: Decimal
    y: Decimal
    n: int
    mietstufe: int
    rechtsstand: str
    wohngeld_rechnerisch: int
    rechenweg: list = field(default_factory=list)
    hinweise: list = field(default_factory=list)

    def to_dict(self) -> dict:
        data = {f.name: _plain(getattr(self, f.name)) for f in fields(self)}
        data["m"], data["y"] = inp.euro_str(self.m), inp.euro_str(self.y)
        return data


_SHARED = frozenset((str, int, bool, float, type(None), Decimal))  # copy.deepcopy returns these themselves


def _plain(value):
    """`dataclasses.asdict` of a field value, quicker for the plain dicts and lists of a Rechenweg:
    exact dicts and lists are rebuilt, values of the types in _SHARED are shared (deepcopy returns
    them unchanged), a dataclass through asdict, anything else is deep-copied (as asdict does)."""
    kind = type(value)
    if kind in _SHARED:
        return value
    if kind is dict:
        return {_plain(k): _plain(v) for k, v in value.items()}
    if kind is list:
        return [_plain(v) for v in value]
    return asdict(value) if is_dataclass(value) else copy.deepcopy(value)


def _parse(antrag) -> dict:
    antrag = inp.require_dict(antrag, "antrag")
    unknown = sorted(set(antrag) - TOP_FIELDS)
    if unknown:
        raise invalid(unknown[0], "unbekanntes Feld")
    stichtag = inp.iso_date(inp.get(antrag, "stichtag", "stichtag"), "stichtag")
    haushalt = inp.get(antrag, "haushalt", "haushalt")
    if not isinstance(haushalt, list):
        raise invalid("haushalt", "muss eine Liste der Haushaltsmitglieder sein")
    if not haushalt:
        raise invalid("haushalt", "mindestens ein Haushaltsmitglied erforderlich")
    if len(haushalt) > MAX_MITGLIEDER:
        raise invalid("haushalt", f"höchstens {MAX_MITGLIEDER} Haushaltsmitglieder")
    if antrag.get("mietstufe") is None and antrag.get("ags") is None:
        raise invalid("mietstufe", "Pflichtangabe fehlt (alternativ 'ags' angeben)")
    return {
        "stichtag": stichtag,
        "mietstufe": None if antrag.get("mietstufe") is None else parse_mietstufe(antrag["mietstufe"]),
        "ags": antrag.get("ags"),
        "miete": inp.money(inp.get(antrag, "bruttokaltmiete_m", "bruttokaltmiete_m"), "bruttokaltmiete_m"),
        "vermoegen": inp.money(inp.get(antrag, "vermoegen", "vermoegen"), "vermoegen"),
        "haushalt": [parse_mitglied(member, i) for i, member in enumerate(haushalt)],
    }


def _per_person(table: dict, n: int) -> Decimal:
    """A component listed for 1–5 persons plus an amount for each further person."""
    values = table["bis_5_personen"]
    if n <= 5:
        return Decimal(values[n - 1])
    return Decimal(values[4]) + Decimal(table["je_weitere_person"]) * (n - 5)


def _hoechstbetrag(p: dict, stufe: int, n: int) -> Decimal:
    table = p["hoechstbetraege"]
    values = table["bis_5_personen"][str(stufe)]
    if n <= 5:
        return Decimal(values[n - 1])
    return Decimal(values[4]) + Decimal(table["je_weitere_person"][str(stufe)]) * (n - 5)


def _miete_m(p: dict, miete: Decimal, stufe: int, n: int, n_table: int, rw: Rechenweg) -> Decimal:
    rw.add("bruttokaltmiete", "Bruttokaltmiete (monatlich)", miete, "§ 9 WoGG")
    hb = rw.add("hoechstbetrag", f"Höchstbetrag Mietstufe {ROMAN_OF[stufe]}, {n} Haushaltsmitglied(er)",
                _hoechstbetrag(p, stufe, n), p["hoechstbetraege"]["ref"])
    klima = rw.add("klimakomponente", "Klimakomponente", _per_person(p["klimakomponente"], n), p["klimakomponente"]["ref"])
    gekappt = miete > hb + klima
    counted = rw.add("miete_beruecksichtigt", "Berücksichtigte Miete: " + (
        "Miete über Höchstbetrag + Klimakomponente, daher gekappt" if gekappt
        else "Miete unter Höchstbetrag + Klimakomponente, voll berücksichtigt"), min(miete, hb + klima),
        "§ 12 Abs. 1 und 7 WoGG")
    mindest = Decimal(p["mindest_m"]["nach_personen"][n_table - 1])
    if counted < mindest:
        counted = rw.add("mindest_m", f"Mindest-M für {n_table} Haushaltsmitglied(er) ersetzt die Miete", mindest, p["mindest_m"]["ref"])
    hke = rw.add("heizkostenentlastung", "Heizkostenentlastung", _per_person(p["heizkostenentlastung"], n), p["heizkostenentlastung"]["ref"])
    hkk = rw.add("heizkostenkomponente", "dauerhafte Heizkostenkomponente", _per_person(p["heizkostenkomponente"], n),
                 p["heizkostenkomponente"]["ref"])
    return rw.add("m", "Zu berücksichtigende Miete M", counted + hke + hkk, "§ 19 Abs. 1 WoGG")


def _formel(p: dict, m: Decimal, y: Decimal, n_table: int, rw: Rechenweg) -> Decimal:
    coeff = p["koeffizienten"]["nach_personen"][str(n_table)]
    a, b, c = (Decimal(coeff[k]) for k in ("a", "b", "c"))
    ref = p["koeffizienten"]["ref"]
    rw.add("a", f"Wert a ({n_table} Haushaltsmitglied(er))", a, ref, kind="number")
    rw.add("b", "Wert b", b, ref, kind="number")
    rw.add("c", "Wert c", c, ref, kind="number")
    q = Decimal(1).scaleb(-int(p["nachkommastellen"]["wert"]))
    zref = p["nachkommastellen"]["ref"]
    with localcontext() as ctx:
        ctx.prec = 60
        z1 = rw.add("z1", "z1 = a + b·M + c·Y", (a + b * m + c * y).quantize(q, ROUND_HALF_UP), zref)
        z2 = rw.add("z2", "z2 = z1·Y", (z1 * y).quantize(q, ROUND_HALF_UP), zref)
        z3 = rw.add("z3", "z3 = M − z2", (m - z2).quantize(q, ROUND_HALF_UP), zref)
        factor = Decimal(p["faktor"]["wert"])
        return rw.add("z4", f"z4 = {factor}·z3 (ungerundetes Wohngeld)", (factor * z3).quantize(q, ROUND_HALF_UP), zref)


def berechne(antrag: dict) -> WohngeldErgebnis:
    """Compute Wohngeld for one application (see module docstring); raises ValidationFailed."""
    data = _parse(antrag)
    p = in_force("wohngeld", data["stichtag"])
    rw, hinweise = Rechenweg(), []
    rw.add("rechtsstand", "Rechtsstand (Parametersatz gültig ab)", p["gueltig_ab"], p["titel"])
    if data["mietstufe"] is not None:
        stufe = rw.add("mietstufe", "Mietstufe (Angabe im Antrag)", data["mietstufe"], "§ 12 Abs. 3 WoGG")
    else:
        found = mietstufe_fuer_ags(data["ags"], data["stichtag"])
        stufe = rw.add("mietstufe", f"Mietstufe {found['name']} (Tabelle ab {found['rechtsstand']}, {found['quelle']})",
                       found["mietstufe"], found["ref"])
        if found["quelle"] == "Kreis":
            hinweise.append(f"Mietstufe aus dem Kreiswert abgeleitet ({found['name']}).")
    n = rw.add("n", "Zu berücksichtigende Haushaltsmitglieder n", len(data["haushalt"]), "§§ 4–6 WoGG")
    n_table = min(n, 12)
    y = monatseinkommen_y(data["haushalt"], n_table, p, rw)
    rw.add("y", "Monatliches Gesamteinkommen Y", y, "§ 13 WoGG, Anlage 3 Nr. 1")
    m = _miete_m(p, data["miete"], stufe, n, n_table, rw)
    z4 = _formel(p, m, y, n_table, rw)
    bounded = min(max(z4, Decimal(0)), m)
    if bounded != z4:
        rw.add("begrenzt", "Begrenzung auf 0 bis M", bounded, "§ 19 Abs. 1 WoGG")
    amount = int(bounded.quantize(Decimal(1), ROUND_HALF_UP))
    rw.add("gerundet", "Wohngeld gerundet auf volle Euro", amount, p["rundung"]["ref"])
    m_euro = int(m.to_integral_value(ROUND_FLOOR))
    if n > 12 and amount > 0:
        extra = Decimal(p["mehr_als_12_personen"]["betrag_je_person"]) * (n - 12)
        amount = min(amount + int(extra), m_euro)
        rw.add("mehr_als_12", f"Erhöhung für {n - 12} Haushaltsmitglied(er) über 12 (höchstens M)", amount,
               p["mehr_als_12_personen"]["ref"])
    amount = min(amount, m_euro)
    grund = code = None
    limit = Decimal(p["vermoegen"]["erstes_mitglied"]) + Decimal(p["vermoegen"]["je_weiteres_mitglied"]) * (n - 1)
    minimum = Decimal(p["mindestbetrag"]["wert"])
    if data["vermoegen"] <= limit:
        rw.add("vermoegen_geprueft", f"Vermögen {euro_de(data['vermoegen'])} € nicht über der Grenze von {euro_de(limit)} €: "
               "kein Ausschluss", limit, p["vermoegen"]["ref"])
    if data["vermoegen"] > limit:
        code = "vermoegen"
        grund = (f"Erhebliches Vermögen: {inp.euro_str(data['vermoegen'])} € übersteigt die Grenze von "
                 f"{inp.euro_str(limit)} € ({p['vermoegen']['ref']})")
        rw.add("vermoegensgrenze", f"Vermögen {euro_de(data['vermoegen'])} € über der Grenze – kein Anspruch", limit,
               p["vermoegen"]["ref"])
    elif amount == 0:
        code = "kein_betrag"
        grund = "Rechnerisch ergibt sich kein Wohngeld: das Einkommen ist im Verhältnis zur Miete zu hoch (§ 19 WoGG)"
        rw.add("kein_betrag", "Kein Wohngeld: Einkommen im Verhältnis zur Miete zu hoch (z4 ≤ 0)", 0, "§ 19 WoGG")
    elif amount < minimum:
        code = "mindestbetrag"
        grund = f"Wohngeld von {amount} € liegt unter dem Mindestbetrag von {int(minimum)} € monatlich ({p['mindestbetrag']['ref']})"
        rw.add("mindestbetrag", "Mindestbetrag nicht erreicht – kein Anspruch", minimum, p["mindestbetrag"]["ref"])
    else:
        rw.add("mindestbetrag", f"Mindestbetrag von {int(minimum)} € erreicht", minimum, p["mindestbetrag"]["ref"])
    anspruch = code is None
    rw.add("wohngeld_m", "Monatliches Wohngeld", amount if anspruch else 0, "§ 19 WoGG" if anspruch else "§ 21 WoGG")
    return WohngeldErgebnis(
        wohngeld_m=amount if anspruch else 0, anspruch=anspruch, grund=grund, grund_code=code,
        m=cents(m), y=cents(y), n=n, mietstufe=stufe, rechtsstand=p["gueltig_ab"],
        wohngeld_rechnerisch=amount, rechenweg=list(rw), hinweise=hinweise,
    )
