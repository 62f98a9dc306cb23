"""form-js's own form schemas against zsa-flow's forms: how many parse, render and validate.

    python -m bench.formjs_fixtures PATH [-v]

PATH: a folder with form-js JSON schemas (for instance the `test/spec` folders of form-js's
form-js-viewer and form-js-editor packages, copied from a checkout; they are not part of this
repository). Each schema gets an `id` where it has none (form-js does not need one), then is parsed,
drawn (empty data) and validated (empty submission, and a JSON submission of its `data` sample
when the schema sits beside one). Prints the counts and the refusals grouped by cause; -v names
every file. A crash (any exception other than the form's own ModelError/ValidationFailed) is a
bug and is listed as such.
"""
import json
import re
import sys
from collections import Counter
from pathlib import Path

from zsa_flow.errors import ModelError, ValidationFailed
from zsa_flow.forms import parse_form


def _cause(message):
    text = re.sub(r"^.*?:\d+: (?:[^:]*: )?", "", message)
    text = re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "…", text)
    return text[:100]


def run(path, verbose=False):
    """(results {file: "ok" | "refused: …" | "crash: …"}, counts)."""
    results = {}
    for file in sorted(Path(path).rglob("*.json")):
        name = str(file.relative_to(path))
        try:
            schema = json.loads(file.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            results[name] = f"refused: not JSON ({exc})"
            continue
        if isinstance(schema, dict) and not schema.get("id"):
            schema["id"] = "Form_" + re.sub(r"\W", "_", file.stem)
        try:
            form = parse_form(json.dumps(schema), file.name)
            form.render({}, {})
            form.validate({})
            results[name] = "ok"
        except (ModelError, ValidationFailed) as exc:
            results[name] = "refused: " + exc.message
        except Exception as exc:  # noqa: BLE001 - a crash is what this run looks for
            results[name] = f"crash: {type(exc).__name__}: {exc}"
    counts = Counter(r.split(":")[0] for r in results.values())
    return results, counts


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "-v" in args
    args = [a for a in args if a != "-v"]
    if len(args) != 1 or not Path(args[0]).is_dir():
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    results, counts = run(args[0], verbose)
    total = len(results)
    print(f"form-js schemas: {total}; parse, render and validate: {counts['ok']}; refused: {counts['refused']}; "
          f"crashed: {counts['crash']}")
    causes = Counter(_cause(r[len("refused: "):]) for r in results.values() if r.startswith("refused"))
    for cause, n in causes.most_common():
        print(f"  {n:3}  {cause}")
    for name, result in results.items():
        if verbose or result.startswith("crash"):
            print(f"{name}: {result}")
    return 1 if counts["crash"] else 0


if __name__ == "__main__":
    sys.exit(main())
