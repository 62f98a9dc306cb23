"""Camunda Forms: parsing form-js JSON, server-side validation with German messages, HTML rendering."""
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from zsa_flow.errors import ModelError, ValidationFailed
from zsa_flow.forms import MAX_FORM_BYTES, Condition, parse_form

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "forms"
REQUIRED = "Pflichtfeld: bitte ausfüllen."


def load(name):
    path = FIXTURES / name
    return parse_form(path.read_bytes(), str(path))


def make(*components, form_id="Form_test"):
    """A form as Camunda Modeler writes it, around the given components."""
    schema = {"components": list(components), "type": "default", "id": form_id,
              "executionPlatform": "Camunda Platform", "executionPlatformVersion": "7.21.0",
              "exporter": {"name": "Camunda Modeler", "version": "5.28.0"}, "schemaVersion": 16}
    return parse_form(json.dumps(schema, indent=2), "test.form")


def field(ftype, key, **extra):
    return {"type": ftype, "key": key, "id": f"Field_{key}", "label": key.capitalize(), **extra}


@pytest.fixture(scope="module")
def dog():
    return load("hundeanmeldung.form")


def valid_dog_data(**changes):
    data = {
        "halter": {"vorname": "Anna", "nachname": "Schmidt", "email": "anna.schmidt@example.de",
                   "telefon": "+49 391 5404321"},
        "transponder": "276098106543210",
        "hundeart": "normal",
        "anzahl_hunde": 1,
        "gewicht_kg": 12.5,
        "geburtsdatum": "2021-04-17",
        "haltung": "privat",
        "nachweise": ["haftpflicht"],
        "steuerbefreiung": False,
    }
    data.update(changes)
    return data


# ---------------------------------------------------------------- parsing


def test_parse_realistic_form(dog):
    assert dog.id == "Form_hundeanmeldung"
    assert dog.keys == ["aktenzeichen", "halter.vorname", "halter.nachname", "halter.email", "halter.telefon",
                        "transponder", "hundeart", "wesenstest_bestanden", "anzahl_hunde", "gewicht_kg",
                        "geburtsdatum", "haltung", "nachweise", "steuerbefreiung", "begruendung"]
    transponder = dog.field("transponder")
    assert transponder.required and transponder.pattern == "^[0-9]{15}$"
    assert dog.field("halter.vorname").path == ("halter", "vorname")
    assert dog.field("geburtsdatum").label == "Geburtsdatum des Hundes"
    assert [o.value for o in dog.field("hundeart").options] == ["normal", "gefaehrlich", "assistenz"]
    assert dog.warnings == []


@pytest.mark.parametrize("name, line, needle", [
    ("broken_json.form", 6, "not valid JSON"),
    ("missing_key.form", 12, "Field_nokey: number component has no 'key'"),
    ("duplicate_key.form", 12, "duplicate key 'name'"),
    ("unknown_type.form", 12, "unknown component type 'signature'"),
    ("bad_pattern.form", 6, "invalid pattern"),
    ("min_gt_max.form", 6, "min 18 is greater than max 3"),
])
def test_broken_files_name_file_line_and_component(name, line, needle):
    with pytest.raises(ModelError) as err:
        load(name)
    message = err.value.message
    assert message.startswith(f"{FIXTURES / name}:{line}:"), message
    assert needle in message
    assert err.value.details["file"] == str(FIXTURES / name) and err.value.details["line"] == line


def test_json_error_names_column():
    with pytest.raises(ModelError) as err:
        parse_form(b'{"components": [\n  {"type": "textfield",, "key": "a"}\n]}', "x.form")
    assert err.value.message.startswith("x.form:2:24: not valid JSON")
    assert err.value.details["column"] == 24


@pytest.mark.parametrize("components, needle", [
    ([field("textfield", "a"), field("group", "g", components=[field("textfield", "a")])], "duplicate key 'a'"),
    ([field("textfield", "a"), field("textfield", "a.b", id="Field_ab")], "conflicts with key 'a'"),
    ([field("select", "s")], "has no options"),
    ([field("radio", "r", values=[{"label": "x", "value": "1"}, {"label": "y", "value": "1"}])],
     "duplicate option value"),
    ([field("textfield", "t", validate={"minLength": 5, "maxLength": 2})], "minLength 5 is greater than maxLength 2"),
    ([field("number", "n", validate={"min": "abc"})], "'min' must be a number"),
    ([field("textfield", "t", validate={"validationType": "iban"})], "unknown validationType"),
    ([field("datetime", "d", subtype="week")], "unknown datetime subtype"),
    ([field("textfield", "bad key")], "invalid key"),
    ([field("iframe", "l")], "'iframe' is not supported"),
    ([field("select", "s", values=[{"label": "x", "value": "x"}], defaultValue="y")], "not one of the options"),
    ([field("number", "n", decimalDigits=-1)], "decimalDigits"),
    ([field("number", "n", increment=0)], "'increment' must be positive"),
])
def test_schema_errors(components, needle):
    with pytest.raises(ModelError) as err:
        make(*components)
    assert needle in err.value.message
    assert err.value.message.startswith("test.form:")


