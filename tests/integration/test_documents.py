"""Documents (issue 15.4): stored content-addressed, checked by their bytes, attached through the
filepicker of a task form, referenced (never embedded) in case data, chained into the case's audit
record, scoped like the case and removed by erasure — on SQLite, and on PostgreSQL with ZSA_DATABASE_URL."""
import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from documents_support import LIBRARY, jpeg_bytes, pdf_bytes, png_bytes
from webauth import add_user
from zsa_flow.errors import Conflict, NotFound, ValidationFailed
from zsa_flow.services import actions
from zsa_flow.services.audit_verify import verify
from zsa_flow.services.documents import DocumentTooLarge, Upload
from zsa_flow.services.erasure import erase_due
from zsa_flow.storage.tables import dokument, vorgang_dokument

MD, HAL = "15003000", "15002000"


@pytest.fixture
def lib(zsa):
    zsa.deploy([LIBRARY])
    add_user(zsa, "anna", ["zsa-sachbearbeitung"], ["zsa-team"], [MD])
    add_user(zsa, "hans", ["kommune"], ["zsa-team"], [HAL])
    add_user(zsa, "paula", ["pruefung"], [], [MD])
    return zsa


def _claimed_task(zsa, kommune=MD, user="anna"):
    number = zsa.start_case("nachweise", kommune, {})
    task = next(t for t in zsa.case(number)["tasks"] if t["state"] == "open")
    actions.claim(zsa, user, task["id"])
    return number, task["id"]


def _count(zsa, table):
    with zsa.uow(readonly=True) as uow:
        return uow.execute(select(func.count()).select_from(table)).scalar_one()


def test_a_filepicker_upload_becomes_a_referenced_document_with_its_hash_in_the_chain(lib):
    number, task_id = _claimed_task(lib)
    pdf = pdf_bytes()
    fields = actions.task_uploads(lib, "anna", task_id, {"bemerkung": ""},
                                  [Upload("nachweise", "../../Miet\x00bescheinigung.pdf", pdf)])
    ref = fields["nachweise"][0]
    assert ref["metadata"] == {"fileName": "Mietbescheinigung.pdf", "contentType": "application/pdf", "size": len(pdf)}
    assert ref["contentHash"] == hashlib.sha256(pdf).hexdigest()
    # the form is refused for another field: the document stays, the next submission keeps it by id
    with pytest.raises(ValidationFailed) as refused:
        actions.complete(lib, "anna", task_id, {**fields, "nachweise": [ref["documentId"]]}, from_html=True)
    assert set(refused.value.details["fields"]) == {"bemerkung"}
    assert [d["documentId"] for d in actions.case_documents(lib, "anna", number)] == [ref["documentId"]]
    actions.complete(lib, "anna", task_id, {"nachweise": [ref["documentId"]], "bemerkung": "vollständig"},
                     from_html=True)
    data = lib.case(number)["data"]
    assert data["nachweise"] == [ref]  # a reference, never the bytes
    attached = [e for e in lib.events(number) if e["type"] == "document_attached"]
    assert attached[0]["data"]["sha256"] == ref["contentHash"] and attached[0]["data"]["source"] == "formular"
    report = verify(lib)
    assert report.clean, report.findings


def test_the_same_bytes_are_stored_once_for_every_case(lib):
    png = png_bytes()
    first, _ = _claimed_task(lib)
    second, _ = _claimed_task(lib)
    a = actions.attach_documents(lib, "anna", first, [Upload("file", "foto.png", png)])
    b = actions.attach_documents(lib, "anna", second, [Upload("file", "foto.png", png)])
    again = actions.attach_documents(lib, "anna", first, [Upload("file", "foto.png", png)])
    assert a == again and a[0]["documentId"] != b[0]["documentId"]
    assert _count(lib, dokument) == 1 and _count(lib, vorgang_dokument) == 2
    assert len([e for e in lib.events(first) if e["type"] == "document_attached"]) == 1


def test_the_type_comes_from_the_bytes_not_the_name(lib):
    number, _ = _claimed_task(lib)
    html = b"<!doctype html><script>alert(1)</script>"
    with pytest.raises(ValidationFailed) as refused:
        actions.attach_documents(lib, "anna", number, [Upload("file", "bescheid.pdf", html)])
    assert refused.value.details["fields"] == {"file": "Die Datei „bescheid.pdf“ ist keine PDF-, JPEG- oder PNG-Datei "
                                                       "(geprüft wird der Inhalt, nicht Dateiname oder Typangabe)."}
    ref = actions.attach_documents(lib, "anna", number, [Upload("file", "scan.pdf", jpeg_bytes())])[0]
    assert ref["metadata"]["contentType"] == "image/jpeg"
    assert _count(lib, dokument) == 1


def test_a_file_over_the_limit_is_refused_naming_field_and_file(lib, monkeypatch):
    number, task_id = _claimed_task(lib)
    monkeypatch.setenv("ZSA_MAX_DOCUMENT_BYTES", str(1000))
    big = pdf_bytes() + b"%" * 1000
    with pytest.raises(DocumentTooLarge) as refused:
        actions.task_uploads(lib, "anna", task_id, {}, [Upload("nachweise", "gross.pdf", big)])
    assert refused.value.status == 413
    assert "„gross.pdf“" in refused.value.details["fields"]["nachweise"]
    assert _count(lib, dokument) == 0


