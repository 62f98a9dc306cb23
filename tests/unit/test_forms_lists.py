"""Dynamic lists (form-js `dynamiclist`): entries validated one by one, drawn with and without script."""
import json
import re
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from zsa_flow.errors import ModelError
from zsa_flow.forms import parse_form
from zsa_flow.forms.lists import ACTION

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "forms"
REQUIRED = "Pflichtfeld: bitte ausfüllen."


@pytest.fixture(scope="module")
def form():
    path = FIXTURES / "haushalt.form"
    return parse_form(path.read_bytes(), str(path))


def make(*components):
    return parse_form(json.dumps({"id": "Form_t", "type": "default", "components": list(components)}), "t.form")


def entries(page, name="mitglieder"):
    """How many entries of the list the page shows (the template's entry not counted)."""
    return len(re.findall(rf'data-zsa-prefix="{name}\.\d+\."', page))


def member(name="Erika", born="1980-02-01", **extra):
    return {"name": name, "geburtsdatum": born, **extra}


def test_list_is_one_field_with_an_entry_form(form):
    field = form.field("mitglieder")
    assert field.is_list and field.allow_add_remove and field.max_items == 6
    assert [f.name for f in field.item.fields] == ["name", "geburtsdatum", "beziehung", "behinderung", "einkommen",
                                                   "arten"]


def test_json_entries_become_a_list_of_objects(form):
    data = {"antragsteller": "Max", "mit_einkommen": True,
            "mitglieder": [member(einkommen=1200, beziehung="ehe", arten=[{"art": "Lohn"}]),
                           member("Paul", "2015-06-30", beziehung="kind")]}
    clean, errors = form.validate(data)
    assert errors == {}
    assert clean["mitglieder"] == [
        {"name": "Erika", "geburtsdatum": "1980-02-01", "beziehung": "ehe", "einkommen": 1200, "arten": [{"art": "Lohn"}]},
        {"name": "Paul", "geburtsdatum": "2015-06-30", "beziehung": "kind"}]  # absent: left out, as other fields
    assert "mitglieder" not in form.validate({"antragsteller": "Max"})[0]
    assert form.validate({"antragsteller": "Max", "mitglieder": None})[0]["mitglieder"] == []


def test_errors_name_the_entry(form):
    data = {"antragsteller": "Max", "mitglieder": [member(), {"name": "Paul"}, member(arten=[{"art": ""}])]}
    errors = form.validate(data)[1]
    assert errors == {
        "mitglieder.1.geburtsdatum": f"Haushaltsmitglieder, Eintrag 2: Geburtsdatum – {REQUIRED}",
        "mitglieder.2.arten.0.art": f"Haushaltsmitglieder, Eintrag 3: Einkommensarten, Eintrag 1: Art – {REQUIRED}",
    }


def test_conditions_see_the_entry_and_the_outer_data(form):
    data = {"antragsteller": "Max", "mit_einkommen": True,
            "mitglieder": [member(beziehung="kind", einkommen=-5), member(beziehung="ehe", einkommen=-5)]}
    errors = form.validate(data)[1]
    assert errors == {"mitglieder.1.einkommen": "Haushaltsmitglieder, Eintrag 2: Monatseinkommen (€) – Mindestens 0."}
    clean = form.validate({**data, "mit_einkommen": False, "mitglieder": [member(einkommen=5)]})[0]
    assert "einkommen" not in clean["mitglieder"][0]  # hidden by the outer checkbox