def test_form_without_id_or_components_is_rejected():
    with pytest.raises(ModelError, match="no 'id'"):
        parse_form('{"components": []}', "a.form")
    with pytest.raises(ModelError, match="'components' must be a list"):
        parse_form('{"id": "F", "components": {}}', "b.form")
    with pytest.raises(ModelError, match="JSON object"):
        parse_form("[1, 2]", "c.form")


def test_size_limit_and_encoding():
    with pytest.raises(ModelError, match="larger than the limit"):
        parse_form(b" " * (MAX_FORM_BYTES + 1), "big.form")
    with pytest.raises(ModelError, match="not valid UTF-8"):
        parse_form(b'{"id": "F",\n "components": [], "x": "\xff"}', "enc.form")
    bom = "\ufeff" + json.dumps({"id": "F", "components": [field("textfield", "a")]})
    assert parse_form(bom.encode("utf-8"), "bom.form").keys == ["a"]


def test_deep_nesting_is_a_model_error_not_a_crash():
    with pytest.raises(ModelError):
        parse_form("[" * 100000 + "]" * 100000, "deep.form")
    group = {"type": "group", "id": "g", "components": []}
    node = group
    for _ in range(30):
        child = {"type": "group", "id": "g", "components": []}
        node["components"].append(child)
        node = child
    with pytest.raises(ModelError, match="nested deeper"):
        make(group)


def test_static_components_are_tolerated_and_not_inputs():
    form = make({"type": "text", "id": "t", "text": "Hallo"}, {"type": "spacer", "id": "s"},
                {"type": "separator", "id": "sep"}, {"type": "image", "id": "i", "source": "x.png", "alt": "Logo"},
                {"type": "button", "id": "b", "action": "submit", "label": "Senden"},
                {"type": "html", "id": "h", "content": "<b>Hinweis</b>"}, field("textfield", "name"))
    assert form.keys == ["name"]
    assert [c.type for c in form.components] == ["text", "spacer", "separator", "image", "button", "html",
                                                 "textfield"]


def test_unsupported_hide_condition_is_a_warning_and_shows_the_field():
    form = make(field("textfield", "a", conditional={"hide": "=count(x) > 1"}), field("textfield", "b"))
    assert len(form.warnings) == 1 and "always shown" in form.warnings[0]
    clean, errors = form.validate({"a": "x", "b": "y"})
    assert clean == {"a": "x", "b": "y"} and errors == {}


# ---------------------------------------------------------------- FEEL subset


@pytest.mark.parametrize("source, context, expected", [
    ('=art = "gefaehrlich"', {"art": "gefaehrlich"}, True),
    ('=art = "gefaehrlich"', {"art": "normal"}, False),
    ('=art != "gefaehrlich"', {}, True),
    ("=not(flag)", {"flag": False}, True),
    ("=not(flag)", {"flag": True}, False),
    ("=not(flag)", {}, None),
    ("=flag", {"flag": True}, True),
    ("=anzahl >= 3", {"anzahl": 3}, True),
    ("=anzahl > 2.5 and art = \"x\"", {"anzahl": 3, "art": "x"}, True),
    ("=a or b", {"a": False, "b": None}, None),
    ("=a or b", {"a": False, "b": True}, True),
    ("=halter.alter < 18", {"halter": {"alter": 17}}, True),
    ('=anzahl = "3"', {"anzahl": 3}, None),
    ("=true", {}, True),
])
def test_feel_conditions(source, context, expected):
    cond = Condition(source)
    assert cond.supported
    assert cond.evaluate(context) is expected


@pytest.mark.parametrize("source", ["=count(x)", "=x +", "=a in [1,2]", "", "=(a", "=x = 'y'"])
def test_feel_unsupported(source):
    cond = Condition(source)
    assert not cond.supported and cond.error
    assert cond.holds({"x": 1, "a": 1}) is False


# ---------------------------------------------------------------- validation: JSON


def test_valid_data_is_cleaned_and_nested(dog):
    clean, errors = dog.validate(valid_dog_data())
    assert errors == {}
    assert clean["halter"] == {"vorname": "Anna", "nachname": "Schmidt", "email": "anna.schmidt@example.de",
                               "telefon": "+49 391 5404321"}
    assert clean["anzahl_hunde"] == 1 and type(clean["anzahl_hunde"]) is int
    assert clean["gewicht_kg"] == 12.5 and type(clean["gewicht_kg"]) is float
    assert clean["nachweise"] == ["haftpflicht"]
    assert "begruendung" not in clean and "wesenstest_bestanden" not in clean  # hidden
    json.dumps(clean)


