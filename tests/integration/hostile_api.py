"""The hostile-input corpus of issue 13 for /api/v1: every request must get a 4xx with a JSON error
{"error", "message", "details"} — never a 500, never an HTML page. Used by test_api_hostile.py through
the Flask test client and against a live HTTP server."""
import json

MD = "15003000"


def _start(**overrides):
    return {"process": "hundehaltung", "kommune": MD, "data": {"halter_vorname": "Anna"}, **overrides}


def _raw(text):
    return text.encode("utf-8")


def corpus(number, task_id):
    """(label, method, path, extra headers, body bytes or None) for a case number and a task id that exist."""
    deep_obj = '{"a":' * 400 + "1" + "}" * 400
    deep_list = "[" * 400 + "]" * 400
    j = json.dumps
    items = [
        ("nested 400 deep object", "POST", "/api/v1/cases", {}, _raw('{"process":"hundehaltung","kommune":"15003000","data":' + deep_obj + "}")),
        ("nested 400 deep array", "POST", "/api/v1/messages", {}, _raw('{"name":"antrag_hundehaltung","kommune":"15003000","data":{"x":' + deep_list + "}}")),
        ("nested 100000 deep", "POST", "/api/v1/cases", {}, _raw("[" * 100_000 + "]" * 100_000)),
        ("nested 33 deep", "POST", f"/api/v1/tasks/{task_id}/draft", {}, _raw('{"data":{"a":' + "[" * 33 + "]" * 33 + "}}")),
        ("NUL in value", "POST", "/api/v1/cases", {}, _raw(j(_start(data={"halter_vorname": "A\u0000B"})))),
        ("NUL in key", "POST", "/api/v1/cases", {}, _raw(j(_start(data={"halter\u0000": "A"})))),
        ("NUL in business key", "POST", "/api/v1/cases", {}, _raw(j(_start(business_key="AZ\u00001")))),
        ("NUL in note", "POST", f"/api/v1/cases/{number}/notes", {}, _raw(j({"text": "a\u0000b"}))),
        ("NaN", "POST", "/api/v1/cases", {}, _raw('{"process":"hundehaltung","kommune":"15003000","data":{"anzahl_hunde_bereits":NaN}}')),
        ("Infinity", "POST", "/api/v1/messages", {}, _raw('{"name":"antrag_hundehaltung","kommune":"15003000","data":{"anzahl_hunde_bereits":Infinity}}')),
        ("-Infinity", "POST", f"/api/v1/tasks/{task_id}/complete", {}, _raw('{"data":{"x":-Infinity}}')),
        ("1e999", "POST", "/api/v1/cases", {}, _raw('{"process":"hundehaltung","kommune":"15003000","data":{"anzahl_hunde_bereits":1e999}}')),
        ("-1e999", "POST", f"/api/v1/cases/{number}/messages", {}, _raw('{"name":"x","data":{"a":-1e999}}')),
        ("integer with 5000 digits", "POST", "/api/v1/cases", {}, _raw('{"process":"hundehaltung","kommune":"15003000","data":{"a":' + "9" * 5000 + "}}")),
        ("integer 2^70", "POST", "/api/v1/cases", {}, _raw(j(_start(data={"anzahl_hunde_bereits": 2**70})))),
        ("process is an object", "POST", "/api/v1/cases", {}, _raw(j(_start(process={"a": 1})))),
        ("process is a list", "POST", "/api/v1/cases", {}, _raw(j(_start(process=["hundehaltung"])))),
        ("process is a number", "POST", "/api/v1/cases", {}, _raw(j(_start(process=1)))),
        ("version is text", "POST", "/api/v1/cases", {}, _raw(j(_start(version="eins")))),
        ("version is a fraction", "POST", "/api/v1/cases", {}, _raw(j(_start(version=1.5)))),
        ("version negative", "POST", "/api/v1/cases", {}, _raw(j(_start(version=-1)))),
        ("version 2^64", "POST", "/api/v1/cases", {}, _raw(j(_start(version=2**64)))),
        ("business key 201 chars", "POST", "/api/v1/cases", {}, _raw(j(_start(business_key="A" * 201)))),
        ("business key 100000 chars", "POST", "/api/v1/cases", {}, _raw(j(_start(business_key="A" * 100_000)))),
        ("kommune with NUL", "POST", "/api/v1/cases", {}, _raw(j(_start(kommune="1500300\u0000")))),
        ("kommune is a number", "POST", "/api/v1/messages", {}, _raw(j({"name": "antrag_hundehaltung", "kommune": 15003000}))),
        ("unknown top-level key", "POST", "/api/v1/cases", {}, _raw(j(_start(user="tom")))),
        ("body is an array", "POST", "/api/v1/cases", {}, _raw("[1,2,3]")),
        ("body is a string", "POST", "/api/v1/messages", {}, _raw('"antrag"')),
        ("body is broken JSON", "POST", "/api/v1/cases", {}, _raw('{"process":')),
        ("invalid UTF-8", "POST", "/api/v1/cases", {}, b'{"process":"\xff\xfe"}'),
        ("lone surrogate", "POST", "/api/v1/messages", {}, _raw('{"name":"antrag_hundehaltung","kommune":"15003000","data":{"a":"\\ud800"}}')),
        ("text/plain body", "POST", "/api/v1/cases", {"Content-Type": "text/plain"}, _raw(j(_start()))),
        ("empty body", "POST", "/api/v1/cases", {}, b""),
        ("body over 2 MB", "POST", "/api/v1/cases", {}, _raw(j(_start(data={"a": "x" * 2_200_000})))),
        ("offset 2^63", "GET", "/api/v1/cases?offset=9223372036854775808", {}, None),
        ("limit negative", "GET", "/api/v1/cases?limit=-1", {}, None),
        ("limit text", "GET", "/api/v1/tasks?limit=abc", {}, None),
        ("limit 1e999", "GET", "/api/v1/tasks?limit=1e999", {}, None),
        ("offset NaN", "GET", "/api/v1/cases?offset=NaN", {}, None),
        ("limit 10^25", "GET", "/api/v1/cases?limit=" + "9" * 25, {}, None),
        ("unknown state", "GET", "/api/v1/cases?state=unbekannt", {}, None),
        ("NUL in search", "GET", "/api/v1/cases?q=%00", {}, None),
        ("kommune not an AGS", "GET", "/api/v1/cases?kommune=x", {}, None),
        ("duplicate parameter", "GET", "/api/v1/cases?limit=1&limit=2", {}, None),
        ("unknown parameter", "GET", "/api/v1/tasks?foo=1", {}, None),
        ("case number with NUL", "GET", "/api/v1/cases/HUND%00", {}, None),
        ("events of NUL case", "GET", "/api/v1/cases/HUND%00/events", {}, None),
        ("task id NUL", "GET", "/api/v1/tasks/%00", {}, None),
        ("case number 300 chars", "GET", "/api/v1/cases/" + "H" * 300, {}, None),
        ("status NUL", "GET", "/api/v1/status/HUND%00", {}, None),
        ("status code NUL", "GET", f"/api/v1/status/{number}?code=%00", {}, None),
        ("message to NUL case", "POST", "/api/v1/cases/HUND%00/messages", {}, _raw(j({"name": "x"}))),
        ("claim NUL task", "POST", "/api/v1/tasks/%00/claim", {}, b"{}"),
        ("DELETE not allowed", "DELETE", "/api/v1/cases", {}, None),
        ("PUT not allowed", "PUT", f"/api/v1/cases/{number}", {}, b"{}"),
        ("unknown endpoint", "GET", "/api/v1/gibt-es-nicht", {}, None),
        ("message name is an object", "POST", "/api/v1/messages", {}, _raw(j({"name": {"a": 1}, "kommune": MD}))),
        ("message start with wrong types", "POST", "/api/v1/messages", {},
         _raw(j({"name": "antrag_hundehaltung", "kommune": MD, "data": {"anzahl_hunde_bereits": "viele", "x": 1}}))),
        ("start with empty data", "POST", "/api/v1/cases", {}, _raw(j(_start(data={})))),
        ("note 20000 chars", "POST", f"/api/v1/cases/{number}/notes", {}, _raw(j({"text": "x" * 20_000}))),
        ("complete with data a string", "POST", f"/api/v1/tasks/{task_id}/complete", {}, _raw(j({"data": "x"}))),
        ("assign a number", "POST", f"/api/v1/tasks/{task_id}/assign", {}, _raw(j({"assignee": 123}))),
        ("idempotency key 500 chars", "POST", "/api/v1/messages", {"Idempotency-Key": "k" * 500},
         _raw(j({"name": "antrag_hundehaltung", "kommune": MD}))),
        ("retry data nested deep", "POST", f"/api/v1/cases/{number}/retry", {}, _raw('{"data":' + deep_obj + "}")),
    ]
    return items


def check(label, status, content_type, body):
    """The answer to a hostile request: 4xx, JSON, {"error", "message", "details"}."""
    assert 400 <= status < 500, f"{label}: {status} {body[:300]!r}"
    assert content_type.startswith("application/json"), f"{label}: {content_type}"
    payload = json.loads(body)
    assert {"error", "message", "details"} <= set(payload), f"{label}: {payload}"
