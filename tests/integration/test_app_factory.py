"""The application as `make run` / `flask --app app run` create it: no test shortcuts."""
from zsa_flow.web import create_app


def test_without_configured_secret_a_random_one_is_kept_in_the_instance_folder(zsa, tmp_path, monkeypatch):
    monkeypatch.delenv("ZSA_SECRET_KEY", raising=False)
    app = create_app({"PLATFORM": zsa}, instance_path=str(tmp_path / "instance"))
    secret = (tmp_path / "instance" / "secret_key").read_text().strip()
    assert app.config["SECRET_KEY"] == secret and len(secret) == 64
    response = app.test_client().get("/login")
    assert response.status_code == 200 and "Anmelden" in response.get_data(as_text=True)
    again = create_app({"PLATFORM": zsa}, instance_path=str(tmp_path / "instance"))
    assert again.config["SECRET_KEY"] == secret  # sessions survive a restart


def test_secret_from_environment(zsa, tmp_path, monkeypatch):
    monkeypatch.setenv("ZSA_SECRET_KEY", "aus-der-umgebung")
    app = create_app({"PLATFORM": zsa}, instance_path=str(tmp_path / "instance"))
    assert app.config["SECRET_KEY"] == "aus-der-umgebung"
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_behind_a_proxy_the_client_address_comes_from_forwarded_headers(zsa, tmp_path, monkeypatch):
    from flask import request

    monkeypatch.setenv("ZSA_PROXY_HOPS", "1")
    app = create_app({"PLATFORM": zsa, "SECRET_KEY": "x"}, instance_path=str(tmp_path))
    app.add_url_rule("/_ip", "ip", lambda: request.remote_addr)
    response = app.test_client().get("/_ip", headers={"X-Forwarded-For": "203.0.113.7"})
    assert response.get_data(as_text=True) == "203.0.113.7"