def test_required_fields(dog):
    clean, errors = dog.validate({})
    assert errors == {name: REQUIRED for name in
                      ["halter.vorname", "halter.nachname", "transponder", "hundeart", "anzahl_hunde", "haltung"]}
    assert clean == {}
    _, errors = dog.validate(valid_dog_data(transponder="   ", nachweise=[]))
    assert errors == {"transponder": REQUIRED}


def test_required_checkbox_must_be_checked_and_checklist_nonempty():
    form = make(field("checkbox", "ok", validate={"required": True}),
                field("checklist", "c", values=[{"label": "A", "value": "a"}], validate={"required": True}))
    assert form.validate({"ok": False, "c": []})[1] == {"ok": REQUIRED, "c": REQUIRED}
    assert form.validate({"ok": True, "c": ["a"]}) == ({"ok": True, "c": ["a"]}, {})


def test_anchored_pattern_must_match_the_whole_value(dog):
    for bad in ["27609810654321", "2760981065432100", "27609810654321a", "x276098106543210"]:
        assert dog.validate(valid_dog_data(transponder=bad))[1] == {"transponder": "Ungültiges Format: erwartet 15 Ziffern."}
    assert dog.validate(valid_dog_data(transponder=" 276098106543210 "))[0]["transponder"] == "276098106543210"


def test_pattern_is_tested_unanchored_like_form_js():
    """form-js: `new RegExp(pattern).test(value)` — the pattern must occur somewhere in the value."""
    form = make(field("textfield", "plz", validate={"pattern": "[0-9]{5}"}),
                field("textarea", "notiz", validate={"pattern": "ok$"}),
                field("textfield", "kennung", validate={"pattern": "(?<land>[A-Z]{2})-\\d"}))
    assert form.validate({"plz": "39104x"})[1] == {}
    assert form.validate({"plz": "PLZ 39104"})[1] == {}
    assert form.validate({"plz": "3910"})[1] == {"plz": "Ungültiges Format: erwartet 5 Ziffern."}
    assert form.validate({"notiz": "ok\n"})[1] == {"notiz": "Ungültiges Format."}  # JS `$`: end of text only
    assert form.validate({"kennung": "ID DE-1"})[1] == {}
    assert form.validate({"kennung": "DE-١"})[1] == {"kennung": "Ungültiges Format."}  # JS `\d` is ASCII


@pytest.mark.parametrize("pattern", ["(a+)+$", "(\\d*)*x", "([a-z]+\\s?)+"])
def test_patterns_that_can_backtrack_exponentially_are_refused(pattern):
    with pytest.raises(ModelError, match="exponential time"):
        make(field("textfield", "t", validate={"pattern": pattern}))


def test_length_rules(dog):
    data = valid_dog_data()
    data["halter"] = dict(data["halter"], nachname="S", vorname="A" * 101)
    assert dog.validate(data)[1] == {"halter.nachname": "Mindestens 2 Zeichen.",
                                     "halter.vorname": "Höchstens 100 Zeichen."}


def test_number_rules(dog):
    assert dog.validate(valid_dog_data(anzahl_hunde=0))[1] == {"anzahl_hunde": "Mindestens 1."}
    assert dog.validate(valid_dog_data(anzahl_hunde=11))[1] == {"anzahl_hunde": "Höchstens 10."}
    assert dog.validate(valid_dog_data(anzahl_hunde=1.5))[1] == {"anzahl_hunde": "Bitte eine ganze Zahl eingeben."}
    assert dog.validate(valid_dog_data(gewicht_kg=12.25))[1] == {"gewicht_kg": "Höchstens 1 Nachkommastellen."}
    assert dog.validate(valid_dog_data(gewicht_kg=0.4))[1] == {"gewicht_kg": "Mindestens 0,5."}
    for bad in ["zwölf", True, [1], "1e5", "nan"]:
        assert dog.validate(valid_dog_data(gewicht_kg=bad))[1] == {"gewicht_kg": "Bitte eine Zahl eingeben, z. B. 450,50."}
    assert dog.validate(valid_dog_data(anzahl_hunde="3"))[0]["anzahl_hunde"] == 3
    assert dog.validate(valid_dog_data(gewicht_kg=None))[0]["gewicht_kg"] is None


def test_number_increment_and_money_as_string():
    form = make(field("number", "stufe", increment=5),
                field("number", "betrag", decimalDigits=2, serializeToString=True, validate={"max": 1000}))
    assert form.validate({"stufe": 12})[1] == {"stufe": "Bitte einen gültigen Wert wählen, z. B. 10 oder 15."}
    assert form.validate({"stufe": 15})[0] == {"stufe": 15}
    clean, errors = form.validate({"betrag": "691,6"})
    assert errors == {} and clean == {"betrag": "691.60"}
    assert form.validate({"betrag": 1000.01})[1] == {"betrag": "Höchstens 1000."}


