"""As-is variants serve comparison and simulation: starting one for real is refused on every channel
unless asked for explicitly and only for the Kommune of the model's zsa:kommune."""
from pathlib import Path

import pytest
import json

from click.testing import CliRunner

from api_support import ANMELDUNG
from modeler_support import basic, start_body
from webauth import PASSWORD, add_user, login, make_app, session_csrf
from zsa_flow.cli import main
from zsa_flow.services import tokens

ROOT = Path(__file__).resolve().parents[2]
MD, KUHFELDE = "15003000", "15081290"
ASIS = "hundehaltung_asis_kuhfelde"


@pytest.fixture
def deployed(zsa):
    zsa.deploy([str(ROOT / "processes" / "hundehaltung"), str(ROOT / "forms" / "hundehaltung")])
    add_user(zsa, "anna", ["zsa-sachbearbeitung"], groups=["zsa-hundehaltung"], kommunen=[MD, KUHFELDE])
    add_user(zsa, "pia", ["prozessverantwortung"], kommunen=[MD, KUHFELDE])
    return zsa


def test_service_refuses_without_the_flag_and_for_another_kommune(deployed):
    with pytest.raises(Exception, match="Ist-Variante .*nur ausdrücklich"):
        deployed.start_case(ASIS, KUHFELDE, {})
    with pytest.raises(Exception, match="gilt nur für die Kommune 15081290, nicht für 15003000"):
        deployed.start_case(ASIS, MD, {}, as_is_variant=True)
    assert deployed.start_case(ASIS, KUHFELDE, {}, as_is_variant=True).startswith("HUND-")


def test_cli_needs_as_is_variant_and_the_models_kommune(deployed, db_url, monkeypatch):
    monkeypatch.setenv("ZSA_DATABASE_URL", db_url)
    runner = CliRunner()
    plain = runner.invoke(main, ["start", ASIS, "--kommune", MD])
    assert plain.exit_code == 1 and "Ist-Variante" in plain.output
    wrong = runner.invoke(main, ["start", ASIS, "--kommune", MD, "--as-is-variant"])
    assert wrong.exit_code == 1 and "nicht für 15003000" in wrong.output
    ok = runner.invoke(main, ["start", ASIS, "--kommune", KUHFELDE, "--as-is-variant", "--data", json.dumps(ANMELDUNG)])
    assert ok.exit_code == 0 and ok.output.startswith("HUND-")


def test_api_refuses_unless_as_is_variant_true_for_its_kommune(deployed):
    client = make_app(deployed).test_client()
    token = tokens.issue_token(deployed, "anna")
    headers = {"Authorization": f"Bearer {token}"}
    refused = client.post("/api/v1/cases", json={"process": ASIS, "kommune": KUHFELDE}, headers=headers)
    assert refused.status_code == 409 and refused.json["error"] == "as_is_variant"
    wrong = client.post("/api/v1/cases", json={"process": ASIS, "kommune": MD, "as_is_variant": True}, headers=headers)
    assert wrong.status_code == 409
    ok = client.post("/api/v1/cases", json={"process": ASIS, "kommune": KUHFELDE, "as_is_variant": True,
                                            "data": ANMELDUNG}, headers=headers)
    assert ok.status_code == 201 and ok.json["process"] == ASIS


def test_engine_rest_refuses_unless_flag_variable_for_its_kommune(deployed):
    client = make_app(deployed).test_client()
    pia = basic("pia", PASSWORD)
    url = f"/engine-rest/process-definition/key/{ASIS}/start"
    assert client.post(url, headers=pia, json=start_body(KUHFELDE)).status_code == 409
    assert client.post(url, headers=pia, json=start_body(MD, zsaAsIsVariant=True)).status_code == 409
    ok = client.post(url, headers=pia, json=start_body(KUHFELDE, zsaAsIsVariant=True, **ANMELDUNG))
    assert ok.status_code == 200 and ok.json["definitionId"].startswith(f"{ASIS}:1:")


def test_inbox_does_not_offer_and_does_not_start_as_is_variants(deployed):
    client = make_app(deployed).test_client()
    login(client, "anna")
    assert ASIS not in client.get("/vorgaenge/neu").text
    response = client.post("/vorgaenge/neu", data={"csrf_token": session_csrf(client), "_prozess": ASIS,
                                                    "_kommune": KUHFELDE})
    assert response.status_code == 404
    assert deployed.cases(kommunen=[KUHFELDE]) == []
