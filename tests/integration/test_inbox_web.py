"""Inbox pages through the Flask test client: list, task, case, new case — scoped per role."""
import re

import pytest

from inbox_support import HALLE, MAGDEBURG, login, seed_people
from zsa_flow.services.inbox import rechenwege
from zsa_flow.web import create_app

START = {"antragsteller_name": "Erika Mustermann", "anzahl": 1}


@pytest.fixture
def app(zsa, test_library):
    zsa.deploy(test_library)
    seed_people(zsa)
    return create_app({"PLATFORM": zsa, "TESTING": True, "SECRET_KEY": "test"})


@pytest.fixture
def cases(zsa, app):
    """Two Magdeburg cases and one Halle case, each waiting in 'Antrag prüfen'."""
    return {
        "md1": zsa.start_case("antrag", MAGDEBURG, START, actor="anna"),
        "md2": zsa.start_case("antrag", MAGDEBURG, {"antragsteller_name": "Max Muster", "anzahl": 2}, actor="anna"),
        "ha1": zsa.start_case("antrag", HALLE, {"antragsteller_name": "Hanna Hallenser", "anzahl": 1}, actor="anna"),
    }


def _client(app, username):
    client = app.test_client()
    client.csrf = login(client, username)
    return client


def _task(zsa, number):
    return zsa.tasks(case=number)[0]


def _text(response):
    return response.get_data(as_text=True)


def _count(html, label):
    match = re.search(re.escape(label) + r'\s*<span class="zsa-count">(\d+)</span>', html)
    assert match, label
    return int(match.group(1))


def test_list_tabs_counts_search_and_scope(app, zsa, cases):
    anna = _client(app, "anna")
    html = _text(anna.get("/aufgaben?ansicht=alle"))
    assert _count(html, "Gruppenaufgaben") == 3 and _count(html, "Meine Aufgaben") == 0
    assert all(number in html for number in cases.values())
    zsa.claim(_task(zsa, cases["md1"])["id"], "anna")
    html = _text(anna.get("/aufgaben"))  # default tab: mine, as anna now has a task
    assert _count(html, "Meine Aufgaben") == 1 and _count(html, "Nicht zugewiesen") == 2
    assert cases["md1"] in html and cases["md2"] not in html
    found = _text(anna.get("/aufgaben?ansicht=alle&suche=hallenser"))
    assert cases["ha1"] in found and cases["md1"] not in found
    found = _text(anna.get(f"/aufgaben?ansicht=alle&suche={cases['md2'].lower()}"))
    assert cases["md2"] in found and cases["md1"] not in found
    found = _text(anna.get(f"/aufgaben?ansicht=alle&kommune={HALLE}"))
    assert cases["ha1"] in found and cases["md1"] not in found
    hal = _client(app, "hal")  # a Halle clerk (ordnungsamt) is no candidate for 'Antrag prüfen'
    html = _text(hal.get(f"/aufgaben?ansicht=alle&kommune={MAGDEBURG}"))
    assert _count(html, "Alle") == 0 and cases["md1"] not in html


def test_overdue_tab_and_highlight(app, zsa, cases, clock):
    from datetime import timedelta

    clock.advance(timedelta(days=6))  # 'Antrag prüfen' is due after five days
    html = _text(_client(app, "anna").get("/aufgaben?ansicht=ueberfaellig"))
    assert _count(html, "Überfällig") == 3
    assert 'class="zsa-overdue zsa-follow-up"' in html and "überfällig</span>" in html


def test_claim_invalid_input_draft_complete_then_clerk_sees_decision(app, zsa, cases):
    anna, task = _client(app, "anna"), _task(zsa, cases["md1"])
    page = _text(anna.get(f"/aufgaben/{task['id']}"))
    assert "Übernehmen" in page and 'name="_aktion"' not in page  # read-only until claimed
    assert anna.post(f"/aufgaben/{task['id']}/uebernehmen", data={"csrf_token": anna.csrf}).status_code == 302
    bad = anna.post(f"/aufgaben/{task['id']}", data={"csrf_token": anna.csrf, "_aktion": "abschliessen",
                                                     "ergebnis": "vollstaendig", "transponder_nr": "27609812345678",
                                                     "anzahl": "1"})
    html = _text(bad)
    assert bad.status_code == 422
    assert re.search(r'id="zsa-transponder_nr-error">.*Ungültiges Format', html)
    assert 'value="27609812345678"' in html and 'aria-invalid="true"' in html
    anna.post(f"/aufgaben/{task['id']}", data={"csrf_token": anna.csrf, "_aktion": "speichern",
                                               "transponder_nr": "276098123456789"})
    assert zsa.task(task["id"])["draft"] == {"transponder_nr": "276098123456789"}
    assert 'value="276098123456789"' in _text(anna.get(f"/aufgaben/{task['id']}"))
    done = anna.post(f"/aufgaben/{task['id']}", data={"csrf_token": anna.csrf, "_aktion": "abschliessen",
                                                      "ergebnis": "vollstaendig", "transponder_nr": "276098123456789",
                                                      "anzahl": "1"})
    assert done.status_code == 302 and zsa.task(task["id"])["state"] == "completed"
    mia = _client(app, "mia")
    html = _text(mia.get("/aufgaben?ansicht=gruppe"))
    assert "Bescheid erlassen" in html and cases["md1"] in html
    assert "Bescheid erlassen" not in _text(_client(app, "hal").get("/aufgaben?ansicht=alle"))


