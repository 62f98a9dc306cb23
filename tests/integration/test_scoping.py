"""Scoping matrix: role × action × own/foreign Kommune through the Flask test client, real engine and DB.

Each person logs in through the login form and uses /api/v1 with the session (X-CSRF-Token header).
ZSA roles work on the 'Antrag prüfen' task (candidate group zsa-team), municipal clerks on
'Bescheid erlassen' (lane ordnungsamt).
"""
import pytest

from webauth import add_user, api_post, login, make_app

MD, HA, DE = "15003000", "15002000", "15001000"
MISSING_CASE = "TEST-2026-999999"
MISSING_TASK = "00000000-0000-0000-0000-000000000000"

PEOPLE = {  # username: (roles, groups, kommunen, own Kommune, foreign Kommune, task the person works on)
    "anna": (["zsa-sachbearbeitung"], ["zsa-team"], [MD, DE], MD, HA, "pruefen"),
    "tom": (["zsa-teamleitung"], [], [MD, DE], MD, HA, "pruefen"),
    "mia": (["kommune"], ["ordnungsamt"], [MD], MD, HA, "entscheiden"),
    "hans": (["kommune"], ["ordnungsamt"], [HA], HA, MD, "entscheiden"),
    "paula": (["pruefung"], [], [MD, DE], MD, HA, "pruefen"),
    "pia": (["prozessverantwortung"], [], [MD, DE], MD, HA, "pruefen"),
}

OK, FORBIDDEN, HIDDEN = "ok", 403, 404
# Expected outcome per person for (own Kommune, foreign Kommune); "ok" = 200 (201 for starting).
EXPECT = {
    "list_tasks": {"anna": (True, False), "tom": (True, False), "mia": (True, False), "hans": (True, False),
                   "paula": (True, False), "pia": (True, False)},
    "view_case": {p: (OK, HIDDEN) for p in PEOPLE},
    "view_task": {p: (OK, HIDDEN) for p in PEOPLE},
    "claim": {"anna": (OK, HIDDEN), "tom": (OK, HIDDEN), "mia": (OK, HIDDEN), "hans": (OK, HIDDEN),
              "paula": (FORBIDDEN, FORBIDDEN), "pia": (FORBIDDEN, HIDDEN)},
    "complete": {"anna": (OK, HIDDEN), "tom": (OK, HIDDEN), "mia": (OK, HIDDEN), "hans": (OK, HIDDEN),
                 "paula": (FORBIDDEN, FORBIDDEN), "pia": (FORBIDDEN, HIDDEN)},
    "start_case": {"anna": (OK, FORBIDDEN), "tom": (OK, FORBIDDEN), "mia": (OK, FORBIDDEN),
                   "hans": (OK, FORBIDDEN), "paula": (FORBIDDEN, FORBIDDEN), "pia": (FORBIDDEN, FORBIDDEN)},
    "deliver_message": {"anna": (OK, HIDDEN), "tom": (OK, HIDDEN), "mia": (OK, HIDDEN), "hans": (OK, HIDDEN),
                        "paula": (FORBIDDEN, FORBIDDEN), "pia": (FORBIDDEN, HIDDEN)},
    "assign": {"anna": (FORBIDDEN, HIDDEN), "tom": (OK, HIDDEN), "mia": (FORBIDDEN, HIDDEN),
               "hans": (FORBIDDEN, HIDDEN), "paula": (FORBIDDEN, FORBIDDEN), "pia": (FORBIDDEN, HIDDEN)},
}
FORM_DATA = {"pruefen": {"ergebnis": "abgelehnt"}, "entscheiden": {"bescheid_erlassen": True}}


def _task_of(zsa, number, task_def):
    return next(t for t in zsa.tasks(case=number) if t["task_def"] == task_def.capitalize())


@pytest.fixture
def world(zsa, test_library):
    """Per Kommune (MD, HA): a case at 'Pruefen', one at 'Entscheiden', one waiting for documents."""
    zsa.deploy(test_library)
    for username, (roles, groups, kommunen, *_rest) in PEOPLE.items():
        add_user(zsa, username, roles, groups, kommunen)
    cases = {}
    for ags in (MD, HA):
        pruefen = zsa.start_case("antrag", ags, {"antragsteller_name": f"Pruefen {ags}"})
        entscheiden = zsa.start_case("antrag", ags, {"antragsteller_name": f"Entscheiden {ags}"})
        zsa.complete(_task_of(zsa, entscheiden, "pruefen")["id"], {"ergebnis": "vollstaendig", "anzahl": 1}, "x")
        waiting = zsa.start_case("antrag", ags, {"antragsteller_name": f"Wartet {ags}"})
        zsa.complete(_task_of(zsa, waiting, "pruefen")["id"], {"ergebnis": "unvollstaendig"}, "x")
        cases[ags] = {"pruefen": pruefen, "entscheiden": entscheiden, "waiting": waiting}
    return cases


