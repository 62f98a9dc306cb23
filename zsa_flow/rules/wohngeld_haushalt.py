"""The Wohngeld application's household (`haushaltsmitglieder`) as input of the one calculation.

The application form lists every household member (the applicant first) as one object with
name, relation, birth date, income types, the three flat-deduction flags of § 16, disability
(GdB, care need) and single-parent status. `haushalt_aus_antrag` maps that list onto the
per-member input of `wohngeld.berechne` — there is no second calculation:

- Erwerbseinkommen → `bruttolohn_m`; Renten → `rente_m`; Unterhalt received and other receipts
  (Arbeitslosengeld, Krankengeld, …) → `sonstige_einkuenfte_m` (§ 14 Abs. 2 WoGG);
- Freibetrag § 17 Nr. 1: GdB 100, or GdB of at least 50 (schwerbehindert, § 2 Abs. 2 SGB IX) with
  care need at home;
- Freibetrag § 17 Nr. 3: a single parent, once, if a child of the household is under 18 on the
  Stichtag (counted from the members with relation "kind" and their birth dates);
- Freibetrag § 17 Nr. 4: a child of the household with its own Erwerbseinkommen.

Applications filed before the household list (version 1 of the form: the applicant's income as
flat fields, the other members only as the sum `einkommen_weitere_m`) carry no
`haushaltsmitglieder`; `haushalt_aus_antrag` maps that old shape exactly as the version-1 script
did, so such a case computes the same amount on every version.
"""
from . import inputs as inp
from .daten import alter_jahre
from .inputs import invalid

BEZIEHUNGEN = ("antragsteller", "ehegatte", "kind", "elternteil", "geschwister", "sonstige")
MONEY = ("bruttolohn_m", "rente_m", "unterhalt_erhalten_m", "sonstige_einkuenfte_m", "unterhalt_gezahlt_y")
FLAGS = ("zahlt_steuern", "zahlt_kv_pv", "zahlt_rv", "pflegebeduerftig", "alleinerziehend")
KNOWN = set(MONEY + FLAGS) | {"name", "beziehung", "geburtsdatum", "gdb"}
MAX_MITGLIEDER = 30
FIELD = "haushaltsmitglieder"


def _mitglied(raw, index: int) -> dict:
    where = f"{FIELD}[{index}]"
    data = inp.require_dict(raw, where)
    unknown = sorted(set(data) - KNOWN)
    if unknown:
        raise invalid(f"{where}.{unknown[0]}", "unbekanntes Feld")
    name = inp.get(data, "name", f"{where}.name", "")
    if not isinstance(name, str) or len(name) > 200:
        raise invalid(f"{where}.name", "muss ein Text mit höchstens 200 Zeichen sein")
    member = {"name": name.strip(),
              "beziehung": inp.choice(inp.get(data, "beziehung", f"{where}.beziehung", "sonstige"),
                                      f"{where}.beziehung", BEZIEHUNGEN)}
    born = inp.get(data, "geburtsdatum", f"{where}.geburtsdatum", None)
    member["geburtsdatum"] = None if born in (None, "") else inp.iso_date(born, f"{where}.geburtsdatum")
    member.update({k: inp.money(inp.get(data, k, f"{where}.{k}", 0), f"{where}.{k}") for k in MONEY})
    member.update({k: inp.boolean(inp.get(data, k, f"{where}.{k}", False), f"{where}.{k}") for k in FLAGS})
    member["gdb"] = inp.integer(inp.get(data, "gdb", f"{where}.gdb", 0), f"{where}.gdb", minimum=0, maximum=100)
    return member


def mitglieder(raw) -> list[dict]:
    """Validate the household list (the form's dynamic list); errors name `haushaltsmitglieder[i].feld`."""
    if not isinstance(raw, list):
        raise invalid(FIELD, "muss eine Liste der Haushaltsmitglieder sein")
    if not raw:
        raise invalid(FIELD, "mindestens ein Haushaltsmitglied erforderlich")
    if len(raw) > MAX_MITGLIEDER:
        raise invalid(FIELD, f"höchstens {MAX_MITGLIEDER} Haushaltsmitglieder")
    return [_mitglied(member, i) for i, member in enumerate(raw)]


