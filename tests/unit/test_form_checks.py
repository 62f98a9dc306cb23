"""Form checks that catch real mistakes: IBAN checksum, `zsa:validate` rules in FEEL, messages that
name the expected format, German numbers, and what the browser needs for live conditions."""
import json
import re

import pytest
from werkzeug.datastructures import MultiDict

from zsa_flow.errors import ModelError
from zsa_flow.forms.browser import SHOWN_FIELD

from test_forms import field, make

IBAN_FIELD = field("textfield", "iban", properties={"zsa:format": "iban"}, validate={"pattern": "^DE[0-9]{20}$"})


def test_iban_with_a_wrong_checksum_is_refused_and_a_good_one_stored_compact():
    form = make(IBAN_FIELD)
    assert "Prüfziffer" in form.validate({"iban": "DE00123456789012345678"})[1]["iban"]
    assert "Prüfziffer" in form.validate({"iban": "DE02120300000000202052"})[1]["iban"]  # one digit off
    clean, errors = form.validate({"iban": "de02 1203 0000 0000 2020 51"})
    assert errors == {} and clean == {"iban": "DE02120300000000202051"}
    assert "Ländercode" in form.validate({"iban": "12345"})[1]["iban"]


def test_pattern_messages_name_the_expected_format():
    plz = make(field("textfield", "plz", validate={"pattern": "^[0-9]{5}$"}))
    assert plz.validate({"plz": "3910"})[1] == {"plz": "Ungültiges Format: erwartet 5 Ziffern."}
    named = make(field("textfield", "plz", validate={"pattern": "^[0-9]{5}$"},
                       properties={"zsa:pattern-message": "Bitte 5 Ziffern angeben, z. B. 39104."}))
    assert named.validate({"plz": "3910"})[1] == {"plz": "Bitte 5 Ziffern angeben, z. B. 39104."}
    other = make(field("textfield", "az", validate={"pattern": "^[A-Z]+$"}))
    assert other.validate({"az": "abc"})[1] == {"az": "Ungültiges Format."}


@pytest.mark.parametrize("typed, value", [("450,50", 450.5), ("1.234,56", 1234.56), ("1.234", 1234),
                                          ("450.50", 450.5), ("12", 12), (" 7,5 ", 7.5)])
def test_german_numbers_typed_in_the_browser(typed, value):
    form = make(field("number", "betrag"))
    assert form.validate(MultiDict({"betrag": typed}), from_html=True) == ({"betrag": value}, {})


def test_json_numbers_keep_the_machine_format():
    form = make(field("number", "betrag"))
    assert form.validate({"betrag": "1.234"}) == ({"betrag": 1.234}, {})


def test_rules_refuse_contradictions_and_implausible_dates():
    form = make(field("datetime", "geboren", subtype="date",
                      properties={"zsa:validate": "=date(geboren) <= today()",
                                  "zsa:validate-message": "Nicht in der Zukunft."}),
                field("datetime", "zahlung", subtype="date",
                      properties={"zsa:validate": "=date(zahlung) >= date(antragsdatum)",
                                  "zsa:validate-message": "Nicht vor dem Antrag."}))
    errors = form.validate({"geboren": "2999-01-01", "zahlung": "2020-03-01"}, context={"antragsdatum": "2026-03-02"})[1]
    assert errors == {"geboren": "Nicht in der Zukunft.", "zahlung": "Nicht vor dem Antrag."}
    assert form.validate({"geboren": "2020-01-01", "zahlung": "2026-04-01"}, context={"antragsdatum": "2026-03-02"})[1] == {}
    assert form.validate({})[1] == {}  # empty fields and missing case data: null, no error