@pytest.fixture
def app(zsa):
    return make_app(zsa)


def _target(zsa, world, person, side):
    *_, own, foreign, task_def = PEOPLE[person]
    ags = own if side == "own" else foreign
    number = world[ags][task_def]
    return ags, number, _task_of(zsa, number, task_def)


def _status(expected):
    return {OK: (200, 201)}.get(expected, (expected,))


ACTIONS = [a for a in EXPECT if a != "list_tasks"]


@pytest.mark.parametrize("side", ["own", "foreign"])
@pytest.mark.parametrize("person", list(PEOPLE))
def test_list_tasks_shows_only_tasks_in_scope(zsa, world, app, person, side):
    client = app.test_client()
    assert login(client, person).status_code == 302
    ags, number, task = _target(zsa, world, person, side)
    response = client.get("/api/v1/tasks")
    assert response.status_code == 200
    listed = {t["id"] for t in response.json}
    assert (task["id"] in listed) is EXPECT["list_tasks"][person][0 if side == "own" else 1]
    served = PEOPLE[person][2]
    assert all(t["kommune"] in served for t in response.json)


@pytest.mark.parametrize("side", ["own", "foreign"])
@pytest.mark.parametrize("person", list(PEOPLE))
@pytest.mark.parametrize("action", ACTIONS)
def test_action_matrix(zsa, world, app, person, side, action):
    client = app.test_client()
    assert login(client, person).status_code == 302
    ags, number, task = _target(zsa, world, person, side)
    expected = EXPECT[action][person][0 if side == "own" else 1]
    before = zsa.case(world[ags]["waiting"] if action == "deliver_message" else number)
    if action == "view_case":
        response = client.get(f"/api/v1/cases/{number}")
        missing = client.get(f"/api/v1/cases/{MISSING_CASE}")
    elif action == "view_task":
        response = client.get(f"/api/v1/tasks/{task['id']}")
        missing = client.get(f"/api/v1/tasks/{MISSING_TASK}")
    elif action == "claim":
        response = api_post(client, f"/api/v1/tasks/{task['id']}/claim")
        missing = api_post(client, f"/api/v1/tasks/{MISSING_TASK}/claim")
    elif action == "complete":  # on a task the person has claimed (if allowed to at all)
        if expected == OK:
            assert api_post(client, f"/api/v1/tasks/{task['id']}/claim").status_code == 200
            before = zsa.case(number)
        response = api_post(client, f"/api/v1/tasks/{task['id']}/complete", {"data": FORM_DATA[PEOPLE[person][5]]})
        missing = api_post(client, f"/api/v1/tasks/{MISSING_TASK}/complete", {"data": {}})
    elif action == "start_case":
        response = api_post(client, "/api/v1/cases",
                            {"process": "antrag", "kommune": ags, "data": {"antragsteller_name": "Neu"}})
        missing = None
    elif action == "deliver_message":
        response = api_post(client, f"/api/v1/cases/{world[ags]['waiting']}/messages",
                            {"name": "unterlagen_eingegangen", "data": {}})
        missing = api_post(client, f"/api/v1/cases/{MISSING_CASE}/messages", {"name": "unterlagen_eingegangen"})
    else:  # assign: to the acting person (who may work it when allowed to assign at all)
        response = api_post(client, f"/api/v1/tasks/{task['id']}/assign", {"assignee": person})
        missing = api_post(client, f"/api/v1/tasks/{MISSING_TASK}/assign", {"assignee": person})

    assert response.status_code in _status(expected), response.json
    if expected == HIDDEN:
        # no existence leak: a foreign object answers byte for byte like a missing one
        assert response.data == missing.data
        assert missing.status_code == 404
    if expected in (HIDDEN, FORBIDDEN) and action != "start_case":
        after = zsa.case(world[ags]["waiting"] if action == "deliver_message" else number)
        assert after["tasks"] == before["tasks"] and after["state"] == before["state"]
        assert zsa.events(after["number"])[-1] == zsa.events(before["number"])[-1]
    if expected in (HIDDEN, FORBIDDEN) and action == "start_case":
        assert not [c for c in zsa.cases(kommune=ags) if c["data"].get("antragsteller_name") == "Neu"]
    if expected == OK and action == "claim":
        assert zsa.task(task["id"])["assignee"] == person
    if expected == OK and action == "complete":
        assert zsa.task(task["id"])["state"] == "completed"
        assert [e["actor"] for e in zsa.events(number) if e["type"] == "task_completed"][-1] == person
    if expected == OK and action == "start_case":
        assert response.json["kommune"] == ags and response.json["state"] == "running"
    if expected == OK and action == "deliver_message":
        assert [t["task_def"] for t in zsa.case(world[ags]["waiting"])["tasks"]] == ["Pruefen"]
    if expected == OK and action == "assign":
        assert zsa.task(task["id"])["assignee"] == person