def schwerbehindert_pflege(member: dict) -> bool:
    """§ 17 Nr. 1 WoGG: GdB 100, or schwerbehindert (GdB ≥ 50) and in need of care at home."""
    return member["gdb"] >= 100 or (member["gdb"] >= 50 and member["pflegebeduerftig"])


def _minderjaehrige_kinder(members: list[dict], stichtag) -> int:
    return sum(1 for m in members if m["beziehung"] == "kind" and m["geburtsdatum"] is not None
               and alter_jahre(m["geburtsdatum"], stichtag) < 18)


def _regel_mitglied(member: dict, kinder: int) -> dict:
    """One member in the input shape of `wohngeld.berechne` (wohngeld_einkommen.parse_mitglied)."""
    return {
        "name": member["name"] or None,
        "rolle": member["beziehung"],
        "geburtsdatum": None if member["geburtsdatum"] is None else member["geburtsdatum"].isoformat(),
        "bruttolohn_m": str(member["bruttolohn_m"]),
        "rente_m": str(member["rente_m"]),
        "sonstige_einkuenfte_m": str(member["unterhalt_erhalten_m"] + member["sonstige_einkuenfte_m"]),
        "werbungskosten_y": None,
        "zahlt_steuern": member["zahlt_steuern"],
        "zahlt_kv_pv": member["zahlt_kv_pv"],
        "zahlt_rv": member["zahlt_rv"],
        "schwerbehindert_pflege": schwerbehindert_pflege(member),
        "alleinerziehend": member["alleinerziehend"],
        "kinder_alleinerziehend": kinder if member["alleinerziehend"] else 0,
        "kind_mit_einkommen": member["beziehung"] == "kind" and member["bruttolohn_m"] > 0,
        "unterhalt_gezahlt_y": str(member["unterhalt_gezahlt_y"]),
    }


def _aus_altantrag(daten: dict) -> list[dict]:
    """The version-1 application (flat fields): what its calculation script passed, unchanged.

    Applicant as member 1; the sum `einkommen_weitere_m` as one further earner paying tax, KV/PV
    and RV; every other member without income.
    """
    n = inp.integer(inp.get(daten, "anzahl_haushaltsmitglieder", "anzahl_haushaltsmitglieder"),
                    "anzahl_haushaltsmitglieder", minimum=1, maximum=MAX_MITGLIEDER)
    weitere = inp.money(inp.get(daten, "einkommen_weitere_m", "einkommen_weitere_m", 0), "einkommen_weitere_m")
    antragsteller = {k: daten.get(k, 0) for k in ("bruttolohn_m", "rente_m", "sonstige_einkuenfte_m", "unterhalt_gezahlt_y")}
    antragsteller.update({k: bool(daten.get(k, False)) for k in ("zahlt_steuern", "zahlt_kv_pv", "zahlt_rv",
                                                                "schwerbehindert_pflege", "alleinerziehend")})
    verdiener = {"bruttolohn_m": str(weitere), "zahlt_steuern": weitere > 0, "zahlt_kv_pv": weitere > 0,
                 "zahlt_rv": weitere > 0}
    return [antragsteller] + [verdiener] * (1 if n > 1 else 0) + [{}] * max(n - 2, 0)


def haushalt_aus_antrag(daten: dict, stichtag) -> list[dict]:
    """The `haushalt` list of `wohngeld.berechne` from an application of either shape."""
    daten = inp.require_dict(daten, "antrag")
    if daten.get(FIELD) is None:
        return _aus_altantrag(daten)
    members = mitglieder(daten[FIELD])
    kinder = _minderjaehrige_kinder(members, inp.iso_date(stichtag, "stichtag"))
    return [_regel_mitglied(member, kinder) for member in members]
