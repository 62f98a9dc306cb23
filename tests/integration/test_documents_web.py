"""Documents in the browser and through the API (issue 15.4): a multipart task form keeps its files
when another field is wrong, the case and task pages list and preview them, documents are served
with the type of their bytes under strict headers; the API attaches files with scopes, idempotency
and JSON errors naming field and file."""
import io
import re

import pytest

from api_support import bearer
from documents_support import LIBRARY, pdf_bytes, png_bytes
from webauth import add_user, login, make_app
from zsa_flow.services import actions, tokens, users

MD, HAL = "15003000", "15002000"


@pytest.fixture
def app(zsa):
    zsa.deploy([LIBRARY])
    add_user(zsa, "anna", ["zsa-sachbearbeitung"], ["zsa-team"], [MD])
    add_user(zsa, "hans", ["kommune"], ["zsa-team"], [HAL])
    users.add_account(zsa, "portal", "Online-Portal", ["schnittstelle"], kommunen=[MD, HAL])
    return make_app(zsa)


def _task(zsa):
    number = zsa.start_case("nachweise", MD, {})
    task = next(t for t in zsa.case(number)["tasks"] if t["state"] == "open")
    actions.claim(zsa, "anna", task["id"])
    return number, task["id"]


def _client(app, user="anna"):
    client = app.test_client()
    login(client, user)
    return client


def _csrf(client, url):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