def test_limits_and_hostile_lists(form):
    too_many = {"antragsteller": "Max", "mitglieder": [member() for _ in range(7)]}
    assert form.validate(too_many)[1] == {"mitglieder": "Höchstens 6 Einträge."}
    huge = MultiDict({"antragsteller": "Max", "mitglieder.999999.name": "x"})
    assert form.validate(huge, from_html=True)[1] == {"mitglieder": "Höchstens 6 Einträge."}
    huge_count = MultiDict({"antragsteller": "Max", "_zsa_items.mitglieder": "100000"})
    assert form.validate(huge_count, from_html=True)[1] == {"mitglieder": "Höchstens 6 Einträge."}
    assert form.validate({"antragsteller": "Max", "mitglieder": "x"})[1] == {"mitglieder": "Ungültiger Wert."}
    assert form.validate({"antragsteller": "Max", "mitglieder": [["a"]]})[1] == {"mitglieder": "Ungültiger Wert."}
    errors = form.validate({"antragsteller": "Max", "mitglieder": [member(hacker="<script>")]})[1]
    assert errors == {"mitglieder.0.hacker": "Haushaltsmitglieder, Eintrag 1: Unbekanntes Feld."}
    errors = form.validate(MultiDict({"antragsteller": "Max", "mitglieder.x.name": "a"}), from_html=True)[1]
    assert errors == {"mitglieder.x.name": "Unbekanntes Feld."}


def test_min_items_and_list_nesting_depth():
    inner = {"type": "textfield", "key": "t", "id": "t"}
    assert make({"type": "dynamiclist", "path": "l", "id": "l", "components": [inner],
                 "properties": {"zsa:min-items": "2"}}).validate({"l": [{"t": "a"}]})[1] == {"l": "Mindestens 2 Einträge."}
    deep = inner
    for level in range(7):
        deep = {"type": "dynamiclist", "path": f"l{level}", "id": f"l{level}", "components": [deep]}
    with pytest.raises(ModelError, match="nested deeper than 5"):
        make(deep)
    with pytest.raises(ModelError, match="dynamiclist component has no 'path'"):
        make({"type": "dynamiclist", "id": "l", "components": [inner]})


def html(form, **pairs):
    data = MultiDict([("antragsteller", "Max")])
    for name, value in pairs.items():
        data.add(name.replace("__", "."), value)
    return data


def test_html_entries_and_count(form):
    post = html(form, mitglieder__0__name="Erika", mitglieder__0__geburtsdatum="01.02.1980",
                mitglieder__1__name="Paul", mitglieder__1__geburtsdatum="2015-06-30", mitglieder__1__behinderung="on")
    post.add("_zsa_items.mitglieder", "3")  # a third entry with nothing typed in
    post.add("mitglieder.0._zsa_items.arten", "0")  # the first entry's own list, drawn without entries
    clean, errors = form.validate(post, from_html=True)
    assert clean["mitglieder"][0] == {"name": "Erika", "geburtsdatum": "1980-02-01", "behinderung": False, "arten": []}
    assert clean["mitglieder"][1]["behinderung"] is True
    assert errors == {"mitglieder.2.name": f"Haushaltsmitglieder, Eintrag 3: Name – {REQUIRED}",
                      "mitglieder.2.geburtsdatum": f"Haushaltsmitglieder, Eintrag 3: Geburtsdatum – {REQUIRED}"}


def test_render_entries_buttons_and_template(form):
    page = str(form.render({"mitglieder": [member(), member("Paul")]}, {}))
    assert entries(page) == 2
    assert 'name="mitglieder.1.name"' in page and 'value="Paul"' in page
    assert f'name="{ACTION}" value="add:mitglieder" formnovalidate>Eintrag hinzufügen</button>' in page
    assert 'value="remove:mitglieder.1" formnovalidate>Eintrag 2 entfernen</button>' in page
    assert '<template class="zsa-entry-template">' in page and 'name="mitglieder.__INDEX__.name"' in page
    assert 'name="_zsa_items.mitglieder" value="2"' in page
    assert 'name="mitglieder.1._zsa_items.arten" value="0"' in page  # an entry's own list counts inside it
    assert 'name="mitglieder.__INDEX__._zsa_items.arten"' in page
    assert page.count('id="zsa-mitglieder-1-name"') == 1


