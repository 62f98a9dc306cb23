"""Camunda Forms (form-js JSON as Camunda Modeler writes `.form` files): parse, validate, render.

    form = parse_form(path.read_bytes(), str(path))
    clean, errors = form.validate(request.form, from_html=True, context=case_data)
    html = form.render(case_data, errors, submitted=request.form)
"""
from .feel import Condition
from .model import Component, Field, Form, Option
from .schema import MAX_FORM_BYTES, parse_form

__all__ = ["Component", "Condition", "Field", "Form", "MAX_FORM_BYTES", "Option", "parse_form"]
