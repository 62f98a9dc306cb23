"""zsa-flow: BPMN process platform for the Zentrale Service-Angebote (ZSA) Sachsen-Anhalt."""
