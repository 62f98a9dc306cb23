"""Issue 13.3: every hostile API input is answered with a 4xx JSON error, on SQLite and PostgreSQL,
through the test client, against a live waitress server, and under a bounded hypothesis fuzz run."""
import http.client
import json
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.serving import make_server

from api_support import ANMELDUNG, MD, bearer, portal_setup
from hostile_api import check, corpus
from zsa_flow.web.openapi import ROUTES


@pytest.fixture
def api(zsa):
    app, portal, anna = portal_setup(zsa)
    number = zsa.start_case("hundehaltung", MD, ANMELDUNG)
    task = zsa.tasks(case=number)[0]["id"] if zsa.tasks(case=number) else "kein-task"
    return app, anna, portal, number, task


def test_hostile_corpus_gets_4xx_json_through_the_app(api):
    app, anna, portal, number, task = api
    client = app.test_client()
    items = corpus(number, task)
    assert len(items) >= 51
    for label, method, path, headers, body in items:
        for token in (anna, portal):
            response = client.open(path, method=method, data=body, headers={
                "Content-Type": "application/json", **bearer(token), **headers})
            check(label, response.status_code, response.content_type, response.get_data())
    assert len(app.extensions["zsa"].cases()) == 1  # nothing was started


def test_hostile_corpus_gets_4xx_json_from_a_live_server(api):
    app, anna, _portal, number, task = api
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for label, method, path, headers, body in corpus(number, task):
            conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=30)
            conn.request(method, path, body=body, headers={"Content-Type": "application/json", **bearer(anna), **headers})
            response = conn.getresponse()
            check(label, response.status, response.getheader("Content-Type", ""), response.read())
            conn.close()
    finally:
        server.shutdown()
        thread.join(5)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20)
PATH_IDS = st.text(max_size=40).filter(lambda s: "/" not in s and s not in (".", ".."))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(route=st.sampled_from(ROUTES), body=JSON_VALUES | st.dictionaries(
    st.sampled_from(["process", "kommune", "data", "version", "business_key", "name", "text", "assignee",
                     "as_is_variant", "x"]), JSON_VALUES, max_size=5),
    path_id=PATH_IDS, params=st.dictionaries(st.sampled_from(["limit", "offset", "state", "q", "kommune", "case",
                                                               "code", "zz"]), st.text(max_size=25), max_size=3))
def test_fuzzed_requests_never_get_a_server_error(fuzz_app, route, body, path_id, params):
    app, token = fuzz_app
    method, path = route[0], route[1]
    path = path.replace("{number}", path_id or "x").replace("{task_id}", path_id or "x")
    from urllib.parse import quote
    path = "/api/v1" + "/".join(quote(part, safe="") if i else part for i, part in enumerate(path.split("/")))
    response = app.test_client().open(path, method=method.upper(), query_string=params,
                                      data=json.dumps(body), headers={"Content-Type": "application/json",
                                                                     **bearer(token)})
    assert response.status_code < 500, (method, path, body, response.get_data()[:300])
    assert response.content_type.startswith("application/json")
    if response.status_code >= 400:
        assert {"error", "message", "details"} <= set(response.json)


@pytest.fixture(scope="module")
def fuzz_app(_template_db, tmp_path_factory):
    """One database for the whole fuzz run (hypothesis repeats the test body, not the fixtures)."""
    import os
    import shutil
    from sqlalchemy import text
    from zsa_flow.clock import FakeClock
    from zsa_flow.services.platform import Platform
    from zsa_flow.services.reference import sync_kommunen
    from zsa_flow.storage.db import make_engine

    from zsa_flow.storage.tables import metadata

    pg_url = os.environ.get("ZSA_DATABASE_URL", "")
    if pg_url.startswith("postgres"):
        engine = make_engine(pg_url)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {', '.join(t.name for t in metadata.sorted_tables)} RESTART IDENTITY CASCADE"))
        engine.dispose()
        url = pg_url
    else:
        path = tmp_path_factory.mktemp("fuzz") / "zsa.db"
        shutil.copy(_template_db, path)
        url = f"sqlite:///{path}"
    platform = Platform.connect(url, clock=FakeClock())
    sync_kommunen(platform)
    app, _portal, anna = portal_setup(platform)
    yield app, anna
    platform.engine.dispose()
