"""The case as people read it: data under the forms' labels and sections, history lines in German
with element and message names, waits by name, groups and people by their display names.

Values stay values here (with a `kind` for the web formats in web/format.py); option values are
replaced by their option labels. The raw keys and every event remain for the technical view.
"""
from ..forms.documents import references_in
from . import users
from .process_texts import MORE, FieldText, humanize, texts_for
from .reference import group_names
from .runs import get_case_row

HIDDEN_FOR_PEOPLE = {"gateway_passed"}  # a merge decides nothing; only the technical view lists it
SKIP_KEYS = {"rechenweg"}  # shown as the Rechenweg table
TASK_VERBS = {"task_created": "erstellt", "task_claimed": "übernommen", "task_unclaimed": "zurückgegeben",
              "task_assigned": "zugewiesen", "task_completed": "erledigt", "task_cancelled": "entfallen"}
PLAIN = {"case_started": "Vorgang angelegt", "case_completed": "Vorgang abgeschlossen",
         "case_cancelled": "Vorgang abgebrochen", "note_added": "Notiz hinzugefügt",
         "document_attached": "Dokument beigefügt",
         "incident_resolved": "Störung behoben", "retried": "Erneut ausgeführt"}
NAMED = {  # event type -> (word before the name, words after it)
    "script_executed": ("Berechnung", "ausgeführt"),
    "decision_evaluated": ("Entscheidung", "ausgewertet"),
    "timer_fired": ("Frist", "abgelaufen"),
    "end_event": ("Endereignis", "erreicht"),
    "incident_raised": ("Störung in", "aufgetreten"),
}


def process_texts(platform, number):
    """The ProcessTexts of the version a case runs on."""
    with platform.uow(readonly=True) as uow:
        row = get_case_row(uow, number=number)
        return texts_for(platform, uow, row["definition_id"])


def data_sections(texts, data):
    """[{"title", "rows"}]: the case data in the forms' sections; unknown keys last under 'Weitere Angaben'."""
    data = data or {}
    sections, shown = [], set()
    for title, keys in texts.sections:
        rows = [_row(texts, key, data[key]) for key in keys if key in data and key not in shown]
        shown.update(keys)
        if rows:
            sections.append({"title": title, "rows": rows})
    more = [_row(texts, key, value) for key, value in data.items() if key not in shown and key not in SKIP_KEYS]
    if more:
        sections.append({"title": MORE, "rows": more})
    return sections


def _row(texts, key, value, within=None):
    """{"key", "label", "value", "kind"} or, for nested data, {"key", "label", "rows"}; `within`: the
    dynamic list whose entry holds `key` (its fields' texts are known as `list.key`)."""
    name = f"{within}.{key}" if within else key
    text = texts.fields.get(name) or FieldText(humanize(key))
    refs = references_in(value) if isinstance(value, list) and value else None
    if refs and len(refs) == len(value):  # document references: their names (the files are listed apart)
        return {"key": key, "label": text.label, "value": ", ".join(r["metadata"]["fileName"] for r in refs),
                "kind": "text"}
    if isinstance(value, dict):
        return {"key": key, "label": text.label,
                "rows": [_row(texts, k, v) for k, v in value.items() if k not in SKIP_KEYS]}
    if isinstance(value, list) and any(isinstance(item, dict) for item in value):
        return {"key": key, "label": text.label, "items": [
            [_row(texts, k, v, name) for k, v in item.items()] if isinstance(item, dict) else [
                {"key": key, "label": "", "value": item, "kind": None}] for item in value]}
    if text.options:
        if isinstance(value, list):
            value = [text.options.get(v, v) for v in value]
        else:
            value = text.options.get(value, value)
        return {"key": key, "label": text.label, "value": value, "kind": "text"}
    return {"key": key, "label": text.label, "value": value, "kind": text.kind}


def history(texts, events, person_names=None):
    """History lines for people: [{"seq", "at", "actor", "before", "name", "after", "details"}]."""
    names = person_names or {}
    lines = []
    for e in events:
        if e["type"] in HIDDEN_FOR_PEOPLE:
            continue
        before, name, after = event_words(texts, e)
        details = None
        if e["type"] == "task_completed" and (e.get("data") or {}).get("data"):
            details = data_sections(texts, e["data"]["data"])
        lines.append({"seq": e["seq"], "type": e["type"], "at": e["at"],
                      "actor": names.get(e["actor"], e["actor"]),
                      "before": before, "name": name, "after": after, "details": details})
    return lines


def event_words(texts, e):
    """(before, name, after) of one history line, e.g. ('Nachricht', 'Bescheid Hundehaltung',
    'an Antragsteller/in versendet'); `name` is None when the element has no name."""
    kind, data = e["type"], e.get("data") or {}
    name = texts.element(e.get("element_id"), e.get("element_name"))
    if kind in TASK_VERBS:
        verb = TASK_VERBS[kind]
        if kind == "task_assigned":
            verb = f"zugewiesen an {data['assignee']}" if data.get("assignee") else "an die Gruppe zurückgegeben"
        return ("Aufgabe", name, verb)
    if kind == "message_sent":
        receiver = texts.receivers.get(e.get("element_id"))
        return ("Nachricht", texts.message(data.get("message")), f"an {receiver} versendet" if receiver else "versendet")
    if kind == "message_received":
        sender = texts.senders.get(e.get("element_id"))
        return ("Nachricht", texts.message(data.get("message")), f"von {sender} empfangen" if sender else "empfangen")
    if kind == "gateway_taken":
        targets = [texts.element(t) for t in data.get("to") or ()]
        targets = [t for t in targets if t]
        after = "entschieden" + (": weiter mit " + ", ".join(targets) if targets else "")
        return ("Verzweigung", name, after)
    if kind == "document_attached" and data.get("file_name"):  # erased: the name is gone with the key
        return ("Dokument", data["file_name"], "beigefügt")
    if kind in NAMED:
        before, after = NAMED[kind]
        if name and after.lower() in name.lower():  # "Frist (14 Tage) abgelaufen" says it already
            return ("", name, "")
        return (before, name, after)
    return (PLAIN.get(kind, humanize(kind)), None, "")


def waits(texts, timers):
    """[{"name", "due"}] of the timers the case waits for, by element name."""
    return [{"name": texts.element(t["element_id"], "Frist"), "due": t["due"]} for t in timers]


def person_names(platform, usernames):
    """{username: display name} of the accounts among `usernames` ('system' reads 'System')."""
    names = {"system": "System"}
    for username in set(usernames) - set(names):
        account = users.get_user(platform, username) if username else None
        if account and account.get("name"):
            names[username] = account["name"]
    return names


def case_view(platform, case, events):
    """Everything the case page shows for people, from `Platform.case` and `Platform.events`."""
    texts = process_texts(platform, case["number"])
    groups = group_names()
    for task in case["tasks"]:
        task["group_names"] = [groups.get(g, g) for g in task["candidate_groups"]]
    return {
        "sections": data_sections(texts, case["data"]),
        "history": history(texts, events, person_names(platform, {e["actor"] for e in events})),
        "waits": waits(texts, case.get("timers") or []),
    }