def test_foreign_case_events_are_hidden_like_missing_ones(zsa, world, app):
    client = app.test_client()
    login(client, "hans")
    foreign = client.get(f"/api/v1/cases/{world[MD]['pruefen']}/events")
    missing = client.get(f"/api/v1/cases/{MISSING_CASE}/events")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.data == missing.data
    assert client.get(f"/api/v1/cases/{world[HA]['pruefen']}/events").status_code == 200


def test_case_list_contains_only_served_kommunen(zsa, world, app):
    client = app.test_client()
    login(client, "mia")
    numbers = {c["number"] for c in client.get("/api/v1/cases").json}
    assert numbers == set(world[MD].values())
    assert client.get(f"/api/v1/cases?kommune={HA}").json == []


def test_caseworker_sees_only_tasks_of_own_groups_in_own_kommune(zsa, world, app):
    client = app.test_client()
    login(client, "mia")
    pruefen = _task_of(zsa, world[MD]["pruefen"], "pruefen")  # zsa-team, not Mia's group
    assert pruefen["id"] not in {t["id"] for t in client.get("/api/v1/tasks").json}
    assert client.get(f"/api/v1/tasks/{pruefen['id']}").status_code == 404
    assert api_post(client, f"/api/v1/tasks/{pruefen['id']}/claim").status_code == 404
    assert zsa.task(pruefen["id"])["assignee"] is None


def test_forged_group_and_kommune_filters_do_not_widen_the_scope(zsa, world, app):
    client = app.test_client()
    login(client, "anna")
    assert client.get("/api/v1/tasks?group=ordnungsamt").json == []
    assert client.get(f"/api/v1/tasks?kommune={HA}").json == []
    own = client.get("/api/v1/tasks?group=zsa-team").json
    assert own and {t["kommune"] for t in own} == {MD}


def test_team_lead_acts_on_every_task_of_own_kommune(zsa, world, app):
    client = app.test_client()
    login(client, "tom")
    entscheiden = _task_of(zsa, world[MD]["entscheiden"], "entscheiden")  # ordnungsamt, not Tom's group
    assert api_post(client, f"/api/v1/tasks/{entscheiden['id']}/claim").status_code == 200
    assert zsa.task(entscheiden["id"])["assignee"] == "tom"


def test_team_lead_assigns_only_to_people_who_may_work_the_task(zsa, world, app):
    client = app.test_client()
    login(client, "tom")
    task = _task_of(zsa, world[MD]["pruefen"], "pruefen")
    refused = api_post(client, f"/api/v1/tasks/{task['id']}/assign", {"assignee": "hans"})  # Halle clerk
    assert refused.status_code == 422 and zsa.task(task["id"])["assignee"] is None
    assert api_post(client, f"/api/v1/tasks/{task['id']}/assign", {"assignee": "anna"}).status_code == 200
    assert zsa.task(task["id"])["assignee"] == "anna"
    assert api_post(client, f"/api/v1/tasks/{task['id']}/assign", {"assignee": None}).status_code == 200
    assert zsa.task(task["id"])["assignee"] is None


def test_auditor_forged_html_post_is_refused(zsa, world, app):
    client = app.test_client()
    login(client, "paula")
    task = _task_of(zsa, world[MD]["pruefen"], "pruefen")
    with client.session_transaction() as session:
        token = session["csrf"]
    response = client.post(f"/aufgaben/{task['id']}/uebernehmen", data={"csrf_token": token})
    assert response.status_code == 403
    assert "nur lesen" in response.text
    assert zsa.task(task["id"])["assignee"] is None


def test_seeing_all_tasks_does_not_mean_acting_on_them(zsa, world, app):
    """A caseworker who is also process owner sees the clerk's task but may not work it."""
    add_user(zsa, "uwe", ["zsa-sachbearbeitung", "prozessverantwortung"], ["zsa-team"], [MD])
    client = app.test_client()
    login(client, "uwe")
    entscheiden = _task_of(zsa, world[MD]["entscheiden"], "entscheiden")
    assert client.get(f"/api/v1/tasks/{entscheiden['id']}").status_code == 200
    assert api_post(client, f"/api/v1/tasks/{entscheiden['id']}/claim").status_code == 403
    assert zsa.task(entscheiden["id"])["assignee"] is None
    pruefen = _task_of(zsa, world[MD]["pruefen"], "pruefen")
    assert api_post(client, f"/api/v1/tasks/{pruefen['id']}/claim").status_code == 200
