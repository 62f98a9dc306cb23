"""Scripts in BPMN are untrusted: sandboxed, failures become incidents, operators retry."""
from pathlib import Path

import pytest

from zsa_flow.errors import Conflict

TEMPLATE = (Path(__file__).resolve().parent.parent / "fixtures" / "engine" / "script.bpmn").read_text()
DEFAULT = TEMPLATE.split("<bpmn:script>")[1].split("</bpmn:script>")[0]


def _deploy_script(zsa, tmp_path, body):
    path = tmp_path / "skript.bpmn"
    path.write_text(TEMPLATE.replace(DEFAULT, body.replace("&", "&amp;").replace("<", "&lt;")))
    zsa.deploy([str(path)], check=False)  # the sandbox must hold even for a model the check never saw


def test_domain_functions_are_callable_and_results_recorded(zsa, tmp_path):
    _deploy_script(zsa, tmp_path, DEFAULT)
    number = zsa.start_case("skript", "15003000", {"faktor": 3, "rasse": "American Staffordshire Terrier"})
    case = zsa.case(number)
    assert case["state"] == "running"
    assert case["data"]["ergebnis"] == 30 and case["data"]["rasse_gefaehrlich"] is True
    script_event = next(e for e in zsa.events(number) if e["type"] == "script_executed")
    assert script_event["element_id"] == "Rechnen"
    assert script_event["data"]["changed"] == {"ergebnis": 30, "rasse_gefaehrlich": True}


def test_failing_script_raises_an_incident_and_retry_with_fixed_data_resolves_it(zsa, tmp_path):
    _deploy_script(zsa, tmp_path, DEFAULT)
    number = zsa.start_case("skript", "15003000", {"rasse": "Pudel"})  # faktor missing
    case = zsa.case(number)
    assert case["state"] == "incident"
    assert "Rechnen" in case["incident"] and "faktor" in case["incident"]
    assert zsa.tasks(case=number) == []
    zsa.retry(number, data={"faktor": 2})
    case = zsa.case(number)
    assert case["state"] == "running" and case["incident"] is None and case["data"]["ergebnis"] == 20
    types = [e["type"] for e in zsa.events(number)]
    assert types.index("incident_raised") < types.index("retried") < types.index("incident_resolved")
    with pytest.raises(Conflict):
        zsa.retry(number)


ESCAPES = [
    "x = [c for c in ().__class__.__bases__[0].__subclasses__() if c.__name__ == 'catch_warnings'][0]"
    "()._module.__builtins__['__import__']('os').system('touch {marker}')",
    "import os\nos.system('touch {marker}')",
    "open('{marker}', 'w').write('x')",
    "getattr(getattr((), '__cla' + 'ss__'), '__base__')",
    "ergebnis = '{{0.__class__.__mro__}}'.format(1)",
    "f = lambda: 0\nergebnis = f.__globals__",
    "ergebnis = [x for x in (1,)].__class__",
    "exec(\"open('{marker}', 'w')\")",
    "ergebnis = type(1)",
]


@pytest.mark.parametrize("body", ESCAPES)
def test_escapes_from_the_sandbox_become_incidents_and_run_nothing(zsa, tmp_path, body):
    marker = tmp_path / "pwned"
    _deploy_script(zsa, tmp_path, body.format(marker=marker))
    number = zsa.start_case("skript", "15003000", {"faktor": 1, "rasse": "Pudel"})
    case = zsa.case(number)
    assert case["state"] == "incident", case
    assert "Rechnen" in case["incident"]
    assert not marker.exists()


def test_endless_loop_is_stopped(zsa, tmp_path):
    _deploy_script(zsa, tmp_path, "while True:\n    pass")
    number = zsa.start_case("skript", "15003000", {"faktor": 1, "rasse": "Pudel"})
    assert zsa.case(number)["state"] == "incident"


def test_today_comes_from_the_engine_clock(zsa, tmp_path, clock):
    _deploy_script(zsa, tmp_path, "ergebnis = faktor\nstichtag = heute()")
    number = zsa.start_case("skript", "15003000", {"faktor": 1, "rasse": "Pudel"})
    assert zsa.case(number)["data"]["stichtag"] == clock.now().date().isoformat() == "2026-03-02"
