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
