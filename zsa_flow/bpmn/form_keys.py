"""Camunda 7 form keys that name a form file by its path: `camunda-forms:deployment:PATH`, `camunda-forms:app:PATH`.

How Camunda 7 resolves them: `deployment:PATH` is the resource named PATH in the deployment of the
process definition (Tasklist fetches `/process-definition/{id}/deployed-start-form`, which reads
that resource); `app:PATH` is PATH below the process application's web root (a WAR's
`src/main/webapp`), loaded by Tasklist from the application's context path. Neither is relative to
the BPMN file's folder.

zsa-flow has no process application: both prefixes mean "a .form file deployed with the process".
PATH is matched against the deployed files' paths (the CLI's paths as given, the Modeler's file
names as sent), in this order:

1. a file whose path is PATH exactly;
2. a file at PATH relative to the BPMN file's folder;
3. the only file whose path ends in `/PATH` (so `start-form.form` finds `src/main/webapp/start-form.form`
   when the deployment root was `task-camunda-forms/`); several such files are ambiguous (an error);
4. for older models: the form whose `id` is PATH's file name without `.form`
   (`camunda-forms:deployment:forms/pruefen.form` → the form with id `pruefen`).

A form found by its path needs no `id`: it is indexed under a synthetic id, its path (`synthetic_form_id`).
Path-keyed forms bind like Camunda's formKey: the form deployed with the process version.
"""
import hashlib
import posixpath

PREFIX = "camunda-forms:"
SCOPES = ("deployment:", "app:")
MAX_ID = 200


class FormKeyError(Exception):
    """The key names no deployed form, or several (message in German, for `zsa-flow check`)."""


def is_form_key(ref) -> bool:
    """True for `camunda-forms:…` (a path-based key) as opposed to a form id (camunda:formRef)."""
    return isinstance(ref, str) and ref.startswith(PREFIX)


def key_path(form_key: str) -> str:
    """`camunda-forms:app:forms/a.form` → `forms/a.form` (normalised, without a leading `./` or `/`)."""
    rest = form_key[len(PREFIX):]
    for scope in SCOPES:
        if rest.startswith(scope):
            rest = rest[len(scope):]
            break
    return normalise(rest)


def normalise(path: str) -> str:
    path = posixpath.normpath(str(path).replace("\\", "/")) if path else ""
    return path.lstrip("/") if path not in ("", ".") else ""


def synthetic_form_id(path: str) -> str:
    """The id of a form file without `id`: its path (hashed when longer than the id column)."""
    path = normalise(path)
    if len(path) <= MAX_ID:
        return path
    return path[: MAX_ID - 41] + "#" + hashlib.sha1(path.encode()).hexdigest()


def legacy_id(form_key: str) -> str:
    """The form id older models meant: the file name without `.form`."""
    name = key_path(form_key).rsplit("/", 1)[-1]
    return name[: -len(".form")] if name.endswith(".form") else name


def resolve(form_key: str, bpmn_path: str | None, forms: dict) -> str:
    """The id (real or synthetic) of the form a key refers to; `forms`: form id -> file path.

    Raises FormKeyError when no form or several match."""
    wanted = key_path(form_key)
    if not wanted:
        raise FormKeyError(f"camunda:formKey '{form_key}' nennt keinen Dateipfad")
    paths = {form_id: normalise(path) for form_id, path in forms.items()}
    exact = [i for i, p in paths.items() if p == wanted]
    if len(exact) == 1:
        return exact[0]
    beside = normalise(posixpath.join(posixpath.dirname(normalise(bpmn_path or "")), wanted))
    near = [i for i, p in paths.items() if p == beside or p.endswith("/" + beside)]
    if len(near) == 1:
        return near[0]
    below = sorted(i for i, p in paths.items() if p.endswith("/" + wanted))
    if len(below) == 1:
        return below[0]
    if len(below) > 1:
        names = ", ".join(sorted(paths[i] for i in below))
        raise FormKeyError(f"camunda:formKey '{form_key}' ist mehrdeutig: {names}")
    if legacy_id(form_key) in forms:
        return legacy_id(form_key)
    raise FormKeyError(f"camunda:formKey '{form_key}': keine Formulardatei '{wanted}' und kein Formular "
                       f"mit der id '{legacy_id(form_key)}' in der Bibliothek")
