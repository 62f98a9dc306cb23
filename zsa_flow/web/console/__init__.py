"""Process owners' console (/prozesse): services and versions, diagrams, DMN tables, forms,
upload-and-deploy with the check's findings, suspend/resume, version diff. Views only translate:
the services decide permissions (services.versions / services.deployments with the user's Scope)."""
from .views import bp

__all__ = ["bp"]