def test_email_and_phone(dog):
    data = valid_dog_data()
    data["halter"] = dict(data["halter"], email="anna@", telefon="abc")
    assert dog.validate(data)[1] == {"halter.email": "Bitte eine gültige E-Mail-Adresse angeben.",
                                     "halter.telefon": "Bitte eine gültige Telefonnummer angeben, z. B. +49 391 1234567."}
    data["halter"] = dict(data["halter"], email="a.b@stadt-magdeburg.de", telefon="0391 540-4321")
    assert dog.validate(data)[1] == {}


def test_options(dog):
    option = "Bitte eine der angebotenen Optionen wählen."
    assert dog.validate(valid_dog_data(hundeart="wolf"))[1] == {"hundeart": option}
    assert dog.validate(valid_dog_data(haltung="Privat"))[1] == {"haltung": option}
    assert dog.validate(valid_dog_data(nachweise=["haftpflicht", "impfpass"]))[1] == {"nachweise": option}
    assert dog.validate(valid_dog_data(nachweise="haftpflicht"))[1] == {"nachweise": "Ungültiger Wert."}
    clean, _ = dog.validate(valid_dog_data(nachweise=["sachkunde", "haftpflicht", "sachkunde"]))
    assert clean["nachweise"] == ["sachkunde", "haftpflicht"]


def test_options_from_case_data_via_values_key():
    form = make(field("select", "kommune", valuesKey="kommunen"))
    context = {"kommunen": [{"label": "Magdeburg", "value": "15003000"}, {"label": "Halle", "value": "15002000"}]}
    assert form.validate({"kommune": "15002000"}, context=context) == ({"kommune": "15002000"}, {})
    assert form.validate({"kommune": "15001000"}, context=context)[1] == {
        "kommune": "Bitte eine der angebotenen Optionen wählen."}
    assert form.validate({"kommune": "15002000"})[1] != {}  # no options without case data


def test_checkbox_and_text_types():
    form = make(field("checkbox", "ok"), field("textfield", "name"), field("textarea", "notiz"))
    assert form.validate({"ok": "yes"})[1] == {"ok": "Ungültiger Wert."}
    assert form.validate({"name": 42})[1] == {"name": "Bitte einen Text eingeben."}
    assert form.validate({"name": "a\x00b"})[1] == {"name": "Der Text enthält unzulässige Steuerzeichen."}
    assert form.validate({"name": "a\nb"})[1] == {"name": "Der Text enthält unzulässige Steuerzeichen."}
    assert form.validate({"notiz": "Zeile 1\r\nZeile 2"})[0] == {"notiz": "Zeile 1\nZeile 2"}
    assert form.validate({"notiz": "x" * 20001})[1] == {"notiz": "Höchstens 20000 Zeichen."}


@pytest.mark.parametrize("subtype, fmt, raw, expected", [
    ("date", None, "2026-03-01", "2026-03-01"),
    ("date", None, "1.3.2026", "2026-03-01"),
    ("time", None, "09:30", "09:30"),
    ("datetime", "no_timezone", "2026-03-01T10:30", "2026-03-01T10:30"),
    ("datetime", "utc_offset", "2026-03-01T10:30", "2026-03-01T10:30+01:00"),
    ("datetime", "utc_offset", "2026-07-01T10:30", "2026-07-01T10:30+02:00"),
    ("datetime", "utc_normalized", "2026-03-01T10:30", "2026-03-01T09:30Z"),
    ("datetime", "utc_normalized", "2026-03-01T10:30:15Z", "2026-03-01T10:30:15Z"),
])
def test_datetime_values(subtype, fmt, raw, expected):
    extra = {"timeSerializingFormat": fmt} if fmt else {}
    form = make(field("datetime", "d", subtype=subtype, **extra))
    assert form.validate({"d": raw}) == ({"d": expected}, {})


@pytest.mark.parametrize("subtype, raw, message", [
    ("date", "2026-02-30", "Bitte ein gültiges Datum angeben (TT.MM.JJJJ)."),
    ("date", "morgen", "Bitte ein gültiges Datum angeben (TT.MM.JJJJ)."),
    ("time", "25:00", "Bitte eine gültige Uhrzeit angeben (HH:MM)."),
    ("datetime", "2026-03-01", "Bitte ein gültiges Datum mit Uhrzeit angeben."),
    ("date", 20260301, "Bitte ein gültiges Datum angeben (TT.MM.JJJJ)."),
])
def test_datetime_errors(subtype, raw, message):
    form = make(field("datetime", "d", subtype=subtype))
    assert form.validate({"d": raw})[1] == {"d": message}