def test_rules_of_hidden_fields_do_not_apply_and_hidden_values_do_not_count():
    form = make(field("checkbox", "vollstaendig", defaultValue=False),
                field("checklist", "fehlend", values=[{"label": "A", "value": "a"}],
                      conditional={"hide": "=vollstaendig"},
                      properties={"zsa:validate": "=count(fehlend) > 0",
                                  "zsa:validate-message": "Bitte fehlende Nachweise ankreuzen."}))
    assert form.validate({"vollstaendig": False, "fehlend": []})[1] == {"fehlend": "Bitte fehlende Nachweise ankreuzen."}
    assert form.validate({"vollstaendig": True})[1] == {}
    assert form.validate({"vollstaendig": False, "fehlend": ["a"]}) == ({"vollstaendig": False, "fehlend": ["a"]}, {})


@pytest.mark.parametrize("properties, message", [
    ({"zsa:format": "bic"}, "unknown zsa:format"),
    ({"zsa:validate": "=x > 1"}, "zsa:validate-message"),
    ({"zsa:validate-message": "Text"}, "without 'zsa:validate'"),
    ({"zsa:validate": "=x >", "zsa:validate-message": "Text"}, "not a valid FEEL expression"),
])
def test_broken_check_properties_are_refused_with_the_line(properties, message):
    with pytest.raises(ModelError, match=re.escape(message)):
        make(field("textfield", "x", properties=properties))


CONDITIONAL = make(field("select", "befreiung", values=[{"label": "keine", "value": "keine"},
                                                         {"label": "Wachhund", "value": "wachhund"}],
                         defaultValue="keine"),
                   field("textfield", "nachweis", conditional={"hide": '=befreiung = "keine"'}))


def _context(html):
    match = re.search(r'<script type="application/json" class="zsa-form-context">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_the_browser_gets_the_fields_and_the_case_data_its_conditions_read():
    html = str(make(field("textfield", "a", conditional={"hide": "=status = \"x\""})).render(
        {"status": "</script><script>alert(1)</script>", "geheim": "nicht nötig"}, {}))
    data = _context(html)
    assert data["data"] == {"status": "</script><script>alert(1)</script>"}  # only what conditions name
    assert html.count("</script>") == 1  # the value cannot end the data block
    assert data["fields"] == [{"name": "a", "path": ["a"], "type": "textfield", "conditional": True, "options": None}]


def test_hidden_fields_are_drawn_disabled_and_the_shown_ones_listed():
    html = str(CONDITIONAL.render({}, {}))
    wrapper = re.search(r'<div[^>]*data-zsa-hide="=befreiung = &#34;keine&#34;"[^>]*>', html).group(0)
    assert " hidden" in wrapper
    assert re.search(r'<input[^>]*name="nachweis"[^>]*disabled', html)
    assert f'name="{SHOWN_FIELD}" value=""' in html
    shown = str(CONDITIONAL.render({"befreiung": "wachhund"}, {}))
    assert f'name="{SHOWN_FIELD}" value="nachweis"' in shown


def test_a_submission_that_shows_fields_not_seen_yet_is_drawn_again():
    unseen = MultiDict({"befreiung": "wachhund", SHOWN_FIELD: ""})
    assert CONDITIONAL.newly_shown(unseen) == ["nachweis"]
    assert CONDITIONAL.newly_shown(MultiDict({"befreiung": "wachhund", SHOWN_FIELD: "nachweis"})) == []
    assert CONDITIONAL.newly_shown(MultiDict({"befreiung": "keine", SHOWN_FIELD: ""})) == []
    assert CONDITIONAL.newly_shown({"befreiung": "wachhund"}) == []  # not from a drawn form (JSON API)


def test_error_summary_links_every_error_to_its_field():
    form = make(field("textfield", "name", validate={"required": True}),
                field("radio", "art", values=[{"label": "A", "value": "a"}], validate={"required": True}))
    html = str(form.error_summary(form.validate({})[1], first=[("zsa-kommune", "Kommune", "Pflichtfeld")]))
    assert "<h2" in html and "Es gibt ein Problem" in html
    assert re.findall(r'href="#([^"]+)"', html) == ["zsa-kommune", "zsa-name", "zsa-art-1"]


def test_the_page_after_an_error_summary_stays_html():
    form = make(field("textfield", "name", validate={"required": True}))
    html = str(form.render({}, form.validate({})[1]))
    assert '<p class="zsa-required-note">' in html and "&lt;" not in html