def test_complete_needs_claim_and_conflicting_claim_is_reported(app, zsa, cases):
    anna, tom, task = _client(app, "anna"), _client(app, "tom"), _task(zsa, cases["md1"])
    response = anna.post(f"/aufgaben/{task['id']}", data={"csrf_token": anna.csrf, "_aktion": "abschliessen",
                                                          "ergebnis": "vollstaendig"})
    assert response.status_code == 409 and "Bitte übernehmen Sie die Aufgabe zuerst" in _text(response)
    assert zsa.task(task["id"])["state"] == "open"
    zsa.claim(task["id"], "tom")
    anna.post(f"/aufgaben/{task['id']}/uebernehmen", data={"csrf_token": anna.csrf})
    assert "wird bereits von tom bearbeitet" in _text(anna.get(f"/aufgaben/{task['id']}"))
    assert zsa.task(task["id"])["assignee"] == "tom"
    tom.post(f"/aufgaben/{task['id']}/zuweisen", data={"csrf_token": tom.csrf, "bearbeitung": "mia"})
    assert zsa.task(task["id"])["assignee"] == "tom"  # mia is no candidate for this task
    tom.post(f"/aufgaben/{task['id']}/zuweisen", data={"csrf_token": tom.csrf, "bearbeitung": "anna"})
    assert zsa.task(task["id"])["assignee"] == "anna"
    anna.post(f"/aufgaben/{task['id']}/zuweisen", data={"csrf_token": anna.csrf, "bearbeitung": "anna"})
    assert any(e["type"] == "task_assigned" and e["actor"] == "tom" for e in zsa.events(cases["md1"]))


def test_foreign_case_and_task_are_not_found(app, zsa, cases):
    hal = _client(app, "hal")
    foreign = hal.get(f"/vorgaenge/{cases['md1']}")
    missing = hal.get("/vorgaenge/TEST-2026-999999")
    assert foreign.status_code == missing.status_code == 404
    assert _text(foreign).replace(cases["md1"], "X") == _text(missing).replace("TEST-2026-999999", "X")
    assert hal.get(f"/vorgaenge/{cases['md1']}/diagramm.json").status_code == 404
    assert hal.get(f"/aufgaben/{_task(zsa, cases['md1'])['id']}").status_code == 404
    assert hal.post(f"/aufgaben/{_task(zsa, cases['md1'])['id']}/uebernehmen",
                    data={"csrf_token": hal.csrf}).status_code == 404
    assert zsa.task(_task(zsa, cases["md1"])["id"])["assignee"] is None


def test_auditor_reads_everything_but_changes_nothing(app, zsa, cases):
    paula, task = _client(app, "paula"), _task(zsa, cases["md1"])
    html = _text(paula.get("/aufgaben?ansicht=alle"))
    assert all(number in html for number in cases.values()) and "Übernehmen" not in html
    page = _text(paula.get(f"/aufgaben/{task['id']}"))
    assert "<form method=\"post\" action=\"/aufgaben" not in page and "<input" not in page.split("zsa-task-form")[1]
    case_page = _text(paula.get(f"/vorgaenge/{cases['md1']}"))
    assert "Erika Mustermann" in case_page and "Notiz speichern" not in case_page
    for url, data in ((f"/aufgaben/{task['id']}/uebernehmen", {}),
                      (f"/aufgaben/{task['id']}", {"_aktion": "abschliessen", "ergebnis": "abgelehnt"}),
                      (f"/vorgaenge/{cases['md1']}/notizen", {"text": "von Prüfung"})):
        assert paula.post(url, data={"csrf_token": paula.csrf, **data}).status_code == 403
    assert zsa.task(task["id"])["assignee"] is None and zsa.task(task["id"])["state"] == "open"
    assert not [e for e in zsa.events(cases["md1"]) if e["type"] == "note_added"]


def test_case_page_timeline_notes_diagram(app, zsa, cases):
    anna = _client(app, "anna")
    response = anna.post(f"/vorgaenge/{cases['md1']}/notizen",
                         data={"csrf_token": anna.csrf, "text": "Rückruf <script>alert(1)</script> vereinbart"})
    assert response.status_code == 302
    html = _text(anna.get(f"/vorgaenge/{cases['md1']}"))
    assert "Rückruf &lt;script&gt;alert(1)&lt;/script&gt; vereinbart" in html and "<script>alert" not in html
    assert "Vorgang angelegt" in html and "Aufgabe <em>Antrag prüfen</em> erstellt" in html
    assert "Notiz hinzugefügt" in html
    assert "Antrag prüfen" in html and 'data-source="/vorgaenge/' in html
    assert "<script>" not in html.replace('<script src=', '')  # only external scripts (CSP)
    diagram = anna.get(f"/vorgaenge/{cases['md1']}/diagramm.json").get_json()
    assert diagram["xml"].lstrip().startswith("<?xml") and 'id="antrag"' in diagram["xml"]
    assert diagram["active"] == ["Pruefen"] and "Start_papier" in diagram["completed"]
    assert anna.post(f"/vorgaenge/{cases['md1']}/notizen", data={"text": "ohne Token"}).status_code == 400