def test_unknown_keys_are_rejected(dog):
    clean, errors = dog.validate(valid_dog_data(is_admin=True, halter={"vorname": "A", "nachname": "Be",
                                                                     "geheim": "x"}))
    assert errors == {"is_admin": "Unbekanntes Feld.", "halter.geheim": "Unbekanntes Feld."}
    assert "is_admin" not in clean
    assert dog.validate(valid_dog_data(extra=1), ignore=("extra",))[1] == {}


def test_dotted_keys_are_accepted_flat(dog):
    data = valid_dog_data()
    del data["halter"]
    data.update({"halter.vorname": "Anna", "halter.nachname": "Schmidt"})
    clean, errors = dog.validate(data)
    assert errors == {} and clean["halter"] == {"vorname": "Anna", "nachname": "Schmidt"}


def test_conditional_hide(dog):
    # `begruendung` is hidden unless steuerbefreiung; when shown it is required
    clean, errors = dog.validate(valid_dog_data(steuerbefreiung=True))
    assert errors == {"begruendung": REQUIRED}
    clean, errors = dog.validate(valid_dog_data(steuerbefreiung=True, begruendung="Assistenzhund laut Bescheid"))
    assert errors == {} and clean["begruendung"] == "Assistenzhund laut Bescheid"
    # hidden fields are not submitted even when sent, and not validated
    clean, errors = dog.validate(valid_dog_data(begruendung="x"))
    assert errors == {} and "begruendung" not in clean
    # `wesenstest_bestanden` only for dangerous dogs
    assert dog.validate(valid_dog_data(hundeart="gefaehrlich"))[1] == {"wesenstest_bestanden": REQUIRED}
    clean, errors = dog.validate(valid_dog_data(hundeart="gefaehrlich", wesenstest_bestanden=True))
    assert errors == {} and clean["wesenstest_bestanden"] is True


def test_condition_sees_case_data_and_groups_hide_their_children():
    form = make(field("group", "g", components=[field("textfield", "name", validate={"required": True})],
                      conditional={"hide": "=bereits_erfasst"}))
    assert form.validate({}, context={"bereits_erfasst": True}) == ({}, {})
    assert form.validate({}, context={"bereits_erfasst": False})[1] == {"name": REQUIRED}


def test_readonly_keeps_stored_value(dog):
    context = {"aktenzeichen": "HUND-2026-000123"}
    clean, errors = dog.validate(valid_dog_data(aktenzeichen="HUND-2026-000123"), context=context)
    assert errors == {} and "aktenzeichen" not in clean
    _, errors = dog.validate(valid_dog_data(aktenzeichen="HUND-2026-999999"), context=context)
    assert errors == {"aktenzeichen": "Dieses Feld kann nicht geändert werden."}
    clean, errors = dog.validate(MultiDict({"aktenzeichen": "manipuliert"}), from_html=True, context=context)
    assert "aktenzeichen" not in errors and "aktenzeichen" not in clean


def test_disabled_fields_are_ignored():
    form = make(field("textfield", "a", disabled=True, validate={"required": True}), field("textfield", "b"))
    assert form.validate({"a": "x", "b": "y"}) == ({"b": "y"}, {})


def test_absent_optional_fields_are_left_out():
    form = make(field("textfield", "a"), field("number", "n"))
    assert form.validate({"a": ""}) == ({"a": ""}, {})


def test_non_mapping_input_is_rejected(dog):
    with pytest.raises(ValidationFailed):
        dog.validate(["transponder"])


# ---------------------------------------------------------------- validation: HTML form posts


def html_post(**changes):
    pairs = [("halter.vorname", "Anna"), ("halter.nachname", "Schmidt"), ("halter.email", ""),
             ("halter.telefon", ""), ("transponder", "276098106543210"), ("hundeart", "normal"),
             ("anzahl_hunde", "2"), ("gewicht_kg", "12,5"), ("geburtsdatum", "2021-04-17"),
             ("haltung", "gewerblich"), ("nachweise", "haftpflicht"), ("nachweise", "sachkunde"),
             ("begruendung", ""), ("csrf_token", "abc")]
    data = MultiDict(pairs)
    for key, value in changes.items():
        if value is None:
            data.poplist(key)
        else:
            data.setlist(key, value if isinstance(value, list) else [value])
    return data


def test_from_html_coercion(dog):
    clean, errors = dog.validate(html_post(), from_html=True)
    assert errors == {}
    assert clean["gewicht_kg"] == 12.5 and clean["anzahl_hunde"] == 2
    assert clean["nachweise"] == ["haftpflicht", "sachkunde"]
    assert clean["steuerbefreiung"] is False  # unchecked box is not sent
    assert clean["halter"]["email"] == ""
    assert "csrf_token" not in clean


