"""SpiffWorkflow adaptation: parser, specs, serializer and the script sandbox."""