def test_render_without_data_shows_default_repetitions_and_errors(form):
    page = str(form.render({}, {"mitglieder.0.name": "Haushaltsmitglieder, Eintrag 1: Name – " + REQUIRED}))
    assert entries(page) == 1
    assert 'aria-invalid="true"' in page and "Eintrag 1: Name – Pflichtfeld" in page
    summary = str(form.error_summary({"mitglieder.0.name": "Haushaltsmitglieder, Eintrag 1: Name – " + REQUIRED}))
    assert 'href="#zsa-mitglieder-0-name"' in summary and "Haushaltsmitglieder, Eintrag 1: Name" in summary


def test_no_script_add_and_remove_keep_the_input(form):
    post = html(form, mitglieder__0__name="Erika", mitglieder__1__name="Paul", mitglieder__2__name="Ida")
    post.add(ACTION, "remove:mitglieder.1")
    fields = form.list_action(post)
    assert {k: v for k, v in fields.items() if k.startswith("mitglieder")} == {
        "mitglieder.0.name": "Erika", "mitglieder.1.name": "Ida"}
    assert fields["_zsa_items.mitglieder"] == "2" and fields["antragsteller"] == "Max"
    page = str(form.render({}, {}, submitted=fields))
    assert entries(page) == 2 and 'value="Ida"' in page and "Paul" not in page
    fields[ACTION] = "add:mitglieder"
    added = form.list_action(MultiDict(fields))
    assert added["_zsa_items.mitglieder"] == "3"
    assert entries(str(form.render({}, {}, submitted=added))) == 3
    assert form.list_action(MultiDict({"antragsteller": "x"})) is None


def test_markup_in_labels_and_values_is_escaped():
    form = make({"type": "dynamiclist", "path": "l", "id": "l", "label": "<b>Liste</b>", "allowAddRemove": True,
                 "components": [{"type": "textfield", "key": "t", "id": "t", "label": "<script>x</script>"}]})
    page = str(form.render({"l": [{"t": "\"><img src=x onerror=alert(1)>"}]}, {}))
    assert "<script>x" not in page and "<b>Liste" not in page and "<img" not in page
    assert "&lt;b&gt;Liste&lt;/b&gt;" in page


def test_readonly_lists_show_values():
    form = make({"type": "dynamiclist", "path": "l", "id": "l", "label": "Kinder",
                 "components": [{"type": "textfield", "key": "t", "id": "t", "label": "Name"}]})
    page = str(form.render({"l": [{"t": "Ida"}, {"t": "Paul"}]}, {}, readonly=True))
    assert "<dd>Ida</dd>" in page and "<dd>Paul</dd>" in page and "<input" not in page
    assert "Keine Einträge" in str(form.render({}, {}, readonly=True))


def test_this_is_the_form_data_outside_and_the_entry_inside_a_list():
    form = make({"type": "checkbox", "key": "aus", "id": "aus"},
                {"type": "dynamiclist", "path": "l", "id": "l", "conditional": {"hide": "=this.aus"},
                 "components": [{"type": "checkbox", "key": "leer", "id": "leer"},
                                {"type": "number", "key": "n", "id": "n", "validate": {"required": True},
                                 "conditional": {"hide": "=this.leer"}}]})
    assert form.validate({"aus": True, "l": [{}]}) == ({"aus": True}, {})
    assert form.validate({"l": [{"leer": True}, {}]})[1] == {"l.1.n": "l, Eintrag 2: n – Pflichtfeld: bitte ausfüllen."}


def test_min_items_are_drawn_and_cannot_be_removed():
    form = make({"type": "dynamiclist", "path": "l", "id": "l", "allowAddRemove": True, "defaultRepetitions": 1,
                 "properties": {"zsa:min-items": "2", "zsa:max-items": "2"},
                 "components": [{"type": "textfield", "key": "t", "id": "t"}]})
    page = str(form.render({}, {}))
    assert entries(page, "l") == 2 and "remove:l." not in page.split("<template")[0]
    assert 'data-zsa-min="2" data-zsa-max="2"' in page and 'value="add:l" formnovalidate disabled' in page