def test_from_html_checkbox_and_german_numbers(dog):
    clean, errors = dog.validate(html_post(steuerbefreiung="on", begruendung="Rettungshund der Feuerwehr"),
                                 from_html=True)
    assert errors == {} and clean["steuerbefreiung"] is True
    _, errors = dog.validate(html_post(steuerbefreiung="on"), from_html=True)
    assert errors == {"begruendung": REQUIRED}
    assert dog.validate(html_post(gewicht_kg="1.234,5"), from_html=True)[1] == {"gewicht_kg": "Höchstens 120."}
    assert dog.validate(html_post(gewicht_kg="12.5"), from_html=True)[0]["gewicht_kg"] == 12.5
    assert dog.validate(html_post(gewicht_kg="12,5,0"), from_html=True)[1] == {"gewicht_kg": "Bitte eine Zahl eingeben, z. B. 450,50."}
    assert dog.validate(html_post(gewicht_kg=""), from_html=True)[0]["gewicht_kg"] is None
    assert dog.validate(html_post(steuerbefreiung="vielleicht"), from_html=True)[1] == {
        "steuerbefreiung": "Ungültiger Wert."}


def test_from_html_missing_radio_and_checklist(dog):
    clean, errors = dog.validate(html_post(haltung=None, nachweise=None), from_html=True)
    assert errors == {"haltung": REQUIRED}
    assert clean["nachweise"] == []


def test_from_html_plain_dict_and_unknown_names(dog):
    data = dict(html_post().items(multi=False))
    data["nachweise"] = ["haftpflicht", "fuehrungszeugnis"]
    data["hacker"] = "1"
    data["_action"] = "complete"
    clean, errors = dog.validate(data, from_html=True)
    assert errors == {"hacker": "Unbekanntes Feld."}
    assert clean["nachweise"] == ["haftpflicht", "fuehrungszeugnis"]


# ---------------------------------------------------------------- rendering


