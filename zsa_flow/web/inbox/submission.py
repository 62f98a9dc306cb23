"""HTML form submissions as plain values: only the form's own fields reach the services."""


def form_fields(form, submitted) -> dict:
    """{field name: raw value} of a submitted form (lists for multi-value fields; dynamic-list entries
    as `list.N.key` with their count); CSRF tokens, buttons (`_aktion`) and anything else that is not
    a field of `form` are left behind. A task without a form (None) submits no fields."""
    return form.submitted_fields(submitted) if form is not None else {}
