"""One error type for everything a user or client can get wrong (spiff-arena's ApiError idea)."""


class ZsaError(Exception):
    """A domain error with a stable code, a message for humans and an HTTP status."""

    code = "error"
    status = 400

    def __init__(self, message, *, code=None, status=None, details=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.details = details or {}

    def to_dict(self):
        """The JSON body the API returns for this error."""
        return {"error": self.code, "message": self.message, "details": self.details}


class NotFound(ZsaError):
    code, status = "not_found", 404


class Conflict(ZsaError):
    """Optimistic concurrency lost: somebody else changed the same thing first."""

    code, status = "conflict", 409


class StaleCase(Conflict):
    """A case row changed under an operation: `lock_version` is the state version the operation read
    (services/runs.on_current_head retries when only the history moved on)."""

    def __init__(self, message, *, case_id, lock_version):
        super().__init__(message)
        self.case_id, self.lock_version = case_id, lock_version


class Forbidden(ZsaError):
    code, status = "forbidden", 403


class ValidationFailed(ZsaError):
    """Submitted data does not satisfy a form or schema; `details` maps field key -> message."""

    code, status = "validation_failed", 422


class ModelError(ZsaError):
    """A process model, decision table or form is broken (names file, line, element)."""

    code, status = "model_error", 400


class DatabaseNotMigrated(ZsaError):
    code, status = "database_not_migrated", 503