class Page(HTMLParser):
    """Collects every start tag with its attributes, plus the text inside elements that have an id."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.text_by_id, self._open = [], {}, []
        self.feed(str(html))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag not in ("input", "br", "hr", "img"):
            self._open.append(attrs.get("id"))
            if attrs.get("id"):
                self.text_by_id[attrs["id"]] = ""

    def handle_endtag(self, tag):
        if tag not in ("input", "br", "hr", "img") and self._open:
            self._open.pop()

    def handle_data(self, data):
        for element_id in self._open:
            if element_id:
                self.text_by_id[element_id] += data

    def find(self, tag=None, **attrs):
        return [a for t, a in self.tags if (tag is None or t == tag)
                and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def one(self, tag=None, **attrs):
        found = self.find(tag, **attrs)
        assert len(found) == 1, (tag, attrs, found)
        return found[0]


def controls(page):
    return [a for t, a in page.tags if t in ("input", "select", "textarea") and a.get("type") != "hidden"]


def test_render_returns_markup_with_labelled_controls(dog):
    html = dog.render({"aktenzeichen": "HUND-2026-000123"}, {})
    assert isinstance(html, Markup)
    page = Page(html)
    label_targets = {a["for"] for a in page.find("label")}
    names = set()
    for control in controls(page):
        assert control.get("id") and control["id"] in label_targets, control
        names.add(control["name"])
    assert names == set(dog.keys)
    assert len({a["id"] for a in controls(page)}) == len(controls(page))  # ids are unique


def test_render_fieldsets_for_groups_radio_and_checklist(dog):
    html = str(dog.render({}, {}))
    legends = re.findall(r"<legend>(.*?)</legend>", html)
    assert [re.sub(r"<[^>]+>|\*", "", text) for text in legends] == [
        "Halterin / Halter", "Haltung", "Beigefügte Nachweise"]
    page = Page(html)
    assert len(page.find("input", type="radio", name="haltung")) == 2
    assert len(page.find("input", type="checkbox", name="nachweise")) == 3
    assert page.one("input", name="halter.vorname")["id"] == "zsa-halter-vorname"


def test_render_required_rules_and_browser_attributes(dog):
    page = Page(dog.render({}, {}))
    transponder = page.one("input", name="transponder")
    assert "required" in transponder and transponder["aria-required"] == "true"
    assert transponder["pattern"] == "^[0-9]{15}$"
    assert transponder["aria-describedby"] == "zsa-transponder-desc"
    assert page.text_by_id["zsa-transponder-desc"] == "15-stellige Nummer des Mikrochips (nur Ziffern)"
    anzahl = page.one("input", name="anzahl_hunde")
    # text inputs: German numbers ("450,50") reach the server as typed; the server checks min/max/step
    assert (anzahl["type"], anzahl["inputmode"]) == ("text", "numeric")
    assert page.one("input", name="gewicht_kg")["inputmode"] == "decimal"
    nachname = page.one("input", name="halter.nachname")
    assert (nachname["minlength"], nachname["maxlength"]) == ("2", "100")
    assert page.one("input", name="halter.email")["type"] == "email"
    assert page.one("input", name="halter.telefon")["type"] == "tel"
    assert page.one("input", name="geburtsdatum")["type"] == "date"
    assert "required" not in page.one("input", name="halter.email")
    assert all("required" in a for a in page.find("input", name="haltung"))
    assert "required" in page.one("select", name="hundeart")


def test_render_links_errors_to_fields(dog):
    clean, errors = dog.validate(valid_dog_data(transponder="123", haltung=None))
    assert errors == {"transponder": "Ungültiges Format: erwartet 15 Ziffern.", "haltung": REQUIRED}
    page = Page(dog.render(valid_dog_data(transponder="123"), errors))
    transponder = page.one("input", name="transponder")
    assert transponder["aria-invalid"] == "true"
    described = transponder["aria-describedby"].split()
    assert described == ["zsa-transponder-desc", "zsa-transponder-error"]
    assert page.text_by_id["zsa-transponder-error"].endswith("Ungültiges Format: erwartet 15 Ziffern.")
    assert transponder["value"] == "123"  # the user's input stays in the form
    for radio in page.find("input", name="haltung"):
        assert radio["aria-invalid"] == "true" and "zsa-haltung-error" in radio["aria-describedby"]
    assert "aria-invalid" not in page.one("input", name="halter.vorname")
    summary_links = [a["href"] for a in page.find("a") if a.get("href", "").startswith("#")]
    assert summary_links == ["#zsa-transponder", "#zsa-haltung-1"]
    assert page.one("div", id="zsa-error-summary")["role"] == "alert"
    for control in controls(page):  # every aria-describedby points at an element that exists
        for ref in control.get("aria-describedby", "").split():
            assert ref in page.text_by_id


def test_render_prefill_case_data_then_default_then_submitted(dog):
    page = Page(dog.render({"halter": {"vorname": "Anna"}, "gewicht_kg": 12.5, "nachweise": ["sachkunde"],
                            "haltung": "gewerblich", "steuerbefreiung": True}, {}))
    assert page.one("input", name="halter.vorname")["value"] == "Anna"
    assert page.one("input", name="gewicht_kg")["value"] == "12,5"
    assert page.one("option", value="normal").get("selected", "x") is None  # default "normal" selected
    assert "checked" in page.one("input", name="haltung", value="gewerblich")
    assert "checked" not in page.one("input", name="haltung", value="privat")
    assert "checked" in page.one("input", name="nachweise", value="sachkunde")
    assert "checked" in page.one("input", name="steuerbefreiung")
    posted = html_post(gewicht_kg="7,5", hundeart="assistenz", nachweise=None)
    page = Page(dog.render({"gewicht_kg": 12.5, "nachweise": ["sachkunde"]}, {}, submitted=posted))
    assert page.one("input", name="gewicht_kg")["value"] == "7,5"  # as typed
    assert "selected" in page.one("option", value="assistenz")
    assert "selected" not in page.one("option", value="normal")
    assert all("checked" not in a for a in page.find("input", name="nachweise"))


def test_render_readonly_field_and_conditional_field(dog):
    page = Page(dog.render({"aktenzeichen": "HUND-2026-000123"}, {}))
    assert "readonly" in page.one("input", name="aktenzeichen")
    begruendung = page.one("textarea", name="begruendung")
    assert "disabled" in begruendung and "required" not in begruendung
    wrapper = [a for t, a in page.tags if a.get("data-zsa-hide") == "=not(steuerbefreiung)"]
    assert len(wrapper) == 1 and "hidden" in wrapper[0]
    page = Page(dog.render({"steuerbefreiung": True}, {}))
    begruendung = page.one("textarea", name="begruendung")
    assert "disabled" not in begruendung and "required" in begruendung
    wrapper = [a for t, a in page.tags if a.get("data-zsa-hide") == "=not(steuerbefreiung)"]
    assert "hidden" not in wrapper[0]
    page = Page(dog.render({}, {}, submitted=html_post(steuerbefreiung="on")))
    assert "disabled" not in page.one("textarea", name="begruendung")


def test_render_readonly_mode_shows_german_values_without_controls(dog):
    values = valid_dog_data(hundeart="gefaehrlich", wesenstest_bestanden=True, nachweise=["haftpflicht", "sachkunde"])
    html = str(dog.render(values, {}, readonly=True))
    page = Page(html)
    assert controls(page) == []
    pairs = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html))
    assert pairs["Gewicht in kg"] == "12,5"
    assert pairs["Geburtsdatum des Hundes"] == "17.04.2021"
    assert pairs["Art des Hundes"] == "Gefährlicher Hund (§ 3 HundeG LSA)"
    assert pairs["Beigefügte Nachweise"] == "Haftpflichtversicherung, Sachkundenachweis"
    assert pairs["Wesenstest bestanden"] == "Ja" and pairs["Steuerbefreiung beantragen"] == "Nein"
    assert pairs["Aktenzeichen"] == "keine Angabe"
    assert "Begründung der Steuerbefreiung" not in html  # hidden by its condition


def test_render_static_markdown(dog):
    html = str(dog.render({}, {}))
    assert "<h3>Anmeldung eines Hundes</h3>" in html
    assert "<strong>alle Pflichtfelder</strong>" in html and "<em>Hundesteuer</em>" in html
    assert "<ul><li>Transpondernummer vom Impfpass übernehmen</li><li>Nachweise als Kopie beifügen</li></ul>" in html
    assert '<a href="https://www.magdeburg.de/hundesteuer" rel="noopener noreferrer">Hundesteuersatzung</a>' in html


def test_render_markdown_placeholders_and_unsafe_links():
    form = make({"type": "text", "id": "t", "text": "Betrag: **{{ rechenweg.summe }} €** für {{ name }}\n\n"
                 "1. [Klick](javascript:alert(1))\n2. [ok](https://example.org/?a=1&b=\"2\")"})
    html = str(form.render({"rechenweg": {"summe": "691.60"}, "name": "<img src=x onerror=alert(1)>"}, {}))
    assert "<strong>691,60 €</strong>" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img" not in html
    assert "javascript:" not in re.findall(r'href="([^"]*)"', html)[0]
    assert re.findall(r'href="([^"]*)"', html) == ["https://example.org/?a=1&amp;b=&#34;2&#34;"]
    assert "<ol><li>[Klick](javascript:alert(1))</li>" in html


XSS = "<script>alert('x')</script>"


def test_render_escapes_everything():
    form = make(
        {"type": "text", "id": "t", "text": f"# Titel {XSS}\n\n**{XSS}** [{XSS}](https://e.org)"},
        {"type": "html", "id": "h", "content": f"<p onclick=\"x()\">Hinweis</p>{XSS}<img src=x onerror=alert(1)>"},
        {"type": "group", "id": "g", "label": XSS, "components": [
            field("textfield", "name", label=XSS, description=XSS, defaultValue=XSS,
                  validate={"required": True}),
            field("select", "wahl", label=XSS, values=[{"label": XSS, "value": "\"><script>alert(1)</script>"}]),
            field("radio", "r", label=XSS, values=[{"label": XSS, "value": "a"}]),
            field("checklist", "c", label=XSS, values=[{"label": XSS, "value": "<b>"}]),
            field("datetime", "d", subtype="date", dateLabel=XSS),
            field("textarea", "notiz", label=XSS)]},
    )
    values = {"notiz": f"</textarea>{XSS}", "wahl": "\"><script>alert(1)</script>"}
    errors = {"name": XSS, "ungueltig<script>": XSS}
    for html in (form.render(values, errors), form.render(values, errors, readonly=True),
                 form.render({}, {}, submitted=MultiDict({"name": f"\"'>{XSS}", "d": XSS}))):
        html = str(html)
        assert "<script" not in html.lower()
        assert "<img" not in html and "<b>" not in html
        page = Page(html)
        for _, attrs in page.tags:
            assert not any(name.startswith("on") or name == "style" for name in attrs), attrs
        assert "&lt;script&gt;" in html


def test_render_name_of_grouped_and_select_from_case_data():
    form = make(field("group", "g", path="antrag", label="Antrag", components=[
        field("select", "kommune", valuesKey="kommunen", validate={"required": True})]))
    assert form.keys == ["antrag.kommune"]
    context = {"kommunen": [{"label": "Magdeburg", "value": "15003000"}], "antrag": {"kommune": "15003000"}}
    page = Page(form.render(context, {}))
    select = page.one("select", name="antrag.kommune")
    assert select["id"] == "zsa-antrag-kommune"
    assert "selected" in page.one("option", value="15003000")
    assert form.validate(MultiDict({"antrag.kommune": "15003000"}), from_html=True, context=context) == (
        {"antrag": {"kommune": "15003000"}}, {})


def test_form_text_shows_case_values_in_german():
    form = make({"type": "text", "text": "Steuer {{steuer}} EUR ab {{ab}}, Gewicht {{kg}} kg, Zeichen {{az}}"})
    html = str(form.render({"steuer": "1234.50", "ab": "2026-04-01", "kg": 12.5, "az": "HUND-2026-000001"}, {}))
    assert "Steuer 1.234,50 EUR ab 01.04.2026, Gewicht 12,5 kg, Zeichen HUND-2026-000001" in html
