"""HTML form submissions as plain values: only the form's own fields reach the services."""


def form_fields(form, submitted) -> dict:
    """{field name: raw value} of a submitted form (lists for multi-value fields); CSRF tokens,
    buttons (`_aktion`) and anything else that is not a field of `form` are left behind.
    A task without a form (None) submits no fields."""
    fields = {}
    for field in form.fields if form is not None else ():
        if field.multiple:
            values = submitted.getlist(field.name)
            if values:
                fields[field.name] = values
        elif field.name in submitted:
            fields[field.name] = submitted.get(field.name)
    return fields
