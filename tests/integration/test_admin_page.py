"""The Verwaltung page: administrators manage accounts, process owners see processes, others are refused."""
import pytest

from webauth import add_user, login, make_app, session_csrf
from zsa_flow.services import users

MD = "15003000"


@pytest.fixture
def client(zsa, test_library):
    zsa.deploy(test_library)
    add_user(zsa, "admin", ["admin"], name="Ada Admin")
    add_user(zsa, "pia", ["prozessverantwortung"], [], [MD])
    add_user(zsa, "anna", ["zsa-sachbearbeitung"], ["zsa-team"], [MD])
    return make_app(zsa).test_client()


def _new_account(client, **overrides):
    data = {"csrf_token": session_csrf(client), "username": "eva", "name": "Eva Lang", "roles": ["kommune"],
            "kommunen": [MD], "groups": "ordnungsamt, steueramt", "password": "sehr-geheimes-wort"}
    data.update(overrides)
    return client.post("/verwaltung/konten", data=data)


def test_admin_adds_an_account_that_can_log_in(zsa, client):
    login(client, "admin")
    page = client.get("/verwaltung/")
    assert page.status_code == 200 and "Neues Konto" in page.text and 'href="/verwaltung/"' in page.text
    assert _new_account(client).status_code == 302
    eva = users.authenticate(zsa, "eva", "sehr-geheimes-wort", "127.0.0.1")
    assert eva["groups"] == ["ordnungsamt", "steueramt"] and eva["kommunen"] == [MD]
    listed = client.get("/verwaltung/").text  # groups and Kommunen by their names
    assert "Ordnungsamt der Gemeinde, Steueramt der Gemeinde" in listed and "Magdeburg (15003000)" in listed


def test_invalid_account_keeps_input_and_names_the_field(zsa, client):
    login(client, "admin")
    response = _new_account(client, kommunen=[MD, "15002000"], name='<b>Eva</b>')
    assert response.status_code == 422
    assert "genau einer Kommune" in response.text and 'aria-describedby="e-kommunen"' in response.text
    assert 'value="eva"' in response.text and 'id="k-15003000" name="kommunen" value="15003000" checked' in response.text
    assert "&lt;b&gt;Eva&lt;/b&gt;" in response.text and "<b>Eva</b>" not in response.text
    assert users.get_user(zsa, "eva") is None


def test_admin_disables_and_enables_but_not_self(zsa, client):
    login(client, "admin")
    token = session_csrf(client)
    assert client.post("/verwaltung/konten/anna/status", data={"csrf_token": token, "active": "0"}).status_code == 302
    assert users.get_user(zsa, "anna")["active"] is False
    client.post("/verwaltung/konten/anna/status", data={"csrf_token": token, "active": "1"})
    assert users.get_user(zsa, "anna")["active"] is True
    client.post("/verwaltung/konten/admin/status", data={"csrf_token": token, "active": "0"})
    assert users.get_user(zsa, "admin")["active"] is True


def test_process_owner_sees_processes_but_not_accounts(client):
    login(client, "pia")
    page = client.get("/verwaltung/")
    assert page.status_code == 200 and "antrag" in page.text and "Neues Konto" not in page.text
    assert _new_account(client).status_code == 403


def test_caseworker_is_refused(zsa, client):
    login(client, "anna")
    assert client.get("/verwaltung/").status_code == 403
    assert _new_account(client).status_code == 403
    assert client.post("/verwaltung/konten/admin/status",
                       data={"csrf_token": session_csrf(client), "active": "0"}).status_code == 403
    assert users.get_user(zsa, "admin")["active"] is True
    assert "Verwaltung" not in client.get("/login").text
