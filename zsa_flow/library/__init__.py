"""A process library on disk: BPMN, DMN and Camunda Forms, their references and content hashes."""
