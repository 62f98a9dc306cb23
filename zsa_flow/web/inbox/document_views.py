"""Documents in the browser: inline for previews (PDF in an <iframe>, images in <img>) and as download.

Access is the case's: a document of a case the person may not see answers 404 like a missing one.
"""
from flask import g
from markupsafe import Markup

from ...files import human_size
from ...forms.documents import preview_figure

from ...services import actions
from .. import get_platform
from ..auth import login_required
from ..documents import document_response
from .blueprint import bp


@bp.get("/dokumente/<document_id>")
@login_required
def document(document_id):
    """The document inline (previews)."""
    row, body, media = actions.document(get_platform(), g.user, document_id)
    return document_response(row, body, media)


@bp.get("/dokumente/<document_id>/herunterladen")
@login_required
def document_download(document_id):
    """The document as a download under its file name."""
    row, body, media = actions.document(get_platform(), g.user, document_id)
    return document_response(row, body, media, download=True)


@bp.app_template_filter("document_preview")
def document_preview(ref):
    """The preview of one document (the same markup as a form's documentPreview)."""
    return Markup(preview_figure(ref))


@bp.app_template_filter("file_size")
def file_size(size):
    return human_size(size) if isinstance(size, int) else "–"
