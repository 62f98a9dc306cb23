"""Discrete-event simulation of process variants on the real models and engine.

`scenario.load_scenario(path)` reads a scenario file; `runner.run_scenario(scenario)` simulates every
variant and replication (in parallel processes) and returns the result document of `results.py`.
Building blocks: `distributions` (zsa:duration/zsa:wait), `calendar` (working hours, holidays),
`model` (the zsa:* simulation properties read from a BPMN file), `cases` (synthetic applications),
`decisions` (what a simulated person enters so the gateway takes the sampled branch), `simulator`
(SimPy: one replication of one variant through `engine.runner.CaseRun` with the SIMULATION strategy).
"""