def test_a_task_form_keeps_its_file_when_another_field_is_missing_and_completes_later(app, zsa):
    number, task_id = _task(zsa)
    client = _client(app)
    url = f"/aufgaben/{task_id}"
    page = client.get(url).text
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page and 'accept="application/pdf,.png,.jpg"' in page
    response = client.post(url, data={"csrf_token": _csrf(client, url), "_aktion": "abschliessen", "bemerkung": "",
                                      "nachweise": (io.BytesIO(pdf_bytes()), "miete.pdf", "application/pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Pflichtfeld" in response.text
    kept = re.search(r'<input type="checkbox" id="[^"]+" name="nachweise" value="([^"]+)" checked>', response.text)
    assert kept, "the uploaded file is offered again"
    assert "miete.pdf" in response.text
    response = client.post(url, data={"csrf_token": _csrf(client, url), "_aktion": "abschliessen",
                                      "bemerkung": "alles da", "nachweise": kept.group(1)},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.text
    ref = zsa.case(number)["data"]["nachweise"][0]
    assert ref["documentId"] == kept.group(1) and ref["metadata"]["fileName"] == "miete.pdf"
    case_page = client.get(f"/vorgaenge/{number}").text
    assert f'src="/dokumente/{ref["documentId"]}"' in case_page and "<iframe" in case_page
    assert f'href="/dokumente/{ref["documentId"]}/herunterladen"' in case_page
    assert re.search(r"· Dokument <em>miete\.pdf</em> beigefügt\s*· Anna", case_page)  # the history line


def test_a_pdf_named_html_file_is_refused_in_the_form_naming_field_and_file(app, zsa):
    _number, task_id = _task(zsa)
    client = _client(app)
    url = f"/aufgaben/{task_id}"
    response = client.post(url, data={"csrf_token": _csrf(client, url), "_aktion": "abschliessen", "bemerkung": "x",
                                      "nachweise": (io.BytesIO(b"<html><script>alert(1)</script>"), "bescheid.pdf",
                                                    "application/pdf")}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Die Datei „bescheid.pdf“ ist keine PDF-, JPEG- oder PNG-Datei" in response.text


def test_documents_are_served_with_the_type_of_their_bytes_and_strict_headers(app, zsa):
    number, _ = _task(zsa)
    ref = actions.attach_documents(zsa, "anna", number, [actions.documents.Upload("file", "foto.pdf", png_bytes())])[0]
    client = _client(app)
    response = client.get(f"/dokumente/{ref['documentId']}")
    assert response.status_code == 200 and response.data == png_bytes()
    assert response.headers["Content-Type"] == "image/png"  # the bytes decide, not the name
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'none'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Content-Disposition"].startswith("inline;")
    download = client.get(f"/dokumente/{ref['documentId']}/herunterladen")
    assert download.headers["Content-Disposition"].startswith('attachment; filename="foto.pdf"')
    other = _client(app, "hans")  # another Kommune: as if there were no such document
    assert other.get(f"/dokumente/{ref['documentId']}").status_code == 404


def test_api_attaches_documents_with_idempotency_and_a_follow_up_message(app, zsa):
    number, task_id = _task(zsa)
    actions.complete(zsa, "anna", task_id, {"bemerkung": "x", "nachweise": [actions.attach_documents(
        zsa, "anna", number, [actions.documents.Upload("file", "a.pdf", pdf_bytes())])[0]]})
    token = tokens.issue_token(zsa, "anna")
    client = app.test_client()
    body = {"file": [(io.BytesIO(pdf_bytes("nachgereicht")), "nachweis.pdf")], "message": "unterlagen_eingegangen"}
    headers = bearer(token, **{"Idempotency-Key": "abc-1"})
    first = client.post(f"/api/v1/cases/{number}/documents", data=body, headers=headers,
                        content_type="multipart/form-data")
    assert first.status_code == 201, first.json
    refs = first.json["documents"]
    assert refs[0]["metadata"] == {"fileName": "nachweis.pdf", "contentType": "application/pdf",
                                   "size": len(pdf_bytes("nachgereicht"))}
    assert zsa.case(number)["data"]["unterlagen"] == refs  # the message carried the references
    again = client.post(f"/api/v1/cases/{number}/documents", headers=headers, content_type="multipart/form-data",
                        data={"file": [(io.BytesIO(pdf_bytes("nachgereicht")), "nachweis.pdf")],
                              "message": "unterlagen_eingegangen"})
    assert again.status_code == 200 and again.json["documents"] == refs
    listed = client.get(f"/api/v1/cases/{number}/documents", headers=bearer(token)).json
    assert sorted(d["metadata"]["fileName"] for d in listed) == ["a.pdf", "nachweis.pdf"]
    content = client.get(f"/api/v1/cases/{number}/documents/{refs[0]['documentId']}?download=1", headers=bearer(token))
    assert content.status_code == 200 and content.mimetype == "application/pdf"
    assert content.headers["Content-Disposition"].startswith("attachment")


def test_api_refuses_wrong_scope_too_big_and_hostile_files_as_json(app, zsa, monkeypatch):
    number, _ = _task(zsa)
    client = app.test_client()
    reader = tokens.issue_token(zsa, "anna", ["read"])
    refused = client.post(f"/api/v1/cases/{number}/documents", headers=bearer(reader),
                          data={"file": (io.BytesIO(pdf_bytes()), "a.pdf")}, content_type="multipart/form-data")
    assert refused.status_code == 403 and refused.json["error"] == "forbidden"
    token = tokens.issue_token(zsa, "anna")
    big = pdf_bytes() + b"%" * (21 * 1024 * 1024)  # 21 MB over the default limit of 20 MB
    too_big = client.post(f"/api/v1/cases/{number}/documents", headers=bearer(token),
                          data={"file": (io.BytesIO(big), "gross.pdf")}, content_type="multipart/form-data")
    assert too_big.status_code == 413
    assert too_big.json["details"]["fields"]["file"].startswith("Die Datei „gross.pdf“ ist größer als 20 MB")
    hostile = client.post(f"/api/v1/cases/{number}/documents", headers=bearer(token),
                          data={"file": (io.BytesIO(b"<svg onload=alert(1)>"), "x\x00.pdf")},
                          content_type="multipart/form-data")
    assert hostile.status_code == 422 and "keine PDF-, JPEG- oder PNG-Datei" in hostile.json["details"]["fields"]["file"]
    as_json = client.post(f"/api/v1/cases/{number}/documents", headers=bearer(token), json={"file": "x"})
    assert as_json.status_code == 415 and as_json.json["error"] == "unsupported_media_type"
    foreign = zsa.start_case("nachweise", HAL, {})
    hidden = client.post(f"/api/v1/cases/{foreign}/documents", headers=bearer(token),
                         data={"file": (io.BytesIO(pdf_bytes()), "a.pdf")}, content_type="multipart/form-data")
    assert hidden.status_code == 404


def test_the_portal_reaches_only_the_cases_it_started(app, zsa):
    number, _ = _task(zsa)
    portal = tokens.issue_token(zsa, "portal")
    response = app.test_client().post(f"/api/v1/cases/{number}/documents", headers=bearer(portal),
                                      data={"file": (io.BytesIO(pdf_bytes()), "a.pdf")},
                                      content_type="multipart/form-data")
    assert response.status_code == 404


def test_a_refused_file_keeps_the_files_taken_before_and_a_draft_keeps_them_too(app, zsa):
    _number, task_id = _task(zsa)
    client = _client(app)
    url = f"/aufgaben/{task_id}"
    saved = client.post(url, data={"csrf_token": _csrf(client, url), "_aktion": "speichern", "bemerkung": "",
                                   "nachweise": (io.BytesIO(pdf_bytes()), "miete.pdf")},
                        content_type="multipart/form-data")
    assert saved.status_code == 302
    page = client.get(url).text  # the draft brings the file back
    kept = re.search(r'name="nachweise" value="([^"]+)" checked', page).group(1)
    refused = client.post(url, data={"csrf_token": _csrf(client, url), "_aktion": "abschliessen", "bemerkung": "x",
                                     "nachweise": [kept, (io.BytesIO(b"MZ\x90\x00"), "lohn.pdf")]},
                          content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "Die Datei „lohn.pdf“ ist keine PDF-, JPEG- oder PNG-Datei" in refused.text
    assert f'name="nachweise" value="{kept}" checked' in refused.text
