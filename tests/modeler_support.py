"""What Camunda Modeler 5 sends to a Camunda 7 endpoint (CamundaAPI.js), byte for byte as a browser
FormData body: the helpers the /engine-rest tests share with the HTTP-server and browser tests."""
import base64
from pathlib import Path

LIBRARY = Path(__file__).resolve().parent / "fixtures" / "library"
BOUNDARY = "----WebKitFormBoundaryzsaFlowModeler5"


def modeler_body(diagram_name, diagram, attachments=(), name="antrag", tenant_id=None):
    """multipart/form-data exactly as Modeler's deployDiagram builds it; returns (body, content type)."""
    parts = [("deployment-name", None, None, name.encode()),
             ("deployment-source", None, None, b"Camunda Modeler"),
             ("enable-duplicate-filtering", None, None, b"true")]
    if tenant_id:
        parts.append(("tenant-id", None, None, tenant_id.encode()))
    parts.append((diagram_name, diagram_name, "text/xml", diagram))
    for file_name, content in attachments:
        parts.append((file_name, file_name, "application/octet-stream", content))
    chunks = []
    for field, filename, ctype, data in parts:
        head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"'
        if filename:
            head += f'; filename="{filename}"\r\nContent-Type: {ctype}'
        chunks.append(head.encode() + b"\r\n\r\n" + data + b"\r\n")
    chunks.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={BOUNDARY}"


def antrag_request(diagram=None, tenant_id=None):
    """The test library's BPMN with its linked forms and its DMN table as attachments."""
    attachments = [(n, (LIBRARY / n).read_bytes())
                   for n in ("antrag_start.form", "pruefen.form", "entscheiden.form", "steuersatz.dmn")]
    return modeler_body("antrag.bpmn", diagram or (LIBRARY / "antrag.bpmn").read_bytes(), attachments,
                        tenant_id=tenant_id)


def basic(username, password):
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def start_body(kommune="15003000", business_key="BK-1", **variables):
    """Modeler's "Start instance" body: businessKey and typed variables."""
    typed = {"kommune": {"value": kommune, "type": "String"}}
    typed.update({k: {"value": v, "type": type_of(v)} for k, v in variables.items()})
    return {"businessKey": business_key, "variables": typed}


def type_of(value):
    return {bool: "Boolean", int: "Integer", float: "Double"}.get(type(value), "String")
