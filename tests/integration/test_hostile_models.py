"""Hostile model files (issue 13): size and depth are checked before parsing, DOCTYPE is refused in
any encoding, a large form is checked in linear time, and scripts the sandbox policy forbids are
refused by `zsa-flow check` and `deploy` -- always with a one-line message, never a traceback."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from zsa_flow.errors import ModelError
from zsa_flow.forms import parse_form
from zsa_flow.library.check import check_paths

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"


# The CLI in a fresh interpreter that reports its own peak RSS (VmHWM of its memory map: unlike
# rusage's maxrss it does not inherit the RSS of the process that started it).
_CLI_WITH_PEAK = """
import atexit, sys
def peak():
    line = next(l for l in open("/proc/self/status") if l.startswith("VmHWM"))
    sys.stderr.write("PEAK_KB " + line.split()[1] + "\\n")
atexit.register(peak)
from zsa_flow.cli import main
sys.argv = ["zsa-flow", *sys.argv[1:]]
main()
"""


def _zsa_flow(db_url, *args):
    """Run the real CLI; (exit code, its output, its peak RSS in MB)."""
    result = subprocess.run([sys.executable, "-c", _CLI_WITH_PEAK, *args], capture_output=True, text=True,
                            env=dict(os.environ, ZSA_DATABASE_URL=db_url))
    output, _, peak = (result.stdout + result.stderr).rpartition("PEAK_KB ")
    return result.returncode, output, int(peak.split()[0]) / 1024


def _deep_form(depth):
    return '{"id": "tief", "components": [' + "[" * depth + "]" * depth + "]}"  # 200 KB, within the size limit


def _assert_one_line_refusal(code, output, expected, max_lines=3):
    """A refusal: non-zero exit, the finding on one line, a heading or summary at most -- no traceback."""
    assert code != 0 and "Traceback" not in output, output
    assert any(expected in line for line in output.splitlines()), output
    assert len([line for line in output.splitlines() if line.strip()]) <= max_lines, output


def test_a_form_nested_100000_deep_is_refused_with_one_line(zsa, db_url, tmp_path):
    (tmp_path / "tief.form").write_text(_deep_form(100_000))
    with pytest.raises(ModelError, match="tiefer als 100 Ebenen"):
        parse_form((tmp_path / "tief.form").read_bytes(), "tief.form")
    for command in ("check", "deploy"):
        code, output, _ = _zsa_flow(db_url, command, str(tmp_path))
        _assert_one_line_refusal(code, output, "tiefer als 100 Ebenen")


def test_a_200_mb_form_is_refused_before_it_is_read(zsa, db_url, tmp_path):
    with open(tmp_path / "riesig.form", "wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: the test costs no disk, the size is real
    for command in ("check", "deploy"):
        code, output, peak_mb = _zsa_flow(db_url, command, str(tmp_path))
        _assert_one_line_refusal(code, output, "209715200 Bytes")
        assert peak_mb < 200, f"{command}: peak RSS {peak_mb:.0f} MB"


@pytest.mark.parametrize("name", ["doctype_after_comment.bpmn", "doctype_utf16.bpmn"])
def test_doctype_is_refused_wherever_it_stands_and_in_any_encoding(zsa, db_url, name):
    path = str(HOSTILE / name)
    problems = check_paths([path])
    assert any("DOCTYPE" in p.message for p in problems), problems
    with pytest.raises(ModelError, match="DOCTYPE"):
        zsa.deploy([path])
    code, output, _ = _zsa_flow(db_url, "deploy", path)
    _assert_one_line_refusal(code, output, "DOCTYPE")


def test_scripts_and_conditions_the_policy_forbids_are_refused_by_check_and_deploy(zsa, db_url):
    path = str(HOSTILE / "forbidden_script.bpmn")
    messages = [str(p) for p in check_paths([path]) if p.is_error]
    assert any("Einbruch" in m and "import" in m for m in messages), messages
    assert any("F4" in m and "'open' ist nicht erlaubt" in m for m in messages), messages
    with pytest.raises(ModelError) as refused:
        zsa.deploy([path])
    assert "import ist nicht erlaubt" in refused.value.message and "'open' ist nicht erlaubt" in refused.value.message
    assert zsa.processes() == []
    code, output, _ = _zsa_flow(db_url, "deploy", path)
    _assert_one_line_refusal(code, output, "Einbruch: Skript, Zeile 1: import ist nicht erlaubt", max_lines=4)


def _write_form(path, components):
    lines = ",\n".join(json.dumps(c, separators=(",", ":")) for c in components)
    path.write_text('{"id":"gross","type":"default","components":[\n' + lines + "\n]}")


def test_a_15000_component_form_is_checked_and_conflicting_keys_still_found(tmp_path):
    components = [{"type": "textfield", "id": f"F{i}", "key": f"g{i % 50}.f{i}"} for i in range(15_000)]
    for component in components[::10]:  # 1,500 warnings, each naming its line
        component["conditional"] = {"hide": "=unbekannt(x)"}
    path = tmp_path / "gross.form"
    _write_form(path, components)
    form = parse_form(path.read_bytes(), str(path))
    assert len(form.fields) == 15_000 and len(form.warnings) == 1_500
    assert form.warnings[-1].startswith(f"{path}:{14_990 + 2}: F14990:")
    assert not [p for p in check_paths([str(path)]) if p.is_error]
    components.append({"type": "textfield", "id": "Fx", "key": "g3"})
    _write_form(path, components)
    with pytest.raises(ModelError, match="key 'g3' conflicts with key 'g3.f3'"):
        parse_form(path.read_bytes(), str(path))