def test_new_case_from_start_form(app, zsa):
    hal = _client(app, "hal")
    page = _text(hal.get("/vorgaenge/neu?prozess=antrag"))
    assert "Halle (Saale)" in page and "Magdeburg" not in page
    refused = hal.post("/vorgaenge/neu", data={"csrf_token": hal.csrf, "_prozess": "antrag", "_kommune": MAGDEBURG,
                                               "antragsteller_name": "Fremd", "anzahl": "1"})
    assert refused.status_code == 403 and "Kommune 15003000" in _text(refused) and not zsa.cases()
    unchosen = hal.post("/vorgaenge/neu", data={"csrf_token": hal.csrf, "_prozess": "antrag", "_kommune": "",
                                                "antragsteller_name": "Ohne", "anzahl": "1"})
    assert unchosen.status_code == 422 and "Bitte eine Kommune angeben" in _text(unchosen) and not zsa.cases()
    bad = hal.post("/vorgaenge/neu", data={"csrf_token": hal.csrf, "_prozess": "antrag", "_kommune": HALLE,
                                           "antragsteller_name": "", "anzahl": "12"})
    assert bad.status_code == 422 and "Pflichtfeld" in _text(bad) and 'value="12"' in _text(bad)
    good = hal.post("/vorgaenge/neu", data={"csrf_token": hal.csrf, "_prozess": "antrag", "_kommune": HALLE,
                                            "antragsteller_name": "Hanna Neu", "anzahl": "2"})
    number = zsa.cases()[0]["number"]
    assert good.status_code == 302 and good.headers["Location"].endswith(f"/vorgaenge/{number}")
    assert zsa.case(number)["kommune"] == HALLE and zsa.case(number)["data"]["anzahl"] == 2
    assert _client(app, "paula").get("/vorgaenge/neu").status_code == 403


def test_rechenweg_found_top_level_and_in_results():
    steps = [{"key": "satz", "label": "Jahressteuer", "value": "120.00", "ref": "§ 4 HStS"}]
    found = rechenwege({"rechenweg": steps, "steuer": {"jahressteuer": "120.00", "rechenweg": steps},
                        "andere": {"rechenweg": "kein Rechenweg"}, "wohngeld_ergebnis": {"rechenweg": steps},
                        "neues_ergebnis": {"rechenweg": steps}})
    assert [f["title"] for f in found] == ["Rechenweg", "Rechenweg Hundesteuer", "Rechenweg Wohngeld",
                                           "Rechenweg Neues Ergebnis"]
    assert found[1]["steps"] == [{"label": "Jahressteuer", "value": "120.00", "ref": "§ 4 HStS", "kind": None}]
    marked = rechenwege({"rechenweg": [{"key": "a", "value": "0.02", "kind": "number"},
                                       {"key": "x", "value": "1", "kind": "<script>"}]})
    assert [s["kind"] for s in marked[0]["steps"]] == ["number", None]  # only the kinds the display knows


def test_large_counts_are_capped_and_paged(app, zsa, cases, monkeypatch):
    from zsa_flow.services import inbox_queries

    monkeypatch.setattr(inbox_queries, "COUNT_CAP", 1)
    monkeypatch.setattr(inbox_queries, "SAMPLE", 2)
    monkeypatch.setattr(inbox_queries, "PAGE_SIZE", 1)
    page = inbox_queries.task_list(zsa, {"kommunen": [MAGDEBURG, HALLE]}, "anna", ["zsa-team"],
                                   inbox_queries.TaskListQuery(tab="all", page=9), zsa.clock.now())
    assert page.counts["all"] == page.counts["group"] == 2 and page.counts["mine"] == 0
    assert page.pages == 1 and page.page == 1 and len(page.rows) == 1


def test_as_is_variants_are_not_offered_for_casework(app, zsa, tmp_path):
    import shutil
    from pathlib import Path

    lib = tmp_path / "lib"
    shutil.copytree(Path(__file__).resolve().parent.parent / "fixtures" / "library", lib)
    bpmn = lib / "antrag.bpmn"
    bpmn.write_text(bpmn.read_text().replace('id="antrag" name="Testantrag"', 'id="antrag_asis" name="Ist-Ablauf"')
                    .replace('processRef="antrag"', 'processRef="antrag_asis"')
                    .replace('<camunda:property name="zsa:service" value="test" />',
                             '<camunda:property name="zsa:service" value="test" />'
                             '<camunda:property name="zsa:variant" value="as-is" />'))
    zsa.deploy([str(lib)])
    html = _text(_client(app, "anna").get("/vorgaenge/neu"))
    assert "Testantrag" in html and "Ist-Ablauf" not in html
    assert {p["process_id"]: p["variant"] for p in zsa.processes()} == {"antrag": "to-be", "antrag_asis": "as-is"}
