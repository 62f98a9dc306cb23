"""form-js components beyond plain inputs: table, expression, FEEL-valued properties, valuesExpression."""
import json

import pytest

from zsa_flow.errors import ModelError
from zsa_flow.forms import parse_form


def make(*components):
    return parse_form(json.dumps({"id": "Form_t", "type": "default", "components": list(components)}), "t.form")


def text(key, **extra):
    return {"type": "textfield", "key": key, "id": f"Field_{key}", "label": key.capitalize(), **extra}


def number(key, **extra):
    return {"type": "number", "key": key, "id": f"Field_{key}", "label": key.capitalize(), **extra}


# ---------------------------------------------------------------- expression


def test_expression_value_is_computed_on_the_server_and_never_taken_from_the_client():
    form = make(number("miete"), number("personen"),
                {"type": "expression", "key": "pro_kopf", "id": "e1", "expression": "=miete / personen",
                 "computeOn": "presubmit"},
                {"type": "expression", "key": "hoch", "id": "e2", "expression": "=pro_kopf > 400"})
    clean, errors = form.validate({"miete": 900, "personen": 2, "pro_kopf": 1, "hoch": False})
    assert errors == {} and clean == {"miete": 900, "personen": 2, "pro_kopf": 450, "hoch": True}
    clean, errors = form.validate({"miete": "1000", "personen": "3", "pro_kopf": "0"}, from_html=True)
    assert clean["pro_kopf"] == pytest.approx(333.3333333) and clean["hoch"] is False
    assert form.validate({"miete": 900})[0]["pro_kopf"] is None  # null, as form-js


def test_expression_is_hidden_with_its_condition_and_not_rendered():
    form = make(number("a"), {"type": "expression", "key": "doppelt", "id": "e", "expression": "=a * 2",
                              "conditional": {"hide": "=a = null"}})
    assert form.validate({})[0] == {}
    assert form.validate({"a": 2})[0] == {"a": 2, "doppelt": 4}
    assert "doppelt" not in str(form.render({"a": 2}, {}))


@pytest.mark.parametrize("component, needle", [
    ({"type": "expression", "key": "x", "id": "e"}, "has no 'expression'"),
    ({"type": "expression", "key": "x", "id": "e", "expression": "=1 +"}, "not a valid FEEL expression"),
    ({"type": "expression", "key": "x", "id": "e", "expression": "=1", "computeOn": "later"}, "unknown computeOn"),
])
def test_broken_expressions_are_refused(component, needle):
    with pytest.raises(ModelError, match=needle):
        make(component)


# ---------------------------------------------------------------- FEEL-valued properties


def test_feel_valued_limits_are_evaluated_against_the_form_data():
    form = make(number("kinder"), number("betten", validate={"min": "=kinder + 1", "max": "=kinder * 2 + 2"}),
                text("name", validate={"minLength": "=if kinder > 0 then 3 else 1", "maxLength": "=5"}))
    assert form.validate({"kinder": 2, "betten": 2})[1] == {"betten": "Mindestens 3."}
    assert form.validate({"kinder": 2, "betten": 7})[1] == {"betten": "Höchstens 6."}
    assert form.validate({"kinder": 2, "betten": 4, "name": "Al"})[1] == {"name": "Mindestens 3 Zeichen."}
    assert form.validate({"kinder": 0, "betten": 1, "name": "Al"})[1] == {}
    assert form.validate({"kinder": 0, "name": "Langer Name"})[1] == {"name": "Höchstens 5 Zeichen."}
    assert form.validate({"betten": 1})[1] == {}  # a limit that evaluates to null does not apply
    page = str(form.render({"kinder": 0}, {}))
    assert 'minlength="1"' in page and 'maxlength="5"' in page


def test_feel_valued_label_description_and_readonly():
    form = make(text("art"), text("betrag", label='="Betrag für " + art', description='="Stand: " + art',
                                  readonly="=art = \"fest\""))
    page = str(form.render({"art": "<b>Miete</b>"}, {}))
    assert "Betrag für &lt;b&gt;Miete&lt;/b&gt;" in page and "Stand: &lt;b&gt;Miete" in page
    assert "<b>Miete" not in page
    assert 'readonly' in str(form.render({"art": "fest"}, {})).split('name="betrag"')[1].split(">")[0]
    assert form.validate({"art": "fest", "betrag": "x"}, context={"art": "fest"})[1] == {
        "betrag": "Dieses Feld kann nicht geändert werden."}


