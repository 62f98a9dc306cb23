"""Declared request and response models of /api/v1 (pydantic v2).

The views validate with the request models; the OpenAPI document (openapi.py) is generated from the
same classes. Unknown keys are refused everywhere (extra="forbid"); JSON values inside "data" pass
api_input.check_value (depth, NUL, UTF-8, finite numbers in range).
"""
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from .api_input import check_string, check_value

Text = Annotated[str, StringConstraints(max_length=200), AfterValidator(check_string)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")]
Ags = Annotated[str, StringConstraints(pattern=r"^\d{8}$")]
CaseNumber = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$")]
Data = Annotated[dict[str, Any], AfterValidator(check_value)]
NoteText = Annotated[str, StringConstraints(min_length=1, max_length=10_000), AfterValidator(check_string)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class StartCase(Strict):
    """Start a case of a deployed process for a Kommune; "data" must satisfy the start form."""
    process: Name
    kommune: Ags
    data: Data = Field(default_factory=dict)
    version: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    business_key: Text | None = None
    as_is_variant: bool = False


class StartMessage(Strict):
    """A start message (the online portal's application): starts the process awaiting it."""
    name: Name
    kommune: Ags
    data: Data = Field(default_factory=dict)


class CaseMessage(Strict):
    """A message (e.g. documents delivered) for a waiting case."""
    name: Name
    data: Data = Field(default_factory=dict)


class Retry(Strict):
    data: Data | None = None


class Note(Strict):
    text: NoteText


class Assign(Strict):
    assignee: Annotated[str, StringConstraints(max_length=64), AfterValidator(check_string)] | None = None


class TaskData(Strict):
    data: Data = Field(default_factory=dict)


class Empty(Strict):
    """No body (or {})."""


class Paging(BaseModel):
    model_config = ConfigDict(extra="forbid")
    limit: Annotated[int, Field(ge=1, le=500)] = 100
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0


class CaseQuery(Paging):
    kommune: Ags | None = None
    process: Name | None = None
    state: Literal["running", "incident", "completed", "cancelled"] | None = None
    q: Text | None = None


class TaskQuery(Paging):
    group: Text | None = None
    kommune: Ags | None = None
    assignee: Text | None = None
    case: CaseNumber | None = None


class DocumentQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    download: Literal["0", "1"] | None = None


class StatusQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: Annotated[str, StringConstraints(max_length=100)] | None = None


# ---- responses (documented in the OpenAPI document)
class Error(BaseModel):
    error: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class Case(BaseModel):
    """A case as the API shows it (further keys may follow)."""
    model_config = ConfigDict(extra="allow")
    number: str
    process: str | None = None
    kommune: str | None = None
    state: str


class Intake(Case):
    """The answer to an intake (start or message start): case, status link and access code."""
    status_url: str
    access_code: str


class Status(BaseModel):
    """The coarse status of a case: no personal data."""
    number: str
    status: Literal["eingegangen", "in_bearbeitung", "abgeschlossen", "eingestellt"]
    label: str
    received_at: str
    updated_at: str


class Task(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    state: str


class DocumentMetadata(BaseModel):
    fileName: str
    contentType: Literal["application/pdf", "image/jpeg", "image/png"]
    size: int


class DocumentReference(BaseModel):
    """What case data keeps of a document (Camunda's document reference shape), never the bytes."""
    documentId: str
    contentHash: str
    metadata: DocumentMetadata


class DocumentsAttached(BaseModel):
    """The answer to attaching documents: the case and the references, in the order sent."""
    case: str
    documents: list[DocumentReference]
