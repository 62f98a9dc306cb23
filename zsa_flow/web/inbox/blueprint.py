"""The `inbox` blueprint, its German error pages and the template filters of the inbox pages."""
from flask import Blueprint, request, url_for

from ...errors import ZsaError
from .. import error_pages, format

bp = Blueprint("inbox", __name__)

TITLES = {400: "Anfrage nicht möglich", 403: "Keine Berechtigung", 404: "Nicht gefunden", 409: "Konflikt",
          422: "Eingaben unvollständig"}
EVENT_LABELS = {
    "case_started": "Vorgang angelegt",
    "task_created": "Aufgabe erstellt",
    "task_claimed": "Aufgabe übernommen",
    "task_unclaimed": "Aufgabe zurückgegeben",
    "task_assigned": "Aufgabe zugewiesen",
    "task_completed": "Aufgabe abgeschlossen",
    "task_cancelled": "Aufgabe entfallen",
    "script_executed": "Berechnung ausgeführt",
    "decision_evaluated": "Entscheidungstabelle ausgewertet",
    "gateway_taken": "Verzweigung entschieden",
    "timer_fired": "Frist abgelaufen",
    "message_received": "Nachricht empfangen",
    "message_sent": "Nachricht versendet",
    "end_event": "Endereignis erreicht",
    "incident_raised": "Störung aufgetreten",
    "incident_resolved": "Störung behoben",
    "retried": "Erneut ausgeführt",
    "case_completed": "Vorgang abgeschlossen",
    "case_cancelled": "Vorgang abgebrochen",
    "note_added": "Notiz hinzugefügt",
    "document_attached": "Dokument beigefügt",
    "case_viewed": "Von der Prüfung eingesehen",
    "case_replayed": "Von der Prüfung nachvollzogen (Replay)",
    "case_exported": "Von der Prüfung exportiert",
    "case_erased": "Personenbezogene Daten gelöscht (Aufbewahrungsfrist abgelaufen)",
}
STATE_LABELS = {"running": "in Bearbeitung", "completed": "abgeschlossen", "cancelled": "abgebrochen",
                "incident": "Störung", "open": "offen"}


@bp.errorhandler(ZsaError)
def _zsa_error(exc):
    """Domain errors of inbox pages as a German HTML page with the matching status."""
    return _error_page(TITLES.get(exc.status, "Fehler"), exc.message, exc.status)


@bp.errorhandler(404)
def _not_found(_exc):
    return _error_page(TITLES[404], "Die Seite gibt es nicht.", 404)


def _error_page(title, message, status):
    return error_pages.page(status, message, title)


@bp.app_template_filter("event_label")
def event_label(event_type):
    return EVENT_LABELS.get(event_type, event_type)


@bp.app_template_filter("state_label")
def state_label(state):
    return STATE_LABELS.get(state, state)


@bp.app_template_filter("scalar")
def scalar(value):
    """A leaf value for people (Ja/Nein, '–', German numbers, dates and money): web/format.py."""
    return format.auto(value)


@bp.app_template_filter("is_mapping")
def is_mapping(value):
    return isinstance(value, dict)


@bp.app_template_filter("all_scalars")
def all_scalars(values):
    return all(not isinstance(v, (dict, list, tuple)) for v in values)


@bp.app_template_filter("is_list")
def is_list(value):
    return isinstance(value, (list, tuple))


@bp.app_context_processor
def _helpers():
    def page_url(**changes):
        """The current list URL with some query arguments changed (None removes one)."""
        args = request.args.to_dict()
        for key, value in changes.items():
            if value is None:
                args.pop(key, None)
            else:
                args[key] = value
        return url_for(request.endpoint, **(request.view_args or {}), **args)

    return {"page_url": page_url}