def test_values_expression_with_conditionals():
    form = make(text("land"), {"type": "select", "key": "stadt", "id": "s", "label": "Stadt",
                               "valuesExpression": '=if land = "ST" then [{"label": "Magdeburg", "value": "md"}, '
                                                   '{"label": "Halle (Saale)", "value": "hal"}] else ["Berlin"]'})
    assert form.validate({"land": "ST", "stadt": "hal"}) == ({"land": "ST", "stadt": "hal"}, {})
    assert form.validate({"land": "BE", "stadt": "hal"})[1] == {"stadt": "Bitte eine der angebotenen Optionen wählen."}
    assert form.validate({"land": "BE", "stadt": "Berlin"})[1] == {}
    page = str(form.render({"land": "ST"}, {}))
    assert '<option value="hal">Halle (Saale)</option>' in page


def test_disabled_stays_static_as_in_form_js():
    form = make(text("a", disabled="=true"))
    assert form.field("a").disabled is False


# ---------------------------------------------------------------- table


def test_table_from_a_feel_data_source_and_static_columns():
    form = make({"type": "table", "id": "t", "label": "Mitglieder <i>", "dataSource": "=mitglieder",
                 "rowCount": 2, "columns": [{"label": "Name", "key": "name"}, {"label": "Einkommen", "key": "eur"},
                                            {"label": "Geboren", "key": "geb"}]})
    rows = [{"name": "<script>x</script>", "eur": 1234.5, "geb": "1980-02-01"}, {"name": "Paul", "eur": 0}]
    page = str(form.render({"mitglieder": rows}, {}))
    assert "<caption>Mitglieder &lt;i&gt;</caption>" in page and '<th scope="col">Einkommen</th>' in page
    assert "<td>&lt;script&gt;x&lt;/script&gt;</td><td>1234,5</td><td>01.02.1980</td>" in page
    assert 'data-zsa-row-count="2"' in page
    assert form.fields == [] and form.validate({}) == ({}, {})  # read-only: no input
    assert "Keine Einträge" in str(form.render({}, {}))


def test_table_from_a_data_path_with_columns_expression():
    form = make({"type": "table", "id": "t", "label": "Posten", "dataSource": "bescheid.posten",
                 "columnsExpression": '=[{"label": "Art", "key": "art"}]'})
    page = str(form.render({"bescheid": {"posten": [{"art": "Miete", "x": 1}]}}, {}))
    assert '<th scope="col">Art</th>' in page and "<td>Miete</td>" in page and "<td>1</td>" not in page


@pytest.mark.parametrize("component, needle", [
    ({"type": "table", "id": "t", "columns": [{"label": "A", "key": "a"}]}, "has no 'dataSource'"),
    ({"type": "table", "id": "t", "dataSource": "=x"}, "neither 'columns' nor 'columnsExpression'"),
    ({"type": "table", "id": "t", "dataSource": "=x", "columns": [{"label": "A"}]}, "needs a 'key'"),
    ({"type": "table", "id": "t", "dataSource": "=x", "columns": [{"key": "a"}], "rowCount": 0}, "'rowCount'"),
    ({"type": "table", "id": "t", "dataSource": "a b", "columns": [{"key": "a"}]}, "neither a FEEL expression"),
])
def test_broken_tables_are_refused(component, needle):
    with pytest.raises(ModelError, match=needle):
        make(component)


# ---------------------------------------------------------------- refused components


@pytest.mark.parametrize("ctype", ["iframe", "multipage", "page"])  # filepicker, documentPreview: forms/documents.py
def test_unsupported_components_are_refused_by_name(ctype):
    with pytest.raises(ModelError) as err:
        make({"type": ctype, "id": "Comp_1", "key": "datei"})
    assert err.value.message == f"t.form:1: Comp_1 (key 'datei'): component type '{ctype}' is not supported by zsa-flow"