def test_accept_and_multiple_of_the_filepicker_hold(lib):
    _number, task_id = _claimed_task(lib)
    with pytest.raises(ValidationFailed) as refused:
        actions.task_uploads(lib, "anna", task_id, {}, [Upload("foto", "foto.pdf", pdf_bytes())])
    assert refused.value.details["fields"]["foto"] == ("Die Datei „foto.pdf“ ist eine PDF-Datei; erlaubt sind hier: "
                                                       "JPEG, PNG.")
    with pytest.raises(ValidationFailed) as refused:
        actions.task_uploads(lib, "anna", task_id, {}, [Upload("foto", "a.png", png_bytes()),
                                                        Upload("foto", "b.png", png_bytes(rgb=(1, 2, 3)))])
    assert refused.value.details["fields"]["foto"] == "Bitte nur eine Datei auswählen."


def test_case_data_cannot_point_at_another_cases_document(lib):
    other, _ = _claimed_task(lib)
    foreign = actions.attach_documents(lib, "anna", other, [Upload("file", "x.pdf", pdf_bytes())])[0]
    _number, task_id = _claimed_task(lib)
    with pytest.raises(ValidationFailed) as refused:
        actions.complete(lib, "anna", task_id, {"nachweise": [foreign], "bemerkung": "x"})
    assert "gehört nicht zum Vorgang" in refused.value.details["fields"]["nachweise"]


def test_documents_are_scoped_like_their_case(lib):
    number, _ = _claimed_task(lib)
    ref = actions.attach_documents(lib, "anna", number, [Upload("file", "x.pdf", pdf_bytes())])[0]
    row, body, media = actions.document(lib, "paula", ref["documentId"])  # auditors read
    assert body.startswith(b"%PDF-") and media == "application/pdf"
    with pytest.raises(NotFound):
        actions.document(lib, "hans", ref["documentId"])  # another Kommune: as if missing
    with pytest.raises(NotFound):
        actions.case_documents(lib, "hans", number)
    with pytest.raises(NotFound):
        actions.document(lib, "anna", "00000000-0000-0000-0000-000000000000")
    from zsa_flow.errors import Forbidden
    with pytest.raises(Forbidden):
        actions.attach_documents(lib, "paula", number, [Upload("file", "y.pdf", pdf_bytes("y"))])


def test_uploading_through_a_task_needs_it_claimed(lib):
    number = lib.start_case("nachweise", MD, {})
    task = next(t for t in lib.case(number)["tasks"] if t["state"] == "open")
    with pytest.raises(Conflict):
        actions.task_uploads(lib, "anna", task["id"], {}, [Upload("nachweise", "x.pdf", pdf_bytes())])


def test_erasure_removes_the_documents_and_only_unshared_bodies(lib, clock):
    shared, unique = png_bytes(), pdf_bytes("nur hier")
    number, task_id = _claimed_task(lib)
    fields = actions.task_uploads(lib, "anna", task_id, {"bemerkung": "ok"},
                                  [Upload("nachweise", "a.pdf", unique), Upload("nachweise", "b.png", shared)])
    actions.complete(lib, "anna", task_id, fields, from_html=True)
    lib.deliver_message(number, "unterlagen_eingegangen", {})
    sichten = next(t for t in lib.case(number)["tasks"] if t["state"] == "open")
    actions.claim(lib, "anna", sichten["id"])
    actions.complete(lib, "anna", sichten["id"], {"nachweise_ok": True})
    assert lib.case(number)["state"] == "completed"
    other, _ = _claimed_task(lib)
    actions.attach_documents(lib, "anna", other, [Upload("file", "b.png", shared)])
    clock.advance(timedelta(days=400))
    result = erase_due(lib, actor="dsb")
    assert [c["number"] for c in result["cases"]] == [number]
    assert actions.case_documents(lib, "anna", number) == []
    with lib.uow(readonly=True) as uow:
        bodies = {row[0] for row in uow.execute(select(dokument.c.sha256))}
    assert bodies == {hashlib.sha256(shared).hexdigest()}  # the other case still holds the PNG
    erased = [e for e in lib.events(number) if e["type"] == "case_erased"][0]
    assert erased["data"]["documents"] == 2 and "a.pdf" not in str(erased["data"])
    attached = [e for e in lib.events(number) if e["type"] == "document_attached"]
    assert len(attached) == 2 and all(e["data"] == {"gelöscht": True} for e in attached)  # names shredded
    report = verify(lib)
    assert report.clean, report.findings


def test_a_start_form_takes_no_documents_before_the_case_exists(lib):
    with pytest.raises(ValidationFailed) as refused:
        actions.start_case(lib, "anna", "nachweise", MD, {"name": "Erika", "anlagen": [
            {"documentId": "x", "metadata": {"fileName": "a.pdf", "contentType": "application/pdf", "size": 1}}]})
    assert "POST /api/v1/cases/<nr>/documents" in refused.value.details["fields"]["anlagen"]
    assert actions.start_case(lib, "anna", "nachweise", MD, {"name": "Erika"})
