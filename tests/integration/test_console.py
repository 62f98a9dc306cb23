"""The process owners' console: upload (files or zip) with the check's findings per file and line,
versions with case counts, suspend/resume, diff page, DMN/form previews; others are refused."""
import io
import zipfile
from pathlib import Path

import pytest

from webauth import add_user, login, make_app, session_csrf
from zsa_flow.errors import ZsaError

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "tests" / "fixtures" / "library"
MD, KUHFELDE = "15003000", "15081290"


@pytest.fixture
def client(zsa, test_library):
    zsa.deploy(test_library)
    add_user(zsa, "pia", ["prozessverantwortung"], kommunen=[MD])
    add_user(zsa, "anna", ["zsa-sachbearbeitung"], groups=["zsa-team"], kommunen=[MD, KUHFELDE])
    return make_app(zsa).test_client()


def _upload(client, files, **fields):
    data = {"csrf_token": session_csrf(client), **fields,
            "dateien": [(io.BytesIO(content), name) for name, content in files]}
    return client.post("/prozesse/bereitstellen", data=data, content_type="multipart/form-data")


def _changed_antrag():
    return (LIBRARY / "antrag.bpmn").read_bytes().replace(b'name="Antrag pr\xc3\xbcfen"', b'name="Antrag sichten"')


def test_upload_of_a_changed_model_creates_a_version_and_links_the_diff(client, zsa):
    login(client, "pia")
    response = _upload(client, [("antrag.bpmn", _changed_antrag())])
    assert response.status_code == 200, response.text
    assert "neue Version" in response.text and "/prozesse/antrag/vergleich?von=1&amp;bis=2" in response.text
    diff = client.get("/prozesse/antrag/vergleich?von=1&bis=2")
    assert diff.status_code == 200
    assert "»Antrag prüfen« umbenannt in »Antrag sichten«" in diff.text
    assert "data-markers=\"{&#34;changed&#34;: [&#34;Pruefen&#34;]" in diff.text
    assert "<script>" not in diff.text  # the CSP forbids inline scripts
    page = client.get("/prozesse/antrag")
    assert "Version 2" in page.text and "Konsole" in page.text


def test_a_zip_with_an_error_is_refused_with_findings_per_file_and_line(client, zsa):
    login(client, "pia")
    broken = _changed_antrag().replace(b'camunda:formRef="entscheiden"', b'camunda:formRef="gibtsnicht"')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("modelle/antrag.bpmn", broken)
        archive.writestr("modelle/pruefen.form", (LIBRARY / "pruefen.form").read_bytes())
    response = _upload(client, [("modelle.zip", buffer.getvalue())])
    assert response.status_code == 400
    assert "Bereitstellung abgelehnt: 1 Fehler" in response.text
    assert "<h3><code>modelle/antrag.bpmn</code></h3>" in response.text
    assert "<td>71</td><td><code>Entscheiden</code></td>" in response.text
    assert [p["version"] for p in zsa.processes()] == [1]


def test_path_traversal_in_a_zip_is_refused(client, zsa):
    login(client, "pia")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../antrag.bpmn", _changed_antrag())
    response = _upload(client, [("boese.zip", buffer.getvalue())])
    assert response.status_code == 422 and "unzulässiger Pfad" in response.text


def test_version_page_shows_diagram_dmn_table_and_forms(client):
    login(client, "pia")
    page = client.get("/prozesse/antrag/v1")
    assert page.status_code == 200
    assert 'data-xml-source="/prozesse/antrag/v1/diagramm.bpmn"' in page.text
    assert "<code>[2..3]</code>" in page.text and "Steuersatz (Test)" in page.text  # the DMN table as HTML
    assert "pruefen" in page.text and "<details" in page.text  # forms rendered read-only
    xml = client.get("/prozesse/antrag/v1/diagramm.bpmn")
    assert xml.mimetype == "application/xml" and b'<bpmn:process id="antrag"' in xml.data


def test_suspend_refuses_new_cases_and_resume_allows_them(client, zsa):
    login(client, "pia")
    response = client.post("/prozesse/antrag/v1/aussetzen", data={"csrf_token": session_csrf(client)})
    assert response.status_code == 302
    assert "ausgesetzt seit" in client.get("/prozesse/antrag").text
    with pytest.raises(ZsaError, match="ausgesetzt: keine neuen Vorgänge"):
        zsa.start_case("antrag", MD, {})
    client.post("/prozesse/antrag/v1/fortsetzen", data={"csrf_token": session_csrf(client)})
    assert zsa.start_case("antrag", MD, {}).startswith("TEST-")
    rows = client.get("/prozesse/antrag").text
    assert "<td>1</td><td>0</td>" in rows  # one running, none finished


def test_caseworkers_are_refused_everywhere_in_the_console(client):
    login(client, "anna")
    assert client.get("/prozesse/").status_code == 403
    assert client.get("/prozesse/antrag").status_code == 403
    assert client.get("/prozesse/antrag/v1/diagramm.bpmn").status_code == 403
    assert _upload(client, [("antrag.bpmn", _changed_antrag())]).status_code == 403
    assert client.post("/prozesse/antrag/v1/aussetzen", data={"csrf_token": session_csrf(client)}).status_code == 403


def test_overview_sets_to_be_and_as_is_side_by_side(zsa, client):
    zsa.deploy([str(ROOT / "processes" / "hundehaltung"), str(ROOT / "forms" / "hundehaltung")])
    login(client, "pia")
    page = client.get("/prozesse/").text
    assert "Leistung: hundehaltung" in page and "Ist-Variante" in page and "Soll-Prozess" in page
    assert "hundehaltung_asis_kuhfelde" in page and "Medienbrüche" in page
    assert "/simulation/bericht?leistung=hundehaltung" in page


def test_uploading_one_changed_model_leaves_the_other_processes_at_their_version(zsa, client):
    zsa.deploy([str(ROOT / "processes"), str(ROOT / "forms")])
    before = {p["process_id"]: p["version"] for p in zsa.processes()}
    login(client, "pia")
    changed = (ROOT / "processes/hundehaltung/to-be/hundehaltung.bpmn").read_bytes().replace(
        "Steuerbescheid prüfen und erlassen".encode(), "Steuerbescheid erlassen".encode())
    assert _upload(client, [("hundehaltung.bpmn", changed)]).status_code == 200
    after = {p["process_id"]: p["version"] for p in zsa.processes()}
    assert after == {**before, "hundehaltung": before["hundehaltung"] + 1}
